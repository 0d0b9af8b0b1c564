//! HTML rendered to text with its structure, by the HTML parser (scraper / html5ever):
//! headings and levels, paragraphs, list items and depth, blockquotes, table rows and cells
//! with `rowspan` / `colspan` expanded (a spanned cell is repeated in every row and column
//! it covers), `<br>` and block elements inside cells kept as spaces, nested tables read as
//! tables of their own. Iterative (no recursion), so nesting depth cannot overflow the stack.
//!
//! ```
//! let doc = disclose::policy::read_policy_bytes("p.html",
//!     "<table><tr><th>SDK名称</th><th>目的</th></tr><tr><td>个推<br>推送</td><td>推送</td></tr></table>".as_bytes()).unwrap();
//! assert_eq!(doc.cells.len(), 4);
//! ```

use super::blocks::{trimmed, Block, BlockKind};
use super::TableCell;
use scraper::{Html, Node};
use std::collections::HashMap;
use std::ops::Range;

/// HTML nesting deeper than this is flattened (text kept, structure ignored) and reported.
pub(super) const MAX_HTML_DEPTH: usize = 512;

/// Largest `rowspan` / `colspan` honoured (larger values are clamped).
const MAX_SPAN: usize = 64;

pub(super) struct Rendered {
    pub text: String,
    pub headings: Vec<Range<usize>>,
    pub cells: Vec<TableCell>,
    pub blocks: Vec<Block>,
    pub too_deep: bool,
}

fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "tr"
            | "table"
            | "pre"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "blockquote"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "main"
            | "aside"
            | "tbody"
            | "thead"
            | "caption"
            | "title"
            | "body"
    )
}

fn is_skipped(tag: &str) -> bool {
    matches!(
        tag,
        "script" | "style" | "nav" | "noscript" | "template" | "head" | "svg" | "iframe" | "object"
    )
}

fn newline(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// One open table: its number, current row and column, the cell being read, and the cells
/// that earlier rows' `rowspan`s carry into later rows ((row, col) → range).
struct TableState {
    table: usize,
    row: Option<usize>,
    col: usize,
    cell: Option<(usize, usize, usize, usize)>, // (start, depth, rowspan, colspan)
    carried: HashMap<(usize, usize), Range<usize>>,
    row_start: usize,
}

impl TableState {
    /// Repeats the cells carried into (row, col…) by rowspans, moving `col` past them.
    fn fill_carried(&mut self, cells: &mut Vec<TableCell>) {
        let Some(row) = self.row else { return };
        while let Some(r) = self.carried.remove(&(row, self.col)) {
            cells.push(TableCell {
                table: self.table,
                row,
                col: self.col,
                range: r,
            });
            self.col += 1;
        }
    }
}

fn span_attr(el: &scraper::node::Element, name: &str) -> usize {
    el.attr(name)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_SPAN)
}

/// The walk over the parsed tree: the text and structure so far, and where it is.
struct Renderer {
    r: Rendered,
    depth: usize,
    skip_depth: Option<usize>,
    open: Vec<(usize, usize, BlockKind)>, // (start, depth, kind)
    tables: Vec<TableState>,
    table_count: usize,
    lists: u8,
    in_pre: usize,
}

impl Renderer {
    fn new(source_len: usize) -> Self {
        Renderer {
            r: Rendered {
                text: String::with_capacity(source_len / 2),
                headings: Vec::new(),
                cells: Vec::new(),
                blocks: Vec::new(),
                too_deep: false,
            },
            depth: 0,
            skip_depth: None,
            open: Vec::new(),
            tables: Vec::new(),
            table_count: 0,
            lists: 0,
            in_pre: 0,
        }
    }

    fn in_cell(&self) -> bool {
        self.tables.last().is_some_and(|t| t.cell.is_some())
    }

