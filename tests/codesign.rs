//! Code-signature reading (`LC_CODE_SIGNATURE` → SuperBlob → code directory and entitlements)
//! against golden files written by tests/golden/macho/regen-codesign.py (llvm-objdump,
//! llvm-lipo, python3 struct + plistlib) for real signed binaries, ld64.lld's ad-hoc signature,
//! signatures that lie, and `disclose inspect` showing the entitlements.

#[path = "golden/macho/golden.rs"]
mod golden;
mod support;

use assert_cmd::Command;
use disclose::ios::macho::{parse_macho, Slice};
use golden::Golden;

/// The main executable of an IPA of ../shared/corpus/apps.
fn ipa_executable(ipa: &str) -> Option<Vec<u8>> {
    support::ipa_main_executable(&support::shared_file(&format!("corpus/apps/{ipa}"))?)
}

fn adhoc_fixture() -> Vec<u8> {
    std::fs::read(support::repo_file("tests/fixtures/macho/adhoc/App")).unwrap()
}

/// Compares every slice's signature with `codesign/<name>/<arch>.txt` ("thin.txt" for a thin
/// file).
fn check_against_golden(name: &str, bytes: &[u8]) {
    let golden_name = format!("codesign/{name}");
    let golden_archs = Golden::archs(&golden_name);
    let slices = parse_macho(bytes).unwrap().slices;
    if golden_archs.contains("thin") {
        assert_eq!(slices.len(), 1, "{name}: thin");
    } else {
        let archs: std::collections::BTreeSet<String> =
            slices.iter().map(|s| s.arch.clone()).collect();
        assert_eq!(archs, golden_archs, "{name}: architectures");
    }
    for slice in &slices {
        let arch = if golden_archs.contains("thin") {
            "thin"
        } else {
            slice.arch.as_str()
        };
        check_slice(name, slice, &Golden::load(&golden_name, arch));
    }
}

fn check_slice(name: &str, slice: &Slice, g: &Golden) {
    let what = |field: &str| format!("{name} {} {field}", slice.arch);
    let sig = slice
        .code_signature
        .as_ref()
        .unwrap_or_else(|| panic!("{}", what("no code signature")));
    assert_eq!(sig.problems, Vec::<String>::new(), "{}", what("problems"));
    let opt = |v: &Option<String>| v.iter().cloned().collect::<Vec<_>>();
    assert_eq!(opt(&sig.identifier), g.list("identifier"), "{}", what("id"));
    assert_eq!(opt(&sig.team_id), g.list("team-id"), "{}", what("team"));
    let yes_no = |b: bool| vec![if b { "yes" } else { "no" }.to_string()];
    assert_eq!(
        yes_no(sig.der_entitlements),
        g.list("der-entitlements"),
        "{}",
        what("DER entitlements")
    );
    assert_eq!(
        yes_no(sig.entitlements.is_some()),
        g.list("has-entitlements"),
        "{}",
        what("entitlements blob")
    );
    let e = sig.entitlements.clone().unwrap_or_default();
    assert_eq!(e.keys, g.list("entitlement-keys"), "{}", what("keys"));
    assert_eq!(
        opt(&e.application_identifier),
        g.list("application-identifier"),
        "{}",
        what("application-identifier")
    );
    assert_eq!(opt(&e.aps_environment), g.list("aps-environment"));
    assert_eq!(
        e.get_task_allow
            .map(|b| b.to_string())
            .into_iter()
            .collect::<Vec<_>>(),
        g.list("get-task-allow"),
        "{}",
        what("get-task-allow")
    );
    assert_eq!(e.keychain_access_groups, g.list("keychain-access-groups"));
    assert_eq!(
        e.associated_domains,
        g.list("com.apple.developer.associated-domains")
    );
    assert_eq!(
        e.app_groups,
        g.list("com.apple.security.application-groups")
    );
}

#[test]
fn signed_ipa_executables_match_python_golden() {
    for ipa in ["weibo-sdk-demo-2013.ipa", "mobsf-helloworld.ipa"] {
        if let Some(bytes) = ipa_executable(ipa) {
            check_against_golden(ipa, &bytes);
        }
    }
}

