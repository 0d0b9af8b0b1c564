//! Finding `missing-sdk-privacy-manifest` (high): an SDK on Apple's list of commonly used
//! third-party SDKs (`signatures/ios-privacy-manifest.toml`) that ships no privacy manifest of
//! its own. App Store Connect rejects new apps and updates adding one without it (ITMS-91061).
//!
//! - Embedded as a framework or dylib: the framework bundle holds no `PrivacyInfo.xcprivacy`.
//! - Linked statically (its classes defined in the main executable, an extension or another
//!   framework, `crate::scan::ios_listed_sdks`): no resource bundle of the SDK
//!   (`<Name>.bundle`, `<Name>_Privacy.bundle`, SwiftPM's `<Package>_<Name>.bundle`) with a
//!   manifest ships with that binary. The evidence is the classes that show the static link.
//!
//! ```no_run
//! # fn f(ctx: &disclose::compare::context::CompareContext) {
//! for f in disclose::compare::privacy_manifest::findings(ctx) {
//!     if f.kind.code() == "missing-sdk-privacy-manifest" { println!("{}", f.message); }
//! }
//! # }
//! ```

use super::context::{finding, CompareContext};
use super::finding::{Finding, FindingKind};
use super::privacy_manifest::{bundle_finding, framework_name, ManifestView};
use crate::model::{Evidence, OwnerKind, OWNER_UNKNOWN};
use crate::scan::ios_listed_sdks::LinkedListedSdk;
use crate::scan::ios_required_reason::BinaryApiUse;

/// Every listed SDK, embedded or linked statically, without its own manifest.
pub(crate) fn missing_sdk_manifests(ctx: &CompareContext<'_>, view: &ManifestView) -> Vec<Finding> {
    let mut out = embedded_without_manifest(ctx, view);
    for u in &view.uses {
        for linked in &u.linked_sdks {
            if let Some(f) = static_without_manifest(ctx, view, u, linked) {
                out.push(f);
            }
        }
    }
    out
}

/// Embedded frameworks on Apple's list that ship no manifest of their own.
fn embedded_without_manifest(ctx: &CompareContext<'_>, view: &ManifestView) -> Vec<Finding> {
    let list = &ctx.set.privacy_manifest;
    view.layout
        .frameworks
        .iter()
        .filter(|b| b.kind == "framework" || b.kind == "dylib")
        .filter_map(|b| {
            let listed = list.listed_sdk(framework_name(&b.path))?;
            if !view.manifests_for(&b.path).is_empty() {
                return None;
            }
            let mut f = bundle_finding(
                ctx,
                view,
                FindingKind::MissingSdkPrivacyManifest,
                &b.path,
                format!(
                    "{} is {}, on Apple's list of commonly used SDKs, but ships no PrivacyInfo.xcprivacy",
                    b.path, listed.name
                ),
            );
            f.permission = Some(listed.name.clone());
            f.evidence = vec![Evidence::in_file(&b.path)
                .at("no PrivacyInfo.xcprivacy in the bundle")
                .rule(format!("apple-sdk-list:{}", listed.name))];
            Some(f)
        })
        .collect()
}

/// A listed SDK linked into `u`'s binary with no resource bundle of its own holding a
/// manifest among the manifests that ship with that binary.
fn static_without_manifest(
    ctx: &CompareContext<'_>,
    view: &ManifestView,
    u: &BinaryApiUse,
    linked: &LinkedListedSdk,
) -> Option<Finding> {
    let manifests = view.manifests_for(&u.bundle);
    if manifests
        .iter()
        .any(|(path, _)| is_sdk_resource_manifest(path, &linked.frameworks))
    {
        return None;
    }
    let listed = ctx
        .set
        .privacy_manifest
        .sdks
        .iter()
        .find(|s| s.name == linked.name)?;
    // The code is the SDK's whoever's binary holds it: owned by its SDK id where one exists.
    let sdk_id = listed.sdk.clone();
    let owner = sdk_id
        .as_ref()
        .map_or_else(|| OWNER_UNKNOWN.to_string(), ToString::to_string);
    let first = linked
        .frameworks
        .first()
        .map_or(linked.name.as_str(), String::as_str);
    let mut f = finding(
        FindingKind::MissingSdkPrivacyManifest,
        &owner,
        format!(
            "{} holds {} (on Apple's list of commonly used SDKs) linked statically, but no {first}.bundle or {first}_Privacy.bundle with a PrivacyInfo.xcprivacy ships with it",
            u.binary, linked.name
        ),
    );
    f.owner_kind = Some(if sdk_id.is_some() {
        OwnerKind::Sdk
    } else {
        OwnerKind::Unknown
    });
    f.owner_reason = Some(format!("classes of {} in {}", linked.name, u.binary));
    f.sdk = sdk_id;
    f.permission = Some(linked.name.clone());
    f.evidence = linked.evidence.clone();
    Some(f)
}

/// Whether `path` is a manifest inside a resource bundle of the SDK named by one of
/// `frameworks`: `…/<Name>.bundle/…`, `…/<Name>_Privacy.bundle/…` (CocoaPods, the vendors'
/// own spelling) or `…/<Package>_<Name>.bundle/…` (SwiftPM).
fn is_sdk_resource_manifest(path: &str, frameworks: &[String]) -> bool {
    path.split('/')
        .filter_map(|part| part.strip_suffix(".bundle"))
        .any(|stem| {
            frameworks.iter().any(|name| {
                stem == name
                    || stem
                        .strip_prefix(name.as_str())
                        .is_some_and(|rest| rest.starts_with('_'))
                    || stem
                        .strip_suffix(name.as_str())
                        .is_some_and(|rest| rest.ends_with('_'))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_bundles_of_an_sdk_are_recognised() {
        let fw = vec!["FMDB".to_string()];
        for yes in [
            "Payload/A.app/FMDB.bundle/PrivacyInfo.xcprivacy",
            "Payload/A.app/FMDB_Privacy.bundle/PrivacyInfo.xcprivacy",
            "Payload/A.app/fmdb_FMDB.bundle/PrivacyInfo.xcprivacy",
        ] {
            assert!(is_sdk_resource_manifest(yes, &fw), "{yes}");
        }
        for no in [
            "Payload/A.app/PrivacyInfo.xcprivacy",
            "Payload/A.app/FMDBExtras.bundle/PrivacyInfo.xcprivacy",
            "Payload/A.app/Other_Privacy.bundle/PrivacyInfo.xcprivacy",
            "Payload/A.app/MyFMDB.bundle/PrivacyInfo.xcprivacy",
        ] {
            assert!(!is_sdk_resource_manifest(no, &fw), "{no}");
        }
    }
}
