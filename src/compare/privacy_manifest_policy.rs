//! Finding rule "privacy manifest vs policy": what the app's and its SDKs' privacy manifests
//! declare must also be in the written policy.
//!
//! - `manifest-data-undisclosed`: an `NSPrivacyCollectedDataTypes` entry whose taxonomy id
//!   (`signatures/ios-privacy-manifest.toml`) the policy declares nowhere, not even through a
//!   category; or `NSPrivacyTracking` true while the policy never mentions the advertising
//!   identifier by name (a broad "device information" does not say users are tracked). Rated
//!   like `undisclosed-data`, by the type's sensitivity.
//! - `contradiction`: the manifests declare tracking, or collecting a type, that the policy
//!   denies ("we do not track you", "we do not collect your location").
//!
//! Apple types with no taxonomy id (purchases, crash data …) are not compared.
//!
//! ```no_run
//! # fn f(ctx: &disclose::compare::context::CompareContext) {
//! let n = disclose::compare::privacy_manifest_policy::findings(ctx).len();
//! # }
//! ```

use super::context::{finding, quote, CompareContext};
use super::coverage::{coverage, Coverage};
use super::finding::{Finding, FindingKind};
use super::privacy_manifest::{bundle_owner, ManifestView};
use super::statements::statement_quote;
use crate::id::{SdkId, TaxonomyId};
use crate::model::{Evidence, OwnerKind, OWNER_APP};
use crate::policy::StatementKind;
use std::collections::BTreeMap;

/// The taxonomy id tracking is compared as (the advertising identifier).
const TRACKING_DATA: &str = "device.advertising_id";

/// What the manifests declare, per (owner, taxonomy id): the Apple names and where.
type Declared = BTreeMap<(String, TaxonomyId), (Option<SdkId>, Vec<String>, Vec<Evidence>)>;

/// Manifest declarations the policy does not cover.
pub fn findings(ctx: &CompareContext<'_>) -> Vec<Finding> {
    let Some(view) = ManifestView::of(ctx.app) else {
        return Vec::new();
    };
    let mut declared: Declared = BTreeMap::new();
    for (path, m) in &view.manifests {
        let bundle = view.bundle_of_manifest(path);
        let (owner, sdk) = bundle_owner(ctx, &view, &bundle);
        for t in &m.collected_data_types {
            if let Some(id) = ctx.set.privacy_manifest.taxonomy_id(&t.data_type) {
                let e = declared
                    .entry((owner.clone(), TaxonomyId::from(id)))
                    .or_insert_with(|| (sdk.clone(), Vec::new(), Vec::new()));
                e.1.push(t.data_type.clone());
                e.2.push(
                    Evidence::in_file(path.as_str())
                        .at("NSPrivacyCollectedDataTypes")
                        .detail(t.data_type.clone()),
                );
            }
        }
        if m.tracking == Some(true) {
            let mut ev = Evidence::in_file(path.as_str()).at("NSPrivacyTracking");
            if !m.tracking_domains.is_empty() {
                ev = ev.detail(format!(
                    "tracking domains: {}",
                    m.tracking_domains.join(", ")
                ));
            }
            let e = declared
                .entry((owner.clone(), TaxonomyId::from(TRACKING_DATA)))
                .or_insert_with(|| (sdk.clone(), Vec::new(), Vec::new()));
            e.1.push("NSPrivacyTracking".to_string());
            e.2.push(ev);
        }
    }
    let mut out = Vec::new();
    for ((owner, ty), (sdk, names), evidence) in declared
        .into_iter()
        .map(|(k, (sdk, names, ev))| (k, (sdk, names), ev))
    {
        if let Some(mut f) = uncovered(ctx, &owner, &ty, &names) {
            f.owner_kind = Some(if owner == OWNER_APP {
                OwnerKind::App
            } else if sdk.is_some() {
                OwnerKind::Sdk
            } else {
                OwnerKind::Unknown
            });
            f.sdk = sdk;
            f.data = Some(ty);
            f.evidence = evidence;
            out.push(f);
        }
    }
    out
}

/// The finding for one declared type the policy does not cover, if it does not.
fn uncovered(ctx: &CompareContext<'_>, owner: &str, ty: &str, names: &[String]) -> Option<Finding> {
    let who = ctx.owner_name(owner);
    let what = if ty == TRACKING_DATA && names.iter().all(|n| n == "NSPrivacyTracking") {
        format!("the privacy manifest of {who} declares that it tracks users (NSPrivacyTracking)")
    } else {
        format!(
            "the privacy manifest of {who} declares {} ({})",
            ctx.name_of(ty),
            names.join(", ")
        )
    };
    if ty == TRACKING_DATA && names.iter().any(|n| n == "NSPrivacyTracking") {
        // A "we do not track you" sentence is contradicted outright.
        let denial = ctx
            .policy
            .statements
            .iter()
            .find(|s| s.kind == StatementKind::NoTracking && !s.conditional && s.sdk.is_none());
        if let Some(s) = denial {
            let mut f = finding(
                FindingKind::Contradiction,
                owner,
                format!("{what}: it tracks users, but the policy says it does not"),
            );
            f.policy_text = Some(statement_quote(s));
            return Some(f);
        }
    }
    let tracking = names.iter().any(|n| n == "NSPrivacyTracking");
    match coverage(ctx.policy, &ctx.set.taxonomy, ty) {
        Coverage::Clear(_) => None,
        // Tracking must be said in so many words: "device information" does not tell users
        // they are tracked across apps.
        Coverage::Vague(span, parent) if tracking => {
            let mut f = finding(
                FindingKind::ManifestDataUndisclosed,
                owner,
                format!(
                    "{what}, but the policy mentions only {} and never tracking or the advertising identifier",
                    ctx.name_of(&parent)
                ),
            );
            f.policy_text = Some(quote(span));
            Some(f)
        }
        Coverage::Vague(..) => None,
        Coverage::Denied(span) => {
            let mut f = finding(
                FindingKind::Contradiction,
                owner,
                format!("{what}, but the policy says it does not collect it"),
            );
            f.policy_text = Some(quote(span));
            Some(f)
        }
        Coverage::Excluded(span, parent) => {
            let mut f = finding(
                FindingKind::ManifestDataUndisclosed,
                owner,
                format!(
                    "{what}, but the policy's list of {} leaves it out",
                    ctx.name_of(&parent)
                ),
            );
            f.policy_text = Some(quote(span));
            Some(f)
        }
        Coverage::None => Some(finding(
            FindingKind::ManifestDataUndisclosed,
            owner,
            format!("{what}, but the policy declares it nowhere"),
        )),
    }
}
