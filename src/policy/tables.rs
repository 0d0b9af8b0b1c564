//! SDK tables: HTML / Markdown tables (a header row with a name column and a data, vendor or
//! purpose column; or two-column label/value tables) and tables flattened into lines, like
//! `功能类型 使用目的 第三方名称 涉及个人信息 第三方链接` followed by one row per few lines.

use super::lang::structure::{ColumnKind, Field, Structure};
use super::normal::normalise_word;
use super::records::strip_numbering;
use super::vocab::PolicyVocabulary;
use super::{PolicyDocument, TableCell};
use std::collections::BTreeMap;
use std::ops::Range;

/// One table row naming a third party; ranges are in the original text.
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub name: Range<usize>,
    /// Where the data types of the row are written.
    pub data: Vec<Range<usize>>,
    pub vendor: Option<Range<usize>>,
    pub purpose: Option<Range<usize>>,
    pub extent: Range<usize>,
    /// Original range of the row text (purpose, function type) whose normalised text gives
    /// alias hints; normalised only when a name needs it.
    pub context: Range<usize>,
    /// A short cell before the name that says what kind of SDK it is ("推送SDK" before
    /// "PushXiaomi.aar"); its alias names the SDK when the name cell alone does not.
    pub kind: Option<Range<usize>>,
    /// The platform a platform column names for this row.
    pub platform: Option<String>,
}

/// The role of a column from its header cell (vocabulary: `[[header]]` of the structure files).
fn header_kind(structure: &Structure, cell: &str) -> Option<Field> {
    structure.header_kind(cell).map(|k| match k {
        ColumnKind::Name => Field::Name,
        ColumnKind::Vendor => Field::Vendor,
        ColumnKind::Data => Field::Data,
        ColumnKind::Purpose => Field::Purpose,
        ColumnKind::Link => Field::Link,
        ColumnKind::Permission | ColumnKind::Platform => Field::Other,
    })
}

/// The cells of one table row: (column, original range).
type CellRow = Vec<(usize, Range<usize>)>;

/// Rows of HTML and Markdown tables and of tables written as TAB-separated lines. The
/// header is the first row that names a name column and a describing column; with
/// `header_first` (tables written as lines, where a later row is never a header) only the
/// first row may be it.
///
/// Which column holds the SDK names is decided per table ([`decide_name_column`]): from the
/// header words, and from the cells when another column names known SDKs (`names_sdk`: an
/// SDK word or an alias) far more often than the header's name column.
pub(super) fn cell_rows(
    doc: &PolicyDocument,
    structure: &Structure,
    names_sdk: &dyn Fn(&str) -> bool,
    cells: &[TableCell],
    header_first: bool,
) -> Vec<Row> {
    let mut out = Vec::new();
    for rows in tables_of(cells).values() {
        let rows: Vec<&CellRow> = rows.values().collect();
        if is_label_value_table(doc, structure, &rows) {
            label_value_rows(doc, structure, &rows, &mut out);
            continue;
        }
        let header = rows.iter().enumerate().find_map(|(index, row)| {
            if header_first && index > 0 {
                return None;
            }
            header_columns(doc, structure, row).map(|cols| (index, cols))
        });
        let Some((index, mut cols)) = header else {
            continue;
        };
        let body = rows.get(index + 1..).unwrap_or(&[]);
        if !decide_name_column(doc, structure, names_sdk, &mut cols, body) {
            continue;
        }
        out.extend(
            body.iter()
                .filter_map(|row| body_row(doc, structure, &cols, row)),
        );
    }
    out
}

/// Longest cell (in characters) read as a possible SDK name when choosing the name column.
const MAX_NAME_CELL_CHARS: usize = 40;

