//! Finding rule "Data safety": the app's evidence ([`play_usage`]) against the Play Data
//! safety form ([`DataSafetyForm`]). Run only when `disclose scan` gets `--data-safety FILE`.
//!
//! | finding | when |
//! |---|---|
//! | `data-safety-no-data-claim` | the form answers no to "collect or share any required data type", and something is collected (one finding; the per-type ones are then left out) |
//! | `data-safety-advertising-id` | AD_ID permission or advertising-ID code, and Device or other IDs is not declared collected |
//! | `data-safety-undeclared-collection` | a Play data type with evidence is not selected and marked Collected (one per data type and owner) |
//! | `data-safety-undeclared-sharing` | declared collected, not Shared, and a third-party SDK gets it (one per data type and SDK) |
//!
//! Every finding's first evidence is the form row (file, line, question and response id); the
//! code, manifest or vendor evidence follows.
//!
//! ```no_run
//! # fn f(app: &disclose::model::InspectReport, p: &disclose::policy::PolicyDeclarations, form: &disclose::declared::DataSafetyForm, s: &disclose::signatures::SignatureSet) {
//! use disclose::compare::context::CompareContext;
//! let ctx = CompareContext::new(app, p, s).with_data_safety(form);
//! let findings = disclose::compare::data_safety::findings(&ctx);
//! # }
//! ```

use super::context::{finding, CompareContext};
use super::finding::{Finding, FindingKind};
use crate::declared::data_safety_usage::{play_usage, PlayTypeUsage, TypeUse, UsageSource};
use crate::declared::{DataSafetyForm, DeclaredDataType};
use crate::id::{SdkId, TaxonomyId};
use crate::model::{Evidence, OwnerKind, OWNER_APP};
use std::collections::BTreeSet;

/// Every Data safety finding (none without a form), in rule order; the engine rates them and
/// attaches their fixes.
pub fn findings(ctx: &CompareContext<'_>) -> Vec<Finding> {
    let Some(form) = ctx.data_safety else {
        return Vec::new();
    };
    let usage = play_usage(ctx.app, ctx.set);
    match form.collects_data {
        Some(answer) if !answer.value && !usage.is_empty() => {
            vec![no_data_claim(ctx, form, answer.line, &usage)]
        }
        _ => usage
            .iter()
            .filter_map(|u| type_findings(ctx, form, u))
            .collect(),
    }
}

/// The finding for one Play data type the evidence calls for (one per form row, at most).
fn type_findings(
    ctx: &CompareContext<'_>,
    form: &DataSafetyForm,
    usage: &PlayTypeUsage,
) -> Option<Finding> {
    let declared = form.data_type(&usage.play_type)?;
    let uses: Vec<&TypeUse> = usage.uses.iter().collect();
    if !(declared.selected && declared.collected) {
        let ad_id = &ctx.set.data_safety.advertising_id.taxonomy;
        return Some(if uses.iter().any(|u| &u.taxonomy == ad_id) {
            advertising_id(ctx, form, declared, &uses)
        } else {
            undeclared_collection(ctx, form, declared, &uses)
        });
    }
    let shared: Vec<&TypeUse> = uses
        .into_iter()
        .filter(|u| u.shared_with.is_some())
        .collect();
    if declared.shared || shared.is_empty() {
        return None;
    }
    Some(undeclared_sharing(ctx, form, declared, &shared))
}

/// The distinct owners of `uses`, SDKs first (they set the severity), then in first-seen
/// order.
fn owners(uses: &[&TypeUse]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for sdk_first in [true, false] {
        for u in uses {
            if (u.owner == OwnerKind::Sdk) == sdk_first && !seen.contains(&u.by) {
                seen.push(u.by.clone());
            }
        }
    }
    seen
}

/// The form's answer for `declared`, as the finding's first evidence.
fn form_row(form: &DataSafetyForm, declared: &DeclaredDataType) -> Evidence {
    let (line, detail) = if !declared.selected {
        (declared.line, "not selected as a data type")
    } else if !declared.collected {
        (declared.usage_line, "selected, but not marked Collected")
    } else {
        (declared.usage_line, "marked Collected, not Shared")
    };
    let location = if line == 0 {
        format!("{}: no row", declared.id)
    } else {
        format!("line {line}")
    };
    Evidence {
        file: form.file.clone(),
        location: Some(location),
        rule: Some(format!("{},{}", declared.category, declared.id)),
        detail: Some(format!("Data safety: {} — {detail}", declared.label)),
    }
}

