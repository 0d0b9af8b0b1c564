//! Text of a row's name: cleaned of spaces and stray punctuation, without the field labels
//! read into it, the part outside its brackets, the key compared for duplicates; and the set
//! of original ranges already taken by rows.
//!
//! ```text
//! "个推SDK(华为推送、魅族推送)"      → outside its brackets: "个推SDK"
//! "第三方SDK名称：appic"            → without its label: "appic"
//! "某某SDK 用途：广告服务"           → without the next field's label: "某某SDK"
//! ```

use crate::policy::vocab::PolicyVocabulary;
use crate::policy::PolicyDocument;
use std::ops::Range;

/// The name outside its brackets ("个推SDK(华为推送、魅族推送)" → "个推SDK"), or `None` when it
/// has no bracket or nothing outside them.
pub(in crate::policy) fn outside_brackets(name: &str) -> Option<String> {
    let mut depth = 0i32;
    let mut out = String::new();
    for c in name.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = (depth - 1).max(0),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let out = out.trim().to_string();
    (out.len() < name.trim().len() && out.chars().any(char::is_alphanumeric)).then_some(out)
}

/// Byte offset of the bracket that opens the one `s` ends with, nested brackets of the same
/// kind counted: "甲（5+ App）（数字天堂（北京）网络技术有限公司）" → the "（" before "数字天堂", not
/// the one before "北京". `None` when `s` does not end with `close` or the brackets do not pair.
pub(in crate::policy) fn last_bracket_open(s: &str, open: char, close: char) -> Option<usize> {
    if !s.ends_with(close) {
        return None;
    }
    let mut depth = 0usize;
    for (i, c) in s.char_indices().rev() {
        if c == close {
            depth += 1;
        } else if c == open {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// Whether a label at normalised range `label` starts a field: in the original text it follows
/// a line start, a space, punctuation or numbering; or it is glued to the value before it but
/// shows its own start (a capital after a lower-case letter, "…permissionsPurpose:"), or it is a
/// long CJK label (4+ characters; short ones such as 功能 / 服务 are common inside sentences).
pub(in crate::policy) fn field_start(
    doc: &PolicyDocument,
    text: &str,
    label: Range<usize>,
) -> bool {
    let start = doc.original_range(label.start..label.start + 1).start;
    let before = doc.text.get(..start).unwrap_or("");
    let Some(prev) = before.chars().next_back() else {
        return true;
    };
    if !prev.is_alphabetic() {
        return true;
    }
    let first = doc.text.get(start..).and_then(|t| t.chars().next());
    match first {
        Some(f) if f.is_ascii_alphabetic() => f.is_ascii_uppercase() && prev.is_lowercase(),
        _ => {
            let word = text.get(label).unwrap_or("");
            word.trim_end_matches([':', ' ']).chars().count() >= 4
        }
    }
}

pub(in crate::policy) fn clean(doc: &PolicyDocument, r: &Range<usize>) -> Option<String> {
    let raw = doc.text.get(r.clone())?;
    // Markdown emphasis published as text ("**Alipay** **（支付宝）** ** SDK**" in an HTML
    // page) is no part of a name or a value.
    let raw = if raw.contains("**") {
        std::borrow::Cow::Owned(raw.replace("**", " "))
    } else {
        std::borrow::Cow::Borrowed(raw)
    };
    let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let s =
        // "七鱼**": Markdown bold left in text read as plain text.
        s.trim_matches(|c: char| {
            c.is_whitespace() || matches!(c, '；' | ';' | '，' | ',' | '。' | '*')
        });
    if s.is_empty() {
        return None;
    }
    let clipped: String = s.chars().take(300).collect();
    Some(clipped)
}

/// Ranges already taken by a row, indexed for "is this range inside one of them" in
/// O(log n): sorted by start, with the largest end seen so far.
pub(in crate::policy) struct Covered {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl Covered {
    pub(in crate::policy) fn new(ranges: &[Range<usize>]) -> Self {
        let mut sorted: Vec<&Range<usize>> = ranges.iter().collect();
        sorted.sort_by_key(|r| r.start);
        let mut max = 0usize;
        let mut max_end = Vec::with_capacity(sorted.len());
        for r in &sorted {
            max = max.max(r.end);
            max_end.push(max);
        }
        Covered {
            starts: sorted.iter().map(|r| r.start).collect(),
            max_end,
        }
    }

    /// Whether `r` lies inside one of the ranges.
    pub(in crate::policy) fn contains(&self, r: &Range<usize>) -> bool {
        let n = self.starts.partition_point(|&s| s <= r.start);
        n > 0 && self.max_end.get(n - 1).is_some_and(|&e| e >= r.end)
    }
}

/// A name as compared for duplicates: lower case, letters and digits only, SDK word removed.
pub(in crate::policy) fn name_key(normal: &str) -> String {
    normal
        .replace("sdk", "")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The name without a field label read into it: the record's own label before it
/// ("第三方SDK名称：appic" → "appic") or the next field's label after it on the same line
/// ("某某SDK 用途：广告服务" → "某某SDK"). A name that is only a label stays as it is.
pub(in crate::policy) fn without_labels(vocab: &PolicyVocabulary, name: &str) -> String {
    let st = &vocab.structure;
    let colon = |s: &str| s.find([':', '：']);
    let mut s = name.trim();
    if let Some(p) = colon(s) {
        let head = s.get(..p).unwrap_or("");
        let rest = s
            .get(p..)
            .unwrap_or("")
            .trim_start_matches([':', '：'])
            .trim();
        if !rest.is_empty()
            && st
                .classify_label(&crate::policy::normal::normalise_word(head))
                .is_some()
        {
            s = rest;
        }
    }
    if let Some(p) = colon(s) {
        let head = s.get(..p).unwrap_or("");
        let cut = head
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map(|(i, c)| i + c.len_utf8());
        if let Some(cut) = cut {
            let label = crate::policy::normal::normalise_word(head.get(cut..).unwrap_or(""));
            let kept = head.get(..cut).unwrap_or("").trim_end();
            if !kept.is_empty() && st.classify_label(&label).is_some() {
                s = kept;
            }
        }
    }
    s.to_string()
}
