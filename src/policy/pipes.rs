//! Pipe tables in text that is not read as Markdown (plain text, and HTML whose text holds
//! `a | b | c` lines, often an HTML table converted to text): a header line, a `---|---`
//! separator, then rows holding `|`. Such conversions leave two traces that are undone here:
//! - a row cut over two lines: a line that ends with `|` (or a next line that starts with
//!   one) while the row has fewer cells than the header; the lines are one row;
//! - a cell spanning several rows (`rowspan`): the rows after the first hold only the last
//!   columns, so a short line after a full row gives the last columns of that row.
//!
//! A short line without `|` between table lines is a row of one (name) cell.
//!
//! ```text
//! SDK 名称 | 使用目的 | 信息收集内容 | 备注说明
//! ---|---|---|---
//! 某推送SDK | 消息推送 | 读取外置存储卡 | 读取文件      → row 1
//! 写入外部存储卡 | 写入文件                              → row 1, columns 2 and 3
//! ```

use super::blocks::trimmed;
use super::TableCell;
use std::ops::Range;

/// Longest line without `|` still read as a one-cell row inside a table.
const MAX_BARE_ROW_CHARS: usize = 40;

/// Whether a line is a Markdown table separator (`---|---`, `| :-- | --: |`).
fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.contains('|')
        && t.contains("--")
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// Splits one table line into trimmed cell ranges (leading and trailing pipes optional).
fn split_cells(text: &str, line_start: usize, line: &str) -> Vec<Range<usize>> {
    let body = line.trim_end();
    let lead = body.len() - body.trim_start().len();
    let mut inner = lead..body.len();
    if body.get(inner.clone()).is_some_and(|b| b.starts_with('|')) {
        inner.start += 1;
    }
    if body.get(inner.clone()).is_some_and(|b| b.ends_with('|')) && inner.end > inner.start {
        inner.end -= 1;
    }
    let mut cells = Vec::new();
    let mut start = inner.start;
    for (i, c) in body.get(inner.clone()).unwrap_or("").char_indices() {
        if c == '|' {
            cells.push(trimmed(
                text,
                line_start + start..line_start + inner.start + i,
            ));
            start = inner.start + i + 1;
        }
    }
    cells.push(trimmed(text, line_start + start..line_start + inner.end));
    cells
}

/// The body rows of one table as they are assembled line by line: (column, range) per row.
struct BodyRows {
    /// Cells of the header row.
    width: usize,
    rows: Vec<Vec<(usize, Range<usize>)>>,
    /// The last line ended with `|` without starting with one: its row goes on.
    open: bool,
}

impl BodyRows {
    fn new(width: usize) -> Self {
        BodyRows {
            width,
            rows: Vec::new(),
            open: false,
        }
    }

    /// Adds one line holding `|`, split into `cells`; `next_leading`: the next line starts
    /// with `|` (so a short line here is a row cut in two, not a rowspan's tail).
    fn add_line(&mut self, line: &str, cells: Vec<Range<usize>>, next_leading: bool) {
        let t = line.trim();
        let leading = t.starts_with('|');
        let trailing = t.ends_with('|');
        let width = self.width;
        let was_open = self.open;
        self.open = trailing && !leading;
        if let Some(last) = self.rows.last_mut() {
            let have = last.iter().map(|(c, _)| c + 1).max().unwrap_or(0);
            let continues = was_open || (leading && !trailing);
            if have < width && continues && have + cells.len() <= width {
                last.extend(cells.into_iter().enumerate().map(|(i, r)| (have + i, r)));
                return;
            }
            if have >= width && !leading && !next_leading && cells.len() < width {
                let first = width - cells.len();
                self.open = false;
                last.extend(cells.into_iter().enumerate().map(|(i, r)| (first + i, r)));
                return;
            }
        }
        self.rows.push(cells.into_iter().enumerate().collect());
    }

    /// Adds a line without `|`: the next cell of a row left open, else a row of one cell.
    fn add_bare(&mut self, cell: Range<usize>) {
        let was_open = std::mem::replace(&mut self.open, false);
        if let Some(last) = self.rows.last_mut().filter(|_| was_open) {
            let have = last.iter().map(|(c, _)| c + 1).max().unwrap_or(0);
            if have < self.width {
                last.push((have, cell));
                return;
            }
        }
        self.rows.push(vec![(0, cell)]);
    }
}

