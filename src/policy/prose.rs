//! SDK rows written outside labelled blocks and tables: list items whose head names an SDK
//! ("- **Firebase Crashlytics**: …", "（4）小米推送SDK。为了…", "3.1 “个推推送”：该SDK由…") and
//! names read backwards from an SDK word in running text ("可能会使用移动登录SDK、电信登录SDK",
//! "我们使用“高德定位”SDK"). One row per distinct name; the quote is the item or sentence.
//! Determiners and bare categories ("该SDK", "第三方SDK", "消息推送SDK"), link captions,
//! companies, guidance examples and sentences that deny SDKs give no row. All words come from
//! the structure vocabulary.

use super::data::{sentence_end, sentence_start};
use super::lang::list_markers::ListMarkers;
use super::lang::structure::Structure;
use super::normal::normalise_word;
use super::records::strip_numbering;
use super::sdks::{clean, data_in, name_key, resolve, Covered};
use super::vocab::{Hits, PolicyVocabulary};
use super::{BlockKind, DeclaredSdk, PolicyDocument, SdkForm};
use std::collections::HashSet;

mod heads;

/// Longest name (characters, SDK word excluded) read from running text.
const MAX_NAME_CHARS: usize = 24;

/// Longest paragraph (characters) read as a heading line that names a known SDK.
const MAX_NAME_LINE_CHARS: usize = 40;

/// The name without list numbering, bullets, quotes and a trailing bracket that only names a
/// platform or a company ("Google AdMob（Google LLC）", "小米PUSH（Android端）").
pub(super) fn tidy_name(vocab: &PolicyVocabulary, name: &str) -> String {
    let s = vocab.structure.strip_bullets(strip_numbering(name.trim()));
    let st = &vocab.structure;
    let unquoted: String = s.chars().filter(|&c| !st.is_quote_mark(c)).collect();
    let mut s = unquoted.trim();
    for (open, close) in [('（', '）'), ('(', ')')] {
        // The bracket that pairs with the last one: a company with a bracket of its own
        // ("（数字天堂（北京）网络技术有限公司）") is one bracket.
        if let Some(at) = super::sdks::last_bracket_open(s, open, close) {
            let inner = s
                .get(at + open.len_utf8()..s.len() - close.len_utf8())
                .unwrap_or("");
            let n = normalise_word(inner);
            let only_platform =
                !vocab.structure.platforms_in(&n).is_empty() && n.chars().count() <= 16;
            if (only_platform || vocab.structure.is_company(inner)) && at > 0 {
                s = s.get(..at).unwrap_or(s).trim_end();
            }
        }
    }
    s.to_string()
}

/// The one platform a name's brackets name ("丙丁推送SDK（仅Android）" → android).
pub(super) fn platform_in_name(vocab: &PolicyVocabulary, name: &str) -> Option<String> {
    let platforms = vocab.structure.platforms_in(&normalise_word(name));
    match platforms.as_slice() {
        [one] => Some((*one).to_string()),
        _ => None,
    }
}

/// Whether a known alias covers most of a normalised name, or of the name outside its
/// brackets ("dcloud uni-app(5+ app/wap2app)": the alias "dcloud uni-app" and a qualifier).
pub(super) fn alias_covers(vocab: &PolicyVocabulary, normal: &str) -> bool {
    let covers = |n: &str| {
        vocab
            .sdk_alias_len(n)
            .is_some_and(|len| len * 10 >= n.len() * 6)
    };
    covers(normal) || super::sdks::outside_brackets(normal).is_some_and(|bare| covers(&bare))
}

/// Whether a normalised list head is one SDK name: it ends with an SDK word and reading the
/// name backwards from it takes the whole head.
pub(super) fn whole_sdk_name(vocab: &PolicyVocabulary, normal: &str) -> bool {
    vocab.structure.bare_sdk_words().iter().any(|w| {
        normal.strip_suffix(w.as_str()).is_some_and(|head| {
            let head = head.trim_end();
            !head.is_empty() && name_start(vocab, normal, head.len()) == 0
        })
    })
}

/// What the prose readers read: the document, the vocabulary and its hits, and the ranges
/// that rows read before cover.
#[derive(Clone, Copy)]
pub(super) struct ProseInput<'a> {
    pub doc: &'a PolicyDocument,
    pub vocab: &'a PolicyVocabulary,
    pub hits: &'a Hits,
    pub covered: &'a Covered,
}

