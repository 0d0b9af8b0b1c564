//! The declared side: reads a privacy policy as people publish it (plain text in UTF-8,
//! UTF-16 or GB18030, HTML, Markdown; Chinese and English) and returns what it declares — third-
//! party SDKs, data types (clear or vague, affirmed or negated), permissions — each with the
//! exact original text it came from, plus warnings (missing appendix, not a policy, empty).
//!
//! Matching runs on a normalised copy of the text (NFKC, Traditional → Simplified, lower case,
//! whitespace collapsed) whose every byte maps back to the original, so evidence quotes the
//! policy as written. The vocabulary (taxonomy words and SDK aliases) comes in as plain data.
//!
//! ```
//! use disclose::policy::{extract, read_policy_bytes, PolicyVocabulary};
//! use disclose::signatures::schema::TaxonomyFile;
//! let taxonomy: TaxonomyFile = toml::from_str(r#"
//! [[type]]
//! id = "device.imei"
//! name_en = "IMEI"
//! name_zh = "IMEI"
//! en = ["imei"]
//! "#).unwrap();
//! let vocab = PolicyVocabulary::new(&taxonomy.types, &[]).unwrap();
//! let doc = read_policy_bytes("p.txt", "隐私政策：我们会收集您的ＩＭＥＩ。".as_bytes()).unwrap();
//! let declared = extract(&doc, &vocab);
//! assert_eq!(declared.data[0].data_type, "device.imei");
//! // The quote is the whole sentence the type is named in, as written.
//! assert_eq!(declared.data[0].text.quote, "隐私政策：我们会收集您的ＩＭＥＩ。");
//! ```

mod blocks;
mod brands;
mod clarity;
mod data;
mod delimited;
mod enumerations;
mod html;
pub mod lang;
mod list_items;
mod list_names;
mod markdown;
mod merge;
mod normal;
mod packages;
mod parallel;
mod pipes;
mod prose;
mod prose_names;
mod read;
mod records;
mod resolve;
mod sdks;
mod sentences;
mod statements;
mod tables;
mod vocab;
mod warnings;

pub use blocks::{Block, BlockKind};
pub use merge::extract_all;
pub use normal::{normalise_word, NormalText};
pub use packages::PackageIndex;
pub use read::MAX_POLICY_BYTES;
pub use statements::{PolicyStatement, StatementKind};
pub use vocab::PolicyVocabulary;
pub use warnings::WarningKind;

use crate::id::{SdkId, TaxonomyId};
use serde::Serialize;
use std::ops::Range;

/// Why a policy could not be read. Display is one line naming the file.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("{file}: cannot read policy: {message}")]
    Io { file: String, message: String },
    #[error("{file}: policy is {size} bytes, more than the {limit}-byte limit")]
    TooLarge { file: String, size: u64, limit: u64 },
    #[error("{file}: not a text policy (binary data at byte {offset})")]
    NotText { file: String, offset: usize },
    #[error("{file}: unknown text encoding (not UTF-8, UTF-16 with BOM, GB18030/GBK or Big5); convert it to UTF-8")]
    UnknownEncoding { file: String },
    #[error("{file}: PDF policies are not read; extract the text first (e.g. pdftotext)")]
    Pdf { file: String },
    #[error("policy vocabulary: {message}")]
    Vocabulary { message: String },
}

/// How the file was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyFormat {
    Html,
    Markdown,
    Text,
}

/// One table cell: table number, row, column and its byte range in [`PolicyDocument::text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCell {
    pub table: usize,
    pub row: usize,
    pub col: usize,
    pub range: Range<usize>,
}

/// A decoded policy: its text (for HTML: the rendered text; for Markdown: the file with its
/// markup blanked to spaces, so offsets and lines are the file's), lines, headings, table
/// cells, blocks and the normalised copy used for matching.
#[derive(Debug, Clone)]
pub struct PolicyDocument {
    /// File name as given.
    pub name: String,
    pub format: PolicyFormat,
    /// Encoding the bytes were decoded from (`UTF-8`, `UTF-16LE`, `GB18030` …).
    pub encoding: &'static str,
    /// Decoded text; every [`TextSpan`] offset is a byte offset into it.
    pub text: String,
    /// Heading ranges (HTML `<h1>`–`<h6>`, Markdown `#`).
    pub headings: Vec<Range<usize>>,
    /// Table cells (HTML tables, Markdown pipe tables).
    pub cells: Vec<TableCell>,
    /// Normalised text with its offset map.
    pub normal: NormalText,
    blocks: Vec<Block>,
    line_starts: Vec<usize>,
    notes: Vec<String>,
}

/// What a reader made of the decoded text: the document text and its structure.
struct ReadStructure {
    text: String,
    headings: Vec<Range<usize>>,
    cells: Vec<TableCell>,
    blocks: Vec<Block>,
}