/// Whether `line`, without `|`, is a table cell: short, not a sentence, and the next line is
/// a table line (or the row above is still open).
fn bare_row(line: &str, next: Option<&str>, open: bool) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.chars().count() <= MAX_BARE_ROW_CHARS
        && !t.ends_with(['。', '：', ':', '；', ';'])
        && (open || next.is_some_and(|n| n.contains('|') && !is_separator(n)))
}

/// Cells of pipe tables in `text` (see the module docs).
pub(super) fn markdown_cells(text: &str) -> Vec<TableCell> {
    let lines: Vec<(usize, &str)> = {
        let mut pos = 0usize;
        text.split_inclusive('\n')
            .map(|l| {
                let at = pos;
                pos += l.len();
                (at, l.trim_end_matches(['\n', '\r']))
            })
            .collect()
    };
    let mut cells = Vec::new();
    let mut table = 0usize;
    let mut i = 1usize;
    while i < lines.len() {
        let (Some(&(hs, header)), Some(&(_, sep))) = (lines.get(i - 1), lines.get(i)) else {
            break;
        };
        if !(is_separator(sep) && header.contains('|') && !is_separator(header)) {
            i += 1;
            continue;
        }
        table += 1;
        let header_cells = split_cells(text, hs, header);
        let mut body = BodyRows::new(header_cells.len());
        for (col, range) in header_cells.into_iter().enumerate() {
            cells.push(TableCell {
                table,
                row: 0,
                col,
                range,
            });
        }
        i += 1;
        while let Some(&(ls, line)) = lines.get(i) {
            if line.trim().is_empty() || is_separator(line) {
                break;
            }
            if line.contains('|') {
                let next_leading = lines
                    .get(i + 1)
                    .is_some_and(|(_, l)| l.trim_start().starts_with('|'));
                body.add_line(line, split_cells(text, ls, line), next_leading);
            } else if bare_row(line, lines.get(i + 1).map(|(_, l)| *l), body.open) {
                body.add_bare(trimmed(text, ls..ls + line.len()));
            } else {
                break;
            }
            i += 1;
        }
        for (row, row_cells) in body.rows.into_iter().enumerate() {
            for (col, range) in row_cells {
                cells.push(TableCell {
                    table,
                    row: row + 1,
                    col,
                    range,
                });
            }
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (row, col, text) of every cell.
    fn read(text: &str) -> Vec<(usize, usize, String)> {
        markdown_cells(text)
            .into_iter()
            .map(|c| (c.row, c.col, text[c.range].to_string()))
            .collect()
    }

    #[test]
    fn rowspan_lines_join_the_row_above_in_its_last_columns() {
        let t = "名称 | 目的 | 权限 | 说明\n---|---|---|---\n甲SDK | 推送 | 存储 | 读文件\n电话 | 读状态\n乙SDK | 统计 | 位置 | 定位\n";
        let cells = read(t);
        assert!(cells.contains(&(1, 2, "电话".to_string())));
        assert!(cells.contains(&(1, 3, "读状态".to_string())));
        assert!(cells.contains(&(2, 0, "乙SDK".to_string())));
        assert!(!cells.iter().any(|(_, c, s)| *c == 0 && s == "电话"));
    }

    #[test]
    fn a_row_cut_after_a_pipe_is_one_row() {
        let t = "名称 | 目的 | 公司\n---|---|---\n甲SDK | 推送 |\n某公司\n乙SDK | 统计 | 乙公司\n丙SDK | 分享\n| 丙公司\n";
        let cells = read(t);
        assert!(cells.contains(&(1, 0, "甲SDK".to_string())));
        assert!(cells.contains(&(3, 0, "丙SDK".to_string())));
        assert!(cells.contains(&(3, 2, "丙公司".to_string())));
        assert_eq!(cells.iter().filter(|(_, c, _)| *c == 0).count(), 4);
    }

    #[test]
    fn a_short_line_without_pipes_between_rows_is_a_name_row() {
        let t = "名称 | 信息 | 目的\n---|---|---\n甲SDK | 位置 | 定位\n乙统计 SDK\n丙SDK | 设备 | 统计\n\n正文。\n";
        let cells = read(t);
        assert!(cells.contains(&(2, 0, "乙统计 SDK".to_string())));
        assert!(cells.contains(&(3, 0, "丙SDK".to_string())));
        assert!(!cells.iter().any(|(_, _, s)| s.contains("正文")));
    }

    #[test]
    fn bounded_rows_stay_rows() {
        let t = "| a | b | c |\n|---|---|---|\n| x | y |\n| z | w |\n";
        let cells = read(t);
        assert!(cells.contains(&(1, 0, "x".to_string())));
        assert!(cells.contains(&(2, 0, "z".to_string())));
    }
}
