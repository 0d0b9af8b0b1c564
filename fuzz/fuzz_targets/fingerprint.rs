#![no_main]
//! Reads arbitrary text as a fingerprint file: errors are fine, panics and hangs are not; a file
//! that reads renders to text that reads back to the same fingerprint.
use disclose::fingerprint::file::{parse, render};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(fp) = parse("fuzz.toml", text) {
        let again = parse("fuzz.toml", &render(&fp)).expect("rendered file reads back");
        assert_eq!(again, fp);
    }
});
