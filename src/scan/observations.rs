//! Accumulators shared by the platform scanners: SDK presence (with its evidence grade) and
//! data observations keyed by owner, with bounded evidence lists (counts stay exact, evidence
//! is capped).
//!
//! ```
//! use disclose::scan::observations::{DataAccumulator, OwnerLabel};
//! use disclose::model::{Evidence, OwnerKind};
//! let mut acc = DataAccumulator::default();
//! acc.add("device.imei", "app", 2, Evidence::in_file("classes.dex"));
//! let glide = OwnerLabel::new(OwnerKind::Library, "glide", "package of library glide");
//! acc.add_owned("device.imei", &glide, 1, Evidence::in_file("classes2.dex"));
//! let obs = acc.finish();
//! assert_eq!((obs.len(), obs[1].owner), (2, OwnerKind::Library));
//! ```

use crate::id::SdkId;
use crate::model::{
    DataObservation, Evidence, Grade, OwnerKind, SdkPresence, OWNER_APP, OWNER_UNKNOWN,
};
use std::collections::BTreeMap;

/// Evidence items kept per observation (the count of sites is always exact).
pub const MAX_EVIDENCE: usize = 25;

/// Distinct owner reasons kept per observation.
const MAX_REASONS: usize = 3;

fn push_capped(list: &mut Vec<Evidence>, ev: Evidence) {
    if list.len() < MAX_EVIDENCE && !list.contains(&ev) {
        list.push(ev);
    }
}

/// Who owns code: the app, an SDK (by its id), a named library or platform wrapper, or
/// nobody known. Typed, so an SDK id cannot stand where a library id is meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    App,
    Sdk(SdkId),
    Library(String),
    Platform(String),
    Unknown,
}

impl Owner {
    /// The owner of kind `kind` named `id` (`app` and `unknown` for those two kinds).
    pub fn new(kind: OwnerKind, id: impl Into<String>) -> Owner {
        match kind {
            OwnerKind::App => Owner::App,
            OwnerKind::Sdk => Owner::Sdk(SdkId::from(id.into())),
            OwnerKind::Library => Owner::Library(id.into()),
            OwnerKind::Platform => Owner::Platform(id.into()),
            OwnerKind::Unknown => Owner::Unknown,
        }
    }

    pub fn kind(&self) -> OwnerKind {
        match self {
            Owner::App => OwnerKind::App,
            Owner::Sdk(_) => OwnerKind::Sdk,
            Owner::Library(_) => OwnerKind::Library,
            Owner::Platform(_) => OwnerKind::Platform,
            Owner::Unknown => OwnerKind::Unknown,
        }
    }

    /// The id reports write in `by`: `app`, `unknown`, the SDK or library id.
    pub fn id(&self) -> &str {
        match self {
            Owner::App => OWNER_APP,
            Owner::Sdk(id) => id,
            Owner::Library(id) | Owner::Platform(id) => id,
            Owner::Unknown => OWNER_UNKNOWN,
        }
    }
}

/// Who owns code and why, as observations report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerLabel {
    pub owner: Owner,
    pub reason: String,
}

impl OwnerLabel {
    /// The label of the owner of kind `kind` named `id` (see [`Owner::new`]).
    pub fn new(kind: OwnerKind, id: impl Into<String>, reason: impl Into<String>) -> OwnerLabel {
        OwnerLabel {
            owner: Owner::new(kind, id),
            reason: reason.into(),
        }
    }

    /// The kind of owner.
    pub fn kind(&self) -> OwnerKind {
        self.owner.kind()
    }

    /// The owner's id (see [`Owner::id`]).
    pub fn id(&self) -> &str {
        self.owner.id()
    }

