#![no_main]
// The streaming fat reader on arbitrary bytes, with the true length and with a length that
// lies (longer or shorter than the data): it must return the same as parsing the bytes in
// memory (when the length is true), or an error; never panic, hang or over-allocate.
// Seed fuzz/corpus/fat_reader/ with fat files: Bugly and FBSDKCoreKit slices cut small, the
// demo IPA main executable, mobsf-fat.dylib.
use std::io::Cursor;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    use disclose::ios::fat_reader::{parse_binary, read_binary};
    let len = data.len() as u64;
    let mut seen = 0u64;
    let streamed = read_binary(Cursor::new(data), len, &mut |c| seen += c.len() as u64);
    let in_memory = parse_binary(data);
    assert_eq!(
        streamed.as_ref().map_err(|e| e.to_string()),
        in_memory.as_ref().map_err(|e| e.to_string())
    );
    if streamed.is_ok() {
        assert_eq!(seen, len);
    }
    for lie in [len / 2, len.saturating_add(4096)] {
        let _ = read_binary(Cursor::new(data), lie, &mut |_| {});
    }
});
