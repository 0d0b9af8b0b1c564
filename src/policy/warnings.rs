//! Warnings about the policy itself: empty, not a privacy policy, an appendix or separate SDK
//! list that the text refers to but does not contain (one warning per appendix, however many
//! language versions of the policy the file holds).

use super::lang::meaning::Meaning;
use super::{PolicyDeclarations, PolicyDocument, PolicyWarning};
use serde::Serialize;
use std::collections::BTreeMap;

/// What a warning is about; serialised as the kebab-case strings of `disclose.policy/1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    /// An appendix the text refers to is not in it.
    MissingAppendix,
    /// A separate SDK list the text refers to ("详见《第三方SDK清单》") was not given.
    MissingSdkList,
    /// The text never speaks of privacy or personal information.
    NotAPolicy,
    /// The file has no text.
    Empty,
    /// Bytes were replaced while decoding, or HTML was nested too deep to read fully.
    Decoding,
}

impl WarningKind {
    /// Every kind, so that a consumer can prove it maps each one.
    pub const ALL: [WarningKind; 5] = [
        WarningKind::MissingAppendix,
        WarningKind::MissingSdkList,
        WarningKind::NotAPolicy,
        WarningKind::Empty,
        WarningKind::Decoding,
    ];

    /// The kebab-case code, as in JSON.
    pub fn code(self) -> &'static str {
        match self {
            WarningKind::MissingAppendix => "missing-appendix",
            WarningKind::MissingSdkList => "missing-sdk-list",
            WarningKind::NotAPolicy => "not-a-policy",
            WarningKind::Empty => "empty",
            WarningKind::Decoding => "decoding",
        }
    }
}

impl std::fmt::Display for WarningKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A short line naming a privacy policy: the title of the next language version.
fn is_policy_title(meaning: &Meaning, line: &str) -> bool {
    let l = line.trim();
    l.chars().count() <= 40 && meaning.is_policy_title(l) && !l.contains(':')
}

/// An appendix body shorter than this (normalised bytes) does not hold the list it names.
const MIN_APPENDIX_BODY: usize = 1200;

/// Appendix number → its first mention (start, end) in the normalised text.
type AppendixMentions = BTreeMap<u32, (usize, usize)>;
/// An appendix heading: number, start, end of the heading line.
type AppendixHeading = (u32, usize, usize);

/// The appendices `text` refers to, by number (first mention: start, end), and its appendix
/// headings (an appendix name at a line start: number, start, end of the heading line).
fn appendix_references(text: &str, meaning: &Meaning) -> (AppendixMentions, Vec<AppendixHeading>) {
    let mut refs: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    let mut headings: Vec<(u32, usize, usize)> = Vec::new(); // (number, start, end of heading line)
    for caps in meaning.appendix_names().captures_iter(text) {
        let (Some(all), Some(num)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let n = meaning.numeral(num.as_str());
        if n == 0 {
            continue;
        }
        refs.entry(n).or_insert((all.start(), all.end()));
        let line_start = text
            .get(..all.start())
            .and_then(|h| h.rfind('\n'))
            .map(|p| p + 1)
            .unwrap_or(0);
        if text
            .get(line_start..all.start())
            .is_some_and(|p| p.trim().is_empty())
        {
            let line_end = text
                .get(all.end()..)
                .and_then(|t| t.find('\n'))
                .map(|p| all.end() + p)
                .unwrap_or(text.len());
            headings.push((n, all.start(), line_end));
        }
    }
    (refs, headings)
}

pub(super) fn warnings(
    doc: &PolicyDocument,
    found: &PolicyDeclarations,
    meaning: &Meaning,
) -> Vec<PolicyWarning> {
    let mut out: Vec<PolicyWarning> = doc
        .notes
        .iter()
        .map(|n| PolicyWarning {
            kind: WarningKind::Decoding,
            message: n.clone(),
            text: None,
        })
        .collect();
    let text = doc.normal.text.as_str();
    if text.trim().is_empty() {
        out.push(PolicyWarning {
            kind: WarningKind::Empty,
            message: format!("{}: the policy has no text", doc.name),
            text: None,
        });
        return out;
    }
    if !meaning.speaks_of_privacy(text) {
        out.push(PolicyWarning {
            kind: WarningKind::NotAPolicy,
            message: format!("{}: the text never speaks of privacy or personal information; it does not look like a privacy policy", doc.name),
            text: None,
        });
        return out;
    }
    let (refs, headings) = appendix_references(text, meaning);
    for (&n, &(rs, re)) in &refs {
        let mine: Vec<&(u32, usize, usize)> = headings.iter().filter(|h| h.0 == n).collect();
        let present = mine.iter().any(|&&(_, start, line_end)| {
            let next = headings
                .iter()
                .map(|h| h.1)
                .filter(|&s| s > start)
                .min()
                .unwrap_or(text.len());
            let mut end = next;
            let mut pos = line_end;
            while pos < next {
                let le = text
                    .get(pos + 1..)
                    .and_then(|t| t.find('\n'))
                    .map(|p| pos + 1 + p)
                    .unwrap_or(text.len());
                if is_policy_title(meaning, text.get(pos..le.min(next)).unwrap_or("")) {
                    end = pos;
                    break;
                }
                pos = le;
            }
            let body_start = line_end.min(end);
            let body_orig = doc.original_range(body_start..end);
            let body_len = end.saturating_sub(body_start);
            let has_rows = found
                .sdks
                .iter()
                .any(|s| s.text.start >= body_orig.start && s.text.end <= body_orig.end);
            body_len >= MIN_APPENDIX_BODY || has_rows
        });
        if present {
            continue;
        }
        let (s, e) = mine.first().map(|h| (h.1, h.2)).unwrap_or((rs, re));
        let span = doc.span_normal(s..e);
        out.push(PolicyWarning {
            kind: WarningKind::MissingAppendix,
            message: format!(
                "appendix {n} (\"{}\") is referred to but its content is not in the text",
                span.quote.chars().take(60).collect::<String>()
            ),
            text: Some(span),
        });
    }
    if found.sdks.iter().all(|s| s.form == super::SdkForm::Inline)
        && !out.iter().any(|w| w.kind == WarningKind::MissingAppendix)
    {
        if let Some(m) = meaning.sdk_list_reference(text) {
            let span = doc.span_normal(m);
            out.push(PolicyWarning {
                kind: WarningKind::MissingSdkList,
                message: format!(
                    "the policy refers to a separate third-party SDK list (\"{}\") that is not in the text; give that document too (--policy again)",
                    span.quote.chars().take(60).collect::<String>()
                ),
                text: Some(span),
            });
        }
    }
    out
}
