#![no_main]
//! Resource table reader: any bytes must index or give an error, and every lookup must return
//! (following references at most a bounded number of times) without a panic, hang or huge
//! allocation. Seed `fuzz/corpus/arsc/` with real resources.arsc files.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(table) = disclose::android::arsc::ResourceTable::parse(data) {
        // Ids the input itself names (any word that looks like an app resource id), plus the
        // first entries of the first types.
        let named = data
            .chunks_exact(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .filter(|w| w >> 24 == 0x7f)
            .take(64);
        let first = (1..=4u32).flat_map(|t| (0..4u32).map(move |e| 0x7f00_0000 | t << 16 | e));
        for id in named.chain(first) {
            let _ = table.values(id);
        }
    }
});
