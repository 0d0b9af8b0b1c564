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
    // Trimmed once per item, not once per character and word.
    let stops: Vec<&str> = st.name_stops().iter().map(|w| w.trim()).collect();
    let sdk_words: Vec<&str> = st.sdk_words().iter().map(|w| w.trim()).collect();
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
            let stop = stops.iter().any(|&w| {
                starts(w)
                    && rest.starts_with(w)
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
            if let Some(w) = sdk_words.iter().find(|&&w| {
                starts(w)
                    && rest.starts_with(w)
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
    let said_sdk = st.sdk_words().iter().any(|w| {
        let w = w.trim();
        item.find(w).is_some_and(|at| {
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

/// Rows for SDK names enumerated with `、` in running text.
pub(super) fn enumerated_rows(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
    covered: &Covered,
    seen: &mut HashSet<String>,
) -> Vec<DeclaredSdk> {
    let st = &vocab.structure;
    let text = doc.normal.text.as_str();
    let mut out = Vec::new();
    for seps in enumerations(text) {
        let ranges = items(vocab, text, &seps);
        let (Some(first), Some(last)) = (ranges.first(), ranges.last()) else {
            continue;
        };
        let (s, e) = (
            sentence_start(text, first.start),
            sentence_end(text, last.end),
        );
        let sentence = text.get(s..e).unwrap_or("");
        let before = text.get(s..first.start).unwrap_or("");
        let lead: String = {
            let skip = before.chars().count().saturating_sub(8);
            before.chars().skip(skip).collect()
        };
        if st.is_denial(sentence) || st.example_cue_in(&lead) {
            continue;
        }
        let names: Vec<&str> = ranges
            .iter()
            .map(|r| text.get(r.clone()).unwrap_or(""))
            .collect();
        let kinds: Vec<Evidence> = names
            .iter()
            .map(|n| evidence(vocab, &normalise_word(&tidy_name(vocab, n))))
            .collect();
        let count = |k: &[Evidence]| kinds.iter().filter(|e| k.contains(e)).count();
        let said_sdk = count(&[Evidence::SdkWord]);
        let named = count(&[Evidence::SdkWord, Evidence::Alias]);
        let namish = count(&[Evidence::SdkWord, Evidence::Alias, Evidence::Latin]);
        // "软件开发工具包（SDK）、应用程序接口（API）" spells out terms; it lists nothing.
        if names.iter().any(|n| n.starts_with(['（', '('])) {
            continue;
        }
        let introduced = introduced_before(vocab, before)
            || introduced_after(vocab, text.get(last.end..e).unwrap_or(""));
        // Brands alone ("微信、支付宝") are login or payment channels as often as SDKs: at
        // least one item must say SDK. Items introduced as SDKs must look like names.
        let listed = said_sdk >= 1 && named * 2 >= names.len();
        // "如您使用小米、华为、OPPO手机，我们接入的手机厂商Push SDK…": brands that a category
        // word of the sentence completes into known SDKs.
        let by_category = st.has_sdk_word(sentence)
            && st.categories_in(sentence).next().is_some()
            && names
                .iter()
                .all(|n| resolve(vocab, &tidy_name(vocab, n), sentence).is_some());
        if !(listed || by_category || introduced && namish * 2 > names.len()) {
            continue;
        }
        let listed = listed || by_category;
        let sentence_range = doc.original_range(s..e);
        for (r, kind) in ranges.iter().zip(&kinds) {
            if !listed && *kind == Evidence::None {
                continue;
            }
            let original = doc.original_range(r.clone());
            let Some(raw) = clean(doc, &original) else {
                continue;
            };
            let name = tidy_name(vocab, &raw);
            let normal = normalise_word(&name);
            let bare = bare_chars(&normal);
            let core = st
                .sdk_words()
                .iter()
                .find_map(|w| {
                    normal
                        .find(w.trim())
                        .map(|at| normal.get(..at).unwrap_or(""))
                })
                .unwrap_or(&normal)
                .trim();
            // Counted in characters: "收集imei号" is a data item, not a name.
            let chars = |s: &str| s.chars().count();
            let is_data = vocab
                .type_hits_in(&normal)
                .iter()
                .any(|(_, h)| chars(normal.get(h.clone()).unwrap_or("")) * 2 >= chars(&normal));
            if !(2..=MAX_BARE_CHARS).contains(&bare)
                || !normal.chars().any(char::is_alphabetic)
                || is_data
                || st.is_generic(core)
                || st.is_company(&name)
                || st.is_caption(&normal)
                || st.is_other_kind(&normal)
                || st.platform_of(&normal).is_some()
                || covered.contains(&original)
                || !seen.insert(name_key(&normal))
            {
                continue;
            }
            out.push(DeclaredSdk {
                id: resolve(vocab, &name, sentence),
                platform: platform_in_name(vocab, &raw),
                name,
                vendor: None,
                data: data_in(vocab, hits, std::slice::from_ref(&sentence_range)),
                purpose: None,
                form: SdkForm::Inline,
                text: doc.span(sentence_range.clone()),
            });
        }
    }
    out
}
