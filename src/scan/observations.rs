//! Accumulators shared by the platform scanners: SDK presence and data observations keyed by
//! owner, with bounded evidence lists (counts stay exact, evidence is capped).
//!
//! ```
//! use disclose::scan::observations::DataAccumulator;
//! use disclose::model::Evidence;
//! let mut acc = DataAccumulator::default();
//! acc.add("device.imei", "app", 2, Evidence::in_file("classes.dex"));
//! acc.add("device.imei", "app", 1, Evidence::in_file("classes2.dex"));
//! let obs = acc.finish();
//! assert_eq!((obs.len(), obs[0].sites), (1, 3));
//! ```

use crate::model::{DataObservation, Evidence, SdkPresence};
use std::collections::BTreeMap;

/// Evidence items kept per observation (the count of sites is always exact).
pub const MAX_EVIDENCE: usize = 25;

fn push_capped(list: &mut Vec<Evidence>, ev: Evidence) {
    if list.len() < MAX_EVIDENCE && !list.contains(&ev) {
        list.push(ev);
    }
}

/// Data observations keyed by (taxonomy id, owner).
#[derive(Debug, Default)]
pub struct DataAccumulator {
    map: BTreeMap<(String, String), (usize, Vec<Evidence>)>,
}

impl DataAccumulator {
    pub fn add(&mut self, data_type: &str, owner: &str, sites: usize, ev: Evidence) {
        let slot = self
            .map
            .entry((data_type.to_string(), owner.to_string()))
            .or_default();
        slot.0 += sites;
        push_capped(&mut slot.1, ev);
    }

    pub fn merge(&mut self, other: DataAccumulator) {
        for (key, (sites, evs)) in other.map {
            let slot = self.map.entry(key).or_default();
            slot.0 += sites;
            for ev in evs {
                push_capped(&mut slot.1, ev);
            }
        }
    }

    /// Observations sorted by data type, then owner.
    pub fn finish(self) -> Vec<DataObservation> {
        self.map
            .into_iter()
            .map(|((data_type, by), (sites, evidence))| DataObservation {
                data_type,
                by,
                sites,
                evidence,
            })
            .collect()
    }
}

/// SDK presence keyed by index into the signature set.
#[derive(Debug, Default)]
pub struct PresenceAccumulator {
    /// idx → (defined classes / symbols, code evidence seen, evidence)
    map: BTreeMap<usize, (usize, bool, Vec<Evidence>)>,
}

impl PresenceAccumulator {
    /// Code evidence (a defined class, a native library, a framework binary): proves presence.
    pub fn code(&mut self, idx: usize, classes: usize, ev: Option<Evidence>) {
        let slot = self.map.entry(idx).or_default();
        slot.0 += classes;
        slot.1 = true;
        if let Some(ev) = ev {
            push_capped(&mut slot.2, ev);
        }
    }

    /// Supporting evidence (manifest meta-data, component, asset): recorded, proves nothing alone.
    pub fn support(&mut self, idx: usize, ev: Evidence) {
        let slot = self.map.entry(idx).or_default();
        push_capped(&mut slot.2, ev);
    }

    pub fn merge(&mut self, other: PresenceAccumulator) {
        for (idx, (n, code, evs)) in other.map {
            let slot = self.map.entry(idx).or_default();
            slot.0 += n;
            slot.1 |= code;
            for ev in evs {
                push_capped(&mut slot.2, ev);
            }
        }
    }

    /// Indices with code evidence, with their class counts and evidence.
    pub fn present(self) -> Vec<(usize, usize, Vec<Evidence>)> {
        self.map
            .into_iter()
            .filter(|(_, (_, code, _))| *code)
            .map(|(idx, (n, _, evs))| (idx, n, evs))
            .collect()
    }
}

/// Turn present SDK indices into [`SdkPresence`] records.
pub fn presence_records(
    present: Vec<(usize, usize, Vec<Evidence>)>,
    sdks: &[crate::signatures::Sdk],
) -> Vec<SdkPresence> {
    let mut out: Vec<SdkPresence> = present
        .into_iter()
        .filter_map(|(idx, classes, evidence)| {
            let sdk = sdks.get(idx)?;
            Some(presence(&sdk.spec, classes, evidence))
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
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
        evidence,
    }
}
