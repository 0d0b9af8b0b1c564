#![no_main]
// Static-library reader (thin ar or fat of ar) on arbitrary bytes: Ok or Err, never a panic.
// Seed fuzz/corpus/ar/ with real archives (thin slices of vendor .a files, the bitcode fixture).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = disclose::ios::ar::is_static_library(data);
    if let Ok(libraries) = disclose::ios::ar::parse_static_library(data) {
        for lib in &libraries {
            let _ = lib.library.objc_classes().len() + lib.library.bitcode_count();
        }
    }
});
