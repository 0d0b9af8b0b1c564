//! The list markers (`signatures/language/<lang>/list-markers.toml`): the bullets, numerals and
//! brackets with which documents of a language start their list items, beyond the ASCII list
//! syntax (`-`, `*`, `+`, `1.`, `1)`, `(1)`). The plain-text block reader
//! ([`crate::policy::read_policy_bytes`] on `.txt`) runs before any other vocabulary is
//! loaded, so it reads the built-in files, compiled once per process ([`ListMarkers::builtin`]);
//! `disclose signatures validate` / `test` check them like every language file.
//!
//! ```
//! use disclose::policy::lang::list_markers::ListMarkers;
//! let markers = ListMarkers::builtin()?;
//! assert!(markers.starts_item("（三）第三方SDK"));
//! assert!(markers.starts_item("① 高德定位SDK"));
//! assert!(!markers.starts_item("一些说明"));
//! # Ok::<(), disclose::policy::PolicyError>(())
//! ```

use crate::policy::PolicyError;
use crate::signatures::schema::Examples;
use crate::signatures::SignatureSources;
use serde::Deserialize;
use std::sync::OnceLock;

/// Longest list number read (`4.1.3.2.` is 8 characters).
const MAX_NUMBER_CHARS: usize = 8;
/// Most digits or numerals between brackets (`（十二）`, `(100)`).
const MAX_BRACKETED_CHARS: usize = 3;

/// One `signatures/language/<lang>/list-markers.toml` as written; every entry is one character.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListMarkersFile {
    /// Language tag (`zh`); must equal the directory name.
    pub language: String,
    /// Glyphs that start an item when another character follows (`●`, `•`).
    pub bullets: Vec<String>,
    /// Characters that count like digits in a list number (`一` … `十`).
    pub numerals: Vec<String>,
    /// Characters that are a whole list number on their own (`①` … `⑳`).
    pub numbers: Vec<String>,
    /// Brackets around a list number besides `(` and `)` (`（`, `）`).
    pub open_brackets: Vec<String>,
    pub close_brackets: Vec<String>,
    /// Characters that may follow a list number besides a closing bracket, a space or a tab
    /// (`、`).
    pub separators: Vec<String>,
    /// `match` lines must start a list item, `no_match` lines must not.
    pub examples: Examples,
}

/// A list-marker file and the path to name in errors.
#[derive(Debug, Clone)]
pub struct ListMarkersSource {
    pub origin: String,
    pub file: ListMarkersFile,
}

/// Whether `rel` (path under `signatures/`) is a list-marker file.
pub fn is_list_markers_file(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    matches!(parts.as_slice(), ["language", lang, "list-markers.toml"] if !lang.is_empty())
}

/// Parses one list-marker file; `rel` is its path under `signatures/`
/// (`language/zh/list-markers.toml`). Errors are (file, message).
pub fn parse(rel: &str, origin: &str, text: &str) -> Result<ListMarkersSource, (String, String)> {
    let file = super::parse_language_file(rel, origin, text, |f: &ListMarkersFile| &f.language)?;
    Ok(ListMarkersSource {
        origin: origin.to_string(),
        file,
    })
}

/// The list markers of every language, compiled: which lines start a list item.
#[derive(Debug, Clone)]
pub struct ListMarkers {
    bullets: Vec<char>,
    numerals: Vec<char>,
    numbers: Vec<char>,
    open_brackets: Vec<char>,
    close_brackets: Vec<char>,
    /// Closing brackets, separators, space and tab.
    after_number: Vec<char>,
}

/// `words` as characters; (field, word) of the first that is not exactly one character.
fn chars_of(field: &'static str, words: &[String]) -> Result<Vec<char>, String> {
    words
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Ok(c),
                _ => Err(format!("{field}: '{w}' is not one character")),
            }
        })
        .collect()
}

