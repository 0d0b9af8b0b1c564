//! The document model: blocks with structure (heading and level, paragraph, list item and
//! depth, table row, blockquote), each with its byte range in [`super::PolicyDocument::text`].
//! Markdown and HTML blocks come from their parsers (`markdown.rs`, `read.rs`); plain text is
//! cut here into lines: list items (bullets, `1.`, `（3）`: what starts one is
//! [`ListMarkers`], data under `signatures/language/`), `#` headings, paragraphs.
//!
//! ```
//! use disclose::policy::{read_policy_bytes, BlockKind};
//! let doc = read_policy_bytes("p.md", "# Privacy\n\n- **Firebase**: crash reports\n".as_bytes()).unwrap();
//! let item = doc.blocks().iter().find(|b| matches!(b.kind, BlockKind::ListItem { .. })).unwrap();
//! assert_eq!(doc.text[item.range.clone()].trim(), "Firebase  : crash reports");
//! ```

use super::lang::list_markers::ListMarkers;
use serde::Serialize;
use std::ops::Range;

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum BlockKind {
    /// `level` 1–6.
    Heading {
        level: u8,
    },
    Paragraph,
    /// `depth` 1 for a top-level item.
    ListItem {
        depth: u8,
    },
    /// One row of table `table` (1-based); its cells are in `PolicyDocument::cells`.
    TableRow {
        table: usize,
        row: usize,
    },
    /// A whole blockquote (its paragraphs and items are blocks too).
    Blockquote,
}

/// One block and its byte range in the document text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    #[serde(flatten)]
    pub kind: BlockKind,
    pub range: Range<usize>,
}

/// Trims `range` of `text` to its non-whitespace content.
pub(super) fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = text.get(range.clone()).unwrap_or("");
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    let start = range.start + lead;
    start..range.end.saturating_sub(trail).max(start)
}

/// Blocks of plain text: one per non-empty line.
pub(super) fn text_blocks(text: &str, markers: &ListMarkers) -> Vec<Block> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    for line in text.split_inclusive('\n') {
        let range = trimmed(text, pos..pos + line.len());
        pos += line.len();
        if range.is_empty() {
            continue;
        }
        let body = text.get(range.clone()).unwrap_or("");
        let hashes = body.chars().take_while(|c| *c == '#').count();
        let kind = if (1..=6).contains(&hashes)
            && body.get(hashes..).is_some_and(|r| r.starts_with(' '))
        {
            BlockKind::Heading {
                level: u8::try_from(hashes).unwrap_or(6),
            }
        } else if markers.starts_item(body) {
            let indent = line.len() - line.trim_start().len();
            BlockKind::ListItem {
                depth: u8::try_from(1 + indent / 2).unwrap_or(u8::MAX),
            }
        } else {
            BlockKind::Paragraph
        };
        out.push(Block { kind, range });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lines_become_blocks() {
        let t = "# 标题\n1. 极光推送SDK：用于推送\n（3）某某统计SDK\n普通段落。\n  - 子项\n";
        let markers = ListMarkers::builtin().unwrap_or_else(|e| panic!("{e}"));
        let kinds: Vec<BlockKind> = text_blocks(t, markers)
            .into_iter()
            .map(|b| b.kind)
            .collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Heading { level: 1 },
                BlockKind::ListItem { depth: 1 },
                BlockKind::ListItem { depth: 1 },
                BlockKind::Paragraph,
                BlockKind::ListItem { depth: 2 },
            ]
        );
    }
}
