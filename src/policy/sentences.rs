//! The text a policy's meaning is read in: sentences that run over the line breaks of a
//! hard-wrapped paragraph ("does not knowingly collect personally identifiable⏎information"),
//! list items read together with the lead-in sentence that introduces them ("We never store
//! nor transmit, but do collect the following:⏎* your contacts"), and, for a denial that names
//! no data of its own ("We collect your location. We do not sell it.", "- 存储方式：不会上传"),
//! the text it refers back to: the sentence before it, or the earlier items of its list.
//!
//! The text is the normalised text of the document with the soft line breaks turned into
//! spaces, byte for byte the same length, so every offset is also an offset of
//! [`super::NormalText`].
//!
//! ```
//! use disclose::policy::{extract, read_policy_bytes, DenialKind, PolicyVocabulary};
//! use disclose::signatures::schema::TaxonomyFile;
//! let taxonomy: TaxonomyFile = toml::from_str(r#"
//! [[type]]
//! id = "contacts"
//! name_en = "Contacts"
//! name_zh = "通讯录"
//! en = ["contacts"]
//! "#).unwrap();
//! let vocab = PolicyVocabulary::new(&taxonomy.types, &[]).unwrap();
//! let md = "# Privacy\n\nThe app never shares nor uploads, but does\nread the following:\n\n* your contacts\n";
//! let doc = read_policy_bytes("p.md", md.as_bytes()).unwrap();
//! let contacts = &extract(&doc, &vocab).data[0];
//! assert_eq!(contacts.denial, Some(DenialKind::Transmit));
//! assert!(!contacts.negated);
//! ```

use super::data::sentence_start;
use super::{BlockKind, PolicyDocument, PolicyFormat};
use std::borrow::Cow;
use std::ops::Range;

/// How far back the earlier items of a list are read as what a denial refers to (bytes).
const MAX_REFERENT: usize = 1200;

/// One list: its items (normalised ranges, in order) and the lead-in sentence before it.
#[derive(Debug)]
struct ListRun {
    start: usize,
    lead: Option<Range<usize>>,
}

/// The sentence text of a document and its lists.
#[derive(Debug)]
pub(super) struct Sentences<'a> {
    /// Normalised text with soft line breaks as spaces (borrowed when it has none).
    pub text: Cow<'a, str>,
    lists: Vec<ListRun>,
    /// Every list item: its normalised range and its list (index into `lists`), by start.
    items: Vec<(Range<usize>, usize)>,
}

impl<'a> Sentences<'a> {
    pub(super) fn new(doc: &'a PolicyDocument) -> Sentences<'a> {
        let text = soft_breaks_joined(doc);
        let (lists, items) = list_runs(doc, &text);
        Sentences { text, lists, items }
    }

    /// The sentence text of plain normalised text without lists (for tests of one sentence).
    #[cfg(test)]
    pub(super) fn of_text(text: &str) -> Sentences<'static> {
        Sentences {
            text: Cow::Owned(text.to_string()),
            lists: Vec::new(),
            items: Vec::new(),
        }
    }

    /// Whether wrapped lines were joined (the text differs from the normalised text).
    pub(super) fn joins_lines(&self) -> bool {
        matches!(self.text, Cow::Owned(_))
    }

    /// The list item holding normalised byte `pos` (the innermost), with its list.
    fn item_at(&self, pos: usize) -> Option<(&Range<usize>, &ListRun)> {
        let upto = self.items.partition_point(|(r, _)| r.start <= pos);
        self.items
            .get(upto.saturating_sub(4)..upto)
            .unwrap_or(&[])
            .iter()
            .rev()
            .find(|(r, _)| pos < r.end)
            .and_then(|(r, list)| Some((r, self.lists.get(*list)?)))
    }