#[test]
fn signed_dylib_with_an_empty_entitlements_plist_matches_python_golden() {
    let Some(path) = support::shared_file("corpus/apps/mobsf-fat.dylib") else {
        return;
    };
    check_against_golden("mobsf-fat.dylib", &std::fs::read(path).unwrap());
}

#[test]
fn lld_adhoc_signature_has_an_identifier_and_no_entitlements() {
    let bytes = adhoc_fixture();
    check_against_golden("adhoc", &bytes);
    let slice = &parse_macho(&bytes).unwrap().slices[0];
    let sig = slice.code_signature.as_ref().unwrap();
    assert_eq!(sig.identifier.as_deref(), Some("App"));
    assert!(sig.entitlements.is_none() && !sig.der_entitlements);
}

#[test]
fn unsigned_images_have_no_signature() {
    let chained = std::fs::read(support::repo_file("tests/fixtures/macho/chained/App")).unwrap();
    assert_eq!(
        parse_macho(&chained).unwrap().slices[0].code_signature,
        None
    );
}

/// The offset of the `LC_CODE_SIGNATURE` command in a thin 64-bit little-endian image.
fn code_signature_command(bytes: &[u8]) -> usize {
    let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    let mut at = 32;
    for _ in 0..u32_at(16) {
        if u32_at(at) == 0x1d {
            return at;
        }
        at += u32_at(at + 4) as usize;
    }
    panic!("no LC_CODE_SIGNATURE");
}

fn problems_of(bytes: &[u8]) -> Vec<String> {
    let slice = parse_macho(bytes)
        .expect("a bad signature must not fail the image")
        .slices
        .remove(0);
    let problems = slice.code_signature.unwrap().problems;
    for p in &problems {
        assert!(!p.contains('\n'), "one line: {p}");
    }
    problems
}

#[test]
fn signatures_that_lie_are_one_line_notes_not_errors() {
    let good = adhoc_fixture();
    let cmd = code_signature_command(&good);
    let dataoff = u32::from_le_bytes(good[cmd + 8..cmd + 12].try_into().unwrap()) as usize;

    let mut outside = good.clone();
    outside[cmd + 8..cmd + 12].copy_from_slice(&0x7fff_0000u32.to_le_bytes());
    assert_eq!(
        problems_of(&outside),
        ["code signature at offset 2147418112 size 416 lies outside the image"]
    );

    let mut bad_magic = good.clone();
    bad_magic[dataoff..dataoff + 4].copy_from_slice(b"\0\0\0\0");
    assert_eq!(
        problems_of(&bad_magic),
        ["code signature is not a SuperBlob (magic 0x00000000)"]
    );

    let mut lying_count = good.clone();
    lying_count[dataoff + 8..dataoff + 12].copy_from_slice(&0x00ff_ffffu32.to_be_bytes());
    assert!(problems_of(&lying_count)[0].contains("blob count (16777215)"));

    let mut lying_blob = good.clone();
    // The code directory's length field, far past the SuperBlob.
    let cd = u32::from_be_bytes(good[dataoff + 16..dataoff + 20].try_into().unwrap()) as usize;
    lying_blob[dataoff + cd + 4..dataoff + cd + 8].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(
        problems_of(&lying_blob),
        ["code signature blob 0 (slot 0x0) at offset 24: blob runs past the end of the SuperBlob"]
    );

    // Every truncation of the signature is read or noted, never a panic.
    for cut in dataoff..good.len() {
        let _ = parse_macho(&good[..cut]);
    }
}

#[test]
fn inspect_shows_code_signature_entitlements_beside_the_profile() {
    let Some(ipa) = support::shared_file("corpus/apps/mobsf-helloworld.ipa") else {
        return;
    };
    let out = support::inspect_json(&ipa, &[]);
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let slice = &report["details"]["binaries"][0]["slices"][0];
    let sig = &slice["code_signature"];
    assert_eq!(sig["identifier"], "com.kthcorp.helloworld");
    assert_eq!(
        sig["entitlements"]["application_identifier"],
        report["details"]["provision"]["entitlements"]["application_identifier"]
    );
    let text = Command::cargo_bin("disclose")
        .unwrap()
        .arg("inspect")
        .arg(&ipa)
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains(
            "entitlements (code signature)        application-identifier, get-task-allow, keychain-access-groups"
        ),
        "{text}"
    );
}
