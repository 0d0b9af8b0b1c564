//! SDK names enumerated in running text with `、`: "我们使用微信SDK、支付宝SDK、翼支付、银联支付SDK",
//! "通过小米PUSH（Android端）、OPPO PUSH（Android端）、百度云推送SDK实现", "第三方SDK腾讯P2P、七牛PCDN".
//! An enumeration gives rows when it is introduced as SDKs (an SDK word just before its
//! first item, or "等…SDK" just after its last) or when at least half of its items are
//! SDK names on their own (an SDK word after a proper name, or a known alias). Each item
//! is then one row with the sentence as its quote; items that are data types, companies,
//! categories or platforms are not, and a sentence that denies SDKs or an enumeration after
//! a guidance cue gives none. All words come from the structure vocabulary.
//!
//! ```text
//! 我们使用甲SDK、乙支付、丙SDK。   → 甲SDK, 乙支付, 丙SDK (two of three items say SDK)
//! 收集设备信息、位置信息。         → nothing
//! ```

use super::data::{sentence_end, sentence_start};
use super::normal::normalise_word;
use super::prose::{
    alias_covers, bare_chars, ends_with_word, name_start, platform_in_name, tidy_name,
};
use super::sdks::{clean, data_in, name_key, resolve, Covered};
use super::vocab::{Hits, PolicyVocabulary};
use super::{DeclaredSdk, PolicyDocument, SdkForm};
use std::collections::HashSet;
use std::ops::Range;

/// The item separator.
const SEPARATOR: char = '、';
/// Longest item (characters, brackets included).
const MAX_ITEM_CHARS: usize = 32;
/// Longest item outside its brackets (letters and digits).
const MAX_BARE_CHARS: usize = 24;
/// How far after the last item "等…SDK" may reach (characters).
const TRAILING_CUE_CHARS: usize = 12;

/// Characters that end an item (and the enumeration).
fn breaks(c: char) -> bool {
    matches!(
        c,
        '，' | ',' | '。' | '；' | ';' | '：' | ':' | '\n' | '!' | '?' | '“' | '”' | '"'
    )
}

/// End (normalised byte) of the last item, read forwards from `from`: at punctuation, at a
/// stop word, or just after an SDK word and the bracket that follows it.
fn item_end(vocab: &PolicyVocabulary, text: &str, from: usize) -> usize {
    let st = &vocab.structure;
    // Trimmed once when the vocabulary is built, not once per item, character and word.
    let stops = st.bare_name_stops();
    let sdk_words = st.bare_sdk_words();
    let mut i = from;
    let mut chars = 0usize;
    while let Some(c) = text.get(i..).and_then(|r| r.chars().next()) {
        if breaks(c) || c == SEPARATOR || chars > MAX_ITEM_CHARS {
            break;
        }
        let rest = text.get(i..).unwrap_or("");
        if c == '(' || c == '（' {
            let close = if c == '(' { ')' } else { '）' };
            match rest.find(close) {
                Some(at) if rest.get(..at).is_some_and(|b| b.chars().count() <= 20) => {
                    i += at + close.len_utf8();
                    chars += 1;
                    continue;
                }
                _ => break,
            }
        }
        if chars > 0 {
            let prev_latin = text
                .get(..i)
                .and_then(|b| b.chars().next_back())
                .is_some_and(|p| p.is_ascii_alphanumeric());
            // Only words with the first byte of `rest` can start here (a cheap test first).
            let head = rest.as_bytes().first();
            let starts = |w: &str| w.as_bytes().first().is_none_or(|b| Some(b) == head);
            let stop = stops.iter().any(|w| {
                starts(w)
                    && rest.starts_with(w.as_str())
                    && !(w.is_ascii()
                        && (prev_latin
                            || rest.get(w.len()..).is_some_and(|r| {
                                r.starts_with(|x: char| x.is_ascii_alphanumeric())
                            })))
                    && !vocab.inside_brand(text, i, w.len())
            });
            if stop {
                break;
            }
            if let Some(w) = sdk_words.iter().find(|w| {
                starts(w)
                    && rest.starts_with(w.as_str())
                    && !(w.is_ascii()
                        && rest
                            .get(w.len()..)
                            .is_some_and(|r| r.starts_with(|x: char| x.is_ascii_alphabetic())))
            }) {
                i += w.trim().len();
                // A bracket right after the SDK word belongs to the item ("SDK（Android端）").
                let after = text.get(i..).unwrap_or("");
                let spaced = after.len() - after.trim_start_matches(' ').len();
                let after = after.trim_start_matches(' ');
                for (open, close) in [('（', '）'), ('(', ')')] {
                    if let Some(inner) = after.strip_prefix(open) {
                        if let Some(at) = inner.find(close) {
                            if inner.get(..at).is_some_and(|b| b.chars().count() <= 20) {
                                i += spaced + open.len_utf8() + at + close.len_utf8();
                            }
                        }
                    }
                }
                break;
            }
        }
        i += c.len_utf8();
        chars += 1;
    }
    i
}

