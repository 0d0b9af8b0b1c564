//! Language knowledge of the policy reader, as data under `signatures/language/<lang>/`:
//! [`meaning`] (negation, lists, statements about SDKs and tracking).
//!
//! ```
//! let meaning = disclose::policy::lang::meaning::Meaning::builtin()?;
//! assert!(!meaning.categories.is_empty());
//! # Ok::<(), disclose::policy::PolicyError>(())
//! ```

pub mod meaning;
