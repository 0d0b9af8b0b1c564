//! What the scan says the Data safety form must declare: for each Play data type, every
//! reason found — code in the app or an SDK that reads one of its taxonomy types, the
//! advertising-ID permission in the manifest, or the data an ads/analytics SDK's vendor
//! documents it collects — and whether the data reaches a third party (an SDK's own code
//! reads it, or the vendor of an SDK in a sharing category documents collecting it).
//! Both the comparison (`compare::data_safety`) and the draft ([`super::data_safety_draft`])
//! read it, so they agree on what is collected and shared.
//!
//! ```no_run
//! # fn f(app: &disclose::model::InspectReport, set: &disclose::signatures::SignatureSet) {
//! for usage in disclose::declared::data_safety_usage::play_usage(app, set) {
//!     println!("{}: {} reasons, shared: {}", usage.play_type, usage.uses.len(), usage.is_shared());
//! }
//! # }
//! ```

use crate::id::{SdkId, TaxonomyId};
use crate::model::{Evidence, Grade, InspectReport, OwnerKind, OWNER_APP};
use crate::signatures::SignatureSet;
use serde::Serialize;

/// At most this many pieces of evidence are kept per reason.
const MAX_EVIDENCE: usize = 3;

/// Where a reason comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UsageSource {
    /// Code in the app (the app's own or an SDK's) reads the data.
    Code,
    /// The manifest requests the permission that gives access to it.
    Manifest,
    /// The SDK's vendor documents that the SDK collects it.
    VendorDocument,
}

impl UsageSource {
    pub fn as_str(self) -> &'static str {
        match self {
            UsageSource::Code => "code",
            UsageSource::Manifest => "manifest",
            UsageSource::VendorDocument => "vendor document",
        }
    }
}

/// One reason a Play data type must be declared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeUse {
    /// Taxonomy id (`device.imei`).
    pub taxonomy: TaxonomyId,
    /// `app`, an SDK id, a library id or `unknown`.
    pub by: String,
    pub owner: OwnerKind,
    pub source: UsageSource,
    /// The SDK that sends the data to its vendor, when it reaches a third party.
    pub shared_with: Option<SdkId>,
    /// That SDK's category (`ads`, `analytics` …).
    pub sdk_category: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// Every reason for one Play data type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlayTypeUsage {
    /// Play response id (`PSL_DEVICE_ID`).
    pub play_type: String,
    pub uses: Vec<TypeUse>,
}

impl PlayTypeUsage {
    /// Whether any reason sends the data to a third party.
    pub fn is_shared(&self) -> bool {
        self.uses.iter().any(|u| u.shared_with.is_some())
    }
}

/// The Play data types the app's evidence calls for, in the order of `data-safety.toml`.
pub fn play_usage(app: &InspectReport, set: &SignatureSet) -> Vec<PlayTypeUsage> {
    let spec = &set.data_safety;
    let sharing = &spec.sharing.sdk_categories;
    let category_of = |id: &str| {
        app.sdks
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.category.clone())
    };
    let mut uses: Vec<(String, TypeUse)> = Vec::new();
    let mut add = |ty: &str, u: TypeUse| {
        if let Some(t) = spec.play_type_of(ty, &set.taxonomy) {
            uses.push((t.id.clone(), u));
        }
    };
    for obs in app.data.iter().filter(|o| o.owner != OwnerKind::Platform) {
        let third_party = obs.owner == OwnerKind::Sdk;
        add(
            &obs.data_type,
            TypeUse {
                taxonomy: obs.data_type.clone(),
                by: obs.by.clone(),
                owner: obs.owner,
                source: UsageSource::Code,
                shared_with: third_party.then(|| SdkId::from(&obs.by)),
                sdk_category: third_party.then(|| category_of(&obs.by)).flatten(),
                evidence: obs.evidence.iter().take(MAX_EVIDENCE).cloned().collect(),
            },
        );
    }
    let ad_id = &spec.advertising_id;
    for p in app
        .permissions
        .iter()
        .filter(|p| p.name == ad_id.permission)
    {
        add(
            &ad_id.taxonomy,
            TypeUse {
                taxonomy: ad_id.taxonomy.clone(),
                by: OWNER_APP.to_string(),
                owner: OwnerKind::App,
                source: UsageSource::Manifest,
                shared_with: None,
                sdk_category: None,
                evidence: p.evidence.iter().take(MAX_EVIDENCE).cloned().collect(),
            },
        );
    }
    let documenting = app
        .sdks
        .iter()
        .filter(|s| s.grade == Grade::Present && sharing.contains(&s.category));
    for sdk in documenting {
        for ty in sdk.vendor_data.iter().flatten() {
            add(
                ty,
                TypeUse {
                    taxonomy: ty.clone(),
                    by: sdk.id.to_string(),
                    owner: OwnerKind::Sdk,
                    source: UsageSource::VendorDocument,
                    shared_with: Some(sdk.id.clone()),
                    sdk_category: Some(sdk.category.clone()),
                    evidence: sdk.evidence.iter().take(1).cloned().collect(),
                },
            );
        }
    }
    spec.data_types
        .iter()
        .filter_map(|t| {
            let mine: Vec<TypeUse> = uses
                .iter()
                .filter(|(id, _)| *id == t.id)
                .map(|(_, u)| u.clone())
                .collect();
            (!mine.is_empty()).then(|| PlayTypeUsage {
                play_type: t.id.clone(),
                uses: mine,
            })
        })
        .collect()
}
