//! The binary manifest reader against real APKs and against tools we did not write: the
//! uses-permission set, package and versions must equal what `aapt dump permissions` /
//! `aapt dump badging` report (golden files under `tests/golden/manifest/`), and component and
//! meta-data names what `aapt dump xmltree` shows. Hostile inputs must be errors, not panics.

mod support;
#[path = "fixtures/manifest/zip_entries.rs"]
mod zip_entries;

use std::collections::BTreeSet;
use std::path::PathBuf;

use disclose::android::axml::{AxmlError, Value, XmlDocument};
use disclose::android::manifest::{qualify, AndroidManifest, ComponentKind};

/// Where an app lives.
#[derive(Clone, Copy)]
enum Source {
    /// The corpus fetched by scripts/fetch-corpus.sh.
    Corpus,
    /// The developer-only ../shared folder.
    Shared,
    /// Checked in under samples/.
    Repo,
}

const APPS: &[(&str, Source)] = &[
    ("Yosemite", Source::Corpus),
    ("appium-uiautomator2-server-v10.6.6", Source::Corpus),
    (
        "appium-uiautomator2-server-debug-androidTest",
        Source::Corpus,
    ),
    ("settings_apk-debug", Source::Corpus),
    ("ApiDemos-debug", Source::Corpus),
    ("app-uiautomator", Source::Corpus),
    ("weibo-sdk-demo-3.1.4", Source::Shared),
    ("weibo-app-signatures", Source::Shared),
    ("mobsf-diva", Source::Shared),
    ("demo", Source::Repo),
];

fn app_path(app: &str, source: Source) -> Option<PathBuf> {
    match source {
        Source::Corpus => support::corpus_app(&format!("{app}.apk")),
        Source::Shared => support::shared_file(&format!("corpus/apps/{app}.apk")),
        Source::Repo => Some(support::repo_file(&format!("samples/{app}.apk"))),
    }
}

fn manifest_bytes(apk: &std::path::Path) -> Vec<u8> {
    let zip = std::fs::read(apk).expect("read apk");
    zip_entries::entry(&zip, "AndroidManifest.xml").expect("AndroidManifest.xml in apk")
}

fn golden(name: &str) -> String {
    std::fs::read_to_string(support::repo_file(&format!("tests/golden/manifest/{name}")))
        .expect("golden file")
}

/// The value of `key='…'` in an aapt line.
fn quoted<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let start = line.find(&format!("{key}='"))? + key.len() + 2;
    let len = line[start..].find('\'')?;
    Some(&line[start..start + len])
}

#[test]
fn uses_permissions_and_package_equal_aapt_dump_permissions() {
    let mut checked = 0;
    for &(app, source) in APPS {
        let Some(apk) = app_path(app, source) else {
            continue;
        };
        let m = AndroidManifest::parse(&manifest_bytes(&apk)).expect(app);
        let text = golden(&format!("{app}.aapt-permissions.txt"));
        let mut names = BTreeSet::new();
        let mut max_sdk = BTreeSet::new();
        let mut declared = BTreeSet::new();
        for line in text.lines() {
            if let Some(package) = line.strip_prefix("package: ") {
                assert_eq!(m.package, package, "{app}: package");
            } else if let Some(rest) = line.strip_prefix("permission: ") {
                declared.insert(rest.to_string());
            } else if line.starts_with("uses-permission") {
                let name = quoted(line, "name").expect("name").to_string();
                if let Some(max) = quoted(line, "maxSdkVersion") {
                    max_sdk.insert((name.clone(), max.parse::<u32>().expect("max")));
                }
                names.insert(name);
            }
        }
        let ours: BTreeSet<String> = m.uses_permissions.iter().map(|p| p.name.clone()).collect();
        assert_eq!(ours, names, "{app}: uses-permission set");
        let ours_max: BTreeSet<(String, u32)> = m
            .uses_permissions
            .iter()
            .filter_map(|p| p.max_sdk.map(|n| (p.name.clone(), n)))
            .collect();
        assert_eq!(ours_max, max_sdk, "{app}: maxSdkVersion");
        let ours_declared: BTreeSet<String> =
            m.permissions.iter().map(|p| p.name.clone()).collect();
        assert_eq!(ours_declared, declared, "{app}: declared permissions");
        checked += 1;
    }
    eprintln!("checked {checked} apps against aapt dump permissions");
}

