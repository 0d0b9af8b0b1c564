//! Heads of list items and headings: where a head ends (outside brackets), whether a heading
//! has field labels after it or is named again below it, whether a vendor alone names the SDK
//! of its item's category, and the names already given a row.
//!
//! ```text
//! "DCloud uni-app (5+ App) (Digital Heaven (Beijing) Co., Ltd.): framework"
//!     → the head ends at ":" (the comma inside the brackets ends nothing)
//! "3.6.1 华为" + "用途：用于向华为手机用户推送消息"  → 华为 names huawei-push
//! ```

use super::super::lang::structure::Structure;
use super::super::normal::normalise_word;
use super::super::vocab::PolicyVocabulary;
use super::super::{Block, BlockKind, PolicyDocument};
use super::{name_key, resolve, Seen};

/// Longest head (characters) read as a vendor named for its item's category ("华为").
const MAX_BRAND_HEAD_CHARS: usize = 8;

/// Whether a head that is a vendor alone ("华为") names the SDK of the category its item
/// speaks of ("用于向华为手机用户推送消息" → 华为推送), as a table row's vendor cell would.
pub(super) fn named_for_category(vocab: &PolicyVocabulary, name: &str, item: &str) -> bool {
    name.chars().count() <= MAX_BRAND_HEAD_CHARS
        && resolve(vocab, name, "").is_none()
        && resolve(vocab, name, &normalise_word(item)).is_some()
}

/// Byte offset of the first head end of a list item's `body` outside brackets: the comma of
/// "(Digital Heaven (Beijing) Network Technology Co., Ltd.)" ends no head.
pub(super) fn head_end(st: &Structure, body: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in body.char_indices() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ if depth == 0 && i > 0 => {
                let rest = body.get(i..).unwrap_or("");
                if st.head_ends().iter().any(|e| rest.starts_with(e.as_str())) {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether `next` starts with a field label ("所属机构：", "Purpose:"): the fields of the
/// record its heading names.
pub(super) fn labelled_after(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    next: Option<&Block>,
) -> bool {
    next.and_then(|b| doc.text.get(b.range.clone()))
        .is_some_and(|t| {
            let n = normalise_word(super::super::normal::snapped(t, 0, 120));
            let first = vocab.structure.find_labels(&n).next();
            first.is_some_and(|(_, r)| r.start == 0)
        })
}

/// Records a name (normalised) as seen; whether it is new. "博睿SDK（安卓）" and "博睿SDK（iOS）"
/// are two rows: one per platform of a name.
pub(super) fn first_of_platform(seen: &mut Seen, normal: &str, platform: Option<&str>) -> bool {
    let key = name_key(normal);
    match platform {
        Some(p) => {
            let new = seen.insert(format!("{key}@{p}"));
            seen.insert(key);
            new
        }
        None => seen.insert(key),
    }
}

/// Whether `next` is a paragraph that names `normal` (a normalised name) again.
pub(super) fn named_after(doc: &PolicyDocument, next: Option<&Block>, normal: &str) -> bool {
    next.is_some_and(|b| {
        matches!(b.kind, BlockKind::Paragraph)
            && doc
                .text
                .get(b.range.clone())
                .is_some_and(|t| normalise_word(t).contains(normal))
    })
}
