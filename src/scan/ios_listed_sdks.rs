//! SDKs on Apple's list of commonly used third-party SDKs that are linked statically: their
//! Objective-C classes (`classes` of `signatures/ios-privacy-manifest.toml`) are defined in a
//! binary that is not the SDK's own framework (the main executable, an extension, another
//! vendor's framework). Such an SDK has no framework bundle to carry its privacy manifest; it
//! ships the manifest in a resource bundle of the app, which
//! `crate::compare::privacy_manifest_sdks` looks for.
//!
//! ```no_run
//! # fn f(bin: &disclose::scan::ios::Binary, set: &disclose::signatures::SignatureSet) {
//! for sdk in disclose::scan::ios_listed_sdks::statically_linked(bin, &set.privacy_manifest) {
//!     println!("{} is linked into {}", sdk.name, bin.path);
//! }
//! # }
//! ```

use super::ios::Binary;
use crate::model::Evidence;
use crate::signatures::required_reason::PrivacyManifestFile;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Most classes kept as evidence per SDK and binary.
pub const MAX_CLASSES: usize = 5;

/// One Apple-listed SDK whose code a binary holds without being the SDK's framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedListedSdk {
    /// The name on Apple's list (`AFNetworking`).
    pub name: String,
    /// The framework / resource-bundle names that identify it (`frameworks` of the entry).
    pub frameworks: Vec<String>,
    /// The classes found (at most [`MAX_CLASSES`]), at the binary.
    pub evidence: Vec<Evidence>,
}

/// The listed SDKs `bin` defines classes of, in the order of the data file; empty when none.
pub fn statically_linked(bin: &Binary, facts: &PrivacyManifestFile) -> Vec<LinkedListedSdk> {
    let own_framework = bundle_stem(&bin.owner_bundle);
    let mut found: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for slice in &bin.slices {
        for class in slice.objc_classes.iter() {
            let Some(i) = facts
                .sdks
                .iter()
                .position(|s| s.classes.iter().any(|c| c == class))
            else {
                continue;
            };
            let is_own = facts.sdks[i].frameworks.iter().any(|f| f == own_framework);
            if !is_own {
                found.entry(i).or_default().insert(class);
            }
        }
    }
    found
        .into_iter()
        .filter_map(|(i, classes)| {
            let sdk = facts.sdks.get(i)?;
            Some(LinkedListedSdk {
                name: sdk.name.clone(),
                frameworks: sdk.frameworks.clone(),
                evidence: classes
                    .into_iter()
                    .take(MAX_CLASSES)
                    .map(|c| {
                        Evidence::in_file(&bin.path)
                            .at(format!("ObjC class {c}"))
                            .rule(format!("apple-sdk-list:{}", sdk.name))
                            .detail("defined in this binary: the SDK is linked statically")
                    })
                    .collect(),
            })
        })
        .collect()
}

/// `…/Frameworks/AFNetworking.framework` → `AFNetworking`; the app bundle's stem otherwise.
fn bundle_stem(bundle: &str) -> &str {
    let last = bundle
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(bundle);
    last.rsplit_once('.').map_or(last, |(stem, _)| stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_stems() {
        assert_eq!(
            bundle_stem("Payload/A.app/Frameworks/FMDB.framework"),
            "FMDB"
        );
        assert_eq!(bundle_stem("Payload/A.app"), "A");
        assert_eq!(bundle_stem("Payload/A.app/PlugIns/W.appex/"), "W");
    }
}
