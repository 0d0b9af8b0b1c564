//! Language knowledge the policy reader needs, loaded from `signatures/language/<lang>/`:
//! [`structure`] holds how SDK lists are laid out (field labels, table header words, platform
//! words, look-alike cues); [`meaning`] what sentences say (negation, lists, statements about
//! SDKs and tracking).
//!
//! ```
//! let s = disclose::policy::lang::structure::Structure::builtin().unwrap();
//! assert_eq!(s.classify_label("sdk名称"), Some(disclose::policy::lang::structure::Field::Name));
//! let meaning = disclose::policy::lang::meaning::Meaning::builtin()?;
//! assert!(!meaning.categories.is_empty());
//! # Ok::<(), disclose::policy::PolicyError>(())
//! ```

pub mod meaning;
pub mod structure;
pub mod word_ends;
