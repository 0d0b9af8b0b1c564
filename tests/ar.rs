//! The static-library reader against LLVM's tools on real vendor SDKs (fat `ar` archives, some
//! with LLVM bitcode members), and hostile archives.

#[path = "golden/macho/golden.rs"]
mod golden;
mod support;

use std::collections::BTreeSet;

use disclose::ios::ar::{is_static_library, parse_ar, parse_static_library, ArError, MemberKind};
use golden::{assert_same, Golden};

/// (golden name, npm package, path inside the package)
const LIBRARIES: &[(&str, &str, &str)] = &[
    (
        "Bugly",
        "cordova-plugin-bugly-sdk",
        "package/src/ios/Bugly.framework/Bugly",
    ),
    (
        "TencentOpenAPI",
        "cordova-plugin-qqsdk",
        "package/src/ios/TencentOpenAPI.framework/TencentOpenAPI",
    ),
    (
        "UMCommon",
        "react-native-umeng-analytics",
        "package/ios/common_ios_1.4.2/normal/UMCommon.framework/UMCommon",
    ),
    (
        "UMAnalytics",
        "react-native-umeng-analytics",
        "package/ios/analytics_ios_5.4.1/UMAnalytics.framework/UMAnalytics",
    ),
    (
        "FBSDKCoreKit",
        "cordova-plugin-facebook4",
        "package/src/ios/FBSDKCoreKit.framework/FBSDKCoreKit",
    ),
    (
        "libWeiboSDK",
        "cordova-plugin-weibosdk",
        "package/src/ios/libWeiboSDK/libWeiboSDK.a",
    ),
    (
        "libWeChatSDK",
        "react-native-wechat",
        "package/ios/libWeChatSDK.a",
    ),
];