#[test]
fn yosemite_counts_duplicate_uses_permissions() {
    let Some(apk) = support::corpus_app("Yosemite.apk") else {
        return;
    };
    let m = AndroidManifest::parse(&manifest_bytes(&apk)).expect("Yosemite");
    // 38 uses-permission elements, 36 distinct names (WRITE_EXTERNAL_STORAGE three times).
    let total: u32 = m.uses_permissions.iter().map(|p| p.occurrences).sum();
    assert_eq!((m.uses_permissions.len(), total), (36, 38));
    let wes = m
        .uses_permissions
        .iter()
        .find(|p| p.name == "android.permission.WRITE_EXTERNAL_STORAGE")
        .expect("WRITE_EXTERNAL_STORAGE");
    assert_eq!(wes.occurrences, 3);
}

#[test]
fn versions_and_sdk_levels_equal_aapt_dump_badging() {
    for &(app, source) in APPS {
        let Some(apk) = app_path(app, source) else {
            continue;
        };
        let m = AndroidManifest::parse(&manifest_bytes(&apk)).expect(app);
        let text = golden(&format!("{app}.aapt-badging.txt"));
        let mut sdk = None;
        let mut target = None;
        for line in text.lines() {
            if line.starts_with("package: ") {
                assert_eq!(Some(m.package.as_str()), quoted(line, "name"), "{app}");
                let code = m.version_code.map(|c| c.to_string()).unwrap_or_default();
                assert_eq!(Some(code.as_str()), quoted(line, "versionCode"), "{app}");
                let name = m.version_name.clone().unwrap_or_default();
                assert_eq!(Some(name.as_str()), quoted(line, "versionName"), "{app}");
            } else if let Some(v) = line.strip_prefix("sdkVersion:") {
                sdk = Some(v.trim_matches('\'').parse::<u32>().expect("sdk"));
            } else if let Some(v) = line.strip_prefix("targetSdkVersion:") {
                target = Some(v.trim_matches('\'').parse::<u32>().expect("target"));
            }
        }
        assert_eq!(m.min_sdk, sdk, "{app}: sdkVersion");
        assert_eq!(m.target_sdk, target, "{app}: targetSdkVersion");
    }
}

/// Component (kind, qualified name) and meta-data names from an `aapt dump xmltree` listing.
fn xmltree_names(text: &str, package: &str) -> (BTreeSet<(String, String)>, BTreeSet<String>) {
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut components = BTreeSet::new();
    let mut meta = BTreeSet::new();
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();
        if let Some(rest) = body.strip_prefix("E: ") {
            let name = rest.split(' ').next().unwrap_or_default().to_string();
            while stack.last().is_some_and(|(i, _)| *i >= indent) {
                stack.pop();
            }
            stack.push((indent, name));
        } else if let Some(rest) = body.strip_prefix("A: android:name(0x01010003)=\"") {
            let value = &rest[..rest.find('"').expect("closing quote")];
            let depth = stack.len();
            let element = stack.last().map(|(_, n)| n.as_str()).unwrap_or_default();
            let parent = if depth >= 2 {
                stack[depth - 2].1.as_str()
            } else {
                ""
            };
            match (element, parent) {
                (
                    "activity" | "activity-alias" | "service" | "receiver" | "provider",
                    "application",
                ) => {
                    components.insert((element.to_string(), qualify(package, value)));
                }
                ("meta-data", _) => {
                    meta.insert(value.to_string());
                }
                _ => {}
            }
        }
    }
    (components, meta)
}

#[test]
fn components_and_meta_data_equal_aapt_dump_xmltree() {
    for (app, source) in [
        ("Yosemite", Source::Corpus),
        ("settings_apk-debug", Source::Corpus),
        ("weibo-sdk-demo-3.1.4", Source::Shared),
        ("demo", Source::Repo),
    ] {
        let Some(apk) = app_path(app, source) else {
            continue;
        };
        let m = AndroidManifest::parse(&manifest_bytes(&apk)).expect(app);
        let (components, meta) =
            xmltree_names(&golden(&format!("{app}.aapt-xmltree.txt")), &m.package);
        assert!(!components.is_empty(), "{app}: golden lists components");
        let ours: BTreeSet<(String, String)> = m
            .components
            .iter()
            .map(|c| (c.kind.element().to_string(), c.name.clone()))
            .collect();
        assert_eq!(ours, components, "{app}: components");
        let ours_meta: BTreeSet<String> = m.meta_data.iter().map(|d| d.name.clone()).collect();
        assert_eq!(ours_meta, meta, "{app}: meta-data");
    }
}

