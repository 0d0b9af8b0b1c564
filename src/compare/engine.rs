//! The comparison itself: build one [`CompareContext`] and run every finding rule on it, one
//! rule per family of findings, each in its own file:
//!
//! | rule | file | kinds |
//! |---|---|---|
//! | SDK presence | `sdk_presence.rs` | `undisclosed-sdk`, `stale-declaration` |
//! | data coverage | `data_coverage.rs` | `undisclosed-data`, `vague-data`, `sdk-data-mismatch`, `contradiction` |
//! | permissions | `permissions.rs` | `undisclosed-permission` |
//! | statements | `statements.rs` | `contradiction` (SDK and tracking statements) |
//! | policy warnings | `policy_warnings.rs` | `policy-incomplete`, `analysis-limit` |
//! | limits | `limits.rs` | `analysis-limit` |
//! | privacy manifest | `privacy_manifest.rs` | `undeclared-required-reason-api`, `invalid-required-reason`, `missing-sdk-privacy-manifest`, `manifest-tracking-contradiction` |
//! | privacy manifest vs policy | `privacy_manifest_policy.rs` | `manifest-data-undisclosed`, `contradiction` (tracking, denied types) |
//! | Data safety | `data_safety.rs` | `data-safety-*` (only with a Play Data safety form) |
//!
//! Matching rules:
//! - SDK presence is disclosed when a policy row resolves to the same SDK id, on the app's
//!   platform where the policy splits its list by platform.
//! - A data type is *clear* when declared by its own id (or in the SDK's own row), *vague* when
//!   only an ancestor category is declared, *contradicted* when the policy denies it (or an
//!   ancestor) and never declares it positively, and *undisclosed* otherwise.
//!
//! ```no_run
//! # fn f(app: &disclose::model::InspectReport, p: &disclose::policy::PolicyDeclarations, s: &disclose::signatures::SignatureSet) {
//! let findings = disclose::compare::engine::compare(app, p, s);
//! # }
//! ```

use super::context::CompareContext;
use super::finding::Finding;
use super::severity::rate;
use super::{
    data_coverage, data_safety, fix, limits, permissions, policy_warnings, sdk_presence, statements,
};
use super::{privacy_manifest, privacy_manifest_policy};
use crate::declared::DataSafetyForm;
use crate::model::InspectReport;
use crate::policy::PolicyDeclarations;
use crate::signatures::SignatureSet;

pub use super::context::sdk_display_name;

/// A finding rule: one family of findings from one context.
pub type Rule = fn(&CompareContext<'_>) -> Vec<Finding>;

/// Every rule, in the order their findings are listed before sorting (ties keep this order).
pub const RULES: &[(&str, Rule)] = &[
    ("sdk-presence", sdk_presence::findings),
    ("data-coverage", data_coverage::findings),
    ("permissions", permissions::findings),
    ("statements", statements::findings),
    ("policy-warnings", policy_warnings::findings),
    ("limits", limits::findings),
    ("privacy-manifest", privacy_manifest::findings),
    ("privacy-manifest-policy", privacy_manifest_policy::findings),
    ("data-safety", data_safety::findings),
];

/// Compare the app with its policy: every rule's findings, a data finding's severity from its
/// type's sensitivity (`super::severity`), a fix for each (`super::fix`), most severe first.
pub fn compare(
    app: &InspectReport,
    policy: &PolicyDeclarations,
    set: &SignatureSet,
) -> Vec<Finding> {
    compare_with_data_safety(app, policy, None, set)
}

/// [`compare`], also checking the Play Data safety form when one is given.
pub fn compare_with_data_safety(
    app: &InspectReport,
    policy: &PolicyDeclarations,
    data_safety: Option<&DataSafetyForm>,
    set: &SignatureSet,
) -> Vec<Finding> {
    let mut ctx = CompareContext::new(app, policy, set);
    ctx.data_safety = data_safety;
    let mut out: Vec<Finding> = RULES.iter().flat_map(|(_, rule)| rule(&ctx)).collect();
    let levels = ctx.levels();
    for f in &mut out {
        if f.sensitivity.is_none() {
            if let Some(ty) = f.data.clone() {
                rate(f, &levels, [&ty]);
            }
        }
    }
    fix::attach(&ctx, &mut out);
    sort_findings(&mut out);
    out
}

/// Most severe first, then by kind, owner and data type (ties keep their order).
pub fn sort_findings(out: &mut [Finding]) {
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.kind.cmp(&b.kind))
            .then(a.owner.cmp(&b.owner))
            .then(a.data.cmp(&b.data))
    });
}
