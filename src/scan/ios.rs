//! The iOS scanner: which SDKs an app's Mach-O binaries and frameworks contain, and which
//! personal data each binary reaches for (selectors, imported symbols, referenced classes,
//! linked frameworks) — and whose code reaches for it.
//!
//! Attribution follows the code. When a slice's machine code could be decoded (linked arm64
//! images, see [`crate::ios::macho::CodeReferences`]), every selector sent, class named and
//! import called belongs to the function that does it, and a method belongs to its class: a
//! class an SDK signature claims is that SDK's, any other class of the main executable is the
//! app's, and in a framework the framework's SDK. Code outside any class (C, Swift) inherits
//! the binary's owner; in an app binary (main executable or extension) that also holds SDK classes that owner is
//! `unknown`, with evidence naming the SDKs that share the binary — never guessed. Binaries
//! whose code could not be decoded (x86_64-only, 32-bit) fall back to per-binary attribution
//! over the names the binary holds.
//!
//! ```no_run
//! # fn f(bins: &[disclose::scan::ios::Binary], set: &disclose::signatures::SignatureSet,
//! #      m: &disclose::signatures::Matchers) {
//! let out = disclose::scan::ios::scan(bins, set, m);
//! # }
//! ```

use super::code_unit::{fire, RefKind, Reference};
use super::ios_presence::{class_presence, framework_presence, symbol_presence};
use super::observations::{presence_records, DataAccumulator, PresenceAccumulator};
use super::ScanOutput;
use crate::ios::macho::{CodeRefKind, CodeReferences, NameList, Slice};
use crate::model::{Evidence, Limit, LimitKind, OWNER_APP, OWNER_UNKNOWN};
use crate::signatures::schema::IosApiRule;
use crate::signatures::{Matchers, RuleIdx, SignatureSet};
use std::collections::{BTreeMap, BTreeSet};

/// One binary of the bundle, with its parsed slices (objects of a static library count as
/// slices too).
pub struct Binary {
    /// Path inside the package.
    pub path: String,
    /// The bundle it belongs to (`Payload/App.app`, `…/Frameworks/X.framework`).
    pub owner_bundle: String,
    /// True for the app's main executable.
    pub is_main: bool,
    /// True for the app's own code: the main executable, its extensions (`.appex`) and Watch apps.
    /// Their classes that no SDK claims are the app's.
    pub is_app_code: bool,
    pub slices: Vec<Slice>,
}

/// One name a binary references, as passes other than the data scan see it (the
/// required-reason check, `super::ios_required_reason`).
pub struct ReferenceSite<'a> {
    pub arch: &'a str,
    /// The function whose decoded code references the name; `None` for a name the binary
    /// holds (imports, selector and class references) that no decoded function was seen using.
    pub function: Option<&'a str>,
    /// Index of that function in [`CodeReferences::functions`] of [`decoded_code`].
    pub function_index: Option<usize>,
    pub kind: CodeRefKind,
    pub name: &'a str,
    pub sites: u32,
}

/// The decoded code of `bin`: that of its first slice whose machine code could be decoded,
/// with the slice's architecture. Both the data scan and [`each_reference`] read this one.
pub fn decoded_code(bin: &Binary) -> Option<(&str, &CodeReferences)> {
    bin.slices
        .iter()
        .find_map(|s| s.code.as_ref().map(|c| (s.arch.as_str(), c)))
}

/// Every reference of `bin`: those of its decoded functions ([`decoded_code`]), then each
/// imported symbol, selector and class reference of any slice.
pub fn each_reference<'a>(bin: &'a Binary, mut f: impl FnMut(ReferenceSite<'a>)) {
    if let Some((arch, code)) = decoded_code(bin) {
        for (index, function) in code.functions.iter().enumerate() {
            for r in &function.refs {
                f(ReferenceSite {
                    arch,
                    function: Some(function.name.as_str()),
                    function_index: Some(index),
                    kind: r.kind,
                    name: code.name(r),
                    sites: r.sites,
                });
            }
        }
    }
    for s in &bin.slices {
        for (kind, names) in [
            (CodeRefKind::Symbol, &s.imported_symbols),
            (CodeRefKind::Selector, &s.selectors),
            (CodeRefKind::Class, &s.objc_class_refs),
        ] {
            for name in names.iter() {
                f(ReferenceSite {
                    arch: s.arch.as_str(),
                    function: None,
                    function_index: None,
                    kind,
                    name,
                    sites: 1,
                });
            }
        }
    }
}

