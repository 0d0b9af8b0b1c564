//! Reading a policy file: size bound, encoding detection (UTF-8, UTF-16 with BOM, GB18030/GBK,
//! Big5; anything else refused),
//! format detection (HTML, Markdown, plain text) and rendering HTML to text with its headings
//! and table cells kept as structure.

use super::normal::NormalText;
use super::{PolicyDocument, PolicyError, PolicyFormat};
use std::io::Read;
use std::ops::Range;

/// Largest policy accepted (real policies are under 1 MB; appendices included, under 5 MB).
pub const MAX_POLICY_BYTES: u64 = 20 * 1024 * 1024;

use super::blocks::{text_blocks, trimmed, BlockKind};
use super::html::{render_html, MAX_HTML_DEPTH};
use super::lang::list_markers::ListMarkers;
use super::pipes::markdown_cells;

pub(super) fn read_file(path: &std::path::Path) -> Result<PolicyDocument, PolicyError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| PolicyError::Io {
        file: name.clone(),
        message: e.to_string(),
    })?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > MAX_POLICY_BYTES {
        return Err(PolicyError::TooLarge {
            file: name,
            size: len,
            limit: MAX_POLICY_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(MAX_POLICY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| PolicyError::Io {
            file: name.clone(),
            message: e.to_string(),
        })?;
    read_bytes(&name, &bytes)
}

pub(super) fn read_bytes(name: &str, bytes: &[u8]) -> Result<PolicyDocument, PolicyError> {
    let size = bytes.len() as u64;
    if size > MAX_POLICY_BYTES {
        return Err(PolicyError::TooLarge {
            file: name.to_string(),
            size,
            limit: MAX_POLICY_BYTES,
        });
    }
    if bytes.starts_with(b"%PDF-") {
        return Err(PolicyError::Pdf {
            file: name.to_string(),
        });
    }
    let (decoded, encoding, lossy) = decode(name, bytes)?;
    let lower_name = name.to_ascii_lowercase();
    let format = if lower_name.ends_with(".html")
        || lower_name.ends_with(".htm")
        || looks_like_html(&decoded)
    {
        PolicyFormat::Html
    } else if lower_name.ends_with(".md") || lower_name.ends_with(".markdown") {
        PolicyFormat::Markdown
    } else {
        PolicyFormat::Text
    };
    let mut notes = Vec::new();
    if lossy {
        notes.push(format!(
            "{name}: invalid byte sequences replaced while decoding as {encoding}"
        ));
    }
    let (text, headings, cells, blocks) = match format {
        PolicyFormat::Html => {
            let rendered = render_html(&decoded);
            if rendered.too_deep {
                notes.push(deep_note(name));
            }
            let mut cells = rendered.cells;
            let offset = cells.iter().map(|c| c.table).max().unwrap_or(0) + 1;
            cells.extend(markdown_cells(&rendered.text).into_iter().map(|mut c| {
                c.table += offset;
                c
            }));
            (rendered.text, rendered.headings, cells, rendered.blocks)
        }
        PolicyFormat::Markdown => {
            let md = super::markdown::read(&decoded);
            if md.too_deep {
                notes.push(deep_note(name));
            }
            let headings = md
                .blocks
                .iter()
                .filter(|b| matches!(b.kind, BlockKind::Heading { .. }))
                .map(|b| b.range.clone())
                .collect();
            let mut cells = md.cells;
            cells.extend(paragraph_tables(&decoded, &md.blocks, &cells));
            (md.text, headings, cells, md.blocks)
        }
        PolicyFormat::Text => {
            let markers = ListMarkers::builtin()?;
            // Three independent reads of the same text, on the cores there are.
            let (headings, (cells, blocks)) = rayon::join(
                || markdown_headings(&decoded),
                || {
                    rayon::join(
                        || markdown_cells(&decoded),
                        || text_blocks(&decoded, markers),
                    )
                },
            );
            (decoded, headings, cells, blocks)
        }
    };
    let structure = super::ReadStructure {
        text,
        headings,
        cells,
        blocks,
    };
    Ok(PolicyDocument::assemble(
        name, format, encoding, structure, notes,
    ))
}

fn deep_note(name: &str) -> String {
    format!("{name}: HTML nested deeper than {MAX_HTML_DEPTH} elements; structure below that depth ignored")
}

/// Decodes the bytes; returns the text, the encoding name and whether bytes were replaced.
fn decode(name: &str, bytes: &[u8]) -> Result<(String, &'static str, bool), PolicyError> {
    let (text, encoding, lossy) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let (t, lossy) = utf8_lossy(rest);
        (t, "UTF-8", lossy)
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (enc, _) = encoding_rs::Encoding::for_bom(bytes).unwrap_or((encoding_rs::UTF_16LE, 2));
        let (t, _, lossy) = enc.decode(bytes);
        (t.into_owned(), enc.name(), lossy)
    } else if let Ok(t) = std::str::from_utf8(bytes) {
        (t.to_string(), "UTF-8", false)
    } else if let Some((t, enc)) = legacy_chinese(bytes) {
        (t, enc, false)
    } else {
        let (t, lossy) = utf8_lossy(bytes);
        let replaced = t.matches('\u{fffd}').count();
        // Many undecodable bytes and no NUL: text in an encoding we do not read (a binary
        // file, with NULs, is reported as such below).
        if replaced * 100 > t.chars().count().max(1) && memchr::memchr(0, bytes).is_none() {
            return Err(PolicyError::UnknownEncoding {
                file: name.to_string(),
            });
        }
        (t, "UTF-8", lossy)
    };
    if let Some(offset) = binary_offset(&text) {
        return Err(PolicyError::NotText {
            file: name.to_string(),
            offset,
        });
    }
    Ok((text, encoding, lossy))
}

/// Full-width punctuation that Chinese text is full of: the decoding that yields more of it is
/// the right one (Big5 bytes often also decode as GBK, into other characters).
fn punctuation_score(text: &str) -> usize {
    text.chars()
        .filter(|c| {
            matches!(
                c,
                '，' | '。' | '、' | '：' | '；' | '（' | '）' | '「' | '」' | '？' | '！'
            )
        })
        .count()
}

/// GB18030 (GBK) or Big5, when the bytes decode cleanly as one of them; when they decode as
/// both, the one with more Chinese punctuation.
fn legacy_chinese(bytes: &[u8]) -> Option<(String, &'static str)> {
    let gb = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes);
    let big5 = encoding_rs::BIG5.decode_without_bom_handling_and_without_replacement(bytes);
    match (gb, big5) {
        (Some(g), Some(b)) => {
            if punctuation_score(&b) > punctuation_score(&g) {
                Some((b.into_owned(), "Big5"))
            } else {
                Some((g.into_owned(), "GB18030"))
            }
        }
        (Some(g), None) => Some((g.into_owned(), "GB18030")),
        (None, Some(b)) => Some((b.into_owned(), "Big5")),
        (None, None) => None,
    }
}

