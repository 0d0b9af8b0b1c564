//! Who owns the code of a vendor `.jar` / `.aar` package, class by class: an SDK (its packages or
//! its vendor root), a named open-source library ("glide (library)"), or a platform library
//! (android.support, androidx …) whose API use belongs to the package code that calls the
//! wrapper, followed up to [`MAX_HOPS`] call levels through other wrapper methods. Wrapper code
//! nobody in the package calls is "not called" (never a finding), as in DEX code.
//!
//! ```no_run
//! # fn f(classes: &[disclose::scan::jvm::JvmClass], set: &disclose::signatures::SignatureSet,
//! #      m: &disclose::signatures::Matchers) {
//! // `disclose::scan::jvm::scan` builds the owners of a package's classes once and asks them
//! // for the owner of each data use it finds.
//! let out = disclose::scan::jvm::scan(classes, set, m);
//! # }
//! ```

use std::collections::HashMap;

use super::callers::MAX_HOPS;
use super::jvm::JvmClass;
use super::observations::{DataAccumulator, OwnerLabel};
use crate::model::{Evidence, OwnerKind, OWNER_UNKNOWN};
use crate::signatures::{Matchers, SignatureSet};

/// The owner of one class's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeOwner {
    /// An SDK (index into the signature set), by its packages or its vendor root.
    Sdk(usize),
    /// A named open-source library (index into the libraries).
    Library(usize),
    /// A platform or system library: its API use is its callers'.
    Platform(usize),
    /// Nobody known.
    Unknown,
}

/// A method as the constant pool names it: internal class name, name, descriptor.
type MethodKey<'a> = (&'a str, &'a str, &'a str);

/// The owners of a package's classes and who calls which method.
pub(crate) struct PackageOwners<'a> {
    classes: &'a [JvmClass],
    owners: Vec<CodeOwner>,
    set: &'a SignatureSet,
    /// Callee → the (class, method) pairs that invoke it.
    callers: HashMap<MethodKey<'a>, Vec<(usize, usize)>>,
}

