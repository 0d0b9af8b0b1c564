//! Markdown read with a CommonMark parser (pulldown-cmark, with pipe tables). The document
//! text keeps every byte offset and line of the file: markup (`**`, `#`, `[`, `](url)`, `|`,
//! `>`, inline tags) is replaced by spaces, so "do **not** collect" reads as "do   not
//! collect" and emphasis never hides a word. Raw HTML blocks go to the HTML reader; their
//! tags are blanked the same way and their table cells mapped back into the file.
//!
//! ```
//! let doc = disclose::policy::read_policy_bytes("p.md", b"We do **not** collect *contacts*.").unwrap();
//! assert_eq!(doc.text, "We do   not   collect  contacts .");
//! ```

use super::blocks::{trimmed, Block, BlockKind};
use super::TableCell;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// A Markdown file read: blanked text, blocks, table cells, whether HTML was too deep.
pub(super) struct MarkdownRead {
    pub text: String,
    pub blocks: Vec<Block>,
    pub cells: Vec<TableCell>,
    pub too_deep: bool,
}

/// State of the table being read.
struct TableState {
    table: usize,
    row: usize,
    col: usize,
    cell: Option<Range<usize>>,
}

/// What the event walk collects: kept text ranges, raw HTML ranges, blocks and cells.
#[derive(Default)]
struct Walk {
    keep: Vec<Range<usize>>,
    html_blocks: Vec<Range<usize>>,
    blocks: Vec<Block>,
    cells: Vec<TableCell>,
    lists: u8,
    tables: usize,
    table: Option<TableState>,
    in_html_block: bool,
}

impl Walk {
    fn start(&mut self, tag: Tag, range: Range<usize>) {
        let kind = match tag {
            Tag::Heading { level, .. } => Some(BlockKind::Heading { level: level as u8 }),
            Tag::Paragraph => Some(BlockKind::Paragraph),
            Tag::Item => Some(BlockKind::ListItem {
                depth: self.lists.max(1),
            }),
            Tag::BlockQuote(_) => Some(BlockKind::Blockquote),
            Tag::List(_) => {
                self.lists = self.lists.saturating_add(1);
                None
            }
            Tag::HtmlBlock => {
                self.in_html_block = true;
                None
            }
            Tag::Table(_) => {
                self.tables += 1;
                self.table = Some(TableState {
                    table: self.tables,
                    row: 0,
                    col: 0,
                    cell: None,
                });
                None
            }
            Tag::TableHead | Tag::TableRow => self.table.as_mut().map(|t| {
                t.col = 0;
                BlockKind::TableRow {
                    table: t.table,
                    row: t.row,
                }
            }),
            Tag::TableCell => {
                if let Some(t) = self.table.as_mut() {
                    t.cell = None;
                }
                None
            }
            _ => None,
        };
        if let Some(kind) = kind {
            self.blocks.push(Block { kind, range });
        }
    }

    fn end(&mut self, end: TagEnd) {
        match end {
            TagEnd::List(_) => self.lists = self.lists.saturating_sub(1),
            TagEnd::HtmlBlock => self.in_html_block = false,
            TagEnd::Table => self.table = None,
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.row += 1;
                }
            }
            TagEnd::TableCell => {
                if let Some(t) = self.table.as_mut() {
                    if let Some(r) = t.cell.take() {
                        self.cells.push(TableCell {
                            table: t.table,
                            row: t.row,
                            col: t.col,
                            range: r,
                        });
                    }
                    t.col += 1;
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, range: Range<usize>) {
        if let Some(t) = self.table.as_mut() {
            t.cell = Some(match t.cell.take() {
                Some(c) => c.start..range.end,
                None => range.clone(),
            });
        }
        self.keep.push(range);
    }
}

pub(super) fn read(source: &str) -> MarkdownRead {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut walk = Walk::default();
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        match event {
            Event::Start(tag) => walk.start(tag, range),
            Event::End(end) => walk.end(end),
            Event::Text(_) | Event::Code(_) => walk.text(range),
            Event::Html(_) if walk.in_html_block => walk.html_blocks.push(range),
            _ => {}
        }
    }
    let Walk {
        keep,
        html_blocks,
        mut blocks,
        mut cells,
        tables,
        ..
    } = walk;
    let mut bytes = source.as_bytes().to_vec();
    blank_except(&mut bytes, &keep, &html_blocks);
    let mut too_deep = false;
    // Each raw HTML block numbers its tables from 0: shift them past every table read so far,
    // so that two blocks' tables never share a number (and their rows never mix).
    let mut next_table = tables;
    for block in merge(html_blocks) {
        too_deep |= read_html_block(
            source,
            &mut bytes,
            block,
            next_table,
            &mut blocks,
            &mut cells,
        );
        next_table = cells
            .iter()
            .map(|c| c.table + 1)
            .max()
            .unwrap_or(next_table)
            .max(next_table);
    }
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    blocks.sort_by_key(|b| (b.range.start, std::cmp::Reverse(b.range.end)));
    for b in blocks.iter_mut() {
        b.range = trimmed(&text, b.range.clone());
    }
    for c in cells.iter_mut() {
        c.range = trimmed(&text, c.range.clone());
    }
    MarkdownRead {
        text,
        blocks,
        cells,
        too_deep,
    }
}

