//! Punctuation that shapes a row's name (`[punctuation]` of
//! `signatures/language/<lang>/structure.toml`): the marks that end the head of a list item
//! ("甲SDK：用于推送" → "甲SDK"), the quote marks and emphasis around a name ("“甲SDK”"), the
//! sentence marks no bare name holds and the possessive endings ("Apple's").
//!
//! ```
//! use disclose::policy::lang::structure::Structure;
//! let s = Structure::builtin().unwrap();
//! assert!(s.head_ends().iter().any(|e| e == "："));
//! assert!(s.is_quote_mark('“'));
//! assert!(!s.is_quote_mark('甲'));
//! assert!(s.has_sentence_mark("甲、乙"));
//! assert!(s.starts_possessive("'s Maps"));
//! ```

use super::{Structure, StructureSource};

/// The compiled `[punctuation]` marks of every language, as written (not normalised: they
/// are matched in the original text).
#[derive(Debug, Clone, Default)]
pub(crate) struct PunctuationMarks {
    head_ends: Vec<String>,
    quotes: Vec<char>,
    sentence_marks: Vec<char>,
    possessives: Vec<String>,
    /// Normalised, sorted.
    sentence_ends: Vec<char>,
    host_endings: Vec<String>,
}

impl PunctuationMarks {
    /// Collects the marks of all files; fails (file, message) on an empty head end or a quote
    /// mark that is not one character.
    pub(super) fn compile(files: &[StructureSource]) -> Result<PunctuationMarks, (String, String)> {
        let mut out = PunctuationMarks::default();
        for src in files {
            let p = &src.file.punctuation;
            let err = |m: String| (src.origin.clone(), m);
            for e in &p.head_ends {
                if e.is_empty() {
                    return Err(err("empty head end in [punctuation]".into()));
                }
                if !out.head_ends.contains(e) {
                    out.head_ends.push(e.clone());
                }
            }
            for (marks, into) in [
                (&p.quotes, &mut out.quotes),
                (&p.sentence_marks, &mut out.sentence_marks),
            ] {
                for q in marks {
                    let mut chars = q.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) => into.push(c),
                        _ => return Err(err(format!("mark '{q}' is not one character"))),
                    }
                }
            }
            for s in &p.possessives {
                if s.trim().is_empty() {
                    return Err(err("empty possessive in [punctuation]".into()));
                }
                out.possessives.push(s.clone());
            }
            for e in &p.sentence_ends {
                match crate::policy::normal::normalise_one(e.chars().next().unwrap_or(' ')) {
                    Some(c) if e.chars().count() == 1 => out.sentence_ends.push(c),
                    _ => return Err(err(format!("sentence end '{e}' is not one character"))),
                }
            }
            out.host_endings.extend(
                p.host_endings
                    .iter()
                    .map(|h| h.trim().to_ascii_lowercase())
                    .filter(|h| !h.is_empty()),
            );
        }
        out.quotes.sort_unstable();
        out.quotes.dedup();
        out.sentence_marks.sort_unstable();
        out.sentence_marks.dedup();
        out.sentence_ends.sort_unstable();
        out.sentence_ends.dedup();
        Ok(out)
    }

    /// Whether a normalised character ends a sentence (`[punctuation] sentence_ends`).
    pub(crate) fn ends_sentence(&self, c: char) -> bool {
        self.sentence_ends.binary_search(&c).is_ok()
    }

    /// Whether a word after a dot makes the dot part of a host name (`[punctuation]
    /// host_endings`: "com", "cn" …).
    pub(crate) fn is_host_ending(&self, word: &[u8]) -> bool {
        self.host_endings.iter().any(|h| h.as_bytes() == word)
    }
}

/// The `[punctuation]` marks of the built-in language files, compiled once: sentence bounds
/// are found where no vocabulary is at hand (empty when the built-in files do not compile,
/// which their tests rule out).
pub(crate) fn builtin_marks() -> &'static PunctuationMarks {
    static MARKS: std::sync::OnceLock<PunctuationMarks> = std::sync::OnceLock::new();
    MARKS.get_or_init(|| {
        Structure::builtin()
            .map(|s| s.punctuation)
            .unwrap_or_default()
    })
}

impl Structure {
    /// The marks that end the head of a list item (`[punctuation] head_ends`), as written.
    pub fn head_ends(&self) -> &[String] {
        &self.punctuation.head_ends
    }

    /// Whether a character is a quote mark or emphasis around a name (`[punctuation] quotes`).
    pub fn is_quote_mark(&self, c: char) -> bool {
        self.punctuation.quotes.binary_search(&c).is_ok()
    }

    /// Whether a text holds a mark of a sentence or a list (`[punctuation] sentence_marks`:
    /// "!", "？", "、"), which no bare name holds.
    pub fn has_sentence_mark(&self, text: &str) -> bool {
        text.chars()
            .any(|c| self.punctuation.sentence_marks.binary_search(&c).is_ok())
    }

    /// Whether the text after a name starts with a possessive ending (`[punctuation]
    /// possessives`: "'s"), as written.
    pub fn starts_possessive(&self, after: &str) -> bool {
        self.punctuation
            .possessives
            .iter()
            .any(|p| after.starts_with(p.as_str()))
    }
}
