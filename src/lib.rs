//! `disclose` reads an Android APK or iOS IPA and the app's written privacy policy, finds the
//! personal data the app's code and its embedded SDKs collect, and reports what the policy does
//! not disclose, with evidence.
//!
//! Data flows one way (see `README.md`):
//! `archive` → `android` / `ios` readers → `scan` (with `signatures`) → `compare` (with `policy`)
//! → `report`.
//!
//! ```no_run
//! let report = disclose::inspect::inspect_path(std::path::Path::new("app.apk"), &Default::default())?;
//! println!("{} permissions", report.permissions.len());
//! # Ok::<(), disclose::Error>(())
//! ```

pub mod android;
pub mod archive;
pub mod batch;
pub mod compare;
pub mod error;
pub mod inspect;
pub mod ios;
pub mod model;
pub mod policy;
pub mod report;
pub mod scan;
pub mod signatures;

pub use error::Error;
