#![no_main]
//! Open arbitrary bytes as an app package (plain zip or a bundle of split zips) and read every
//! entry of every split, fully and as a prefix, under small limits so each input stays cheap.
//! Seed `fuzz/corpus/archive/` with small real APKs/IPAs and tests/fixtures/archive/*.zip.
use disclose::archive::{open_package_bytes, Limits};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_entries: 4_096,
        max_entry_size: 16 << 20,
        max_total_size: 64 << 20,
        max_ratio: 200,
        ratio_min_size: 1 << 20,
    };
    let Ok(package) = open_package_bytes("fuzz", data.to_vec(), limits) else {
        return;
    };
    for split in &package.splits {
        let a = &split.archive;
        for entry in a.entries() {
            let _ = a.read_prefix(entry, 64);
            let _ = a.read(entry);
            let _ = a.entry(&entry.name);
        }
        let _ = a.duplicate_names();
    }
});
