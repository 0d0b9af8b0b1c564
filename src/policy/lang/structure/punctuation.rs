//! Punctuation that shapes a row's name (`[punctuation]` of
//! `signatures/language/<lang>/structure.toml`): the marks that end the head of a list item
//! ("甲SDK：用于推送" → "甲SDK") and the quote marks and emphasis around a name ("“甲SDK”").
//!
//! ```
//! use disclose::policy::lang::structure::Structure;
//! let s = Structure::builtin().unwrap();
//! assert!(s.head_ends().iter().any(|e| e == "："));
//! assert!(s.is_quote_mark('“'));
//! assert!(!s.is_quote_mark('甲'));
//! ```

use super::{Structure, StructureSource};

/// The compiled `[punctuation]` marks of every language, as written (not normalised: they
/// are matched in the original text).
#[derive(Debug, Clone, Default)]
pub(super) struct PunctuationMarks {
    head_ends: Vec<String>,
    quotes: Vec<char>,
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
            for q in &p.quotes {
                let mut chars = q.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => out.quotes.push(c),
                    _ => return Err(err(format!("quote mark '{q}' is not one character"))),
                }
            }
        }
        out.quotes.sort_unstable();
        out.quotes.dedup();
        Ok(out)
    }
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
}
