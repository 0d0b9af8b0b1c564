//! Labelled SDK blocks: `SDK名称：… 个人信息种类：… SDK主体：… 使用目的：…`, `第三方名称：…`,
//! `运营方：…` and the English `SDK name: … Type of personal information: …` — on separate
//! lines or all on one line — and headed lists (a short SDK line followed by such fields).
//! The label words come from the structure vocabulary (`signatures/language/*/structure.toml`).

use super::lang::structure::{Field, Structure};
use std::collections::HashSet;
use std::ops::Range;

/// One labelled field: its kind and the value range (normalised text).
#[derive(Debug, Clone)]
pub(super) struct LabelledField {
    pub field: Field,
    pub value: Range<usize>,
}

/// One block: a name field (or a heading line) and the fields after it.
#[derive(Debug, Clone)]
pub(super) struct Record {
    /// Normalised range of the name.
    pub name: Range<usize>,
    pub fields: Vec<LabelledField>,
    /// The name is a heading line that does not say SDK: the block needs two kinds of
    /// describing fields to count.
    pub loose_heading: bool,
    /// The name is a numbered heading line that does not say SDK ("3.6.1 华为"), starting a
    /// block even inside another one: it counts with one describing field, and only when its
    /// name resolves to an SDK (a vendor in a push block is its push SDK) or a vendor field
    /// names its provider.
    pub numbered_heading: bool,
}

impl Record {
    pub fn value(&self, field: Field) -> Option<Range<usize>> {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .map(|f| f.value.clone())
    }

    /// Start of the block to the end of its data field (or of its last field).
    pub fn extent(&self) -> Range<usize> {
        let end = self
            .value(Field::Data)
            .or_else(|| self.fields.last().map(|f| f.value.clone()))
            .map(|r| r.end)
            .unwrap_or(self.name.end);
        self.name.start..end.max(self.name.end)
    }
}

/// Fields that describe an SDK (a block needs one of them, unless its name is an SDK name).
fn describes(field: Field) -> bool {
    matches!(field, Field::Data | Field::Vendor | Field::Purpose)
}

fn trim(text: &str, r: Range<usize>) -> Range<usize> {
    let s = text.get(r.clone()).unwrap_or("");
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    let start = r.start + lead;
    start..r.end.saturating_sub(trail).max(start)
}

fn first_line(text: &str, r: Range<usize>) -> Range<usize> {
    let s = text.get(r.clone()).unwrap_or("");
    let lead = s.len() - s.trim_start().len();
    let body = s.get(lead..).unwrap_or("");
    let cut = body.find('\n').unwrap_or(body.len());
    trim(text, r.start..r.start + lead + cut)
}

/// Values longer than this without a following label end at their first line break.
const MAX_FIELD: usize = 600;

/// One label found in the text: its field, the label's range and where its value starts.
type FoundLabel = (Field, Range<usize>, usize);

/// Finds the labelled blocks of a normalised text; `is_sdk_line` says whether a short line
/// names an SDK (for headed lists without a name label).
/// `at_field_start` says whether a label found at a normalised range starts a field (it is
/// not the tail of a longer word in the original text).
pub(super) fn find_records(
    text: &str,
    structure: &Structure,
    at_field_start: &dyn Fn(Range<usize>) -> bool,
    is_sdk_line: &dyn Fn(&str) -> bool,
) -> Vec<Record> {
    let found = labels_at_field_starts(text, structure, at_field_start);
    let mut blocks = RecordBlocks {
        text,
        is_sdk_line,
        records: Vec::new(),
        current: None,
        pending: Vec::new(),
    };
    for (i, (field, label, value_start)) in found.iter().enumerate() {
        let next = found.get(i + 1);
        let next_start = next.map(|n| n.1.start).unwrap_or(text.len());
        let mut value = trim(text, *value_start..next_start);
        let next_is_new = next.is_none_or(|n| n.0 == Field::Name);
        if *field == Field::Name || value.len() > MAX_FIELD || next_is_new {
            value = first_line(text, value);
        }
        if *field == Field::Name {
            blocks.open_named(label, value);
        } else {
            blocks.add_field(*field, label, value);
        }
    }
    let mut records = blocks.finish();
    records.retain(|r| is_described(text, r, is_sdk_line));
    records
}

/// The labels of `text` that start a field, in order; a "name" label whose value is a
/// company (第三方名称：某某有限公司) names the vendor.
fn labels_at_field_starts(
    text: &str,
    structure: &Structure,
    at_field_start: &dyn Fn(Range<usize>) -> bool,
) -> Vec<FoundLabel> {
    let mut found: Vec<FoundLabel> = structure
        .find_labels(text)
        .filter(|(_, label)| at_field_start(label.clone()))
        .map(|(field, label)| {
            let value_start = label.end;
            (field, label, value_start)
        })
        .collect();
    for i in 0..found.len() {
        let next_start = found.get(i + 1).map(|n| n.1.start).unwrap_or(text.len());
        if let Some(f) = found.get_mut(i) {
            if f.0 == Field::Name {
                let value = first_line(text, f.2..next_start);
                if structure.is_company(text.get(value).unwrap_or("")) {
                    f.0 = Field::Vendor;
                }
            }
        }
    }
    found
}

