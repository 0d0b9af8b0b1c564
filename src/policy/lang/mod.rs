//! Language knowledge the policy reader needs, loaded from `signatures/language/<lang>/`:
//! [`list_markers`] holds how list items start (bullets, numerals) in plain text;
//! [`structure`] how SDK lists are laid out (field labels, table header words, platform
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

pub mod list_markers;
pub mod meaning;
pub mod structure;
pub mod word_ends;

/// Parses one language file strictly as `T`; `rel` is its path under `signatures/`
/// (`language/zh/structure.toml`), and the file's `language` must name that directory.
/// Errors are (file, message).
pub(crate) fn parse_language_file<T: serde::de::DeserializeOwned>(
    rel: &str,
    origin: &str,
    text: &str,
    language: impl Fn(&T) -> &str,
) -> Result<T, (String, String)> {
    let file: T = crate::signatures::load::from_toml(text).map_err(|m| (origin.to_string(), m))?;
    let dir_lang = rel.split('/').nth(1).unwrap_or("");
    let written = language(&file);
    if written != dir_lang {
        return Err((
            origin.to_string(),
            format!(
                "language '{written}' differs from its directory '{dir_lang}' (field 'language')"
            ),
        ));
    }
    Ok(file)
}
