//! Products named in running text with no SDK word, link or list ("We use
//! TelemetryDeck to understand which features people use", "We collect anonymized usage
//! statistics using PostHog (posthog.eu)"): a capitalised name right after a
//! `[prose_names] before` cue is a row when its sentence says it collects or analyses
//! (`[prose_names] purposes`) or a bracketed domain follows the name. A known alias keeps its
//! id; an unknown name is kept with `id: null` so the auditor sees it. Names that are a
//! platform, a company form, another kind of thing ("… API") or start with a
//! `[prose_names] not_names` word are no rows, and neither are names in a sentence that
//! denies SDKs or gives examples.
//!
//! ```
//! use disclose::policy::{extract, read_policy_bytes, PolicyVocabulary};
//! let set = disclose::signatures::SignatureSet::builtin().unwrap();
//! let specs: Vec<_> = set.sdks.iter().map(|s| s.spec.clone()).collect();
//! let vocab = PolicyVocabulary::with_structure(set.taxonomy.types(), &specs, &set.structure).unwrap();
//! let doc = read_policy_bytes("p.md", b"We use Wombat Insights to collect anonymous usage data.").unwrap();
//! let found = extract(&doc, &vocab);
//! assert!(found.sdks.iter().any(|s| s.name == "Wombat Insights" && s.id.is_none()));
//! ```

use super::lang::structure::Structure;
use super::sdks::{inline_sdk, name_key, Covered};
use super::vocab::{Hits, PolicyVocabulary};
use super::{DeclaredSdk, PolicyDocument};
use crate::id::SdkId;
use std::collections::HashSet;
use std::ops::Range;

/// Markup that may stand between a cue and the name it introduces (`**`, `[`, `_`).
const NAME_MARKUP: [char; 4] = ['*', '[', '_', '`'];

/// Rows for products named after a `[prose_names]` cue in English prose, outside `covered`,
/// for names not yet `seen` and ids not yet `known`.
pub(super) fn prose_name_rows(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
    covered: &Covered,
    seen: &mut HashSet<String>,
    prior: &[DeclaredSdk],
) -> Vec<DeclaredSdk> {
    let known: HashSet<&SdkId> = prior.iter().filter_map(|s| s.id.as_ref()).collect();
    let text = doc.normal.text.as_str();
    let st = &vocab.structure;
    let mut out = Vec::new();
    for cue in st.prose_name_cues().iter().map(|c| c.trim()) {
        if cue.is_empty() {
            continue;
        }
        // A Latin cue needs word boundaries; a Chinese one ("分析平台") is glued to its text.
        let latin_start = cue.starts_with(|c: char| c.is_ascii_alphanumeric());
        let latin_end = cue.ends_with(|c: char| c.is_ascii_alphanumeric());
        for (at, _) in text.match_indices(cue) {
            let end = at + cue.len();
            let glued = text.get(..at).and_then(|t| t.chars().next_back());
            let next = text.get(end..).and_then(|t| t.chars().next());
            if (latin_start && glued.is_some_and(char::is_alphanumeric))
                || (latin_end && next.is_some_and(char::is_alphanumeric))
            {
                continue;
            }
            let cue_end = doc.original_range(at..end).end;
            let Some(name) = capitalised_name(&vocab.structure, doc.text.as_str(), cue_end) else {
                continue;
            };
            let Some(written) = doc.text.get(name.clone()).map(str::to_string) else {
                continue;
            };
            let normal = super::normal::normalise_word(&written);
            let first = normal.split(' ').next().unwrap_or("");
            if st.is_not_name(first)
                || !st.platforms_in(&normal).is_empty()
                || st.is_company(&written)
                || st.is_other_kind(&normal)
                || covered.contains(&name)
            {
                continue;
            }
            let s = super::data::sentence_start(text, at);
            let e = super::data::sentence_end(text, end);
            let sentence = text.get(s..e).unwrap_or("");
            let lead = text.get(s..at).unwrap_or("");
            // The purpose is read outside the cue ("分析平台" names no purpose of its own).
            let uncued = format!("{lead} {}", text.get(end..e).unwrap_or(""));
            let domain = doc.text.get(name.end..).is_some_and(domain_follows);
            if st.is_denial(sentence)
                || st.example_cue_in(lead)
                || !(domain || st.names_purpose(&uncued))
            {
                continue;
            }
            let id = vocab.sdk_id_for(&normal).map(SdkId::from);
            let sentence = doc.original_range(s..e);
            // "uses Wombat analytics (https://…)": a row read the longer name already.
            let key = name_key(&normal);
            let within = |r: &DeclaredSdk| {
                r.text.start < sentence.end
                    && sentence.start < r.text.end
                    && name_key(&super::normal::normalise_word(&r.name)).contains(&key)
            };
            if id.as_ref().is_some_and(|i| known.contains(i))
                || prior.iter().any(within)
                || !seen.insert(key)
            {
                continue;
            }
            out.push(inline_sdk(doc, vocab, hits, written, id, sentence));
        }
    }
    out
}

/// The range of one to three capitalised words starting after `from` (blanks and markup
/// such as `**` or `[` skipped), or `None`. A word is ASCII letters, digits, `-` and `+`
/// starting with a capital ("TelemetryDeck", "PostHog"); a possessive ("Apple's") names
/// something of that company, not a product: `None`.
fn capitalised_name(st: &Structure, text: &str, from: usize) -> Option<Range<usize>> {
    let rest = text.get(from..)?;
    let skipped = rest.trim_start_matches(|c: char| c == ' ' || NAME_MARKUP.contains(&c));
    let start = from + (rest.len() - skipped.len());
    let end = super::brands::capitalised_words_end(text, start)?;
    let possessive = text.get(end..).is_some_and(|t| st.starts_possessive(t));
    (end > start && !possessive).then_some(start..end)
}

/// Whether a bracketed domain follows a name: `(sentry.io)`, `([posthog.com](https://…))`.
fn domain_follows(after: &str) -> bool {
    let Some(inner) = after.trim_start_matches(NAME_MARKUP).strip_prefix(" (") else {
        return false;
    };
    let inner = inner.trim_start_matches('[');
    let len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .unwrap_or(inner.len());
    let host = inner.get(..len).unwrap_or("");
    let closed = inner.get(len..).is_some_and(|t| t.starts_with([')', ']']));
    let tld = host.rsplit('.').next().unwrap_or("");
    closed && host.contains('.') && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::{capitalised_name, domain_follows, Structure};

    #[test]
    fn names_and_domains() {
        let t = "using **PostHog** (posthog.eu) and Apple's Maps";
        let st = Structure::builtin().unwrap();
        let r = capitalised_name(&st, t, 5).unwrap();
        assert_eq!(&t[r], "PostHog");
        assert!(capitalised_name(&st, t, t.find("Apple").unwrap()).is_none());
        assert!(domain_follows(" (posthog.eu). This"));
        assert!(domain_follows(" ([sentry.io](https://sentry.io))"));
        assert!(!domain_follows(" (see below)"));
        assert!(!domain_follows(" (v1.2)"));
    }
}
