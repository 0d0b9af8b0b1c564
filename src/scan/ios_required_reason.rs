//! Required-reason API use per iOS binary: which of Apple's categories
//! (`signatures/ios-required-reason.toml`) the main executable, each framework or dylib and each
//! extension references, with the call sites. The references come from
//! [`super::ios::each_reference`], the same walk the data scan reads: a name used by a decoded
//! arm64 function is evidence at that function; a name the binary only holds (an import, a
//! selector or class reference no decoded function was seen using — x86_64-only or encrypted
//! code) is evidence at the binary.
//!
//! Each binary also lists the SDKs of Apple's list linked into it statically
//! (`super::ios_listed_sdks`). The result goes into the inspect report's
//! `details.required_reason_apis`, where `crate::compare::privacy_manifest` compares it with
//! the manifests.
//!
//! ```no_run
//! # fn f(bins: &[disclose::scan::ios::Binary], set: &disclose::signatures::SignatureSet) {
//! for b in disclose::scan::ios_required_reason::required_reason_uses(bins, set) {
//!     for c in &b.categories {
//!         println!("{} uses {} ({} sites)", b.binary, c.category, c.sites);
//!     }
//! }
//! # }
//! ```

use super::ios::{each_reference, Binary};
use super::ios_listed_sdks::{statically_linked, LinkedListedSdk};
use crate::ios::macho::CodeRefKind;
use crate::model::Evidence;
use crate::signatures::required_reason::{ApiCategory, RefName, RequiredReasonMatcher};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Most call sites kept as evidence per binary and category (the count is in `sites`).
pub const MAX_EVIDENCE: usize = 12;

/// The required-reason categories one binary uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BinaryApiUse {
    /// Path inside the package.
    pub binary: String,
    /// The bundle it belongs to (`Payload/A.app`, `…/Frameworks/X.framework`).
    pub bundle: String,
    /// The app's own code (main executable, extension, Watch app).
    pub app_code: bool,
    /// Categories used, in the order of the data file; empty when none.
    pub categories: Vec<CategoryUse>,
    /// SDKs of Apple's list linked into this binary statically (not its own framework).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub linked_sdks: Vec<LinkedListedSdk>,
}

/// One category a binary uses, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryUse {
    /// `NSPrivacyAccessedAPICategory…`.
    pub category: String,
    /// References found (call sites in decoded code, else one per name).
    pub sites: usize,
    /// At most [`MAX_EVIDENCE`] call sites: function (or the binary), the name referenced.
    pub evidence: Vec<Evidence>,
}

/// The categories every binary uses and the listed SDKs linked into it (every binary is
/// listed, users or not).
pub fn required_reason_uses(
    binaries: &[Binary],
    set: &crate::signatures::SignatureSet,
) -> Vec<BinaryApiUse> {
    let categories = &set.required_reason;
    let matcher = RequiredReasonMatcher::new(categories);
    binaries
        .iter()
        .map(|bin| BinaryApiUse {
            binary: bin.path.clone(),
            bundle: bin.owner_bundle.clone(),
            app_code: bin.is_app_code,
            categories: binary_categories(bin, categories, &matcher),
            linked_sdks: statically_linked(bin, &set.privacy_manifest),
        })
        .collect()
}

fn binary_categories(
    bin: &Binary,
    categories: &[ApiCategory],
    matcher: &RequiredReasonMatcher,
) -> Vec<CategoryUse> {
    // Per category: site count and the distinct evidence.
    let mut found: BTreeMap<usize, (usize, BTreeSet<Evidence>)> = BTreeMap::new();
    // Names already evidenced: a later binary-level mention of them adds nothing.
    let mut in_code: BTreeSet<(CodeRefKind, &str)> = BTreeSet::new();
    each_reference(bin, |site| {
        let name = match site.kind {
            CodeRefKind::Symbol => RefName::Symbol(site.name),
            CodeRefKind::Selector => RefName::Selector(site.name),
            CodeRefKind::Class => RefName::Class(site.name),
        };
        let hits = matcher.categories(name);
        if hits.is_empty() {
            return;
        }
        let what = match site.kind {
            CodeRefKind::Symbol => "symbol",
            CodeRefKind::Selector => "selector",
            CodeRefKind::Class => "class",
        };
        let location = match site.function {
            Some(function) => {
                in_code.insert((site.kind, site.name));
                function.to_string()
            }
            // Named by a decoded function, or by another slice already.
            None if !in_code.insert((site.kind, site.name)) => return,
            None => format!("{what} reference (no decoded call site)"),
        };
        for &i in hits {
            let Some(category) = categories.get(i) else {
                continue;
            };
            let entry = found.entry(i).or_default();
            let ev = Evidence::in_file(&bin.path)
                .at(location.clone())
                .rule(category.id.clone())
                .detail(format!("{} {what} {}", site.arch, site.name));
            if entry.1.insert(ev) {
                entry.0 += site.sites as usize;
            }
        }
    });
    found
        .into_iter()
        .filter_map(|(i, (sites, evidence))| {
            let category = categories.get(i)?;
            Some(CategoryUse {
                category: category.id.clone(),
                sites,
                evidence: evidence.into_iter().take(MAX_EVIDENCE).collect(),
            })
        })
        .collect()
}

