//! Finding rule "SDK presence": an SDK whose code is in the app and that no policy row names is
//! `undisclosed-sdk` (medium when the policy names a sibling product of the same vendor); a
//! policy row naming an SDK the app shows no sign of is `stale-declaration`.
//!
//! ```no_run
//! # fn f(ctx: &disclose::compare::context::CompareContext) {
//! for f in disclose::compare::sdk_presence::findings(ctx) {
//!     println!("{}: {}", f.kind, f.message);
//! }
//! # }
//! ```

use super::context::{finding, parents, quote, CompareContext};
use super::finding::{classes_or_symbols, Finding, FindingKind, Severity};
use crate::id::SdkId;
use crate::model::{Grade, OwnerKind, SdkPresence};
use crate::policy::DeclaredSdk;
use crate::signatures::SignatureSet;
use std::collections::BTreeSet;

/// Undisclosed SDKs, then stale SDK rows.
pub fn findings(ctx: &CompareContext<'_>) -> Vec<Finding> {
    let mut out: Vec<Finding> = ctx
        .app
        .sdks
        .iter()
        .filter_map(|sdk| undisclosed_sdk(ctx, sdk))
        .collect();
    out.extend(stale_rows(ctx));
    out
}

/// The finding for one SDK the policy does not name, if it is one.
fn undisclosed_sdk(ctx: &CompareContext<'_>, sdk: &SdkPresence) -> Option<Finding> {
    let app = ctx.app;
    // Only SDKs whose code is in the app are compared; a bundled component is covered by
    // (and reported with) the SDK it ships inside.
    if sdk.grade != Grade::Present || ctx.declared_rows.contains_key(sdk.id.as_str()) {
        return None;
    }
    if !parents(app, sdk).is_empty() {
        return None;
    }
    let mut f = finding(
        FindingKind::UndisclosedSdk,
        &sdk.id,
        format!(
            "{} ({}) is in the app ({}) but the policy names it nowhere",
            sdk.name,
            sdk.id,
            classes_or_symbols(sdk.classes)
        ),
    );
    if let Some((row, vendor)) = same_vendor_row(ctx.set, &sdk.id, &ctx.rows) {
        // The policy names a sibling product of the same vendor: likely meant, not proven.
        f.severity = Severity::Medium;
        f.message = format!(
            "{} ({}) is in the app; the policy names '{}' from the same vendor ({vendor}) but not this SDK",
            sdk.name, sdk.id, row.name
        );
        f.policy_text = Some(quote(&row.text));
    }
    let bundled: Vec<String> = app
        .sdks
        .iter()
        .filter(|c| parents(app, c).iter().any(|p| p.id == sdk.id))
        .filter(|c| !ctx.declared_rows.contains_key(c.id.as_str()))
        .map(|c| c.name.clone())
        .collect();
    if !bundled.is_empty() {
        f.message = format!("{}; it ships {}", f.message, bundled.join(", "));
    }
    f.owner_kind = Some(OwnerKind::Sdk);
    f.owner_reason = Some(format!("{}: {}", sdk.grade.as_str(), sdk.grade_reason));
    f.sdk = Some(sdk.id.clone());
    f.evidence = sdk.evidence.clone();
    Some(f)
}

/// Policy rows naming an SDK that is not in the app at all.
fn stale_rows(ctx: &CompareContext<'_>) -> Vec<Finding> {
    let present: BTreeSet<&str> = ctx.app.sdks.iter().map(|s| s.id.as_str()).collect();
    ctx.declared_rows
        .iter()
        .filter(|(id, _)| !present.contains(*id))
        .map(|(id, row)| {
            let mut f = finding(
                FindingKind::StaleDeclaration,
                id,
                format!(
                    "the policy lists '{}' ({id}) but the app shows no sign of it",
                    row.name
                ),
            );
            f.sdk = Some(SdkId::from(*id));
            f.policy_text = Some(quote(&row.text));
            f
        })
        .collect()
}

/// A policy row naming another SDK of the same vendor as `sdk_id` (by legal name), or whose
/// vendor column names that vendor.
fn same_vendor_row<'a>(
    set: &SignatureSet,
    sdk_id: &str,
    rows: &[&'a DeclaredSdk],
) -> Option<(&'a DeclaredSdk, String)> {
    let spec = &set.find(sdk_id)?.spec;
    let vendors: Vec<&str> = spec
        .vendor
        .iter()
        .map(String::as_str)
        .chain(spec.vendor_zh.iter().map(String::as_str))
        .filter(|v| !v.trim().is_empty())
        .collect();
    if vendors.is_empty() {
        return None;
    }
    for row in rows {
        let by_id = row
            .id
            .as_deref()
            .and_then(|id| set.find(id))
            .and_then(|other| {
                let o = &other.spec;
                o.vendor
                    .iter()
                    .chain(o.vendor_zh.iter())
                    .find(|v| vendors.contains(&v.as_str()))
                    .cloned()
            });
        let by_text = row.vendor.as_deref().and_then(|v| {
            vendors
                .iter()
                .find(|x| v.contains(**x))
                .map(|x| x.to_string())
        });
        if let Some(vendor) = by_id.or(by_text) {
            return Some((row, vendor));
        }
    }
    None
}
