//! `disclose signatures test` for `signatures/language/<lang>/structure.toml`: every example
//! of every entry, run through the compiled vocabulary of all languages together.
//!
//! ```
//! use disclose::policy::lang::structure::{is_structure_file, parse, run_examples};
//! let sources = disclose::signatures::SignatureSources::builtin();
//! let files: Vec<_> = sources
//!     .iter()
//!     .filter(|(rel, _)| is_structure_file(rel))
//!     .filter_map(|(rel, f)| parse(rel, &f.origin, f.text.as_ref()).ok())
//!     .collect();
//! assert!(run_examples(&files).is_empty());
//! ```

use super::{Structure, StructureSource};
use crate::policy::normal::normalise_word;
use crate::signatures::schema::Examples;

/// Every failing example of the structure files: (file, message).
pub fn run_examples(files: &[StructureSource]) -> Vec<(String, String)> {
    if files.is_empty() {
        return Vec::new();
    }
    let compiled = match Structure::compile(files) {
        Ok(s) => s,
        Err(e) => return vec![e],
    };
    let mut out = Vec::new();
    for src in files {
        let f = &src.file;
        let mut check = |entry: String, ex: &Examples, test: &dyn Fn(&str) -> bool| {
            for (list, want) in [(&ex.must_match, true), (&ex.no_match, false)] {
                for e in list.iter() {
                    if test(e) != want {
                        let which = if want { "match" } else { "no_match" };
                        let verb = if want { "does not match" } else { "matches" };
                        out.push((
                            src.origin.clone(),
                            format!("{entry}: example '{e}' in 'examples.{which}' {verb}"),
                        ));
                    }
                }
            }
        };
        for l in &f.labels {
            check(format!("label {:?}", l.field), &l.examples, &|e| {
                let n = normalise_word(e);
                let first = compiled.find_labels(&n).next();
                first.is_some_and(|(fd, r)| {
                    let lead = n.get(..r.start).unwrap_or("x");
                    fd == l.field
                        && lead
                            .chars()
                            .all(|c| c.is_ascii_digit() || "().、 ".contains(c))
                })
            });
        }
        for h in &f.headers {
            check(format!("header {:?}", h.kind), &h.examples, &|e| {
                compiled.header_kind(e) == Some(h.kind)
            });
        }
        for p in &f.platforms {
            check(format!("platform {}", p.id), &p.examples, &|e| {
                compiled
                    .platforms_in(&normalise_word(e))
                    .contains(&p.id.as_str())
            });
        }
        check("platform_marks".into(), &f.platform_marks.examples, &|e| {
            !compiled.platform_markers(&normalise_word(e)).is_empty()
        });
        // A name: an SDK word after words that are not only generic ("极验SDK", not "内嵌SDK").
        check("sdk_words".into(), &f.sdk_words.examples, &|e| {
            let n = normalise_word(e);
            let core = compiled
                .bare_sdk_words()
                .iter()
                .find_map(|w| n.strip_suffix(w.as_str()))
                .unwrap_or(&n);
            compiled.has_sdk_word(&n) && !compiled.is_generic(core)
        });
        check("not_sdk".into(), &f.not_sdk.examples, &|e| {
            compiled.is_caption(e)
                || compiled.is_company(e)
                || compiled.is_party(e)
                || compiled.is_other_kind(e)
                || compiled.is_data_item(e)
                || compiled.is_scope(&normalise_word(e))
        });
        check("category_words".into(), &f.category_words.examples, &|e| {
            compiled.categories_in(&normalise_word(e)).next().is_some()
        });
        check("mentions".into(), &f.mentions.examples, &|e| {
            let (before, after) = e.split_once("{sdk}").unwrap_or((e, ""));
            compiled.mentions_use(&normalise_word(before), &normalise_word(after))
        });
        check("aside".into(), &f.aside.examples, &|e| {
            let (before, after) = e.split_once("{sdk}").unwrap_or((e, ""));
            let sentence = normalise_word(&format!("{before}某某SDK{after}"));
            compiled.is_aside(&normalise_word(before), &sentence)
        });
        check("prose_names".into(), &f.prose_names.examples, &|e| {
            let (before, after) = e.split_once("{name}").unwrap_or((e, ""));
            let before = normalise_word(before);
            compiled.before_prose_name_cue(&before).is_some_and(|head| {
                compiled.names_purpose(&format!("{head} quokka{}", normalise_word(after)))
            })
        });
        check("punctuation".into(), &f.punctuation.examples, &|e| {
            compiled.head_ends().iter().any(|h| e.contains(h.as_str()))
        });
        check("spelling".into(), &f.spelling.examples, &|e| {
            compiled.has_spelling_variant(&normalise_word(e))
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{is_structure_file, parse};
    use super::*;

    #[test]
    fn builtin_examples_pass() {
        let sources = crate::signatures::SignatureSources::builtin();
        let files: Vec<StructureSource> = sources
            .iter()
            .filter(|(rel, _)| is_structure_file(rel))
            .filter_map(|(rel, f)| parse(rel, &f.origin, f.text.as_ref()).ok())
            .collect();
        assert_eq!(files.len(), 2);
        assert_eq!(run_examples(&files), Vec::<(String, String)>::new());
    }
}
