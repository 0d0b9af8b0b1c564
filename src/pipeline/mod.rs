//! The pipeline, in one place: input → inspection → (policy) → comparison → report. The CLI
//! (`inspect`, `scan`, `policy`) and `batch` all enter here.
//!
//! ```text
//!  path / bytes ──► input::Format (sniff) ──► inspect::* reader of that format
//!                                                 │ android / ios / sdk_package readers
//!                                                 ▼ scan::* (signatures) → InspectReport
//!  policy files ──► policy::read + extract (vocabulary) → PolicyDeclarations
//!                                                 │
//!                        scan::scan_inspected ◄───┘ compare::engine::compare → findings
//!                                                 │ suppressions (config), baseline
//!                                                 ▼
//!                                             ScanReport ──► report::render_document
//! ```
//!
//! [`Analyzer`] holds what every step needs (signatures, vocabulary, limits); [`scan`] runs the
//! policy and comparison steps ([`scan_app_with_policies`] does it all for one app,
//! [`scan_inspected`] when the app was inspected already, as `batch` does).
//!
//! ```no_run
//! use disclose::pipeline::{scan_app, ScanOptions};
//! let analyzer = disclose::Analyzer::builtin()?;
//! let out = scan_app(&analyzer, "app.apk".as_ref(), "policy.html".as_ref(), &ScanOptions::default())?;
//! println!("{} findings", out.report.findings.len());
//! # Ok::<(), disclose::Error>(())
//! ```

mod analyzer;
pub mod scan;

pub use analyzer::Analyzer;
pub use scan::{
    policy_files, read_policies, read_policy, read_policy_document, read_policy_documents,
    scan_app, scan_app_with_policies, scan_inspected, scan_splits_with_policies, ScanOptions,
    ScanOutcome,
};
