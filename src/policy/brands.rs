//! Brand names in English running text: a proper name right after a mention cue and followed
//! by its link is a row even when no SDK word stands next to it ("App usage data is collected
//! by [Aptabase](https://…)", "This app uses Ackee analytics (https://…) for tracking"). A
//! known alias keeps its id; an unknown brand is kept with `id: null` so the auditor sees it.
//! Names that are a platform ("uses Android permissions"), a company form or not followed by
//! a link are no rows, and neither are names in a sentence that denies SDKs.
//!
//! ```
//! use disclose::policy::{extract, read_policy_bytes, PolicyVocabulary};
//! let set = disclose::signatures::SignatureSet::builtin().unwrap();
//! let specs: Vec<_> = set.sdks.iter().map(|s| s.spec.clone()).collect();
//! let vocab = PolicyVocabulary::with_structure(set.taxonomy.types(), &specs, &set.structure).unwrap();
//! let doc = read_policy_bytes("p.md", b"Usage data is collected by [Quokka](https://quokka.example/).").unwrap();
//! let found = extract(&doc, &vocab);
//! assert!(found.sdks.iter().any(|s| s.name == "Quokka" && s.id.is_none()));
//! ```

use super::sdks::{inline_sdk, name_key, Covered};
use super::vocab::{Hits, PolicyVocabulary};
use super::{DeclaredSdk, PolicyDocument};
use crate::id::SdkId;
use std::collections::HashSet;
use std::ops::Range;

/// Most capitalised words a brand name has ("Google Firebase Crashlytics").
const MAX_NAME_WORDS: usize = 3;
/// Blanks a Markdown link leaves after its text at least (`](https://a.io)`).
const LINK_BLANKS: usize = 8;

/// Rows for proper names after a mention cue in English prose, outside `covered`, for names
/// not yet `seen` and ids not yet `known`.
pub(super) fn brand_rows(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
    covered: &Covered,
    seen: &mut HashSet<String>,
    known: &HashSet<SdkId>,
) -> Vec<DeclaredSdk> {
    let text = doc.normal.text.as_str();
    let st = &vocab.structure;
    let mut out = Vec::new();
    for cue in st.mention_cues().iter().map(|c| c.trim()) {
        if cue.is_empty() || !cue.is_ascii() {
            continue;
        }
        for (at, _) in text.match_indices(cue) {
            let end = at + cue.len();
            let glued = text.get(..at).and_then(|t| t.chars().next_back());
            let next = text.get(end..).and_then(|t| t.chars().next());
            if glued.is_some_and(char::is_alphanumeric) || next.is_some_and(char::is_alphanumeric) {
                continue;
            }
            let cue_end = doc.original_range(at..end).end;
            let Some(name) = name_after(doc, vocab, cue_end) else {
                continue;
            };
            let s = super::data::sentence_start(text, at);
            let e = super::data::sentence_end(text, end);
            let sentence = text.get(s..e).unwrap_or("");
            let lead = text.get(s..at).unwrap_or("");
            if st.is_denial(sentence) || st.example_cue_in(lead) || covered.contains(&name) {
                continue;
            }
            let Some(written) = doc.text.get(name.clone()).map(str::to_string) else {
                continue;
            };
            let normal = super::normal::normalise_word(&written);
            let id = vocab.sdk_id_for(&normal).map(SdkId::from);
            if id.as_ref().is_some_and(|i| known.contains(i)) || !seen.insert(name_key(&normal)) {
                continue;
            }
            let sentence = doc.original_range(s..e);
            out.push(inline_sdk(doc, vocab, hits, written, id, sentence));
        }
    }
    out
}

/// Where a run of one to three capitalised words starting at `start` ends (`start` when there
/// is none): a word is ASCII letters, digits, `-` and `+` starting with a capital ("PostHog",
/// "Google Analytics"), words are joined by one blank. `None` when `start` or a word end is not
/// a character boundary of `text`.
pub(super) fn capitalised_words_end(text: &str, start: usize) -> Option<usize> {
    let mut end = start;
    for words in 0..MAX_NAME_WORDS {
        let tail = text.get(end..)?;
        let gap = usize::from(words > 0 && tail.starts_with(' '));
        let word = tail.get(gap..)?;
        let len = word
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '+'))
            .unwrap_or(word.len());
        if len == 0 || !word.starts_with(|c: char| c.is_ascii_uppercase()) {
            break;
        }
        end += gap + len;
    }
    Some(end)
}

/// The original range of a brand name starting after `from` (blanks and a link's `[` skipped):
/// one to three capitalised words, at most one lower-case word, then a link (a Markdown link's blanks, `(http…`, `<http…`). `None` when any part is missing
/// or the name is a platform or a company.
fn name_after(doc: &PolicyDocument, vocab: &PolicyVocabulary, from: usize) -> Option<Range<usize>> {
    let rest = doc.text.get(from..)?;
    let start = from + (rest.len() - rest.trim_start_matches([' ', '\t', '\n']).len());
    let mut end = capitalised_words_end(&doc.text, start)?;
    if end == start {
        return None;
    }
    let st = &vocab.structure;
    let mut linked = link_at(doc.text.get(end..)?);
    if !linked {
        // One lower-case word between the name and its link ("Ackee analytics (https://…)").
        let after = doc.text.get(end..)?;
        let word = after.strip_prefix(' ')?;
        let len = word
            .find(|c: char| !c.is_ascii_lowercase())
            .unwrap_or(word.len());
        if len > 0 && link_at(word.get(len..)?) {
            end += 1 + len;
            linked = true;
        }
    }
    let name = doc.text.get(start..end)?;
    let normal = super::normal::normalise_word(name);
    let platform = !st.platforms_in(&normal).is_empty();
    (linked && !platform && !st.is_company(name)).then_some(start..end)
}

/// Whether a link starts `after`: the blanks a Markdown link leaves, or a bare URL in brackets.
fn link_at(after: &str) -> bool {
    let blanks = after.len() - after.trim_start_matches(' ').len();
    blanks >= LINK_BLANKS
        || ["(http", "<http", "(www."]
            .iter()
            .any(|l| after.trim_start_matches(' ').starts_with(l))
}