/// Decides which column of a table holds the SDK names; `false` when none does. A column
/// whose short cells name known SDKs in at least half of the rows takes the name role from
/// a header name column that names SDKs in fewer than half of them ("第三方公司名称 |
/// 产品/类型 | …": the company column becomes the vendor column when its cells are
/// companies); a header with a vendor column and no name column takes its name column from
/// the cells alone.
fn decide_name_column(
    doc: &PolicyDocument,
    structure: &Structure,
    names_sdk: &dyn Fn(&str) -> bool,
    cols: &mut Columns,
    body: &[&CellRow],
) -> bool {
    let cell_of = |row: &CellRow, col: usize| -> Option<String> {
        let (_, r) = row.iter().find(|(c, _)| *c == col)?;
        let text = doc.text.get(r.clone())?;
        (text.chars().count() <= MAX_NAME_CELL_CHARS).then(|| text.to_string())
    };
    let count = |col: usize, test: &dyn Fn(&str) -> bool| {
        body.iter()
            .filter(|row| cell_of(row, col).is_some_and(|c| test(&c)))
            .count()
    };
    let current = cols
        .kinds
        .iter()
        .find(|(_, k)| **k == Field::Name)
        .map(|(c, _)| *c);
    let current_score = current.map_or(0, |c| count(c, names_sdk));
    if body.is_empty() || current_score * 2 >= body.len() {
        return current.is_some();
    }
    let best = cols
        .kinds
        .iter()
        .filter(|(c, k)| Some(**c) != current && matches!(k, Field::Vendor | Field::Purpose))
        .map(|(c, _)| (count(*c, names_sdk), *c))
        .filter(|(score, _)| *score * 2 >= body.len() && *score > current_score)
        .max_by_key(|(score, c)| (*score, std::cmp::Reverse(*c)));
    let Some((_, best)) = best else {
        return current.is_some();
    };
    if let Some(old) = current {
        let companies = count(old, &|c| structure.is_company(c));
        let role = if companies * 2 >= body.len() {
            Field::Vendor
        } else {
            Field::Other
        };
        cols.kinds.insert(old, role);
    }
    cols.kinds.insert(best, Field::Name);
    true
}

/// The cells grouped by table and row, both in order.
fn tables_of(cells: &[TableCell]) -> BTreeMap<usize, BTreeMap<usize, CellRow>> {
    let mut tables: BTreeMap<usize, BTreeMap<usize, CellRow>> = BTreeMap::new();
    for c in cells {
        tables
            .entry(c.table)
            .or_default()
            .entry(c.row)
            .or_default()
            .push((c.col, c.range.clone()));
    }
    tables
}

/// Normalised text of the cell at original range `r`.
fn cell_text(doc: &PolicyDocument, r: &Range<usize>) -> String {
    normalise_word(doc.text.get(r.clone()).unwrap_or(""))
}

/// Label/value tables: the first column of at least two rows and of half of them is a field
/// label.
fn is_label_value_table(doc: &PolicyDocument, structure: &Structure, rows: &[&CellRow]) -> bool {
    // Rows are read until the rest could no longer make the count (a long SDK table is
    // decided after half of its rows).
    let need = rows.len().div_ceil(2).max(2);
    let mut labelled = 0usize;
    for (read, row) in rows.iter().enumerate() {
        if labelled + (rows.len() - read) < need {
            return false;
        }
        let is_label = row
            .first()
            .is_some_and(|(_, r)| structure.classify_label(&cell_text(doc, r)).is_some());
        labelled += usize::from(is_label);
    }
    labelled >= 2 && labelled * 2 >= rows.len()
}

/// The columns a header row names: the role of each column and the columns that name a
/// platform (whose cells hold package names).
struct Columns {
    kinds: BTreeMap<usize, Field>,
    package_cols: Vec<usize>,
}