    fn open_element(&mut self, el: &scraper::node::Element) {
        self.depth += 1;
        if self.depth > MAX_HTML_DEPTH {
            self.r.too_deep = true;
            return;
        }
        let tag = el.name();
        if self.skip_depth.is_some() {
            return;
        }
        if is_skipped(tag) {
            self.skip_depth = Some(self.depth);
            return;
        }
        let in_cell = self.in_cell();
        match tag {
            "table" | "tr" | "td" | "th" => self.open_table_part(tag, el),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                newline(&mut self.r.text);
                let level = tag.get(1..).and_then(|l| l.parse().ok()).unwrap_or(6);
                self.open
                    .push((self.r.text.len(), self.depth, BlockKind::Heading { level }));
            }
            "ul" | "ol" => {
                self.lists = self.lists.saturating_add(1);
                if !in_cell {
                    newline(&mut self.r.text);
                }
            }
            "li" | "p" | "blockquote" if !in_cell => {
                newline(&mut self.r.text);
                let kind = match tag {
                    "li" => BlockKind::ListItem {
                        depth: self.lists.max(1),
                    },
                    "p" => BlockKind::Paragraph,
                    _ => BlockKind::Blockquote,
                };
                self.open.push((self.r.text.len(), self.depth, kind));
            }
            "pre" => {
                newline(&mut self.r.text);
                self.in_pre += 1;
            }
            t if is_block(t) && !in_cell => newline(&mut self.r.text),
            "br" | "p" | "div" | "li" if in_cell => self.r.text.push(' '),
            _ => {}
        }
    }

    fn open_table_part(&mut self, tag: &str, el: &scraper::node::Element) {
        let r = &mut self.r;
        match tag {
            "table" => {
                newline(&mut r.text);
                self.table_count += 1;
                self.tables.push(TableState {
                    table: self.table_count,
                    row: None,
                    col: 0,
                    cell: None,
                    carried: HashMap::new(),
                    row_start: r.text.len(),
                });
            }
            "tr" => {
                newline(&mut r.text);
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(t.row.map_or(0, |x| x + 1));
                    t.col = 0;
                    t.row_start = r.text.len();
                    t.fill_carried(&mut r.cells);
                }
            }
            _ => {
                if let Some(t) = self.tables.last_mut() {
                    if t.row.is_none() {
                        t.row = Some(0);
                    }
                    t.fill_carried(&mut r.cells);
                    if t.col > 0 {
                        r.text.push('\t');
                    }
                    let (rs, cs) = (span_attr(el, "rowspan"), span_attr(el, "colspan"));
                    t.cell = Some((r.text.len(), self.depth, rs, cs));
                }
            }
        }
    }

    fn text(&mut self, t: &str) {
        if self.skip_depth.is_some() {
            return;
        }
        if self.in_pre > 0 && !self.in_cell() {
            self.r.text.push_str(t);
        } else {
            push_collapsed(&mut self.r.text, t);
        }
    }

    fn close_element(&mut self, el: &scraper::node::Element) {
        let here = self.depth;
        self.depth = self.depth.saturating_sub(1);
        if here > MAX_HTML_DEPTH {
            return;
        }
        if let Some(s) = self.skip_depth {
            if s == here {
                self.skip_depth = None;
            }
            return;
        }
        let r = &mut self.r;
        if self.open.last().is_some_and(|(_, d, _)| *d == here) {
            if let Some((start, _, kind)) = self.open.pop() {
                let range = trimmed(&r.text, start..r.text.len());
                if let BlockKind::Heading { .. } = kind {
                    r.headings.push(range.clone());
                }
                if !range.is_empty() {
                    r.blocks.push(Block { kind, range });
                }
            }
        }
        match el.name() {
            "td" | "th" => close_cell(r, &mut self.tables, here),
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.fill_carried(&mut r.cells);
                    let range = trimmed(&r.text, t.row_start..r.text.len());
                    if let (Some(row), false) = (t.row, range.is_empty()) {
                        r.blocks.push(Block {
                            kind: BlockKind::TableRow {
                                table: t.table,
                                row,
                            },
                            range,
                        });
                    }
                }
                newline(&mut r.text);
            }
            "table" => {
                self.tables.pop();
                newline(&mut r.text);
            }
            "ul" | "ol" => self.lists = self.lists.saturating_sub(1),
            "pre" => {
                self.in_pre = self.in_pre.saturating_sub(1);
                newline(&mut r.text);
            }
            t if is_block(t) && self.tables.last().is_none_or(|t| t.cell.is_none()) => {
                newline(&mut r.text)
            }
            _ => {}
        }
    }
}

/// Renders HTML to text with its structure.
pub(super) fn render_html(source: &str) -> Rendered {
    use ego_tree::iter::Edge;
    let html = Html::parse_document(source);
    let mut walk = Renderer::new(source.len());
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => walk.open_element(el),
                Node::Text(t) => walk.text(&t[..]),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    walk.close_element(el);
                }
            }
        }
    }
    let mut r = walk.r;
    r.blocks
        .sort_by_key(|b| (b.range.start, std::cmp::Reverse(b.range.end)));
    r
}

/// Ends the cell opened at `depth`: records it for every row and column it spans.
fn close_cell(r: &mut Rendered, tables: &mut [TableState], depth: usize) {
    let Some(t) = tables.last_mut() else { return };
    let Some((start, d, rowspan, colspan)) = t.cell else {
        return;
    };
    if d != depth {
        return;
    }
    t.cell = None;
    let range = trimmed(&r.text, start..r.text.len());
    let row = t.row.unwrap_or(0);
    for c in t.col..t.col + colspan {
        r.cells.push(TableCell {
            table: t.table,
            row,
            col: c,
            range: range.clone(),
        });
        for below in 1..rowspan {
            t.carried.insert((row + below, c), range.clone());
        }
    }
    t.col += colspan;
}

/// Appends HTML text with whitespace runs collapsed to one space.
fn push_collapsed(out: &mut String, text: &str) {
    let mut in_space = out.ends_with(|c: char| c.is_whitespace());
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
                in_space = true;
            }
        } else {
            out.push(c);
            in_space = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(r: &Rendered, table: usize) -> Vec<(usize, usize, String)> {
        let mut v: Vec<_> = r
            .cells
            .iter()
            .filter(|c| c.table == table)
            .map(|c| (c.row, c.col, r.text[c.range.clone()].to_string()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn spans_are_expanded_and_nested_tables_kept_apart() {
        let r = render_html(concat!(
            "<table><tr><th colspan=2>SDK</th><th>目的</th></tr>",
            "<tr><td rowspan=2>A</td><td>B</td><td>C</td></tr>",
            "<tr><td>D<br>E</td><td><table><tr><td>inner</td></tr></table></td></tr></table>"
        ));
        let outer = grid(&r, 1);
        assert!(outer.contains(&(0, 1, "SDK".into())));
        assert!(outer.contains(&(2, 0, "A".into())));
        assert!(outer.contains(&(2, 1, "D E".into())));
        assert_eq!(grid(&r, 2), vec![(0, 0, "inner".into())]);
    }
}
