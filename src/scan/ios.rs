//! The iOS scanner: which SDKs an app's Mach-O binaries and frameworks contain, and which
//! personal data each binary reaches for (selectors, imported symbols, referenced classes,
//! linked frameworks).
//!
//! Attribution is per binary: a framework's code belongs to the SDK the framework is (by name,
//! or by the SDK owning most of its ObjC classes), the main executable to the app. When the
//! main executable also links SDK classes statically, selector use cannot be pinned to one
//! owner without disassembly, so it is reported as `unknown` and the evidence names the SDKs
//! that share the binary — never guessed.
//!
//! ```no_run
//! # fn f(bins: &[disclose::scan::ios::Binary], set: &disclose::signatures::SignatureSet,
//! #      m: &disclose::signatures::Matchers) {
//! let out = disclose::scan::ios::scan(bins, set, m);
//! # }
//! ```

use super::observations::{presence_records, DataAccumulator, PresenceAccumulator};
use super::ScanOutput;
use crate::ios::macho::{NameList, Slice};
use crate::model::{Evidence, Limit, LimitKind, OWNER_APP, OWNER_UNKNOWN};
use crate::signatures::{Matchers, SignatureSet};
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
        // Owner of API use in this binary.
        let owner: String = if bin.is_main {
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
        let shared_note = (bin.is_main && !class_owners.is_empty()).then(|| {
            let ids: Vec<&str> = class_owners.keys().map(|&i| sdk_id(i)).collect();
            format!(
                "binary holds the app's code and SDK code ({}); the call cannot be pinned to one of them",
                ids.join(", ")
            )
        });

        let class_refs = union(&bin.slices, |s| &s.objc_class_refs);
        let mut fire = |rules: &[crate::signatures::RuleIdx], what: String| {
            for &r in rules {
                let needed = m.ios_apis.required_classes(r);
                if !needed.is_empty()
                    && !needed
                        .iter()
                        .any(|c| class_refs.contains(c.as_str()) || classes.contains(c.as_str()))
                {
                    continue;
                }
                let Some(rule) = set.ios_apis.get(r.index()) else {
                    continue;
                };
                let mut ev = Evidence::in_file(&bin.path)
                    .at(what.clone())
                    .rule(rule.id.clone());
                if let Some(note) = &shared_note {
                    ev = ev.detail(note.clone());
                }
                data.add(&rule.data, &owner, 1, ev);
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
        let dylibs: BTreeSet<&str> = bin
            .slices
            .iter()
            .flat_map(|s| s.dylibs.iter().map(|d| d.path.as_str()))
            .collect();
        for d in dylibs {
            let name = dylib_framework_name(d);
            fire(m.ios_apis.match_framework(name), format!("links {d}"));
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
        data: data.finish(),
        limits,
    }
}
