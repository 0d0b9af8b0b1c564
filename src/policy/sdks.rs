//! Declared SDKs: labelled blocks, table rows (HTML, Markdown, flattened into lines) and inline
//! mentions in prose; each with its platform section, the data types in its row, vendor,
//! purpose and the SDK id its name resolves to.

use super::delimited::{headerless_rows, line_tables, vertical_tables};
use super::lang::structure::Field;
use super::records::find_records;
pub(super) use super::resolve::resolve;
use super::tables::{cell_rows, flattened_rows, Row};
use super::vocab::{Hits, PolicyVocabulary};
use super::{DeclaredSdk, PolicyDocument, SdkForm};
use crate::id::SdkId;
use filters::{is_company_name, not_an_sdk};
pub(super) use inline::{data_in, inline_sdk};
use inline::{ids_from_own_text, inline_mentions, side_field_lines};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use table_row::table_row;
pub(super) use text::{clean, last_bracket_open, name_key, outside_brackets, Covered};
use text::{field_start, without_labels};

mod filters;
mod inline;
mod joined;
mod parts;
mod table_row;
mod text;

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

/// The SDK rows of a document, and the result of `beside`, a caller's work independent of
/// them: it runs while the rows read from prose are (the last step, on one thread), so that
/// a long policy keeps both cores busy.
pub(super) fn extract_beside<R: Send>(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
    beside: impl FnOnce() -> R + Send,
) -> (Vec<DeclaredSdk>, R) {
    // Enumerations that list SDKs depend on the document alone: read on another core while
    // the blocks and tables are (the rows are the same as read one after the other).
    let (enumerated, rows) = rayon::join(
        || super::enumerations::candidates(doc, vocab),
        || block_and_table_rows(doc, vocab, hits),
    );
    rayon::join(|| prose_rows(doc, vocab, hits, &enumerated, rows), beside)
}

/// SDK rows of labelled blocks and of tables, with the original ranges they cover.
fn block_and_table_rows(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
) -> (Vec<DeclaredSdk>, Vec<Range<usize>>) {
    let markers = platform_markers(doc, vocab);
    // The labelled blocks and the rows of the tables are found apart, on two cores.
    let ((mut out, mut covered), rows) = rayon::join(
        || block_rows(doc, vocab, hits, &markers),
        || rows_of_tables(doc, vocab),
    );
    let blocks = Covered::new(&covered);
    // Each row is read on its own: in parallel, in the rows' order.
    let read = super::parallel::ordered_filter_map(&rows, |row| {
        if blocks.contains(&row.name) {
            return None;
        }
        table_row(doc, vocab, hits, &markers, row).map(|sdk| (sdk, row.extent.clone()))
    });
    for (sdk, extent) in read {
        out.push(sdk);
        covered.push(extent);
    }
    (out, covered)
}

/// SDK rows of labelled blocks (`SDK名称：…` records), with the original ranges they cover.
fn block_rows(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
    markers: &[(usize, String)],
) -> (Vec<DeclaredSdk>, Vec<Range<usize>>) {
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
        let id = resolve(vocab, &name_text, context).or_else(|| resolve(vocab, &raw_name, context));
        // A numbered heading that does not say SDK ("2.1 账号注册" above "收集信息：…") is an
        // SDK only when its name resolves or a vendor field names who provides it, and it is
        // not a generic word ("（五）其他").
        let generic = || {
            vocab
                .structure
                .is_generic(&super::normal::normalise_word(&name_text))
        };
        if rec.numbered_heading && (id.is_none() && vendor.is_none() || generic()) {
            continue;
        }
        out.push(DeclaredSdk {
            id,
            name: name_text,
            vendor: vendor.and_then(|r| clean(doc, &r)),
            platform: platform_at(markers, name.start),
            data: data_in(vocab, hits, &data_ranges),
            purpose: purpose.and_then(|r| clean(doc, &r)),
            form: SdkForm::Block,
            text: doc.span(extent.clone()),
            part_of: None,
        });
        covered.push(extent);
    }
    (out, covered)
}

