#![no_main]
//! Info.plist, privacy manifest and provisioning profile readers on arbitrary bytes, and the
//! bundle reader on a source whose plists are those bytes: errors are fine, panics, hangs and
//! unbounded allocations are not.
use disclose::ios::bundle::{read_ios_bundle, MemorySource};
use disclose::ios::plist::parse_info_plist;
use disclose::ios::provision::parse_provision;
use disclose::ios::xcprivacy::parse_privacy_manifest;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = parse_info_plist(data);
    let _ = parse_privacy_manifest(data);
    let _ = parse_provision(data);
    let mut source = MemorySource::new();
    source.insert("Payload/F.app/Info.plist", data.to_vec());
    source.insert(
        "Payload/F.app/Frameworks/X.framework/Info.plist",
        data.to_vec(),
    );
    source.insert("Payload/F.app/embedded.mobileprovision", data.to_vec());
    let _ = read_ios_bundle(&source);
});
