//! SDKs named in running text: an alias hit in a sentence that speaks of an SDK is a row with
//! the data its sentence names; lines that are side fields of a record (a link, "由此SDK引入")
//! are not read as prose.
//!
//! ```text
//! 我们集成了友盟+ U-Share SDK，收集设备信息   → an inline row umeng-share, with its data
//! 隐私政策链接：https://…/xieYiSDK.html       → a side field, no row
//! ```

use super::text::{clean, Covered};
use crate::id::{SdkId, TaxonomyId};
use crate::policy::lang::structure::Field;
use crate::policy::records::strip_numbering;
use crate::policy::vocab::{Hits, PolicyVocabulary};
use crate::policy::{DeclaredSdk, PolicyDocument, SdkForm};
use std::collections::HashSet;
use std::ops::Range;

/// An SDK named in running text (`name`, `id`), with the data its sentence (an original
/// range) names and the sentence as its text.
pub(in crate::policy) fn inline_sdk(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
    name: String,
    id: Option<SdkId>,
    sentence: Range<usize>,
) -> DeclaredSdk {
    DeclaredSdk {
        name,
        id,
        vendor: None,
        platform: None,
        data: data_in(vocab, hits, std::slice::from_ref(&sentence)),
        purpose: None,
        form: SdkForm::Inline,
        text: doc.span(sentence),
        part_of: None,
    }
}

/// Taxonomy ids named inside original ranges, in order of appearance, without repeats.
pub(in crate::policy) fn data_in(
    vocab: &PolicyVocabulary,
    hits: &Hits,
    ranges: &[Range<usize>],
) -> Vec<TaxonomyId> {
    let mut out: Vec<TaxonomyId> = Vec::new();
    for r in ranges {
        // Hits are in text order: start at the first one inside `r`.
        let first = hits.types.partition_point(|h| h.original.start < r.start);
        for h in hits.types.get(first..).unwrap_or(&[]) {
            if h.original.start >= r.end {
                break;
            }
            if h.original.end <= r.end {
                if let Some(t) = vocab.types.get(h.index) {
                    if !out.contains(&t.id) {
                        out.push(t.id.clone());
                    }
                }
            }
        }
    }
    out
}

/// Original ranges of the lines that are record fields naming SDKs without declaring rows of
/// their own: a link ("隐私政策链接：…/xieYiSDK.html") or a note such as "由此SDK引入：" (the
/// SDKs a listed SDK brings with it belong to that row). Names in them are not prose rows.
pub(in crate::policy) fn side_field_lines(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
) -> Vec<Range<usize>> {
    let text = doc.normal.text.as_str();
    let mut out = Vec::new();
    let mut pos = 0usize;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let body = line.trim_start();
        let lead = strip_numbering(body);
        let label = vocab
            .structure
            .find_labels(crate::policy::normal::snapped(lead, 0, 48))
            .next();
        let side = label
            .is_some_and(|(field, r)| r.start == 0 && matches!(field, Field::Other | Field::Link));
        if side {
            out.push(doc.original_range(start..pos));
        }
    }
    out
}

