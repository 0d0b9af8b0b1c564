//! Bare names in a list of SDKs: a list made only of short names ("- Admob", "- Adjust",
//! "- Unity", "* [Facebook](…)") in which at least two names are known SDKs lists SDKs, so
//! its names that are not in the vocabulary are rows too (with no id), the way an auditor
//! reads them. A list of sentences, or of names none of which is a known SDK (data items,
//! permissions, contents), gives nothing here.
//!
//! ```text
//! - Admob          → known (row from the list item reader)
//! - GameAnalytics  → known
//! - Voodoo         → a row with no id: it stands in a list of SDKs
//! ```

use super::normal::normalise_word;
use super::prose::{alias_covers, tidy_name, whole_sdk_name, ProseInput, Seen};
use super::sdks::{clean, data_in, name_key};
use super::{Block, BlockKind, DeclaredSdk, SdkForm};

/// Known SDK names a list needs before its other names count as SDKs.
const MIN_KNOWN: usize = 2;
/// Longest bare name (words, characters).
const MAX_WORDS: usize = 3;
const MAX_CHARS: usize = 30;

/// One item of a list: its block and, when it is a bare name, the name and whether the
/// vocabulary knows it.
struct NameItem<'b> {
    block: &'b Block,
    name: String,
    known: bool,
}

/// The top items of each list, in order: consecutive list items of one depth; blocks inside
/// an item (its paragraphs, nested lists) are skipped, any other block ends the list.
fn lists(blocks: &[Block]) -> Vec<Vec<&Block>> {
    let mut out: Vec<Vec<&Block>> = Vec::new();
    let mut current: Vec<&Block> = Vec::new();
    let mut depth = 0u8;
    for b in blocks {
        let inside_last = current
            .last()
            .is_some_and(|last| b.range.start >= last.range.start && b.range.end <= last.range.end);
        if inside_last {
            continue;
        }
        match b.kind {
            BlockKind::ListItem { depth: d } if d == depth && !current.is_empty() => {
                current.push(b);
            }
            BlockKind::ListItem { depth: d } => {
                out.push(std::mem::take(&mut current));
                current.push(b);
                depth = d;
            }
            _ => out.push(std::mem::take(&mut current)),
        }
    }
    out.push(current);
    out.retain(|l| l.len() > MIN_KNOWN);
    out
}

/// The item's name when the item is only a short name: one line, at most three words, no
/// sentence punctuation, starting with a capital, a digit or a non-Latin letter.
fn bare_name(input: &ProseInput<'_>, block: &Block) -> Option<String> {
    let (doc, vocab) = (input.doc, input.vocab);
    let st = &vocab.structure;
    let raw = clean(doc, &block.range)?;
    let name = tidy_name(vocab, &raw);
    let chars = name.chars().count();
    let first = name.chars().next()?;
    let starts_as_name = first.is_ascii_uppercase() || first.is_ascii_digit() || !first.is_ascii();
    let punctuated = st
        .head_ends()
        .iter()
        .any(|e| !e.trim().is_empty() && name.contains(e.as_str()))
        || st.has_sentence_mark(&name)
        || name.ends_with('.');
    let normal = normalise_word(&name);
    let plain = !(st.is_caption(&normal)
        || st.is_company(&name)
        || st.classify_label(&normal).is_some()
        || st.is_generic(&normal));
    let one_line = doc
        .text
        .get(block.range.clone())
        .is_some_and(|t| !t.trim().contains('\n'));
    (one_line
        && starts_as_name
        && (2..=MAX_CHARS).contains(&chars)
        && name.split_whitespace().count() <= MAX_WORDS
        && !punctuated
        && plain)
        .then_some(name)
}

/// Rows for the unknown names of lists of SDK names (see the module doc).
pub(super) fn names_beside_sdks(input: ProseInput<'_>, seen: &mut Seen) -> Vec<DeclaredSdk> {
    let (doc, vocab) = (input.doc, input.vocab);
    let mut out = Vec::new();
    for list in lists(doc.blocks()) {
        let items: Option<Vec<NameItem<'_>>> = list
            .iter()
            .map(|&block| {
                let name = bare_name(&input, block)?;
                let normal = normalise_word(&name);
                let known = alias_covers(vocab, &normal) || whole_sdk_name(vocab, &normal);
                Some(NameItem { block, name, known })
            })
            .collect();
        // Every item must be a bare name: a list of sentences is no list of SDKs.
        let Some(items) = items else {
            continue;
        };
        let known = items.iter().filter(|i| i.known).count();
        if known < MIN_KNOWN || known * 2 < items.len() {
            continue;
        }
        for item in items.iter().filter(|i| !i.known) {
            let range = item.block.range.clone();
            let normal = normalise_word(&item.name);
            if input.covered.contains(&range) || !seen.insert(name_key(&normal)) {
                continue;
            }
            // Not in the vocabulary: a word of the name that is another SDK's alias
            // ("Acme Metrics") gives no id.
            out.push(DeclaredSdk {
                id: None,
                name: item.name.clone(),
                vendor: None,
                platform: None,
                data: data_in(vocab, input.hits, std::slice::from_ref(&range)),
                purpose: None,
                form: SdkForm::Block,
                text: doc.span(range),
                part_of: None,
            });
        }
    }
    out
}