impl PolicyDocument {
    fn assemble(
        name: &str,
        format: PolicyFormat,
        encoding: &'static str,
        structure: ReadStructure,
        notes: Vec<String>,
    ) -> Self {
        let ReadStructure {
            text,
            headings,
            cells,
            blocks,
        } = structure;
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|p| p + 1));
        let normal = read::normalise(&text);
        PolicyDocument {
            name: name.to_string(),
            format,
            encoding,
            text,
            headings,
            cells,
            normal,
            blocks,
            line_starts,
            notes,
        }
    }

    /// The blocks of the document in reading order (a list item before the paragraphs inside
    /// it), each with its byte range in [`PolicyDocument::text`].
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset).max(1)
    }

    /// Lines of the text with their start offsets.
    pub fn lines(&self) -> impl Iterator<Item = (usize, &str)> {
        self.line_starts.iter().map(move |&s| {
            let rest = self.text.get(s..).unwrap_or("");
            (s, rest.split('\n').next().unwrap_or(""))
        })
    }

    /// Evidence for the original byte range `range` (trimmed of surrounding whitespace).
    pub fn span(&self, range: Range<usize>) -> TextSpan {
        let end = range.end.min(self.text.len());
        let start = range.start.min(end);
        let raw = self.text.get(start..end).unwrap_or("");
        let lead = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim();
        let start = start + lead;
        let end = start + trimmed.len();
        TextSpan {
            file: None,
            line: self.line_of(start),
            start,
            end,
            quote: clip_quote(trimmed),
        }
    }

    /// Evidence for a range of the normalised text.
    pub fn span_normal(&self, range: Range<usize>) -> TextSpan {
        let (s, e) = self.normal.original_range(range.start, range.end);
        self.span(s..e)
    }

    /// Original byte range of a normalised range.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        let (s, e) = self.normal.original_range(range.start, range.end);
        s..e
    }
}

const MAX_QUOTE: usize = 600;

fn clip_quote(text: &str) -> String {
    if text.len() <= MAX_QUOTE {
        return text.to_string();
    }
    let mut cut = MAX_QUOTE;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", text.get(..cut).unwrap_or(""))
}

/// Where a declaration was found: 1-based line and byte range in the original text, and the
/// original text itself (clipped to 600 bytes for long table rows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextSpan {
    /// The policy document the text is in, when several were read as one (see [`extract_all`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub quote: String,
}

/// How a declared SDK was written in the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SdkForm {
    /// `SDK名称：… 个人信息种类：…` blocks and their English forms, or a heading followed by fields.
    Block,
    /// A row of an HTML / Markdown table or of a table flattened into lines.
    Table,
    /// A mention in running prose ("我们的产品集成友盟+ u-share sdk …").
    Inline,
}

/// One third party the policy declares.
#[derive(Debug, Clone, Serialize)]
pub struct DeclaredSdk {
    /// Name as written.
    pub name: String,
    /// SDK id when an alias in the signatures matches.
    pub id: Option<SdkId>,
    pub vendor: Option<String>,
    /// `android` or `ios` when the policy splits its list by platform.
    pub platform: Option<String>,
    /// Taxonomy ids named in its row.
    pub data: Vec<TaxonomyId>,
    pub purpose: Option<String>,
    pub form: SdkForm,
    pub text: TextSpan,
    /// The row (its name as written) inside whose text this SDK is named only in passing: a
    /// component, sub-SDK or second name of that row ("其中集成的阿里utdid2 SDK" inside the
    /// "微信、支付宝SDK" item). The policy still names it: it counts as disclosed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
}

/// How strongly a data word declares (see `clarity.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Clarity {
    /// Named on its own, or in a closed list; a category followed by a closed list of its
    /// items declares exactly those items.
    Exhaustive,
    /// Named in an open list ("such as", "如…等"); a category with an open list stays vague
    /// for the items it does not name.
    Enumerated,
    /// A category named without items.
    Vague,
}

/// What a sentence denies about a data type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DenialKind {
    /// Not collected, read or accessed (this sets `negated`).
    Collect,
    /// Not kept (stored on the server); it may still be read on the device.
    Retain,
    /// Not sent on (uploaded, shared); it may still be read on the device.
    Transmit,
}

/// One data type the policy declares (or declares it does not collect, when `negated`).
#[derive(Debug, Clone, Serialize)]
pub struct DeclaredData {
    #[serde(rename = "type")]
    pub data_type: TaxonomyId,
    pub clarity: Clarity,
    /// The policy says it does not collect this type.
    pub negated: bool,
    /// What the sentence denies (`collect` when `negated`; `retain` / `transmit` deny only
    /// keeping or sending it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denial: Option<DenialKind>,
    /// The denial holds only under a condition the sentence names first ("在您未开启…时，
    /// 我们不会收集…", "if you turn analytics off, we do not collect …"): the type may be
    /// collected otherwise, so evidence of it is no contradiction.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub conditional: bool,
    pub text: TextSpan,
}

