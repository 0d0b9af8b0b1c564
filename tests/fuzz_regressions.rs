//! Inputs the fuzzers (`scripts/fuzz-all.sh`) found crashing, replayed through the same calls as
//! their fuzz target: each must now be read (or refused) without a panic. The files in
//! `tests/fixtures/fuzz/` are named `<target>-<what went wrong>`; each was mutated by libFuzzer
//! from a fixture of this repository (never from a fetched file).
//!
//! The crashes so far were arithmetic overflows, which panic only where overflow checks are on
//! (the fuzz build, `cargo test` without `--release`); the assertions below also pin what the
//! readers make of the input, so a regression shows in a release run too.

mod support;

fn fixture(name: &str) -> Vec<u8> {
    let path = support::repo_file("tests/fixtures/fuzz").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What the `ar` fuzz target does with its input: read the archive and, when it reads, every
/// member's classes and bitcode.
fn read_every_member(data: &[u8]) {
    if let Ok(libraries) = disclose::ios::ar::parse_static_library(data) {
        for lib in &libraries {
            let _ = lib.library.objc_classes().len() + lib.library.bitcode_count();
        }
    }
}

/// The ObjC classes of every member of the fixture `name`, which must still read as a static
/// library.
fn objc_classes_of(name: &str) -> Vec<String> {
    let data = fixture(name);
    assert!(disclose::ios::ar::is_static_library(&data), "{name}");
    let libraries = disclose::ios::ar::parse_static_library(&data).expect("readable archive");
    libraries
        .iter()
        .flat_map(|lib| {
            lib.library
                .objc_classes()
                .into_iter()
                .map(|c| c.to_string())
        })
        .collect()
}

/// `fuzz_targets/ar.rs`: an ObjC class-list slot of a member object pointing just below 2^64,
/// so `class_t.data` (slot + 32) overflowed (`src/ios/macho/objc.rs` `class_name`).
#[test]
fn ar_objc_class_address_overflow() {
    let classes = objc_classes_of("ar-objc-class-address-overflow.a");
    // The class the symbol table defines; the broken slot adds no name.
    assert_eq!(classes, ["BitcodeFixtureNative"]);
}

/// A member whose `__text` section starts 16 bytes below the end of the address space, so the
/// address of its fifth instruction overflowed (`src/ios/macho/code.rs` `code_references`).
/// Its code now stops at the end of the address space; the archive still reads.
#[test]
fn ar_text_address_overflow() {
    read_every_member(&fixture("ar-text-address-overflow.a"));
}

/// libFuzzer (ar target, session 8): a symbol-pointer section placed at the top of the address
/// space made the slot address `addr + i * 8` overflow; such slots are now skipped.
#[test]
fn ar_pointer_section_address_overflow() {
    read_every_member(&fixture("ar-pointer-section-address-overflow.a"));
}

/// libFuzzer (ar target, sessions 9 and 10): two mutations of the bitcode fixture whose
/// `class_t.data` pointer sits near the top of the address space, so `class_ro_t.baseMethods`
/// (data + 32) overflowed (`src/ios/macho/methods.rs` `ro_methods`). Method lists at such
/// addresses are now skipped; the class names the symbol table defines still read.
#[test]
fn ar_objc_class_ro_address_overflow() {
    for name in [
        "ar-objc-class-ro-address-overflow.a",
        "ar-objc-class-ro-address-overflow-2.a",
    ] {
        let classes = objc_classes_of(name);
        assert!(
            classes.iter().any(|c| c == "BitcodeFixtureNative"),
            "{name}: {classes:?}"
        );
    }
}

/// libFuzzer (policy target, session 8): a Markdown policy in a legacy CJK encoding whose
/// decoded text put an unchanged run later in the normalised text than in the original, so
/// mapping a prose SDK name back to its original bytes subtracted past zero
/// (`src/policy/normal.rs` `char_range`).
#[test]
fn policy_identity_run_before_its_original() {
    let data = fixture("policy-identity-run-before-its-original.md");
    let analyzer = disclose::Analyzer::builtin().unwrap();
    let vocab = analyzer.vocabulary().unwrap();
    if let Ok(doc) = disclose::policy::read_policy_bytes("f.md", &data) {
        let _ = disclose::policy::extract(&doc, vocab);
    }
}
