//! Compiles the meaning files of every language into one [`Meaning`]: word lists become
//! alternations with ASCII word boundaries at Latin ends, longest word first.
//!
//! ```
//! use disclose::policy::lang::meaning::Meaning;
//! let meaning = Meaning::builtin()?;
//! assert!(meaning.speaks_of_privacy("个人信息保护政策"));
//! # Ok::<(), disclose::policy::PolicyError>(())
//! ```

use super::file::{MeaningFile, NegationDef};
use super::lists::{appendix_numbers, item_frames, joiners, numerals, third_party_words};
use super::{Meaning, PermissionGroup, SdkCategory};
use crate::policy::normal::normalise_word;
use crate::policy::PolicyError;
use regex::Regex;

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

/// One alternation of normalised words, each with ASCII word boundaries at Latin ends; the
/// longest word first so that "包括但不限于" wins over "包括".
pub(super) fn alternation(words: &[&String]) -> String {
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
            determiners: compile(&format!(r"{}\s*$", neg(|n| &n.determiners)))?,
            denial_conditions: words_regex(files, |f| &f.negation.conditions)?,
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
            item_frames: item_frames(files)
                .map_err(|message| PolicyError::Vocabulary { message })?,
            categories,
            permission_groups: permission_groups(files)?,
        })
    }
}
