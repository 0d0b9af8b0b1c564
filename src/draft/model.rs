//! The typed draft (`disclose.draft/1`): what `disclose draft --format json` writes and every
//! other format renders. Field names are part of the JSON contract (docs/draft.md).
//!
//! ```
//! use disclose::draft::model::DataSource;
//! assert_eq!(serde_json::to_string(&DataSource::VendorDocuments).unwrap(), "\"vendor-documents\"");
//! assert!(DataSource::CodeAndVendorDocuments.observed());
//! ```

use super::wording::Lang;
use super::DraftSection;
use crate::id::{SdkId, TaxonomyId};
use crate::model::{AppInfo, Evidence, Limit, OwnerKind};
use crate::version::ToolInfo;
use serde::Serialize;

/// Schema id of the draft JSON document.
pub const DRAFT_SCHEMA: &str = "disclose.draft/1";

/// Everything a draft holds.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    pub schema: String,
    pub tool: ToolInfo,
    pub lang: Lang,
    /// The review notice (in `lang`): a human must review the draft; vendor-document rows were
    /// not observed.
    pub notice: String,
    pub app: AppInfo,
    /// The sections built, in order.
    pub sections: Vec<DraftSection>,
    /// The third-party SDK list (section `sdk-list`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sdk_list: Option<SdkList>,
    /// The app's own collection and its permissions (section `app-collection`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_collection: Option<AppCollection>,
    /// Play Console's Data safety CSV drafted from the evidence (section `data-safety`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_safety_csv: Option<String>,
    /// A PrivacyInfo.xcprivacy skeleton of the required-reason categories the app's binaries
    /// use, reasons left to a human (section `privacy-manifest`, iOS only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privacy_manifest: Option<String>,
    /// Call sites behind every "observed in code" mark, numbered `E1`, `E2` …
    pub evidence: Vec<EvidenceEntry>,
    /// What the inspection could not see (packed code, encryption …): the draft misses it.
    pub limits: Vec<Limit>,
}

/// The SDK list: one row per SDK present in the app, and the SDKs left out.
#[derive(Debug, Clone, Serialize)]
pub struct SdkList {
    pub rows: Vec<SdkRow>,
    /// SDKs seen only as references (crumbs, not their code): not listed.
    pub not_listed: Vec<NotListed>,
}

/// One SDK, as a row of a published SDK list.
#[derive(Debug, Clone, Serialize)]
pub struct SdkRow {
    /// Signature id (`signatures/sdks/<id>.toml`).
    pub id: SdkId,
    /// The name Chinese lists use (the first Chinese alias), else the English name.
    pub name_zh: String,
    pub name_en: String,
    /// The operator's legal name in Chinese, when the signature knows it.
    pub vendor_zh: Option<String>,
    pub vendor_en: Option<String>,
    /// The SDK category (`push`, `analytics` …) and its purpose wording in the draft's language.
    pub category: String,
    pub purpose: String,
    /// Data types: observed in this SDK's code, named by its vendor's documents, or both.
    pub data: Vec<DataItem>,
    /// `false` when no vendor statement was found (the signature's `data_undocumented`).
    pub vendor_documented: bool,
    /// Permissions the SDK's observed code needs.
    pub permissions: Vec<PermissionUse>,
    pub privacy_policy: Option<String>,
    /// SDKs shipped inside this one (`bundled_in`), folded into this row.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub includes: Vec<SdkId>,
}

/// Where a data type of a row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataSource {
    /// Observed in the code (evidence given).
    Code,
    /// Observed in the code and named by the vendor's documents.
    CodeAndVendorDocuments,
    /// Only the vendor's documents name it: NOT observed in this app.
    VendorDocuments,
}

impl DataSource {
    /// Whether the code was seen reaching for it.
    pub fn observed(self) -> bool {
        self != DataSource::VendorDocuments
    }
}

/// One data type of an SDK row.
#[derive(Debug, Clone, Serialize)]
pub struct DataItem {
    /// Taxonomy id (`device.imei`).
    #[serde(rename = "type")]
    pub data_type: TaxonomyId,
    /// Its name in the draft's language.
    pub name: String,
    pub source: DataSource,
    /// Call sites behind it (0 for vendor documents only).
    pub sites: usize,
    /// Ids of [`EvidenceEntry`]s (`E3`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// A permission (Android) or privacy usage key (iOS) a piece of code needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PermissionUse {
    pub name: String,
    /// Whether the app's manifest / Info.plist declares it.
    pub declared: bool,
    /// Taxonomy ids of the observed data that needs it.
    pub for_data: Vec<TaxonomyId>,
}

/// An SDK left out of the list.
#[derive(Debug, Clone, Serialize)]
pub struct NotListed {
    pub id: SdkId,
    pub name: String,
    pub reason: String,
}

/// The app's own collection.
#[derive(Debug, Clone, Serialize)]
pub struct AppCollection {
    pub data: Vec<AppDataItem>,
    pub permissions: Vec<AppPermission>,
}

/// One data type the app's own code (or a library it links, or unattributed code) reaches for.
#[derive(Debug, Clone, Serialize)]
pub struct AppDataItem {
    #[serde(rename = "type")]
    pub data_type: TaxonomyId,
    pub name: String,
    /// `app`, `library` or `unknown`.
    pub owner: OwnerKind,
    /// `app`, the library id, or `unknown`.
    pub by: String,
    pub sites: usize,
    pub evidence: Vec<String>,
    pub permissions: Vec<PermissionUse>,
}

/// A permission the app requests, and whose observed code uses it.
#[derive(Debug, Clone, Serialize)]
pub struct AppPermission {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protection: Option<String>,
    /// Names (in the draft's language) of the data it gives access to.
    pub gives_access_to: Vec<String>,
    /// Owners (`app`, SDK ids, library ids) whose observed code needs it.
    pub used_by: Vec<String>,
}

/// The call sites behind one observation.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceEntry {
    /// `E1`, `E2` …
    pub id: String,
    /// Owner of the code (`app`, an SDK id …).
    pub by: String,
    #[serde(rename = "type")]
    pub data_type: TaxonomyId,
    pub sites: usize,
    /// The first call sites (at most [`super::EVIDENCE_PER_ENTRY`]).
    pub places: Vec<Evidence>,
}
