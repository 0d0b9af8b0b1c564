//! An SDK named only in passing inside another row's text — a component ("其中集成的阿里utdid2
//! SDK" inside the "微信、支付宝SDK" item), vendor channels inside a push row, a second name
//! ("百度公开云SDK" inside the "百度智能云SDK" item) — is kept, linked to that row by
//! `part_of`: the policy names it (so `scan` treats it as disclosed), but it is not a row of
//! the SDK list of its own. Names in the head of a list item ("社交金融SDK、移动经理SDK：…")
//! are the item's own rows, never parts.
//!
//! ```text
//! 5. 微信、支付宝SDK：…我们使用了微信、支付宝SDK，…其中集成的阿里utdid2 SDK，需获取…
//!    → 微信, 支付宝SDK (the item's head), 阿里utdid2 SDK (part_of "微信、支付宝SDK")
//! ```

use super::super::blocks::BlockKind;
use super::super::lang::list_markers::ListMarkers;
use super::super::normal::normalise_word;
use super::super::records::strip_numbering;
use super::super::vocab::PolicyVocabulary;
use super::super::{DeclaredSdk, PolicyDocument, SdkForm};

/// A row that may hold components: its text's range, file, name and where its name ends.
struct Parent {
    start: usize,
    end: usize,
    file: Option<String>,
    name: String,
    name_end: usize,
}

/// Links the SDKs named after the head of a list item (or numbered paragraph) to the rows its
/// head names: to that row's name when the head names one, else to the head as written.
pub(in crate::policy) fn link_item_parts(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    rows: &mut [DeclaredSdk],
) {
    let Ok(markers) = ListMarkers::builtin() else {
        return;
    };
    let at: Vec<usize> = rows
        .iter()
        .map(|r| name_at(doc, r.text.start, r.text.end, &r.name).map_or(usize::MAX, |n| n.0))
        .collect();
    for block in doc.blocks() {
        let item = doc.text.get(block.range.clone()).unwrap_or("");
        let first_line = item.split('\n').next().unwrap_or("");
        let body = match block.kind {
            BlockKind::ListItem { .. } => Some(first_line),
            BlockKind::Paragraph => markers.item_body(first_line),
            _ => None,
        };
        let Some(body) = body.map(|b| vocab.structure.strip_bullets(strip_numbering(b))) else {
            continue;
        };
        let body_start = block.range.start + (first_line.len() - body.len());
        let Some(head_len) = vocab
            .structure
            .head_ends()
            .iter()
            .filter_map(|e| body.find(e.as_str()))
            .filter(|&p| p > 0)
            .min()
        else {
            continue;
        };
        let head = body_start..body_start + head_len;
        let in_head: Vec<usize> = (0..rows.len()).filter(|&i| head.contains(&at[i])).collect();
        let head_text = body.get(..head_len).unwrap_or("");
        let only_names = names_only(head_text, in_head.iter().map(|&i| rows[i].name.as_str()));
        // "1.4.3 鉴于本APP集成了某公司的慧推SDK，慧推SDK集成了…的pushSDK": a sentence head that
        // integrates one SDK; what the item names after it are that SDK's parts, except an SDK
        // the app itself is said to integrate ("…同时集成了乙SDK").
        // (The row of that SDK may have been read from an earlier item: it is found by name.)
        // Only a head with a `[mentions] before` word can integrate a name: test that first,
        // as `one_named` looks for every row's name in the head.
        let sentence_parent = (!only_names && has_mention_cue(vocab, head_text))
            .then(|| one_named(head_text, rows))
            .flatten()
            .filter(|name| integrates(vocab, head_text, name));
        let parent = match (in_head.as_slice(), sentence_parent) {
            (_, Some(name)) => name,
            _ if !only_names => continue,
            ([], _) => continue,
            ([one], _) => rows[*one].name.clone(),
            _ => super::super::prose::tidy_name(vocab, body.get(..head_len).unwrap_or("")),
        };
        let sentence_parent = !only_names;
        let after = head.end..block.range.end;
        for (i, row) in rows.iter_mut().enumerate() {
            let own = sentence_parent
                && doc
                    .text
                    .get(after.start..at[i].max(after.start))
                    .is_some_and(|lead| integrated_by_other(vocab, lead, &parent));
            if after.contains(&at[i]) && row.part_of.is_none() && !in_head.contains(&i) && !own {
                row.part_of = Some(parent.clone());
            }
        }
    }
}

