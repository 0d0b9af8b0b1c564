//! The scanner: turns what the readers saw into observations — which SDKs the package
//! contains (graded `present` or `referenced`, bundled ones linked to their parent) and which
//! personal data each owner's code reaches for, with evidence — using the compiled matchers of
//! `crate::signatures`. [`owners`] decides who owns an Android class, [`callers`] hands API use
//! in platform wrappers to the code that calls them.
//!
//! ```
//! let out = disclose::scan::ScanOutput::default();
//! assert!(out.sdks.is_empty());
//! ```

pub mod android;
mod android_finish;
pub mod callers;
pub mod class_names;
pub mod code_unit;
mod fingerprinted;
pub mod ios;
pub mod ios_listed_sdks;
mod ios_presence;
pub mod ios_required_reason;
pub mod jvm;
mod jvm_owners;
pub mod observations;
pub mod owners;

use crate::model::{DataObservation, LibraryUse, Limit, SdkPresence};

/// What a scanner found.
#[derive(Debug, Default)]
pub struct ScanOutput {
    pub sdks: Vec<SdkPresence>,
    /// Named libraries whose classes the code defines (Android).
    pub libraries: Vec<LibraryUse>,
    pub data: Vec<DataObservation>,
    pub limits: Vec<Limit>,
}
