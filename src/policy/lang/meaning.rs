//! The meaning vocabulary of a policy language, as data: negation cues and their exceptions,
//! list cues (open "such as / 如…等", closed "namely / 包括"), permission-context words,
//! product-feature contexts, statements about SDKs and tracking, and SDK-category words. One
//! file per language, `signatures/language/<lang>/meaning.toml`, parsed strictly and compiled
//! into [`Meaning`] (all languages merged, since one policy often mixes them).
//!
//! ```
//! use disclose::policy::lang::meaning::{Meaning, VerbKind};
//! let meaning = Meaning::builtin()?;
//! assert_eq!(meaning.live_negation("we do **not** collect your "), Some(VerbKind::Collect));
//! assert_eq!(meaning.live_negation("我们不会收集您的通讯录，除非"), None);
//! # Ok::<(), disclose::policy::PolicyError>(())
//! ```

use crate::policy::normal::normalise_word;
use crate::policy::PolicyError;
use crate::signatures::SignatureSources;
use regex::Regex;
use std::sync::{Arc, OnceLock};

mod build;
mod examples;
mod file;
mod lists;
mod markup;
mod negation;
use build::alternation;
pub use examples::run_examples;
pub use file::{
    parse_file, parse_sources, EnumerationDef, FeatureContextDef, MeaningFile, NegationDef,
    PermissionContextDef, PermissionGroupDef, ReferencesDef, SdkCategoryDef, StatementDef,
};
pub use markup::{is_markup, strip_markup};

/// What the verb of a negation cue denies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerbKind {
    Collect,
    Retain,
    Transmit,
    Integrate,
    Track,
}

/// An SDK category word list, compiled.
#[derive(Debug)]
pub struct SdkCategory {
    pub name: String,
    pub categories: Vec<String>,
    words: Regex,
}

impl SdkCategory {
    /// Whether normalised `text` names this category.
    pub fn named_in(&self, text: &str) -> bool {
        self.words.is_match(text)
    }
}

/// A permission group with the words of every language for it (`[[permission_group]]`).
#[derive(Debug, Clone)]
pub struct PermissionGroup {
    pub group: String,
    /// Taxonomy ids the permission gives access to.
    pub data: Vec<String>,
    /// Words as written (normalised by the matcher that uses them).
    pub words: Vec<String>,
    words_regex: Regex,
}

impl PermissionGroup {
    /// Whether normalised `text` names this permission group.
    pub fn named_in(&self, text: &str) -> bool {
        self.words_regex.is_match(text)
    }
}

/// The meaning vocabulary of every language, compiled.
#[derive(Debug)]
pub struct Meaning {
    negation: Regex,
    exceptions: Regex,
    contrasts: Regex,
    narrowing: Regex,
    collect_verbs: Regex,
    determiners: Regex,
    denial_conditions: Regex,
    retain_verbs: Regex,
    transmit_verbs: Regex,
    pub(crate) open_cues: Regex,
    pub(crate) open_end: Regex,
    pub(crate) closed_cues: Regex,
    /// `open_cues` and `closed_cues` anchored at the start of the haystack: a cue right
    /// after a word is tried at a few places instead of searched for in the rest of the text.
    pub(crate) open_cues_at: Regex,
    pub(crate) closed_cues_at: Regex,
    permission_words: Regex,
    feature_after: Regex,
    feature_before: Regex,
    feature_gap: usize,
    pub(crate) sdk_words: Regex,
    pub(crate) other_words: Regex,
    pub(crate) except_open: Regex,
    pub(crate) except_close: Vec<String>,
    pub(crate) blanket: Regex,
    pub(crate) scoped_blanket: Regex,
    pub(crate) conditions: Regex,
    pub(crate) statement_cues: Option<Regex>,
    pub(crate) policy_words: Regex,
    pub(crate) policy_titles: Vec<Vec<String>>,
    pub(crate) appendix: Regex,
    pub(crate) sdk_list_ref: Regex,
    /// Number word → value (`[references] numerals`).
    pub(crate) numerals: std::collections::HashMap<String, u32>,
    pub(crate) third_party: Vec<String>,
    /// Words joining listed names, as written (a Latin one keeps its spaces: " and ").
    pub(crate) joiners: Vec<String>,
    /// `[enumeration] item_frames` of every file, as written, each holding one `{}`.
    pub(crate) item_frames: Vec<String>,
    pub categories: Vec<SdkCategory>,
    /// Permission groups as policies speak of them.
    pub permission_groups: Vec<PermissionGroup>,
}

