//! Declared data types with their strength (exhaustive, enumerated, vague) and what a sentence
//! denies about them, and declared permissions. Negation is sentence-level and read with the
//! cues of the meaning vocabulary (`signatures/language/*/meaning.toml`): "我们不会收集您的通讯录"
//! / "we do **not** collect your contacts" deny collecting; an exception word after the cue
//! (除非 / unless) lifts it; "本APP不会存储您的位置" denies only keeping it. A data word that names
//! a product feature (a "通讯录" menu, a "Contacts" tab) declares nothing.

use super::clarity::clarity_of;
use super::lang::meaning::{Meaning, VerbKind};
use super::lang::structure::builtin_marks;
use super::sentences::Sentences;
use super::vocab::{Hit, Hits, PolicyVocabulary};
use super::{DeclaredData, DeclaredPermission, DenialKind, PolicyDocument, TextSpan};
use crate::id::TaxonomyId;
use std::collections::HashSet;
use std::ops::Range;

/// Whether the `.` at byte `at` of the normalised text ends an English sentence. Normalised
/// text drops the space after it ("sdks.we"), so a dot counts when a word of two or more
/// letters ends there and a letter, a space or the end follows, and it is not an abbreviation
/// ("e.g.", "i.e.") or a host name ("example.com", `[punctuation] host_endings`).
fn is_full_stop(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'.') {
        return false;
    }
    let letter = |i: Option<usize>| {
        i.and_then(|i| bytes.get(i))
            .is_some_and(|b| b.is_ascii_alphabetic())
    };
    let prev_word = letter(at.checked_sub(1)) && letter(at.checked_sub(2));
    let ends = match bytes.get(at + 1) {
        None | Some(b' ') | Some(b'*') | Some(b'"') | Some(b')') => true,
        Some(b) if b.is_ascii_alphabetic() => {
            let rest = bytes.get(at + 1..).unwrap_or(&[]);
            let len = rest
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            prev_word
                && !rest
                    .get(..len)
                    .is_some_and(|next| builtin_marks().is_host_ending(next))
        }
        Some(_) => !bytes.get(at + 1).is_some_and(|b| b.is_ascii_alphanumeric()),
    };
    // "com.tencent.mm.opensdk": a package name, not the end of a sentence (the costlier
    // test, read only for a dot that would end one).
    ends && !super::packages::inside_dotted_name(text, &(at..at + 1))
}

/// Start of the sentence holding byte `pos` of the normalised text.
pub(crate) fn sentence_start(text: &str, pos: usize) -> usize {
    let marks = builtin_marks();
    let head = text.get(..pos).unwrap_or("");
    let mut start = 0;
    for (i, c) in head.char_indices().rev() {
        let boundary = c == '\n' || marks.ends_sentence(c) || is_full_stop(text, i);
        if boundary {
            start = i + c.len_utf8();
            break;
        }
        if pos - i > 600 {
            start = i;
            break;
        }
    }
    start
}

/// End of the sentence holding byte `pos` of the normalised text.
pub(crate) fn sentence_end(text: &str, pos: usize) -> usize {
    let marks = builtin_marks();
    let tail = text.get(pos..).unwrap_or("");
    for (i, c) in tail.char_indices() {
        let boundary = c == '\n' || marks.ends_sentence(c) || is_full_stop(text, pos + i);
        if boundary || i > 600 {
            return pos + i;
        }
    }
    text.len()
}

/// What the sentence around the word at `start..end` of the sentence text denies about it:
/// a live negation cue before it (in its sentence, or in the lead-in of its list item), or
/// (keeping and sending only) one after it in the same sentence ("…仅在本地读取，不会上传" /
/// "IP (not stored)").
pub(super) fn denial_of(
    meaning: &Meaning,
    sentences: &Sentences,
    start: usize,
    end: usize,
) -> Option<DenialKind> {
    let text: &str = &sentences.text;
    let before = sentences.before(start);
    let e = sentence_end(text, end);
    let narrowed = meaning.narrows(text.get(end..e).unwrap_or(""));
    if let Some(kind) = meaning.live_negation(&before).filter(|_| !narrowed) {
        return denial_kind(kind);
    }
    if let Some(kind) = meaning.determiner_denial(&before, text.get(end..e).unwrap_or("")) {
        return denial_kind(kind);
    }
    let after = super::lang::meaning::strip_markup(text.get(end..e).unwrap_or(""));
    // "…仅在设备本地读取，不会上传": words between the data word and the cue ("only locally")
    // confirm rather than lift it.
    let (_, kind) = meaning.first_negation_cue(&after)?;
    match kind {
        VerbKind::Retain => Some(DenialKind::Retain),
        VerbKind::Transmit => Some(DenialKind::Transmit),
        _ => None,
    }
}

