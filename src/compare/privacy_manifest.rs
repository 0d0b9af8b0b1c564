//! Finding rule "privacy manifest": the iOS binaries against the `PrivacyInfo.xcprivacy` files
//! that ship with them (Apple's upload checks, from the binary):
//!
//! - `undeclared-required-reason-api` (high): a binary references a required-reason API
//!   category (`crate::scan::ios_required_reason`) that no manifest shipping with it declares.
//!   A manifest ships with a binary when it lies in the binary's bundle and not inside a nested
//!   code bundle: code linked into the main executable answers to the app's manifests (its root
//!   and its resource bundles, where statically linked SDKs put theirs), a framework to its own.
//! - `invalid-required-reason` (medium): a declared category Apple does not define, or a reason
//!   code that is not one of the category's (`signatures/ios-required-reason.toml`).
//! - `missing-sdk-privacy-manifest` (high): an SDK on Apple's list of commonly used SDKs
//!   (`signatures/ios-privacy-manifest.toml`) without a manifest of its own, embedded as a
//!   framework or linked statically (`super::privacy_manifest_sdks`).
//! - `manifest-tracking-contradiction` (high): a bundle whose manifests do not set
//!   `NSPrivacyTracking` while they list tracking domains, or while its binaries read the
//!   advertising identifier (IDFA / ATT) or hold a tracking SDK (by category or id, as
//!   `[tracking]` of `signatures/ios-privacy-manifest.toml` says).
//!
//! What the manifests declare against the written policy is `super::privacy_manifest_policy`.
//!
//! ```no_run
//! # fn f(ctx: &disclose::compare::context::CompareContext) {
//! for f in disclose::compare::privacy_manifest::findings(ctx) {
//!     println!("{}: {}", f.kind, f.message);
//! }
//! # }
//! ```

use super::context::{finding, CompareContext};
use super::finding::{Finding, FindingKind};
use crate::id::SdkId;
use crate::ios::xcprivacy::PrivacyManifest;
use crate::model::{Evidence, Grade, InspectReport, OwnerKind, OWNER_APP, OWNER_UNKNOWN};
use crate::scan::ios_required_reason::BinaryApiUse;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// Data types whose collection is tracking evidence (IDFA; the ATT prompt maps to it).
const TRACKING_DATA: &str = "device.advertising_id";

/// A code bundle of the layout (`details.layout.frameworks` / `plugins`).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct BundleRef {
    pub(crate) path: String,
    pub(crate) kind: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct LayoutView {
    #[serde(default)]
    app_dir: Option<String>,
    #[serde(default)]
    pub(crate) frameworks: Vec<BundleRef>,
    #[serde(default)]
    plugins: Vec<BundleRef>,
}

/// What an iOS inspect report's `details` say about binaries and manifests.
#[derive(Debug, Clone, Default)]
pub struct ManifestView {
    /// Required-reason use per binary.
    pub uses: Vec<BinaryApiUse>,
    /// Every privacy manifest, by path.
    pub manifests: BTreeMap<String, PrivacyManifest>,
    pub(crate) layout: LayoutView,
}

impl ManifestView {
    /// The view of an iOS report (`None` for other platforms or a report without details).
    pub fn of(app: &InspectReport) -> Option<ManifestView> {
        let details = app.details.as_ref()?;
        let uses = details.get("required_reason_apis")?;
        Some(ManifestView {
            uses: serde_json::from_value(uses.clone()).ok()?,
            manifests: details
                .get("privacy_manifests")
                .and_then(|m| serde_json::from_value(m.clone()).ok())
                .unwrap_or_default(),
            layout: details
                .get("layout")
                .and_then(|l| serde_json::from_value(l.clone()).ok())
                .unwrap_or_default(),
        })
    }

    fn code_bundles(&self) -> impl Iterator<Item = &str> {
        self.layout
            .frameworks
            .iter()
            .chain(&self.layout.plugins)
            .map(|b| b.path.as_str())
    }

    /// The manifests that ship with code of `bundle`: under it, not inside a nested code bundle.
    pub fn manifests_for(&self, bundle: &str) -> Vec<(&str, &PrivacyManifest)> {
        let prefix = format!("{}/", bundle.trim_end_matches('/'));
        let nested: Vec<String> = self
            .code_bundles()
            .filter(|b| b.starts_with(&prefix))
            .map(|b| format!("{b}/"))
            .collect();
        self.manifests
            .iter()
            .filter(|(path, _)| path.starts_with(&prefix))
            .filter(|(path, _)| !nested.iter().any(|n| path.starts_with(n.as_str())))
            .map(|(path, m)| (path.as_str(), m))
            .collect()
    }

    /// The bundle a manifest ships with: the innermost code bundle holding it, else the app.
    pub fn bundle_of_manifest(&self, path: &str) -> String {
        self.code_bundles()
            .chain(self.layout.app_dir.as_deref())
            .filter(|b| path.starts_with(&format!("{b}/")))
            .max_by_key(|b| b.len())
            .map_or_else(String::new, str::to_string)
    }

