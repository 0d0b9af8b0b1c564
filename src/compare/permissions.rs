//! Finding rule "permissions": a sensitive permission (Android `dangerous` / `special`) or an
//! iOS privacy usage key whose data the policy mentions neither as a permission nor as data is
//! `undisclosed-permission`.
//!
//! ```no_run
//! # fn f(ctx: &disclose::compare::context::CompareContext) {
//! let permission_findings = disclose::compare::permissions::findings(ctx);
//! # }
//! ```

use super::context::{finding, CompareContext};
use super::coverage::{coverage, Coverage};
use super::finding::{Finding, FindingKind};
use super::severity::rate;
use crate::model::{Permission, Platform, OWNER_APP};

/// One finding per sensitive permission the policy says nothing about.
pub fn findings(ctx: &CompareContext<'_>) -> Vec<Finding> {
    ctx.app
        .permissions
        .iter()
        .filter(|perm| is_sensitive(ctx, perm) && !perm.data.is_empty())
        .filter(|perm| !declared(ctx, perm))
        .map(|perm| {
            let data: Vec<String> = perm.data.iter().map(|d| ctx.name_of(d)).collect();
            let mut f = finding(
                FindingKind::UndisclosedPermission,
                OWNER_APP,
                format!(
                    "the app asks for {} (gives access to {}); the policy mentions neither the permission nor its data",
                    perm.name,
                    data.join(", ")
                ),
            );
            f.permission = Some(perm.name.clone());
            f.data = perm.data.first().cloned();
            f.evidence = perm.evidence.clone();
            rate(&mut f, &ctx.levels(), &perm.data);
            f
        })
        .collect()
}

/// Every iOS usage key; Android permissions of protection level `dangerous` or `special`.
fn is_sensitive(ctx: &CompareContext<'_>, perm: &Permission) -> bool {
    match ctx.app.app.platform {
        Platform::Ios => true,
        _ => matches!(
            perm.protection.as_deref(),
            Some("dangerous") | Some("special")
        ),
    }
}

/// Whether the policy declares the permission, or any of its data (a denial counts: that is a
/// contradiction, reported by the data rule).
fn declared(ctx: &CompareContext<'_>, perm: &Permission) -> bool {
    let as_permission = ctx
        .policy
        .permissions
        .iter()
        .any(|p| p.data.iter().any(|d| perm.data.contains(d)));
    as_permission
        || perm.data.iter().any(|d| {
            let c = coverage(ctx.policy, &ctx.set.taxonomy, d);
            c.is_declared() || matches!(c, Coverage::Denied(_))
        })
}
