//! Declared SDKs: labelled blocks, table rows (HTML, Markdown, flattened into lines) and inline
//! mentions in prose; each with its platform section, the data types in its row, vendor,
//! purpose and the SDK id its name resolves to.

use super::delimited::{headerless_rows, line_tables, vertical_tables};
use super::lang::structure::Field;
use super::records::{find_records, strip_numbering};
pub(super) use super::resolve::resolve;
use super::resolve::resolve_lazy;
use super::tables::{cell_rows, flattened_rows, Row};
use super::vocab::{Hits, PolicyVocabulary};
use super::{DeclaredSdk, PolicyDocument, SdkForm};
use crate::id::{SdkId, TaxonomyId};
use std::collections::HashSet;
use std::ops::Range;

/// Platform markers: (original offset, "android" | "ios").
fn platform_markers(doc: &PolicyDocument, vocab: &PolicyVocabulary) -> Vec<(usize, String)> {
    vocab
        .structure
        .platform_markers(&doc.normal.text)
        .into_iter()
        .map(|(r, id)| (doc.original_range(r).start, id.to_string()))
        .collect()
}

fn platform_at(markers: &[(usize, String)], offset: usize) -> Option<String> {
    markers
        .iter()
        .take_while(|(p, _)| *p <= offset)
        .last()
        .map(|(_, p)| p.clone())
}

/// An SDK named in running text (`name`, `id`), with the data its sentence (an original
/// range) names and the sentence as its text.
pub(super) fn inline_sdk(
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
    }
}

