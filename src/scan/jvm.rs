//! The scanner for JVM class files (vendor `.jar` / `.aar` SDK packages): SDK presence by the
//! classes a package defines, and data use per method from its bytecode references, with the
//! same API rules as DEX code (class-file references are written in the same smali form).
//!
//! ```no_run
//! # fn f(classes: &[disclose::scan::jvm::JvmClass], set: &disclose::signatures::SignatureSet,
//! #      m: &disclose::signatures::Matchers) {
//! let out = disclose::scan::jvm::scan(classes, set, m);
//! # }
//! ```

use super::code_unit::{fire, RefKind, Reference};
use super::jvm_owners::{CodeOwner, PackageOwners};
use super::observations::{presence_records, DataAccumulator, PresenceAccumulator};
use super::owners::{resolve_root, RootOwner};
use super::ScanOutput;
use crate::android::classfile::{ClassFile, CodeRefs, MemberRef};
use crate::model::{Evidence, OWNER_UNKNOWN};
use crate::signatures::{Matchers, RuleIdx, SdkIdx, SignatureSet};

/// One parsed class and the entry it came from (`classes.jar!com/foo/Bar.class`).
pub struct JvmClass {
    pub file: String,
    pub class: ClassFile,
}

/// Scan the classes of one package. A class no SDK package names is owned through its vendor
/// root ([`resolve_root`]: obfuscated `cn/jiguang/f/a` of a JCore AAR is JCore's).
pub fn scan(classes: &[JvmClass], set: &SignatureSet, m: &Matchers) -> ScanOutput {
    let mut presence = PresenceAccumulator::default();
    let mut data = DataAccumulator::default();
    let by_name: Vec<Option<usize>> = classes
        .iter()
        .map(|jc| m.sdks.match_descriptor(&jc.class.name).map(|i| i.index()))
        .collect();
    for (jc, owner_idx) in classes.iter().zip(&by_name) {
        if let Some((i, sdk)) = owner_idx.and_then(|i| set.sdks.get(i).map(|s| (i, s))) {
            let desc = format!("L{};", jc.class.name);
            let ev = Evidence::in_file(&jc.file)
                .at(&desc)
                .rule(format!("sdk:{}", sdk.spec.id));
            // As in DEX code: a crumb class proves only a reference.
            if m.sdks.is_crumb(&desc, SdkIdx(i as u32)) {
                presence.crumb(i, ev.detail("crumb: shipped by other libraries too"));
            } else {
                presence.code(i, 1, Some(ev));
            }
        }
    }
    let by_root: Vec<Option<usize>> = classes
        .iter()
        .zip(&by_name)
        .map(|(jc, by_name)| match by_name {
            Some(_) => None,
            None => {
                let root = m.vendor_roots.root_of(&format!("L{};", jc.class.name))?;
                match resolve_root(root, set, m, |i| presence.is_present(i.index())) {
                    RootOwner::Only(i) | RootOwner::Core(i) => Some(i.index()),
                    RootOwner::Unresolved(_) | RootOwner::Absent => None,
                }
            }
        })
        .collect();
    let owners = PackageOwners::new(classes, (&by_name, &by_root), set, m);
    for (ci, jc) in classes.iter().enumerate() {
        scan_class(jc, ci, &owners, set, m, &mut data);
    }
    ScanOutput {
        sdks: presence_records(presence.present(), &set.sdks),
        libraries: Vec::new(),
        data: data.finish(),
        limits: Vec::new(),
    }
}

/// The data uses of one class's methods, recorded under the class's owner (SDK and unknown code
/// as an owner id; library and platform wrapper code through [`PackageOwners`]).
fn scan_class(
    jc: &JvmClass,
    ci: usize,
    owners: &PackageOwners<'_>,
    set: &SignatureSet,
    m: &Matchers,
    data: &mut DataAccumulator,
) {
    let c = &jc.class;
    let owner = owners.owner(ci);
    let owner_id = match owner {
        CodeOwner::Sdk(i) => set
            .sdks
            .get(i)
            .map_or(OWNER_UNKNOWN, |s| s.spec.id.as_str()),
        _ => OWNER_UNKNOWN,
    };
    let by_id = matches!(owner, CodeOwner::Sdk(_) | CodeOwner::Unknown);
    let method_rules: Vec<&[RuleIdx]> = c
        .method_refs
        .iter()
        .map(|r| {
            m.android_apis
                .match_method(&format!("L{};", r.class), &r.name, &r.descriptor)
        })
        .collect();
    let field_rules: Vec<&[RuleIdx]> = c
        .field_refs
        .iter()
        .map(|r| {
            m.android_apis
                .match_field(&format!("L{};", r.class), &r.name, &r.descriptor)
        })
        .collect();
    for (mi, method) in c.methods.iter().enumerate() {
        let Some(code) = &method.code else { continue };
        let strings: Vec<&str> = code
            .strings
            .iter()
            .filter_map(|&s| c.strings.get(s as usize).map(String::as_str))
            .collect();
        let location = format!("L{};->{}{}", c.name, method.name, method.descriptor);
        // A rule that names strings fires only when the method also loads one of them.
        let gate = |r: RuleIdx| m.android_apis.strings_satisfied(r, strings.iter().copied());
        for reference in method_references(c, code, &method_rules, &field_rules, m) {
            fire(
                &jc.file,
                || location.clone(),
                reference,
                &set.android_apis,
                gate,
                |rule, sites, ev| {
                    if by_id {
                        data.add(&rule.data, owner_id, sites, ev);
                    } else {
                        owners.add_use(data, &rule.data, (ci, mi), sites, ev);
                    }
                },
            );
        }
    }
}

/// The references of one method whose APIs matched rules: invokes, field reads and strings.
fn method_references<'r>(
    c: &'r ClassFile,
    code: &CodeRefs,
    method_rules: &[&'r [RuleIdx]],
    field_rules: &[&'r [RuleIdx]],
    m: &'r Matchers,
) -> Vec<Reference<'r>> {
    let mut out = Vec::new();
    member_references(
        RefKind::Call,
        (&code.invokes, &code.invoke_counts),
        method_rules,
        &c.method_refs,
        &mut out,
    );
    member_references(
        RefKind::FieldRead,
        (&code.field_reads, &code.field_read_counts),
        field_rules,
        &c.field_refs,
        &mut out,
    );
    for &s in &code.strings {
        if let Some(text) = c.strings.get(s as usize) {
            let rules = m.android_apis.match_string(text);
            if !rules.is_empty() {
                out.push(Reference {
                    kind: RefKind::String,
                    rules,
                    sites: 1,
                    detail: format!("\"{text}\""),
                });
            }
        }
    }
    out
}

/// The references of one kind of member use (invokes or field reads): each used constant
/// (`uses.0`, with its count in `uses.1`) whose member matched rules.
fn member_references<'r>(
    kind: RefKind,
    uses: (&[u32], &[u32]),
    rules_of: &[&'r [RuleIdx]],
    members: &[MemberRef],
    out: &mut Vec<Reference<'r>>,
) {
    let (indices, counts) = uses;
    for (i, &idx) in indices.iter().enumerate() {
        if let (Some(rules), Some(r)) = (rules_of.get(idx as usize), members.get(idx as usize)) {
            if !rules.is_empty() {
                out.push(Reference {
                    kind,
                    rules,
                    sites: counts.get(i).copied().unwrap_or(1).max(1) as usize,
                    detail: r.smali(),
                });
            }
        }
    }
}
