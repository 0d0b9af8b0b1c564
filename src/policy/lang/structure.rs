//! The structure vocabulary (`signatures/language/*/structure.toml`): field labels of SDK
//! blocks, SDK-table header words, platform words and the cues of rows that are not SDKs,
//! strictly parsed, compiled into one [`Structure`] for all languages, and checked against
//! each entry's `match` / `no_match` examples.
//!
//! ```
//! use disclose::policy::lang::structure::{ColumnKind, Structure};
//! let s = Structure::builtin().unwrap();
//! assert_eq!(s.header_kind("权限名称"), Some(ColumnKind::Permission));
//! assert!(s.is_company("北京某某科技有限公司"));
//! ```

mod aside;
mod examples;
mod file;
mod mentions;
mod not_sdk;
mod prose_names;
mod punctuation;
pub use examples::run_examples;
pub use file::{
    is_structure_file, parse, Aside, CategoryWords, ColumnKind, Field, HeaderEntry, LabelEntry,
    Mentions, NotSdk, PlatformEntry, PlatformMarks, SdkWords, Spelling, StructureFile,
    StructureSource,
};
pub(crate) use punctuation::builtin_marks;

use super::word_ends::{has_prefix, has_suffix, WordsByLastByte};
use crate::policy::normal::normalise_word;
use regex::Regex;
use std::collections::HashMap;

/// How far before a name a `[mentions] before` word may stand (characters).
pub const MENTION_REACH: usize = 16;

/// The structure vocabulary of every language, compiled.
#[derive(Debug, Clone)]
pub struct Structure {
    label_re: Regex,
    labels: HashMap<String, Field>,
    headers: Vec<(ColumnKind, String)>,
    platform_words: Vec<(String, String)>,
    platform_re: Regex,
    sdk_words: Vec<String>,
    name_stops: Vec<String>,
    /// `sdk_words`, `name_stops` and the generic words without their boundary spaces, in
    /// the same order: trimmed once here, not once per name read (a tenth of reading time).
    bare_sdk_words: Vec<String>,
    bare_name_stops: Vec<String>,
    bare_generic: Vec<String>,
    /// `bare_sdk_words` and `bare_name_stops` by last byte (names are read backwards).
    sdk_word_ends: WordsByLastByte,
    name_stop_ends: WordsByLastByte,
    denials: Vec<String>,
    captions: Vec<String>,
    companies: Vec<String>,
    parties: Vec<String>,
    examples_before: Vec<String>,
    bullets: Vec<char>,
    not_after_sdk_word: Vec<String>,
    other_kinds: Vec<String>,
    data_items: Vec<String>,
    scope: Vec<String>,
    mention_before: Vec<String>,
    mention_after: Vec<String>,
    category_groups: Vec<Vec<String>>,
    device_words: Vec<String>,
    aside: aside::AsideWords,
    prose_names: prose_names::ProseNameWords,
    joiners: Vec<char>,
    punctuation: punctuation::PunctuationMarks,
}

fn normalised(words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = words
        .iter()
        .map(|w| {
            // Keep a leading space: it is a Latin word boundary (" inc", " version").
            let n = normalise_word(w);
            if w.starts_with(' ') && !n.is_empty() {
                format!(" {n}")
            } else {
                n
            }
        })
        .filter(|w| !w.trim().is_empty())
        .collect();
    out.sort_by_key(|w| std::cmp::Reverse(w.len()));
    out.dedup();
    out
}

fn sorted_long_first(mut v: Vec<String>) -> Vec<String> {
    v.sort_by_key(|w| std::cmp::Reverse(w.len()));
    v.dedup();
    v
}

fn alternation(words: &[String]) -> String {
    words
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|")
}

impl Structure {
    /// The built-in structure files (those compiled into the binary).
    pub fn builtin() -> Result<Structure, String> {
        let sources = crate::signatures::SignatureSources::builtin();
        let mut files = Vec::new();
        for (rel, f) in sources.iter() {
            if is_structure_file(rel) {
                files.push(
                    parse(rel, &f.origin, f.text.as_ref()).map_err(|(o, m)| format!("{o}: {m}"))?,
                );
            }
        }
        Structure::compile(&files).map_err(|(o, m)| format!("{o}: {m}"))
    }

