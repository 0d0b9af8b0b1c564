//! A dylib's own install name (`LC_ID_DYLIB @rpath/X.framework/X`) is evidence of framework X
//! just as its bundle path is: a framework binary copied out of its bundle, an xcframework
//! slice or a renamed copy still names the framework it was built as. The binary here is the
//! real toolchain-built `mobsf-fat.dylib` of `../shared/corpus` (armv7 + arm64, install name
//! `@rpath/libswiftAccelerate.dylib`), with the install name rewritten in place to a known
//! SDK framework's (`@rpath/Bugly.framework/Bugly`, Tencent Bugly ships `Bugly.framework`);
//! the IPA is the real `mobsf-helloworld.ipa` with that dylib added under a bundle name that
//! names no SDK.

mod support;

use disclose::model::{Grade, InspectReport};
use disclose::Analyzer;
use std::io::{Read as _, Write as _};

const LC_ID_DYLIB: u32 = 0xd;
const BUGLY_INSTALL_NAME: &str = "@rpath/Bugly.framework/Bugly";

fn be32(b: &[u8], at: usize) -> usize {
    usize::try_from(u32::from_be_bytes(b[at..at + 4].try_into().unwrap())).unwrap()
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

/// `fat` with the `LC_ID_DYLIB` name of every slice replaced by `name` (NUL-padded inside the
/// command, which must have room for it); the count of rewritten slices is checked.
fn with_install_name(mut fat: Vec<u8>, name: &str) -> Vec<u8> {
    assert_eq!(be32(&fat, 0), 0xcafe_babe, "a fat binary");
    let slices: Vec<usize> = (0..be32(&fat, 4))
        .map(|i| be32(&fat, 8 + i * 20 + 8))
        .collect();
    let mut rewritten = 0;
    for start in slices {
        let header = match le32(&fat, start) {
            0xfeed_face => 28,
            0xfeed_facf => 32,
            other => panic!("not a Mach-O slice: {other:#x}"),
        };
        let mut at = start + header;
        for _ in 0..le32(&fat, start + 16) {
            let (cmd, size) = (le32(&fat, at), le32(&fat, at + 4) as usize);
            if cmd == LC_ID_DYLIB {
                let name_at = at + le32(&fat, at + 8) as usize;
                let slot = &mut fat[name_at..at + size];
                assert!(slot.len() > name.len(), "room for {name}");
                slot.fill(0);
                slot[..name.len()].copy_from_slice(name.as_bytes());
                rewritten += 1;
            }
            at += size;
        }
    }
    assert_eq!(rewritten, 2, "both slices carry LC_ID_DYLIB");
    fat
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
    let Some(path) = support::shared_file("corpus/apps/mobsf-fat.dylib") else {
        return;
    };
    let real = std::fs::read(path).unwrap();
    // As built, the install name names a Swift runtime library: no SDK.
    let report = inspect("mobsf-fat.dylib", &real);
    assert!(report.sdks.is_empty(), "{:?}", ids(&report));

    // Copied out of its bundle under another name: the install name still says Bugly.
    let report = inspect("CrashKit", &with_install_name(real, BUGLY_INSTALL_NAME));
    let locations = bugly_locations(&report);
    assert!(
        locations.contains(&format!("LC_ID_DYLIB {BUGLY_INSTALL_NAME}")),
        "{locations:?}"
    );
}

#[test]
fn a_renamed_framework_bundle_in_an_ipa_is_known_by_its_install_name() {
    let (Some(ipa), Some(dylib)) = (
        support::shared_file("corpus/apps/mobsf-helloworld.ipa"),
        support::shared_file("corpus/apps/mobsf-fat.dylib"),
    ) else {
        return;
    };
    let renamed = with_install_name(std::fs::read(dylib).unwrap(), BUGLY_INSTALL_NAME);
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