/// Names already given a row (by [`name_key`]).
pub(super) type Seen = HashSet<String>;

/// Rows from list items whose head names an SDK.
pub(super) fn list_item_rows(input: ProseInput<'_>, seen: &mut Seen) -> Vec<DeclaredSdk> {
    let (doc, vocab, hits, covered) = (input.doc, input.vocab, input.hits, input.covered);
    let st = &vocab.structure;
    let markers = ListMarkers::builtin().ok();
    let mut out = Vec::new();
    let blocks = doc.blocks();
    for (i, block) in blocks.iter().enumerate() {
        // A heading that is a known SDK's name opens that SDK's section ("### App Center").
        let heading = matches!(block.kind, BlockKind::Heading { .. });
        let item = doc.text.get(block.range.clone()).unwrap_or("");
        let first_line = item.split('\n').next().unwrap_or("");
        // A paragraph whose first line starts with list numbering ("1.2.1 “极光推送”：该SDK由…",
        // "（3）某某SDK：…", "① 某某SDK") is a list item that the reader saw as a paragraph.
        let numbered = matches!(block.kind, BlockKind::Paragraph)
            .then(|| markers.and_then(|m| m.item_body(first_line)))
            .flatten();
        // A paragraph that is one short line ("**Google Analytics for Firebase**" above the
        // prose about it) heads a section like a heading when it is a known SDK's name and
        // the paragraph after it names it again.
        let name_line = !heading
            && matches!(block.kind, BlockKind::Paragraph)
            && numbered.is_none()
            && !item.contains('\n')
            && item.chars().count() <= MAX_NAME_LINE_CHARS;
        let heading = heading || name_line;
        if !(heading || numbered.is_some() || matches!(block.kind, BlockKind::ListItem { .. }))
            || covered.contains(&block.range)
        {
            continue;
        }
        // The marker of a numbered paragraph is no part of its head (a suffix of the line).
        let line = first_line;
        let first_line = numbered.unwrap_or(first_line);
        let body = st.strip_bullets(strip_numbering(first_line));
        let body_start = block.range.start + (line.len() - body.len());
        let head_len = heads::head_end(st, body).unwrap_or(body.len());
        let head = body.get(..head_len).unwrap_or("");
        let name_owned = tidy_name(vocab, head);
        let name = name_owned.as_str();
        let normal = normalise_word(name);
        let rest = body.get(head_len..).unwrap_or("");
        // 3.1 “戊己统计”：该SDK由…提供 — a quoted head that the item then calls an SDK.
        let quoted_sdk = head.trim_start().starts_with(['“', '「', '"', '《'])
            && st.has_sdk_word(&normalise_word(&rest.chars().take(24).collect::<String>()));
        let chars = normal.chars().count();
        if !(2..=40).contains(&chars)
            || st.is_caption(&normal)
            || st.is_company(name)
            || st.classify_label(&normal).is_some()
        {
            continue;
        }
        // "3.6.1 华为" + "用途：用于向华为手机用户推送消息": a vendor alone, named as the SDK of
        // the category its item speaks of (华为推送), as a table row's vendor cell would be.
        let known = alias_covers(vocab, &normal) || heads::named_for_category(vocab, name, item);
        let whole = whole_sdk_name(vocab, &normal);
        // A heading that is one SDK name with field labels after it ("<h3>甲乙 SDK</h3><p>
        // 所属机构：…</p>" in a grid of sections) heads a record even when the name is unknown.
        let record_head = heading && whole && heads::labelled_after(doc, vocab, blocks.get(i + 1));
        if !(whole || known || quoted_sdk) || (heading && !known && !record_head) {
            continue;
        }
        if name_line && !heads::named_after(doc, blocks.get(i + 1), &normal) {
            continue;
        }
        let platform = platform_in_name(vocab, head);
        if !heads::first_of_platform(seen, &normal, platform.as_deref()) {
            continue;
        }
        let name_at = body_start + head.find(name).unwrap_or(0);
        let name_range = name_at..name_at + name.len();
        let rest = body.get(head_len..).unwrap_or("");
        let purpose = rest
            .trim_start_matches(|c: char| {
                c.is_whitespace()
                    || matches!(
                        c,
                        '-' | '–' | '—' | ':' | '：' | '；' | ';' | ',' | '，' | '。'
                    )
            })
            .trim();
        let context = normalise_word(item);
        let name_text = tidy_name(vocab, &clean(doc, &name_range).unwrap_or_default());
        out.push(DeclaredSdk {
            id: resolve(vocab, &name_text, &context),
            name: name_text,
            vendor: None,
            platform,
            data: data_in(vocab, hits, std::slice::from_ref(&block.range)),
            purpose: (!purpose.is_empty()).then(|| purpose.chars().take(300).collect()),
            form: SdkForm::Block,
            text: doc.span(block.range.clone()),
            part_of: None,
        });
    }
    out
}