impl ListMarkers {
    /// The list markers compiled into the binary, compiled once per process.
    pub fn builtin() -> Result<&'static ListMarkers, PolicyError> {
        static BUILTIN: OnceLock<Result<ListMarkers, String>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let sources = SignatureSources::builtin();
                let files = sources
                    .iter()
                    .filter(|(rel, _)| is_list_markers_file(rel))
                    .map(|(rel, f)| parse(rel, &f.origin, f.text.as_ref()))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|(o, m)| format!("{o}: {m}"))?;
                ListMarkers::compile(&files).map_err(|(o, m)| format!("{o}: {m}"))
            })
            .as_ref()
            .map_err(|message| PolicyError::Vocabulary {
                message: message.clone(),
            })
    }

    /// The ASCII list syntax plus the markers of `files`; fails (file, message) when an entry
    /// is not one character or a bullet is also a number.
    pub fn compile(files: &[ListMarkersSource]) -> Result<ListMarkers, (String, String)> {
        let mut m = ListMarkers {
            bullets: vec!['-', '*', '+'],
            numerals: Vec::new(),
            numbers: Vec::new(),
            open_brackets: vec!['('],
            close_brackets: vec![')'],
            after_number: vec![' ', '\t'],
        };
        let mut separators = Vec::new();
        for src in files {
            let f = &src.file;
            let err = |message: String| (src.origin.clone(), message);
            m.bullets
                .extend(chars_of("bullets", &f.bullets).map_err(err)?);
            m.numerals
                .extend(chars_of("numerals", &f.numerals).map_err(err)?);
            m.numbers
                .extend(chars_of("numbers", &f.numbers).map_err(err)?);
            m.open_brackets
                .extend(chars_of("open_brackets", &f.open_brackets).map_err(err)?);
            m.close_brackets
                .extend(chars_of("close_brackets", &f.close_brackets).map_err(err)?);
            separators.extend(chars_of("separators", &f.separators).map_err(err)?);
            if let Some(c) = f.bullets.iter().find(|b| {
                f.numerals.contains(b) || f.numbers.contains(b) || f.open_brackets.contains(b)
            }) {
                return Err(err(format!("bullets: '{c}' is also a number or a bracket")));
            }
        }
        m.after_number.extend(m.close_brackets.iter().copied());
        m.after_number.extend(separators);
        for v in [
            &mut m.bullets,
            &mut m.numerals,
            &mut m.numbers,
            &mut m.open_brackets,
            &mut m.close_brackets,
            &mut m.after_number,
        ] {
            v.sort_unstable();
            v.dedup();
        }
        Ok(m)
    }

    fn is_digit(&self, c: char) -> bool {
        c.is_ascii_digit() || self.numerals.binary_search(&c).is_ok()
    }

    /// Whether `line` starts like a list item: a bullet followed by another character, a
    /// number character (`①`), a bracketed number (`(1)`, `（三）`), or a number of digits,
    /// numerals and dots that ends in `.` or is followed by a separator, a closing bracket, a
    /// space or a tab (`1.`, `4.1.3 `, `一、`, `3）`).
    pub fn starts_item(&self, line: &str) -> bool {
        self.item_body(line).is_some()
    }

    /// The text of a line that starts like a list item (see [`ListMarkers::starts_item`])
    /// after its marker: "① 某某SDK：…" → "某某SDK：…", "1.2.1 “甲乙”：…" → "“甲乙”：…".
    pub fn item_body<'l>(&self, line: &'l str) -> Option<&'l str> {
        let t = line.trim_start();
        let first = t.chars().next()?;
        let rest = |bytes: usize| t.get(bytes..).map(str::trim_start);
        if self.bullets.binary_search(&first).is_ok() {
            let second = t.chars().nth(1)?;
            return (second != first).then(|| rest(first.len_utf8())).flatten();
        }
        if self.numbers.binary_search(&first).is_ok() {
            return rest(first.len_utf8());
        }
        if self.open_brackets.binary_search(&first).is_ok() {
            let inner: Vec<char> = t
                .chars()
                .skip(1)
                .take_while(|c| self.close_brackets.binary_search(c).is_err())
                .collect();
            let closed = t.chars().nth(inner.len() + 1);
            let is_number = !inner.is_empty()
                && inner.len() <= MAX_BRACKETED_CHARS
                && inner.iter().all(|&c| self.is_digit(c));
            if !is_number {
                return None;
            }
            let width = first.len_utf8()
                + inner.iter().map(|c| c.len_utf8()).sum::<usize>()
                + closed.map_or(0, char::len_utf8);
            return rest(width);
        }
        let (mut chars, mut bytes, mut last) = (0usize, 0usize, None);
        for c in t.chars().take_while(|&c| c == '.' || self.is_digit(c)) {
            chars += 1;
            bytes += c.len_utf8();
            last = Some(c);
        }
        if chars == 0 || chars > MAX_NUMBER_CHARS {
            return None;
        }
        let after = t.get(bytes..).unwrap_or("");
        if last == Some('.') {
            return rest(bytes);
        }
        let next = after.chars().next()?;
        (self.after_number.binary_search(&next).is_ok()).then(|| {
            let width = if next.is_whitespace() {
                0
            } else {
                next.len_utf8()
            };
            rest(bytes + width)
        })?
    }
}

