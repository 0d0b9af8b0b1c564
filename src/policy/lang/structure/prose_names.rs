//! Words for products named in running text with no SDK word, link or list (`[prose_names]`
//! of `signatures/language/<lang>/structure.toml`): the cue before the name ("we use",
//! "using", "sent to"), the phrases that say the sentence is about collecting or analysing
//! ("to collect", "analytics", "crash"), and capitalised words that start no product name
//! ("The", "Our", "Cookies").
//!
//! ```
//! use disclose::policy::lang::structure::Structure;
//! let s = Structure::builtin().unwrap();
//! assert_eq!(s.before_prose_name_cue("then we use "), Some("then "));
//! assert_eq!(s.before_prose_name_cue("we reuse "), None);
//! assert!(s.names_purpose("we use quokka to collect anonymous usage data"));
//! assert!(!s.names_purpose("we use quokka to process payments"));
//! assert!(s.is_not_name("our"));
//! ```

use super::{contains_word, normalised, sorted_long_first, Structure, StructureSource};

/// The compiled `[prose_names]` words of every language, normalised.
#[derive(Debug, Clone, Default)]
pub(super) struct ProseNameWords {
    before: Vec<String>,
    purposes: Vec<String>,
    not_names: Vec<String>,
}

impl ProseNameWords {
    /// Collects the words of all files.
    pub(super) fn compile(files: &[StructureSource]) -> ProseNameWords {
        let mut out = ProseNameWords::default();
        for src in files {
            let p = &src.file.prose_names;
            out.before.extend(normalised(&p.before));
            out.purposes.extend(normalised(&p.purposes));
            out.not_names.extend(normalised(&p.not_names));
        }
        ProseNameWords {
            before: sorted_long_first(out.before),
            purposes: sorted_long_first(out.purposes),
            not_names: sorted_long_first(out.not_names),
        }
    }
}

/// The `[sdk_words] joiners` of every language, normalised; fails (file, message) on a
/// joiner that is not one character.
pub(super) fn joiners(files: &[StructureSource]) -> Result<Vec<char>, (String, String)> {
    let mut out = Vec::new();
    for src in files {
        for j in &src.file.sdk_words.joiners {
            let chars: Vec<char> = crate::policy::normal::normalise_word(j).chars().collect();
            match chars.as_slice() {
                [c] => out.push(*c),
                _ => {
                    return Err((
                        src.origin.clone(),
                        format!("joiner '{j}' is not one character"),
                    ))
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

impl Structure {
    /// Marks that join several SDK names into one name (`[sdk_words] joiners`, normalised).
    pub fn name_joiners(&self) -> &[char] {
        &self.joiners
    }

    /// The cues before a product name in running text (`[prose_names] before`), normalised,
    /// longest first.
    pub fn prose_name_cues(&self) -> &[String] {
        &self.prose_names.before
    }

    /// The text before the `[prose_names] before` cue that normalised text before a name
    /// ends with (blanks after the cue allowed; a Latin cue must start at a word boundary),
    /// or `None`.
    pub fn before_prose_name_cue<'t>(&self, normal_before: &'t str) -> Option<&'t str> {
        let before = normal_before.trim_end();
        self.prose_names.before.iter().find_map(|c| {
            let c = c.trim();
            before.strip_suffix(c).filter(|head| {
                !c.starts_with(|x: char| x.is_ascii_alphanumeric())
                    || !head.ends_with(|x: char| x.is_ascii_alphanumeric())
            })
        })
    }

    /// Whether normalised text (a sentence without its cue) says it collects or analyses
    /// (`[prose_names] purposes`).
    pub fn names_purpose(&self, normal_sentence: &str) -> bool {
        self.prose_names
            .purposes
            .iter()
            .any(|p| contains_word(normal_sentence, p))
    }

    /// Whether a normalised word starts no product name (`[prose_names] not_names`).
    pub fn is_not_name(&self, normal_word: &str) -> bool {
        let w = normal_word.trim();
        self.prose_names.not_names.iter().any(|n| n.trim() == w)
    }
}
