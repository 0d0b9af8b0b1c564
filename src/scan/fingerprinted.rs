//! Hands the classes of one DEX that no package name claimed to the SDK fingerprints
//! ([`crate::fingerprint`]): the classes of an SDK they prove become that SDK's (so the data
//! their code reaches is the SDK's), and the SDK is present `(fingerprint)`.
//!
//! ```no_run
//! # fn f(unit: &disclose::scan::android::DexUnit, set: &disclose::signatures::SignatureSet,
//! #      m: &disclose::signatures::Matchers, ns: &disclose::scan::owners::AppNamespaces) {
//! // Called by `scan_dex` after the package-name owners are known.
//! let scan = disclose::scan::android::scan_dex(unit, set, m, ns);
//! # }
//! ```

use super::android::{DexScan, DexUnit};
use super::owners::ClassOwner;
use crate::model::Evidence;
use crate::signatures::{SdkIdx, SignatureSet};

/// Evidence entries listed per claimed SDK (the count is in the grade reason).
const LISTED_CLASSES: usize = 20;

/// Whether fingerprints may claim a class of this owner: the app's (a renamed SDK may land in
/// the app's package), a vendor root's or nobody's; never an SDK's or a library's by name.
fn claimable(owner: ClassOwner) -> bool {
    matches!(
        owner,
        ClassOwner::App(_) | ClassOwner::Unknown | ClassOwner::VendorRoot(_)
    )
}

/// Claims renamed SDK classes of `unit` in `owners`, recording presence and evidence in `out`.
pub(super) fn claim_renamed_classes(
    unit: &DexUnit,
    set: &SignatureSet,
    owners: &mut [ClassOwner],
    out: &mut DexScan,
) {
    let index = set.fingerprints.as_ref();
    let claims = crate::fingerprint::claim(index, &unit.dex, &unit.code, |cd| {
        owners.get(cd as usize).is_some_and(|&o| claimable(o))
    });
    for claim in claims {
        let Some(pos) = set.sdks.iter().position(|s| s.spec.id == claim.sdk) else {
            continue;
        };
        let idx = SdkIdx(pos as u32);
        let mut evidence = Vec::new();
        for c in &claim.classes {
            if let Some(slot) = owners.get_mut(c.class_def as usize) {
                *slot = ClassOwner::Sdk(idx);
            }
            if evidence.len() < LISTED_CLASSES {
                evidence.push(
                    Evidence::in_file(&unit.file)
                        .at(&c.app_name)
                        .rule(format!("fingerprint:{}", claim.sdk))
                        .detail(format!(
                            "matches {} of {} {} ({:.0}% of its features)",
                            c.sdk_name,
                            claim.sdk,
                            claim.version,
                            c.containment * 100.0
                        )),
                );
            }
        }
        let reason = format!(
            "present (fingerprint): {} renamed classes match {} of the {} classes in its fingerprint (version {}), confidence {:.2}",
            claim.classes.len(),
            claim.matched,
            claim.fingerprint_classes,
            claim.version,
            claim.confidence
        );
        out.fingerprinted += claim.classes.len();
        out.presence
            .fingerprinted(idx.index(), claim.classes.len(), evidence, reason);
    }
    out.unattributed += owners.iter().filter(|&&o| o == ClassOwner::Unknown).count();
}