impl Meaning {
    /// The vocabulary compiled into the binary.
    pub fn builtin() -> Result<Arc<Meaning>, PolicyError> {
        static BUILTIN: OnceLock<Result<Arc<Meaning>, String>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let (files, problems) = parse_sources(&SignatureSources::builtin());
                if let Some(p) = problems.first() {
                    return Err(p.to_string());
                }
                Meaning::new(&files)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(|message| PolicyError::Vocabulary { message })
    }

    /// The value of a number word or of digits ("二" → 2, "12" → 12); 0 when it is neither.
    pub fn numeral(&self, word: &str) -> u32 {
        self.numerals
            .get(&normalise_word(word))
            .copied()
            .unwrap_or_else(|| word.trim().parse().unwrap_or(0))
    }

    /// Whether a normalised document name speaks of third parties ("第三方", "third-party").
    pub fn names_third_party(&self, normal: &str) -> bool {
        self.third_party.iter().any(|w| normal.contains(w.as_str()))
    }

    /// Whether `text` holds an exception word (除非, unless).
    pub fn has_exception(&self, text: &str) -> bool {
        self.exceptions.is_match(text)
    }

    /// Whether normalised text speaks of privacy or personal information at all.
    pub fn speaks_of_privacy(&self, text: &str) -> bool {
        self.policy_words.is_match(text)
    }

    /// Whether a short normalised line is the title of a privacy policy.
    pub fn is_policy_title(&self, line: &str) -> bool {
        self.policy_titles
            .iter()
            .any(|group| !group.is_empty() && group.iter().all(|w| line.contains(w.as_str())))
    }

    /// Appendix names with their number (group 1) in normalised text.
    pub fn appendix_names(&self) -> &Regex {
        &self.appendix
    }

    /// The first reference to a separate SDK list ("详见《第三方SDK清单》").
    pub fn sdk_list_reference(&self, text: &str) -> Option<std::ops::Range<usize>> {
        self.sdk_list_ref.find(text).map(|m| m.range())
    }

    /// Whether a window of normalised text speaks of a permission.
    pub fn is_permission_context(&self, window: &str) -> bool {
        self.permission_words.is_match(window)
    }

    /// Whether the data word `text[start..end]` names a product feature (a menu, a tab).
    pub fn is_feature_name(&self, text: &str, start: usize, end: usize) -> bool {
        let gap = self.feature_gap;
        let after = crate::policy::normal::snapped(text, end, end + gap + 24);
        let after_hit = self
            .feature_after
            .find(after)
            .is_some_and(|m| m.start() <= gap && after.get(..m.start()).is_some_and(is_filler_gap));
        let before = crate::policy::normal::snapped(text, start.saturating_sub(gap + 24), start);
        let before_hit = self
            .feature_before
            .find_iter(before)
            .last()
            .is_some_and(|m| {
                before.len() - m.end() <= gap && before.get(m.end()..).is_some_and(is_filler_gap)
            });
        after_hit || before_hit
    }
}

/// Text allowed between a data word and a feature word: quotes, brackets, spaces.
fn is_filler_gap(gap: &str) -> bool {
    gap.chars().all(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '\''
                    | '“'
                    | '”'
                    | '‘'
                    | '’'
                    | '「'
                    | '」'
                    | '《'
                    | '》'
                    | '【'
                    | '】'
                    | '['
                    | ']'
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_boundaries_work_next_to_chinese() {
        let m = Meaning::builtin().expect("builtin meaning");
        assert!(m.sdk_words.is_match("第三方sdk。"));
        assert!(!m.sdk_words.is_match("sdkx"));
    }

    #[test]
    fn negation_kinds() {
        let m = Meaning::builtin().expect("builtin meaning");
        assert_eq!(m.live_negation("本app不会存储您的"), Some(VerbKind::Retain));
        assert_eq!(
            m.live_negation("we don't track you across "),
            Some(VerbKind::Track)
        );
        assert_eq!(
            m.live_negation("we do not collect your contacts unless "),
            None
        );
        assert_eq!(m.live_negation("we collect your "), None);
        assert_eq!(
            m.live_negation("it never stores nor transmits, but does collect your "),
            Some(VerbKind::Transmit)
        );
        assert_eq!(
            m.live_negation("we do not share, unless you ask, your "),
            None
        );
        assert_eq!(
            m.live_negation("we do not share it but we do collect your "),
            None
        );
    }
}