/// The records being assembled from the labels in reading order.
struct RecordBlocks<'a> {
    text: &'a str,
    is_sdk_line: &'a dyn Fn(&str) -> bool,
    records: Vec<Record>,
    current: Option<Record>,
    /// Describing fields met before any name (第三方名称：某某有限公司 above SDK名称：…) wait
    /// for the name that follows them, with the end of their label.
    pending: Vec<(LabelledField, usize)>,
}

impl RecordBlocks<'_> {
    /// A name label opens a record with `value` as its name.
    fn open_named(&mut self, label: &Range<usize>, value: Range<usize>) {
        // Fields under a heading that does not say SDK belong to the name label that
        // follows them ("#### 甲乙推送" / "第三方名称：…" / "SDK名称：甲乙推送SDK").
        let mut carried = Vec::new();
        if let Some(r) = self.current.take() {
            if r.loose_heading {
                carried = r.fields;
            } else {
                self.records.push(r);
            }
        }
        let fields = carried
            .into_iter()
            .chain(
                self.pending
                    .drain(..)
                    .filter(|(_, at)| label.start.saturating_sub(*at) <= MAX_FIELD)
                    .map(|(f, _)| f),
            )
            .collect();
        self.current = Some(Record {
            name: value,
            fields,
            loose_heading: false,
            numbered_heading: false,
        });
    }

    /// Any other label: a field of the open record, unless it repeats one of its describing
    /// fields or is far from it; then a new record under the heading line above it, if any.
    fn add_field(&mut self, field: Field, label: &Range<usize>, value: Range<usize>) {
        let repeats = self.current.as_ref().is_some_and(|r| {
            r.fields
                .iter()
                .any(|f| f.field == field && describes(field))
        });
        let far = self
            .current
            .as_ref()
            .is_some_and(|r| label.start.saturating_sub(r.extent().end) > MAX_FIELD);
        let heading = describes(field)
            .then(|| heading_before(self.text, label.start, self.is_sdk_line))
            .flatten();
        // "3.6.1 华为" right above "用途：…" inside the block of "3.6 消息推送": a numbered
        // heading starts its own block.
        let numbered = heading
            .as_ref()
            .is_some_and(|(name, _)| numbered_line(self.text, name.start));
        let new_heading = numbered
            && self
                .current
                .as_ref()
                .is_some_and(|r| heading.as_ref().is_some_and(|(name, _)| r.name != *name));
        if self.current.is_none() || repeats || far || new_heading {
            if let Some(r) = self.current.take() {
                self.records.push(r);
            }
            if let Some((name, loose_heading)) = heading {
                self.current = Some(Record {
                    name,
                    fields: Vec::new(),
                    loose_heading,
                    numbered_heading: loose_heading && numbered,
                });
            }
        }
        let lf = LabelledField { field, value };
        match self.current.as_mut() {
            Some(r) => r.fields.push(lf),
            None if describes(field) => self.pending.push((lf, label.end)),
            None => {}
        }
    }

    fn finish(mut self) -> Vec<Record> {
        if let Some(r) = self.current.take() {
            self.records.push(r);
        }
        self.records
    }
}

/// Whether a record counts: a short name and a describing field (two kinds under a loose
/// heading), or a name that is an SDK line.
fn is_described(text: &str, r: &Record, is_sdk_line: &dyn Fn(&str) -> bool) -> bool {
    let name = text.get(r.name.clone()).unwrap_or("");
    let kinds: HashSet<Field> = r
        .fields
        .iter()
        .map(|f| f.field)
        .filter(|f| describes(*f))
        .collect();
    let described = if r.loose_heading && !r.numbered_heading {
        kinds.len() >= 2
    } else {
        !kinds.is_empty()
    };
    !name.is_empty() && name.len() <= 160 && (described || is_sdk_line(name))
}

/// Whether the line holding byte `at` starts with list numbering ("3.6.1 华为", "（2）小米").
fn numbered_line(text: &str, at: usize) -> bool {
    let start = text
        .get(..at)
        .and_then(|h| h.rfind('\n'))
        .map_or(0, |p| p + 1);
    let end = text
        .get(at..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |p| at + p);
    let line = text.get(start..end).unwrap_or("").trim();
    // Numbering holds a number; bullets and emphasis marks ("**甲乙**") are no numbering.
    let prefix = line
        .get(..line.len() - strip_numbering(line).len())
        .unwrap_or("");
    at > start && prefix.chars().any(char::is_numeric)
}