/// The columns of `row` when it is a header: it names a name column and a describing column
/// ("Provider | Android | iOS" tables name a vendor and platforms, one row per provider), and
/// at least half of its cells are column names.
fn header_columns(doc: &PolicyDocument, structure: &Structure, row: &CellRow) -> Option<Columns> {
    let mut kinds: BTreeMap<usize, Field> = row
        .iter()
        .filter_map(|(c, r)| header_kind(structure, &cell_text(doc, r)).map(|k| (*c, k)))
        .collect();
    let has_name = kinds.values().any(|k| *k == Field::Name);
    let has_other = kinds
        .values()
        .any(|k| matches!(k, Field::Data | Field::Vendor | Field::Purpose));
    // "Provider | Android | iOS": one row per provider, its packages per platform.
    let platform_cols: Vec<usize> = row
        .iter()
        .filter(|(_, r)| structure.platform_of(&cell_text(doc, r)).is_some())
        .map(|(c, _)| *c)
        .collect();
    let has_vendor = kinds.values().any(|k| *k == Field::Vendor);
    let package_table = !has_name && !platform_cols.is_empty() && has_vendor;
    // "第三方公司名称 | 产品/类型 | 共享信息名称 | 使用目的": a vendor column and no name
    // column; the cells decide which column names the SDKs.
    let vendor_table = !has_name && has_vendor && kinds.len() >= 3;
    let named = has_name || vendor_table;
    if !((named && has_other || package_table) && kinds.len() * 2 >= row.len()) {
        return None;
    }
    if package_table {
        for k in kinds.values_mut() {
            if *k == Field::Vendor {
                *k = Field::Name;
            }
        }
    }
    Some(Columns {
        kinds,
        package_cols: platform_cols,
    })
}

/// The SDK row of a body row under the header `cols`: its name cell must hold a plausible
/// name; the data cells are the data columns (every other cell when there is none).
fn body_row(
    doc: &PolicyDocument,
    structure: &Structure,
    cols: &Columns,
    row: &CellRow,
) -> Option<Row> {
    let find = |kind: Field| -> Option<Range<usize>> {
        let col = cols
            .kinds
            .iter()
            .find(|(_, k)| **k == kind)
            .map(|(c, _)| *c)?;
        row.iter()
            .find(|(c, _)| *c == col)
            .map(|(_, r)| r.clone())
            .filter(|r| !r.is_empty())
    };
    let name = find(Field::Name)?;
    let name_text = doc.text.get(name.clone()).unwrap_or("");
    if name_text.chars().count() > 80
        || !plausible_name(name_text)
        || structure.starts_with_phrase_word(&cell_text(doc, &name))
    {
        return None;
    }
    let start = row.iter().map(|(_, r)| r.start).min().unwrap_or(name.start);
    let end = row.iter().map(|(_, r)| r.end).max().unwrap_or(name.end);
    let data_cols: Vec<usize> = cols
        .kinds
        .iter()
        .filter(|(_, k)| **k == Field::Data)
        .map(|(c, _)| *c)
        .collect();
    let data: Vec<Range<usize>> = if data_cols.is_empty() {
        row.iter()
            .filter(|(c, _)| cols.kinds.get(c) != Some(&Field::Name))
            .map(|(_, r)| r.clone())
            .collect()
    } else {
        row.iter()
            .filter(|(c, _)| data_cols.contains(c))
            .map(|(_, r)| r.clone())
            .collect()
    };
    let packages: Vec<&Range<usize>> = row
        .iter()
        .filter(|(c, r)| cols.package_cols.contains(c) && !r.is_empty())
        .map(|(_, r)| r)
        .collect();
    let kind = match (packages.first(), packages.last()) {
        (Some(a), Some(b)) => Some(a.start..b.end),
        _ => None,
    };
    Some(Row {
        name,
        data,
        vendor: find(Field::Vendor),
        purpose: find(Field::Purpose),
        extent: start..end,
        context: start..end,
        kind,
        platform: None,
    })
}

