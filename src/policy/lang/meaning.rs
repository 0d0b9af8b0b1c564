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
use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

mod examples;
mod file;
mod lists;
pub use examples::run_examples;
pub use file::{
    parse_file, parse_sources, EnumerationDef, FeatureContextDef, MeaningFile, NegationDef,
    PermissionContextDef, PermissionGroupDef, ReferencesDef, SdkCategoryDef, StatementDef,
};
use lists::{appendix_numbers, joiners, numerals, third_party_words};

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

/// Merges the `[[permission_group]]` entries of every language by group id, in the order
/// first seen.
fn permission_groups(files: &[MeaningFile]) -> Result<Vec<PermissionGroup>, PolicyError> {
    let mut merged: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    for def in files.iter().flat_map(|f| &f.permission_groups) {
        match merged.iter_mut().find(|(g, _, _)| *g == def.group) {
            Some((_, data, words)) => {
                for d in &def.data {
                    if !data.contains(d) {
                        data.push(d.clone());
                    }
                }
                words.extend(def.words.iter().cloned());
            }
            None => merged.push((def.group.clone(), def.data.clone(), def.words.clone())),
        }
    }
    merged
        .into_iter()
        .map(|(group, data, words)| {
            let words_regex = compile(&alternation(&words.iter().collect::<Vec<_>>()))?;
            Ok(PermissionGroup {
                group,
                data,
                words,
                words_regex,
            })
        })
        .collect()
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
    pub categories: Vec<SdkCategory>,
    /// Permission groups as policies speak of them.
    pub permission_groups: Vec<PermissionGroup>,
}

/// Whether `c` is emphasis markup (`**not**`, `_not_`, `` `x` ``, `~~x~~`).
pub fn is_markup(c: char) -> bool {
    matches!(c, '*' | '_' | '`' | '~')
}

/// Text without emphasis markup, which must never hide a word such as "not". Normalised text
/// has lost the spaces around markup ("do**not**collect"), so a markup run between two Latin
/// letters or digits becomes one space.
pub fn strip_markup(text: &str) -> Cow<'_, str> {
    // Most sentences hold no markup: they are read as they are, without a copy.
    if !text.bytes().any(|b| is_markup(char::from(b))) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars() {
        if is_markup(c) {
            in_run = true;
            continue;
        }
        if in_run
            && c.is_ascii_alphanumeric()
            && out
                .chars()
                .last()
                .is_some_and(|p| p.is_ascii_alphanumeric())
        {
            out.push(' ');
        }
        in_run = false;
        out.push(c);
    }
    Cow::Owned(out)
}

/// One alternation of normalised words, each with ASCII word boundaries at Latin ends; the
/// longest word first so that "包括但不限于" wins over "包括".
fn alternation(words: &[&String]) -> String {
    let mut normal: Vec<String> = words
        .iter()
        .map(|w| normalise_word(w))
        .filter(|w| !w.is_empty())
        .collect();
    normal.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    normal.dedup();
    let parts: Vec<String> = normal
        .iter()
        .map(|w| {
            let mut p = String::new();
            if w.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) {
                p.push_str(r"(?-u:\b)");
            }
            p.push_str(&regex::escape(w).replace(' ', r"\s+"));
            if w.chars().last().is_some_and(|c| c.is_ascii_alphanumeric()) {
                p.push_str(r"(?-u:\b)");
            }
            p
        })
        .collect();
    if parts.is_empty() {
        // Matches nothing.
        return r"[^\s\S]".to_string();
    }
    format!("(?:{})", parts.join("|"))
}

fn compile(pattern: &str) -> Result<Regex, PolicyError> {
    Regex::new(pattern).map_err(|e| PolicyError::Vocabulary {
        message: format!("meaning vocabulary: {e}"),
    })
}

/// The SDK categories of every file, their words compiled.
fn sdk_categories(files: &[MeaningFile]) -> Result<Vec<SdkCategory>, PolicyError> {
    files
        .iter()
        .flat_map(|f| &f.sdk_categories)
        .map(|c| {
            Ok(SdkCategory {
                name: c.name.clone(),
                categories: c.categories.clone(),
                words: compile(&alternation(&c.words.iter().collect::<Vec<_>>()))?,
            })
        })
        .collect()
}

fn words_alternation<'a>(
    files: &'a [MeaningFile],
    pick: impl Fn(&'a MeaningFile) -> &'a Vec<String>,
) -> String {
    let words: Vec<&String> = files.iter().flat_map(pick).collect();
    alternation(&words)
}

