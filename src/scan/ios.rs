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

use super::observations::{presence_records, DataAccumulator, PresenceAccumulator};
use super::ScanOutput;
use crate::ios::macho::{CodeRefKind, NameList, Slice};
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

/// Framework name of a bundle path (`…/Frameworks/AMapFoundationKit.framework` →
/// `AMapFoundationKit`).
fn bundle_framework_name(path: &str) -> Option<&str> {
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    last.strip_suffix(".framework")
        .or_else(|| last.strip_suffix(".dylib"))
}

/// Name of a linked dylib (`/System/Library/Frameworks/AdSupport.framework/AdSupport` →
/// `AdSupport`, `@rpath/libfoo.dylib` → `libfoo`).
fn dylib_framework_name(path: &str) -> &str {
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
    /// The rules of `hits` whose classes are defined here or among `class_refs`.
    fn fired<'h>(
        &'h self,
        hits: &'h [RuleIdx],
        class_refs: &'h BTreeSet<&'h str>,
    ) -> impl Iterator<Item = &'s IosApiRule> + 'h {
        hits.iter().filter_map(move |&r| {
            let needed = self.m.ios_apis.required_classes(r);
            let present = needed.is_empty()
                || needed
                    .iter()
                    .any(|c| class_refs.contains(c.as_str()) || self.classes.contains(c.as_str()));
            if present {
                self.set.ios_apis.get(r.index())
            } else {
                None
            }
        })
    }
}