    /// Compiles the files of all languages into one vocabulary; fails (file, message) when a
    /// word is empty or given to two different label fields.
    pub fn compile(files: &[StructureSource]) -> Result<Structure, (String, String)> {
        let mut labels: HashMap<String, Field> = HashMap::new();
        let mut headers = Vec::new();
        let mut platform_words = Vec::new();
        let (mut suffixes, mut lists) = (Vec::new(), Vec::new());
        let (mut name_stops, mut generic, mut denials) = (Vec::new(), Vec::new(), Vec::new());
        let (mut sdk_words, mut captions, mut companies, mut before, mut bullets) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut not_after, mut mention_before, mut mention_after, mut parties) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut categories: Vec<Vec<String>> = Vec::new();
        let mut devices: Vec<String> = Vec::new();
        let mut other_kinds: Vec<String> = Vec::new();
        let mut data_items: Vec<String> = Vec::new();
        let mut scope: Vec<String> = Vec::new();
        for src in files {
            let f = &src.file;
            let err = |m: String| (src.origin.clone(), m);
            for entry in &f.labels {
                for w in normalised(&entry.words) {
                    match labels.get(&w) {
                        Some(other) if *other != entry.field => {
                            return Err(err(format!(
                                "label word '{w}' is given to both {other:?} and {:?}",
                                entry.field
                            )))
                        }
                        _ => {
                            labels.insert(w, entry.field);
                        }
                    }
                }
            }
            for entry in &f.headers {
                headers.extend(
                    normalised(&entry.words)
                        .into_iter()
                        .map(|w| (entry.kind, w)),
                );
            }
            for p in &f.platforms {
                if p.id != "android" && p.id != "ios" {
                    return Err(err(format!("platform id '{}' is not android or ios", p.id)));
                }
                platform_words.extend(normalised(&p.words).into_iter().map(|w| (w, p.id.clone())));
            }
            suffixes.extend(normalised(&f.platform_marks.suffixes));
            lists.extend(normalised(&f.platform_marks.lists));
            sdk_words.extend(normalised(&f.sdk_words.words));
            name_stops.extend(normalised(&f.sdk_words.name_stops));
            generic.extend(normalised(&f.sdk_words.generic));
            denials.extend(normalised(&f.not_sdk.denials));
            captions.extend(normalised(&f.not_sdk.captions));
            companies.extend(normalised(&f.not_sdk.companies));
            parties.extend(normalised(&f.not_sdk.parties));
            before.extend(normalised(&f.not_sdk.examples_before));
            not_after.extend(normalised(&f.not_sdk.after_sdk_word));
            other_kinds.extend(normalised(&f.not_sdk.other_kinds));
            data_items.extend(normalised(&f.not_sdk.data_items));
            scope.extend(normalised(&f.not_sdk.scope));
            mention_before.extend(normalised(&f.mentions.before));
            mention_after.extend(normalised(&f.mentions.after));
            categories.extend(f.category_words.groups.iter().map(|g| normalised(g)));
            devices.extend(normalised(&f.category_words.device_words));
            for b in &f.not_sdk.bullets {
                let mut chars = normalise_word(b).chars().collect::<Vec<_>>();
                if chars.len() != 1 {
                    return Err(err(format!("bullet '{b}' is not one character")));
                }
                bullets.append(&mut chars);
            }
        }
        let aside = aside::AsideWords::compile(files)?;
        let prose_names = prose_names::ProseNameWords::compile(files);
        let joiners = prose_names::joiners(files)?;
        let punctuation = punctuation::PunctuationMarks::compile(files)?;
        if labels.is_empty() || platform_words.is_empty() {
            return Err((
                "signatures/language".into(),
                "no structure vocabulary (language/*/structure.toml)".into(),
            ));
        }
        let mut label_words: Vec<String> = labels.keys().cloned().collect();
        label_words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let label_re = Regex::new(&format!("(?:{}) ?:", alternation(&label_words)))
            .map_err(|e| ("signatures/language".to_string(), e.to_string()))?;
        headers.sort_by_key(|(k, w)| (*k, std::cmp::Reverse(w.len())));
        platform_words.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        let pw: Vec<String> = platform_words.iter().map(|(w, _)| w.clone()).collect();
        for v in [&mut suffixes, &mut lists] {
            v.sort_by_key(|w| std::cmp::Reverse(w.len()));
            v.dedup();
        }
        let (p, s, l) = (
            alternation(&pw),
            alternation(&suffixes),
            alternation(&lists),
        );
        let platform_re = Regex::new(&format!(
            r"(?:sdk|{l})[^\n:.。,]{{0,16}}?({p})|({p})(?:{s})?(?:的)?(?:第三方)?(?: ?sdk)?(?:{l})|(?m)^({p})(?:{s})? ?:?$"
        ))
        .map_err(|e| ("signatures/language".to_string(), e.to_string()))?;
        let name_stops = sorted_long_first(name_stops);
        let generic = sorted_long_first(generic);
        let bare = |words: &[String]| -> Vec<String> {
            words.iter().map(|w| w.trim().to_string()).collect()
        };
        let (bare_sdk_words, bare_name_stops) = (bare(&sdk_words), bare(&name_stops));
        Ok(Structure {
            label_re,
            labels,
            headers,
            platform_words,
            platform_re,
            sdk_word_ends: WordsByLastByte::new(&bare_sdk_words),
            name_stop_ends: WordsByLastByte::new(&bare_name_stops),
            bare_sdk_words,
            bare_name_stops,
            bare_generic: bare(&generic),
            sdk_words,
            name_stops,
            denials,
            captions,
            companies,
            parties: sorted_long_first(parties),
            examples_before: before,
            bullets,
            not_after_sdk_word: sorted_long_first(not_after),
            other_kinds: sorted_long_first(other_kinds),
            data_items: sorted_long_first(data_items),
            scope,
            mention_before: sorted_long_first(mention_before),
            mention_after: sorted_long_first(mention_after),
            category_groups: categories,
            device_words: sorted_long_first(devices),
            aside,
            prose_names,
            joiners,
            punctuation,
        })
    }

    /// Field labels (`label ?:`) in normalised text: (field, label range incl. colon).
    pub fn find_labels<'t>(
        &'t self,
        normal: &'t str,
    ) -> impl Iterator<Item = (Field, std::ops::Range<usize>)> + 't {
        self.label_re.find_iter(normal).filter_map(move |m| {
            self.classify_label(m.as_str())
                .map(|f| (f, m.start()..m.end()))
        })
    }

    /// Classifies a label word (normalised; colon and list numbering stripped).
    pub fn classify_label(&self, label: &str) -> Option<Field> {
        let label = label.trim().trim_end_matches(':').trim();
        let label = crate::policy::records::strip_numbering(label);
        self.labels.get(label).copied()
    }

    /// The kind of a table column from its (normalised) header cell.
    pub fn header_kind(&self, cell: &str) -> Option<ColumnKind> {
        let cell = normalise_word(cell);
        if cell.is_empty() || cell.chars().count() > 30 {
            return None;
        }
        self.headers
            .iter()
            .find(|(_, w)| cell.contains(w.trim_start()))
            .map(|(k, _)| *k)
    }

    /// Platform section markers in normalised text: (byte range of the platform word, id).
    pub fn platform_markers(&self, normal: &str) -> Vec<(std::ops::Range<usize>, &str)> {
        let mut out = Vec::new();
        for caps in self.platform_re.captures_iter(normal) {
            let Some(m) = caps.iter().skip(1).flatten().next() else {
                continue;
            };
            if let Some(id) = self.platform_of(m.as_str()) {
                out.push((m.start()..m.end(), id));
            }
        }
        out
    }

    /// `android` / `ios` for a platform word.
    pub fn platform_of(&self, word: &str) -> Option<&str> {
        let n = normalise_word(word);
        self.platform_words
            .iter()
            .find(|(w, _)| *w == n)
            .map(|(_, id)| id.as_str())
    }

    /// Platform words found in a short normalised text (a name's suffix, a cell).
    pub fn platforms_in(&self, normal: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for (w, id) in &self.platform_words {
            if contains_word(normal, w) && !out.contains(&id.as_str()) {
                out.push(id);
            }
        }
        out
    }

    /// Whether a normalised name holds an SDK word (`sdk`, `插件`, `library`).
    pub fn has_sdk_word(&self, normal: &str) -> bool {
        self.sdk_words.iter().any(|w| contains_word(normal, w))
    }

    /// SDK words (normalised), longest first is not guaranteed.
    pub fn sdk_words(&self) -> &[String] {
        &self.sdk_words
    }

    /// Words at which a name read backwards from an SDK word stops.
    pub fn name_stops(&self) -> &[String] {
        &self.name_stops
    }

    /// [`Structure::sdk_words`] without boundary spaces, in the same order.
    pub fn bare_sdk_words(&self) -> &[String] {
        &self.bare_sdk_words
    }

    /// [`Structure::name_stops`] without boundary spaces, in the same order.
    pub fn bare_name_stops(&self) -> &[String] {
        &self.bare_name_stops
    }

    /// [`Structure::bare_sdk_words`] by last byte.
    pub fn sdk_word_ends(&self) -> &WordsByLastByte {
        &self.sdk_word_ends
    }

    /// [`Structure::bare_name_stops`] by last byte.
    pub fn name_stop_ends(&self) -> &WordsByLastByte {
        &self.name_stop_ends
    }

    /// Whether a normalised cell starts with a name stop of two or more CJK characters that
    /// is not a determiner or category word ("用于生产…", "查看网络状态"): a phrase, not a name.
    pub fn starts_with_phrase_word(&self, cell: &str) -> bool {
        self.bare_name_stops.iter().any(|w| {
            has_prefix(cell, w)
                && w.chars().count() >= 2
                && !w.is_ascii()
                && !self.bare_generic.contains(w)
        })
    }

    /// Whether a normalised name (its SDK word removed) is only determiners and category
    /// words ("第三方", "该", "消息推送").
    pub fn is_generic(&self, name: &str) -> bool {
        let mut rest = name.trim();
        loop {
            let before = rest;
            for g in &self.bare_generic {
                // The inline byte tests first: this runs for every name read.
                if has_prefix(rest, g) {
                    rest = rest.get(g.len()..).unwrap_or("").trim_start();
                }
                if has_suffix(rest, g) {
                    rest = rest.get(..rest.len() - g.len()).unwrap_or("").trim_end();
                }
            }
            if rest == before || rest.is_empty() {
                break;
            }
        }
        rest.trim_matches(|c: char| !c.is_alphanumeric()).is_empty()
    }
}

