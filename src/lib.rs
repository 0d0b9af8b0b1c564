//! `disclose` reads an Android APK or iOS IPA and the app's written privacy policy, finds the
//! personal data the app's code and its embedded SDKs collect, and reports what the policy does
//! not disclose, with evidence.
//!
//! Data flows one way (see `README.md`):
//! `archive` → `android` / `ios` readers → `scan` (with `signatures`) → `compare` (with `policy`)
//! → `report`; `inspect` assembles one package, `batch` runs many.
//!
//! ```no_run
//! let analyzer = disclose::inspect::Analyzer::builtin()?;
//! let report = analyzer.inspect(std::path::Path::new("app.apk"))?;
//! println!("{} permissions, {} SDKs", report.permissions.len(), report.sdks.len());
//! # Ok::<(), disclose::Error>(())
//! ```

pub mod android;
pub mod archive;
pub mod batch;
pub mod compare;
pub mod error;
pub mod fingerprint;
pub mod input;
pub mod inspect;
pub mod ios;
pub mod model;
pub mod policy;
pub mod report;
pub mod scan;
pub mod signatures;
pub mod version;

pub use error::Error;
