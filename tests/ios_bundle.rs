//! iOS bundle, Info.plist, privacy manifest and provisioning profile readers against golden files
//! made by tools we did not write (python3 zipfile/plistlib, `openssl cms`; see
//! tests/golden/ios/generate.py), on the demo IPA, real IPAs, real privacy manifests and real
//! vendor frameworks; plus hostile input.

mod support;

use std::io::Read;
use std::path::{Path, PathBuf};

use disclose::ios::bundle::{
    read_ios_bundle, BundleError, BundleSource, CodeKind, DirectorySource, ExecutableRole,
    IosBundle, MemorySource,
};
use disclose::ios::plist::{parse_info_plist, InfoPlist, PlistError};
use disclose::ios::provision::{parse_provision, ProvisioningProfile};
use disclose::ios::xcprivacy::{parse_privacy_manifest, PrivacyManifest};
use serde_json::{json, Value};

/// A file of the read-only shared folder: `$DISCLOSE_SHARED/rel` when that variable is set (for
/// worktrees that do not sit beside it), else `support::shared_file`.
fn shared(rel: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DISCLOSE_SHARED") {
        let path = Path::new(&dir).join(rel);
        if path.exists() {
            return Some(path);
        }
    }
    support::shared_file(rel)
}

fn golden(rel: &str) -> Value {
    let path = support::repo_file(&format!("tests/golden/ios/{rel}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn le16(b: &[u8], at: usize) -> usize {
    u16::from_le_bytes([b[at], b[at + 1]]) as usize
}

fn le32(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize
}

/// A minimal zip reader for the tests (stored and deflated entries, central directory only),
/// so that this test does not depend on the archive layer.
fn unzip(path: &Path) -> MemorySource {
    let zip = std::fs::read(path).unwrap();
    let eocd = (0..zip.len() - 21)
        .rev()
        .find(|&i| zip[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
        .expect("end of central directory");
    let count = le16(&zip, eocd + 10);
    let mut at = le32(&zip, eocd + 16);
    let mut source = MemorySource::new();
    for _ in 0..count {
        assert_eq!(zip[at..at + 4], [0x50, 0x4b, 0x01, 0x02]);
        let method = le16(&zip, at + 10);
        let compressed = le32(&zip, at + 20);
        let size = le32(&zip, at + 24);
        let name_len = le16(&zip, at + 28);
        let skip = name_len + le16(&zip, at + 30) + le16(&zip, at + 32);
        let local = le32(&zip, at + 42);
        let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).unwrap();
        at += 46 + skip;
        let data_at = local + 30 + le16(&zip, local + 26) + le16(&zip, local + 28);
        let raw = &zip[data_at..data_at + compressed];
        let bytes = match method {
            0 => raw.to_vec(),
            8 => {
                let mut out = Vec::with_capacity(size);
                flate2::read::DeflateDecoder::new(raw)
                    .read_to_end(&mut out)
                    .unwrap();
                out
            }
            other => panic!("{name}: compression method {other}"),
        };
        if !name.ends_with('/') {
            source.insert(name, bytes);
        }
    }
    source
}

/// The Info.plist fields in the shape generate.py writes.
fn info_summary(info: &InfoPlist) -> Value {
    let mut usage: Vec<(String, String)> = info
        .usage_descriptions
        .iter()
        .map(|u| (u.key.clone(), u.text.clone()))
        .collect();
    usage.sort();
    let mut domains: Vec<&str> = info
        .ats
        .exception_domains
        .iter()
        .map(|d| d.domain.as_str())
        .collect();
    domains.sort();
    json!({
        "bundle_id": info.bundle_id,
        "executable": info.executable,
        "name": info.name,
        "display_name": info.display_name,
        "short_version": info.short_version,
        "version": info.version,
        "minimum_os": info.minimum_os,
        "usage_keys": usage,
        "queries_schemes": info.queries_schemes,
        "url_schemes": info.url_schemes,
        "background_modes": info.background_modes,
        "ats_allows_arbitrary_loads": info.ats.allows_arbitrary_loads,
        "ats_exception_domains": domains,
    })
}

fn manifest_summary(m: &PrivacyManifest) -> Value {
    json!({
        "tracking": m.tracking,
        "tracking_domains": m.tracking_domains,
        "collected_data_types": m.collected_data_types.iter().map(|c| json!({
            "data_type": c.data_type,
            "linked": c.linked,
            "tracking": c.tracking,
            "purposes": c.purposes,
        })).collect::<Vec<_>>(),
        "accessed_api_types": m.accessed_api_types.iter().map(|a| json!({
            "category": a.category,
            "reasons": a.reasons,
        })).collect::<Vec<_>>(),
    })
}

fn provision_summary(p: &ProvisioningProfile) -> Value {
    let e = &p.entitlements;
    json!({
        "name": p.name,
        "app_id_name": p.app_id_name,
        "uuid": p.uuid,
        "team_ids": p.team_ids,
        "team_name": p.team_name,
        "app_id_prefixes": p.app_id_prefixes,
        "creation_date": p.creation_date,
        "expiration_date": p.expiration_date,
        "provisions_all_devices": p.provisions_all_devices,
        "provisioned_devices": p.provisioned_devices,
        "application_identifier": e.application_identifier,
        "aps_environment": e.aps_environment,
        "get_task_allow": e.get_task_allow,
        "keychain_access_groups": e.keychain_access_groups,
        "entitlement_keys": e.keys,
        "developer_certificates": p.developer_certificates,
    })
}

fn layout_summary(bundle: &IosBundle) -> Value {
    let l = &bundle.layout;
    json!({
        "app_dir": l.app_dir,
        "info_plist": l.info_plist,
        "main_executable": l.main_executable,
        "framework_executables": l.frameworks.iter().map(|f| f.executable.clone()).collect::<Vec<_>>(),
        "privacy_manifests": l.privacy_manifests,
        "provision": l.provision,
        "code_signature": l.code_signature,
    })
}

/// Fat (universal), thin 32- or 64-bit little-endian Mach-O, or a static archive.
fn is_macho_or_archive(bytes: &[u8]) -> bool {
    [
        &[0xca, 0xfe, 0xba, 0xbe][..],
        &[0xce, 0xfa, 0xed, 0xfe],
        &[0xcf, 0xfa, 0xed, 0xfe],
        b"!<ar",
    ]
    .iter()
    .any(|magic| bytes.starts_with(magic))
}

/// Every check of one IPA against the golden files named `name`.
fn check_ipa(name: &str, ipa: &Path) -> (MemorySource, IosBundle) {
    let source = unzip(ipa);
    let bundle = read_ios_bundle(&source).unwrap();
    assert!(bundle.problems.is_empty(), "{name}: {:?}", bundle.problems);
    assert_eq!(
        layout_summary(&bundle),
        golden(&format!("layout/{name}.json")),
        "{name} layout"
    );
    let info = bundle.app_info.as_ref().unwrap();
    assert!(info.warnings.is_empty(), "{name}: {:?}", info.warnings);
    assert_eq!(
        info_summary(info),
        golden(&format!("info/{name}.json")),
        "{name} Info.plist"
    );
    for framework in &bundle.layout.frameworks {
        let plist = framework.info_plist.as_ref().unwrap();
        let fw_name = framework.path.rsplit('/').next().unwrap();
        assert_eq!(
            info_summary(&bundle.bundle_infos[plist]),
            golden(&format!("info/{name}--{fw_name}.json")),
            "{plist}"
        );
    }
    let app_dir = bundle.layout.app_dir.clone().unwrap();
    for (path, manifest) in &bundle.privacy_manifests {
        let label = path[app_dir.len() + 1..].replace('/', "--");
        assert_eq!(
            manifest_summary(manifest),
            golden(&format!("xcprivacy/{name}--{label}.json")),
            "{path}"
        );
    }
    if let Some(profile) = &bundle.provision {
        assert_eq!(
            provision_summary(profile),
            golden(&format!("provision/{name}.json")),
            "{name} provisioning profile"
        );
    }
    (source, bundle)
}

#[test]
fn demo_ipa_matches_plistlib_and_its_sources() {
    let (source, bundle) = check_ipa("demo", &support::repo_file("samples/demo.ipa"));
    let info = bundle.app_info.as_ref().unwrap();
    assert_eq!(info.bundle_id.as_deref(), Some("com.example.disclosedemo"));
    assert!(info.ats.exception_domains[0].allows_insecure_http_loads);
    assert_eq!(bundle.privacy_manifests.len(), 2);
    assert!(bundle.provision.is_none());
    assert!(!bundle.layout.has_sc_info);
    // Main binary and framework binary are both fat (arm64 + x86_64): FAT_MAGIC, 2 slices.
    let roles: Vec<_> = bundle.executables.iter().map(|e| e.role).collect();
    assert_eq!(
        roles,
        [
            ExecutableRole::Main,
            ExecutableRole::Embedded(CodeKind::Framework)
        ]
    );
    for exe in &bundle.executables {
        let bytes = exe.load(&source).unwrap();
        assert_eq!(
            bytes[..8],
            [0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2],
            "{}",
            exe.path
        );
    }
}

#[test]
fn real_ipas_match_plistlib_and_openssl() {
    for name in ["mobsf-helloworld", "weibo-sdk-demo-2013"] {
        let Some(ipa) = shared(&format!("corpus/apps/{name}.ipa")) else {
            return;
        };
        let (source, bundle) = check_ipa(name, &ipa);
        assert!(bundle.provision.is_some(), "{name}");
        let main = bundle.executables[0].load(&source).unwrap();
        assert!(is_macho_or_archive(&main), "{name}: {:02x?}", &main[..4]);
    }
}

#[test]
fn real_privacy_manifests_match_plistlib() {
    let Some(dir) = shared("corpus/xcprivacy") else {
        return;
    };
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let manifest = parse_privacy_manifest(&std::fs::read(&path).unwrap()).unwrap();
        assert!(
            manifest.warnings.is_empty(),
            "{stem}: {:?}",
            manifest.warnings
        );
        assert_eq!(
            manifest_summary(&manifest),
            golden(&format!("xcprivacy/{stem}.json")),
            "{stem}"
        );
        seen += 1;
    }
    assert_eq!(seen, 12);
}

#[test]
fn vendor_frameworks_from_npm_are_located() {
    let expected = golden("layout/npm-frameworks.json");
    for (key, want) in expected.as_object().unwrap() {
        let (package, inner) = key.split_once('/').unwrap();
        let Some(dir) = support::corpus_npm(package, inner) else {
            return;
        };
        let source = DirectorySource::open(&dir).unwrap();
        let bundle = read_ios_bundle(&source).unwrap();
        assert!(bundle.layout.app_dir.is_none());
        let framework = &bundle.layout.frameworks[0];
        assert_eq!(bundle.layout.frameworks.len(), 1, "{key}");
        assert_eq!(framework.kind, CodeKind::Framework);
        let got = json!({
            "path": framework.path,
            "info_plist": framework.info_plist,
            "executable": framework.executable,
            "bundle_id": framework.info_plist.as_ref().and_then(|p| bundle.bundle_infos[p].bundle_id.clone()),
        });
        assert_eq!(&got, want, "{key}");
        let binary = bundle.executables[0].load(&source).unwrap();
        assert!(is_macho_or_archive(&binary), "{key}: {:02x?}", &binary[..4]);
    }
}

#[test]
fn directory_source_refuses_paths_outside_its_listing() {
    let dir = tempfile::tempdir().unwrap();
    let framework = dir.path().join("X.framework");
    std::fs::create_dir(&framework).unwrap();
    std::fs::write(framework.join("X"), b"\xcf\xfa\xed\xfe").unwrap();
    std::fs::write(dir.path().join("secret"), b"s").unwrap();
    let source = DirectorySource::open(&framework).unwrap();
    assert_eq!(source.paths(), ["X.framework/X"]);
    assert!(matches!(
        source.read("X.framework/../secret", 10),
        Err(BundleError::Missing { .. })
    ));
    assert_eq!(
        source.read("X.framework/X", 2).unwrap_err().to_string(),
        "X.framework/X: 4 bytes, over the 2-byte limit"
    );
}

/// A binary Info.plist written by python's plistlib (the demo's) cut at every length: always an
/// error, never a panic.
#[test]
fn truncated_binary_plist_is_an_error() {
    let source = unzip(&support::repo_file("samples/demo.ipa"));
    let bytes = source
        .read("Payload/DiscloseDemo.app/Info.plist", 1 << 20)
        .unwrap();
    assert!(bytes.starts_with(b"bplist00"));
    assert!(parse_info_plist(&bytes).is_ok());
    for len in 0..bytes.len() {
        let err = parse_info_plist(&bytes[..len]).unwrap_err();
        assert!(!err.to_string().contains('\n'), "{err}");
    }
}

#[test]
fn malformed_xml_plist_names_the_problem_on_one_line() {
    for bad in [
        &b"<?xml version=\"1.0\"?>\n<plist version=\"1.0\">\n<dict>\n<key>a</key>\n"[..],
        b"<plist><dict><key>a</key><string>x</dict></plist>",
        b"<plist><dict><string>not a key</string></dict></plist>",
        b"",
    ] {
        let err = parse_info_plist(bad).unwrap_err();
        assert!(matches!(err, PlistError::Malformed(_)), "{err:?}");
        assert!(!err.to_string().contains('\n'), "{err}");
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..2000 {
        let len = (next() % 512) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        // Give a third of them a real magic so the parsers get past the first check.
        let magic: &[u8] = match round % 3 {
            0 => b"bplist00",
            1 => b"<?xml version=\"1.0\"?><plist>",
            _ => b"",
        };
        bytes.splice(0..0, magic.iter().copied());
        let _ = parse_info_plist(&bytes);
        let _ = parse_privacy_manifest(&bytes);
        let _ = parse_provision(&bytes);
        let mut source = MemorySource::new();
        source.insert("Payload/R.app/Info.plist", bytes.clone());
        source.insert("Payload/R.app/PrivacyInfo.xcprivacy", bytes.clone());
        source.insert("Payload/R.app/embedded.mobileprovision", bytes);
        if let Err(e) = read_ios_bundle(&source) {
            assert!(
                e.to_string().starts_with("Payload/R.app/Info.plist: "),
                "{e}"
            );
        }
    }
}