fn denial_kind(kind: VerbKind) -> Option<DenialKind> {
    match kind {
        VerbKind::Collect | VerbKind::Track => Some(DenialKind::Collect),
        VerbKind::Retain => Some(DenialKind::Retain),
        VerbKind::Transmit => Some(DenialKind::Transmit),
        VerbKind::Integrate => None,
    }
}

/// Whether the word at `start` of the sentence text is denied being collected.
pub(super) fn is_negated(meaning: &Meaning, sentences: &Sentences, start: usize) -> bool {
    matches!(
        meaning
            .live_negation(&sentences.before(start))
            .and_then(denial_kind),
        Some(DenialKind::Collect)
    )
}

/// Table rows of the document (original ranges from the first to the last cell of each row),
/// sorted by start: a data word inside one is quoted with its whole row.
fn table_rows(doc: &PolicyDocument) -> Vec<Range<usize>> {
    let mut rows: std::collections::HashMap<(usize, usize), Range<usize>> = Default::default();
    for cell in &doc.cells {
        rows.entry((cell.table, cell.row))
            .and_modify(|r| {
                r.start = r.start.min(cell.range.start);
                r.end = r.end.max(cell.range.end);
            })
            .or_insert_with(|| cell.range.clone());
    }
    let mut out: Vec<Range<usize>> = rows.into_values().collect();
    out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    out
}

/// The evidence of a declaration: the table row holding the word (the innermost that starts
/// last), or else its sentence in the sentence text — never the bare word.
fn declaration_span(
    doc: &PolicyDocument,
    rows: &[Range<usize>],
    text: &str,
    hit: &Hit,
) -> TextSpan {
    let at = rows.partition_point(|r| r.start <= hit.original.start);
    let row = rows
        .get(at.saturating_sub(8)..at)
        .unwrap_or(&[])
        .iter()
        .rev()
        .find(|r| hit.original.end <= r.end);
    match row {
        Some(r) => doc.span(r.clone()),
        None => {
            let s = sentence_start(text, hit.normal.start);
            let e = sentence_end(text, hit.normal.end).max(hit.normal.end);
            // The sentence with its stop ("…MAC地址。"), not the line break after it.
            let stop = text
                .get(e..)
                .and_then(|t| t.chars().next())
                .filter(|c| *c != '\n')
                .map_or(0, char::len_utf8);
            doc.span_normal(s..e + stop)
        }
    }
}

/// One entry per (type, denial, clarity), at its first occurrence. `types` are the data
/// words found in the sentence text.
pub(super) fn declared_data(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    sentences: &Sentences,
    types: &[Hit],
) -> Vec<DeclaredData> {
    let meaning = vocab.meaning();
    let text: &str = &sentences.text;
    let type_starts: Vec<usize> = types.iter().map(|h| h.normal.start).collect();
    let has_item = |r: Range<usize>| {
        let from = type_starts.partition_point(|&p| p < r.start);
        type_starts.get(from).is_some_and(|&p| p < r.end)
    };
    let clarity_at = |hit: &Hit, has_children| {
        clarity_of(meaning, text, hit.normal.clone(), has_children, has_item)
    };
    let rows = table_rows(doc);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    // Each hit is read on its own (in parallel, in text order); the first of each kind is kept.
    let read = super::parallel::ordered_map(types, |hit| {
        let info = vocab.types.get(hit.index)?;
        if meaning.is_feature_name(text, hit.normal.start, hit.normal.end) {
            return None;
        }
        let denial = denial_of(meaning, sentences, hit.normal.start, hit.normal.end);
        let conditional =
            denial.is_some() && meaning.denial_is_conditional(&sentences.before(hit.normal.start));
        Some((
            info,
            denial,
            clarity_at(hit, info.has_children),
            conditional,
        ))
    });
    for (hit, found) in types.iter().zip(read) {
        let Some((info, denial, clarity, conditional)) = found else {
            continue;
        };
        if !seen.insert((hit.index, denial, clarity, conditional)) {
            continue;
        }
        out.push(DeclaredData {
            data_type: info.id.clone(),
            clarity,
            negated: denial == Some(DenialKind::Collect),
            denial,
            conditional,
            text: declaration_span(doc, &rows, text, hit),
        });
    }
    for (hit, denial, sentence) in referred_denials(meaning, sentences, types) {
        let Some(info) = vocab.types.get(hit.index) else {
            continue;
        };
        let clarity = clarity_at(hit, info.has_children);
        if !seen.insert((hit.index, Some(denial), clarity, false)) {
            continue;
        }
        out.push(DeclaredData {
            data_type: info.id.clone(),
            clarity,
            negated: false,
            denial: Some(denial),
            conditional: false,
            text: doc.span_normal(sentence),
        });
    }
    out
}