    /// Whether `bundle` is the app's own code (the app directory or an extension).
    pub fn is_app_bundle(&self, bundle: &str) -> bool {
        self.layout.app_dir.as_deref() == Some(bundle)
            || self.layout.plugins.iter().any(|p| p.path == bundle)
            || self.uses.iter().any(|u| u.bundle == bundle && u.app_code)
    }

    /// Every bundle that has code or a manifest, in path order.
    fn bundles(&self) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = self.uses.iter().map(|u| u.bundle.clone()).collect();
        out.extend(self.manifests.keys().map(|p| self.bundle_of_manifest(p)));
        out.remove("");
        out
    }
}

/// Framework name of a bundle path (`…/Frameworks/FBSDKCoreKit.framework` → `FBSDKCoreKit`).
pub(crate) fn framework_name(bundle: &str) -> &str {
    let last = bundle
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(bundle);
    [".framework", ".dylib", ".appex", ".app"]
        .iter()
        .find_map(|ext| last.strip_suffix(ext))
        .unwrap_or(last)
}

/// Who owns a bundle's code: `app` for the app's own bundles, else the SDK whose framework it
/// is (by its signature or Apple's list), else `unknown`; with the SDK id when there is one.
pub(crate) fn bundle_owner(
    ctx: &CompareContext<'_>,
    view: &ManifestView,
    bundle: &str,
) -> (String, Option<SdkId>) {
    if view.is_app_bundle(bundle) {
        return (OWNER_APP.to_string(), None);
    }
    let name = framework_name(bundle);
    let by_signature = ctx
        .set
        .sdks
        .iter()
        .find(|s| s.spec.ios.frameworks.iter().any(|f| f == name))
        .map(|s| s.spec.id.clone());
    let by_list = || {
        ctx.set
            .privacy_manifest
            .listed_sdk(name)
            .and_then(|l| l.sdk.clone())
    };
    match by_signature.or_else(by_list) {
        Some(id) => (id.to_string(), Some(id)),
        None => (OWNER_UNKNOWN.to_string(), None),
    }
}

/// A finding about `bundle`'s code, owned as [`bundle_owner`] says.
pub(crate) fn bundle_finding(
    ctx: &CompareContext<'_>,
    view: &ManifestView,
    kind: FindingKind,
    bundle: &str,
    message: String,
) -> Finding {
    let (owner, sdk) = bundle_owner(ctx, view, bundle);
    let mut f = finding(kind, &owner, message);
    f.owner_kind = Some(match (owner.as_str(), &sdk) {
        (OWNER_APP, _) => OwnerKind::App,
        (_, Some(_)) => OwnerKind::Sdk,
        _ => OwnerKind::Unknown,
    });
    f.owner_reason = Some(format!("code of {bundle}"));
    f.sdk = sdk;
    f
}

/// Every privacy-manifest finding of an iOS app (none for other platforms).
pub fn findings(ctx: &CompareContext<'_>) -> Vec<Finding> {
    let Some(view) = ManifestView::of(ctx.app) else {
        return Vec::new();
    };
    let mut out = undeclared_categories(ctx, &view);
    out.extend(invalid_reasons(ctx, &view));
    out.extend(super::privacy_manifest_sdks::missing_sdk_manifests(
        ctx, &view,
    ));
    out.extend(tracking_contradictions(ctx, &view));
    out
}

/// Used categories no manifest of the binary's bundle declares.
fn undeclared_categories(ctx: &CompareContext<'_>, view: &ManifestView) -> Vec<Finding> {
    let mut out = Vec::new();
    for u in &view.uses {
        let manifests = view.manifests_for(&u.bundle);
        let declared: BTreeSet<&str> = manifests
            .iter()
            .flat_map(|(_, m)| m.accessed_api_types.iter().map(|t| t.category.as_str()))
            .collect();
        let checked = if manifests.is_empty() {
            "it ships no privacy manifest".to_string()
        } else {
            let paths: Vec<&str> = manifests.iter().map(|(p, _)| *p).collect();
            format!(
                "its privacy manifest ({}) does not declare it",
                paths.join(", ")
            )
        };
        for c in u
            .categories
            .iter()
            .filter(|c| !declared.contains(c.category.as_str()))
        {
            let names: BTreeSet<&str> = c
                .evidence
                .iter()
                .filter_map(|e| e.detail.as_deref())
                .filter_map(|d| d.rsplit(' ').next())
                .collect();
            let mut f = bundle_finding(
                ctx,
                view,
                FindingKind::UndeclaredRequiredReasonApi,
                &u.bundle,
                format!(
                    "{} uses required-reason API {} ({}; {} reference{}) but {checked}",
                    u.binary,
                    c.category,
                    names.into_iter().collect::<Vec<_>>().join(", "),
                    c.sites,
                    if c.sites == 1 { "" } else { "s" },
                ),
            );
            f.permission = Some(c.category.clone());
            f.evidence = c.evidence.clone();
            out.push(f);
        }
    }
    out
}

