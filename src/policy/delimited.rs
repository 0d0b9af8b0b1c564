//! Tables written as plain-text lines: TAB-separated cells (a spreadsheet pasted as text,
//! `SDK名称\t使用目的\t收集的个人信息类型\t隐私链接`), one numbered line per row with
//! comma-separated cells (`1. iOS，刷脸SDK，ApmAgent，涉及用户面部信息，http://…`), or one cell
//! per line (a web table copied as text: the header cells on their own lines, then each
//! row's cells, a row ending at its link when the last column holds links). Blank lines
//! between rows are allowed. A table is at least three such lines in a row.
//!
//! The cells come back as [`TableCell`]s, so a table whose first line is a header row is read
//! like an HTML table; a table without a header has its columns inferred by
//! [`headerless_rows`].
//!
//! ```text
//! 1. iOS，刷脸SDK，ApmAgent，涉及用户面部信息，http://example.com   → 5 cells
//! 2. iOS，探针，RiskManage，涉及设备信息，http://example.com        → 5 cells
//! ```

use super::blocks::trimmed;
use super::lang::structure::{ColumnKind, Structure};
use super::normal::normalise_word;
use super::records::strip_numbering;
use super::tables::Row;
use super::vocab::PolicyVocabulary;
use super::{PolicyDocument, TableCell};
use std::collections::HashSet;
use std::ops::Range;

/// Fewest rows (lines) of a table.
const MIN_ROWS: usize = 3;
/// Fewest cells of a comma-separated row; TAB rows need 2 TABs.
const MIN_COMMA_CELLS: usize = 4;
/// The leading cells of a comma-separated row (platform, category, name) are short.
const MAX_LEAD_CELL_CHARS: usize = 40;
/// How many leading cells must be short.
const SHORT_LEAD_CELLS: usize = 2;

/// How a line separates its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Separator {
    Tab,
    Comma,
    /// `a | b | c` lines without the `---|---` line of a Markdown table (a web table
    /// converted to text); the first line is the header.
    Pipe,
}

/// One line table: its rows, each a list of cell ranges in the document text.
#[derive(Debug, Clone)]
pub(super) struct LineTable {
    pub rows: Vec<Vec<Range<usize>>>,
    /// Comma tables have no header row; their columns are inferred from the cells.
    pub headerless: bool,
}

impl LineTable {
    /// The table as cells numbered `table`, rows and columns from 0.
    pub fn cells(&self, table: usize) -> Vec<TableCell> {
        let mut out = Vec::new();
        for (row, cells) in self.rows.iter().enumerate() {
            for (col, range) in cells.iter().enumerate() {
                out.push(TableCell {
                    table,
                    row,
                    col,
                    range: range.clone(),
                });
            }
        }
        out
    }
}

/// Cells of one line split at `sep` (trimmed, original ranges); `None` when the line is not a
/// row of that kind.
fn split_line(text: &str, start: usize, line: &str, sep: Separator) -> Option<Vec<Range<usize>>> {
    let body = match sep {
        Separator::Tab | Separator::Pipe => line,
        Separator::Comma => strip_numbering(line),
    };
    let body_start = start + (line.len() - body.len());
    let mut cells = Vec::new();
    let mut cell_start = 0usize;
    let is_sep = |c: char| match sep {
        Separator::Tab => c == '\t',
        Separator::Comma => matches!(c, '，' | ','),
        Separator::Pipe => c == '|',
    };
    for (i, c) in body.char_indices() {
        if is_sep(c) {
            cells.push(trimmed(text, body_start + cell_start..body_start + i));
            cell_start = i + c.len_utf8();
        }
    }
    cells.push(trimmed(
        text,
        body_start + cell_start..body_start + body.len(),
    ));
    match sep {
        Separator::Tab => (cells.len() >= 3).then_some(cells),
        Separator::Pipe => {
            // "| a | b |" and "a | b |": the empty cells outside the outer bars are no cells.
            if cells.first().is_some_and(|r| r.is_empty()) {
                cells.remove(0);
            }
            if cells.last().is_some_and(|r| r.is_empty()) {
                cells.pop();
            }
            (cells.len() >= 3).then_some(cells)
        }
        Separator::Comma => {
            let cell = |r: &Range<usize>| text.get(r.clone()).unwrap_or("");
            let lead_ok = cells.iter().take(SHORT_LEAD_CELLS).all(|r| {
                let c = cell(r);
                !c.is_empty()
                    && c.chars().count() <= MAX_LEAD_CELL_CHARS
                    && !c.contains(['。', '；', ';', '：', ':'])
            });
            // A sentence ends with a full stop; a row ends with its last cell (often a link).
            let sentence = body.trim_end().ends_with(['。', '；', ';', '：', ':']);
            (cells.len() >= MIN_COMMA_CELLS && lead_ok && !sentence && body != line)
                .then_some(cells)
        }
    }
}

