#![no_main]
//! Binary manifest reader: any bytes must give a manifest or an error, never a panic, hang or
//! huge allocation. Seed `fuzz/corpus/axml/` with real AndroidManifest.xml files.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = disclose::android::axml::XmlDocument::parse(data) {
        let _ = disclose::android::manifest::AndroidManifest::from_document(&doc);
    }
});