/// Declared categories Apple does not define, and reasons outside a category's list.
fn invalid_reasons(ctx: &CompareContext<'_>, view: &ManifestView) -> Vec<Finding> {
    let mut out = Vec::new();
    for (path, manifest) in &view.manifests {
        let bundle = view.bundle_of_manifest(path);
        for t in &manifest.accessed_api_types {
            let known = ctx.set.required_reason.iter().find(|c| c.id == t.category);
            let problem = match known {
                None => Some(format!(
                    "declares {}, which is not an API category Apple defines",
                    t.category
                )),
                Some(_) if t.reasons.is_empty() => {
                    Some(format!("declares {} without a reason code", t.category))
                }
                Some(c) => {
                    let bad: Vec<&str> = t
                        .reasons
                        .iter()
                        .filter(|r| !c.reasons.contains(*r))
                        .map(String::as_str)
                        .collect();
                    (!bad.is_empty()).then(|| {
                        format!(
                            "declares {} with reason {} that Apple does not accept for it (valid: {})",
                            t.category,
                            bad.join(", "),
                            c.reasons.join(", ")
                        )
                    })
                }
            };
            if let Some(problem) = problem {
                let mut f = bundle_finding(
                    ctx,
                    view,
                    FindingKind::InvalidRequiredReason,
                    &bundle,
                    format!("{path} {problem}"),
                );
                f.permission = Some(t.category.clone());
                f.evidence = vec![Evidence::in_file(path.as_str())
                    .at("NSPrivacyAccessedAPITypes")
                    .detail(format!("{}: {}", t.category, t.reasons.join(", ")))];
                out.push(f);
            }
        }
    }
    out
}

/// Bundles whose manifests leave tracking off while tracking shows.
fn tracking_contradictions(ctx: &CompareContext<'_>, view: &ManifestView) -> Vec<Finding> {
    let mut out = Vec::new();
    for bundle in view.bundles() {
        let manifests = view.manifests_for(&bundle);
        if manifests.is_empty() || manifests.iter().any(|(_, m)| m.tracking == Some(true)) {
            continue;
        }
        let binaries: BTreeSet<&str> = view
            .uses
            .iter()
            .filter(|u| u.bundle == bundle)
            .map(|u| u.binary.as_str())
            .collect();
        let signs = tracking_signs(ctx, &manifests, &binaries);
        if signs.is_empty() {
            continue;
        }
        let what: Vec<String> = signs.iter().map(|(what, _)| what.clone()).collect();
        let paths: Vec<&str> = manifests.iter().map(|(p, _)| *p).collect();
        let mut f = bundle_finding(
            ctx,
            view,
            FindingKind::ManifestTrackingContradiction,
            &bundle,
            format!(
                "{} does not declare tracking (NSPrivacyTracking is not true), yet {}",
                paths.join(", "),
                what.join("; ")
            ),
        );
        f.data = Some(TRACKING_DATA.into());
        f.evidence = signs.into_iter().flat_map(|(_, ev)| ev).collect();
        out.push(f);
    }
    out
}

/// What shows tracking in a bundle: tracking domains in its manifests, advertising-identifier
/// reads and tracking SDKs in its binaries; each with its evidence.
fn tracking_signs(
    ctx: &CompareContext<'_>,
    manifests: &[(&str, &PrivacyManifest)],
    binaries: &BTreeSet<&str>,
) -> Vec<(String, Vec<Evidence>)> {
    let mut signs = Vec::new();
    for (path, m) in manifests {
        if !m.tracking_domains.is_empty() {
            signs.push((
                format!(
                    "it lists tracking domains ({})",
                    m.tracking_domains.join(", ")
                ),
                vec![Evidence::in_file(*path).at("NSPrivacyTrackingDomains")],
            ));
        }
    }
    let app: &InspectReport = ctx.app;
    let tracking = &ctx.set.privacy_manifest.tracking;
    let in_bundle = |e: &&Evidence| binaries.contains(e.file.as_str());
    let idfa: Vec<Evidence> = app
        .data
        .iter()
        .filter(|d| d.data_type == TRACKING_DATA)
        .flat_map(|d| d.evidence.iter().filter(in_bundle).cloned())
        .collect();
    if !idfa.is_empty() {
        signs.push((
            "its code reads the advertising identifier (IDFA / ATT)".to_string(),
            idfa,
        ));
    }
    for sdk in app
        .sdks
        .iter()
        .filter(|s| s.grade == Grade::Present && tracking.is_tracking(&s.id, &s.category))
    {
        let ev: Vec<Evidence> = sdk.evidence.iter().filter(in_bundle).cloned().collect();
        if ev.is_empty() {
            continue;
        }
        let why = if tracking.categories.contains(&sdk.category) {
            format!("{} SDK", sdk.category)
        } else {
            "its vendor's privacy manifest declares tracking".to_string()
        };
        signs.push((format!("it holds {} ({why})", sdk.name), ev));
    }
    signs
}
