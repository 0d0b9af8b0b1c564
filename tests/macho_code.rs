//! What each function of an arm64 image references (src/ios/macho/code.rs), against LLVM's
//! disassembler (tests/golden/macho/code/, from regen-code.sh) on the demo IPA, and against the
//! sources of the fixtures built by clang + ld64.lld: chained fixups, `__objc_stubs` selector
//! stubs with every local symbol stripped, and images that cannot be decoded.

use std::collections::BTreeSet;
use std::io::Read;

use disclose::ios::macho::{parse_macho, CodeRefKind, Slice};

fn repo(rel: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn demo_main_binary() -> Vec<u8> {
    let file = std::fs::File::open(repo("samples/demo.ipa")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut entry = zip
        .by_name("Payload/DiscloseDemo.app/DiscloseDemo")
        .unwrap();
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).unwrap();
    bytes
}

fn kind(k: CodeRefKind) -> &'static str {
    match k {
        CodeRefKind::Selector => "selector",
        CodeRefKind::Class => "class",
        CodeRefKind::Symbol => "symbol",
    }
}

/// "function\tkind\tname\tcount" lines, as regen-code.sh writes them.
fn lines(slice: &Slice) -> Vec<String> {
    let code = slice.code.as_ref().expect("arm64 code is decoded");
    let mut out: Vec<String> = code
        .functions
        .iter()
        .flat_map(|f| {
            f.refs.iter().map(move |r| {
                format!(
                    "{}\t{}\t{}\t{}",
                    f.name,
                    kind(r.kind),
                    code.name(r),
                    r.sites
                )
            })
        })
        .collect();
    out.sort();
    out
}

fn arm64(bytes: &[u8]) -> Slice {
    parse_macho(bytes)
        .unwrap()
        .slices
        .into_iter()
        .find(|s| s.arch == "arm64")
        .unwrap()
}

#[test]
fn demo_references_equal_llvm_objdump() {
    let golden = std::fs::read_to_string(repo("tests/golden/macho/code/demo-arm64.txt")).unwrap();
    let want: Vec<&str> = golden.lines().collect();
    let slice = arm64(&demo_main_binary());
    assert_eq!(lines(&slice), want);
    // Every method of the demo's classes is a function with its class.
    let code = slice.code.unwrap();
    let jpush = code
        .functions
        .iter()
        .find(|f| f.name == "+[JPUSHService advertisingId]")
        .unwrap();
    assert_eq!(jpush.objc_class.as_deref(), Some("JPUSHService"));
    assert!(code.instructions >= 250, "{}", code.instructions);
}

#[test]
fn x86_64_slices_are_not_decoded() {
    let file = parse_macho(&demo_main_binary()).unwrap();
    let x86 = file.slices.iter().find(|s| s.arch == "x86_64").unwrap();
    assert!(x86.code.is_none());
}

/// The references both fixtures (one source, tests/fixtures/macho/chained/main.m) must show.
fn expected_fixture_refs() -> BTreeSet<(String, &'static str, String)> {
    let rows = [
        (
            "+[JPUSHService registrationID]",
            "selector",
            "advertisingIdentifier",
        ),
        (
            "+[JPUSHService registrationID]",
            "selector",
            "sharedManager",
        ),
        (
            "+[JPUSHService registrationID]",
            "class",
            "ASIdentifierManager",
        ),
        (
            "-[UMConfigure clipboardText]",
            "selector",
            "generalPasteboard",
        ),
        ("-[UMConfigure clipboardText]", "selector", "string"),
        ("-[UMConfigure clipboardText]", "class", "UIPasteboard"),
        // A category method: its class comes from the category's class pointer (a bind).
        (
            "-[UMConfigure networkInfo]",
            "symbol",
            "_CNCopyCurrentNetworkInfo",
        ),
    ];
    rows.iter()
        .map(|&(f, k, n)| (f.to_string(), k, n.to_string()))
        .collect()
}

fn refs_of(slice: &Slice) -> BTreeSet<(String, &'static str, String)> {
    let code = slice.code.as_ref().unwrap();
    code.functions
        .iter()
        .flat_map(|f| {
            f.refs
                .iter()
                .map(move |r| (f.name.clone(), kind(r.kind), code.name(r).to_string()))
        })
        .collect()
}

#[test]
fn chained_fixups_fixture_references_follow_the_source() {
    let bytes = std::fs::read(repo("tests/fixtures/macho/chained/App")).unwrap();
    let got = refs_of(&arm64(&bytes));
    for want in expected_fixture_refs() {
        assert!(got.contains(&want), "missing {want:?} in {got:?}");
    }
    assert!(got.contains(&("_main".to_string(), "symbol", "_printf".to_string())));
}

#[test]
fn objc_stubs_in_a_stripped_image_still_name_methods_and_selectors() {
    // Built by tests/fixtures/macho/objc-stubs/build.sh: message sends go through
    // `objc_msgSend$sel` stubs, no function body loads a selector itself, and the symbol table
    // holds only imports — method names come from the ObjC method lists.
    let bytes = std::fs::read(repo("tests/fixtures/macho/objc-stubs/App")).unwrap();
    let slice = arm64(&bytes);
    assert!(slice.exported_symbols.iter().all(|s| !s.starts_with("-[")));
    let got = refs_of(&slice);
    for want in expected_fixture_refs() {
        assert!(got.contains(&want), "missing {want:?} in {got:?}");
    }
    // main has no symbol left: it is known by its LC_FUNCTION_STARTS entry.
    assert!(
        got.iter()
            .any(|(f, k, n)| f.starts_with("sub_") && *k == "symbol" && n == "_printf"),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(f, k, n)| f.starts_with("sub_") && *k == "selector" && n == "registrationID"),
        "{got:?}"
    );
}

#[test]
fn encrypted_slices_are_not_decoded() {
    let mut bytes = std::fs::read(repo("tests/fixtures/macho/chained/App")).unwrap();
    // Append an LC_ENCRYPTION_INFO_64 with cryptid 1 after the load commands (the fixture has
    // room: __text starts well after them).
    let ncmds = u32::from_le_bytes(bytes[16..20].try_into().unwrap());
    let sizeofcmds = u32::from_le_bytes(bytes[20..24].try_into().unwrap());
    let at = 32 + sizeofcmds as usize;
    assert!(bytes[at..at + 24].iter().all(|&b| b == 0), "no room");
    let cmd: Vec<u8> = [0x2c_u32, 24, 0x4000, 0x100, 1, 0]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    bytes[at..at + 24].copy_from_slice(&cmd);
    bytes[16..20].copy_from_slice(&(ncmds + 1).to_le_bytes());
    bytes[20..24].copy_from_slice(&(sizeofcmds + 24).to_le_bytes());
    let slice = arm64(&bytes);
    assert!(slice.encrypted.unwrap().is_encrypted());
    assert!(slice.code.is_none());
}