/// `word` in `text`; Latin words need Latin word boundaries.
pub(crate) fn contains_word(text: &str, word: &str) -> bool {
    let word = word.trim_start();
    if word.is_empty() {
        return false;
    }
    let latin = word.starts_with(|c: char| c.is_ascii_alphanumeric());
    // `contains` has a fast path for short words (no searcher built per call), and most
    // texts hold none of the words: only a Latin word found needs its boundaries checked.
    if !latin {
        return text.contains(word);
    }
    if !text.contains(word) {
        return false;
    }
    let bytes = text.as_bytes();
    text.match_indices(word).any(|(i, _)| {
        let before = i.checked_sub(1).and_then(|p| bytes.get(p));
        let after = bytes.get(i + word.len());
        let latin_end = word.ends_with(|c: char| c.is_ascii_alphanumeric());
        let glued_before = before.is_some_and(|b| b.is_ascii_alphabetic());
        let glued_after = latin_end && after.is_some_and(|b| b.is_ascii_alphabetic());
        !(glued_before || glued_after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets_and_companies() {
        let s = Structure::builtin().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.strip_bullets("Ø京东支付"), "京东支付");
        assert_eq!(s.strip_bullets("Øresund"), "Øresund");
        assert!(s.is_company("Functional Software, Inc."));
        assert!(!s.is_company("Sentry"));
        assert!(s.is_caption("某某推送 SDK 隐私声明"));
    }
}