/// Longest heading line (characters) that names an SDK without saying so.
const MAX_LOOSE_HEADING_CHARS: usize = 24;

/// Blank lines allowed between a heading line and its first label.
const MAX_BLANK_LINES: usize = 2;

/// A headed list item: the short line just before a label at the start of its line (blank
/// lines between are allowed). Returns the name range and whether it is loose: a short line
/// that does not say SDK ("京东支付"), which counts only with two kinds of describing fields.
fn heading_before(
    text: &str,
    label_start: usize,
    is_sdk_line: &dyn Fn(&str) -> bool,
) -> Option<(Range<usize>, bool)> {
    let head = text.get(..label_start)?;
    let line_start = head.rfind('\n').map(|p| p + 1).unwrap_or(0);
    // Only bullets or emphasis marks before the label ("**使用目的：**…": a closing `**`
    // after "：" is no emphasis in CommonMark and stays in the text) start its line too.
    let same_line = strip_numbering(head.get(line_start..)?.trim());
    if !same_line.is_empty() {
        let cleaned = strip_numbering(same_line);
        if cleaned.len() <= 80 && is_sdk_line(cleaned) {
            let r = trim(text, line_start..label_start);
            let off = r.len() - cleaned.len();
            return Some((r.start + off..r.end, false));
        }
        return None;
    }
    let mut prev_end = line_start.checked_sub(1)?;
    for _ in 0..=MAX_BLANK_LINES {
        let prev_start = text
            .get(..prev_end)?
            .rfind('\n')
            .map(|p| p + 1)
            .unwrap_or(0);
        let line = text.get(prev_start..prev_end)?.trim();
        if line.is_empty() {
            prev_end = prev_start.checked_sub(1)?;
            continue;
        }
        let cleaned = strip_numbering(line);
        if cleaned.is_empty() || cleaned.len() > 80 || cleaned.contains(':') {
            return None;
        }
        let sdk = is_sdk_line(cleaned);
        let loose = !sdk
            && cleaned.chars().count() <= MAX_LOOSE_HEADING_CHARS
            && !cleaned.contains(['。', '，', ',', '；', ';', '、'])
            && !cleaned.ends_with('.');
        if !sdk && !loose {
            return None;
        }
        let r = trim(text, prev_start..prev_end);
        let off = r.len() - cleaned.len();
        return Some((r.start + off..r.end, !sdk));
    }
    None
}

/// `1.` `1、` `4.1.3` `(1)` `(一)` `一、` `•` `-` `a)` prefixes removed.
pub(crate) fn strip_numbering(s: &str) -> &str {
    let mut rest = s.trim_start();
    for _ in 0..2 {
        let before = rest;
        rest = rest
            .trim_start_matches(['•', '·', '-', '*', '●', '▪', '◆', '■', '○'])
            .trim_start();
        if let Some(r) = rest.strip_prefix(['(', '（']) {
            if let Some(close) = r.find([')', '）']) {
                let inner = r.get(..close).unwrap_or("");
                if inner.chars().count() <= 3
                    && inner.chars().all(|c| {
                        c.is_ascii_digit()
                            || c.is_ascii_lowercase()
                            || "一二三四五六七八九十".contains(c)
                    })
                {
                    let width = r
                        .get(close..)
                        .and_then(|t| t.chars().next())
                        .map_or(1, char::len_utf8);
                    rest = r.get(close + width..).unwrap_or("").trim_start();
                }
            }
        }
        let digits = rest
            .char_indices()
            .take_while(|(_, c)| {
                c.is_ascii_digit() || *c == '.' || "一二三四五六七八九十".contains(*c)
            })
            .last();
        if let Some((i, c)) = digits {
            let after = rest.get(i + c.len_utf8()..).unwrap_or("");
            let dotted = c == '.' && rest.starts_with(|d: char| d.is_ascii_digit());
            // "3.6.1华为" (the space dropped before a CJK word once normalised): a section
            // number of two or more levels glued to the heading.
            let run = rest.get(..i + c.len_utf8()).unwrap_or("");
            let levels = run.split('.').filter(|p| !p.is_empty()).count();
            let sectioned = levels >= 2
                && run
                    .split('.')
                    .all(|p| p.chars().all(|d| d.is_ascii_digit()))
                && after.starts_with(|a: char| !a.is_ascii() && a.is_alphabetic());
            if let Some(r) = after.strip_prefix(['.', '、', ')', ':']) {
                rest = r.trim_start();
            } else if dotted || sectioned || (after.starts_with(' ') && rest.contains('.')) {
                rest = after.trim_start();
            }
        } else if let Some(first) = rest.chars().next() {
            if first.is_ascii_lowercase() {
                if let Some(r) = rest.get(1..).and_then(|r| r.strip_prefix(')')) {
                    rest = r.trim_start();
                }
            }
        }
        if rest == before {
            break;
        }
    }
    rest
}
