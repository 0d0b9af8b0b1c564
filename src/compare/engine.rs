//! The comparison itself: walk what the app does and what the policy declares, and emit one
//! finding per disagreement (see `super::finding::FindingKind` for the kinds).
//!
//! Matching rules, in order:
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

use super::coverage::{coverage, Coverage};
use super::finding::{Finding, FindingKind, PolicyQuote};
use super::policy_warnings::warning_findings;
use super::statements::{blanket_denial, statement_contradictions, statement_quote};
use crate::model::{
    Grade, InspectReport, LimitKind, OwnerKind, Platform, SdkPresence, OWNER_APP, OWNER_UNKNOWN,
};
use crate::policy::{DeclaredSdk, PolicyDeclarations, TextSpan};
use crate::signatures::SignatureSet;
use std::collections::{BTreeMap, BTreeSet};

fn quote(span: &TextSpan) -> PolicyQuote {
    PolicyQuote {
        file: span.file.clone(),
        line: span.line,
        start: span.start,
        end: span.end,
        quote: span.quote.clone(),
    }
}

fn finding(kind: FindingKind, owner: &str, message: String) -> Finding {
    Finding {
        kind,
        severity: kind.default_severity(),
        owner: owner.to_string(),
        owner_kind: None,
        owner_reason: None,
        sdk: None,
        data: None,
        permission: None,
        message,
        evidence: Vec::new(),
        policy_text: None,
        suppressed: None,
    }
}