/// Taxonomy ids of `uses`, most sensitive first (the first rates the finding).
fn types_of(ctx: &CompareContext<'_>, uses: &[&TypeUse]) -> Vec<TaxonomyId> {
    let levels = ctx.levels();
    let set: BTreeSet<&str> = uses.iter().map(|u| u.taxonomy.as_str()).collect();
    let mut types: Vec<TaxonomyId> = set.into_iter().map(TaxonomyId::from).collect();
    types.sort_by_key(|t| std::cmp::Reverse(levels.of(t)));
    types
}

/// "IMEI / MEID (device.imei), Android ID (device.android_id)".
fn named(ctx: &CompareContext<'_>, types: &[TaxonomyId]) -> String {
    types
        .iter()
        .map(|t| format!("{} ({t})", ctx.name_of(t)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How the evidence was found: "code", "code and vendor documents".
fn sources(uses: &[&TypeUse]) -> String {
    let set: BTreeSet<&str> = uses.iter().map(|u| u.source.as_str()).collect();
    set.into_iter().collect::<Vec<_>>().join(" and ")
}

/// A new finding of `kind` about `uses`: owned by the first of [`owners`] (an SDK when any
/// SDK is among them), the most sensitive type as its data type.
fn new_finding(
    ctx: &CompareContext<'_>,
    kind: FindingKind,
    uses: &[&TypeUse],
    message: impl FnOnce(&str, &str) -> String,
) -> Finding {
    let all = owners(uses);
    let owner = all.first().map_or(OWNER_APP, String::as_str);
    let who: Vec<String> = all.iter().map(|o| ctx.owner_name(o)).collect();
    let types = types_of(ctx, uses);
    let mut f = finding(kind, owner, message(&who.join(", "), &named(ctx, &types)));
    f.data = types.first().cloned();
    let owner_kind = uses
        .iter()
        .find(|u| u.by == owner)
        .map_or(OwnerKind::Unknown, |u| u.owner);
    f.owner_kind = Some(owner_kind);
    if owner_kind == OwnerKind::Sdk {
        f.sdk = Some(SdkId::from(owner));
    }
    f.owner_reason = ctx
        .app
        .data
        .iter()
        .find(|o| o.by == owner && !o.owner_reason.is_empty())
        .map(|o| o.owner_reason.clone());
    f
}

/// The form row, then the first evidence of each reason (each piece once).
fn evidence(form_row: Evidence, uses: &[&TypeUse]) -> Vec<Evidence> {
    let mut out = vec![form_row];
    for e in uses.iter().filter_map(|u| u.evidence.first()) {
        if !out.contains(e) {
            out.push(e.clone());
        }
    }
    out
}

fn undeclared_collection(
    ctx: &CompareContext<'_>,
    form: &DataSafetyForm,
    declared: &DeclaredDataType,
    uses: &[&TypeUse],
) -> Finding {
    let shared = shared_note(ctx, uses);
    let mut f = new_finding(
        ctx,
        FindingKind::DataSafetyUndeclaredCollection,
        uses,
        |who, what| {
            format!(
            "{who} collect{} {what}{shared} (from {}); the Data safety form does not declare {} ({}) as collected",
            plural_s(uses),
            sources(uses),
            declared.label,
            declared.id
        )
        },
    );
    f.evidence = evidence(form_row(form, declared), uses);
    f
}

fn undeclared_sharing(
    ctx: &CompareContext<'_>,
    form: &DataSafetyForm,
    declared: &DeclaredDataType,
    uses: &[&TypeUse],
) -> Finding {
    let mut f = new_finding(
        ctx,
        FindingKind::DataSafetyUndeclaredSharing,
        uses,
        |who, what| {
            format!(
            "{who}{} receive{} {what} (from {}); the Data safety form declares {} ({}) as collected but not shared",
            categories(uses),
            plural_s(uses),
            sources(uses),
            declared.label,
            declared.id
        )
        },
    );
    f.evidence = evidence(form_row(form, declared), uses);
    f
}

fn advertising_id(
    ctx: &CompareContext<'_>,
    form: &DataSafetyForm,
    declared: &DeclaredDataType,
    uses: &[&TypeUse],
) -> Finding {
    let spec = &ctx.set.data_safety.advertising_id;
    let shared = shared_note(ctx, uses);
    let in_manifest = uses.iter().any(|u| u.source == UsageSource::Manifest);
    let permission = if in_manifest {
        format!("the manifest requests {}; ", spec.permission)
    } else {
        String::new()
    };
    let ad_uses: Vec<&TypeUse> = uses
        .iter()
        .copied()
        .filter(|u| u.taxonomy == spec.taxonomy)
        .collect();
    let ad_who: Vec<String> = owners(&ad_uses).iter().map(|o| ctx.owner_name(o)).collect();
    let ad_from = format!("{} (from {})", ad_who.join(", "), sources(&ad_uses));
    let mut f = new_finding(
        ctx,
        FindingKind::DataSafetyAdvertisingId,
        uses,
        |who, what| {
            format!(
            "{permission}{who} collect{} {what}{shared} (from {}); the advertising ID is among them: {ad_from}; the Data safety form does not declare {} ({}) as collected",
            plural_s(uses),
            sources(uses),
            declared.label,
            declared.id
        )
        },
    );
    f.data = Some(spec.taxonomy.clone());
    if in_manifest {
        f.permission = Some(spec.permission.clone());
    }
    f.evidence = evidence(form_row(form, declared), uses);
    f
}

/// ", and SDKs send it to their vendors" when any use reaches a third party.
fn shared_note(ctx: &CompareContext<'_>, uses: &[&TypeUse]) -> String {
    let sdks: Vec<&TypeUse> = uses
        .iter()
        .copied()
        .filter(|u| u.shared_with.is_some())
        .collect();
    if sdks.is_empty() {
        return String::new();
    }
    let names: Vec<String> = owners(&sdks).iter().map(|o| ctx.owner_name(o)).collect();
    if names.len() == 1 {
        format!(", which {} sends to its vendor", names.join(""))
    } else {
        format!(", which {} send to their vendors", names.join(", "))
    }
}

/// "s" when one owner does it ("JPush collects"), "" for several ("JPush, Umeng collect").
fn plural_s(uses: &[&TypeUse]) -> &'static str {
    if owners(uses).len() == 1 {
        "s"
    } else {
        ""
    }
}

/// " (analytics, push SDKs)": the categories of the SDKs among `uses`.
fn categories(uses: &[&TypeUse]) -> String {
    let set: BTreeSet<&str> = uses
        .iter()
        .filter_map(|u| u.sdk_category.as_deref())
        .collect();
    if set.is_empty() {
        return String::new();
    }
    format!(
        " ({} SDK{})",
        set.into_iter().collect::<Vec<_>>().join(", "),
        if owners(uses).len() == 1 { "" } else { "s" }
    )
}

fn no_data_claim(
    ctx: &CompareContext<'_>,
    form: &DataSafetyForm,
    line: usize,
    usage: &[PlayTypeUsage],
) -> Finding {
    let spec = &ctx.set.data_safety;
    let uses: Vec<&TypeUse> = usage.iter().flat_map(|u| &u.uses).collect();
    let types = types_of(ctx, &uses);
    let labels: Vec<String> = usage
        .iter()
        .filter_map(|u| form.data_type(&u.play_type).map(|d| d.label.clone()))
        .collect();
    let mut f = finding(
        FindingKind::DataSafetyNoDataClaim,
        OWNER_APP,
        format!(
            "the Data safety form says the app collects or shares none of the required data types, but it collects {} (Play data types: {})",
            named(ctx, &types),
            labels.join("; ")
        ),
    );
    f.data = types.first().cloned();
    f.owner_kind = Some(OwnerKind::App);
    let row = Evidence {
        file: form.file.clone(),
        location: Some(format!("line {line}")),
        rule: Some(spec.questions.collects_data.clone()),
        detail: Some("Data safety: \"Does your app collect or share any of the required user data types?\" — false".into()),
    };
    f.evidence = std::iter::once(row)
        .chain(
            usage
                .iter()
                .filter_map(|u| u.uses.first())
                .flat_map(|u| u.evidence.iter().take(1).cloned()),
        )
        .collect();
    f
}
