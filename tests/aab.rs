//! Android App Bundles: `tests/fixtures/aab/demo.aab` (built by `tests/fixtures/aab/build.sh`
//! with aapt2 and smali: the demo app as the `base` module plus a `camera` feature module)
//! inspected by `disclose`, against `expected.txt`, the facts aapt2's own protobuf XML reader
//! (`aapt2 dump xmltree`) and `dexdump -f` report for the same bytes; and the same app as an
//! APK (`samples/demo.apk`, built from the same sources) giving the same SDKs and data.

mod support;

use disclose::model::InspectReport;
use disclose::Analyzer;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| Analyzer::builtin().expect("built-in signatures load"))
}

fn aab() -> PathBuf {
    support::repo_file("tests/fixtures/aab/demo.aab")
}

/// Reference facts as `scripts/aab-reference.sh` writes them: `<module> <key>=<value>` lines
/// (`dex <entry>=<classes>` for each dex), grouped by (module, key).
type Facts = BTreeMap<(String, String), Vec<String>>;

fn read_facts(path: &Path) -> Facts {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut facts = Facts::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (module, fact) = line.split_once(' ').expect("<module> <key>=<value>");
        let (key, value) = fact.split_once('=').expect("<key>=<value>");
        facts
            .entry((module.to_string(), key.to_string()))
            .or_default()
            .push(value.to_string());
    }
    facts
}

fn one(facts: &Facts, module: &str, key: &str) -> Option<String> {
    facts
        .get(&(module.to_string(), key.to_string()))?
        .first()
        .cloned()
}

/// `disclose inspect` of `aab` against its reference facts: package, versions, SDK levels of
/// the base module; the permissions of every module, each once; defined classes per dex entry.
fn check_against_reference(aab: &Path, facts: &Facts) {
    let r = analyzer().inspect(aab).unwrap_or_else(|e| panic!("{e}"));
    let details = r.details.as_ref().expect("details");
    let manifest = &details["manifest"];
    let shown = aab.display();
    assert_eq!(r.app.id, one(facts, "base", "package"), "{shown}");
    assert_eq!(r.app.version, one(facts, "base", "versionName"), "{shown}");
    for (key, field) in [
        ("versionCode", "version_code"),
        ("minSdkVersion", "min_sdk"),
        ("targetSdkVersion", "target_sdk"),
    ] {
        let got = Some(manifest[field].to_string()).filter(|v| v != "null");
        assert_eq!(got, one(facts, "base", key), "{shown}: {key}");
    }
    let want: BTreeSet<String> = facts
        .iter()
        .filter(|((_, key), _)| key == "permission")
        .flat_map(|(_, values)| values.iter().cloned())
        .collect();
    let got: BTreeSet<String> = r.permissions.iter().map(|p| p.name.clone()).collect();
    assert_eq!(got, want, "{shown}");
    assert_eq!(
        r.permissions.len(),
        want.len(),
        "{shown}: no permission twice"
    );
    // Each permission's evidence names the module manifest inside the bundle that requests
    // it: the base module's when it does, else a feature module's.
    for p in &r.permissions {
        let requested_by = |module: &str| {
            facts
                .get(&(module.to_string(), "permission".to_string()))
                .is_some_and(|names| names.contains(&p.name))
        };
        let file = &p.evidence[0].file;
        let module = file
            .strip_suffix("/manifest/AndroidManifest.xml")
            .unwrap_or_else(|| panic!("{shown}: {}: evidence names {file}", p.name));
        assert!(requested_by(module), "{shown}: {} is not in {file}", p.name);
        if requested_by("base") {
            assert_eq!(module, "base", "{shown}: {}", p.name);
        }
    }
    let dex: BTreeMap<String, String> = details["dex"]
        .as_array()
        .expect("dex list")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["classes"].to_string(),
            )
        })
        .collect();
    let want_dex: BTreeMap<String, String> = facts
        .iter()
        .filter(|((module, _), _)| module == "dex")
        .map(|((_, entry), n)| (entry.clone(), n[0].clone()))
        .collect();
    assert_eq!(dex, want_dex, "{shown}");
}

#[test]
fn the_bundle_reads_as_aapt2_and_dexdump_report_it() {
    let facts = read_facts(&support::repo_file("tests/fixtures/aab/expected.txt"));
    assert!(facts.len() > 5, "the reference is not empty");
    check_against_reference(&aab(), &facts);
    let r = analyzer().inspect(&aab()).unwrap();
    let bundle = &r.details.as_ref().unwrap()["bundle"];
    assert_eq!(bundle["modules"], serde_json::json!(["base", "camera"]));
    assert_eq!(bundle["bundletool_version"], "1.15.6");
    assert_eq!(bundle["metadata_entries"], 1);
    // The camera module alone asks for the contacts.
    let contacts = r
        .permissions
        .iter()
        .find(|p| p.name == "android.permission.READ_CONTACTS")
        .expect("READ_CONTACTS");
    assert_eq!(
        contacts.evidence[0].file,
        "camera/manifest/AndroidManifest.xml"
    );
}