/// The items of the enumeration whose separators are `seps` (normalised byte offsets).
fn items(vocab: &PolicyVocabulary, text: &str, seps: &[usize]) -> Vec<Range<usize>> {
    let sep_len = SEPARATOR.len_utf8();
    let (Some(&first), Some(&last)) = (seps.first(), seps.last()) else {
        return Vec::new();
    };
    let mut out: Vec<Range<usize>> = Vec::new();
    out.push(name_start(vocab, text, first)..first);
    for pair in seps.windows(2) {
        if let [a, b] = pair {
            out.push(a + sep_len..*b);
        }
    }
    out.push(last + sep_len..item_end(vocab, text, last + sep_len));
    out.into_iter()
        .map(|r| {
            let s = text.get(r.clone()).unwrap_or("");
            let lead = s.len() - s.trim_start().len();
            let trail = s.len() - s.trim_end().len();
            r.start + lead..(r.end - trail).max(r.start + lead)
        })
        .collect()
}

/// Runs of separators that belong to one enumeration: no break character between them and
/// no item longer than [`MAX_ITEM_CHARS`].
fn enumerations(text: &str) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    for (at, _) in text.match_indices(SEPARATOR) {
        let joined = run.last().is_some_and(|&prev| {
            let between = text.get(prev + SEPARATOR.len_utf8()..at).unwrap_or("");
            between.chars().count() <= MAX_ITEM_CHARS && !between.contains(breaks)
        });
        if !joined && !run.is_empty() {
            out.push(std::mem::take(&mut run));
        }
        run.push(at);
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// How strongly an item is an SDK name on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// A proper name before an SDK word ("甲乙SDK"; not "软件开发工具包（SDK）").
    SdkWord,
    /// A known alias covers it ("个推推送", "支付宝" — also a brand, so weaker).
    Alias,
    /// Holds Latin letters or digits, as product names often do ("七牛PCDN").
    Latin,
    None,
}

fn evidence(vocab: &PolicyVocabulary, item: &str) -> Evidence {
    let st = &vocab.structure;
    let said_sdk = st.bare_sdk_words().iter().any(|w| {
        item.find(w.as_str()).is_some_and(|at| {
            let core = item.get(..at).unwrap_or("");
            let core = core.trim_end_matches(['（', '(', ' ']).trim();
            // "（SDK）" spells out the word before it; it names nothing.
            let in_brackets = item
                .get(..at)
                .unwrap_or("")
                .trim_end()
                .ends_with(['（', '(']);
            !in_brackets && bare_chars(core) >= 2 && !st.is_generic(core)
        })
    });
    if said_sdk {
        Evidence::SdkWord
    } else if alias_covers(vocab, item) {
        Evidence::Alias
    } else if item.chars().any(|c| c.is_ascii_alphanumeric()) {
        Evidence::Latin
    } else {
        Evidence::None
    }
}