/// The line tables of a document: runs of at least [`MIN_ROWS`] lines of one separator.
pub(super) fn line_tables(doc: &PolicyDocument) -> Vec<LineTable> {
    let mut out = Vec::new();
    let mut cells: Vec<Range<usize>> = doc.cells.iter().map(|c| c.range.clone()).collect();
    cells.sort_by_key(|r| r.start);
    let in_cells = |line: Range<usize>| {
        let after = cells.partition_point(|c| c.start < line.end);
        cells
            .get(..after)
            .and_then(|c| c.last())
            .is_some_and(|c| c.end > line.start)
            || cells
                .get(..after)
                .is_some_and(|c| c.iter().rev().take(64).any(|c| c.end > line.start))
    };
    for sep in [Separator::Tab, Separator::Comma, Separator::Pipe] {
        let mut run: Vec<Vec<Range<usize>>> = Vec::new();
        let mut flush = |run: &mut Vec<Vec<Range<usize>>>| {
            if run.len() >= MIN_ROWS {
                out.push(LineTable {
                    rows: std::mem::take(run),
                    headerless: sep == Separator::Comma,
                });
            }
            run.clear();
        };
        for (start, line) in doc.lines() {
            if line.trim().is_empty() {
                continue;
            }
            // Rows of HTML and Markdown tables are read from their cells.
            if in_cells(start..start + line.len()) {
                flush(&mut run);
                continue;
            }
            match split_line(&doc.text, start, line, sep) {
                Some(cells) => run.push(cells),
                None => flush(&mut run),
            }
        }
        flush(&mut run);
    }
    out
}

/// Longest name cell of a headerless table (characters).
const MAX_NAME_CHARS: usize = 60;

/// A cell that names a component: a known alias, a name with an SDK word, or one Latin
/// identifier (`ApmAgent`, `PushXiaomi-release.aar`, `scan.google.zxing`).
fn name_like(vocab: &PolicyVocabulary, cell: &str) -> bool {
    let st = &vocab.structure;
    let n = normalise_word(cell);
    let chars = n.chars().count();
    if !(2..=MAX_NAME_CHARS).contains(&chars)
        || n.starts_with("http")
        || st.platform_of(&n).is_some()
        || st.is_company(cell)
    {
        return false;
    }
    let identifier = cell.is_ascii()
        && !cell.contains(' ')
        && cell.chars().any(|c| c.is_ascii_alphabetic())
        && chars >= 3;
    identifier || st.has_sdk_word(&n) || vocab.sdk_id_for(&n).is_some()
}