/// Alias hits in prose that speak of an SDK ("集成友盟+ u-share sdk"); one per SDK id.
pub(in crate::policy) fn inline_mentions(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
    covered: &Covered,
    out: &mut Vec<DeclaredSdk>,
) {
    let mut ids: HashSet<SdkId> = out.iter().filter_map(|s| s.id.clone()).collect();
    let text = doc.normal.text.as_str();
    let near = |a: usize, b: usize| -> &str { crate::policy::normal::snapped(text, a, b) };
    for hit in &hits.sdks {
        if covered.contains(&hit.original) {
            continue;
        }
        let Some(info) = vocab.sdks.get(hit.index) else {
            continue;
        };
        if ids.contains(&info.id) {
            continue;
        }
        let st = &vocab.structure;
        let after = near(hit.normal.end, hit.normal.end + 16);
        let before = near(hit.normal.start.saturating_sub(48), hit.normal.start);
        let sdk_after = st
            .sdk_words()
            .iter()
            .find(|w| after.trim_start().starts_with(w.trim_start()));
        let alias = near(hit.normal.start, hit.normal.end);
        // "北京火山引擎科技有限公司": a vendor's alias inside its company's name is the company.
        if st.continues_into_company(near(hit.normal.end, hit.normal.end + 48)) {
            continue;
        }
        let sdk_context =
            st.has_sdk_word(alias) || sdk_after.is_some() || st.mentions_use(before, after);
        if !sdk_context || (sdk_after.is_none() && is_data_word(hits, &hit.normal)) {
            continue;
        }
        let s = crate::policy::data::sentence_start(text, hit.normal.start);
        let e = crate::policy::data::sentence_end(text, hit.normal.end);
        let lead = text.get(s..hit.normal.start).unwrap_or("");
        let lead_tail: String = {
            let skip = lead.chars().count().saturating_sub(12);
            lead.chars().skip(skip).collect()
        };
        let sentence = text.get(s..e).unwrap_or("");
        if st.is_denial(sentence) || st.is_aside(lead, sentence) || st.example_cue_in(&lead_tail) {
            continue;
        }
        let sentence = doc.original_range(s..e);
        let mut name_end = hit.normal.end;
        if let Some(w) = sdk_after {
            name_end = hit.normal.end + (after.len() - after.trim_start().len()) + w.trim().len();
        }
        let name_range = doc.original_range(hit.normal.start..name_end);
        ids.insert(info.id.clone());
        out.push(inline_sdk(
            doc,
            vocab,
            hits,
            clean(doc, &name_range).unwrap_or_default(),
            Some(info.id.clone()),
            sentence,
        ));
    }
}

/// Whether a data-type word covers the alias hit at `normal` (normalised range): "OAID" in
/// "…需要获取IMEI、OAID（替代IMEI）、SIM卡信息" is a data item, not the SDK whose alias it is
/// ("OAID SDK"); with an SDK word after it ("OAID SDK") the alias stays a mention.
fn is_data_word(hits: &Hits, normal: &Range<usize>) -> bool {
    // Type hits are in text order: only those starting at or before the alias can cover it,
    // and a data word is short, so a few before that point suffice.
    let upto = hits
        .types
        .partition_point(|t| t.normal.start <= normal.start);
    hits.types
        .get(upto.saturating_sub(4)..upto)
        .unwrap_or(&[])
        .iter()
        .any(|t| t.normal.start <= normal.start && t.normal.end >= normal.end)
}

/// Rows without an id whose own text names them in full: "（9）统一认证SDK：…我们使用了中国移动
/// 统一认证SDK" is the SDK whose alias in the row's text holds the row's name ("统一认证"). Only
/// when one SDK's aliases do, and never for a generic name ("推送SDK").
pub(in crate::policy) fn ids_from_own_text(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
    rows: &mut [DeclaredSdk],
) {
    let st = &vocab.structure;
    let text = doc.normal.text.as_str();
    for row in rows.iter_mut().filter(|r| r.id.is_none()) {
        let n = crate::policy::normal::normalise_word(&row.name);
        let bare = super::outside_brackets(&n).unwrap_or(n);
        let core = st
            .bare_sdk_words()
            .iter()
            .find_map(|w| bare.strip_suffix(w.as_str()))
            .unwrap_or(&bare)
            .trim();
        if core.chars().count() < 2 || st.is_generic(core) || st.is_company(core) {
            continue;
        }
        let first = hits
            .sdks
            .partition_point(|h| h.original.start < row.text.start);
        let mut found: Option<&SdkId> = None;
        let mut ambiguous = false;
        for h in hits.sdks.get(first..).unwrap_or(&[]) {
            if h.original.start >= row.text.end {
                break;
            }
            let alias = text.get(h.normal.clone()).unwrap_or("");
            if alias.len() <= core.len() || !alias.contains(core) {
                continue;
            }
            let Some(info) = vocab.sdks.get(h.index) else {
                continue;
            };
            match found {
                Some(id) if *id != info.id => ambiguous = true,
                _ => found = Some(&info.id),
            }
        }
        if !ambiguous {
            if let Some(id) = found {
                row.id = Some(id.clone());
            }
        }
    }
}