/// The SDKs graded present and the (data type, owner) pairs.
fn sdks_and_data(r: &InspectReport) -> (BTreeSet<String>, BTreeSet<(String, String)>) {
    let sdks = r
        .sdks
        .iter()
        .filter(|s| s.grade == disclose::model::Grade::Present)
        .map(|s| s.id.to_string())
        .collect();
    let data = r
        .data
        .iter()
        .map(|d| (d.data_type.to_string(), d.by.clone()))
        .collect();
    (sdks, data)
}

#[test]
fn the_bundle_gives_the_apks_sdks_and_data_plus_its_feature_module() {
    let bundle = analyzer().inspect(&aab()).unwrap();
    let apk = analyzer()
        .inspect(&support::repo_file("samples/demo.apk"))
        .unwrap();
    let (bundle_sdks, bundle_data) = sdks_and_data(&bundle);
    let (apk_sdks, apk_data) = sdks_and_data(&apk);
    assert_eq!(bundle_sdks, apk_sdks);
    // The feature module's first-party service reads the phone number; the rest is the APK's.
    let extra: BTreeSet<_> = bundle_data.difference(&apk_data).cloned().collect();
    assert!(apk_data.is_subset(&bundle_data));
    assert_eq!(extra.len(), 1, "{extra:?}");
    let (data_type, by) = extra.iter().next().unwrap();
    assert_eq!(by, "app");
    assert!(data_type.contains("phone"), "{data_type}");
    // Its evidence names the bundle entry.
    let evidence = serde_json::to_string(&bundle.data).unwrap();
    assert!(evidence.contains("camera/dex/classes.dex"), "{evidence}");
}

/// Manifest evidence (components, meta-data) names the manifest inside the input that declares
/// the element — in a bundle the base module's protobuf manifest — as permission evidence
/// does, never an `AndroidManifest.xml` the bundle does not have.
#[test]
fn manifest_evidence_names_the_bundle_modules_manifest() {
    let bundle = analyzer().inspect(&aab()).unwrap();
    let manifest_evidence: Vec<&disclose::model::Evidence> = bundle
        .sdks
        .iter()
        .flat_map(|s| &s.evidence)
        .filter(|e| {
            e.location
                .as_deref()
                .is_some_and(|l| l.starts_with("<service") || l.starts_with("<meta-data"))
        })
        .collect();
    assert!(
        manifest_evidence.len() >= 2,
        "the demo's SDK service and meta-data: {:#?}",
        bundle.sdks
    );
    for e in manifest_evidence {
        assert_eq!(e.file, "base/manifest/AndroidManifest.xml", "{e:?}");
    }
    let contacts = bundle
        .permissions
        .iter()
        .find(|p| p.name == "android.permission.READ_CONTACTS")
        .expect("the camera module's permission");
    assert_eq!(
        contacts.evidence[0].file,
        "camera/manifest/AndroidManifest.xml"
    );
}

#[test]
fn a_bundle_with_a_broken_manifest_is_one_line_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.aab");
    let bytes = std::fs::read(aab()).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(&broken).unwrap());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
        if name == "base/manifest/AndroidManifest.xml" {
            data.truncate(data.len() / 2);
        }
        std::io::Write::write_all(&mut out, &data).unwrap();
    }
    out.finish().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_disclose"))
        .arg("inspect")
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("broken.aab"), "{stderr}");
    assert!(stderr.contains("base/manifest"), "{stderr}");
    assert!(stderr.contains("protobuf"), "{stderr}");
}

/// Real App Bundles from public repositories, for local measurement only (never committed):
/// put them in `$DISCLOSE_AAB_DIR` with, beside each `X.aab`, `X.expected.txt` written by
/// `scripts/aab-reference.sh X.aab`. Skips when the variable is unset.
#[test]
fn real_bundles_match_their_reference_facts() {
    let Some(dir) = std::env::var_os("DISCLOSE_AAB_DIR") else {
        support::skipped("DISCLOSE_AAB_DIR is not set: no real App Bundles to check");
        return;
    };
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let reference = path.with_extension("expected.txt");
        if path.extension().is_none_or(|e| e != "aab") || !reference.exists() {
            continue;
        }
        check_against_reference(&path, &read_facts(&reference));
        checked += 1;
    }
    eprintln!("checked {checked} real bundles");
}