/// Start (normalised byte) of the name that ends at `end`, read backwards.
pub(super) fn name_start(vocab: &PolicyVocabulary, text: &str, end: usize) -> usize {
    let st = &vocab.structure;
    let head = text.get(..end).unwrap_or("");
    let trimmed = head.trim_end_matches(' ');
    let mut i = trimmed.len();
    // A quoted name: “高德定位”SDK.
    if let Some(q) = trimmed.chars().next_back() {
        let open = match q {
            '”' => Some('“'),
            '」' => Some('「'),
            '》' => Some('《'),
            '』' => Some('『'),
            '"' => Some('"'),
            _ => None,
        };
        if let Some(open) = open {
            let inner = trimmed.get(..i - q.len_utf8()).unwrap_or("");
            if let Some(at) = inner.rfind(open) {
                return at + open.len_utf8();
            }
        }
    }
    let mut latin_words = 0usize;
    let mut chars = 0usize;
    let mut brand: Option<usize> = None;
    // Trimmed and grouped by last byte once when the vocabulary is built: this loop runs
    // for every character of every name read, and only words ending in the byte before it
    // can match.
    let sdk_words = st.sdk_word_ends();
    let stops = st.name_stop_ends();
    while i > 0 {
        let before = trimmed.get(..i).unwrap_or("");
        let next = trimmed.get(i..).and_then(|r| r.chars().next());
        let at_word_gap = next.is_none_or(|c| !c.is_ascii_alphanumeric());
        if chars > 0 && sdk_words.ending(before).any(|w| before.ends_with(w)) {
            break;
        }
        let stop = stops
            .ending(before)
            .find(|w| ends_with_bare_word(before, w) && (!w.is_ascii() || at_word_gap));
        if let Some(w) = stop {
            let len = w.len();
            // A stop inside a brand ("为" in "华为") does not end the name; the brand starts it.
            match vocab.brand_start(trimmed, i - len, len) {
                Some(b) => brand = brand.or(Some(b)),
                None => break,
            }
        }
        let Some(c) = before.chars().next_back() else {
            break;
        };
        if c == ')' || c == '）' {
            let open = if c == ')' { '(' } else { '（' };
            match before.get(..i - c.len_utf8()).and_then(|b| b.rfind(open)) {
                Some(at) if i - at <= 60 => {
                    i = at;
                    chars += 1;
                    continue;
                }
                _ => break,
            }
        }
        if c == ' ' {
            latin_words += 1;
            let prev = before.get(..i - 1).and_then(|b| b.chars().next_back());
            if latin_words >= 3 || !prev.is_some_and(|p| p.is_ascii_alphanumeric()) {
                break;
            }
        } else if !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '&')) {
            break;
        }
        i -= c.len_utf8();
        chars += 1;
        if chars > MAX_NAME_CHARS + 4 {
            break;
        }
    }
    let mut start = brand.map_or(i, |b| b.max(i));
    while let Some(r) = text.get(start..end) {
        if r.starts_with(' ') {
            start += 1;
        } else {
            break;
        }
    }
    start
}

/// `text` ends with `word`; a Latin word must be a whole word (a space or a non-Latin
/// character on both sides; `text` is followed by the name read so far).
pub(super) fn ends_with_word(text: &str, word: &str) -> bool {
    ends_with_bare_word(text, word.trim())
}

/// [`ends_with_word`] for a word without boundary spaces.
fn ends_with_bare_word(text: &str, w: &str) -> bool {
    if !text.ends_with(w) {
        return false;
    }
    if !w.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return true;
    }
    let head = text.get(..text.len() - w.len()).unwrap_or("");
    !head.ends_with(|c: char| c.is_ascii_alphanumeric())
}

