//! What an app declares outside its privacy policy, read from the files the stores take:
//! Google Play's Data safety form ([`data_safety`], its CSV export), with what its ids mean
//! ([`data_safety_spec`], `signatures/data-safety.toml`), and a draft of that CSV written from
//! a scan's evidence ([`data_safety_draft`]).
//!
//! ```
//! let set = disclose::signatures::SignatureSet::builtin()?;
//! let bad = disclose::declared::DataSafetyForm::parse("x.csv", b"a,b\n", &set.data_safety);
//! assert!(bad.unwrap_err().to_string().starts_with("x.csv: not a Play Console Data safety CSV"));
//! # Ok::<(), disclose::signatures::SignatureError>(())
//! ```

pub mod csv;
pub mod data_safety;
pub mod data_safety_draft;
pub mod data_safety_spec;
pub mod data_safety_usage;

pub use data_safety::{DataSafetyForm, DeclaredDataType, MAX_DATA_SAFETY_BYTES};
pub use data_safety_draft::{draft_data_safety, draft_data_safety_csv, DataSafetyDraft, DraftMark};
pub use data_safety_spec::DataSafetySpec;
pub use data_safety_usage::UsageSource;