/// Adjacent HTML event ranges of one block, joined.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Every byte outside `keep` and `html` becomes a space (line breaks stay), so the text keeps
/// the file's offsets and lines. Ranges from the parser are on char boundaries, and only whole
/// runs between them are blanked, so the result stays UTF-8.
fn blank_except(bytes: &mut [u8], keep: &[Range<usize>], html: &[Range<usize>]) {
    let mut mask = vec![false; bytes.len()];
    for r in keep.iter().chain(html) {
        if let Some(m) = mask.get_mut(r.clone()) {
            m.iter_mut().for_each(|b| *b = true);
        }
    }
    for (b, kept) in bytes.iter_mut().zip(mask) {
        if !kept && *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

/// Reads one raw HTML block: renders it with the HTML reader for its structure, blanks its
/// tags in place and maps the rendered cells and blocks back onto the file's bytes.
/// Returns whether the HTML was nested too deep.
fn read_html_block(
    source: &str,
    bytes: &mut [u8],
    range: Range<usize>,
    table_offset: usize,
    blocks: &mut Vec<Block>,
    cells: &mut Vec<TableCell>,
) -> bool {
    let Some(html) = source.get(range.clone()) else {
        return false;
    };
    let rendered = super::html::render_html(html);
    // Blank tags and comments: `<` up to the matching `>`.
    let mut in_tag = false;
    if let Some(slice) = bytes.get_mut(range.clone()) {
        for b in slice.iter_mut() {
            match *b {
                b'<' => {
                    in_tag = true;
                    *b = b' ';
                }
                b'>' if in_tag => {
                    in_tag = false;
                    *b = b' ';
                }
                b'\n' | b'\r' => {}
                _ if in_tag => *b = b' ',
                _ => {}
            }
        }
    }
    let blanked = std::str::from_utf8(bytes.get(range.clone()).unwrap_or(&[])).unwrap_or("");
    let map = align(&rendered.text, blanked);
    let to_source = |r: &Range<usize>| -> Option<Range<usize>> {
        let start = (r.start..r.end).find_map(|i| map.get(i).copied().flatten())?;
        let end = (r.start..r.end)
            .rev()
            .find_map(|i| map.get(i).copied().flatten().map(|s| s + 1))?;
        let (s, e) = (range.start + start, range.start + end);
        (s < e).then_some(s..e)
    };
    for c in &rendered.cells {
        if let Some(r) = to_source(&c.range) {
            cells.push(TableCell {
                table: c.table + table_offset,
                row: c.row,
                col: c.col,
                range: widen_to_chars(source, r),
            });
        }
    }
    for b in &rendered.blocks {
        if let Some(r) = to_source(&b.range) {
            let kind = match b.kind {
                BlockKind::TableRow { table, row } => BlockKind::TableRow {
                    table: table + table_offset,
                    row,
                },
                k => k,
            };
            blocks.push(Block {
                kind,
                range: widen_to_chars(source, r),
            });
        }
    }
    rendered.too_deep
}

fn widen_to_chars(text: &str, r: Range<usize>) -> Range<usize> {
    let mut s = r.start.min(text.len());
    while s > 0 && !text.is_char_boundary(s) {
        s -= 1;
    }
    let mut e = r.end.min(text.len());
    while e < text.len() && !text.is_char_boundary(e) {
        e += 1;
    }
    s..e
}

/// For each byte of `rendered`: the byte of `blanked` holding the same character, found by
/// walking both texts in order (whitespace skipped; a character not found within a short
/// look-ahead, such as a decoded entity, maps to nothing).
fn align(rendered: &str, blanked: &str) -> Vec<Option<usize>> {
    const LOOK_AHEAD: usize = 48;
    let mut map = vec![None; rendered.len()];
    // Whitespace is skipped on both sides: a blanked tag (`<th style="…">`, a run of `<col />`
    // lines) is a run of spaces longer than the look-ahead, and would stop the walk.
    let src: Vec<(usize, char)> = blanked
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .collect();
    let mut cursor = 0usize;
    for (i, c) in rendered.char_indices() {
        if c.is_whitespace() {
            continue;
        }
        let window = src
            .get(cursor..(cursor + LOOK_AHEAD).min(src.len()))
            .unwrap_or(&[]);
        if let Some(k) = window.iter().position(|&(_, s)| s == c) {
            if let Some(&(at, s)) = src.get(cursor + k) {
                for j in 0..c.len_utf8() {
                    if let Some(slot) = map.get_mut(i + j) {
                        *slot = Some(at + j.min(s.len_utf8() - 1));
                    }
                }
            }
            cursor += k + 1;
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_of_separate_html_blocks_keep_separate_numbers() {
        let src = "# 标题\n\n<table>\n<tr><th>SDK名称</th><th>使用目的</th></tr>\n<tr><td>甲SDK</td><td>推送</td></tr>\n</table>\n\n段落。\n\n<table>\n<tr><th>权限</th><th>用途</th></tr>\n<tr><td>相机</td><td>扫码</td></tr>\n</table>\n";
        let md = read(src);
        let first = md
            .cells
            .iter()
            .find(|c| &md.text[c.range.clone()] == "甲SDK");
        let second = md
            .cells
            .iter()
            .find(|c| &md.text[c.range.clone()] == "相机");
        assert!(first.is_some() && second.is_some(), "{:?}", md.cells);
        assert_ne!(first.map(|c| c.table), second.map(|c| c.table));
    }

    #[test]
    fn cells_after_long_blanked_tags_are_mapped() {
        let style = "style=\"width: 200px; overflow: hidden; text-overflow: ellipsis;\"";
        let src = format!(
            "# 标题\n\n<table>\n<colgroup>\n<col />\n<col />\n<col />\n<col />\n</colgroup>\n<tr><th {style}>SDK名称</th><th {style}>使用目的</th></tr>\n<tr><td {style}>极光推送SDK</td><td {style}>推送</td></tr>\n</table>\n"
        );
        let md = read(&src);
        let texts: Vec<&str> = md.cells.iter().map(|c| &md.text[c.range.clone()]).collect();
        assert_eq!(texts, ["SDK名称", "使用目的", "极光推送SDK", "推送"]);
    }

    #[test]
    fn keeps_offsets_and_reads_structure() {
        let src = "# 标题\n\n> | SDK名称 | 使用目的 |\n> |---|---|\n> | **极光推送** | 推送 |\n\n- [Firebase](https://x.example/y) 分析\n  - 子项\n";
        let md = read(src);
        assert_eq!(md.text.len(), src.len());
        assert_eq!(md.text.lines().count(), src.lines().count());
        let cell = md
            .cells
            .iter()
            .find(|c| c.row == 1 && c.col == 0)
            .map(|c| &md.text[c.range.clone()]);
        assert_eq!(cell, Some("极光推送"));
        assert!(md
            .blocks
            .iter()
            .any(|b| b.kind == BlockKind::ListItem { depth: 2 }));
        assert!(md.blocks.iter().any(|b| b.kind == BlockKind::Blockquote));
        assert!(!md.text.contains("https"));
    }

    #[test]
    fn raw_html_table_cells_map_into_the_file() {
        let src = "Intro\n\n<table><tr><th>SDK名称</th><th>目的</th></tr>\n<tr><td rowspan=\"2\">个推</td><td>推送</td></tr>\n<tr><td>统计</td></tr></table>\n";
        let md = read(src);
        assert_eq!(md.text.len(), src.len());
        let at = |row: usize, col: usize| {
            md.cells
                .iter()
                .find(|c| c.row == row && c.col == col)
                .map(|c| md.text[c.range.clone()].to_string())
        };
        assert_eq!(at(1, 0).as_deref(), Some("个推"));
        assert_eq!(at(2, 0).as_deref(), Some("个推"));
        assert_eq!(at(2, 1).as_deref(), Some("统计"));
    }
}
