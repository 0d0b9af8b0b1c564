//! Bare nouns that end a list of data words: "your name, email address, phone number, or
//! location" names location although "location" alone is no data word ("your location" is).
//! The meaning files give the frames a data word is written in around a bare noun
//! (`[enumeration] item_frames`: "your {}", "{} data"); the last item of a list joined by a
//! list joiner (" and ", " or ") after at least two data words is read in each frame.
//!
//! ```text
//! "we do not collect your name, email address, phone number, or location"
//!    → a hit for location at "location" (the frame "your {}" makes "your location")
//! "we store it in a secure location"   → nothing: no list of data words before it
//! ```

use super::normal::normalise_word;
use super::vocab::{Hit, PolicyVocabulary};
use super::PolicyDocument;
use std::ops::Range;

/// Most words a bare last item may have.
const MAX_ITEM_WORDS: usize = 2;
/// Longest gap between two listed data words (bytes): a separator and a joiner.
const MAX_GAP: usize = 8;

/// Data-word hits for the bare last items of lists of data words in `text` (the normalised
/// text `types` were found in), in text order.
pub(super) fn last_item_hits(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    text: &str,
    types: &[Hit],
) -> Vec<Hit> {
    let meaning = vocab.meaning();
    if meaning.item_frames.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, hit) in types.iter().enumerate() {
        let listed = i
            .checked_sub(1)
            .and_then(|p| types.get(p))
            .and_then(|prev| text.get(prev.normal.end..hit.normal.start))
            .is_some_and(|gap| gap.len() <= MAX_GAP && is_separator(gap, &meaning.joiners));
        if !listed {
            continue;
        }
        let Some(item) = last_item(text, hit.normal.end, &meaning.joiners) else {
            continue;
        };
        if types.get(i + 1).is_some_and(|n| n.normal.start < item.end) {
            continue;
        }
        let word = text.get(item.clone()).unwrap_or("");
        let found = meaning.item_frames.iter().find_map(|frame| {
            let phrase = normalise_word(&frame.replacen("{}", word, 1));
            vocab
                .type_hits_in(&phrase)
                .into_iter()
                .find(|(_, r)| r.start == 0 && r.end == phrase.len())
                .map(|(index, _)| index)
        });
        if let Some(index) = found {
            out.push(Hit {
                index,
                original: doc.original_range(item.clone()),
                normal: item,
            });
        }
    }
    out
}

/// The bare last item after a listed data word ending at `from`: a joiner (maybe after a
/// comma), then one or two Latin words that end the list (punctuation or the end follows).
fn last_item(text: &str, from: usize, joiners: &[String]) -> Option<Range<usize>> {
    let rest = text.get(from..)?;
    // Normalised text may drop the space after a comma (",or location").
    let after_comma = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    let after_joiner = joiners.iter().find_map(|j| {
        after_comma
            .strip_prefix(j.trim())
            .filter(|r| r.starts_with(' '))
            .map(str::trim_start)
    })?;
    let start = from + (rest.len() - after_joiner.len());
    let tail = text.get(start..)?;
    let mut end = 0usize;
    let mut words = 0usize;
    for (at, c) in tail.char_indices() {
        if c.is_ascii_alphabetic() || c == '-' {
            if at == 0 || tail.get(..at).is_some_and(|h| h.ends_with(' ')) {
                words += 1;
            }
            end = at + 1;
        } else if c == ' ' && words < MAX_ITEM_WORDS {
            continue;
        } else {
            break;
        }
    }
    let after = tail.get(end..)?.chars().next();
    let ends_list = after.is_none_or(|c| matches!(c, '.' | ',' | ';' | ')' | '\n' | '!' | '?'));
    ((1..=MAX_ITEM_WORDS).contains(&words) && ends_list).then_some(start..start + end)
}

/// Whether `gap` between two data words only separates list items: a comma, a joiner, or a
/// comma and a joiner.
fn is_separator(gap: &str, joiners: &[String]) -> bool {
    let after_comma = gap.strip_prefix(',').unwrap_or(gap).trim();
    after_comma.is_empty() || joiners.iter().any(|j| after_comma == j.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joiners() -> Vec<String> {
        vec![" and ".to_string(), " or ".to_string()]
    }

    #[test]
    fn last_item_needs_a_joiner_and_an_end() {
        let text = "your name, phone number, or location.";
        let from = text.find(" number").map_or(0, |p| p + " number".len());
        assert_eq!(
            last_item(text, from, &joiners()).and_then(|r| text.get(r)),
            Some("location")
        );
        let open = "your name, phone number, or location of our servers.";
        assert_eq!(last_item(open, from, &joiners()), None);
        assert_eq!(last_item("x, location.", 1, &joiners()), None);
    }
}
