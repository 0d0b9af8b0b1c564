//! A dylib's own install name (`LC_ID_DYLIB @rpath/X.framework/X`) is evidence of framework X
//! just as its bundle path is: a framework binary copied out of its bundle, an xcframework
//! slice or a renamed copy still names the framework it was built as. The binaries are linked
//! by the real Apple-format toolchain (clang + ld64.lld, `tests/fixtures/macho/install-name/
//! build.sh`): one ObjC class named like no SDK, linked once with Tencent Bugly's install name
//! (`@rpath/Bugly.framework/Bugly`, the bundle Bugly ships as) and once with a name of no SDK.
//! The IPA is the real `mobsf-helloworld.ipa` with the framework added under a bundle name that
//! names no SDK; the real `mobsf-fat.dylib` (a Swift runtime library) must stay SDK-free.

mod support;

use disclose::model::{Grade, InspectReport};
use disclose::Analyzer;
use std::io::{Read as _, Write as _};

const BUGLY_INSTALL_NAME: &str = "@rpath/Bugly.framework/Bugly";

/// A fixture linked by `tests/fixtures/macho/install-name/build.sh`.
fn linked(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/macho/install-name")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn inspect(name: &str, bytes: &[u8]) -> InspectReport {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    Analyzer::builtin().unwrap().inspect(&path).unwrap()
}

fn ids(report: &InspectReport) -> Vec<&str> {
    report.sdks.iter().map(|s| s.id.as_str()).collect()
}

/// The evidence locations of Bugly, which must be present.
fn bugly_locations(report: &InspectReport) -> Vec<String> {
    let sdk = report
        .sdks
        .iter()
        .find(|s| s.id.as_str() == "tencent-bugly")
        .unwrap_or_else(|| panic!("tencent-bugly not reported: {:?}", ids(report)));
    assert_eq!(sdk.grade, Grade::Present);
    sdk.evidence
        .iter()
        .filter_map(|e| e.location.clone())
        .collect()
}

#[test]
fn a_loose_dylib_is_the_framework_its_install_name_names() {
    // Linked with a name of no SDK, and the class names no SDK either: nothing.
    let report = inspect("CrashKit", &linked("CrashKit"));
    assert!(report.sdks.is_empty(), "{:?}", ids(&report));

    // The same code linked as Bugly and copied out of its bundle under another file name: the
    // install name still says Bugly.
    let report = inspect("CrashKit", &linked("Bugly"));
    let locations = bugly_locations(&report);
    assert!(
        locations.contains(&format!("LC_ID_DYLIB {BUGLY_INSTALL_NAME}")),
        "{locations:?}"
    );
}

#[test]
fn a_real_swift_runtime_dylib_names_no_sdk() {
    let Some(path) = support::shared_file("corpus/apps/mobsf-fat.dylib") else {
        return;
    };
    let report = inspect("mobsf-fat.dylib", &std::fs::read(path).unwrap());
    assert!(report.sdks.is_empty(), "{:?}", ids(&report));
}

#[test]
fn a_renamed_framework_bundle_in_an_ipa_is_known_by_its_install_name() {
    let Some(ipa) = support::shared_file("corpus/apps/mobsf-helloworld.ipa") else {
        return;
    };
    let renamed = linked("Bugly");
    let mut zip_in = zip::ZipArchive::new(std::fs::File::open(&ipa).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut app_dir = None;
    for i in 0..zip_in.len() {
        let mut entry = zip_in.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        if app_dir.is_none() && name.starts_with("Payload/") && name.contains(".app/") {
            app_dir = name.find(".app/").map(|end| name[..end + 5].to_string());
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    let app_dir = app_dir.expect("an .app in Payload/");
    let framework = format!("{app_dir}Frameworks/CrashKit.framework/CrashKit");
    out.start_file(framework.as_str(), zip::write::SimpleFileOptions::default())
        .unwrap();
    out.write_all(&renamed).unwrap();
    let bytes = out.finish().unwrap().into_inner();

    let report = inspect("helloworld-with-crashkit.ipa", &bytes);
    let sdk = report
        .sdks
        .iter()
        .find(|s| s.id.as_str() == "tencent-bugly")
        .unwrap_or_else(|| panic!("tencent-bugly not reported: {:?}", ids(&report)));
    assert!(
        sdk.evidence.iter().any(|e| e.file == framework
            && e.location.as_deref() == Some(&format!("LC_ID_DYLIB {BUGLY_INSTALL_NAME}"))),
        "{:?}",
        sdk.evidence
    );
}
