#![no_main]
//! Parses arbitrary bytes as a dex file, then builds the code index (strict and lenient) and
//! resolves every id it names: nothing may panic, hang or allocate without bound.
use disclose::android::dex::{smali_method, DexFile};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(dex) = DexFile::parse(data.to_vec()) else {
        return;
    };
    let _ = dex.code_index();
    let (index, _errors) = dex.code_index_lenient();
    for method in index.classes.iter().flat_map(|c| &c.methods) {
        for &m in method.invokes() {
            let _ = dex.method(m).map(|m| smali_method(&m));
        }
        for &f in method.field_reads() {
            let _ = dex.field(f);
        }
        for &s in method.strings() {
            let _ = dex.string(s);
        }
        for &t in method.types() {
            let _ = dex.type_descriptor(t);
        }
    }
    for class in dex.class_defs().flatten() {
        let _ = dex.interfaces(&class);
        let _ = dex.source_file(&class);
    }
});