/// Name of a linked dylib (`/System/Library/Frameworks/AdSupport.framework/AdSupport` →
/// `AdSupport`, `@rpath/libfoo.dylib` → `libfoo`).
pub(super) fn dylib_framework_name(path: &str) -> &str {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.strip_suffix(".dylib").unwrap_or(file)
}

fn union<'a>(slices: &'a [Slice], f: impl Fn(&'a Slice) -> &'a NameList) -> BTreeSet<&'a str> {
    slices.iter().flat_map(|s| f(s).iter()).collect()
}

/// The API rules of one binary, with the gate that a rule naming classes
/// (`generalPasteboard` needs `UIPasteboard`) fires only when the binary defines one of them or
/// the code in question references one.
struct RuleFiring<'s> {
    set: &'s SignatureSet,
    m: &'s Matchers,
    classes: &'s BTreeSet<&'s str>,
}

impl<'s> RuleFiring<'s> {
    /// Whether rule `r` names no classes, or one of its classes is defined here or among
    /// `class_refs`.
    fn passes(&self, r: RuleIdx, class_refs: &BTreeSet<&str>) -> bool {
        let needed = self.m.ios_apis.required_classes(r);
        needed.is_empty()
            || needed
                .iter()
                .any(|c| class_refs.contains(c.as_str()) || self.classes.contains(c.as_str()))
    }

    /// The rules of `hits` that pass the class gate.
    fn fired<'h>(
        &'h self,
        hits: &'h [RuleIdx],
        class_refs: &'h BTreeSet<&'h str>,
    ) -> impl Iterator<Item = &'s IosApiRule> + 'h {
        hits.iter().filter_map(move |&r| {
            if self.passes(r, class_refs) {
                self.set.ios_apis.get(r.index())
            } else {
                None
            }
        })
    }
}

/// What a scan of one bundle gathers.
#[derive(Default)]
struct Found<'s> {
    presence: PresenceAccumulator,
    data: DataAccumulator,
    limits: Vec<Limit>,
    /// Data types of the current binary that decoded code already shows.
    seen_types: BTreeSet<&'s str>,
}

/// A reference of decoded code that at least one API rule matches.
struct MatchedReference<'a> {
    /// Index into the decoded functions.
    function: usize,
    kind: RefKind,
    name: &'a str,
    sites: u32,
    rules: &'a [RuleIdx],
}

/// What one walk over a binary's references gathers for the data scan.
#[derive(Default)]
struct ReferenceWalk<'a> {
    /// Decoded code: the matched references, in function order.
    matched: Vec<MatchedReference<'a>>,
    /// Decoded code: the classes each owner's functions name (the rules' class gate).
    owner_class_refs: BTreeMap<&'a str, BTreeSet<&'a str>>,
    /// No decoded code: the names the binary holds, each kind sorted and unique.
    held_selectors: BTreeSet<&'a str>,
    held_symbols: BTreeSet<&'a str>,
    held_classes: BTreeSet<&'a str>,
}

/// One binary being scanned, with what decides its owners and gates its rules.
struct BinaryScan<'s, 'b> {
    bin: &'b Binary,
    set: &'s SignatureSet,
    m: &'s Matchers,
    rules: RuleFiring<'b>,
    /// Owner of code that no class claims, and of what only the whole binary shows.
    binary_owner: String,
    /// Said of calls that cannot be pinned on the app or one of the SDKs sharing its binary.
    shared_note: Option<String>,
    class_refs: BTreeSet<&'b str>,
}

/// Scan the binaries of one bundle.
pub fn scan(binaries: &[Binary], set: &SignatureSet, m: &Matchers) -> ScanOutput {
    let mut found = Found::default();
    for bin in binaries {
        found.seen_types.clear();
        encryption_limits(bin, &mut found.limits);
        let classes = union(&bin.slices, |s| &s.objc_classes);
        let mut class_owners = class_presence(bin, &classes, set, m, &mut found.presence);
        symbol_presence(bin, set, m, &mut found.presence, &mut class_owners);
        let framework_sdk = framework_presence(bin, set, m, &mut found.presence);
        let scan = BinaryScan {
            bin,
            set,
            m,
            rules: RuleFiring {
                set,
                m,
                classes: &classes,
            },
            binary_owner: binary_owner(bin, &class_owners, framework_sdk, set),
            shared_note: shared_note(bin, &class_owners, set),
            class_refs: union(&bin.slices, |s| &s.objc_class_refs),
        };
        let decoded = decoded_code(bin);
        let owners = decoded.map_or_else(Vec::new, |(_, code)| scan.function_owners(code));
        let walk = scan.walk(&owners, decoded.is_some());
        match decoded {
            Some((arch, code)) => scan.decoded(arch, code, &owners, &walk, &mut found),
            None => scan.undecoded(&walk, &mut found),
        }
        scan.linked_frameworks(decoded.is_some(), &mut found);
    }
    if binaries.is_empty() {
        found.limits.push(Limit::new(
            LimitKind::MissingCode,
            "the bundle has no executable: no code could be analysed",
        ));
    }
    ScanOutput {
        sdks: presence_records(found.presence.present(), &set.sdks),
        libraries: Vec::new(),
        data: found.data.finish(),
        limits: found.limits,
    }
}