    /// The label of a plain owner id as the iOS and class-file scanners give it: `app`,
    /// `unknown`, or an SDK id.
    pub fn of_id(id: &str) -> OwnerLabel {
        match id {
            OWNER_APP => OwnerLabel::new(OwnerKind::App, id, "the app's own binary"),
            OWNER_UNKNOWN => OwnerLabel::new(
                OwnerKind::Unknown,
                id,
                "no app namespace, SDK, library or vendor root matches",
            ),
            sdk => OwnerLabel::new(
                OwnerKind::Sdk,
                sdk,
                format!("defined under the signature of sdk {sdk}"),
            ),
        }
    }
}

#[derive(Debug, Default)]
struct DataSlot {
    kind: OwnerKind,
    reasons: Vec<String>,
    sites: usize,
    evidence: Vec<Evidence>,
}

/// Data observations keyed by (taxonomy id, owner id).
#[derive(Debug, Default)]
pub struct DataAccumulator {
    map: BTreeMap<(String, String), DataSlot>,
}

impl DataAccumulator {
    /// Adds sites of a plain owner id (see [`OwnerLabel::of_id`]).
    pub fn add(&mut self, data_type: &str, owner: &str, sites: usize, ev: Evidence) {
        self.add_owned(data_type, &OwnerLabel::of_id(owner), sites, ev);
    }

    /// Adds sites of a labelled owner.
    pub fn add_owned(&mut self, data_type: &str, owner: &OwnerLabel, sites: usize, ev: Evidence) {
        let slot = self
            .map
            .entry((data_type.to_string(), owner.id().to_string()))
            .or_default();
        slot.kind = owner.kind();
        if slot.reasons.len() < MAX_REASONS && !slot.reasons.contains(&owner.reason) {
            slot.reasons.push(owner.reason.clone());
        }
        slot.sites += sites;
        push_capped(&mut slot.evidence, ev);
    }

    pub fn merge(&mut self, other: DataAccumulator) {
        for (key, theirs) in other.map {
            let slot = self.map.entry(key).or_default();
            slot.kind = theirs.kind;
            for r in theirs.reasons {
                if slot.reasons.len() < MAX_REASONS && !slot.reasons.contains(&r) {
                    slot.reasons.push(r);
                }
            }
            slot.sites += theirs.sites;
            for ev in theirs.evidence {
                push_capped(&mut slot.evidence, ev);
            }
        }
    }

    /// Observations sorted by data type, then owner.
    pub fn finish(self) -> Vec<DataObservation> {
        self.map
            .into_iter()
            .map(|((data_type, by), slot)| DataObservation {
                data_type: data_type.into(),
                by,
                owner: slot.kind,
                owner_reason: slot.reasons.join("; "),
                sites: slot.sites,
                evidence: slot.evidence,
            })
            .collect()
    }
}

#[derive(Debug, Default)]
struct PresenceSlot {
    /// Defined classes / symbols (core and crumbs).
    classes: usize,
    /// Core classes / symbols.
    core: usize,
    /// Code evidence without classes (a native library, a framework binary, a component
    /// whose class is defined).
    code_files: bool,
    /// Crumb classes.
    crumbs: usize,
    /// Core classes recognised by fingerprint (renamed code), and why.
    fingerprint: usize,
    fingerprint_reason: Option<String>,
    evidence: Vec<Evidence>,
}

/// One SDK as the accumulator grades it: index, classes, grade, reason, evidence.
pub struct Graded {
    pub idx: usize,
    pub classes: usize,
    pub grade: Grade,
    pub reason: String,
    pub evidence: Vec<Evidence>,
}

/// SDK presence keyed by index into the signature set.
#[derive(Debug, Default)]
pub struct PresenceAccumulator {
    map: BTreeMap<usize, PresenceSlot>,
}

impl PresenceAccumulator {
    /// Code evidence (a defined core class, a native library, a framework binary, a declared
    /// component whose class is defined): proves presence.
    pub fn code(&mut self, idx: usize, classes: usize, ev: Option<Evidence>) {
        let slot = self.map.entry(idx).or_default();
        slot.classes += classes;
        slot.core += classes;
        if classes == 0 {
            slot.code_files = true;
        }
        if let Some(ev) = ev {
            push_capped(&mut slot.evidence, ev);
        }
    }