fn utf8_lossy(bytes: &[u8]) -> (String, bool) {
    let t = String::from_utf8_lossy(bytes);
    let lossy = matches!(t, std::borrow::Cow::Owned(_));
    (t.into_owned(), lossy)
}

/// Offset of the evidence that the text is binary: a NUL, or a control- or replacement-
/// character density above 10 % in the first 64 KiB.
fn binary_offset(text: &str) -> Option<usize> {
    if let Some(p) = memchr::memchr(0, text.as_bytes()) {
        return Some(p);
    }
    let mut total = 0usize;
    let mut bad = 0usize;
    let mut first_bad = None;
    for (i, c) in text.char_indices().take(65_536) {
        total += 1;
        let is_bad =
            (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')) || c == '\u{fffd}';
        if is_bad {
            bad += 1;
            first_bad.get_or_insert(i);
        }
    }
    if total >= 16 && bad * 10 > total {
        return first_bad;
    }
    None
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    let trimmed = head.trim_start();
    trimmed.starts_with("<!doctype html")
        || trimmed.starts_with("<html")
        || head.contains("<body")
        || (trimmed.starts_with('<')
            && (head.contains("<p>") || head.contains("<div") || head.contains("<table")))
}

/// `# Heading` lines of Markdown (and of plain text that uses them).
fn markdown_headings(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end();
        if body.starts_with('#') {
            let stripped = body.trim_start_matches('#');
            if stripped.starts_with(' ') {
                out.push(trimmed(
                    text,
                    pos + (body.len() - stripped.len())..pos + body.len(),
                ));
            }
        }
        pos += line.len();
    }
    out
}

/// Shared by the document: the normalised text of `text`.
pub(super) fn normalise(text: &str) -> NormalText {
    NormalText::new(text)
}

/// Pipe tables that the Markdown parser read as text: a table written under a list item
/// without indentation ("1. Third-Party Services\nThe app uses:\n| Service | Purpose |\n
/// |---|---|") is a lazy continuation of the item's text, not a table, although its author
/// meant one. Their cells are taken from the file (the Markdown text keeps every byte
/// offset) when their header lies in a paragraph, list item or quote and no cell of the
/// parsed tables covers it.
fn paragraph_tables(
    source: &str,
    blocks: &[super::blocks::Block],
    parsed: &[super::TableCell],
) -> Vec<super::TableCell> {
    let offset = parsed.iter().map(|c| c.table).max().unwrap_or(0) + 1;
    // Blocks and parsed cells are looked up by start (both sorted): one search per table.
    // Text blocks: a paragraph, or a tight list item or quote (no paragraph of its own).
    let mut paragraphs: Vec<&Range<usize>> = blocks
        .iter()
        .filter(|b| {
            matches!(
                b.kind,
                BlockKind::Paragraph | BlockKind::ListItem { .. } | BlockKind::Blockquote
            )
        })
        .map(|b| &b.range)
        .collect();
    paragraphs.sort_by_key(|r| r.start);
    let mut parsed_ranges: Vec<&Range<usize>> = parsed.iter().map(|c| &c.range).collect();
    parsed_ranges.sort_by_key(|r| r.start);
    // List items nest: the few ranges starting last before `at` are tried.
    let inside = |sorted: &[&Range<usize>], at: usize| {
        let n = sorted.partition_point(|r| r.start <= at);
        sorted
            .get(..n)
            .is_some_and(|s| s.iter().rev().take(64).any(|r| r.contains(&at)))
    };
    let in_paragraph = |at: usize| inside(&paragraphs, at);
    let parsed_at = |at: usize| inside(&parsed_ranges, at);
    let mut found = markdown_cells(source);
    let tables: std::collections::HashSet<usize> = found
        .iter()
        .filter(|c| c.row == 0 && c.col == 0)
        .filter(|c| in_paragraph(c.range.start) && !parsed_at(c.range.start))
        .map(|c| c.table)
        .collect();
    found.retain(|c| tables.contains(&c.table));
    for c in &mut found {
        c.table += offset;
    }
    found
}