    /// The text a word at `pos` is read after: its sentence up to it, with the lead-in of its
    /// list in front when the sentence opens a list item.
    pub(super) fn before(&self, pos: usize) -> Cow<'_, str> {
        let s = sentence_start(&self.text, pos);
        let own = self.text.get(s..pos).unwrap_or("");
        let lead = self
            .item_at(pos)
            .filter(|(item, _)| s <= item.start)
            .and_then(|(_, list)| list.lead.clone())
            .and_then(|lead| self.text.get(lead));
        match lead {
            Some(lead) => Cow::Owned(format!("{lead} {own}")),
            None => Cow::Borrowed(own),
        }
    }

    /// What the sentence starting at `start` refers back to: the sentence before it in the
    /// same paragraph, or, when it opens a list item, the earlier items of its list.
    pub(super) fn referent(&self, start: usize) -> Option<Range<usize>> {
        let head = self.text.get(..start)?;
        let boundary = head.chars().next_back()?;
        if boundary != '\n' {
            let end = start - boundary.len_utf8();
            let from = sentence_start(&self.text, end);
            return (from < end).then_some(from..end);
        }
        let (item, list) = self
            .item_at(start)
            .filter(|(item, _)| start <= item.start)?;
        let from = list.start.max(item.start.saturating_sub(MAX_REFERENT));
        (from < item.start).then_some(from..item.start)
    }
}

/// The normalised text with each line break inside a wrapped Latin sentence as a space: the
/// line before ends in a letter, digit or comma and the next starts in a lower-case letter
/// that starts no block. HTML is rendered, so its line breaks are real.
fn soft_breaks_joined(doc: &PolicyDocument) -> Cow<'_, str> {
    let normal = doc.normal.text.as_str();
    if doc.format == PolicyFormat::Html {
        return Cow::Borrowed(normal);
    }
    let mut block_starts: Vec<usize> = doc.blocks().iter().map(|b| b.range.start).collect();
    block_starts.sort_unstable();
    let mut bytes: Option<Vec<u8>> = None;
    for p in memchr::memchr_iter(b'\n', normal.as_bytes()) {
        let prev = p.checked_sub(1).and_then(|i| normal.as_bytes().get(i));
        if !prev.is_some_and(|&b| b.is_ascii_alphanumeric() || b == b',') {
            continue;
        }
        let (next_start, _) = doc.normal.original_range(p + 1, p + 2);
        let lower = doc
            .text
            .get(next_start..)
            .and_then(|r| r.chars().next())
            .is_some_and(|c| c.is_ascii_lowercase());
        let starts_block =
            doc.format != PolicyFormat::Text && block_starts.binary_search(&next_start).is_ok();
        if lower && !starts_block {
            let copy = bytes.get_or_insert_with(|| normal.as_bytes().to_vec());
            if let Some(b) = copy.get_mut(p) {
                *b = b' ';
            }
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes, so the text is still UTF-8.
    match bytes.map(String::from_utf8) {
        Some(Ok(joined)) => Cow::Owned(joined),
        _ => Cow::Borrowed(normal),
    }
}

/// The lists of the document (runs of list items and the blocks inside them) and their
/// items; a list's lead-in is the last sentence of the block before it when that block ends
/// in a colon.
fn list_runs(doc: &PolicyDocument, text: &str) -> (Vec<ListRun>, Vec<(Range<usize>, usize)>) {
    let normal = &doc.normal;
    let mut lists: Vec<ListRun> = Vec::new();
    let mut items: Vec<(Range<usize>, usize)> = Vec::new();
    // (index of the open list, original end of its items so far)
    let mut open: Option<(usize, usize)> = None;
    let mut lead: Option<Range<usize>> = None;
    for block in doc.blocks() {
        let range = normal.normal_offset(block.range.start)..normal.normal_offset(block.range.end);
        if matches!(block.kind, BlockKind::ListItem { .. }) {
            let list = match open {
                Some((list, end)) => {
                    open = Some((list, end.max(block.range.end)));
                    list
                }
                None => {
                    lists.push(ListRun {
                        start: range.start,
                        lead: lead.take(),
                    });
                    let list = lists.len() - 1;
                    open = Some((list, block.range.end));
                    list
                }
            };
            items.push((range, list));
            continue;
        }
        if open.is_some_and(|(_, end)| block.range.start < end) {
            continue; // a paragraph inside an item
        }
        open = None;
        lead = text
            .get(range.clone())
            .and_then(|b| b.trim_end().chars().next_back())
            .filter(|&c| c == ':')
            .map(|_| {
                let end = range.start + text.get(range.clone()).map_or(0, |b| b.trim_end().len());
                sentence_start(text, end.saturating_sub(1))..end
            });
    }
    items.sort_by_key(|(r, _)| r.start);
    (lists, items)
}