pub(super) fn sdk_id(set: &SignatureSet, i: usize) -> &str {
    set.sdks
        .get(i)
        .map_or(OWNER_UNKNOWN, |s| s.spec.id.as_str())
}

/// A limit for every FairPlay-encrypted slice.
fn encryption_limits(bin: &Binary, limits: &mut Vec<Limit>) {
    for s in &bin.slices {
        if let Some(enc) = &s.encrypted {
            if enc.is_encrypted() {
                limits.push(Limit {
                    kind: LimitKind::Encrypted,
                    message: format!(
                        "{} ({}) is FairPlay-encrypted (cryptid {}): its code cannot be read; decrypt the app to analyse it",
                        bin.path, s.arch, enc.cryptid
                    ),
                    evidence: vec![Evidence::in_file(&bin.path)
                        .at(format!("{} LC_ENCRYPTION_INFO", s.arch))],
                });
            }
        }
    }
}

/// Owner of code that no class claims, and of what only the whole binary shows.
fn binary_owner(
    bin: &Binary,
    class_owners: &BTreeMap<usize, usize>,
    framework_sdk: Option<usize>,
    set: &SignatureSet,
) -> String {
    if bin.is_app_code {
        if class_owners.is_empty() {
            OWNER_APP.to_string()
        } else {
            OWNER_UNKNOWN.to_string()
        }
    } else if let Some(i) = framework_sdk {
        sdk_id(set, i).to_string()
    } else if let Some((&i, _)) = class_owners.iter().max_by_key(|(_, n)| **n) {
        sdk_id(set, i).to_string()
    } else {
        OWNER_UNKNOWN.to_string()
    }
}

/// The note for an app binary that also holds SDK classes.
fn shared_note(
    bin: &Binary,
    class_owners: &BTreeMap<usize, usize>,
    set: &SignatureSet,
) -> Option<String> {
    (bin.is_app_code && !class_owners.is_empty()).then(|| {
        let ids: Vec<&str> = class_owners.keys().map(|&i| sdk_id(set, i)).collect();
        format!(
            "binary holds the app's code and SDK code ({}); the call cannot be pinned to one of them",
            ids.join(", ")
        )
    })
}