/// Whether the text before the first item introduces SDKs: it ends with an SDK word, maybe
/// followed by a bracket, a colon or a stop word ("第三方SDK（包括", "以下SDK：").
fn introduced_before(vocab: &PolicyVocabulary, before: &str) -> bool {
    let st = &vocab.structure;
    let rest = before.trim_end_matches(['（', '(', '：', ':', ' ']);
    // One cue word may stand between ("SDK包括", "SDK如").
    let rest = st
        .name_stops()
        .iter()
        .find(|w| ends_with_word(rest, w))
        .map_or(rest, |w| {
            rest.get(..rest.len() - w.trim().len()).unwrap_or("")
        })
        .trim_end_matches(['（', '(', '：', ':', ' ']);
    st.sdk_words().iter().any(|w| ends_with_word(rest, w))
}

/// Whether the text after the last item calls the items SDKs ("等SDK", "等第三方SDK").
fn introduced_after(vocab: &PolicyVocabulary, after: &str) -> bool {
    let near: String = after.chars().take(TRAILING_CUE_CHARS).collect();
    let near = near.split(breaks).next().unwrap_or("");
    vocab.structure.has_sdk_word(near)
}

/// One enumeration in its sentence: the item ranges and the sentence bounds (normalised).
struct Enumeration<'t> {
    ranges: Vec<Range<usize>>,
    /// Normalised start and end of the sentence.
    sentence: Range<usize>,
    text: &'t str,
}

impl<'t> Enumeration<'t> {
    fn sentence_text(&self) -> &'t str {
        self.text.get(self.sentence.clone()).unwrap_or("")
    }
}

/// An enumeration that lists SDKs (see [`lists_sdks`]), before its items are checked against
/// the rows other readers found: it depends on the document alone, so it can be read while
/// the other readers run.
pub(super) struct Candidate<'t> {
    found: Enumeration<'t>,
    /// Every item is a row (otherwise only the items with some evidence).
    listed: bool,
    kinds: Vec<Evidence>,
}

/// The enumerations of the document that list SDKs.
pub(super) fn candidates<'t>(
    doc: &'t PolicyDocument,
    vocab: &PolicyVocabulary,
) -> Vec<Candidate<'t>> {
    let text = doc.normal.text.as_str();
    // Each enumeration is read on its own: in parallel, in text order.
    super::parallel::ordered_filter_map(&enumerations(text), |seps| {
        let ranges = items(vocab, text, seps);
        let (first, last) = (ranges.first()?, ranges.last()?);
        let sentence = sentence_start(text, first.start)..sentence_end(text, last.end);
        let found = Enumeration {
            ranges,
            sentence,
            text,
        };
        let (listed, kinds) = lists_sdks(vocab, &found)?;
        Some(Candidate {
            found,
            listed,
            kinds,
        })
    })
}