#[test]
fn yosemite_components_carry_intent_actions() {
    let Some(apk) = support::corpus_app("Yosemite.apk") else {
        return;
    };
    let m = AndroidManifest::parse(&manifest_bytes(&apk)).expect("Yosemite");
    let launcher = m
        .components
        .iter()
        .find(|c| {
            c.categories
                .iter()
                .any(|k| k == "android.intent.category.LAUNCHER")
        })
        .expect("a launcher activity");
    assert!(matches!(
        launcher.kind,
        ComponentKind::Activity | ComponentKind::ActivityAlias
    ));
    assert!(launcher
        .actions
        .iter()
        .any(|a| a == "android.intent.action.MAIN"));
    let json = serde_json::to_value(&m).expect("serialize");
    assert_eq!(json["package"], "com.netease.nie.yosemite");
}

#[test]
fn demo_apk_manifest_reads_as_its_source_says() {
    let apk = support::repo_file("samples/demo.apk");
    let m = AndroidManifest::parse(&manifest_bytes(&apk)).expect("demo");
    assert_eq!(m.package, "com.example.disclosedemo");
    assert_eq!(
        (m.version_code, m.version_name.as_deref()),
        (Some(3), Some("1.2.0"))
    );
    assert_eq!((m.min_sdk, m.target_sdk), (Some(21), Some(29)));
    let phone = m
        .uses_permissions
        .iter()
        .find(|p| p.name == "android.permission.READ_PHONE_STATE")
        .expect("READ_PHONE_STATE");
    assert_eq!(phone.occurrences, 2);
    let background = m
        .uses_permissions
        .iter()
        .find(|p| p.name == "android.permission.ACCESS_BACKGROUND_LOCATION")
        .expect("sdk-23 permission");
    assert!(background.sdk23);
    let storage = m
        .uses_permissions
        .iter()
        .find(|p| p.name == "android.permission.WRITE_EXTERNAL_STORAGE")
        .expect("storage");
    assert_eq!(storage.max_sdk, Some(28));
    assert_eq!(m.permissions[0].protection_level.as_deref(), Some("0x2"));
    assert_eq!(
        m.application.name.as_deref(),
        Some("com.example.disclosedemo.DemoApplication")
    );
    assert_eq!(m.application.allow_backup, Some(true));
    assert_eq!(m.application.uses_cleartext_traffic, Some(true));
    let push = m
        .components
        .iter()
        .find(|c| c.name == "cn.jpush.android.service.PushService")
        .expect("PushService");
    assert_eq!(
        (push.kind, push.exported),
        (ComponentKind::Service, Some(false))
    );
    assert!(push
        .actions
        .iter()
        .any(|a| a == "cn.jpush.android.intent.REGISTER"));
    let provider = m
        .components
        .iter()
        .find(|c| c.kind == ComponentKind::Provider)
        .expect("provider");
    assert_eq!(
        provider.authorities,
        ["com.example.disclosedemo.DataProvider"]
    );
    let meta: Vec<(&str, Option<&str>, &str)> = m
        .meta_data
        .iter()
        .map(|d| (d.name.as_str(), d.value.as_deref(), d.owner.as_str()))
        .collect();
    assert!(meta.contains(&(
        "UMENG_APPKEY",
        Some("5f8d3c2a1b9e4d0001a2b3c4"),
        "application"
    )));
    assert!(meta.contains(&(
        "JPUSH_APPKEY",
        Some("0a1b2c3d4e5f60718293a4b5"),
        "application"
    )));
    assert!(meta.iter().any(|(n, _, _)| *n == "com.amap.api.v2.apikey"));
    assert_eq!(
        m.queries.packages,
        ["com.tencent.mm", "com.eg.android.AlipayGphone"]
    );
    assert_eq!(m.queries.intent_actions, ["android.intent.action.SEND"]);
    assert_eq!(m.queries.providers, ["com.example.partner.provider"]);
    assert_eq!(m.uses_features.len(), 2);
    assert!(!m.uses_features[0].required);
    assert_eq!(m.uses_libraries[0].name, "org.apache.http.legacy");
    assert!(!m.uses_libraries[0].required);
}