/// The policy's SDK rows that apply to `platform`: rows without a platform always apply; rows
/// of another platform's section do not.
fn rows_for(policy: &PolicyDeclarations, platform: Platform) -> Vec<&DeclaredSdk> {
    let want = match platform {
        Platform::Android => Some("android"),
        Platform::Ios => Some("ios"),
        Platform::SdkPackage => None,
    };
    policy
        .sdks
        .iter()
        .filter(|row| match (row.platform.as_deref(), want) {
            (Some(p), Some(w)) => p.eq_ignore_ascii_case(w),
            _ => true,
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

/// The present SDKs `sdk` ships inside, nearest first (`part_of`, then its `part_of` …),
/// bounded by the number of SDKs so a bad chain cannot loop.
fn parents<'a>(app: &'a InspectReport, sdk: &'a SdkPresence) -> Vec<&'a SdkPresence> {
    let mut out: Vec<&SdkPresence> = Vec::new();
    let mut next = sdk.part_of.as_deref();
    while let Some(id) = next {
        let Some(p) = app.sdks.iter().find(|s| s.id == id) else {
            break;
        };
        if out.iter().any(|o| o.id == p.id) || out.len() > app.sdks.len() {
            break;
        }
        out.push(p);
        next = p.part_of.as_deref();
    }
    out
}

/// An SDK's name as reports show it: `JCore (JIGUANG core) (part of JPush (JIGUANG Push))`.
pub fn sdk_display_name(app: &InspectReport, sdk: &SdkPresence) -> String {
    match parents(app, sdk).first() {
        Some(parent) => format!("{} (part of {})", sdk.name, parent.name),
        None => sdk.name.clone(),
    }
}

/// Compare the app with its policy.
pub fn compare(
    app: &InspectReport,
    policy: &PolicyDeclarations,
    set: &SignatureSet,
) -> Vec<Finding> {
    let taxonomy = &set.taxonomy;
    let mut out = Vec::new();
    let rows = rows_for(policy, app.app.platform);
    let name_of = |ty: &str| -> String {
        taxonomy
            .names(ty)
            .map_or_else(|| ty.to_string(), |(en, _)| en.to_string())
    };
    let owner_name = |owner: &str| -> String {
        match owner {
            OWNER_APP => "the app's own code".into(),
            OWNER_UNKNOWN => "unattributed code".into(),
            id => app
                .sdks
                .iter()
                .find(|s| s.id == id)
                .map(|s| sdk_display_name(app, s))
                .or_else(|| {
                    app.libraries
                        .iter()
                        .find(|l| l.id == id)
                        .map(|l| format!("{} (library)", l.name))
                })
                .unwrap_or_else(|| id.to_string()),
        }
    };

    // SDKs.
    let mut declared_rows: BTreeMap<&str, &DeclaredSdk> = BTreeMap::new();
    for row in &rows {
        if let Some(id) = row.id.as_deref() {
            declared_rows.entry(id).or_insert(row);
        }
    }
    for sdk in &app.sdks {
        // Only SDKs whose code is in the app are compared; a bundled component is covered by
        // (and reported with) the SDK it ships inside.
        if sdk.grade != Grade::Present || declared_rows.contains_key(sdk.id.as_str()) {
            continue;
        }
        if !parents(app, sdk).is_empty() {
            continue;
        }
        let mut f = finding(
            FindingKind::UndisclosedSdk,
            &sdk.id,
            format!(
                "{} ({}) is in the app ({}) but the policy names it nowhere",
                sdk.name,
                sdk.id,
                super::finding::classes_or_symbols(sdk.classes)
            ),
        );
        if let Some((row, vendor)) = same_vendor_row(set, &sdk.id, &rows) {
            // The policy names a sibling product of the same vendor: likely meant, not proven.
            f.severity = super::finding::Severity::Medium;
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
            .filter(|c| !declared_rows.contains_key(c.id.as_str()))
            .map(|c| c.name.clone())
            .collect();
        if !bundled.is_empty() {
            f.message = format!("{}; it ships {}", f.message, bundled.join(", "));
        }
        f.owner_kind = Some(OwnerKind::Sdk);
        f.owner_reason = Some(format!("{}: {}", sdk.grade.as_str(), sdk.grade_reason));
        f.sdk = Some(sdk.id.clone());
        f.evidence = sdk.evidence.clone();
        out.push(f);
    }
    let present: BTreeSet<&str> = app.sdks.iter().map(|s| s.id.as_str()).collect();
    for (id, row) in &declared_rows {
        if present.contains(id) {
            continue;
        }
        let mut f = finding(
            FindingKind::StaleDeclaration,
            id,
            format!(
                "the policy lists '{}' ({id}) but the app shows no sign of it",
                row.name
            ),
        );
        f.sdk = Some(id.to_string());
        f.policy_text = Some(quote(&row.text));
        out.push(f);
    }

    // Data types, per owner.
    for obs in &app.data {
        // Platform wrapper code nobody calls is listed by inspect as "not called", never a
        // finding.
        if obs.owner == OwnerKind::Platform {
            continue;
        }
        let ty = obs.data_type.as_str();
        let who = owner_name(&obs.by);
        let sdk_row = declared_rows.get(obs.by.as_str());
        let mut f = match coverage(policy, taxonomy, ty) {
            Coverage::Clear(span) => {
                // Declared globally; still check the SDK's own row when it lists data types.
                match sdk_row {
                    Some(row)
                        if !row.data.is_empty()
                            && !row.data.iter().any(|d| {
                                d == ty || taxonomy.ancestors(ty).any(|a| a == d.as_str())
                            }) =>
                    {
                        let mut f = finding(
                            FindingKind::SdkDataMismatch,
                            &obs.by,
                            format!(
                                "the policy's entry for {who} does not list {} ({ty}), which its code collects here",
                                name_of(ty)
                            ),
                        );
                        f.policy_text = Some(quote(&row.text));
                        f
                    }
                    _ => {
                        let _ = span;
                        continue;
                    }
                }
            }
            Coverage::Vague(span, parent) => {
                let mut f = finding(
                    FindingKind::VagueData,
                    &obs.by,
                    format!(
                        "{who} collects {} ({ty}); the policy only says {} ({parent})",
                        name_of(ty),
                        name_of(&parent)
                    ),
                );
                f.policy_text = Some(quote(span));
                f
            }
            Coverage::Denied(span) => {
                let mut f = finding(
                    FindingKind::Contradiction,
                    &obs.by,
                    format!(
                        "{who} collects {} ({ty}), but the policy says it is not collected",
                        name_of(ty)
                    ),
                );
                f.policy_text = Some(quote(span));
                f
            }
            Coverage::Excluded(span, parent) => {
                let mut f = finding(
                    FindingKind::UndisclosedData,
                    &obs.by,
                    format!(
                        "{who} collects {} ({ty}); the policy lists exactly which {} ({parent}) it collects and does not name it",
                        name_of(ty),
                        name_of(&parent)
                    ),
                );
                f.policy_text = Some(quote(span));
                f
            }
            Coverage::None => match blanket_denial(policy, &obs.by) {
                Some(statement) => {
                    let mut f = finding(
                        FindingKind::Contradiction,
                        &obs.by,
                        format!(
                            "{who} collects {} ({ty}), but the policy says no personal data is collected",
                            name_of(ty)
                        ),
                    );
                    f.policy_text = Some(statement_quote(statement));
                    f
                }
                None => finding(
                    FindingKind::UndisclosedData,
                    &obs.by,
                    format!(
                        "{who} collects {} ({ty}); the policy never declares it",
                        name_of(ty)
                    ),
                ),
            },
        };
        f.data = Some(ty.to_string());
        if obs.by != OWNER_APP && obs.by != OWNER_UNKNOWN && obs.owner != OwnerKind::Library {
            f.sdk = Some(obs.by.clone());
        }
        f.owner_kind = Some(obs.owner);
        f.owner_reason = Some(obs.owner_reason.clone()).filter(|r| !r.is_empty());
        f.evidence = obs.evidence.clone();
        out.push(f);
    }

    // Permissions and usage keys.
    for perm in &app.permissions {
        let sensitive = match app.app.platform {
            Platform::Ios => true,
            _ => matches!(
                perm.protection.as_deref(),
                Some("dangerous") | Some("special")
            ),
        };
        if !sensitive || perm.data.is_empty() {
            continue;
        }
        let declared_as_permission = policy
            .permissions
            .iter()
            .any(|p| p.data.iter().any(|d| perm.data.contains(d)));
        let declared_as_data = perm.data.iter().any(|d| {
            let c = coverage(policy, taxonomy, d);
            c.is_declared() || matches!(c, Coverage::Denied(_))
        });
        if declared_as_permission || declared_as_data {
            continue;
        }
        let mut f = finding(
            FindingKind::UndisclosedPermission,
            OWNER_APP,
            format!(
                "the app asks for {} (gives access to {}); the policy mentions neither the permission nor its data",
                perm.name,
                perm.data.iter().map(|d| name_of(d)).collect::<Vec<_>>().join(", ")
            ),
        );
        f.permission = Some(perm.name.clone());
        f.data = perm.data.first().cloned();
        f.evidence = perm.evidence.clone();
        out.push(f);
    }

    // What the policy states about SDKs and tracking, and what it admits is missing.
    out.extend(statement_contradictions(app, policy));
    out.extend(warning_findings(policy));

    // What could not be seen.
    for limit in &app.limits {
        let mut f = finding(FindingKind::AnalysisLimit, OWNER_APP, limit.message.clone());
        if matches!(limit.kind, LimitKind::Packed | LimitKind::Encrypted) {
            f.severity = super::finding::Severity::High;
        }
        f.evidence = limit.evidence.clone();
        out.push(f);
    }

    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.kind.cmp(&b.kind))
            .then(a.owner.cmp(&b.owner))
            .then(a.data.cmp(&b.data))
    });
    out
}
