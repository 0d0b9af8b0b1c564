//! Google Play Data safety: `signatures/data-safety.toml` loads strictly, the CSV reader takes
//! the export format (BOM, CRLF, quoted fields) and rejects what is not one with a one-line
//! error, and `scan --data-safety` on the demo APK reports exactly the gaps planted in
//! `tests/fixtures/data-safety/demo-gaps.csv` (precise location not declared; installed apps
//! declared collected but not shared although JPush, Bugly and Umeng get them; Device or other
//! IDs, the advertising ID among them, not declared) and nothing for the complete form.
//!
//! The fixtures are written in Play Console's export layout (783 lines, 38 data types) for the
//! demo APK; `DISCLOSE_BLESS=1 cargo test --release --test data_safety` rewrites
//! `tests/golden/scan/demo-data-safety.*`.

mod support;
use support::disclose;

use disclose::compare::engine::compare_with_data_safety;
use disclose::compare::finding::{Finding, FindingKind};
use disclose::declared::{draft_data_safety, DataSafetyForm, UsageSource};
use disclose::model::{Evidence, Permission};
use disclose::signatures::SignatureSet;
use disclose::ErrorKind;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const DEMO_APP: &str = "samples/demo.apk";
const DEMO_POLICY: &str = "samples/demo-policy.zh.txt";

fn analyzer() -> &'static disclose::Analyzer {
    static A: OnceLock<disclose::Analyzer> = OnceLock::new();
    A.get_or_init(|| disclose::Analyzer::builtin().expect("built-in analyzer"))
}

fn set() -> &'static SignatureSet {
    &analyzer().set
}

fn fixture(name: &str) -> PathBuf {
    support::repo_file("tests/fixtures/data-safety").join(name)
}

fn form(name: &str) -> DataSafetyForm {
    DataSafetyForm::read(&fixture(name), &set().data_safety).expect("fixture form reads")
}

fn demo() -> &'static disclose::model::InspectReport {
    static R: OnceLock<disclose::model::InspectReport> = OnceLock::new();
    R.get_or_init(|| {
        analyzer()
            .inspect(&support::repo_file(DEMO_APP))
            .expect("demo APK inspects")
    })
}

fn demo_policy() -> &'static disclose::policy::PolicyDeclarations {
    static P: OnceLock<disclose::policy::PolicyDeclarations> = OnceLock::new();
    P.get_or_init(|| {
        disclose::pipeline::read_policy(analyzer(), &support::repo_file(DEMO_POLICY))
            .expect("demo policy reads")
            .0
    })
}

/// The Data safety findings of `app` against `form`.
fn data_safety_findings(
    app: &disclose::model::InspectReport,
    form: &DataSafetyForm,
) -> Vec<Finding> {
    compare_with_data_safety(app, demo_policy(), Some(form), set())
        .into_iter()
        .filter(|f| f.kind.code().starts_with("data-safety-"))
        .collect()
}