/// A `PrivacyInfo.xcprivacy` skeleton for an iOS inspect report: an `NSPrivacyAccessedAPITypes`
/// entry for every required-reason category the app's own binaries (main executable,
/// extensions) use, each with a comment naming the call sites and the reason codes Apple
/// accepts, and the reasons left empty for a human to choose; frameworks that use categories
/// are named in a comment (they need manifests of their own). An empty string when the report
/// holds no required-reason details (not iOS).
pub fn required_reason_skeleton(
    app: &crate::model::InspectReport,
    set: &crate::signatures::SignatureSet,
) -> String {
    let Some(uses) = app
        .details
        .as_ref()
        .and_then(|d| d.get("required_reason_apis"))
        .and_then(|v| serde_json::from_value::<Vec<BinaryApiUse>>(v.clone()).ok())
    else {
        return String::new();
    };
    let mut app_sites: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut others: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for u in &uses {
        for c in &u.categories {
            if u.app_code {
                let sites = app_sites.entry(c.category.as_str()).or_default();
                sites.extend(c.evidence.iter().map(site_text));
            } else {
                others
                    .entry(u.bundle.as_str())
                    .or_default()
                    .insert(c.category.as_str());
            }
        }
    }
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n",
        "<!-- DRAFT written by disclose from the app's binaries: a human must review it. Choose\n",
        "     each reason from the codes listed (Apple, \"Describing use of required reason API\");\n",
        "     an entry with no reason is rejected. Tracking and collected data types are not drafted. -->\n",
        "<plist version=\"1.0\">\n<dict>\n",
        "\t<key>NSPrivacyAccessedAPITypes</key>\n\t<array>\n",
    ));
    for category in set.required_reason.iter() {
        let Some(sites) = app_sites.get(category.id.as_str()) else {
            continue;
        };
        let shown: Vec<&str> = sites
            .iter()
            .take(MAX_EVIDENCE)
            .map(String::as_str)
            .collect();
        out.push_str(&format!(
            "\t\t<!-- Used by: {} -->\n\t\t<!-- Reasons Apple accepts: {} -->\n",
            comment_safe(&shown.join("; ")),
            category.reasons.join(", ")
        ));
        out.push_str(&format!(
            "\t\t<dict>\n\t\t\t<key>NSPrivacyAccessedAPIType</key>\n\t\t\t<string>{}</string>\n\t\t\t<key>NSPrivacyAccessedAPITypeReasons</key>\n\t\t\t<array/>\n\t\t</dict>\n",
            category.id
        ));
    }
    out.push_str("\t</array>\n</dict>\n</plist>\n");
    for (bundle, categories) in others {
        let list: Vec<&str> = categories.into_iter().collect();
        out.push_str(&format!(
            "<!-- {} uses {}: its own PrivacyInfo.xcprivacy must declare them. -->\n",
            comment_safe(bundle),
            list.join(", ")
        ));
    }
    out
}

/// `Payload/A.app/A: +[Timer ticks] (arm64 symbol _mach_absolute_time)`.
fn site_text(e: &Evidence) -> String {
    format!(
        "{}: {} ({})",
        e.file,
        e.location.as_deref().unwrap_or("?"),
        e.detail.as_deref().unwrap_or("")
    )
}

/// Text safe inside an XML comment (no `--`).
fn comment_safe(text: &str) -> String {
    let mut out = text.to_string();
    while out.contains("--") {
        out = out.replace("--", "- -");
    }
    out
}
