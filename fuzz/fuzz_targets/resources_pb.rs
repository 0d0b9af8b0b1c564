#![no_main]
//! App Bundle resource table (`resources.pb`) reader: any bytes must give the values of an id
//! or an error, without a panic or hang. Seed `fuzz/corpus/resources_pb/` with real
//! `base/resources.pb` files (tests/fixtures/aab-identity/identity.aab holds one).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    for id in [0x7f01_0000, 0x7f02_0000, 0x7f02_0001, 0x0101_0000] {
        let _ = disclose::android::resources_pb::values(data, id);
    }
});
