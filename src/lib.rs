//! `disclose` reads an Android APK or iOS IPA and the app's written privacy policy, finds the
//! personal data the app's code and its embedded SDKs collect, and reports what the policy does
//! not disclose, with evidence.
//!
//! The facade: an [`Analyzer`] (signatures, limits) runs the [`pipeline`] — [`Analyzer::inspect`]
//! for what an app holds ([`InspectReport`]), [`scan_app`] for the app against its policy
//! ([`ScanReport`] of [`Finding`]s) — and [`render_document`] prints any report in any
//! [`ReportFormat`]. `ARCHITECTURE.md` has the whole picture.
//!
//! Data flows one way: `archive` → `android` / `ios` readers → `scan` (with `signatures`) →
//! `compare` (with `policy`) → `report`; [`input::Format`] tells which reader, `inspect`
//! assembles one package, `pipeline` ties the steps together, `batch` runs many apps.
//!
//! ```no_run
//! let analyzer = disclose::Analyzer::builtin()?;
//! let report = analyzer.inspect(std::path::Path::new("app.apk"))?;
//! println!("{} permissions, {} SDKs", report.permissions.len(), report.sdks.len());
//! # Ok::<(), disclose::Error>(())
//! ```
#![forbid(unsafe_code)]

pub mod batch;
pub mod bytes;
pub mod compare;
pub mod declared;
pub mod draft;
pub mod error;
pub mod fingerprint;
pub mod id;
pub mod input;
pub mod inspect;
pub mod model;
pub mod pipeline;
pub mod policy;
pub mod report;
pub mod signatures;
pub mod version;

// The readers and the scanner: internal. Public only so tests, benches and fuzz targets can
// drive one parser on its own; no stability promise, hidden from the documentation.
#[doc(hidden)]
pub mod android;
#[doc(hidden)]
pub mod archive;
#[doc(hidden)]
pub mod ios;
#[doc(hidden)]
pub mod scan;

pub use compare::finding::{Finding, FindingKind, Severity};
pub use compare::scan_report::ScanReport;
pub use error::{Error, ErrorKind};
pub use id::{SdkId, TaxonomyId};
pub use input::Format;
pub use model::InspectReport;
pub use pipeline::{scan_app, scan_app_with_policies, Analyzer, ScanOptions, ScanOutcome};
pub use report::{render_document, Document, RenderOptions, ReportFormat};
