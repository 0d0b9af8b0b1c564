//! iOS privacy manifests against the binaries, on real inputs: the required-reason sample IPA
//! (`samples/ios/required-reason/build.sh`, real clang/ld64.lld output) reports exactly the
//! categories its manifest leaves out, with call sites; real `.xcprivacy` files from the corpus
//! (`../shared/corpus/xcprivacy`) compare without findings; a real vendor framework on Apple's
//! SDK list without a manifest (FBSDKCoreKit from the npm corpus) is flagged.
//!
//! `DISCLOSE_BLESS=1 cargo test --release --test privacy_manifest` rewrites
//! `tests/golden/scan/required-reason-ipa.{txt,json}`; review the diff against
//! `samples/ios/required-reason/src/main.m` and its manifest.

mod support;
use support::disclose;

use disclose::compare::context::CompareContext;
use disclose::compare::finding::{Finding, FindingKind};
use disclose::compare::{privacy_manifest, privacy_manifest_policy};
use disclose::ios::xcprivacy::parse_privacy_manifest;
use disclose::model::InspectReport;
use disclose::pipeline::Analyzer;
use disclose::policy::PolicyDeclarations;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::Path;

const SAMPLE: &str = "samples/ios/required-reason.ipa";
const SAMPLE_POLICY: &str = "samples/ios/required-reason/policy.txt";
const MAIN: &str = "Payload/RequiredReason.app/RequiredReason";
const FMDB: &str = "Payload/RequiredReason.app/Frameworks/FMDB.framework/FMDB";