/// Scan the binaries of one bundle.
pub fn scan(binaries: &[Binary], set: &SignatureSet, m: &Matchers) -> ScanOutput {
    let mut presence = PresenceAccumulator::default();
    let mut data = DataAccumulator::default();
    let mut limits = Vec::new();
    let sdk_id = |i: usize| {
        set.sdks
            .get(i)
            .map_or(OWNER_UNKNOWN, |s| s.spec.id.as_str())
    };

    for bin in binaries {
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
        let classes = union(&bin.slices, |s| &s.objc_classes);
        // Which SDKs define classes in this binary.
        let mut class_owners: BTreeMap<usize, usize> = BTreeMap::new();
        for class in &classes {
            if let Some(i) = m.sdks.match_objc_class(class) {
                *class_owners.entry(i.index()).or_default() += 1;
                presence.code(
                    i.index(),
                    1,
                    Some(
                        Evidence::in_file(&bin.path)
                            .at(format!("ObjC class {class}"))
                            .rule(format!("sdk:{}", sdk_id(i.index()))),
                    ),
                );
            }
        }
        let framework_sdk = bundle_framework_name(&bin.owner_bundle)
            .and_then(|name| m.sdks.match_framework(name))
            .map(|i| i.index());
        if let Some(i) = framework_sdk {
            presence.code(
                i,
                0,
                Some(
                    Evidence::in_file(&bin.path)
                        .at(format!("framework {}", bin.owner_bundle))
                        .rule(format!("sdk:{}", sdk_id(i))),
                ),
            );
        }
        // Owner of code that no class claims, and of what only the whole binary shows.
        let binary_owner: String = if bin.is_app_code {
            if class_owners.is_empty() {
                OWNER_APP.to_string()
            } else {
                OWNER_UNKNOWN.to_string()
            }
        } else if let Some(i) = framework_sdk {
            sdk_id(i).to_string()
        } else if let Some((&i, _)) = class_owners.iter().max_by_key(|(_, n)| **n) {
            sdk_id(i).to_string()
        } else {
            OWNER_UNKNOWN.to_string()
        };
        let shared_note = (bin.is_app_code && !class_owners.is_empty()).then(|| {
            let ids: Vec<&str> = class_owners.keys().map(|&i| sdk_id(i)).collect();
            format!(
                "binary holds the app's code and SDK code ({}); the call cannot be pinned to one of them",
                ids.join(", ")
            )
        });
        let class_refs = union(&bin.slices, |s| &s.objc_class_refs);
        let rules = RuleFiring {
            set,
            m,
            classes: &classes,
        };

        let mut seen_types: BTreeSet<&str> = BTreeSet::new();
        let decoded = bin
            .slices
            .iter()
            .find_map(|s| s.code.as_ref().map(|c| (s.arch.as_str(), c)));
        if let Some((arch, code)) = decoded {
            // Per function: the owner is the function's class. A rule's class gate is met by
            // classes the same owner's code names (the app sending `startUpdatingLocation` to an
            // SDK's location manager is not the app using CLLocationManager).
            let owners: Vec<&str> = code
                .functions
                .iter()
                .map(|function| {
                    let class_sdk = function
                        .objc_class
                        .as_deref()
                        .and_then(|c| m.sdks.match_objc_class(c))
                        .map(|i| i.index());
                    match (class_sdk, &function.objc_class) {
                        (Some(i), _) => sdk_id(i),
                        (None, Some(_)) if bin.is_app_code => OWNER_APP,
                        _ => binary_owner.as_str(),
                    }
                })
                .collect();
            let mut owner_class_refs: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
            for (function, &owner) in code.functions.iter().zip(&owners) {
                owner_class_refs.entry(owner).or_default().extend(
                    function
                        .refs
                        .iter()
                        .filter(|r| r.kind == CodeRefKind::Class)
                        .map(|r| code.name(r)),
                );
            }
            let none = BTreeSet::new();
            for (function, &owner) in code.functions.iter().zip(&owners) {
                let owner_refs = owner_class_refs.get(owner).unwrap_or(&none);
                let note = if function.objc_class.is_none() {
                    shared_note.as_deref()
                } else {
                    None
                };
                for r in &function.refs {
                    let name = code.name(r);
                    let (hits, what) = match r.kind {
                        CodeRefKind::Selector => (m.ios_apis.match_selector(name), "selector"),
                        CodeRefKind::Symbol => (m.ios_apis.match_symbol(name), "symbol"),
                        CodeRefKind::Class => (m.ios_apis.match_class(name), "class"),
                    };
                    for rule in rules.fired(hits, owner_refs) {
                        let detail = match note {
                            Some(note) => format!("{arch} {what} {name}; {note}"),
                            None => format!("{arch} {what} {name}"),
                        };
                        let ev = Evidence::in_file(&bin.path)
                            .at(function.name.clone())
                            .rule(rule.id.clone())
                            .detail(detail);
                        data.add(&rule.data, owner, r.sites as usize, ev);
                        seen_types.insert(rule.data.as_str());
                    }
                }
            }
        } else {
            // No decoded code: what the binary holds, owned by the binary's owner.
            let mut fire = |hits: &[RuleIdx], what: String| {
                for rule in rules.fired(hits, &class_refs) {
                    let mut ev = Evidence::in_file(&bin.path)
                        .at(what.clone())
                        .rule(rule.id.clone());
                    if let Some(note) = &shared_note {
                        ev = ev.detail(note.clone());
                    }
                    data.add(&rule.data, &binary_owner, 1, ev);
                }
            };
            for sel in union(&bin.slices, |s| &s.selectors) {
                fire(m.ios_apis.match_selector(sel), format!("selector {sel}"));
            }
            for sym in union(&bin.slices, |s| &s.imported_symbols) {
                fire(
                    m.ios_apis.match_symbol(sym),
                    format!("imported symbol {sym}"),
                );
            }
            for class in &class_refs {
                fire(
                    m.ios_apis.match_class(class),
                    format!("class reference {class}"),
                );
            }
        }

        // Linked frameworks: evidence of the binary as a whole. When decoded code already
        // shows the same data type, the link adds nothing.
        let dylibs: BTreeSet<&str> = bin
            .slices
            .iter()
            .flat_map(|s| s.dylibs.iter().map(|d| d.path.as_str()))
            .collect();
        for d in dylibs {
            let name = dylib_framework_name(d);
            for rule in rules.fired(m.ios_apis.match_framework(name), &class_refs) {
                if seen_types.contains(rule.data.as_str()) {
                    continue;
                }
                let mut ev = Evidence::in_file(&bin.path)
                    .at(format!("links {d}"))
                    .rule(rule.id.clone());
                if decoded.is_some() {
                    ev = ev.detail("linked, but no call site was found in the decoded code");
                } else if let Some(note) = &shared_note {
                    ev = ev.detail(note.clone());
                }
                data.add(&rule.data, &binary_owner, 1, ev);
            }
            if let Some(i) = m.sdks.match_framework(name) {
                presence.support(
                    i.index(),
                    Evidence::in_file(&bin.path).at(format!("links {d}")),
                );
            }
        }
    }

    if binaries.is_empty() {
        limits.push(Limit::new(
            LimitKind::MissingCode,
            "the bundle has no executable: no code could be analysed",
        ));
    }
    ScanOutput {
        sdks: presence_records(presence.present(), &set.sdks),
        libraries: Vec::new(),
        data: data.finish(),
        limits,
    }
}