/// Rows of a table without a header row. Columns are read from the left: a platform column
/// (every cell a platform word), then the name column — the leading column with the most
/// distinct name-like cells, in at least two thirds of the rows; a short column just before
/// it is the kind of SDK; the cells after it (links excepted) hold the data.
pub(super) fn headerless_rows(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    table: &LineTable,
) -> Vec<Row> {
    let st = &vocab.structure;
    let cell = |r: &Range<usize>| doc.text.get(r.clone()).unwrap_or("");
    let rows = &table.rows;
    let column = |col: usize| rows.iter().filter_map(move |r| r.get(col));
    let platform_col = (0..SHORT_LEAD_CELLS).find(|&c| {
        column(c)
            .filter(|r| st.platform_of(cell(r)).is_some())
            .count()
            * 3
            >= rows.len() * 2
    });
    let mut best: Option<(usize, usize)> = None; // (distinct name-like cells, column)
    for col in 0..=SHORT_LEAD_CELLS {
        if Some(col) == platform_col {
            continue;
        }
        let named: Vec<String> = column(col)
            .map(&cell)
            .filter(|c| name_like(vocab, c))
            .map(normalise_word)
            .collect();
        let distinct = named.iter().collect::<HashSet<_>>().len();
        if named.len() * 3 >= rows.len() * 2 && best.is_none_or(|(d, _)| distinct > d) {
            best = Some((distinct, col));
        }
    }
    let Some((_, name_col)) = best else {
        return Vec::new();
    };
    let kind_col = name_col.checked_sub(1).filter(|&k| Some(k) != platform_col);
    let mut out = Vec::new();
    for r in rows {
        let Some(name) = r.get(name_col).filter(|n| !n.is_empty()) else {
            continue;
        };
        if !cell(name).chars().any(char::is_alphabetic) {
            continue;
        }
        let data: Vec<Range<usize>> = r
            .iter()
            .skip(name_col + 1)
            .filter(|c| !normalise_word(cell(c)).starts_with("http"))
            .cloned()
            .collect();
        let start = r.first().map_or(name.start, |c| c.start);
        let end = r.last().map_or(name.end, |c| c.end).max(name.end);
        let kind = kind_col.and_then(|k| r.get(k)).cloned();
        out.push(Row {
            name: name.clone(),
            data,
            vendor: None,
            purpose: kind.clone(),
            extent: start..end,
            context: start..end,
            kind,
            platform: platform_col
                .and_then(|p| r.get(p))
                .and_then(|p| st.platform_of(cell(p)))
                .map(str::to_string),
        });
    }
    out
}

/// Longest header cell of a table written one cell per line (characters).
const MAX_HEADER_CHARS: usize = 12;
/// Most header cells of such a table.
const MAX_HEADER_CELLS: usize = 10;
/// Longest name cell of such a table (characters).
const MAX_CELL_NAME_CHARS: usize = 40;

/// A line of a table written one cell per line without the " |" that may close its cell.
fn without_pipe(line: &str) -> &str {
    let t = line.trim();
    t.strip_suffix('|').map_or(t, str::trim_end)
}

/// Whether a line is a link cell.
fn is_link(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www.")
}

/// The header of a table written one cell per line, starting at `lines[at]`: short lines
/// that are column names (one unnamed cell is allowed between named ones, "共享方式").
fn vertical_header(structure: &Structure, lines: &[(usize, &str)], at: usize) -> Vec<ColumnKind> {
    let mut kinds = Vec::new();
    let mut unnamed = 0usize;
    for (_, line) in lines.iter().skip(at).take(MAX_HEADER_CELLS) {
        let l = without_pipe(line);
        let short =
            l.chars().count() <= MAX_HEADER_CHARS && !is_link(l) && !structure.is_company(l);
        if !short {
            break;
        }
        match structure.header_kind(l) {
            Some(k) => kinds.push(Some(k)),
            None if unnamed == 0 => {
                unnamed += 1;
                kinds.push(None);
            }
            None => break,
        }
    }
    while kinds.last().is_some_and(Option::is_none) {
        kinds.pop();
    }
    let has = |k: ColumnKind| kinds.contains(&Some(k));
    let describing = has(ColumnKind::Data) || has(ColumnKind::Vendor) || has(ColumnKind::Purpose);
    // A vendor column without a name column ("第三方公司名称 | 产品/类型 | …"): the rows
    // decide which column names the SDKs (`tables::cell_rows`).
    let named = has(ColumnKind::Name) || has(ColumnKind::Vendor);
    if kinds.len() >= 3 && named && describing {
        // Unnamed cells keep their place as Purpose-less columns; only the count matters.
        kinds
            .into_iter()
            .map(|k| k.unwrap_or(ColumnKind::Platform))
            .collect()
    } else {
        Vec::new()
    }
}