/// One permission the policy declares asking for.
#[derive(Debug, Clone, Serialize)]
pub struct DeclaredPermission {
    /// Name as written (`摄像头`, `camera`).
    pub name: String,
    /// Permission group (`camera`, `microphone`, `location`, `contacts`, `calendar`, `phone`,
    /// `storage`, `photos`, `sms`, `call_log`, `sensors`, `bluetooth`, `clipboard`, `apps`).
    pub group: String,
    /// Taxonomy ids the group gives access to.
    pub data: Vec<TaxonomyId>,
    pub negated: bool,
    pub text: TextSpan,
}

/// Something about the policy itself a reader should know.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyWarning {
    pub kind: WarningKind,
    pub message: String,
    pub text: Option<TextSpan>,
}

/// Everything a policy declares.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PolicyDeclarations {
    pub sdks: Vec<DeclaredSdk>,
    pub data: Vec<DeclaredData>,
    pub permissions: Vec<DeclaredPermission>,
    /// Statements about SDKs, tracking and all personal data ("no third-party SDK").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<PolicyStatement>,
    pub warnings: Vec<PolicyWarning>,
}

/// `disclose.policy/1` as written to JSON.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyReport {
    pub schema: &'static str,
    pub file: String,
    pub format: PolicyFormat,
    pub encoding: &'static str,
    /// Every document, when several were read as one policy (the first is `file`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<PolicyDocumentInfo>,
    #[serde(flatten)]
    pub declarations: PolicyDeclarations,
}

/// One document of a policy read from several.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyDocumentInfo {
    pub file: String,
    pub format: PolicyFormat,
    pub encoding: &'static str,
}

impl PolicyReport {
    pub const SCHEMA: &'static str = "disclose.policy/1";

    pub fn new(doc: &PolicyDocument, declarations: PolicyDeclarations) -> Self {
        PolicyReport {
            schema: Self::SCHEMA,
            file: doc.name.clone(),
            format: doc.format,
            encoding: doc.encoding,
            documents: Vec::new(),
            declarations,
        }
    }

    /// The report of several documents read as one policy ([`extract_all`]).
    pub fn merged(docs: &[PolicyDocument], declarations: PolicyDeclarations) -> Option<Self> {
        let first = docs.first()?;
        let mut report = PolicyReport::new(first, declarations);
        if docs.len() > 1 {
            report.documents = docs
                .iter()
                .map(|d| PolicyDocumentInfo {
                    file: d.name.clone(),
                    format: d.format,
                    encoding: d.encoding,
                })
                .collect();
        }
        Some(report)
    }
}

/// Reads a policy file (bounded by [`MAX_POLICY_BYTES`]), detecting encoding and format.
pub fn read_policy_file(path: &std::path::Path) -> Result<PolicyDocument, PolicyError> {
    read::read_file(path)
}

/// Reads a policy from memory; `name` is used for the format (by extension) and in errors.
pub fn read_policy_bytes(name: &str, bytes: &[u8]) -> Result<PolicyDocument, PolicyError> {
    read::read_bytes(name, bytes)
}

/// Extracts every declaration from a read policy.
pub fn extract(doc: &PolicyDocument, vocab: &PolicyVocabulary) -> PolicyDeclarations {
    // The scan and the sentences both read the whole text: on two cores at once.
    let (mut hits, sentences) = rayon::join(|| vocab.scan(doc), || sentences::Sentences::new(doc));
    // "amap" in "com.amap.api.location" is part of a package name, not a mention.
    hits.sdks
        .retain(|h| !packages::inside_dotted_name(&doc.text, &h.original));
    // Data words are read again only where a wrapped line was joined.
    let rescanned;
    let mut types = if !sentences.joins_lines() {
        &hits.types
    } else {
        rescanned = vocab.type_hits(doc, &sentences.text);
        &rescanned
    };
    // "…phone number, or location": a bare noun ending a list of data words is one too.
    let with_items;
    let items = list_items::last_item_hits(doc, vocab, &sentences.text, types);
    if !items.is_empty() {
        let mut all: Vec<vocab::Hit> = types.iter().cloned().chain(items).collect();
        all.sort_by_key(|h| h.normal.start);
        with_items = all;
        types = &with_items;
    }
    // The readers are independent of each other: they run on the cores there are, the data
    // types beside the last (one-thread) step of the SDK rows.
    let (sdks, (data, (permissions, statements))) = sdks::extract_beside(doc, vocab, &hits, || {
        rayon::join(
            || data::declared_data(doc, vocab, &sentences, types),
            || {
                rayon::join(
                    || data::declared_permissions(doc, vocab, &sentences, &hits),
                    || statements::statements(doc, vocab, &sentences.text),
                )
            },
        )
    });
    let mut out = PolicyDeclarations {
        sdks,
        data,
        permissions,
        statements,
        ..Default::default()
    };
    out.warnings = warnings::warnings(doc, &out, vocab.meaning());
    out
}