impl<'a> PackageOwners<'a> {
    /// `by_name[i]` is the SDK whose packages name class `i`, `by_root[i]` the SDK its vendor
    /// root resolves to (both found by the scanner). As in DEX code, a library prefix longer
    /// than the SDK's wins, and a library wins over a vendor root.
    pub(crate) fn new(
        classes: &'a [JvmClass],
        (by_name, by_root): (&[Option<usize>], &[Option<usize>]),
        set: &'a SignatureSet,
        m: &Matchers,
    ) -> PackageOwners<'a> {
        let owners: Vec<CodeOwner> = classes
            .iter()
            .enumerate()
            .map(|(i, jc)| {
                let sdk = (
                    by_name.get(i).copied().flatten(),
                    by_root.get(i).copied().flatten(),
                );
                code_owner(&jc.class.name, sdk, m)
            })
            .collect();
        let mut callers: HashMap<MethodKey<'a>, Vec<(usize, usize)>> = HashMap::new();
        if owners.iter().any(|o| matches!(o, CodeOwner::Platform(_))) {
            for (ci, jc) in classes.iter().enumerate() {
                for (mi, method) in jc.class.methods.iter().enumerate() {
                    let Some(code) = &method.code else { continue };
                    for &idx in &code.invokes {
                        if let Some(r) = jc.class.method_refs.get(idx as usize) {
                            let key = (r.class.as_str(), r.name.as_str(), r.descriptor.as_str());
                            callers.entry(key).or_default().push((ci, mi));
                        }
                    }
                }
            }
        }
        PackageOwners {
            classes,
            owners,
            set,
            callers,
        }
    }

    /// The owner of class `i`.
    pub(crate) fn owner(&self, i: usize) -> CodeOwner {
        self.owners.get(i).copied().unwrap_or(CodeOwner::Unknown)
    }

    /// Records one data use found in method `method` of class `class` (owned by a library or
    /// a platform library; SDK and unknown code is recorded by the scanner as before).
    pub(crate) fn add_use(
        &self,
        data: &mut DataAccumulator,
        data_type: &str,
        (class, method): (usize, usize),
        sites: usize,
        ev: Evidence,
    ) {
        match self.owner(class) {
            CodeOwner::Platform(lib) => {
                self.add_wrapper_use(data, data_type, (class, method), lib, ev)
            }
            owner => data.add_owned(data_type, &self.label(owner), sites, ev),
        }
    }

    /// A use inside platform wrapper code: owned by the nearest non-platform callers within
    /// [`MAX_HOPS`] call levels, else "not called".
    fn add_wrapper_use(
        &self,
        data: &mut DataAccumulator,
        data_type: &str,
        (class, method): (usize, usize),
        lib: usize,
        ev: Evidence,
    ) {
        let lib_id = self
            .set
            .libraries
            .get(lib)
            .map_or("platform", |l| l.id.as_str());
        let wrapper = ev.location.clone().unwrap_or_default();
        let found = self.callers_of(class, method);
        if found.is_empty() {
            let l = OwnerLabel::new(
                OwnerKind::Platform,
                lib_id,
                format!("not called: platform wrapper code of {lib_id} that no code of this package calls within {MAX_HOPS} call levels (not a finding)"),
            );
            data.add_owned(data_type, &l, 1, ev);
            return;
        }
        for (ci, mi, hops) in found {
            let Some(jc) = self.classes.get(ci) else {
                continue;
            };
            let Some(m) = jc.class.methods.get(mi) else {
                continue;
            };
            let mut l = self.label(self.owner(ci));
            l.reason = format!(
                "{}; calls platform wrapper {wrapper} ({lib_id}), {hops} call level(s) below",
                l.reason
            );
            let mut caller = Evidence::in_file(&jc.file)
                .at(format!("L{};->{}{}", jc.class.name, m.name, m.descriptor))
                .detail(format!(
                    "via {wrapper}: {}",
                    ev.detail.as_deref().unwrap_or("")
                ));
            caller.rule = ev.rule.clone();
            data.add_owned(data_type, &l, 1, caller);
        }
    }

    /// The non-platform (class, method, hops) that reach method `method` of class `class`,
    /// nearest first, through at most [`MAX_HOPS`] levels of platform callers.
    fn callers_of(&self, class: usize, method: usize) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        let Some(start) = self.key(class, method) else {
            return out;
        };
        let mut seen = vec![start];
        let mut frontier = vec![start];
        for hops in 1..=MAX_HOPS {
            let mut next = Vec::new();
            for key in &frontier {
                for &(ci, mi) in self.callers.get(key).map_or(&[][..], Vec::as_slice) {
                    let Some(k) = self.key(ci, mi) else { continue };
                    if seen.contains(&k) {
                        continue;
                    }
                    seen.push(k);
                    if matches!(self.owner(ci), CodeOwner::Platform(_)) {
                        next.push(k);
                    } else {
                        out.push((ci, mi, hops));
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        out
    }

    fn key(&self, class: usize, method: usize) -> Option<MethodKey<'a>> {
        let jc = self.classes.get(class)?;
        let m = jc.class.methods.get(method)?;
        Some((
            jc.class.name.as_str(),
            m.name.as_str(),
            m.descriptor.as_str(),
        ))
    }

    /// The label of a non-platform owner.
    fn label(&self, owner: CodeOwner) -> OwnerLabel {
        match owner {
            CodeOwner::Sdk(i) => OwnerLabel::of_id(
                self.set
                    .sdks
                    .get(i)
                    .map_or(OWNER_UNKNOWN, |s| s.spec.id.as_str()),
            ),
            CodeOwner::Library(i) | CodeOwner::Platform(i) => {
                let (id, license) = self
                    .set
                    .libraries
                    .get(i)
                    .map_or((OWNER_UNKNOWN, ""), |l| (l.id.as_str(), l.license.as_str()));
                let kind = if matches!(owner, CodeOwner::Platform(_)) {
                    OwnerKind::Platform
                } else {
                    OwnerKind::Library
                };
                OwnerLabel::new(kind, id, format!("package of library {id} ({license})"))
            }
            CodeOwner::Unknown => OwnerLabel::of_id(OWNER_UNKNOWN),
        }
    }
}

/// The owner of class `name` (internal form) given the SDK its packages name and the SDK its
/// vendor root resolves to.
fn code_owner(
    name: &str,
    (by_name, by_root): (Option<usize>, Option<usize>),
    m: &Matchers,
) -> CodeOwner {
    let desc = format!("L{name};");
    let lib = m.libraries.match_descriptor(&desc);
    if let Some(i) = by_name {
        let sdk_len = m.sdks.match_descriptor_len(&desc).map_or(0, |(_, l)| l);
        let lib_len = lib.map_or(0, |(_, l)| l);
        if sdk_len >= lib_len {
            return CodeOwner::Sdk(i);
        }
    }
    match (lib, by_root) {
        (Some((l, _)), _) if m.libraries.is_platform(l) => CodeOwner::Platform(l),
        (Some((l, _)), _) => CodeOwner::Library(l),
        (None, Some(i)) => CodeOwner::Sdk(i),
        (None, None) => CodeOwner::Unknown,
    }
}
