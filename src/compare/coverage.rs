//! How the policy covers one data type the app collects: declared by its own id, only through
//! a category (vaguely), excluded by a closed list of the category's items, denied, or not at
//! all.
//!
//! ```no_run
//! # fn f(p: &disclose::policy::PolicyDeclarations, t: &disclose::signatures::Taxonomy) {
//! use disclose::compare::coverage::{coverage, Coverage};
//! if let Coverage::Excluded(span, parent) = coverage(p, t, "device.android_id") {
//!     println!("{parent} is declared as an exact list that omits it: {}", span.quote);
//! }
//! # }
//! ```

use crate::id::TaxonomyId;
use crate::policy::{Clarity, DenialKind, PolicyDeclarations, TextSpan};
use crate::signatures::Taxonomy;

/// How the policy covers one data type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage<'a> {
    /// Declared by its own id (or in an SDK row).
    Clear(&'a TextSpan),
    /// Only a category is declared, without a closed list: (quote, category id).
    Vague(&'a TextSpan, TaxonomyId),
    /// A category is declared only as a closed list of items that does not name this type.
    Excluded(&'a TextSpan, TaxonomyId),
    /// The policy says it is not collected.
    Denied(&'a TextSpan),
    None,
}

impl Coverage<'_> {
    /// Whether the policy declares the type at all (clearly or vaguely).
    pub fn is_declared(&self) -> bool {
        matches!(self, Coverage::Clear(_) | Coverage::Vague(..))
    }
}

/// The coverage of `ty` by the policy.
pub fn coverage<'a>(policy: &'a PolicyDeclarations, taxonomy: &Taxonomy, ty: &str) -> Coverage<'a> {
    let ancestors: Vec<&str> = taxonomy.ancestors(ty).collect();
    let mut clear = None;
    let mut vague = None;
    let mut excluded = None;
    let mut denied_exact = None;
    let mut denied_parent = None;
    for d in &policy.data {
        let own = d.data_type == ty;
        let parent = ancestors.contains(&d.data_type.as_str());
        // A conditional denial ("在您未开启…时不会收集") declares the type for the other case.
        let denied = (d.negated || d.denial == Some(DenialKind::Collect)) && !d.conditional;
        match (own, parent, denied) {
            (true, _, true) => {
                denied_exact.get_or_insert(&d.text);
            }
            (false, true, true) => {
                denied_parent.get_or_insert(&d.text);
            }
            (true, _, false) if d.clarity != Clarity::Vague => {
                clear.get_or_insert(&d.text);
            }
            (false, true, false) if d.clarity == Clarity::Exhaustive => {
                excluded.get_or_insert((&d.text, d.data_type.clone()));
            }
            (true, _, false) | (false, true, false) => {
                vague.get_or_insert((&d.text, d.data_type.clone()));
            }
            _ => {}
        }
    }
    // A type listed in any SDK row is declared clearly too.
    if clear.is_none() {
        clear = policy
            .sdks
            .iter()
            .find(|row| row.data.iter().any(|d| d == ty))
            .map(|row| &row.text);
    }
    // An explicit denial of this very type wins: the policy contradicts itself at best, and
    // the app's behaviour at worst. A denial of a parent only wins where nothing declares it.
    if let Some(span) = denied_exact {
        return Coverage::Denied(span);
    }
    match (clear, vague, excluded, denied_parent) {
        (Some(span), _, _, _) => Coverage::Clear(span),
        (None, Some((span, parent)), _, _) => Coverage::Vague(span, parent),
        (None, None, Some((span, parent)), _) => Coverage::Excluded(span, parent),
        (None, None, None, Some(span)) => Coverage::Denied(span),
        (None, None, None, None) => Coverage::None,
    }
}