    /// Renamed classes that the SDK's fingerprint recognised: code evidence, graded
    /// `present (fingerprint)` with `reason` when no package name matched.
    pub fn fingerprinted(
        &mut self,
        idx: usize,
        classes: usize,
        evidence: Vec<Evidence>,
        reason: String,
    ) {
        let slot = self.map.entry(idx).or_default();
        slot.classes += classes;
        slot.core += classes;
        slot.fingerprint += classes;
        slot.fingerprint_reason.get_or_insert(reason);
        for ev in evidence {
            push_capped(&mut slot.evidence, ev);
        }
    }

    /// A defined class the SDK's signature marks as a crumb: counted, proves only a reference.
    pub fn crumb(&mut self, idx: usize, ev: Evidence) {
        let slot = self.map.entry(idx).or_default();
        slot.classes += 1;
        slot.crumbs += 1;
        push_capped(&mut slot.evidence, ev);
    }

    /// Supporting evidence (manifest meta-data, a component without its class, a JNI name):
    /// recorded, proves only a reference.
    pub fn support(&mut self, idx: usize, ev: Evidence) {
        let slot = self.map.entry(idx).or_default();
        push_capped(&mut slot.evidence, ev);
    }

    pub fn merge(&mut self, other: PresenceAccumulator) {
        for (idx, theirs) in other.map {
            let slot = self.map.entry(idx).or_default();
            slot.classes += theirs.classes;
            slot.core += theirs.core;
            slot.crumbs += theirs.crumbs;
            slot.fingerprint += theirs.fingerprint;
            if slot.fingerprint_reason.is_none() {
                slot.fingerprint_reason = theirs.fingerprint_reason;
            }
            slot.code_files |= theirs.code_files;
            for ev in theirs.evidence {
                push_capped(&mut slot.evidence, ev);
            }
        }
    }

    /// Whether SDK `idx` has code evidence so far (a present SDK).
    pub fn is_present(&self, idx: usize) -> bool {
        self.map
            .get(&idx)
            .is_some_and(|s| s.core > 0 || s.code_files)
    }

    /// Defined core classes of SDK `idx` so far.
    pub fn core_classes(&self, idx: usize) -> usize {
        self.map.get(&idx).map_or(0, |s| s.core)
    }

    /// Every SDK with code evidence, with its grade.
    pub fn present(self) -> Vec<(usize, usize, Vec<Evidence>)> {
        self.graded()
            .into_iter()
            .filter(|g| g.grade == Grade::Present)
            .map(|g| (g.idx, g.classes, g.evidence))
            .collect()
    }

    /// Every SDK with any evidence, graded.
    pub fn graded(self) -> Vec<Graded> {
        self.map
            .into_iter()
            .map(|(idx, s)| {
                let (grade, reason) = if s.core > 0 && s.core == s.fingerprint {
                    (Grade::Present, s.fingerprint_reason.unwrap_or_default())
                } else if s.core > 0 {
                    let crumbs = if s.crumbs > 0 {
                        format!(" (and {} crumb classes)", s.crumbs)
                    } else {
                        String::new()
                    };
                    let renamed = if s.fingerprint > 0 {
                        format!(
                            ", {} of them renamed and recognised by fingerprint",
                            s.fingerprint
                        )
                    } else {
                        String::new()
                    };
                    (
                        Grade::Present,
                        format!("defines {} of its core classes{renamed}{crumbs}", s.core),
                    )
                } else if s.code_files {
                    (
                        Grade::Present,
                        "ships its native library, binary or declared component code".to_string(),
                    )
                } else if s.crumbs > 0 {
                    (
                        Grade::Referenced,
                        format!(
                            "defines only {} crumb classes that other libraries ship (interfaces, value or exception classes)",
                            s.crumbs
                        ),
                    )
                } else {
                    (
                        Grade::Referenced,
                        "only manifest entries or names that refer to it; none of its code"
                            .to_string(),
                    )
                };
                Graded {
                    idx,
                    classes: s.classes,
                    grade,
                    reason,
                    evidence: s.evidence,
                }
            })
            .collect()
    }
}