/// Tables written one cell per line: a header of column names, then rows of as many
/// lines (ending at a link line when the last column holds links).
pub(super) fn vertical_tables(doc: &PolicyDocument, structure: &Structure) -> Vec<LineTable> {
    let lines: Vec<(usize, &str)> = doc.lines().filter(|(_, l)| !l.trim().is_empty()).collect();
    // A web table copied as text may close every cell with " |" (an empty cell is "|").
    let range = |(s, l): (usize, &str)| {
        let cell = without_pipe(l);
        let start = s + l.find(cell).unwrap_or(0);
        start..start + cell.len()
    };
    // The empty closing cell of such a row stands for its (empty) link cell.
    let closes_row = |l: &str| is_link(l) || l.trim() == "|";
    let mut out = Vec::new();
    let mut i = 0usize;
    while i < lines.len() {
        let kinds = vertical_header(structure, &lines, i);
        if kinds.is_empty() {
            i += 1;
            continue;
        }
        let width = kinds.len();
        // Without a link column closing each row, a cell over several lines would shift
        // every later row: such tables are left to the other readers.
        let link_last = kinds.last() == Some(&ColumnKind::Link);
        if !link_last {
            i += 1;
            continue;
        }
        let name_col = kinds
            .iter()
            .position(|k| *k == ColumnKind::Name)
            .unwrap_or(0);
        let mut rows = vec![lines
            .iter()
            .skip(i)
            .take(width)
            .map(|&l| range(l))
            .collect::<Vec<_>>()];
        let mut j = i + width;
        loop {
            let mut cells: Vec<Range<usize>> = Vec::new();
            while let Some(&l) = lines.get(j) {
                if cells.len() >= width * 2 {
                    break;
                }
                cells.push(range(l));
                j += 1;
                if (link_last && closes_row(l.1)) || (!link_last && cells.len() == width) {
                    break;
                }
            }
            let complete = cells.len() >= width.min(name_col + 2)
                && cells.len() < width * 2
                && (!link_last
                    || cells.last().is_some_and(|c| {
                        c.is_empty() || is_link(doc.text.get(c.clone()).unwrap_or(""))
                    }));
            let name_ok = cells.get(name_col).is_some_and(|c| {
                let t = doc.text.get(c.clone()).unwrap_or("");
                t.chars().count() <= MAX_CELL_NAME_CHARS && !t.ends_with(['。', '；', ';'])
            });
            if !complete || !name_ok {
                j -= cells.len();
                break;
            }
            if cells.len() > width {
                // A cell over several lines: the leading cells keep their places, the extra
                // lines join the cell before the last.
                let last = cells.pop();
                let tail_start = cells.get(width - 2).map(|c| c.start);
                let tail_end = cells.last().map(|c| c.end);
                cells.truncate(width - 2);
                if let (Some(s), Some(e)) = (tail_start, tail_end) {
                    cells.push(s..e);
                }
                cells.extend(last);
            }
            rows.push(cells);
        }
        if rows.len() > 1 {
            out.push(LineTable {
                rows,
                headerless: false,
            });
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(text: &str) -> Vec<LineTable> {
        let doc = crate::policy::read_policy_bytes("t.txt", text.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        line_tables(&doc)
    }

    #[test]
    fn comma_rows_with_blank_lines_between() {
        let t = tables(
            "说明如下。\n\n1. iOS，甲类，AlphaKit，涉及设备信息，http://a.example\n\n\
             2. iOS，乙类，BetaKit，涉及位置信息，http://b.example\n\n\
             3. Android，丙类，gamma.jar，不涉及，http://c.example\n\n结束。\n",
        );
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].rows.len(), 3);
        assert!(t[0].headerless);
        assert_eq!(t[0].rows[0].len(), 5);
    }

    #[test]
    fn sentences_with_commas_are_not_rows() {
        let t = tables(
            "1. 在您注册时，我们会收集手机号，用于登录，以及找回密码。\n\
             2. 在您下单时，我们会收集地址，用于配送，以及售后服务。\n\
             3. 在您支付时，我们会收集订单，用于结算，以及对账服务。\n",
        );
        assert!(t.is_empty());
    }

    #[test]
    fn tab_rows() {
        let t = tables("名称\t目的\t链接\n甲\t推送\thttp://a\n乙\t统计\thttp://b\n");
        assert_eq!(t.len(), 1);
        assert!(!t[0].headerless);
        assert_eq!(t[0].rows.len(), 3);
    }
}
