#![no_main]
//! Fuzzes the policy reader: any bytes, read as text, HTML or Markdown (chosen by the first
//! byte), then extracted against the built-in vocabulary (taxonomy, every SDK alias, the zh and
//! en language files), so every row reader and cue list the CLI uses is exercised. Must never
//! panic or hang.
use disclose::policy::{extract, read_policy_bytes, PolicyVocabulary};
use disclose::Analyzer;
use std::sync::OnceLock;

fn vocab() -> &'static PolicyVocabulary {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| Analyzer::builtin().expect("built-in signatures"))
        .vocabulary()
        .expect("built-in vocabulary")
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let name = match data.first().map(|b| b % 3) {
        Some(0) => "f.html",
        Some(1) => "f.md",
        _ => "f.txt",
    };
    if let Ok(doc) = read_policy_bytes(name, data) {
        let _ = extract(&doc, vocab());
    }
});
