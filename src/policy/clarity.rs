//! How strongly a data word declares: a category followed by a closed list ("设备信息，包括设备型号、
//! IMEI") is declared *exactly* by its items; an open list ("设备信息（如…等）", "device information
//! such as …") leaves it *vague* for the rest; a category named alone is vague. An item is
//! *enumerated* inside an open list and *exhaustive* inside a closed list or on its own.
//!
//! ```
//! use disclose::policy::{extract, read_policy_bytes, Clarity, PolicyVocabulary};
//! use disclose::signatures::schema::TaxonomyFile;
//! let taxonomy: TaxonomyFile = toml::from_str(r#"
//! [[type]]
//! id = "device"
//! name_en = "Device"
//! name_zh = "设备信息"
//! zh_hans = ["设备信息"]
//! [[type]]
//! id = "device.imei"
//! parent = "device"
//! name_en = "IMEI"
//! name_zh = "IMEI"
//! en = ["imei"]
//! "#).unwrap();
//! let vocab = PolicyVocabulary::new(&taxonomy.types, &[]).unwrap();
//! let closed = read_policy_bytes("p.txt", "隐私政策：我们收集设备信息，包括IMEI。".as_bytes()).unwrap();
//! assert_eq!(extract(&closed, &vocab).data[0].clarity, Clarity::Exhaustive);
//! let open = read_policy_bytes("p.txt", "隐私政策：我们收集设备信息（如IMEI等）。".as_bytes()).unwrap();
//! assert_eq!(extract(&open, &vocab).data[0].clarity, Clarity::Enumerated);
//! ```

use super::data::sentence_start;
use super::lang::meaning::Meaning;
use super::normal::snapped;
use super::Clarity;
use regex::Regex;
use std::ops::Range;

/// How far after a category its list may start (normalised bytes: spaces, "，", "信息").
const LIST_LEAD: usize = 8;
/// How far before an item its list's cue may be.
const LIST_REACH: usize = 240;

/// A list of items: where its items are and whether it is open.
struct List {
    items: Range<usize>,
    open: bool,
}

/// Where a list that starts at `from` (just after its cue or opening bracket) ends.
fn list_end(text: &str, from: usize, bracket: Option<char>) -> usize {
    let tail = text.get(from..).unwrap_or("");
    for (i, c) in tail.char_indices() {
        let end = match bracket {
            Some('(') => c == ')',
            Some('[') => c == ']',
            _ => matches!(c, '。' | ';' | '\n' | ')' | '!' | '?'),
        };
        if end || (c == '.' && tail.get(i + 1..).is_none_or(|r| r.starts_with(' '))) {
            return from + i;
        }
        if i > 600 {
            return from + i;
        }
    }
    text.len()
}

fn is_open(meaning: &Meaning, text: &str, items: &Range<usize>, cue_open: bool) -> bool {
    let body = text.get(items.clone()).unwrap_or("");
    cue_open || meaning.open_cues.is_match(body) || meaning.open_end.is_match(body)
}

/// The list that a category word ending at `end` introduces, if any.
fn list_after(meaning: &Meaning, text: &str, end: usize) -> Option<List> {
    let lead = snapped(text, end, end + LIST_LEAD);
    let skip = lead.len() - lead.trim_start_matches([' ', ',', '、']).len();
    let at = end + skip;
    let rest = text.get(at..).unwrap_or("");
    if let Some(b) = rest.chars().next().filter(|c| matches!(c, '(' | '[' | ':')) {
        let from = at + b.len_utf8();
        let bracket = (b != ':').then_some(b);
        let items = from..list_end(text, from, bracket);
        let open = is_open(meaning, text, &items, false);
        return Some(List { items, open });
    }
    let cues = [
        (&meaning.open_cues_at, true),
        (&meaning.closed_cues_at, false),
    ];
    for (cues, open) in cues {
        if let Some(m) = cue_near(cues, rest, LIST_LEAD - skip.min(LIST_LEAD)) {
            let from = at + m.end;
            let items = from..list_end(text, from, None);
            let open = is_open(meaning, text, &items, open);
            return Some(List { items, open });
        }
    }
    None
}

