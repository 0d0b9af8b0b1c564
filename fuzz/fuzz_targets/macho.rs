#![no_main]
// Mach-O reader on arbitrary bytes: must return Ok or Err, never panic, hang or over-allocate.
// Seed fuzz/corpus/macho/ with real binaries (vendor framework slices, IPA executables, the
// chained-fixups fixture) and signed ones for the code-signature reader: the IPA executables of
// ../shared/corpus/apps, mobsf-fat.dylib and tests/fixtures/macho/adhoc/App.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = disclose::ios::macho::is_macho(data);
    if let Ok(file) = disclose::ios::macho::parse_macho(data) {
        for slice in &file.slices {
            let _ = slice.objc_classes.len() + slice.imported_symbols.len();
            if let Some(sig) = &slice.code_signature {
                let _ = sig.entitlements.as_ref().map(|e| e.keys.len());
            }
        }
    }
});
