#![no_main]
//! Fuzzes the Play Data safety CSV reader: any bytes, parsed with the built-in
//! `signatures/data-safety.toml`, then drafted back. Ok or Err, never a panic or hang.
//! Seed fuzz/corpus/data_safety/ with tests/fixtures/data-safety/*.csv.
use disclose::declared::DataSafetyForm;
use disclose::signatures::SignatureSet;
use std::sync::OnceLock;

fn set() -> &'static SignatureSet {
    static SET: OnceLock<SignatureSet> = OnceLock::new();
    SET.get_or_init(|| SignatureSet::builtin().expect("built-in signatures load"))
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(form) = DataSafetyForm::parse("fuzz.csv", data, &set().data_safety) {
        let selected = form.data_types.iter().filter(|t| t.selected).count();
        assert!(selected <= form.data_types.len());
        assert!(form.rows >= form.unknown.len());
    }
});