/// Every failing example of the list-marker files: (file, message).
pub fn run_examples(files: &[ListMarkersSource]) -> Vec<(String, String)> {
    if files.is_empty() {
        return Vec::new();
    }
    let compiled = match ListMarkers::compile(files) {
        Ok(m) => m,
        Err(e) => return vec![e],
    };
    let mut out = Vec::new();
    for src in files {
        let ex = &src.file.examples;
        if ex.must_match.is_empty() || ex.no_match.is_empty() {
            out.push((
                src.origin.clone(),
                "needs at least one example in 'examples.match' and one in 'examples.no_match'"
                    .to_string(),
            ));
        }
        for (list, want) in [(&ex.must_match, true), (&ex.no_match, false)] {
            for e in list.iter().filter(|e| compiled.starts_item(e) != want) {
                let (which, verb) = if want {
                    ("match", "does not start")
                } else {
                    ("no_match", "starts")
                };
                out.push((
                    src.origin.clone(),
                    format!("example '{e}' in 'examples.{which}' {verb} a list item"),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> ListMarkersSource {
        parse("language/zh/list-markers.toml", "t.toml", text).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn each_kind_of_marker_in_the_built_in_files_starts_an_item() {
        let m = ListMarkers::builtin().unwrap_or_else(|e| panic!("{e}"));
        // ASCII syntax (the reader's own).
        for line in ["- a", "* a", "+ a", "1. a", "4.1.3 a", "2) a", "(1) a"] {
            assert!(m.starts_item(line), "{line}");
        }
        // From the data: a bullet glyph, numerals with a separator and with a dot, bracketed
        // numerals in full-width and mixed brackets, a digit before a full-width bracket, a
        // circled number.
        for line in [
            "● 友盟",
            "Ø 京东支付",
            "一、总则",
            "十二.联系我们",
            "（三）个推",
            "(3）个推",
            "3）微信",
            "⑳ 其他",
        ] {
            assert!(m.starts_item(line), "{line}");
        }
        for line in [
            "",
            "●●",
            "一些",
            "（第三方）",
            "（一二三四）",
            "123456789.",
            "--",
        ] {
            assert!(!m.starts_item(line), "{line}");
        }
    }

    #[test]
    fn the_built_in_examples_pass() {
        let sources = SignatureSources::builtin();
        let files: Vec<ListMarkersSource> = sources
            .iter()
            .filter(|(rel, _)| is_list_markers_file(rel))
            .map(|(rel, f)| {
                parse(rel, &f.origin, f.text.as_ref()).unwrap_or_else(|e| panic!("{e:?}"))
            })
            .collect();
        assert!(!files.is_empty());
        assert_eq!(run_examples(&files), Vec::<(String, String)>::new());
    }

    #[test]
    fn a_marker_file_is_read_strictly() {
        let base = "language = \"zh\"\nbullets = [\"●\"]\nnumerals = [\"一\"]\nnumbers = [\"①\"]\nopen_brackets = [\"（\"]\nclose_brackets = [\"）\"]\nseparators = [\"、\"]\nexamples.match = [\"一、a\"]\nexamples.no_match = [\"a\"]\n";
        assert!(ListMarkers::compile(&[source(base)]).is_ok());
        let unknown = format!("{base}letters = [\"a\"]\n");
        assert!(parse("language/zh/list-markers.toml", "t", &unknown).is_err());
        let (_, m) = parse("language/en/list-markers.toml", "t", base).unwrap_err();
        assert!(m.contains("differs from its directory"), "{m}");
        let two = base.replace("[\"①\"]", "[\"①②\"]");
        let (_, m) = ListMarkers::compile(&[source(&two)]).unwrap_err();
        assert_eq!(m, "numbers: '①②' is not one character");
        let clash = base.replace("bullets = [\"●\"]", "bullets = [\"一\"]");
        assert!(ListMarkers::compile(&[source(&clash)]).is_err());
        let failing = base.replace(
            "examples.no_match = [\"a\"]",
            "examples.no_match = [\"一、b\"]",
        );
        let fails = run_examples(&[source(&failing)]);
        assert_eq!(fails.len(), 1, "{fails:?}");
        assert!(
            fails[0].1.contains("'一、b' in 'examples.no_match' starts"),
            "{fails:?}"
        );
        assert!(is_list_markers_file("language/zh/list-markers.toml"));
        assert!(!is_list_markers_file("language/list-markers.toml"));
    }
}
