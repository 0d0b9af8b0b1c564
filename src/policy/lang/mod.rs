//! Language knowledge the policy reader needs, loaded from `signatures/language/<lang>/`:
//! [`structure`] holds how SDK lists are laid out (field labels, table header words, platform
//! words, look-alike cues).
//!
//! ```
//! let s = disclose::policy::lang::structure::Structure::builtin().unwrap();
//! assert_eq!(s.classify_label("sdk名称"), Some(disclose::policy::lang::structure::Field::Name));
//! ```

pub mod structure;
