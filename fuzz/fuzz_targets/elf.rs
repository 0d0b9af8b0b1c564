#![no_main]
//! Native library reader: any bytes must give a library or an error, never a panic, hang or
//! huge allocation. Seed `fuzz/corpus/elf/` with real `.so` files.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = disclose::android::elf::parse_native_lib("lib/arm64-v8a/libfuzz.so", data);
});