/// The rows of every table: HTML and Markdown cells, tables written one line per row or one
/// cell per line, and rows flattened into lines.
fn rows_of_tables(doc: &PolicyDocument, vocab: &PolicyVocabulary) -> Vec<Row> {
    let names_sdk = |cell: &str| filters::names_an_sdk(vocab, cell);
    let mut rows: Vec<Row> = cell_rows(doc, &vocab.structure, &names_sdk, &doc.cells, false);
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
                &names_sdk,
                &table.cells(first_free + i),
                true,
            ));
        }
    }
    rows.extend(flattened_rows(doc, vocab));
    rows
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
    let mut seen: HashSet<String> =
        super::parallel::ordered_map(&out, |s| name_key(&super::normal::normalise_word(&s.name)))
            .into_iter()
            .collect();
    let before_items = Covered::new(&covered);
    let input = |covered| super::prose::ProseInput {
        doc,
        vocab,
        hits,
        covered,
    };
    let mut items = super::prose::list_item_rows(input(&before_items), &mut seen);
    items.extend(super::list_names::names_beside_sdks(
        input(&before_items),
        &mut seen,
    ));
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
    let ids: HashSet<&SdkId> = out.iter().filter_map(|s| s.id.as_ref()).collect();
    listed.retain(|r| r.id.as_ref().is_none_or(|id| !ids.contains(id)));
    out.extend(listed);
    inline_mentions(doc, vocab, hits, &index, &mut out);
    let known: HashSet<&SdkId> = out.iter().filter_map(|s| s.id.as_ref()).collect();
    let mut packages = super::packages::package_rows(doc, vocab, hits, &index, &mut seen);
    packages.retain(|r| r.id.as_ref().is_none_or(|id| !known.contains(id)));
    out.extend(packages);
    let known: HashSet<SdkId> = out.iter().filter_map(|s| s.id.clone()).collect();
    let brands = super::brands::brand_rows(doc, vocab, hits, &index, &mut seen, &known);
    out.extend(brands);
    let named = super::prose_names::prose_name_rows(doc, vocab, hits, &index, &mut seen, &out);
    out.extend(named);
    // A name ending with "API" or "App" is another kind of thing even when its vendor is
    // known ("京东广告API"): the SDK list discloses no SDK with it.
    let keep = super::parallel::ordered_map(&out, |s| {
        let n = super::normal::normalise_word(&s.name);
        !vocab.structure.is_other_kind(&n) && (s.id.is_some() || !not_an_sdk(vocab, s))
    });
    let mut kept = keep.into_iter();
    out.retain(|_| kept.next().unwrap_or(true));
    super::resolve::ids_from_vendor_cells(doc, vocab, hits, &mut out);
    ids_from_own_text(doc, vocab, hits, &mut out);
    drop_split_heads(&mut out);
    joined::split_joined_rows(vocab, &mut out);
    parts::link_item_parts(doc, vocab, &mut out);
    parts::link_components(doc, vocab, &mut out);
    out
}

/// A list head whose brackets were read as rows of their own ("PUSH SDK(华为、小米、个推)",
/// "腾讯系列产品SDK（包括微信 SDK、腾讯 Bugly SDK等）") names a category: its members are the
/// rows, not the head. A member read up to the closing bracket ("个推)") loses it.
fn drop_split_heads(rows: &mut Vec<DeclaredSdk>) {
    for r in rows.iter_mut() {
        let opens = r.name.matches(['(', '（']).count();
        let before = r.name.len();
        while r.name.ends_with([')', '）']) && r.name.matches([')', '）']).count() > opens {
            r.name.pop();
        }
        if r.name.len() < before {
            r.name = r.name.trim_end().to_string();
        }
    }
    let norm: Vec<String> = rows
        .iter()
        .map(|r| super::normal::normalise_word(&r.name))
        .collect();
    // The bracket right after a head's name, in its name or in its row's text.
    let bracket_after = |i: usize, r: &DeclaredSdk| -> Option<String> {
        let name = norm.get(i)?;
        if let Some((_, inner)) = name.split_once('(') {
            return Some(inner.to_string());
        }
        let quote = super::normal::normalise_word(&r.text.quote);
        let (_, after) = quote.split_once(name.as_str())?;
        let inner = after.trim_start().strip_prefix('(')?;
        Some(inner.split(')').next().unwrap_or(inner).to_string())
    };
    // Members share the head's text (its sentence or row); two at least: "某某SDK（其内部集成了
    // Google Play服务SDK）" is an SDK of its own.
    let mut by_text: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        by_text
            .entry((r.text.start, r.text.end))
            .or_default()
            .push(i);
    }
    let is_head = |i: usize, r: &DeclaredSdk| -> bool {
        if r.id.is_some() {
            return false;
        }
        let Some(inner) = bracket_after(i, r) else {
            return false;
        };
        let same_text = by_text.get(&(r.text.start, r.text.end));
        let members = same_text.into_iter().flatten().filter(|&&j| {
            let member = norm
                .get(j)
                .and_then(|n| n.split('(').next())
                .unwrap_or("")
                .trim();
            j != i
                && rows.get(j).is_some_and(|m| m.id.is_some())
                && member.chars().count() >= 2
                && inner.contains(member)
        });
        members.count() >= 2
    };
    let heads: HashSet<usize> = rows
        .iter()
        .enumerate()
        .filter(|(i, r)| is_head(*i, r))
        .map(|(i, _)| i)
        .collect();
    let mut i = 0usize;
    rows.retain(|_| {
        i += 1;
        !heads.contains(&(i - 1))
    });
}