/// Rows for SDK names enumerated with `、` in running text: the items of `candidates` (from
/// [`candidates`] of the same document) outside `covered` whose names were not `seen`.
pub(super) fn enumerated_rows(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
    candidates: &[Candidate<'_>],
    covered: &Covered,
    seen: &mut HashSet<String>,
) -> Vec<DeclaredSdk> {
    let mut out = Vec::new();
    for Candidate {
        found,
        listed,
        kinds,
    } in candidates
    {
        let sentence_range = doc.original_range(found.sentence.clone());
        let row = |r: &Range<usize>, seen: &mut HashSet<String>| {
            let original = doc.original_range(r.clone());
            if covered.contains(&original) {
                return None;
            }
            let (name, raw) = item_name(doc, vocab, &original, seen)?;
            Some(DeclaredSdk {
                id: resolve(vocab, &name, found.sentence_text()),
                platform: platform_in_name(vocab, &raw),
                name,
                vendor: None,
                data: data_in(vocab, hits, std::slice::from_ref(&sentence_range)),
                purpose: None,
                form: SdkForm::Inline,
                text: doc.span(sentence_range.clone()),
                part_of: None,
            })
        };
        for (r, kind) in found.ranges.iter().zip(kinds) {
            if !listed && *kind == Evidence::None {
                continue;
            }
            out.extend(row(r, seen));
        }
    }
    out
}

/// Whether the enumeration lists SDKs: `Some((listed, evidence of each item))` when it does
/// (`listed`: every item is a row; otherwise only the items with some evidence), `None`
/// when its sentence denies SDKs, it follows a guidance cue, it spells out terms or too few
/// of its items look like SDK names.
fn lists_sdks(vocab: &PolicyVocabulary, found: &Enumeration<'_>) -> Option<(bool, Vec<Evidence>)> {
    let st = &vocab.structure;
    let text = found.text;
    let (first, last) = (found.ranges.first()?, found.ranges.last()?);
    let sentence = found.sentence_text();
    let before = text.get(found.sentence.start..first.start).unwrap_or("");
    let lead: String = {
        let skip = before.chars().count().saturating_sub(8);
        before.chars().skip(skip).collect()
    };
    if st.is_denial(sentence) || st.example_cue_in(&lead) || st.is_aside(before, sentence) {
        return None;
    }
    let names: Vec<&str> = found
        .ranges
        .iter()
        .map(|r| text.get(r.clone()).unwrap_or(""))
        .collect();
    // "软件开发工具包（SDK）、应用程序接口（API）" spells out terms; it lists nothing.
    if names.iter().any(|n| n.starts_with(['（', '('])) {
        return None;
    }
    let kinds: Vec<Evidence> = names
        .iter()
        .map(|n| evidence(vocab, &normalise_word(&tidy_name(vocab, n))))
        .collect();
    let count = |k: &[Evidence]| kinds.iter().filter(|e| k.contains(e)).count();
    let said_sdk = count(&[Evidence::SdkWord]);
    let named = count(&[Evidence::SdkWord, Evidence::Alias]);
    let namish = count(&[Evidence::SdkWord, Evidence::Alias, Evidence::Latin]);
    // Brands alone ("微信、支付宝") are login or payment channels as often as SDKs: at
    // least one item must say SDK. Items introduced as SDKs must look like names.
    // "如您使用小米、华为、OPPO手机，我们接入的手机厂商Push SDK…": brands that a category
    // word of the sentence completes into known SDKs. Each test is read only when the ones
    // before it fail (they are the costly ones).
    let listed = said_sdk >= 1 && named * 2 >= names.len()
        || st.has_sdk_word(sentence)
            && st.categories_in(sentence).next().is_some()
            && names
                .iter()
                .all(|n| resolve(vocab, &tidy_name(vocab, n), sentence).is_some());
    let introduced = || {
        introduced_before(vocab, before)
            || introduced_after(vocab, text.get(last.end..found.sentence.end).unwrap_or(""))
    };
    if !(listed || namish * 2 > names.len() && introduced()) {
        return None;
    }
    Some((listed, kinds))
}

/// The name of the item at original range `original` and its raw text, when it names an
/// SDK not yet seen: two to [`MAX_BARE_CHARS`] letters, not a data item, a generic word, a
/// company, a caption, another kind of thing or a platform.
fn item_name(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    original: &Range<usize>,
    seen: &mut HashSet<String>,
) -> Option<(String, String)> {
    let st = &vocab.structure;
    let raw = clean(doc, original)?;
    let name = tidy_name(vocab, &raw);
    let normal = normalise_word(&name);
    let bare = bare_chars(&normal);
    let core = st
        .bare_sdk_words()
        .iter()
        .find_map(|w| {
            normal
                .find(w.as_str())
                .map(|at| normal.get(..at).unwrap_or(""))
        })
        .unwrap_or(&normal)
        .trim();
    // Counted in characters: "收集imei号" is a data item, not a name, and so is
    // "oaid(替代imei)", whose data words together make half of it.
    let chars = |s: &str| s.chars().count();
    let typed: usize = vocab
        .type_hits_in(&normal)
        .iter()
        .map(|(_, h)| chars(normal.get(h.clone()).unwrap_or("")))
        .sum();
    let is_data = typed * 2 >= chars(&normal);
    if !(2..=MAX_BARE_CHARS).contains(&bare)
        || !normal.chars().any(char::is_alphabetic)
        || is_data
        || st.is_generic(core)
        || st.is_company(&name)
        || st.is_caption(&normal)
        || st.is_other_kind(&normal)
        || st.platform_of(&normal).is_some()
        || !seen.insert(name_key(&normal))
    {
        return None;
    }
    Some((name, raw))
}