/// A name written only in Latin letters is a proper name: each word before the SDK word
/// starts with a capital or a digit or holds a capital ("Sentry SDK", "TradPlus SDK"), not
/// "photo library" or "operator. Third-party SDK".
pub(super) fn proper_latin_name(name: &str, sdk_word: &str) -> bool {
    if !name.is_ascii() {
        return true;
    }
    let body = name
        .get(..name.len().saturating_sub(sdk_word.len()))
        .unwrap_or(name);
    let words: Vec<&str> = body.split_whitespace().collect();
    !words.is_empty()
        && words.iter().all(|w| {
            w.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit())
                || w.chars().any(|c| c.is_ascii_uppercase())
        })
        && !body.contains(". ")
}

/// Letters and digits of a name outside its brackets.
pub(super) fn bare_chars(name: &str) -> usize {
    let mut depth = 0i32;
    name.chars()
        .filter(|c| {
            match c {
                '(' | '（' => depth += 1,
                ')' | '）' => depth -= 1,
                _ => {}
            }
            depth == 0 && c.is_alphanumeric()
        })
        .count()
}

/// Whether original offset `at` is inside a link (`https://…/xieYiSDK.html`): the run of
/// non-space ASCII before it holds `://` or starts with `www.`.
fn in_link(text: &str, at: usize) -> bool {
    let head = text.get(..at).unwrap_or("");
    let run_start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_graphic())
        .last()
        .map_or(at, |(i, _)| i);
    let run = head.get(run_start..).unwrap_or("");
    run.contains("://") || run.starts_with("www.")
}

/// Where the document's text has a bare SDK word ("SDK", "开发工具包"), as (start, end) in
/// order; an ASCII word glued to following letters ("sdkversion") is not one.
fn sdk_word_spans(st: &Structure, text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for w in st.bare_sdk_words() {
        let w = w.as_str();
        for (at, _) in text.match_indices(w) {
            let after = text.get(at + w.len()..).and_then(|r| r.chars().next());
            if w.is_ascii() && after.is_some_and(|c| c.is_ascii_alphabetic()) {
                continue;
            }
            spans.push((at, at + w.len()));
        }
    }
    spans.sort_unstable();
    spans
}

/// "sdk" glued to a lower-case word or a package name ("tensdk", "roid-locsdk") is not an SDK
/// word; "BuglySDK" (capitals after a lower-case letter) is. `word` is the word's range in
/// the original text.
fn glued_sdk_word(original: &str, word: std::ops::Range<usize>) -> bool {
    let upper = original
        .get(word.clone())
        .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_uppercase()));
    original
        .get(..word.start)
        .and_then(|b| b.chars().next_back())
        .is_some_and(|p| {
            matches!(p, '-' | '_' | '.' | '/')
                || (p.is_ascii_alphanumeric() && !upper)
                || p.is_ascii_uppercase() && upper
        })
}

/// The last `n` characters of `text`.
fn last_chars(text: &str, n: usize) -> &str {
    let start = text
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    text.get(start..).unwrap_or(text)
}

