#![no_main]
//! Parses arbitrary bytes as a JVM class file: errors are fine, panics and hangs are not.
use disclose::android::classfile::parse_class;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(class) = parse_class(data) {
        for r in &class.method_refs {
            let _ = r.smali();
        }
    }
});