impl<'s, 'b> BinaryScan<'s, 'b> {
    /// The owner of each decoded function: its class's SDK, the app for the app's own classes,
    /// else the binary's owner.
    fn function_owners<'a>(&'a self, code: &CodeReferences) -> Vec<&'a str> {
        code.functions
            .iter()
            .map(|function| {
                let class_sdk = function
                    .objc_class
                    .as_deref()
                    .and_then(|c| self.m.sdks.match_objc_class(c))
                    .map(|i| i.index());
                match (class_sdk, &function.objc_class) {
                    (Some(i), _) => sdk_id(self.set, i),
                    (None, Some(_)) if self.bin.is_app_code => OWNER_APP,
                    _ => self.binary_owner.as_str(),
                }
            })
            .collect()
    }

    /// One walk over the binary's references ([`each_reference`]): for decoded code, the
    /// references some API rule matches and the classes each owner's code names; otherwise the
    /// names the binary holds.
    fn walk<'a>(&'a self, owners: &[&'a str], decoded: bool) -> ReferenceWalk<'a> {
        let m = self.m;
        let mut walk = ReferenceWalk::default();
        each_reference(self.bin, |site| match (decoded, site.function_index) {
            (true, Some(index)) => {
                let Some(&owner) = owners.get(index) else {
                    return;
                };
                if site.kind == CodeRefKind::Class {
                    walk.owner_class_refs
                        .entry(owner)
                        .or_default()
                        .insert(site.name);
                }
                let (rules, kind) = match site.kind {
                    CodeRefKind::Selector => {
                        (m.ios_apis.match_selector(site.name), RefKind::Selector)
                    }
                    CodeRefKind::Symbol => (m.ios_apis.match_symbol(site.name), RefKind::Symbol),
                    CodeRefKind::Class => (m.ios_apis.match_class(site.name), RefKind::Class),
                };
                if !rules.is_empty() {
                    walk.matched.push(MatchedReference {
                        function: index,
                        kind,
                        name: site.name,
                        sites: site.sites,
                        rules,
                    });
                }
            }
            (false, None) => {
                let held = match site.kind {
                    CodeRefKind::Selector => &mut walk.held_selectors,
                    CodeRefKind::Symbol => &mut walk.held_symbols,
                    CodeRefKind::Class => &mut walk.held_classes,
                };
                held.insert(site.name);
            }
            _ => {}
        });
        walk
    }

    /// Decoded code: every reference belongs to the function that makes it. A rule's class
    /// gate is met by classes the same owner's code names (the app sending
    /// `startUpdatingLocation` to an SDK's location manager is not the app using
    /// CLLocationManager).
    fn decoded(
        &self,
        arch: &str,
        code: &CodeReferences,
        owners: &[&str],
        walk: &ReferenceWalk<'_>,
        found: &mut Found<'s>,
    ) {
        let none = BTreeSet::new();
        for matched in &walk.matched {
            let (Some(function), Some(&owner)) = (
                code.functions.get(matched.function),
                owners.get(matched.function),
            ) else {
                continue;
            };
            let owner_refs = walk.owner_class_refs.get(owner).unwrap_or(&none);
            let note = if function.objc_class.is_none() {
                self.shared_note.as_deref()
            } else {
                None
            };
            let (what, name) = (matched.kind.word(), matched.name);
            let detail = match note {
                Some(note) => format!("{arch} {what} {name}; {note}"),
                None => format!("{arch} {what} {name}"),
            };
            let reference = Reference {
                kind: matched.kind,
                rules: matched.rules,
                sites: matched.sites as usize,
                detail,
            };
            fire(
                &self.bin.path,
                || function.name.clone(),
                reference,
                &self.set.ios_apis,
                |rule| self.rules.passes(rule, owner_refs),
                |rule, sites, ev| {
                    found.data.add(&rule.data, owner, sites, ev);
                    found.seen_types.insert(rule.data.as_str());
                },
            );
        }
    }

    /// No decoded code: what the binary holds, owned by the binary's owner.
    fn undecoded(&self, walk: &ReferenceWalk<'_>, found: &mut Found<'s>) {
        let m = self.m;
        let bin = self.bin;
        let mut fire = |hits: &[RuleIdx], what: String| {
            for rule in self.rules.fired(hits, &self.class_refs) {
                let mut ev = Evidence::in_file(&bin.path)
                    .at(what.clone())
                    .rule(rule.id.clone());
                if let Some(note) = &self.shared_note {
                    ev = ev.detail(note.clone());
                }
                found.data.add(&rule.data, &self.binary_owner, 1, ev);
            }
        };
        for &sel in &walk.held_selectors {
            fire(m.ios_apis.match_selector(sel), format!("selector {sel}"));
        }
        for &sym in &walk.held_symbols {
            fire(
                m.ios_apis.match_symbol(sym),
                format!("imported symbol {sym}"),
            );
        }
        for &class in &walk.held_classes {
            fire(
                m.ios_apis.match_class(class),
                format!("class reference {class}"),
            );
        }
    }

    /// Linked frameworks: evidence of the binary as a whole. When decoded code already shows
    /// the same data type, the link adds nothing.
    fn linked_frameworks(&self, decoded: bool, found: &mut Found<'s>) {
        let bin = self.bin;
        let dylibs: BTreeSet<&str> = bin
            .slices
            .iter()
            .flat_map(|s| s.dylibs.iter().map(|d| d.path.as_str()))
            .collect();
        for d in dylibs {
            let name = dylib_framework_name(d);
            for rule in self
                .rules
                .fired(self.m.ios_apis.match_framework(name), &self.class_refs)
            {
                if found.seen_types.contains(rule.data.as_str()) {
                    continue;
                }
                let mut ev = Evidence::in_file(&bin.path)
                    .at(format!("links {d}"))
                    .rule(rule.id.clone());
                if decoded {
                    ev = ev.detail("linked, but no call site was found in the decoded code");
                } else if let Some(note) = &self.shared_note {
                    ev = ev.detail(note.clone());
                }
                found.data.add(&rule.data, &self.binary_owner, 1, ev);
            }
            if let Some(i) = self.m.sdks.match_framework(name) {
                found.presence.support(
                    i.index(),
                    Evidence::in_file(&bin.path).at(format!("links {d}")),
                );
            }
        }
    }
}