/// Rows for names read backwards from SDK words in running text.
pub(super) fn named_in_prose(input: ProseInput<'_>, seen: &mut Seen) -> Vec<DeclaredSdk> {
    let (doc, vocab, hits, covered) = (input.doc, input.vocab, input.hits, input.covered);
    let st = &vocab.structure;
    let text = doc.normal.text.as_str();
    let mut out = Vec::new();
    for (word_start, word_end) in sdk_word_spans(st, text) {
        let start = name_start(vocab, text, word_start);
        let original = doc.original_range(start..word_end);
        // A name inside a row already read (every row of an SDK table) is skipped before
        // the costlier tests below; each of them only skips it too.
        if covered.contains(&original) {
            continue;
        }
        let core = text.get(start..word_start).unwrap_or("").trim();
        let core_chars = core.chars().count();
        if bare_chars(core) < 2
            || core_chars > MAX_NAME_CHARS
            || st.is_generic(core)
            || st.platform_of(core).is_some()
        {
            continue;
        }
        // "sdk" glued to a lower-case word or a package name ("tensdk", "roid-locsdk") is not
        // an SDK word; "BuglySDK" (capitals after a lower-case letter) is.
        let word_orig = doc.original_range(word_start..word_end);
        let glued = glued_sdk_word(&doc.text, word_orig.clone());
        let starts_label = st
            .find_labels(super::normal::snapped(text, word_start, word_start + 40))
            .next()
            .is_some_and(|(_, r)| r.start == 0);
        if glued || starts_label {
            continue;
        }
        if in_link(&doc.text, original.start) {
            continue;
        }
        let (s, e) = (sentence_start(text, start), sentence_end(text, word_end));
        let sentence = text.get(s..e).unwrap_or("");
        let lead = text.get(s..start).unwrap_or("");
        let tail = super::normal::snapped(text, word_end, word_end + 12);
        if st.is_denial(sentence)
            || st.is_aside(lead, sentence)
            || st.example_cue_in(last_chars(lead, 8))
            || st.is_caption(&format!("{core}{tail}"))
            || st.ends_no_name(tail)
        {
            continue;
        }
        let name_text = clean(doc, &original).unwrap_or_default();
        let name = tidy_name(vocab, &name_text);
        if !proper_latin_name(&name, doc.text.get(word_orig.clone()).unwrap_or("")) {
            continue;
        }
        let normal = normalise_word(&name);
        let sentence_range = doc.original_range(s..e);
        // "某某组件SDK（com.tencent.mm.opensdk）": a package name in brackets right after it.
        let package_id = bracket_after(doc.text.get(original.end..).unwrap_or(""))
            .and_then(|inner| vocab.sdk_id_for_package(inner))
            .map(crate::id::SdkId::from);
        let row = |name: String| DeclaredSdk {
            id: resolve(vocab, &name, sentence).or_else(|| package_id.clone()),
            name,
            vendor: None,
            platform: None,
            data: data_in(vocab, hits, std::slice::from_ref(&sentence_range)),
            purpose: None,
            form: SdkForm::Inline,
            text: doc.span(sentence_range.clone()),
            part_of: None,
        };
        for sibling in slash_siblings(doc, vocab, start, word_end) {
            if seen.insert(name_key(&normalise_word(&sibling))) {
                out.push(row(sibling));
            }
        }
        if st.is_company(&name) || !seen.insert(name_key(&normal)) {
            continue;
        }
        out.push(row(name));
    }
    out
}

/// Longest brand (characters) of a slash list.
const MAX_SIBLING_CHARS: usize = 8;

/// Names for the brands joined by `/` before a name whose brand is followed by a category
/// word ("华为/Oppo/小米/魅族Push SDK" → "华为Push SDK", "Oppo Push SDK", "小米Push SDK"):
/// each brand names the same product of its maker. `start..word_end` is the name read
/// (normalised offsets, "魅族push sdk").
fn slash_siblings(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    start: usize,
    word_end: usize,
) -> Vec<String> {
    let text = doc.normal.text.as_str();
    let core = text.get(start..word_end).unwrap_or("");
    let Some(suffix_at) = vocab
        .structure
        .category_words()
        .filter_map(|w| core.find(w.trim()).filter(|&at| at > 0))
        .min()
    else {
        return Vec::new();
    };
    let tail = clean(doc, &doc.original_range(start + suffix_at..word_end)).unwrap_or_default();
    let mut out = Vec::new();
    let mut end = start;
    while end > 0 && text.get(..end).is_some_and(|b| b.ends_with('/')) {
        let piece_end = end - 1;
        let head = text.get(..piece_end).unwrap_or("");
        let piece_start = head
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric())
            .last()
            .map_or(piece_end, |(i, _)| i);
        let chars = head.get(piece_start..).unwrap_or("").chars().count();
        if chars == 0 || chars > MAX_SIBLING_CHARS {
            break;
        }
        let brand = clean(doc, &doc.original_range(piece_start..piece_end)).unwrap_or_default();
        let glue = brand.ends_with(|c: char| c.is_ascii_alphanumeric())
            && tail.starts_with(|c: char| c.is_ascii_alphanumeric());
        out.push(format!("{brand}{}{tail}", if glue { " " } else { "" }));
        end = piece_start;
    }
    out.reverse();
    out
}

/// The text inside a bracket that follows a name directly (after its SDK word, if any).
fn bracket_after(after: &str) -> Option<&str> {
    let rest = after.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == ' ');
    let inner = rest.strip_prefix(['(', '（'])?;
    inner.split([')', '）']).next()
}
