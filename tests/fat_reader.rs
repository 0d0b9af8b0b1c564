//! `ios::fat_reader`: reading a fat binary slice by slice (what `inspect` does for a bare
//! Mach-O or static library) gives exactly what parsing the whole file in memory gives, hands
//! every byte to the caller once and in order, and fails with one line on a lying file.

mod support;

use std::io::Cursor;
use std::path::PathBuf;
use std::sync::Arc;

use disclose::ios::fat_reader::{parse_binary, read_binary};

/// Streams `bytes` through `read_binary`; returns the images (or the error's text) and the
/// bytes `on_chunk` saw.
fn stream(bytes: &[u8], len: u64) -> (Result<Vec<disclose::ios::macho::Slice>, String>, Vec<u8>) {
    let mut seen = Vec::new();
    let got = read_binary(Cursor::new(bytes.to_vec()), len, &mut |c: &Arc<Vec<u8>>| {
        seen.extend_from_slice(c)
    })
    .map_err(|e| e.to_string());
    (got, seen)
}

fn real_binaries() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let npm = [
        (
            "cordova-plugin-facebook4",
            "package/src/ios/FBSDKCoreKit.framework/FBSDKCoreKit",
        ),
        (
            "cordova-plugin-bugly-sdk",
            "package/src/ios/Bugly.framework/Bugly",
        ),
        ("react-native-wechat", "package/ios/libWeChatSDK.a"),
    ];
    for (package, inner) in npm {
        if let Some(path) = support::corpus_npm(package, inner) {
            out.push((inner.to_string(), std::fs::read(path).expect("corpus file")));
        }
    }
    if let Some(path) = support::shared_file("corpus/apps/mobsf-fat.dylib") {
        out.push((
            "mobsf-fat.dylib".into(),
            std::fs::read(path).expect("dylib"),
        ));
    }
    if let Some(bytes) = support::ipa_main_executable(&support::repo_file("samples/demo.ipa")) {
        out.push((
            "demo.ipa main executable (fat, clang + ld64.lld)".into(),
            bytes,
        ));
    }
    out.push((
        "chained fixture (thin)".into(),
        std::fs::read(support::repo_file("tests/fixtures/macho/chained/App")).expect("fixture"),
    ));
    out
}

#[test]
fn streamed_read_equals_the_in_memory_parse_on_real_binaries() {
    let inputs = real_binaries();
    assert!(
        inputs.len() >= 2,
        "the demo and the fixture are always there"
    );
    for (name, bytes) in inputs {
        let want = parse_binary(&bytes).map_err(|e| e.to_string());
        let (got, seen) = stream(&bytes, bytes.len() as u64);
        assert!(want.is_ok(), "{name}: {want:?}");
        assert_eq!(got, want, "{name}");
        assert!(
            seen == bytes,
            "{name}: on_chunk must see the file, once, in order"
        );
    }
}

/// The demo's fat main binary with its two header entries swapped: header order is no longer
/// file order (as in Bugly), and the images still come back in header order.
#[test]
fn slices_out_of_header_order_are_read_in_file_order() {
    let mut bytes = support::ipa_main_executable(&support::repo_file("samples/demo.ipa"))
        .expect("demo main executable");
    assert_eq!(
        &bytes[..4],
        &[0xca, 0xfe, 0xba, 0xbe],
        "demo main binary is fat"
    );
    assert_eq!(u32::from_be_bytes(bytes[4..8].try_into().unwrap()), 2);
    let (first, second) = (bytes[8..28].to_vec(), bytes[28..48].to_vec());
    bytes[8..28].copy_from_slice(&second);
    bytes[28..48].copy_from_slice(&first);
    let want = parse_binary(&bytes).expect("in memory");
    let (got, seen) = stream(&bytes, bytes.len() as u64);
    assert_eq!(got.expect("streamed"), want);
    assert!(seen == bytes);
    assert_ne!(want[0].arch, want[1].arch);
}

/// A fat header (32-bit entries) for `slices` of (cputype, offset, size).
fn fat_header(slices: &[(u32, u32, u32)]) -> Vec<u8> {
    let mut out = vec![0xca, 0xfe, 0xba, 0xbe];
    out.extend((slices.len() as u32).to_be_bytes());
    for &(cputype, offset, size) in slices {
        for v in [cputype, 0, offset, size, 12] {
            out.extend(v.to_be_bytes());
        }
    }
    out
}

#[test]
fn lying_fat_files_fail_with_one_line_and_the_same_reason_as_in_memory() {
    const ARM64: u32 = 0x0100_000c;
    const X86_64: u32 = 0x0100_0007;
    let ar = b"!<arch>\n".to_vec();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("slice past the end", {
            let mut f = fat_header(&[(ARM64, 4096, 1 << 20)]);
            f.resize(4096, 0);
            f.extend(&ar);
            f
        }),
        ("overlapping slices", {
            let mut f = fat_header(&[(ARM64, 4096, 64), (X86_64, 4100, 64)]);
            f.resize(4096 + 128, 0);
            f
        }),
        ("slice neither archive nor image", {
            let mut f = fat_header(&[(ARM64, 4096, 8)]);
            f.resize(4096, 0);
            f.extend(b"garbage!");
            f
        }),
        ("archive with a lying member", {
            let mut f = fat_header(&[(ARM64, 4096, 8 + 60 + 5)]);
            f.resize(4096, 0);
            f.extend(&ar);
            f.extend(
                format!(
                    "{:<16}{:<12}{:<6}{:<6}{:<8}{:<10}`\n",
                    "liar.o/", 0, 0, 0, 644, 1000
                )
                .as_bytes(),
            );
            f.extend(b"short");
            f
        }),
    ];
    for (what, bytes) in cases {
        let want = parse_binary(&bytes).map_err(|e| e.to_string());
        let (got, _) = stream(&bytes, bytes.len() as u64);
        let err = got.expect_err(what);
        assert_eq!(Err(err.clone()), want, "{what}");
        assert!(!err.contains('\n') && !err.is_empty(), "{what}: {err:?}");
    }
}

#[test]
fn a_file_shorter_than_its_length_is_a_truncation_not_a_hang() {
    let path: PathBuf = support::repo_file("tests/fixtures/macho/chained/App");
    let bytes = std::fs::read(path).expect("fixture");
    // The caller's length (from metadata) says more than the reader delivers: the file shrank.
    let (got, _) = stream(&bytes, bytes.len() as u64 + 100);
    assert_eq!(
        got.expect_err("truncated"),
        format!(
            "the file ended after {} of its {} bytes",
            bytes.len(),
            bytes.len() + 100
        )
    );
    // A caller's length that lies wildly (and a header that believes it): bounded memory,
    // then a truncation error.
    let mut lying = fat_header(&[(0x0100_000c, 4096, 1 << 30)]);
    lying.resize(4096, 0);
    lying.extend(b"!<arch>\n");
    let (got, _) = stream(&lying, u64::MAX);
    assert!(got
        .expect_err("lying length")
        .starts_with("the file ended after 4104 of its"));
    // A fat file cut inside its second slice.
    let demo = support::ipa_main_executable(&support::repo_file("samples/demo.ipa"))
        .expect("demo main executable");
    let cut = &demo[..demo.len() - 10];
    let (got, _) = stream(cut, demo.len() as u64);
    assert_eq!(
        got.expect_err("truncated fat"),
        format!(
            "the file ended after {} of its {} bytes",
            cut.len(),
            demo.len()
        )
    );
}