/// The leftmost cue in `rest` if it starts at most `limit` bytes in: what an unanchored
/// search of `rest` filtered to `start <= limit` gives, but tried only at those starts with
/// the anchored cue regex `anchored`, so a word far from any cue does not scan the rest of the
/// document (that made reading quadratic in the number of data words).
fn cue_near(anchored: &Regex, rest: &str, limit: usize) -> Option<Range<usize>> {
    let bytes = rest.as_bytes();
    for (i, c) in rest.char_indices() {
        if i > limit {
            break;
        }
        // A cue that starts with a Latin letter needs a word boundary before it, which the
        // anchored search of `rest[i..]` cannot see; no other cue starts with one.
        let inside_word = c.is_ascii_alphanumeric()
            && i.checked_sub(1)
                .and_then(|p| bytes.get(p))
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        if inside_word {
            continue;
        }
        if let Some(m) = rest.get(i..).and_then(|tail| anchored.find(tail)) {
            return Some(i + m.start()..i + m.end());
        }
    }
    None
}

/// The open list that holds the item starting at `start`, if any: the nearest cue or opening
/// bracket before it in the same clause.
fn list_around(meaning: &Meaning, text: &str, start: usize) -> Option<List> {
    let s = sentence_start(text, start).max(start.saturating_sub(LIST_REACH));
    let head = snapped(text, s, start);
    let base = start - head.len();
    let mut best: Option<(usize, usize, Option<char>, bool)> = None; // (cue start, items start, bracket, open)
    let mut consider = |cue_start: usize, from: usize, bracket: Option<char>, open: bool| {
        if best.is_none_or(|b| cue_start > b.0) {
            best = Some((cue_start, from, bracket, open));
        }
    };
    if let Some(m) = meaning.open_cues.find_iter(head).last() {
        consider(m.start(), m.end(), None, true);
    }
    if let Some(m) = meaning.closed_cues.find_iter(head).last() {
        consider(m.start(), m.end(), None, false);
    }
    if let Some(p) = head.rfind(['(', ':']) {
        let b = head.get(p..).and_then(|r| r.chars().next());
        consider(p, p + 1, b.filter(|&c| c == '('), false);
    }
    let (_, from, bracket, cue_open) = best?;
    let from = base + from;
    let end = list_end(text, from, bracket);
    if end < start {
        return None;
    }
    let items = from..end;
    let open = is_open(meaning, text, &items, cue_open);
    Some(List { items, open })
}

/// The clarity of a data word at `range` of the normalised text. `has_item` says whether a
/// range of the text holds another data word (a category's list must name at least one).
pub(super) fn clarity_of(
    meaning: &Meaning,
    text: &str,
    range: Range<usize>,
    has_children: bool,
    has_item: impl Fn(Range<usize>) -> bool,
) -> Clarity {
    if has_children {
        return match list_after(meaning, text, range.end) {
            Some(list) if has_item(list.items.clone()) => {
                if list.open {
                    Clarity::Enumerated
                } else {
                    Clarity::Exhaustive
                }
            }
            _ => Clarity::Vague,
        };
    }
    if let Some(list) = list_around(meaning, text, range.start) {
        return if list.open {
            Clarity::Enumerated
        } else {
            Clarity::Exhaustive
        };
    }
    let after = snapped(text, range.end, range.end + LIST_LEAD);
    if meaning
        .open_end
        .find(after)
        .is_some_and(|m| after.get(..m.start()).is_some_and(|g| g.trim().is_empty()))
    {
        Clarity::Enumerated
    } else {
        Clarity::Exhaustive
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cue_near` gives what the unanchored search of the whole rest, kept only when it starts
    /// near, gives: at Latin word boundaries, inside words, past the limit, with no cue.
    #[test]
    fn cue_near_agrees_with_unanchored_search() {
        let Ok(meaning) = Meaning::builtin() else {
            panic!("built-in meaning vocabulary compiles");
        };
        let texts = [
            "such as model",
            "xsuch as model",
            "_such as model",
            " such as model",
            ",(如设备型号",
            "设备型号包括imei",
            "(如imei等)",
            "，包括但不限于型号",
            "abc包括",
            "including but not limited to imei",
            "including  but not limited to",
            "aincluding imei",
            "  e.g. model",
            "model and the like",
            "",
            "no cue in this text at all, including far away",
        ];
        let pairs = [
            (&meaning.open_cues, &meaning.open_cues_at),
            (&meaning.closed_cues, &meaning.closed_cues_at),
        ];
        for text in texts {
            for limit in 0..=LIST_LEAD {
                for (unanchored, anchored) in pairs {
                    let want = unanchored
                        .find(text)
                        .filter(|m| m.start() <= limit)
                        .map(|m| m.range());
                    assert_eq!(
                        cue_near(anchored, text, limit),
                        want,
                        "{text:?} limit {limit}"
                    );
                }
            }
        }
    }
}