/// Compares each architecture's Mach-O members with the golden file: how many there are, the
/// ObjC classes they define and the symbols they leave undefined (union over members, as
/// `llvm-nm -u` lists them member by member).
fn check(name: &str, bytes: &[u8]) -> usize {
    assert!(is_static_library(bytes), "{name}");
    let libraries = parse_static_library(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    let archs: BTreeSet<String> = libraries.iter().map(|l| l.arch.clone()).collect();
    assert_eq!(archs, Golden::archs(name), "{name}: architectures");
    let mut bitcode = 0;
    for lib in &libraries {
        let g = Golden::load(name, &lib.arch);
        let what = |field: &str| format!("{name} {} {field}", lib.arch);
        assert_eq!(
            lib.library.macho_count().to_string(),
            g.list("macho-members")[0],
            "{}",
            what("Mach-O members")
        );
        let classes: BTreeSet<String> = lib
            .library
            .objc_classes()
            .into_iter()
            .map(str::to_string)
            .collect();
        assert_same(&what("ObjC classes"), &classes, &g.set("objc-classes"));
        let undefined: BTreeSet<String> = lib
            .library
            .objects()
            .flat_map(|o| o.imported_symbols.iter().map(str::to_string))
            .collect();
        assert_same(
            &what("undefined symbols"),
            &undefined,
            &g.set("imported-symbols"),
        );
        assert!(
            lib.library
                .objects()
                .all(|o| o.file_type == "object" && o.arch == lib.arch),
            "{}",
            what("member archs")
        );
        bitcode += lib.library.bitcode_count();
    }
    bitcode
}

#[test]
fn vendor_static_libraries_match_llvm() {
    for &(name, package, inner) in LIBRARIES {
        let Some(path) = support::corpus_npm(package, inner) else {
            continue;
        };
        let bytes = std::fs::read(path).unwrap();
        let bitcode = check(name, &bytes);
        eprintln!("{name}: {bitcode} bitcode members skipped");
        if name == "TencentOpenAPI" {
            // Its objects embed bitcode (__LLVM,__bitcode) beside machine code; they are
            // still read as Mach-O (llvm-nm --no-llvm-bc agrees on their symbols).
            let libs = parse_static_library(&bytes).unwrap();
            assert!(libs
                .iter()
                .any(|l| l.library.objects().any(|o| o.embedded_bitcode)));
        }
    }
}

#[test]
fn thin_static_library_matches_llvm() {
    let path = match std::env::var_os("DISCLOSE_SHARED") {
        Some(dir) => Some(std::path::PathBuf::from(dir).join("corpus/apps/mobsf-static-lib.a")),
        None => support::shared_file("corpus/apps/mobsf-static-lib.a"),
    };
    let Some(path) = path else { return };
    let bytes = std::fs::read(path).unwrap();
    check("mobsf-static-lib", &bytes);
    let lib = parse_ar(&bytes).unwrap();
    assert!(lib
        .members
        .iter()
        .all(|m| matches!(m.kind, MemberKind::MachO(_))));
}

#[test]
fn vendor_sdk_shows_privacy_relevant_imports() {
    let Some(path) = support::corpus_npm("react-native-wechat", "package/ios/libWeChatSDK.a")
    else {
        return;
    };
    let libs = parse_static_library(&std::fs::read(path).unwrap()).unwrap();
    let arm64 = libs
        .iter()
        .find(|l| l.arch == "arm64")
        .expect("arm64 slice");
    assert!(arm64.library.objc_classes().contains("WXApi"));
    assert!(arm64.library.selectors().len() > 100);
}

#[test]
fn bitcode_members_are_skipped_and_counted_in_both_formats() {
    // Built by tests/fixtures/macho/bitcode-lib/build.sh with clang and llvm-ar.
    for (file, object_name) in [
        ("libmixed.a", "native.o"),
        ("libmixed-gnu.a", "native_object_with_a_long_name.o"),
    ] {
        let bytes = std::fs::read(support::repo_file(&format!(
            "tests/fixtures/macho/bitcode-lib/{file}"
        )))
        .unwrap();
        let libs = parse_static_library(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(libs.len(), 1, "{file}");
        let lib = &libs[0];
        assert_eq!(lib.arch, "arm64", "{file}");
        let names: Vec<&str> = lib
            .library
            .members
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(names, [object_name, "lazy.bc"], "{file}");
        assert_eq!(lib.library.bitcode_count(), 1, "{file}");
        assert_eq!(lib.library.macho_count(), 1, "{file}");
        assert_eq!(
            lib.library.objc_classes().into_iter().collect::<Vec<_>>(),
            ["BitcodeFixtureNative"],
            "{file}"
        );
        assert!(lib.library.selectors().contains("answer"), "{file}");
    }
}

// ---- hostile input -------------------------------------------------------------------------

fn member(name: &str, size_field: &str, data: &[u8]) -> Vec<u8> {
    let mut m = format!(
        "{name:<16}{:<12}{:<6}{:<6}{:<8}{size_field:<10}`\n",
        0, 0, 0, 644
    )
    .into_bytes();
    m.extend(data);
    if data.len() % 2 == 1 {
        m.push(b'\n');
    }
    m
}

#[test]
fn a_lying_member_size_is_an_error_naming_the_member() {
    let mut a = b"!<arch>\n".to_vec();
    a.extend(member("ok.o/", "2", b"hi"));
    a.extend(member("liar.o/", "99999999", b"tiny"));
    let e: ArError = parse_ar(&a).unwrap_err();
    assert_eq!(
        e.to_string(),
        "member \"liar.o/\" at offset 70 claims 99999999 bytes but only 4 remain"
    );
    let mut b = b"!<arch>\n".to_vec();
    b.extend(member("#1/200", "10", b"short.o\0\0\0"));
    assert!(parse_ar(&b)
        .unwrap_err()
        .to_string()
        .contains("BSD long name is longer than the member"));
    let mut c = b"!<arch>\n".to_vec();
    c.extend(member("x.o/", "-5", b""));
    assert!(parse_ar(&c)
        .unwrap_err()
        .to_string()
        .contains("bad size field \"-5\""));
}

#[test]
fn a_broken_macho_member_is_an_error_naming_the_member() {
    let mut object = Vec::new();
    for v in [
        0xfeed_facf_u32,
        0x0100_000c,
        0,
        1,
        1,
        24,
        0,
        0,
        0x2,
        24,
        0x7fff_0000,
        10,
        0,
        0,
    ] {
        object.extend(v.to_le_bytes());
    }
    let mut a = b"!<arch>\n".to_vec();
    a.extend(member("bad.o/", &object.len().to_string(), &object));
    let e = parse_ar(&a).unwrap_err().to_string();
    assert!(e.starts_with("member \"bad.o\": symbol table"), "{e}");
}

#[test]
fn random_bytes_are_errors_not_panics() {
    assert!(parse_ar(b"").is_err());
    assert!(parse_static_library(b"\x7fELF random").is_err());
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for _ in 0..2000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = (state % 200) as usize;
        let mut a = b"!<arch>\n".to_vec();
        a.extend((0..len).map(|i| (state >> (i % 56)) as u8));
        let _ = parse_ar(&a);
    }
}
