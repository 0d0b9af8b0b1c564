//! The Mach-O reader against LLVM's tools (golden files from tests/golden/macho/regen.sh) on
//! real binaries, the chained-fixups fixture built by ld64.lld, and hostile input.

#[path = "golden/macho/golden.rs"]
mod golden;
mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;

use disclose::ios::macho::{
    is_macho, parse_macho, split_fat, DylibKind, MachOError, NameList, Slice,
};
use golden::{assert_same, Golden};

/// A file of ../shared/corpus/apps (`$DISCLOSE_SHARED` overrides where ../shared is).
fn shared_app(name: &str) -> Option<PathBuf> {
    support::shared_file(&format!("corpus/apps/{name}"))
}

fn kind_name(kind: DylibKind) -> &'static str {
    match kind {
        DylibKind::Load => "LC_LOAD_DYLIB",
        DylibKind::Weak => "LC_LOAD_WEAK_DYLIB",
        DylibKind::Reexport => "LC_REEXPORT_DYLIB",
        DylibKind::Lazy => "LC_LAZY_LOAD_DYLIB",
        DylibKind::Upward => "LC_LOAD_UPWARD_DYLIB",
    }
}

fn set(v: &NameList) -> BTreeSet<String> {
    v.iter().map(str::to_string).collect()
}