fn label_value_rows(
    doc: &PolicyDocument,
    structure: &Structure,
    rows: &[&CellRow],
    out: &mut Vec<Row>,
) {
    let first = out.len();
    let mut current: Option<Row> = None;
    for row in rows {
        let (Some((_, label)), Some((_, value))) = (row.first(), row.get(1)) else {
            continue;
        };
        let field =
            structure.classify_label(&normalise_word(doc.text.get(label.clone()).unwrap_or("")));
        match field {
            Some(Field::Name) => {
                if let Some(r) = current.take() {
                    out.push(r);
                }
                current = Some(Row {
                    name: value.clone(),
                    data: Vec::new(),
                    vendor: None,
                    purpose: None,
                    extent: label.start..value.end,
                    context: label.start..value.end,
                    kind: None,
                    platform: None,
                });
            }
            Some(kind) => {
                if let Some(r) = current.as_mut() {
                    match kind {
                        Field::Data => r.data.push(value.clone()),
                        Field::Vendor => r.vendor = Some(value.clone()),
                        Field::Purpose => r.purpose = Some(value.clone()),
                        _ => {}
                    }
                    if kind == Field::Data {
                        r.extent.end = r.extent.end.max(value.end);
                    }
                }
            }
            None => {}
        }
    }
    if let Some(r) = current.take() {
        out.push(r);
    }
    for r in out.iter_mut().skip(first) {
        r.context = r.extent.clone();
    }
}

/// A whitespace-separated token of a line: original range and normalised text.
struct Token {
    range: Range<usize>,
    normal: String,
    line: usize,
}

fn tokens_of(text: &str, base: usize, line: usize, out: &mut Vec<Token>) {
    let mut start: Option<usize> = None;
    let push = |s: usize, e: usize, out: &mut Vec<Token>| {
        let raw = text.get(s..e).unwrap_or("");
        out.push(Token {
            range: base + s..base + e,
            normal: normalise_word(raw),
            line,
        });
    };
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                push(s, i, out);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        push(s, text.len(), out);
    }
}

fn is_numbering(token: &str) -> bool {
    !token.is_empty() && strip_numbering(token).is_empty()
}

fn is_link_word(structure: &Structure, token: &str) -> bool {
    let t = token.trim_end_matches(['.', ':', ';']);
    structure.classify_label(t) == Some(Field::Link)
        || structure.is_caption(t)
        || t.starts_with("http")
}

/// Rows of tables flattened into lines: a header line of short column names that include a
/// name column and a data column, then rows until a blank line.
pub(super) fn flattened_rows(doc: &PolicyDocument, vocab: &PolicyVocabulary) -> Vec<Row> {
    let lines: Vec<(usize, &str)> = doc.lines().collect();
    let mut out = Vec::new();
    let mut i = 0usize;
    while i < lines.len() {
        let Some(&(start, line)) = lines.get(i) else {
            break;
        };
        i += 1;
        if line.contains(['|', '\t']) {
            continue;
        }
        let heads: Vec<&str> = line.split_whitespace().collect();
        if heads.len() < 3 || heads.len() > 8 || heads.iter().any(|h| h.chars().count() > 14) {
            continue;
        }
        let kinds: Vec<Option<Field>> = heads
            .iter()
            .map(|h| header_kind(&vocab.structure, h))
            .collect();
        let has = |k: Field| kinds.contains(&Some(k));
        if !has(Field::Name)
            || !has(Field::Data)
            || kinds.iter().filter(|k| k.is_some()).count() < 3
        {
            continue;
        }
        let link_last = kinds.last().is_some_and(|k| *k == Some(Field::Link));
        // "第三方公司名称 SDK名称 涉及个人信息 …": the cell before the name is its vendor.
        let vendor_first = kinds
            .iter()
            .position(|k| *k == Some(Field::Name))
            .and_then(|n| n.checked_sub(1))
            .is_some_and(|v| kinds.get(v) == Some(&Some(Field::Vendor)));
        let _ = start;
        // Body: lines up to a blank line.
        let mut tokens = Vec::new();
        let mut j = i;
        while let Some(&(s, l)) = lines.get(j) {
            // A `|` line belongs to a pipe table (read by `pipes`), not to this one.
            if l.trim().is_empty() || l.contains('|') || j - i > 400 {
                break;
            }
            tokens_of(l, s, j, &mut tokens);
            j += 1;
        }
        i = j;
        // Chunks: rows end at a link cell when the last column holds links, else at line ends.
        let mut chunks: Vec<Vec<Token>> = Vec::new();
        let mut chunk: Vec<Token> = Vec::new();
        let mut last_line = None;
        for t in tokens {
            if !link_last && last_line.is_some_and(|l| l != t.line) && !chunk.is_empty() {
                chunks.push(std::mem::take(&mut chunk));
            }
            last_line = Some(t.line);
            let ends_row = link_last && is_link_word(&vocab.structure, &t.normal);
            chunk.push(t);
            if ends_row {
                chunks.push(std::mem::take(&mut chunk));
            }
        }
        if !chunk.is_empty() {
            chunks.push(chunk);
        }
        let mut carried_purpose: Option<Range<usize>> = None;
        for chunk in chunks {
            if let Some(mut row) = chunk_row(doc, vocab, &chunk, &mut carried_purpose) {
                if vendor_first {
                    row.vendor = row.purpose.take();
                }
                out.push(row);
            }
        }
    }
    out
}

