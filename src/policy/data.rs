//! Declared data types (clear or vague) and declared permissions, each with a sentence-level
//! negation scope: "我们不会收集您的通讯录" / "we do not collect your contacts" declare *not*
//! collecting; a 除非 / unless / except clause after the cue lifts the negation again.

use super::vocab::{Hits, PolicyVocabulary, PERMISSION_GROUPS};
use super::{Clarity, DeclaredData, DeclaredPermission, PolicyDocument};
use regex::Regex;
use std::collections::HashSet;
use std::sync::OnceLock;

fn negation_cue() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?:不会|不|并不|绝不|从不|不再|无需|未|没有)(?:会|主动|再|以任何方式|私自|擅自|向您)*",
            r"(?:收集|获取|读取|访问|调用|采集|索取|要求您提供|追踪|跟踪)",
            r"|\b(?:do|does|did|will|shall|would|should|may|can)\s*(?:not|n't)\s+(?:\w+\s+){0,2}?",
            r"(?:collect|access|obtain|gather|track|read|request|ask for|record|retrieve)",
            r"|\b(?:won't|don't|doesn't|never)\s+(?:\w+\s+){0,2}?(?:collect|access|obtain|gather|track|read|request|record|retrieve)",
        ))
        .expect("constant regex compiles")
    })
}

fn exception_cue() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"除非|除外|但|如果|unless|except|but|however").expect("constant regex compiles")
    })
}

/// Start of the sentence holding byte `pos` of the normalised text.
pub(super) fn sentence_start(text: &str, pos: usize) -> usize {
    let head = text.get(..pos).unwrap_or("");
    let mut start = 0;
    for (i, c) in head.char_indices().rev() {
        let boundary = matches!(c, '。' | '!' | '?' | ';' | '\n')
            || (c == '.' && head.get(i + 1..).is_some_and(|r| r.starts_with(' ')));
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
pub(super) fn sentence_end(text: &str, pos: usize) -> usize {
    let tail = text.get(pos..).unwrap_or("");
    for (i, c) in tail.char_indices() {
        let boundary = matches!(c, '。' | '!' | '?' | ';' | '\n')
            || (c == '.' && tail.get(i + 1..).is_none_or(|r| r.starts_with(' ')));
        if boundary || i > 600 {
            return pos + i;
        }
    }
    text.len()
}

/// Whether the word at `start` of the normalised text is in a negated scope.
pub(super) fn is_negated(text: &str, start: usize) -> bool {
    let s = sentence_start(text, start);
    let Some(before) = text.get(s..start) else {
        return false;
    };
    let Some(cue) = negation_cue().find_iter(before).last() else {
        return false;
    };
    let after_cue = before.get(cue.end()..).unwrap_or("");
    !exception_cue().is_match(after_cue)
}

/// One entry per (type, negated), at its first occurrence.
pub(super) fn declared_data(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
) -> Vec<DeclaredData> {
    let text = doc.normal.text.as_str();
    let mut seen: HashSet<(usize, bool)> = HashSet::new();
    let mut out = Vec::new();
    for hit in &hits.types {
        let negated = is_negated(text, hit.normal.start);
        if !seen.insert((hit.index, negated)) {
            continue;
        }
        let Some(info) = vocab.types.get(hit.index) else {
            continue;
        };
        out.push(DeclaredData {
            data_type: info.id.clone(),
            clarity: if info.has_children {
                Clarity::Vague
            } else {
                Clarity::Clear
            },
            negated,
            text: doc.span(hit.original.clone()),
        });
    }
    out
}

/// A permission word counts when its clause also speaks of a permission.
fn in_permission_context(text: &str, start: usize, end: usize) -> bool {
    let s = sentence_start(text, start);
    let e = sentence_end(text, end);
    let lo = s.max(start.saturating_sub(120));
    let hi = e.min(end + 60);
    let window = |a: usize, b: usize| super::normal::snapped(text, a, b);
    let w = window(lo, hi);
    w.contains("权限")
        || w.contains("permission")
        || w.contains("授权访问")
        || w.contains("access to your")
}

/// One entry per (group, negated), at its first occurrence in a permission context.
pub(super) fn declared_permissions(
    doc: &PolicyDocument,
    _vocab: &PolicyVocabulary,
    hits: &Hits,
) -> Vec<DeclaredPermission> {
    let text = doc.normal.text.as_str();
    let mut seen: HashSet<(usize, bool)> = HashSet::new();
    let mut out = Vec::new();
    for hit in &hits.permissions {
        if !in_permission_context(text, hit.normal.start, hit.normal.end) {
            continue;
        }
        let negated = is_negated(text, hit.normal.start);
        if !seen.insert((hit.index, negated)) {
            continue;
        }
        let Some(group) = PERMISSION_GROUPS.get(hit.index) else {
            continue;
        };
        let span = doc.span(hit.original.clone());
        out.push(DeclaredPermission {
            name: span.quote.clone(),
            group: group.group.to_string(),
            data: group.data.iter().map(|s| s.to_string()).collect(),
            negated,
            text: span,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negation_scope() {
        let t = "我们不会收集您的通讯录,也不会读取短信。我们会收集imei";
        assert!(is_negated(t, t.find("通讯录").unwrap_or(0)));
        assert!(is_negated(t, t.find("短信").unwrap_or(0)));
        assert!(!is_negated(t, t.find("imei").unwrap_or(0)));
        let e = "we do not collect your contacts unless you allow it, and we collect gps";
        assert!(is_negated(e, e.find("contacts").unwrap_or(0)));
        assert!(!is_negated(e, e.find("gps").unwrap_or(0)));
    }
}