fn sample_scan(format: &str) -> String {
    let out = disclose(&[
        "scan",
        SAMPLE,
        "--policy",
        SAMPLE_POLICY,
        "--format",
        format,
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "high findings fail the scan; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 report")
}

/// `(kind, binary or bundle of the first evidence, permission)` of every finding of `kinds`.
fn rows(doc: &Value, kinds: &[&str]) -> BTreeSet<(String, String, String)> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| kinds.contains(&f["kind"].as_str().unwrap_or("")))
        .map(|f| {
            (
                f["kind"].as_str().unwrap_or("").to_string(),
                f["evidence"][0]["file"].as_str().unwrap_or("").to_string(),
                f["permission"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn row(kind: &str, file: &str, permission: &str) -> (String, String, String) {
    (kind.to_string(), file.to_string(), permission.to_string())
}

#[test]
fn sample_reports_exactly_the_undeclared_categories_with_call_sites() {
    let doc: Value = serde_json::from_str(&sample_scan("json")).expect("json");
    let undeclared = rows(&doc, &["undeclared-required-reason-api"]);
    let want: BTreeSet<_> = [
        row(
            "undeclared-required-reason-api",
            MAIN,
            "NSPrivacyAccessedAPICategorySystemBootTime",
        ),
        row(
            "undeclared-required-reason-api",
            MAIN,
            "NSPrivacyAccessedAPICategoryDiskSpace",
        ),
        row(
            "undeclared-required-reason-api",
            MAIN,
            "NSPrivacyAccessedAPICategoryActiveKeyboards",
        ),
        row(
            "undeclared-required-reason-api",
            FMDB,
            "NSPrivacyAccessedAPICategoryFileTimestamp",
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(undeclared, want);
    // Call sites: the methods of src/main.m that make each call.
    let sites: BTreeSet<(String, String)> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["kind"] == "undeclared-required-reason-api")
        .flat_map(|f| f["evidence"].as_array().cloned().unwrap_or_default())
        .map(|e| {
            (
                e["location"].as_str().unwrap_or("").to_string(),
                e["detail"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for (function, detail) in [
        ("+[RRUptime uptime]", "arm64 selector systemUptime"),
        ("+[RRUptime ticks]", "arm64 symbol _mach_absolute_time"),
        ("+[RRDiskSpace freeSpace:]", "arm64 symbol _statfs"),
        (
            "+[RRDiskSpace availableCapacity:]",
            "arm64 symbol _NSURLVolumeAvailableCapacityKey",
        ),
        ("+[RRKeyboards count]", "arm64 selector activeInputModes"),
        ("-[FMDatabase lastChange:]", "arm64 symbol _fstat"),
    ] {
        assert!(
            sites.contains(&(function.to_string(), detail.to_string())),
            "{function} {detail} missing from {sites:?}"
        );
    }
    assert_eq!(
        rows(
            &doc,
            &["invalid-required-reason", "missing-sdk-privacy-manifest"]
        ),
        [
            row(
                "invalid-required-reason",
                "Payload/RequiredReason.app/PrivacyInfo.xcprivacy",
                "NSPrivacyAccessedAPICategoryUserDefaults"
            ),
            row(
                "missing-sdk-privacy-manifest",
                "Payload/RequiredReason.app/Frameworks/FMDB.framework",
                "FMDB"
            ),
        ]
        .into_iter()
        .collect()
    );
    // The email address the manifest declares is in the policy; tracking is off and unused.
    assert!(rows(
        &doc,
        &[
            "manifest-data-undisclosed",
            "manifest-tracking-contradiction"
        ]
    )
    .is_empty());
}

#[test]
fn sample_scan_matches_golden() {
    for (format, file) in [
        ("text", "required-reason-ipa.txt"),
        ("json", "required-reason-ipa.json"),
    ] {
        let first = sample_scan(format);
        assert_eq!(first, sample_scan(format), "{format} is not deterministic");
        check_golden(file, &first);
    }
}

fn check_golden(name: &str, actual: &str) {
    support::check_golden("tests/golden/scan", name, actual);
}

/// An iOS report holding only `manifests` (by path) and no binaries.
fn report_with_manifests(manifests: Value) -> InspectReport {
    serde_json::from_value(json!({
        "schema": "disclose.inspect/1",
        "app": {"platform": "ios", "id": null, "version": null, "file": "x.ipa", "sha256": ""},
        "permissions": [], "sdks": [], "data": [], "limits": [],
        "details": {
            "required_reason_apis": [],
            "privacy_manifests": manifests,
            "layout": {"app_dir": "Payload/X.app", "frameworks": [], "plugins": []}
        }
    }))
    .expect("report")
}

fn manifest_findings(app: &InspectReport, policy: &PolicyDeclarations) -> Vec<Finding> {
    let set = disclose::signatures::SignatureSet::builtin().expect("signatures");
    let ctx = CompareContext::new(app, policy, &set);
    let mut out = privacy_manifest::findings(&ctx);
    out.extend(privacy_manifest_policy::findings(&ctx));
    out
}

#[test]
fn real_xcprivacy_files_parse_and_declare_only_valid_reasons() {
    let Some(dir) = support::shared_file("corpus/xcprivacy") else {
        return;
    };
    let mut manifests = serde_json::Map::new();
    for entry in std::fs::read_dir(&dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "xcprivacy") {
            let bytes = std::fs::read(&path).expect("read");
            let m = parse_privacy_manifest(&bytes)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(
                m.warnings.is_empty(),
                "{}: {:?}",
                path.display(),
                m.warnings
            );
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            manifests.insert(
                format!("Payload/X.app/{}", name.unwrap_or_default()),
                serde_json::to_value(m).expect("json"),
            );
        }
    }
    assert!(manifests.len() >= 10, "{} manifests", manifests.len());
    let app = report_with_manifests(Value::Object(manifests));
    let findings: Vec<String> = manifest_findings(&app, &PolicyDeclarations::default())
        .into_iter()
        .filter(|f| f.kind != FindingKind::ManifestDataUndisclosed)
        .map(|f| f.message)
        .collect();
    assert_eq!(findings, Vec::<String>::new());
}

#[test]
fn a_bad_reason_and_an_unknown_category_are_flagged() {
    let app = report_with_manifests(json!({
        "Payload/X.app/PrivacyInfo.xcprivacy": {
            "tracking": false,
            "tracking_domains": ["t.example.com"],
            "accessed_api_types": [
                {"category": "NSPrivacyAccessedAPICategoryDiskSpace", "reasons": ["CA92.1"]},
                {"category": "NSPrivacyAccessedAPICategoryLocation", "reasons": ["CA92.1"]},
                {"category": "NSPrivacyAccessedAPICategoryUserDefaults", "reasons": ["CA92.1"]}
            ]
        }
    }));
    let kinds: Vec<(FindingKind, Option<String>)> =
        manifest_findings(&app, &PolicyDeclarations::default())
            .into_iter()
            .map(|f| (f.kind, f.permission))
            .collect();
    assert_eq!(
        kinds,
        [
            (
                FindingKind::InvalidRequiredReason,
                Some("NSPrivacyAccessedAPICategoryDiskSpace".to_string())
            ),
            (
                FindingKind::InvalidRequiredReason,
                Some("NSPrivacyAccessedAPICategoryLocation".to_string())
            ),
            (FindingKind::ManifestTrackingContradiction, None),
        ]
    );
}

#[test]
fn a_vendor_framework_on_apples_list_without_a_manifest_is_flagged() {
    let Some(framework) = support::corpus_npm(
        "cordova-plugin-facebook4",
        "package/src/ios/FBSDKCoreKit.framework",
    ) else {
        return;
    };
    let analyzer = Analyzer::builtin().expect("signatures");
    let app = analyzer.inspect(Path::new(&framework)).expect("inspect");
    let found = manifest_findings(&app, &PolicyDeclarations::default());
    let missing: Vec<&Finding> = found
        .iter()
        .filter(|f| f.kind == FindingKind::MissingSdkPrivacyManifest)
        .collect();
    assert_eq!(missing.len(), 1, "{found:#?}");
    assert_eq!(missing[0].permission.as_deref(), Some("FBSDKCoreKit"));
    assert_eq!(missing[0].sdk.as_deref(), Some("facebook-analytics"));
    // Without a manifest, every category its code uses is undeclared; FBSDKCoreKit 4.x keeps
    // settings in NSUserDefaults.
    assert!(found
        .iter()
        .any(|f| f.kind == FindingKind::UndeclaredRequiredReasonApi
            && f.permission.as_deref() == Some("NSPrivacyAccessedAPICategoryUserDefaults")));
}

#[test]
fn skeleton_lists_what_the_app_binaries_use_and_leaves_reasons_empty() {
    let analyzer = Analyzer::builtin().expect("signatures");
    let app = analyzer
        .inspect(&support::repo_file(SAMPLE))
        .expect("inspect");
    let xml = disclose::scan::ios_required_reason::required_reason_skeleton(&app, &analyzer.set);
    let parsed = parse_privacy_manifest(xml.as_bytes()).expect("the skeleton is a plist");
    let categories: Vec<&str> = parsed
        .accessed_api_types
        .iter()
        .map(|t| t.category.as_str())
        .collect();
    assert_eq!(
        categories,
        [
            "NSPrivacyAccessedAPICategoryFileTimestamp",
            "NSPrivacyAccessedAPICategorySystemBootTime",
            "NSPrivacyAccessedAPICategoryDiskSpace",
            "NSPrivacyAccessedAPICategoryActiveKeyboards",
            "NSPrivacyAccessedAPICategoryUserDefaults",
        ]
    );
    assert!(parsed
        .accessed_api_types
        .iter()
        .all(|t| t.reasons.is_empty()));
    assert!(xml.contains("+[RRUptime ticks]"), "{xml}");
    assert!(
        xml.contains("Reasons Apple accepts: 35F9.1, 8FFB.1, 3D61.1"),
        "{xml}"
    );
    assert!(
        xml.contains("FMDB.framework uses NSPrivacyAccessedAPICategoryFileTimestamp"),
        "{xml}"
    );
    assert!(xml.contains("a human must review it"), "{xml}");
}

/// `samples/ios/static-sdk/build.sh`: two listed SDKs linked statically into the main
/// executable (llvm-ar archives, ld64.lld), one shipped with its resource bundle's manifest.
const STATIC_SAMPLE: &str = "samples/ios/static-sdk.ipa";

#[test]
fn statically_linked_listed_sdk_without_its_bundle_is_flagged_with_its_classes() {
    let out = disclose(&[
        "scan",
        STATIC_SAMPLE,
        "--policy",
        SAMPLE_POLICY,
        "--format",
        "json",
    ]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    let main = "Payload/StaticSdk.app/StaticSdk";
    // AFNetworking ships no AFNetworking(_Privacy).bundle; SDWebImage's bundle has its
    // manifest, so it is not reported.
    assert_eq!(
        rows(&doc, &["missing-sdk-privacy-manifest"]),
        [row("missing-sdk-privacy-manifest", main, "AFNetworking")]
            .into_iter()
            .collect()
    );
    let f = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["kind"] == "missing-sdk-privacy-manifest")
        .expect("the finding");
    let classes: BTreeSet<&str> = f["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .filter_map(|e| e["location"].as_str())
        .collect();
    assert_eq!(
        classes,
        [
            "ObjC class AFHTTPSessionManager",
            "ObjC class AFURLSessionManager"
        ]
        .into_iter()
        .collect()
    );
    assert!(
        f["message"]
            .as_str()
            .unwrap_or("")
            .contains("linked statically"),
        "{f}"
    );
    // Nothing else about the manifests: the app's own code uses no required-reason API.
    assert!(rows(
        &doc,
        &[
            "undeclared-required-reason-api",
            "invalid-required-reason",
            "manifest-tracking-contradiction"
        ]
    )
    .is_empty());
}