/// Turn graded SDK indices into [`SdkPresence`] records, sorted by id, with `part_of` set
/// from the signatures' `bundled_in` where a parent is present.
pub fn graded_records(graded: Vec<Graded>, sdks: &[crate::signatures::Sdk]) -> Vec<SdkPresence> {
    let mut out: Vec<SdkPresence> = graded
        .into_iter()
        .filter_map(|g| {
            let sdk = sdks.get(g.idx)?;
            let mut p = presence(&sdk.spec, g.classes, g.evidence);
            p.grade = g.grade;
            p.grade_reason = g.reason;
            Some(p)
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    link_bundles(&mut out, sdks);
    out
}

/// Sets `part_of` of every present SDK that ships inside another present SDK.
pub fn link_bundles(out: &mut [SdkPresence], sdks: &[crate::signatures::Sdk]) {
    let present: Vec<SdkId> = out
        .iter()
        .filter(|p| p.grade == Grade::Present)
        .map(|p| p.id.clone())
        .collect();
    for p in out.iter_mut() {
        let Some(sdk) = sdks.iter().find(|s| s.spec.id == p.id) else {
            continue;
        };
        p.part_of = sdk
            .spec
            .bundled_in
            .iter()
            .find(|parent| present.contains(parent))
            .filter(|_| only_bundled_copy(&p.evidence, &sdk.spec.bundled_only))
            .cloned();
    }
}

/// Whether all `evidence` lies in the bundled copy named by `bundled_only` (Android packages,
/// boundary rule, or iOS class prefixes); always true when `bundled_only` is empty.
fn only_bundled_copy(evidence: &[Evidence], bundled_only: &[String]) -> bool {
    if bundled_only.is_empty() {
        return true;
    }
    evidence.iter().all(|e| {
        let location = e.location.as_deref().unwrap_or("");
        if let Some(class) = location.strip_prefix("ObjC class ") {
            return bundled_only.iter().any(|p| class.starts_with(p.as_str()));
        }
        let Some(descriptor) = location.strip_prefix('L') else {
            return false;
        };
        let class = descriptor.split(';').next().unwrap_or("").replace('/', ".");
        bundled_only.iter().any(|p| {
            class.starts_with(p.as_str())
                && matches!(class.as_bytes().get(p.len()), None | Some(b'.' | b'$'))
        })
    })
}

/// Turn present SDK indices into [`SdkPresence`] records (grade `present`).
pub fn presence_records(
    present: Vec<(usize, usize, Vec<Evidence>)>,
    sdks: &[crate::signatures::Sdk],
) -> Vec<SdkPresence> {
    let mut out: Vec<SdkPresence> = present
        .into_iter()
        .filter_map(|(idx, classes, evidence)| {
            let sdk = sdks.get(idx)?;
            let mut p = presence(&sdk.spec, classes, evidence);
            p.grade_reason = "defines its classes or ships its binary".to_string();
            Some(p)
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    link_bundles(&mut out, sdks);
    out
}

/// The [`SdkPresence`] record of one SDK file, with what its vendor documents.
pub fn presence(
    spec: &crate::signatures::schema::SdkFile,
    classes: usize,
    evidence: Vec<Evidence>,
) -> SdkPresence {
    SdkPresence {
        id: spec.id.clone(),
        name: spec.name.clone(),
        vendor: spec.vendor.clone(),
        category: spec.category.clone(),
        classes,
        vendor_data: spec.data.clone(),
        grade: Grade::Present,
        grade_reason: String::new(),
        part_of: None,
        evidence,
    }
}