/// Keeping and sending denials that name no data of their own ("这些文件仅存储在本地，不会上传",
/// "We do not sell it", "- 存储方式：不会上传"): they deny it for the data words of the text
/// they refer back to ([`Sentences::referent`]). Each comes with the denying sentence.
/// Collecting is never denied this way: a denial of collection needs its data named.
fn referred_denials<'h>(
    meaning: &Meaning,
    sentences: &Sentences,
    types: &'h [Hit],
) -> Vec<(&'h Hit, DenialKind, Range<usize>)> {
    let text: &str = &sentences.text;
    let words_in = |r: &Range<usize>| {
        let from = types.partition_point(|h| h.normal.start < r.start);
        let to = types.partition_point(|h| h.normal.start < r.end);
        types.get(from..to).unwrap_or(&[])
    };
    let mut out = Vec::new();
    let mut last_sentence = usize::MAX;
    for (cue, kind) in meaning.negation_cues(text) {
        let denial = match kind {
            VerbKind::Retain => DenialKind::Retain,
            VerbKind::Transmit => DenialKind::Transmit,
            _ => continue,
        };
        let start = sentence_start(text, cue.start);
        let end = sentence_end(text, cue.end).max(cue.end);
        if start == last_sentence {
            continue;
        }
        last_sentence = start;
        let sentence = start..end;
        let after = text.get(cue.end..end).unwrap_or("");
        if !words_in(&sentence).is_empty()
            || meaning.has_exception(after)
            || meaning
                .conditions
                .is_match(text.get(sentence.clone()).unwrap_or(""))
        {
            continue;
        }
        let Some(referent) = sentences.referent(start) else {
            continue;
        };
        for hit in words_in(&referent) {
            if meaning.is_feature_name(text, hit.normal.start, hit.normal.end)
                || is_negated(meaning, sentences, hit.normal.start)
            {
                continue;
            }
            out.push((hit, denial, sentence.clone()));
        }
    }
    out
}

/// A permission word counts when its clause also speaks of a permission.
fn in_permission_context(meaning: &Meaning, text: &str, start: usize, end: usize) -> bool {
    let s = sentence_start(text, start);
    let e = sentence_end(text, end);
    let lo = s.max(start.saturating_sub(120));
    let hi = e.min(end + 60);
    meaning.is_permission_context(super::normal::snapped(text, lo, hi))
}

/// One entry per (group, negated), at its first occurrence in a permission context.
pub(super) fn declared_permissions(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    sentences: &Sentences,
    hits: &Hits,
) -> Vec<DeclaredPermission> {
    let meaning = vocab.meaning();
    let text: &str = &sentences.text;
    let mut seen: HashSet<(usize, bool)> = HashSet::new();
    let mut rows: Option<Vec<Range<usize>>> = None;
    let mut out = Vec::new();
    for hit in &hits.permissions {
        if !in_permission_context(meaning, text, hit.normal.start, hit.normal.end) {
            continue;
        }
        let negated = is_negated(meaning, sentences, hit.normal.start);
        if !seen.insert((hit.index, negated)) {
            continue;
        }
        let Some(group) = meaning.permission_groups.get(hit.index) else {
            continue;
        };
        let name = doc.span(hit.original.clone()).quote;
        let rows = rows.get_or_insert_with(|| table_rows(doc));
        out.push(DeclaredPermission {
            name,
            group: group.group.clone(),
            data: group
                .data
                .iter()
                .map(|s| TaxonomyId::from(s.as_str()))
                .collect(),
            negated,
            text: declaration_span(doc, rows, text, hit),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `word` (its first occurrence) is denied being collected in sentence `text`.
    fn negated_at(m: &Meaning, text: &str, word: &str) -> bool {
        is_negated(m, &Sentences::of_text(text), text.find(word).unwrap_or(0))
    }

    #[test]
    fn negation_scope() {
        let m = Meaning::builtin().expect("builtin meaning");
        let t = "我们不会收集您的通讯录,也不会读取短信。我们会收集imei";
        assert!(negated_at(&m, t, "通讯录"));
        assert!(negated_at(&m, t, "短信"));
        assert!(!negated_at(&m, t, "imei"));
        let e = "we do not collect your contacts unless you allow it, and we collect gps";
        assert!(negated_at(&m, e, "contacts"));
        assert!(!negated_at(&m, e, "gps"));
        let md = "we do **not** collect your calendar or messages.";
        assert!(negated_at(&m, md, "calendar"));
    }

    #[test]
    fn keeping_and_sending_denials() {
        let m = Meaning::builtin().expect("builtin meaning");
        let t = "其中sim卡运营商名称仅在设备本地读取,不会上传至服务器";
        let at = t.find("运营商").unwrap_or(0);
        assert_eq!(
            denial_of(&m, &Sentences::of_text(t), at, at + "运营商".len()),
            Some(DenialKind::Transmit)
        );
        let e = "ip address (not stored)";
        assert_eq!(
            denial_of(&m, &Sentences::of_text(e), 0, 2),
            Some(DenialKind::Retain)
        );
    }
}