/// Compares every slice of a linked image or object file with its golden file.
fn check_against_golden(name: &str, bytes: &[u8], classes_section: &str) {
    let file = parse_macho(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    let archs: BTreeSet<String> = file.slices.iter().map(|s| s.arch.clone()).collect();
    assert_eq!(archs, Golden::archs(name), "{name}: architectures");
    for slice in &file.slices {
        let g = Golden::load(name, &slice.arch);
        let what = |field: &str| format!("{name} {} {field}", slice.arch);
        let dylibs: Vec<String> = slice
            .dylibs
            .iter()
            .map(|d| format!("{} {}", kind_name(d.kind), d.path))
            .collect();
        assert_eq!(dylibs, g.list("dylibs"), "{}", what("dylibs"));
        let id: Vec<String> = slice
            .install_name
            .iter()
            .map(|n| format!("LC_ID_DYLIB {n}"))
            .collect();
        assert_eq!(id, g.list("id"), "{}", what("install name"));
        assert_same(
            &what("ObjC classes"),
            &set(&slice.objc_classes),
            &g.set(classes_section),
        );
        assert_same(
            &what("imported symbols"),
            &set(&slice.imported_symbols),
            &g.set("imported-symbols"),
        );
    }
}

fn npm(package: &str, inner: &str) -> Option<Vec<u8>> {
    support::corpus_npm(package, inner).map(|p| std::fs::read(p).expect("read corpus file"))
}

#[test]
fn fat_dylib_matches_llvm() {
    let Some(path) = shared_app("mobsf-fat.dylib") else {
        return;
    };
    let bytes = std::fs::read(path).unwrap();
    assert!(is_macho(&bytes));
    check_against_golden("mobsf-fat.dylib", &bytes, "objc-classes");
    let file = parse_macho(&bytes).unwrap();
    for slice in &file.slices {
        assert_eq!(slice.file_type, "dylib");
        assert!(
            !slice.encrypted.is_some_and(|e| e.is_encrypted()),
            "{:?}",
            slice.encrypted
        );
    }
    assert!(file.slices[0]
        .dylibs
        .iter()
        .any(|d| d.kind == DylibKind::Weak && d.path.ends_with("/Metal")));
}

#[test]
fn fat_object_framework_matches_llvm() {
    // AlipaySDK.framework's binary is a fat file of single relocatable objects (not archives):
    // class names come through relocations.
    let Some(bytes) = npm(
        "cordova-plugin-alipay-v2",
        "package/src/ios/lib/AlipaySDK.framework/AlipaySDK",
    ) else {
        return;
    };
    check_against_golden("AlipaySDK", &bytes, "objc-classes");
    let file = parse_macho(&bytes).unwrap();
    assert!(file.slices.iter().all(|s| s.file_type == "object"));
}

/// The main executable of an IPA of ../shared/corpus/apps.
fn ipa_executable(ipa: &str) -> Option<Vec<u8>> {
    support::ipa_main_executable(&shared_app(ipa)?)
}

#[test]
fn ipa_executables_match_llvm() {
    for ipa in ["weibo-sdk-demo-2013.ipa", "mobsf-helloworld.ipa"] {
        let Some(bytes) = ipa_executable(ipa) else {
            continue;
        };
        check_against_golden(ipa, &bytes, "objc-classes");
        let file = parse_macho(&bytes).unwrap();
        for slice in &file.slices {
            assert_eq!(slice.file_type, "execute");
            assert!(
                slice
                    .min_os
                    .as_deref()
                    .is_some_and(|v| v.starts_with("ios ")),
                "{ipa}: {:?}",
                slice.min_os
            );
            assert!(!slice.selectors.is_empty(), "{ipa}: selectors");
        }
    }
    if let Some(bytes) = ipa_executable("weibo-sdk-demo-2013.ipa") {
        let file = parse_macho(&bytes).unwrap();
        assert!(
            file.slices[0]
                .objc_classes
                .iter()
                .any(|c| c.starts_with("WB")),
            "{:?}",
            file.slices[0].objc_classes
        );
    }
}

fn chained_fixture() -> Vec<u8> {
    std::fs::read(support::repo_file("tests/fixtures/macho/chained/App")).unwrap()
}

#[test]
fn chained_fixups_fixture_matches_llvm() {
    let bytes = chained_fixture();
    // llvm-otool 14 cannot follow chained pointers, so classes are compared with the class
    // symbols llvm-nm lists.
    check_against_golden("chained", &bytes, "objc-class-symbols");
    let slice = &parse_macho(&bytes).unwrap().slices[0];
    assert!(slice.uses_chained_fixups);
    assert_eq!(slice.min_os.as_deref(), Some("ios 15.0"));
    // Category name and class come only from rebased pointers in __objc_catlist.
    assert_eq!(slice.objc_categories, ["UMConfigure(Fixture)"]);
    assert!(slice.selectors.iter().any(|s| s == "advertisingIdentifier"));
    assert!(slice.selectors.iter().any(|s| s == "generalPasteboard"));
    assert_eq!(
        slice.objc_class_refs,
        ["ASIdentifierManager", "JPUSHService", "UIPasteboard"]
    );
}

/// Zeroes `nsyms` of LC_SYMTAB so that only the chained-fixups imports table and the ObjC
/// metadata (through chained pointers) are left to read.
fn without_symbol_table(mut bytes: Vec<u8>) -> Vec<u8> {
    let u32_at = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
    let ncmds = u32_at(&bytes, 16);
    let mut at = 32;
    for _ in 0..ncmds {
        if u32_at(&bytes, at) == 0x2 {
            bytes[at + 12..at + 16].copy_from_slice(&0u32.to_le_bytes());
        }
        at += u32_at(&bytes, at + 4) as usize;
    }
    bytes
}

#[test]
fn chained_fixups_imports_and_classes_without_a_symbol_table() {
    let bytes = without_symbol_table(chained_fixture());
    let slice: &Slice = &parse_macho(&bytes).unwrap().slices[0];
    let g = Golden::load("chained", "arm64");
    assert!(
        slice.exported_symbols.is_empty(),
        "symbol table not removed"
    );
    // dyld_stub_binder is only named in the symbol table; every other import is bound
    // through the chained-fixups imports table.
    let mut bound = g.set("imported-symbols");
    assert!(bound.remove("dyld_stub_binder"));
    assert_same(
        "chained imports table",
        &set(&slice.imported_symbols),
        &bound,
    );
    assert_same(
        "chained classlist",
        &set(&slice.objc_classes),
        &g.set("objc-class-symbols"),
    );
    assert_eq!(
        slice.objc_class_refs,
        ["ASIdentifierManager", "JPUSHService", "UIPasteboard"]
    );
}

// ---- hostile input -------------------------------------------------------------------------

/// A minimal 64-bit little-endian header with the given commands appended.
fn thin(ncmds: u32, commands: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    for v in [
        0xfeed_facf_u32,
        0x0100_000c,
        0,
        2,
        ncmds,
        commands.len() as u32,
        0,
        0,
    ] {
        b.extend(v.to_le_bytes());
    }
    b.extend(commands);
    b
}

fn words(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn error_of(bytes: &[u8]) -> String {
    let e: MachOError = parse_macho(bytes).expect_err("hostile input must be an error");
    let text = e.to_string();
    assert!(!text.contains('\n'), "one line: {text}");
    text
}

#[test]
fn load_command_pointing_outside_the_file_is_an_error() {
    // LC_SYMTAB whose symbol table lies far past the end.
    let e = error_of(&thin(1, &words(&[0x2, 24, 0x7fff_0000, 10, 0, 0])));
    assert!(e.contains("symbol table") && e.contains("outside"), "{e}");
    // A dylib command whose name offset points past the command.
    let e = error_of(&thin(1, &words(&[0xc, 24, 400, 0, 0, 0])));
    assert!(e.contains("load command 0"), "{e}");
    // cmdsize running past sizeofcmds.
    let e = error_of(&thin(1, &words(&[0x2, 4000, 0, 0, 0, 0])));
    assert!(e.contains("cmdsize"), "{e}");
}

#[test]
fn absurd_ncmds_is_an_error() {
    let e = error_of(&thin(0xffff_ffff, &words(&[0x2, 24, 0, 0, 0, 0])));
    assert!(e.contains("4294967295 commands"), "{e}");
    let mut huge = thin(1, &[]);
    huge[20..24].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(error_of(&huge).contains("do not fit"));
}

#[test]
fn section_outside_the_file_is_an_error() {
    // LC_SEGMENT_64 with one section whose file offset is past the end.
    let mut cmd = words(&[0x19, 72 + 80]);
    cmd.extend(b"__DATA\0\0\0\0\0\0\0\0\0\0");
    cmd.extend([0u8; 32]); // vmaddr, vmsize, fileoff, filesize
    cmd.extend(words(&[3, 3, 1, 0])); // maxprot, initprot, nsects, flags
    cmd.extend(b"__objc_classlist");
    cmd.extend(b"__DATA\0\0\0\0\0\0\0\0\0\0");
    cmd.extend(0x1000u64.to_le_bytes()); // addr
    cmd.extend(0x100u64.to_le_bytes()); // size
    cmd.extend(words(&[0x10_0000, 3, 0, 0, 0, 0, 0, 0])); // offset, align, reloff, nreloc, flags, reserved
    let e = error_of(&thin(1, &cmd));
    assert!(
        e.contains("__DATA,__objc_classlist") && e.contains("outside"),
        "{e}"
    );
}

fn fat(entries: &[(u32, u32)], len: usize) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend(0xcafe_babe_u32.to_be_bytes());
    b.extend((entries.len() as u32).to_be_bytes());
    for &(offset, size) in entries {
        for v in [0x0100_000c_u32, 0, offset, size, 12] {
            b.extend(v.to_be_bytes());
        }
    }
    b.resize(len, 0);
    b
}

#[test]
fn fat_header_with_overlapping_or_outside_slices_is_an_error() {
    let overlapping = fat(&[(4096, 4096), (6000, 4096)], 16384);
    assert_eq!(
        split_fat(&overlapping).unwrap_err().to_string(),
        "fat slices 0 and 1 overlap"
    );
    assert_eq!(error_of(&overlapping), "fat slices 0 and 1 overlap");
    let outside = fat(&[(4096, 1 << 30)], 8192);
    assert!(error_of(&outside)
        .starts_with("fat slice 0 (arm64) at offset 4096 size 1073741824 lies outside"));
    let over_header = fat(&[(0, 4096)], 8192);
    assert!(error_of(&over_header).contains("lies outside"));
}

#[test]
fn a_slice_error_names_the_slice() {
    let mut f = fat(&[(4096, 64)], 4096);
    f.extend(thin(1, &words(&[0x2, 24, 0x7fff_0000, 10, 0, 0])));
    f.resize(4096 + 64, 0);
    let e = error_of(&f);
    assert!(e.starts_with("slice 0 (arm64): symbol table"), "{e}");
}

#[test]
fn random_and_truncated_bytes_are_errors_not_panics() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for len in [0usize, 3, 27, 31, 64, 1000, 4096] {
        let random: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        assert!(parse_macho(&random).is_err());
    }
    // Every truncation of a real binary is either parsed or an error.
    let bytes = chained_fixture();
    for cut in (0..bytes.len()).step_by(509) {
        let _ = parse_macho(&bytes[..cut]);
    }
    // Random bytes after a valid header and random commands.
    for _ in 0..2000 {
        let commands: Vec<u8> = (0..(next() % 300) as usize).map(|_| next() as u8).collect();
        let _ = parse_macho(&thin((next() % 8) as u32, &commands));
    }
}