fn starts_with_data(vocab: &PolicyVocabulary, token: &str) -> bool {
    let stripped = strip_numbering(token);
    vocab
        .type_hits_in(stripped)
        .first()
        .is_some_and(|(_, r)| r.start == 0)
}

fn chunk_row(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    chunk: &[Token],
    carried: &mut Option<Range<usize>>,
) -> Option<Row> {
    let data_at = chunk
        .iter()
        .position(|t| !is_numbering(&t.normal) && starts_with_data(vocab, &t.normal))?;
    let mut name_at = chunk
        .get(..data_at)?
        .iter()
        .rposition(|t| !is_numbering(&t.normal))?;
    let name_end = chunk.get(name_at)?.range.end;
    // "Bugly SDK", "JPush PUSH SDK": a generic word joins the word before it on the line.
    while let (Some(cur), Some(prev)) = (
        chunk.get(name_at),
        name_at.checked_sub(1).and_then(|p| chunk.get(p)),
    ) {
        if prev.line == cur.line
            && (vocab.structure.has_sdk_word(&cur.normal) && cur.normal.chars().count() <= 8)
            && !vocab.structure.is_company(&prev.normal)
        {
            name_at -= 1;
        } else {
            break;
        }
    }
    let name_start = chunk.get(name_at)?.range.start;
    let name = &Token {
        range: name_start..name_end,
        normal: normalise_word(doc.text.get(name_start..name_end).unwrap_or("")),
        line: 0,
    };
    if name.normal.chars().count() > 40 {
        return None;
    }
    let first = chunk.first()?;
    let last = chunk
        .iter()
        .rev()
        .find(|t| !is_link_word(&vocab.structure, &t.normal))
        .unwrap_or(name);
    let purpose = if name_at > 0 {
        let p = first.range.start
            ..chunk
                .get(name_at - 1)
                .map(|t| t.range.end)
                .unwrap_or(first.range.end);
        *carried = Some(p.clone());
        Some(p)
    } else {
        carried.clone()
    };
    let data_start = chunk
        .get(data_at)
        .map(|t| t.range.start)
        .unwrap_or(name.range.end);
    let extent = first.range.start..last.range.end.max(name.range.end);
    let context_range = purpose
        .as_ref()
        .map(|p| p.start.min(extent.start)..extent.end)
        .unwrap_or(extent.clone());
    Some(Row {
        name: name.range.clone(),
        data: std::iter::once(data_start..last.range.end.max(data_start)).collect(),
        vendor: None,
        purpose,
        extent,
        context: context_range,
        kind: None,
        platform: None,
    })
}

/// A name cell holds at least one letter or CJK character and is not a link.
fn plausible_name(name: &str) -> bool {
    let n = name.trim().trim_start_matches('<');
    !n.starts_with("http") && n.chars().any(|c| c.is_alphabetic())
}
