//! Reading a policy file: size bound, encoding detection (UTF-8, UTF-16 with BOM, GB18030/GBK),
//! format detection (HTML, Markdown, plain text) and rendering HTML to text with its headings
//! and table cells kept as structure.

use super::normal::NormalText;
use super::{PolicyDocument, PolicyError, PolicyFormat, TableCell};
use scraper::{Html, Node};
use std::io::Read;
use std::ops::Range;

/// Largest policy accepted (real policies are under 1 MB; appendices included, under 5 MB).
pub const MAX_POLICY_BYTES: u64 = 20 * 1024 * 1024;

/// HTML nesting deeper than this is flattened (text kept, structure ignored) and reported.
const MAX_HTML_DEPTH: usize = 512;

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
    let (text, headings, cells) = match format {
        PolicyFormat::Html => {
            let rendered = render_html(&decoded);
            if rendered.too_deep {
                notes.push(format!(
                    "{name}: HTML nested deeper than {MAX_HTML_DEPTH} elements; structure below that depth ignored"
                ));
            }
            let mut cells = rendered.cells;
            let offset = cells.iter().map(|c| c.table).max().unwrap_or(0) + 1;
            cells.extend(markdown_cells(&rendered.text).into_iter().map(|mut c| {
                c.table += offset;
                c
            }));
            (rendered.text, rendered.headings, cells)
        }
        PolicyFormat::Markdown | PolicyFormat::Text => {
            let headings = markdown_headings(&decoded);
            let cells = markdown_cells(&decoded);
            (decoded, headings, cells)
        }
    };
    Ok(PolicyDocument::assemble(
        name, format, encoding, text, headings, cells, notes,
    ))
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
    } else if let Some(t) =
        encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)
    {
        (t.into_owned(), "GB18030", false)
    } else {
        let (t, lossy) = utf8_lossy(bytes);
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

struct Rendered {
    text: String,
    headings: Vec<Range<usize>>,
    cells: Vec<TableCell>,
    too_deep: bool,
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

/// Renders HTML to text iteratively (no recursion, so nesting depth cannot overflow the stack).
fn render_html(source: &str) -> Rendered {
    use ego_tree::iter::Edge;
    let html = Html::parse_document(source);
    let mut r = Rendered {
        text: String::with_capacity(source.len() / 2),
        headings: Vec::new(),
        cells: Vec::new(),
        too_deep: false,
    };
    let mut depth = 0usize;
    let mut skip_depth: Option<usize> = None;
    let mut heading_start: Option<(usize, usize)> = None;
    let mut cell_start: Option<(usize, usize)> = None;
    let mut row = 0usize;
    let mut col = 0usize;
    let mut table = 0usize;
    let mut in_pre = 0usize;
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if let Node::Element(el) = node.value() {
                    depth += 1;
                    if depth > MAX_HTML_DEPTH {
                        r.too_deep = true;
                        continue;
                    }
                    let tag = el.name();
                    if skip_depth.is_some() {
                        continue;
                    }
                    if is_skipped(tag) {
                        skip_depth = Some(depth);
                        continue;
                    }
                    match tag {
                        "table" => {
                            newline(&mut r.text);
                            table += 1;
                            row = 0;
                        }
                        "tr" => {
                            newline(&mut r.text);
                            row += 1;
                            col = 0;
                        }
                        "td" | "th" => {
                            if col > 0 {
                                r.text.push('\t');
                            }
                            cell_start = Some((r.text.len(), depth));
                        }
                        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                            newline(&mut r.text);
                            heading_start = Some((r.text.len(), depth));
                        }
                        "pre" => {
                            newline(&mut r.text);
                            in_pre += 1;
                        }
                        t if is_block(t) && cell_start.is_none() => newline(&mut r.text),
                        "br" | "p" | "div" | "li" if cell_start.is_some() => r.text.push(' '),
                        _ => {}
                    }
                } else if let Node::Text(t) = node.value() {
                    if skip_depth.is_some() {
                        continue;
                    }
                    if in_pre > 0 && cell_start.is_none() {
                        r.text.push_str(&t[..]);
                    } else {
                        push_collapsed(&mut r.text, &t[..]);
                    }
                }
            }
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    let here = depth;
                    depth = depth.saturating_sub(1);
                    if here > MAX_HTML_DEPTH {
                        continue;
                    }
                    if let Some(s) = skip_depth {
                        if s == here {
                            skip_depth = None;
                        }
                        continue;
                    }
                    let tag = el.name();
                    match tag {
                        "td" | "th" => {
                            if let Some((start, d)) = cell_start {
                                if d == here {
                                    let end = r.text.len();
                                    r.cells.push(TableCell {
                                        table,
                                        row,
                                        col,
                                        range: trim_range(&r.text, start..end),
                                    });
                                    cell_start = None;
                                    col += 1;
                                }
                            }
                        }
                        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                            if let Some((start, d)) = heading_start {
                                if d == here {
                                    r.headings.push(trim_range(&r.text, start..r.text.len()));
                                    heading_start = None;
                                }
                            }
                            newline(&mut r.text);
                        }
                        "pre" => {
                            in_pre = in_pre.saturating_sub(1);
                            newline(&mut r.text);
                        }
                        "table" => newline(&mut r.text),
                        t if is_block(t) && cell_start.is_none() => newline(&mut r.text),
                        _ => {}
                    }
                }
            }
        }
    }
    r
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

fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = text.get(range.clone()).unwrap_or("");
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    let start = range.start + lead;
    start..range.end.saturating_sub(trail).max(start)
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
                out.push(trim_range(
                    text,
                    pos + (body.len() - stripped.len())..pos + body.len(),
                ));
            }
        }
        pos += line.len();
    }
    out
}

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
            cells.push(trim_range(
                text,
                line_start + start..line_start + inner.start + i,
            ));
            start = inner.start + i + 1;
        }
    }
    cells.push(trim_range(text, line_start + start..line_start + inner.end));
    cells
}

/// Cells of Markdown pipe tables: a header line, a `---|---` separator, then rows holding `|`.
fn markdown_cells(text: &str) -> Vec<TableCell> {
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
        for (col, range) in split_cells(text, hs, header).into_iter().enumerate() {
            cells.push(TableCell {
                table,
                row: 0,
                col,
                range,
            });
        }
        let mut row = 1usize;
        i += 1;
        while let Some(&(ls, line)) = lines.get(i) {
            if !line.contains('|') || line.trim().is_empty() {
                break;
            }
            for (col, range) in split_cells(text, ls, line).into_iter().enumerate() {
                cells.push(TableCell {
                    table,
                    row,
                    col,
                    range,
                });
            }
            row += 1;
            i += 1;
        }
    }
    cells
}

/// Shared by the document: the normalised text of `text`.
pub(super) fn normalise(text: &str) -> NormalText {
    NormalText::new(text)
}