/// Sets `part_of` on every inline mention that stands inside the text of a row of another
/// form (a block, table row or list item) after a clause break that follows the row's name
/// — not in the enumeration the row's name heads ("社交金融SDK、移动经理SDK：…") — naming the
/// innermost such row.
pub(in crate::policy) fn link_components(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    rows: &mut [DeclaredSdk],
) {
    let parents: Vec<Parent> = rows
        .iter()
        .filter(|r| r.form != SdkForm::Inline)
        .map(|r| Parent {
            start: r.text.start,
            end: r.text.end,
            file: r.text.file.clone(),
            name: r.name.clone(),
            name_end: name_at(doc, r.text.start, r.text.end, &r.name).map_or(r.text.start, |n| n.1),
        })
        .collect();
    if parents.is_empty() {
        return;
    }
    for row in rows
        .iter_mut()
        .filter(|r| r.form == SdkForm::Inline && r.part_of.is_none())
    {
        let t = &row.text;
        let at = name_at(doc, t.start, t.end, &row.name).map_or(t.start, |n| n.0);
        let inner = parents
            .iter()
            .filter(|p| {
                p.start <= t.start && t.end <= p.end && p.file == t.file && p.name != row.name
            })
            .filter(|p| {
                let between = doc.text.get(p.name_end..at).unwrap_or("");
                p.name_end <= at
                    && normalise_word(between)
                        .chars()
                        .any(|c| vocab.structure.is_clause_break(c))
            })
            .min_by_key(|p| p.end - p.start);
        if let Some(p) = inner {
            row.part_of = Some(p.name.clone());
        }
    }
}

/// The one row name `head` holds (names inside a longer one counted once), if exactly one.
fn one_named(head: &str, rows: &[DeclaredSdk]) -> Option<String> {
    let mut names: Vec<&str> = rows
        .iter()
        .map(|r| r.name.as_str())
        .filter(|n| !n.is_empty() && head.contains(n))
        .collect();
    names.sort_unstable();
    names.dedup();
    let longest: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| !names.iter().any(|m| m != n && m.contains(n)))
        .collect();
    match longest.as_slice() {
        [one] => Some((*one).to_string()),
        _ => None,
    }
}

/// Whether `head` holds a `[mentions] before` word anywhere (what [`integrates`] needs before
/// the name).
fn has_mention_cue(vocab: &PolicyVocabulary, head: &str) -> bool {
    let head = normalise_word(head);
    vocab
        .structure
        .mention_cues()
        .iter()
        .any(|c| head.contains(c.trim()))
}

/// Whether a sentence head says the app integrates `name`: a `[mentions] before` word (集成,
/// 接入 …) stands before the name, and the head ends with it (maybe with a bracket after).
fn integrates(vocab: &PolicyVocabulary, head: &str, name: &str) -> bool {
    let Some(at) = head.rfind(name) else {
        return false;
    };
    let tail = normalise_word(head.get(at + name.len()..).unwrap_or(""));
    let ends_there =
        tail.is_empty() || tail.starts_with(['(', '（']) && tail.ends_with([')', '）']);
    let before = normalise_word(head.get(..at).unwrap_or(""));
    ends_there
        && vocab
            .structure
            .mention_cues()
            .iter()
            .any(|c| before.contains(c.trim()))
}

/// Whether the last clause of `lead` (the item's text before a later SDK name) integrates it
/// on its own: a `[mentions] before` word in it that does not follow the parent's name
/// ("同时集成了乙SDK", not "慧推SDK集成了华为…的pushSDK").
fn integrated_by_other(vocab: &PolicyVocabulary, lead: &str, parent: &str) -> bool {
    let st = &vocab.structure;
    let n = normalise_word(lead);
    let clause = n
        .rfind(|c: char| st.is_clause_break(c))
        .map_or(n.as_str(), |i| n.get(i..).unwrap_or(""));
    let parent = normalise_word(parent);
    st.mention_cues().iter().any(|c| {
        let c = c.trim();
        clause.match_indices(c).any(|(i, _)| {
            !clause
                .get(..i)
                .unwrap_or("")
                .trim_end()
                .ends_with(parent.as_str())
        })
    })
}

/// Whether the head of an item is only the names of its rows ("微信、支付宝SDK", "页面统计SDK
/// （js组件）"), not a sentence that names them ("本应用集成了甲乙推送SDK"): no letter is left
/// outside brackets once the names are taken out.
fn names_only<'n>(head: &str, names: impl Iterator<Item = &'n str>) -> bool {
    let mut rest = head.to_string();
    let mut any = false;
    for name in names {
        any |= rest.contains(name);
        rest = rest.replacen(name, " ", 1);
    }
    let rest = normalise_word(&rest);
    let mut depth = 0usize;
    let letter_outside = rest.chars().any(|c| match c {
        '(' | '[' => {
            depth += 1;
            false
        }
        ')' | ']' => {
            depth = depth.saturating_sub(1);
            false
        }
        _ => depth == 0 && c.is_alphanumeric(),
    });
    any && !letter_outside
}

/// The range of the first place `name` is written between `start` and `end`.
fn name_at(doc: &PolicyDocument, start: usize, end: usize, name: &str) -> Option<(usize, usize)> {
    let i = doc.text.get(start..end)?.find(name)?;
    Some((start + i, start + i + name.len()))
}
