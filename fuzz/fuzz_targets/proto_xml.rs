#![no_main]
//! App Bundle manifest reader (aapt2 protobuf XML): any bytes must give a manifest or an error,
//! never a panic, hang, deep recursion or huge allocation. Seed `fuzz/corpus/proto_xml/` with
//! `tests/fixtures/aab/` manifests (`scripts`: unzip -p demo.aab base/manifest/AndroidManifest.xml).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = disclose::android::proto_xml::parse(data) {
        let _ = disclose::android::manifest::AndroidManifest::from_document(&doc);
    }
    let _ = disclose::input::bundletool_version(data);
});
