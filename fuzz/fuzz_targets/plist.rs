#![no_main]
// Placeholder until the plist reader lands; replaced on its feature branch.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = data;
});