fn words_regex<'a>(
    files: &'a [MeaningFile],
    pick: impl Fn(&'a MeaningFile) -> &'a Vec<String>,
) -> Result<Regex, PolicyError> {
    let words: Vec<&String> = files.iter().flat_map(pick).collect();
    compile(&alternation(&words))
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

    /// Compiles the files of every language into one vocabulary.
    pub fn new(files: &[MeaningFile]) -> Result<Meaning, PolicyError> {
        let neg = |pick: fn(&NegationDef) -> &Vec<String>| {
            let words: Vec<&String> = files.iter().flat_map(|f| pick(&f.negation)).collect();
            alternation(&words)
        };
        let gap = files
            .iter()
            .map(|f| f.negation.max_words_between)
            .max()
            .unwrap_or(0)
            .min(6);
        let negation = format!(
            r"{}(?:\s*{})*\s*(?:[a-z0-9'’]+\s+){{0,{gap}}}?(?:(?P<track>{})|(?P<integrate>{})|(?P<transmit>{})|(?P<retain>{})|(?P<collect>{}))",
            neg(|n| &n.negators),
            neg(|n| &n.fillers),
            neg(|n| &n.track),
            neg(|n| &n.integrate),
            neg(|n| &n.transmit),
            neg(|n| &n.retain),
            neg(|n| &n.collect),
        );
        let cue_words: Vec<&String> = files.iter().flat_map(|f| &f.statements.cues).collect();
        let categories = sdk_categories(files)?;
        Ok(Meaning {
            negation: compile(&negation)?,
            exceptions: words_regex(files, |f| &f.negation.exceptions)?,
            contrasts: words_regex(files, |f| &f.negation.contrasts)?,
            narrowing: compile(&format!(
                "^{}",
                words_alternation(files, |f| &f.negation.narrowing)
            ))?,
            collect_verbs: words_regex(files, |f| &f.negation.collect)?,
            determiners: compile(&format!(
                r"{}\s*$",
                alternation(
                    &files
                        .iter()
                        .flat_map(|f| &f.negation.determiners)
                        .collect::<Vec<_>>()
                )
            ))?,
            retain_verbs: words_regex(files, |f| &f.negation.retain)?,
            transmit_verbs: words_regex(files, |f| &f.negation.transmit)?,
            open_cues: words_regex(files, |f| &f.enumeration.open)?,
            open_end: words_regex(files, |f| &f.enumeration.open_end)?,
            closed_cues: words_regex(files, |f| &f.enumeration.closed)?,
            open_cues_at: compile(&format!(
                "^{}",
                words_alternation(files, |f| &f.enumeration.open)
            ))?,
            closed_cues_at: compile(&format!(
                "^{}",
                words_alternation(files, |f| &f.enumeration.closed)
            ))?,
            permission_words: words_regex(files, |f| &f.permission_context.words)?,
            feature_after: words_regex(files, |f| &f.feature_context.after)?,
            feature_before: words_regex(files, |f| &f.feature_context.before)?,
            feature_gap: files
                .iter()
                .map(|f| f.feature_context.max_gap)
                .max()
                .unwrap_or(0),
            sdk_words: words_regex(files, |f| &f.statements.sdk_words)?,
            other_words: words_regex(files, |f| &f.statements.other_words)?,
            except_open: words_regex(files, |f| &f.statements.except_open)?,
            except_close: files
                .iter()
                .flat_map(|f| &f.statements.except_close)
                .map(|w| normalise_word(w))
                .collect(),
            blanket: words_regex(files, |f| &f.statements.blanket)?,
            scoped_blanket: words_regex(files, |f| &f.statements.scoped_blanket)?,
            conditions: words_regex(files, |f| &f.statements.conditions)?,
            statement_cues: if cue_words.is_empty() {
                None
            } else {
                Some(compile(&alternation(&cue_words))?)
            },
            policy_words: words_regex(files, |f| &f.references.policy_words)?,
            policy_titles: files
                .iter()
                .flat_map(|f| &f.references.policy_titles)
                .map(|group| group.iter().map(|w| normalise_word(w)).collect())
                .collect(),
            appendix: compile(&format!(
                "{} ?({})",
                words_alternation(files, |f| &f.references.appendix),
                appendix_numbers(files)
            ))?,
            sdk_list_ref: compile(&format!(
                r"{}[^。\n]{{0,30}}{}[^。\n]{{0,16}}{}",
                words_alternation(files, |f| &f.references.see),
                words_alternation(files, |f| &f.references.sdk_list_subject),
                words_alternation(files, |f| &f.references.list),
            ))?,
            numerals: numerals(files),
            third_party: third_party_words(files),
            joiners: joiners(files),
            categories,
            permission_groups: permission_groups(files)?,
        })
    }

    /// Every negation cue in normalised `text` (markup already stripped): its byte range and
    /// the kind of its verb.
    pub fn negation_cues(&self, text: &str) -> Vec<(std::ops::Range<usize>, VerbKind)> {
        self.negation
            .captures_iter(text)
            .filter_map(|caps| self.cue_of(&caps))
            .collect()
    }

    /// The first negation cue of `negation_cues(text)`, without reading the rest of `text`.
    pub fn first_negation_cue(&self, text: &str) -> Option<(std::ops::Range<usize>, VerbKind)> {
        self.negation
            .captures_iter(text)
            .find_map(|caps| self.cue_of(&caps))
    }

    /// The last negation cue of `negation_cues(text)`: the matches are found without their
    /// groups (a fast search) and only the last one is read with them. It starts where the
    /// last match starts, so the search resumed there finds that same match.
    pub fn last_negation_cue(&self, text: &str) -> Option<(std::ops::Range<usize>, VerbKind)> {
        let last = self.negation.find_iter(text).last()?;
        let cue = self
            .negation
            .captures_at(text, last.start())
            .filter(|caps| caps.get(0).is_some_and(|m| m.range() == last.range()))
            .and_then(|caps| self.cue_of(&caps));
        match cue {
            Some(cue) => Some(cue),
            None => self.negation_cues(text).pop(),
        }
    }

    /// The range and verb kind of one match of the negation regex.
    fn cue_of(&self, caps: &regex::Captures<'_>) -> Option<(std::ops::Range<usize>, VerbKind)> {
        let all = caps.get(0)?;
        let kind = [
            ("track", VerbKind::Track),
            ("integrate", VerbKind::Integrate),
            ("transmit", VerbKind::Transmit),
            ("retain", VerbKind::Retain),
            ("collect", VerbKind::Collect),
        ]
        .into_iter()
        .find(|(name, _)| caps.name(name).is_some())
        .map(|(_, k)| k)?;
        // "不会收集或储存": a collect verb among the fillers denies collecting too.
        let kind = match kind {
            VerbKind::Retain | VerbKind::Transmit if self.collect_verbs.is_match(all.as_str()) => {
                VerbKind::Collect
            }
            k => k,
        };
        Some((all.range(), kind))
    }

    /// Whether the text right after a data word narrows a denial to something else inside
    /// it ("中其他无关信息").
    pub fn narrows(&self, after_word: &str) -> bool {
        self.narrowing.is_match(after_word)
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

    /// The kind of the last negation cue of `before` (the start of a sentence up to a word)
    /// when no exception word follows it: the word after `before` is then denied.
    pub fn live_negation(&self, before: &str) -> Option<VerbKind> {
        let clean = strip_markup(before);
        let (range, kind) = self.last_negation_cue(&clean)?;
        let after = clean.get(range.end..).unwrap_or("");
        let Some(exception) = self.exceptions.find(after) else {
            return Some(kind);
        };
        // "never stores nor transmits, but does collect …": the verb has no object before
        // the contrast, so it shares the object that follows.
        let bare_verb = after
            .get(..exception.start())
            .is_some_and(|gap| !gap.contains(char::is_alphanumeric));
        let contrast = self
            .contrasts
            .find(after)
            .is_some_and(|c| c.start() == exception.start());
        (bare_verb && contrast).then_some(kind)
    }

    /// What a determiner right before a data word denies ("no pii is stored" → keeping):
    /// `None` when `before` does not end with one; else the kind of the verb in `after`
    /// (keeping, sending) or collecting.
    pub fn determiner_denial(&self, before: &str, after: &str) -> Option<VerbKind> {
        if !self.determiners.is_match(&strip_markup(before)) {
            return None;
        }
        let retain = self.retain_verbs.find(after).map(|m| m.start());
        let transmit = self.transmit_verbs.find(after).map(|m| m.start());
        Some(match (retain, transmit) {
            (Some(r), Some(t)) if t < r => VerbKind::Transmit,
            (Some(_), _) => VerbKind::Retain,
            (None, Some(_)) => VerbKind::Transmit,
            (None, None) => VerbKind::Collect,
        })
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