// ----- hostile input -----------------------------------------------------------------------

fn real_manifest() -> Option<Vec<u8>> {
    support::corpus_app("ApiDemos-debug.apk").map(|apk| manifest_bytes(&apk))
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

#[test]
fn lying_string_pool_count_is_an_error() {
    let Some(mut bytes) = real_manifest() else {
        return;
    };
    // The string pool is the first chunk after the 8-byte document header.
    assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 0x0001);
    bytes[16..20].copy_from_slice(&0x4000_0000u32.to_le_bytes());
    let err = AndroidManifest::parse(&bytes).expect_err("lying count");
    assert!(err.to_string().contains("lying string pool"), "{err}");
}

#[test]
fn string_offset_past_the_pool_is_an_error() {
    let Some(mut bytes) = real_manifest() else {
        return;
    };
    // First string offset (right after the 28-byte pool header) pointed far away.
    bytes[8 + 28..8 + 32].copy_from_slice(&0x00ff_fff0u32.to_le_bytes());
    let err = AndroidManifest::parse(&bytes).expect_err("bad offset");
    assert!(
        matches!(
            err,
            disclose::android::manifest::ManifestError::Axml(AxmlError::BadString { index: 0, .. })
        ),
        "{err}"
    );
}

#[test]
fn out_of_range_element_name_is_an_error() {
    let Some(mut bytes) = real_manifest() else {
        return;
    };
    // Find the first start-element chunk and point its name at a string that does not exist.
    let pool_size = u32_at(&bytes, 12) as usize;
    let mut pos = 8 + pool_size;
    while u16::from_le_bytes([bytes[pos], bytes[pos + 1]]) != 0x0102 {
        pos += u32_at(&bytes, pos + 4) as usize;
    }
    bytes[pos + 20..pos + 24].copy_from_slice(&0x7fff_0000u32.to_le_bytes());
    let err = AndroidManifest::parse(&bytes).expect_err("bad index");
    assert!(err.to_string().contains("string index"), "{err}");
}

#[test]
fn every_truncation_is_an_error_or_a_partial_read_never_a_panic() {
    let Some(bytes) = real_manifest() else {
        return;
    };
    for len in (0..bytes.len()).step_by(7) {
        let cut = &bytes[..len];
        // The document header still claims the full size, so every cut is truncated.
        let err = AndroidManifest::parse(cut).expect_err("truncated");
        assert!(!err.to_string().contains('\n'));
    }
}

#[test]
fn random_bytes_are_an_error() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for round in 0..2000 {
        let len = (round * 13) % 700;
        let mut bytes: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        if round % 2 == 0 && bytes.len() >= 8 {
            // Half the rounds get a valid document header so the chunk walk is exercised.
            bytes[..4].copy_from_slice(&[3, 0, 8, 0]);
            bytes[4..8].copy_from_slice(&(len as u32).to_le_bytes());
        }
        let result = AndroidManifest::parse(&bytes);
        if round % 2 == 1 {
            assert!(result.is_err(), "round {round}: random bytes parsed");
        }
    }
}

// ----- a hand-built document: resource-id resolution and value types ------------------------

