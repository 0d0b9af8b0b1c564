//! The platform-neutral code unit the scanners share: a method (a DEX or class-file method, an
//! arm64 function) is a location plus the [`Reference`]s its code makes — a call, a field read,
//! a string, a selector sent, a symbol called, a class named — each with the API rules it
//! matched and its number of sites. [`fire`] is the one rule-firing loop: it turns the rules of
//! a reference that pass the platform's gate into evidence for the caller's sink.
//!
//! Each platform walks its own code structure into references (`android` for DEX, `jvm` for
//! class files, `ios` for decoded Mach-O functions) and decides the owner; what a rule needs
//! to fire and what its evidence says is decided here, once.
//!
//! ```
//! use disclose::scan::code_unit::{fire, RefKind, Reference};
//! use disclose::signatures::schema::IosApiRule;
//! # fn f(rules: &[IosApiRule], hits: &[disclose::signatures::RuleIdx]) {
//! let reference = Reference { kind: RefKind::Selector, rules: hits, sites: 2, detail: "arm64 selector uniqueIdentifier".into() };
//! fire("Payload/A.app/A", || "-[A start]".to_string(), reference, rules, |_| true, |rule, sites, evidence| {
//!     println!("{} x{sites}: {evidence:?}", rule.data);
//! });
//! # }
//! ```

use crate::model::Evidence;
use crate::signatures::schema::{AndroidApiRule, IosApiRule};
use crate::signatures::RuleIdx;

/// What a reference of a method's code is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// A method call (DEX or class-file `invoke`).
    Call,
    /// A field read.
    FieldRead,
    /// A string constant the code loads.
    String,
    /// An Objective-C selector sent.
    Selector,
    /// An imported C symbol called or taken.
    Symbol,
    /// A class named.
    Class,
}

impl RefKind {
    /// The word evidence uses for this kind (`selector`, `symbol` …).
    pub fn word(self) -> &'static str {
        match self {
            RefKind::Call => "call",
            RefKind::FieldRead => "field",
            RefKind::String => "string",
            RefKind::Selector => "selector",
            RefKind::Symbol => "symbol",
            RefKind::Class => "class",
        }
    }
}

/// One reference of a method's code that matched API rules.
#[derive(Debug, Clone)]
pub struct Reference<'r> {
    pub kind: RefKind,
    /// The rules the referenced API matched (before the gate).
    pub rules: &'r [RuleIdx],
    /// How many sites of the method make this reference.
    pub sites: usize,
    /// What was referenced, as the evidence shows it (`Landroid/…;->getDeviceId()…`).
    pub detail: String,
}

/// An API rule of any platform: what firing it means.
pub trait ApiRule {
    /// The rule's id, named in evidence.
    fn id(&self) -> &str;
    /// The taxonomy id of the data it reaches for.
    fn data_type(&self) -> &str;
}

impl ApiRule for AndroidApiRule {
    fn id(&self) -> &str {
        &self.id
    }
    fn data_type(&self) -> &str {
        &self.data
    }
}

impl ApiRule for IosApiRule {
    fn id(&self) -> &str {
        &self.id
    }
    fn data_type(&self) -> &str {
        &self.data
    }
}

/// The rule-firing loop: every rule of `reference` that passes `gate` (a rule needing strings
/// or classes the method does not have stays silent) and exists in `rules` becomes evidence in
/// `file` at the method's `location` (built only when a rule fires), handed to `emit` with
/// the reference's sites.
pub fn fire<'s, R: ApiRule>(
    file: &str,
    location: impl Fn() -> String,
    reference: Reference<'_>,
    rules: &'s [R],
    gate: impl Fn(RuleIdx) -> bool,
    mut emit: impl FnMut(&'s R, usize, Evidence),
) {
    for &r in reference.rules {
        if !gate(r) {
            continue;
        }
        let Some(rule) = rules.get(r.index()) else {
            continue;
        };
        let evidence = Evidence::in_file(file)
            .at(location())
            .rule(rule.id())
            .detail(reference.detail.clone());
        emit(rule, reference.sites, evidence);
    }
}
