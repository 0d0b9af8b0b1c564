//! The scanner: turns what the readers saw into observations — which SDKs the package
//! contains and which personal data each owner's code reaches for, with evidence — using the
//! compiled matchers of `crate::signatures`.
//!
//! ```
//! let out = disclose::scan::ScanOutput::default();
//! assert!(out.sdks.is_empty());
//! ```

pub mod android;
pub mod ios;
pub mod jvm;
pub mod observations;

use crate::model::{DataObservation, Limit, SdkPresence};

/// What a scanner found.
#[derive(Debug, Default)]
pub struct ScanOutput {
    pub sdks: Vec<SdkPresence>,
    pub data: Vec<DataObservation>,
    pub limits: Vec<Limit>,
}