/// Builds a UTF-8 or UTF-16 AXML document with one element `<manifest>` whose attributes have
/// blank names but correct resource ids (what obfuscators produce).
fn obfuscated_manifest(utf8: bool) -> Vec<u8> {
    // strings: 0 "" (blank attribute names), 1 "manifest", 2 android ns, 3 "com.x", 4 "package", 5 "7.1"
    let strings = [
        "",
        "manifest",
        disclose::android::axml::ANDROID_NS,
        "com.x",
        "package",
        "7.1",
    ];
    let mut data = Vec::new();
    let mut offsets = Vec::new();
    for s in strings {
        offsets.push(data.len() as u32);
        if utf8 {
            data.push(s.chars().count() as u8);
            data.push(s.len() as u8);
            data.extend_from_slice(s.as_bytes());
            data.push(0);
        } else {
            let units: Vec<u16> = s.encode_utf16().collect();
            data.extend_from_slice(&(units.len() as u16).to_le_bytes());
            for u in units {
                data.extend_from_slice(&u.to_le_bytes());
            }
            data.extend_from_slice(&[0, 0]);
        }
    }
    while data.len() % 4 != 0 {
        data.push(0);
    }
    let strings_start = 28 + 4 * strings.len();
    let mut pool = Vec::new();
    pool.extend_from_slice(&1u16.to_le_bytes());
    pool.extend_from_slice(&28u16.to_le_bytes());
    pool.extend_from_slice(&((strings_start + data.len()) as u32).to_le_bytes());
    pool.extend_from_slice(&(strings.len() as u32).to_le_bytes());
    pool.extend_from_slice(&0u32.to_le_bytes());
    pool.extend_from_slice(&(if utf8 { 0x100u32 } else { 0 }).to_le_bytes());
    pool.extend_from_slice(&(strings_start as u32).to_le_bytes());
    pool.extend_from_slice(&0u32.to_le_bytes());
    for o in offsets {
        pool.extend_from_slice(&o.to_le_bytes());
    }
    pool.extend_from_slice(&data);

    // Resource map: string 0 (the blank name) → android:versionCode; later strings have no id.
    let map_ids = [0x0101_021bu32];
    let mut map = Vec::new();
    map.extend_from_slice(&0x0180u16.to_le_bytes());
    map.extend_from_slice(&8u16.to_le_bytes());
    map.extend_from_slice(&((8 + 4 * map_ids.len()) as u32).to_le_bytes());
    for id in map_ids {
        map.extend_from_slice(&id.to_le_bytes());
    }

    // An unknown chunk type that must be skipped by its size.
    let mut unknown = vec![0x77, 0x07, 8, 0, 12, 0, 0, 0];
    unknown.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef]);

    let attr = |ns: u32, name: u32, raw: u32, ty: u8, data: u32| {
        let mut a = Vec::new();
        for v in [ns, name, raw] {
            a.extend_from_slice(&v.to_le_bytes());
        }
        a.extend_from_slice(&8u16.to_le_bytes());
        a.push(0);
        a.push(ty);
        a.extend_from_slice(&data.to_le_bytes());
        a
    };
    let attrs = [
        attr(2, 0, u32::MAX, 0x10, 42), // android:(blank)=42, resolved to versionCode
        attr(u32::MAX, 4, 3, 0x03, 3),  // package="com.x"
    ];
    let mut element = Vec::new();
    element.extend_from_slice(&0x0102u16.to_le_bytes());
    element.extend_from_slice(&16u16.to_le_bytes());
    element.extend_from_slice(&((16 + 20 + 20 * attrs.len()) as u32).to_le_bytes());
    element.extend_from_slice(&1u32.to_le_bytes()); // line
    element.extend_from_slice(&u32::MAX.to_le_bytes()); // comment
    element.extend_from_slice(&u32::MAX.to_le_bytes()); // ns
    element.extend_from_slice(&1u32.to_le_bytes()); // name "manifest"
    element.extend_from_slice(&20u16.to_le_bytes());
    element.extend_from_slice(&20u16.to_le_bytes());
    element.extend_from_slice(&(attrs.len() as u16).to_le_bytes());
    element.extend_from_slice(&[0; 6]);
    for a in attrs {
        element.extend_from_slice(&a);
    }

    let body_len = pool.len() + map.len() + unknown.len() + element.len();
    let mut doc = Vec::new();
    doc.extend_from_slice(&3u16.to_le_bytes());
    doc.extend_from_slice(&8u16.to_le_bytes());
    doc.extend_from_slice(&((8 + body_len) as u32).to_le_bytes());
    doc.extend_from_slice(&pool);
    doc.extend_from_slice(&map);
    doc.extend_from_slice(&unknown);
    doc.extend_from_slice(&element);
    doc
}

#[test]
fn blank_attribute_names_resolve_through_resource_ids_in_both_encodings() {
    for utf8 in [true, false] {
        let bytes = obfuscated_manifest(utf8);
        let doc = XmlDocument::parse(&bytes).expect("hand-built document");
        let root = doc.root().expect("root");
        assert_eq!(&*root.name, "manifest");
        let code = root
            .android_attr("versionCode")
            .expect("versionCode by resource id");
        assert_eq!(code.value, Value::IntDec(42));
        let m = AndroidManifest::parse(&bytes).expect("manifest");
        assert_eq!((m.package.as_str(), m.version_code), ("com.x", Some(42)));
    }
}