/// (kind, form rule) of each finding: the rule of the first evidence names the form row.
fn kinds_and_rows(findings: &[Finding]) -> BTreeSet<(String, String)> {
    findings
        .iter()
        .map(|f| {
            let row = f
                .evidence
                .first()
                .and_then(|e| e.rule.clone())
                .unwrap_or_default();
            (f.kind.code().to_string(), row)
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn spec_has_every_play_data_type_and_maps_the_taxonomy() {
    let spec = &set().data_safety;
    assert!(spec.is_loaded());
    assert_eq!(spec.data_types.len(), 38, "Play's form lists 38 data types");
    assert_eq!(spec.categories.len(), 14);
    assert_eq!(spec.purposes.len(), 7);
    let tax = &set().taxonomy;
    let of = |ty: &str| spec.play_type_of(ty, tax).map(|t| t.id.clone());
    assert_eq!(
        of("location.precise").as_deref(),
        Some("PSL_PRECISE_LOCATION")
    );
    assert_eq!(
        of("location.coarse").as_deref(),
        Some("PSL_APPROX_LOCATION")
    );
    assert_eq!(
        of("device.advertising_id").as_deref(),
        Some("PSL_DEVICE_ID")
    );
    assert_eq!(of("apps.running").as_deref(), Some("PSL_APPS_ON_DEVICE"));
    assert_eq!(of("contacts").as_deref(), Some("PSL_CONTACTS"));
    assert_eq!(
        of("clipboard"),
        None,
        "Play does not ask about the clipboard"
    );
    assert_eq!(of("network.state"), None);
    assert!(disclose::signatures::run_examples(set()).is_empty());
}

/// A signature directory with `data-safety.toml` replaced by `text` (the rest built in).
fn load_with(text: &str) -> Result<SignatureSet, disclose::signatures::SignatureError> {
    let dir =
        std::env::temp_dir().join(format!("disclose-ds-{}-{}", std::process::id(), text.len()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("data-safety.toml"), text).expect("write");
    let loaded = SignatureSet::from_dir(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    loaded
}

#[test]
fn spec_file_is_validated_strictly() {
    let real =
        std::fs::read_to_string(support::repo_file("signatures/data-safety.toml")).expect("read");
    assert!(load_with(&real).is_ok());
    // The real file with its first `from` replaced by `to`: the load error, as text.
    let error_after = |from: &str, to: &str, what: &str| {
        assert!(real.contains(from), "{from}");
        let e = load_with(&real.replacen(from, to, 1)).expect_err(what);
        e.to_string()
    };
    let e = error_after("checked = ", "chekced = \"x\"\nchecked = ", "unknown field");
    assert!(e.contains("data-safety.toml"), "{e}");
    let e = error_after(
        "taxonomy = [\"location.precise\"]",
        "taxonomy = [\"location.exact\"]",
        "unknown taxonomy id",
    );
    assert!(e.contains("unknown taxonomy id 'location.exact'"), "{e}");
    let e = error_after(
        "taxonomy = [\"photos\"]",
        "taxonomy = [\"photos\", \"contacts\"]",
        "a taxonomy id under two data types",
    );
    assert!(e.contains("mapped twice"), "{e}");
    let wrong_example = real.replacen(
        "examples.match = [\"PSL_DATA_TYPES_CONTACTS,PSL_CONTACTS\"]",
        "examples.match = [\"PSL_DATA_TYPES_CALENDAR,PSL_CONTACTS\"]",
        1,
    );
    assert_ne!(wrong_example, real);
    let set = load_with(&wrong_example).expect("examples run in `signatures test`, not at load");
    let failures = disclose::signatures::run_examples(&set);
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].to_string().contains("PSL_CONTACTS"));
}

#[test]
fn reads_the_export_format() {
    let gaps = form("demo-gaps.csv");
    assert_eq!(gaps.rows, 782);
    assert_eq!(
        gaps.collects_data.map(|a| (a.value, a.line)),
        Some((true, 2))
    );
    assert_eq!(gaps.encrypted_in_transit.map(|a| a.value), Some(true));
    assert_eq!(gaps.deletion_request.map(|a| a.value), Some(true));
    let selected: Vec<&str> = gaps
        .data_types
        .iter()
        .filter(|t| t.selected)
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(selected, ["PSL_APPROX_LOCATION", "PSL_APPS_ON_DEVICE"]);
    let apps = gaps.data_type("PSL_APPS_ON_DEVICE").expect("type");
    assert!(apps.collected && !apps.shared);
    assert_eq!(apps.required, Some(true));
    assert_eq!(apps.ephemeral, Some(false));
    assert_eq!(apps.collection_purposes, ["PSL_ANALYTICS"]);
    assert_eq!(apps.label, "App activity / Installed apps");
    let approx = gaps.data_type("PSL_APPROX_LOCATION").expect("type");
    assert_eq!(approx.required, Some(false));
    assert_eq!(approx.sharing_purposes, ["PSL_ANALYTICS"]);
    // The account and family questions are Play's and known (`[[other_question]]`), but not
    // ones the comparison reads: not unknown rows.
    assert!(gaps
        .unknown
        .iter()
        .all(|r| r.question != "PSL_SUPPORTED_ACCOUNT_CREATION_METHODS"));
    assert!(gaps
        .unknown
        .iter()
        .all(|r| !r.question.starts_with("PSL_DATA_USAGE_RESPONSES")));
}

#[test]
fn bom_lf_and_the_legacy_deletion_question_read_the_same() {
    let text = std::fs::read_to_string(fixture("demo-gaps.csv")).expect("read");
    let bom_lf = format!("\u{feff}{}", text.replace("\r\n", "\n")).replace(
        "PSL_SUPPORT_DATA_DELETION_BY_USER,DATA_DELETION_YES,true",
        "PSL_DATA_COLLECTION_USER_REQUEST_DELETE,,TRUE",
    );
    let parsed =
        DataSafetyForm::parse("x.csv", bom_lf.as_bytes(), &set().data_safety).expect("parses");
    let original = form("demo-gaps.csv");
    assert_eq!(parsed.data_types, original.data_types);
    assert_eq!(parsed.deletion_request.map(|a| a.value), Some(true));
}

fn parse_error(bytes: &[u8]) -> disclose::Error {
    DataSafetyForm::parse("form.csv", bytes, &set().data_safety).expect_err("must not parse")
}

#[test]
fn bad_input_is_one_line_naming_the_file() {
    let header = "Question ID (machine readable),Response ID (machine readable),Response value,Answer requirement,Human-friendly question label\r\n";
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (Vec::new(), "form.csv: empty: not a Data safety CSV"),
        (b"Name,Value\n".to_vec(), "form.csv: not a Play Console Data safety CSV: the header is 'Name,Value'"),
        (format!("{header}PSL_DATA_TYPES_PERSONAL,PSL_NAME,\"true\r\n").into_bytes(), "form.csv: line 2: a quoted field is never closed"),
        (format!("{header}PSL_DATA_TYPES_PERSONAL,PSL_NAME,yes,MULTIPLE_CHOICE,x\r\n").into_bytes(), "form.csv: line 2: PSL_DATA_TYPES_PERSONAL PSL_NAME: the response value 'yes' is not true or false"),
        (format!("{header},PSL_NAME,true\r\n").into_bytes(), "form.csv: line 2: no question id"),
        (vec![0xff, 0xfe, b'a'], "form.csv: not UTF-8 text (byte 0)"),
    ];
    for (bytes, want) in cases {
        let e = parse_error(&bytes);
        let message = e.to_string();
        assert!(
            message.starts_with(want),
            "{message:?} does not start with {want:?}"
        );
        assert!(!message.contains('\n'));
        assert_eq!(e.kind(), ErrorKind::Malformed, "{message}");
    }
    let big = vec![b'a'; disclose::declared::MAX_DATA_SAFETY_BYTES as usize + 1];
    assert_eq!(parse_error(&big).kind(), ErrorKind::LimitExceeded);
}

#[test]
fn demo_gaps_are_reported_and_nothing_else() {
    let findings = data_safety_findings(demo(), &form("demo-gaps.csv"));
    assert_eq!(
        kinds_and_rows(&findings),
        pairs(&[
            (
                "data-safety-undeclared-collection",
                "PSL_DATA_TYPES_LOCATION,PSL_PRECISE_LOCATION"
            ),
            (
                "data-safety-undeclared-sharing",
                "PSL_DATA_TYPES_APP_ACTIVITY,PSL_APPS_ON_DEVICE"
            ),
            (
                "data-safety-advertising-id",
                "PSL_DATA_TYPES_IDENTIFIERS,PSL_DEVICE_ID"
            ),
        ]),
        "{findings:#?}"
    );
    for f in &findings {
        let row = &f.evidence[0];
        assert!(row.file.ends_with("demo-gaps.csv"), "{row:?}");
        assert!(
            row.location
                .as_deref()
                .is_some_and(|l| l.starts_with("line ")),
            "{row:?}"
        );
        assert!(
            f.evidence.len() > 1,
            "{}: code evidence follows the form row",
            f.kind
        );
        assert!(f.fix.is_some(), "{}: no fix", f.kind);
    }
    let sharing = findings
        .iter()
        .find(|f| f.kind == FindingKind::DataSafetyUndeclaredSharing)
        .expect("sharing finding");
    for sdk in ["JPush", "Bugly", "Umeng"] {
        assert!(sharing.message.contains(sdk), "{}", sharing.message);
    }
    let location = findings
        .iter()
        .find(|f| f.kind == FindingKind::DataSafetyUndeclaredCollection)
        .expect("collection finding");
    assert_eq!(location.data.as_deref(), Some("location.precise"));
    assert_eq!(location.sdk.as_deref(), Some("amap-location"));
}

#[test]
fn a_complete_form_gives_no_data_safety_finding() {
    let findings = data_safety_findings(demo(), &form("demo-complete.csv"));
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn no_data_claim_is_one_finding() {
    let findings = data_safety_findings(demo(), &form("demo-no-data.csv"));
    assert_eq!(
        kinds_and_rows(&findings),
        pairs(&[(
            "data-safety-no-data-claim",
            "PSL_DATA_COLLECTION_COLLECTS_PERSONAL_DATA"
        )])
    );
    assert_eq!(findings[0].severity, disclose::Severity::Critical);
}

#[test]
fn the_ad_id_permission_alone_needs_device_ids() {
    // The demo's own code and SDKs without vendor documents: only the manifest's AD_ID
    // permission calls for Device or other IDs.
    let mut app = demo().clone();
    app.data.clear();
    app.sdks.clear();
    app.permissions.push(Permission {
        name: "com.google.android.gms.permission.AD_ID".into(),
        protection: Some("normal".into()),
        data: vec!["device.advertising_id".into()],
        text: None,
        max_sdk: None,
        evidence: vec![Evidence {
            file: "AndroidManifest.xml".into(),
            location: Some("uses-permission".into()),
            rule: None,
            detail: None,
        }],
    });
    let findings = data_safety_findings(&app, &form("demo-gaps.csv"));
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].kind, FindingKind::DataSafetyAdvertisingId);
    assert_eq!(
        findings[0].permission.as_deref(),
        Some("com.google.android.gms.permission.AD_ID")
    );
    assert_eq!(findings[0].evidence[1].file, "AndroidManifest.xml");
    // Declared: nothing to report.
    assert!(data_safety_findings(&app, &form("demo-complete.csv")).is_empty());
}

#[test]
fn the_draft_reads_back_and_satisfies_the_check() {
    let draft = draft_data_safety(demo(), set());
    assert!(draft
        .csv
        .starts_with("Question ID (machine readable),Response ID (machine readable),"));
    assert!(draft.csv.ends_with("\r\n"));
    let back = DataSafetyForm::parse("draft.csv", draft.csv.as_bytes(), &set().data_safety)
        .expect("draft parses");
    assert!(back.unknown.is_empty(), "{:?}", back.unknown);
    let selected: Vec<&str> = back
        .data_types
        .iter()
        .filter(|t| t.selected)
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(
        selected,
        [
            "PSL_APPROX_LOCATION",
            "PSL_PRECISE_LOCATION",
            "PSL_APPS_ON_DEVICE",
            "PSL_DEVICE_ID"
        ]
    );
    assert!(data_safety_findings(demo(), &back).is_empty());
    // Every answered row is marked; the Umeng-documented rows say "vendor document".
    let lines: Vec<&str> = draft.csv.split("\r\n").collect();
    for mark in &draft.marks {
        let line = lines[mark.line - 1];
        assert!(
            line.starts_with(&format!("{},{},true,", mark.question, mark.response)),
            "{line}"
        );
    }
    let approx = draft
        .marks
        .iter()
        .find(|m| m.response == "PSL_APPROX_LOCATION")
        .expect("approximate location is marked");
    assert_eq!(approx.sources, [UsageSource::VendorDocument]);
    assert_eq!(approx.by, ["umeng-common"]);
    assert_eq!(
        disclose::declared::draft_data_safety_csv(demo(), set()),
        draft.csv
    );
}

fn check_golden(name: &str, actual: &str) {
    support::check_golden("tests/golden/scan", name, actual);
}

#[test]
fn demo_scan_with_the_gaps_form_matches_golden() {
    let form = "tests/fixtures/data-safety/demo-gaps.csv";
    for (format, file) in [
        ("text", "demo-data-safety.txt"),
        ("json", "demo-data-safety.json"),
    ] {
        let out = disclose(&[
            "scan",
            DEMO_APP,
            "--policy",
            DEMO_POLICY,
            "--data-safety",
            form,
            "--format",
            format,
            "--verbose",
        ]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("utf-8");
        for code in [
            "data-safety-undeclared-collection",
            "data-safety-undeclared-sharing",
            "data-safety-advertising-id",
        ] {
            assert!(text.contains(code), "{format}: {code} missing");
        }
        check_golden(file, &text);
    }
}

#[test]
fn cli_errors_exit_2_naming_the_file() {
    let dir = std::env::temp_dir().join(format!("disclose-ds-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "hello,world\n").expect("write");
    let bad_path = bad.display().to_string();
    let out = disclose(&[
        "scan",
        DEMO_APP,
        "--policy",
        DEMO_POLICY,
        "--data-safety",
        &bad_path,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&bad_path) && stderr.contains("not a Play Console Data safety CSV"),
        "{stderr}"
    );
    let missing = Path::new(&dir).join("missing.csv").display().to_string();
    let out = disclose(&[
        "scan",
        DEMO_APP,
        "--policy",
        DEMO_POLICY,
        "--data-safety",
        &missing,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
