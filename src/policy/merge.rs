//! Several documents, one declared side: a policy, its separate SDK-list page and its
//! appendices are read into one [`PolicyDeclarations`]. Every quote keeps its file; a
//! reference to a separate SDK list or to an appendix is no longer missing when another of
//! the documents holds it.
//!
//! ```
//! use disclose::policy::{extract_all, read_policy_bytes, PolicyVocabulary, WarningKind};
//! let vocab = PolicyVocabulary::new(&[], &[]).unwrap();
//! let policy = read_policy_bytes("policy.txt", "隐私政策\n我们接入的第三方SDK详见《第三方SDK清单》。".as_bytes()).unwrap();
//! let alone = extract_all(std::slice::from_ref(&policy), &vocab);
//! assert!(alone.warnings.iter().any(|w| w.kind == WarningKind::MissingSdkList));
//! ```

use super::{extract, PolicyDeclarations, PolicyDocument, SdkForm, TextSpan, WarningKind};
use super::{normalise_word, PolicyVocabulary};

/// Extracts every document and merges the declarations. With one document this is
/// [`extract`]; with several, every [`TextSpan`] names its file.
pub fn extract_all(docs: &[PolicyDocument], vocab: &PolicyVocabulary) -> PolicyDeclarations {
    let mut parts: Vec<PolicyDeclarations> = docs.iter().map(|d| extract(d, vocab)).collect();
    if parts.len() == 1 {
        return parts.pop().unwrap_or_default();
    }
    let listed: Vec<bool> = parts
        .iter()
        .map(|p| p.sdks.iter().any(|s| s.form != SdkForm::Inline))
        .collect();
    let mut out = PolicyDeclarations::default();
    for (i, (doc, mut part)) in docs.iter().zip(parts).enumerate() {
        let other_lists = listed.iter().enumerate().any(|(j, &l)| j != i && l);
        part.warnings.retain(|w| match w.kind {
            WarningKind::MissingSdkList => !other_lists,
            WarningKind::MissingAppendix => !w
                .text
                .as_ref()
                .is_some_and(|t| appendix_given(docs, vocab, i, &t.quote, other_lists)),
            _ => true,
        });
        let name = Some(doc.name.clone());
        let tag = |t: &mut TextSpan| t.file = name.clone();
        part.sdks.iter_mut().for_each(|x| tag(&mut x.text));
        part.data.iter_mut().for_each(|x| tag(&mut x.text));
        part.permissions.iter_mut().for_each(|x| tag(&mut x.text));
        part.statements.iter_mut().for_each(|x| tag(&mut x.text));
        part.warnings
            .iter_mut()
            .filter_map(|w| w.text.as_mut())
            .for_each(tag);
        out.sdks.extend(part.sdks);
        out.data.extend(part.data);
        out.permissions.extend(part.permissions);
        out.statements.extend(part.statements);
        out.warnings.extend(part.warnings);
    }
    out
}

/// Whether another document is the appendix quoted by a `missing-appendix` warning of
/// document `me`: its opening names the appendix, or the appendix is about SDKs and another
/// document lists SDKs.
fn appendix_given(
    docs: &[PolicyDocument],
    vocab: &PolicyVocabulary,
    me: usize,
    quote: &str,
    other_lists: bool,
) -> bool {
    let name = normalise_word(quote);
    let key: String = name.chars().take(6).collect();
    let names_it = docs.iter().enumerate().any(|(j, d)| {
        j != me && {
            let head = super::normal::snapped(&d.normal.text, 0, 400);
            !key.trim().is_empty() && head.contains(key.trim())
        }
    });
    names_it
        || (other_lists
            && (vocab.structure.has_sdk_word(&name) || vocab.meaning().names_third_party(&name)))
}