/// Taxonomy ids named inside original ranges, in order of appearance, without repeats.
pub(super) fn data_in(
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

/// The name outside its brackets ("个推SDK(华为推送、魅族推送)" → "个推SDK"), or `None` when it
/// has no bracket or nothing outside them.
pub(super) fn outside_brackets(name: &str) -> Option<String> {
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

/// Whether a label at normalised range `label` starts a field: in the original text it follows
/// a line start, a space, punctuation or numbering; or it is glued to the value before it but
/// shows its own start (a capital after a lower-case letter, "…permissionsPurpose:"), or it is a
/// long CJK label (4+ characters; short ones such as 功能 / 服务 are common inside sentences).
fn field_start(doc: &PolicyDocument, text: &str, label: Range<usize>) -> bool {
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

pub(super) fn clean(doc: &PolicyDocument, r: &Range<usize>) -> Option<String> {
    let s = doc
        .text
        .get(r.clone())?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
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
pub(super) struct Covered {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl Covered {
    pub(super) fn new(ranges: &[Range<usize>]) -> Self {
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
    pub(super) fn contains(&self, r: &Range<usize>) -> bool {
        let n = self.starts.partition_point(|&s| s <= r.start);
        n > 0 && self.max_end.get(n - 1).is_some_and(|&e| e >= r.end)
    }
}

/// A name as compared for duplicates: lower case, letters and digits only, SDK word removed.
pub(super) fn name_key(normal: &str) -> String {
    normal
        .replace("sdk", "")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

pub(super) fn extract(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
) -> Vec<DeclaredSdk> {
    // Enumerations that list SDKs depend on the document alone: read on another core while
    // the blocks and tables are (the rows are the same as read one after the other).
    let (enumerated, rows) = rayon::join(
        || super::enumerations::candidates(doc, vocab),
        || block_and_table_rows(doc, vocab, hits),
    );
    prose_rows(doc, vocab, hits, &enumerated, rows)
}

/// SDK rows of labelled blocks and of tables, with the original ranges they cover.
fn block_and_table_rows(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
) -> (Vec<DeclaredSdk>, Vec<Range<usize>>) {
    let markers = platform_markers(doc, vocab);
    let text = doc.normal.text.as_str();
    let is_sdk_line =
        |line: &str| vocab.structure.has_sdk_word(line) || vocab.sdk_id_for(line).is_some();
    let mut out: Vec<DeclaredSdk> = Vec::new();
    let mut covered: Vec<Range<usize>> = Vec::new();

    let at_field_start = |label: Range<usize>| field_start(doc, text, label);
    let mut last_record: Option<String> = None;
    for rec in find_records(text, &vocab.structure, &at_field_start, &is_sdk_line) {
        let name = doc.original_range(rec.name.clone());
        let extent = doc.original_range(rec.extent());
        let data_ranges: Vec<Range<usize>> = match rec.value(Field::Data) {
            Some(d) => vec![doc.original_range(d)],
            None => vec![extent.clone()],
        };
        let vendor = rec.value(Field::Vendor).map(|r| doc.original_range(r));
        let purpose = rec.value(Field::Purpose).map(|r| doc.original_range(r));
        let raw_name = clean(doc, &name).unwrap_or_default();
        let name_text = without_labels(vocab, &raw_name);
        // A company before `标签：值` lines inside a table cell is the row's vendor cell, and
        // the same name written as a heading and again after its label is one SDK.
        let key = name_key(&super::normal::normalise_word(&name_text));
        if is_company_name(vocab, &name_text) || last_record.as_deref() == Some(&key) {
            continue;
        }
        last_record = Some(key);
        let context = text.get(rec.extent()).unwrap_or("");
        out.push(DeclaredSdk {
            id: resolve(vocab, &name_text, context).or_else(|| resolve(vocab, &raw_name, context)),
            name: name_text,
            vendor: vendor.and_then(|r| clean(doc, &r)),
            platform: platform_at(&markers, name.start),
            data: data_in(vocab, hits, &data_ranges),
            purpose: purpose.and_then(|r| clean(doc, &r)),
            form: SdkForm::Block,
            text: doc.span(extent.clone()),
        });
        covered.push(extent);
    }

    let mut rows: Vec<Row> = cell_rows(doc, &vocab.structure, &doc.cells, false);
    let first_free = doc.cells.iter().map(|c| c.table).max().unwrap_or(0) + 1;
    let mut tables = line_tables(doc);
    tables.extend(vertical_tables(doc, &vocab.structure));
    for (i, table) in tables.iter().enumerate() {
        if table.headerless {
            rows.extend(headerless_rows(doc, vocab, table));
        } else {
            rows.extend(cell_rows(
                doc,
                &vocab.structure,
                &table.cells(first_free + i),
                true,
            ));
        }
    }
    rows.extend(flattened_rows(doc, vocab));
    let blocks = Covered::new(&covered);
    for row in rows {
        if blocks.contains(&row.name) {
            continue;
        }
        let Some(sdk) = table_row(doc, vocab, hits, &markers, &row) else {
            continue;
        };
        out.push(sdk);
        covered.push(row.extent);
    }
    (out, covered)
}

/// The rows of `rows` (blocks and tables with what they cover) followed by the rows found
/// in prose: list items, names before an SDK word, enumerations (`enumerated`) and inline
/// mentions, each only outside what earlier rows cover and for a name not yet seen.
fn prose_rows(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
    enumerated: &[super::enumerations::Candidate<'_>],
    rows: (Vec<DeclaredSdk>, Vec<Range<usize>>),
) -> Vec<DeclaredSdk> {
    let (mut out, mut covered) = rows;
    let mut seen: HashSet<String> = out
        .iter()
        .map(|s| name_key(&super::normal::normalise_word(&s.name)))
        .collect();
    let before_items = Covered::new(&covered);
    let input = |covered| super::prose::ProseInput {
        doc,
        vocab,
        hits,
        covered,
    };
    let items = super::prose::list_item_rows(input(&before_items), &mut seen);
    covered.extend(items.iter().map(|s| s.text.start..s.text.end));
    out.extend(items);
    covered.extend(side_field_lines(doc, vocab));
    let index = Covered::new(&covered);
    let named = super::prose::named_in_prose(input(&index), &mut seen);
    out.extend(named);
    let mut listed =
        super::enumerations::enumerated_rows(doc, vocab, hits, enumerated, &index, &mut seen);
    // A brand enumerated in prose ("小米、华为…手机厂商Push SDK") adds nothing to a list
    // row of the same SDK.
    let ids: HashSet<SdkId> = out.iter().filter_map(|s| s.id.clone()).collect();
    listed.retain(|r| r.id.as_ref().is_none_or(|id| !ids.contains(id)));
    out.extend(listed);
    inline_mentions(doc, vocab, hits, &index, &mut out);
    let known: HashSet<SdkId> = out.iter().filter_map(|s| s.id.clone()).collect();
    let packages = super::packages::package_rows(doc, vocab, hits, &index, &mut seen);
    out.extend(
        packages
            .into_iter()
            .filter(|r| r.id.as_ref().is_none_or(|id| !known.contains(id))),
    );
    let known: HashSet<SdkId> = out.iter().filter_map(|s| s.id.clone()).collect();
    let brands = super::brands::brand_rows(doc, vocab, hits, &index, &mut seen, &known);
    out.extend(brands);
    // A name ending with "API" or "App" is another kind of thing even when its vendor is
    // known ("京东广告API"): the SDK list discloses no SDK with it.
    out.retain(|s| {
        let n = super::normal::normalise_word(&s.name);
        !vocab.structure.is_other_kind(&n) && (s.id.is_some() || !not_an_sdk(vocab, s))
    });
    out
}

/// Whether a row without an id is a data item, a generic mention, an API or app, a bare
/// definition of the word SDK ("软件开发工具包（缩写：SDK）") or the service's own SDK named
/// in a sentence about what the policy covers, not a third-party SDK.
fn not_an_sdk(vocab: &PolicyVocabulary, sdk: &DeclaredSdk) -> bool {
    let st = &vocab.structure;
    let n = super::normal::normalise_word(&sdk.name);
    let bare = outside_brackets(&n).unwrap_or_else(|| n.clone());
    let only_sdk_word = st.sdk_words().iter().any(|w| bare.trim() == w.trim());
    let scope =
        sdk.form == SdkForm::Inline && st.is_scope(&super::normal::normalise_word(&sdk.text.quote));
    names_data_item(vocab, &sdk.name)
        || generic_mention(vocab, sdk)
        || st.is_other_kind(&n)
        || only_sdk_word
        || scope
}

/// The SDK row of one table row, or `None` when the row names no SDK (an empty name, a
/// company in the name column with no cell naming an SDK).
fn table_row(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
    markers: &[(usize, String)],
    row: &Row,
) -> Option<DeclaredSdk> {
    let raw_name = clean(doc, &row.name).unwrap_or_default();
    let mut name_text = without_labels(vocab, &raw_name);
    if name_text.is_empty() {
        return None;
    }
    let (mut vendor, mut purpose) = (row.vendor.clone(), row.purpose.clone());
    let generic = vocab
        .structure
        .is_generic(&super::normal::normalise_word(&name_text));
    if generic || is_company_name(vocab, &name_text) {
        // "功能类型 | 第三方名称": the name column holds companies (or "开源框架"); the SDK
        // is the describing cell that names one. A company alone is no SDK row; a generic
        // name stays (a package column may still name its SDK).
        let sdk = row
            .purpose
            .as_ref()
            .and_then(|r| clean(doc, r))
            .filter(|p| names_an_sdk(vocab, p));
        match sdk {
            Some(sdk) => {
                vendor = Some(row.name.clone());
                purpose = None;
                name_text = sdk;
            }
            None if generic => {}
            None => return None,
        }
    }
    let context_text = std::cell::OnceCell::new();
    let context = || {
        context_text
            .get_or_init(|| {
                super::normal::normalise_word(doc.text.get(row.context.clone()).unwrap_or(""))
            })
            .as_str()
    };
    let kind_id = || {
        let kind = row.kind.as_ref().and_then(|r| clean(doc, r))?;
        resolve_lazy(vocab, &kind, &context)
    };
    Some(DeclaredSdk {
        // A package column ("包名: com.amap.api") names the SDK of its own row.
        id: resolve_lazy(vocab, &name_text, &context)
            .or_else(|| resolve_lazy(vocab, &raw_name, &context))
            .or_else(kind_id)
            .or_else(|| vocab.sdk_id_for_package(context()).map(SdkId::from)),
        name: name_text,
        vendor: vendor.as_ref().and_then(|r| clean(doc, r)),
        platform: row
            .platform
            .clone()
            .or_else(|| platform_at(markers, row.name.start)),
        data: data_in(vocab, hits, &row.data),
        purpose: purpose.as_ref().and_then(|r| clean(doc, r)),
        form: SdkForm::Table,
        text: doc.span(row.extent.clone()),
    })
}

/// The name without a field label read into it: the record's own label before it
/// ("第三方SDK名称：appic" → "appic") or the next field's label after it on the same line
/// ("某某SDK 用途：广告服务" → "某某SDK"). A name that is only a label stays as it is.
fn without_labels(vocab: &PolicyVocabulary, name: &str) -> String {
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
                .classify_label(&super::normal::normalise_word(head))
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
            let label = super::normal::normalise_word(head.get(cut..).unwrap_or(""));
            let kept = head.get(..cut).unwrap_or("").trim_end();
            if !kept.is_empty() && st.classify_label(&label).is_some() {
                s = kept;
            }
        }
    }
    s.to_string()
}

/// Whether a name is only a company: "北京某某科技有限公司", not "高德（高德软件有限公司）" (an
/// SDK with its company in brackets) nor a line that goes on with a field ("某某 公司全称：…").
fn is_company_name(vocab: &PolicyVocabulary, name: &str) -> bool {
    let bare = outside_brackets(name).unwrap_or_else(|| name.to_string());
    !name.contains([':', '：']) && vocab.structure.is_company(&bare)
}

/// Whether a cell names an SDK: short, with an SDK word or mostly a known alias.
fn names_an_sdk(vocab: &PolicyVocabulary, cell: &str) -> bool {
    let n = super::normal::normalise_word(cell);
    n.chars().count() <= 40
        && (vocab.structure.has_sdk_word(&n) || super::prose::alias_covers(vocab, &n))
}

/// Whether a name without an SDK word is mostly data-type words ("网卡（MAC)地址", "sim卡信息"):
/// an item of a data list read as a name, not an SDK.
fn names_data_item(vocab: &PolicyVocabulary, name: &str) -> bool {
    let n = super::normal::normalise_word(name);
    if n.is_empty() || vocab.structure.has_sdk_word(&n) {
        return false;
    }
    if vocab.structure.is_data_item(&n) {
        return true;
    }
    let mut seen = vec![false; n.len()];
    for (_, r) in vocab.type_hits_in(&n) {
        if let Some(s) = seen.get_mut(r) {
            s.iter_mut().for_each(|b| *b = true);
        }
    }
    let (mut letters, mut typed) = (0usize, 0usize);
    for (i, _) in n.char_indices().filter(|(_, c)| c.is_alphanumeric()) {
        letters += 1;
        typed += usize::from(seen.get(i).copied().unwrap_or(false));
    }
    letters > 0 && typed * 2 >= letters
}

/// Whether a mention in running text is only category and determiner words outside its
/// brackets ("软件工具开发包（点击查看SDK详情）"): no SDK of its own. (A name without brackets
/// was already judged where it was read: generic words in running text give no row, a
/// generic list head such as "（3）推送SDK：" is kept.)
fn generic_mention(vocab: &PolicyVocabulary, sdk: &DeclaredSdk) -> bool {
    if sdk.form != SdkForm::Inline {
        return false;
    }
    let st = &vocab.structure;
    let Some(bare) = outside_brackets(&sdk.name) else {
        return false;
    };
    let n = super::normal::normalise_word(&bare);
    let core = st
        .sdk_words()
        .iter()
        .find_map(|w| n.strip_suffix(w.trim()))
        .unwrap_or(&n);
    st.is_generic(core)
}

/// Original ranges of the lines that are record fields naming SDKs without declaring rows of
/// their own: a link ("隐私政策链接：…/xieYiSDK.html") or a note such as "由此SDK引入：" (the
/// SDKs a listed SDK brings with it belong to that row). Names in them are not prose rows.
fn side_field_lines(doc: &PolicyDocument, vocab: &PolicyVocabulary) -> Vec<Range<usize>> {
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
            .find_labels(super::normal::snapped(lead, 0, 48))
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
fn inline_mentions(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
    covered: &Covered,
    out: &mut Vec<DeclaredSdk>,
) {
    let mut ids: HashSet<SdkId> = out.iter().filter_map(|s| s.id.clone()).collect();
    let text = doc.normal.text.as_str();
    let near = |a: usize, b: usize| -> &str { super::normal::snapped(text, a, b) };
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
        let sdk_context =
            st.has_sdk_word(alias) || sdk_after.is_some() || st.mentions_use(before, after);
        if !sdk_context {
            continue;
        }
        let s = super::data::sentence_start(text, hit.normal.start);
        let e = super::data::sentence_end(text, hit.normal.end);
        let lead = text.get(s..hit.normal.start).unwrap_or("");
        let lead_tail: String = {
            let skip = lead.chars().count().saturating_sub(12);
            lead.chars().skip(skip).collect()
        };
        if st.is_denial(text.get(s..e).unwrap_or("")) || st.example_cue_in(&lead_tail) {
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
