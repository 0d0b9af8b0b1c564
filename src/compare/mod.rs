//! Compare what the app does (`crate::model::InspectReport`) with what its policy declares
//! (`crate::policy`), and turn every disagreement into a [`finding::Finding`] with evidence.
//!
//! ```
//! use disclose::compare::finding::FindingKind;
//! assert_eq!(FindingKind::Contradiction.code(), "contradiction");
//! ```

pub mod baseline;
pub mod context;
pub mod coverage;
pub mod data_coverage;
pub mod data_safety;
pub mod engine;
pub mod finding;
pub mod fix;
pub mod limits;
pub mod permissions;
pub mod policy_warnings;
pub mod privacy_manifest;
pub mod privacy_manifest_policy;
pub(crate) mod privacy_manifest_sdks;
pub mod report_context;
pub mod scan_report;
pub mod sdk_presence;
pub mod severity;
pub mod statements;
pub mod suppress;
