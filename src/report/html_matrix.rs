//! The HTML report's SDK × data-type matrix: for each SDK (and the app's own or unattributed
//! code) and each data type, whether the type was found in its code (C), declared in the
//! policy (P in the SDK's own entry, p elsewhere in the policy, c when only a category the
//! type belongs to is declared, ✗ when the policy says it is not collected, (✗) when it says
//! so only under a condition, which counts as declared) and documented by the SDK's vendor
//! (V). Each mark links to its evidence: C to the call sites in the evidence appendix this
//! module also writes, P/p/✗ to the quote in "What the policy declares", V to the SDK's row in
//! the SDK table.
//!
//! ```
//! use disclose::report::html_matrix::Cell;
//! let cell = Cell { code: Some(0), ..Cell::default() };
//! assert_eq!(cell.class(), "gap");
//! let cell = Cell { code: Some(0), category: Some(3), ..Cell::default() };
//! assert_eq!(cell.class(), "vague");
//! // Denied only under a condition ("unless you allow it"): declared, marked (✗).
//! let cell = Cell { code: Some(0), conditional: Some(2), ..Cell::default() };
//! assert_eq!(cell.class(), "ok");
//! ```

use super::html::escape;
use crate::compare::report_context::DeclarationKind;
use crate::compare::scan_report::ScanReport;
use crate::id::TaxonomyId;
use crate::model::OWNER_APP;
use std::collections::BTreeSet;
use std::io::{self, Write};

/// Most call sites listed per observation in the evidence appendix.
const MAX_SITES: usize = 25;

/// What is known about one (owner, data type) pair; indices point into the report context.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    /// Index of the data observation (found in code).
    pub code: Option<usize>,
    /// Index of the SDK's own policy entry naming the type.
    pub sdk_entry: Option<usize>,
    /// Index of a declaration elsewhere in the policy naming the type.
    pub declared: Option<usize>,
    /// Index of a declaration naming only a category the type belongs to ("device
    /// identifiers" for the IMEI): declared, but vaguely.
    pub category: Option<usize>,
    /// Index of a declaration saying the type is not collected.
    pub denied: Option<usize>,
    /// Index of a declaration saying so only under a condition ("unless you allow it"): the
    /// type counts as declared.
    pub conditional: Option<usize>,
    /// The vendor documents that the SDK collects the type.
    pub vendor: bool,
}

impl Cell {
    /// CSS class: `gap` (in the code, nowhere in the policy), `clash` (in the code, denied by
    /// the policy), `ok` (in the code and declared), `vague` (in the code, only its category
    /// declared), `doc` (only declared or documented).
    pub fn class(&self) -> &'static str {
        let declared =
            self.sdk_entry.is_some() || self.declared.is_some() || self.conditional.is_some();
        match (self.code.is_some(), declared, self.denied.is_some()) {
            (true, _, true) => "clash",
            (true, true, false) => "ok",
            (true, false, false) if self.category.is_some() => "vague",
            (true, false, false) => "gap",
            _ => "doc",
        }
    }

    fn is_empty(&self) -> bool {
        *self == Cell::default()
    }
}

/// Row owners: the SDKs in report order, then other owners of observations (the app's own
/// code, libraries, unattributed code).
fn owners(report: &ScanReport) -> Vec<String> {
    let mut rows: Vec<String> = report.sdks.iter().map(|s| s.id.to_string()).collect();
    let mut others: Vec<&str> = report
        .context
        .data
        .iter()
        .map(|d| d.by.as_str())
        .filter(|by| !rows.iter().any(|r| r.as_str() == *by))
        .collect();
    others.sort_by_key(|by| (*by != OWNER_APP, *by));
    others.dedup();
    rows.extend(others.into_iter().map(str::to_string));
    rows
}

fn cell(report: &ScanReport, owner: &str, data_type: &str) -> Cell {
    let context = &report.context;
    let mut cell = Cell {
        code: context
            .data
            .iter()
            .position(|d| d.by == owner && d.data_type == data_type),
        ..Cell::default()
    };
    let ancestors: Vec<&str> = context.data_ancestors(data_type).collect();
    for (i, d) in context.declarations.iter().enumerate() {
        if !d.data.iter().any(|t| t == data_type) {
            let names_category = d.data.iter().any(|t| ancestors.contains(&t.as_str()));
            let applies = d.kind != DeclarationKind::Sdk || d.id.as_deref() == Some(owner);
            // Only where the code shows the type: a category alone says nothing per type.
            if names_category && applies && !d.negated && cell.code.is_some() {
                cell.category.get_or_insert(i);
            }
            continue;
        }
        if d.negated && d.conditional {
            cell.conditional.get_or_insert(i);
        } else if d.negated {
            cell.denied.get_or_insert(i);
        } else if d.kind == DeclarationKind::Sdk && d.id.as_deref() == Some(owner) {
            cell.sdk_entry.get_or_insert(i);
        } else if d.kind != DeclarationKind::Sdk {
            cell.declared.get_or_insert(i);
        }
    }
    cell.vendor = report
        .sdks
        .iter()
        .any(|s| s.id == owner && s.vendor_data.iter().flatten().any(|t| t == data_type));
    cell
}

/// The matrix (nothing when the app shows no data type and no SDK documents one).
pub fn write_matrix(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    let rows = owners(report);
    let mut columns: BTreeSet<&str> = report
        .context
        .data
        .iter()
        .map(|d| d.data_type.as_str())
        .collect();
    for sdk in &report.sdks {
        columns.extend(sdk.vendor_data.iter().flatten().map(TaxonomyId::as_str));
    }
    for d in &report.context.declarations {
        if d.kind == DeclarationKind::Sdk && rows.iter().any(|r| Some(r) == d.id.as_ref()) {
            columns.extend(d.data.iter().map(TaxonomyId::as_str));
        }
    }
    if rows.is_empty() || columns.is_empty() {
        return Ok(());
    }
    let grid: Vec<Vec<Cell>> = rows
        .iter()
        .map(|owner| columns.iter().map(|t| cell(report, owner, t)).collect())
        .collect();
    writeln!(
        out,
        "<section id=\"matrix\"><h2>Data types by SDK <span class=\"count\">· {} data types, {} owners</span></h2>\
         <p class=\"legend\"><span class=\"mk gap\">C</span> found in the code, not in the policy · \
         <span class=\"mk ok\">C</span> found and declared · <span class=\"mk clash\">C</span> found, the policy says not collected · \
         <span class=\"mk vague\">C</span> found, only its category declared · \
         <b>P</b> in the SDK's own policy entry · <b>p</b> declared elsewhere in the policy · <b>c</b> only its category is declared · <b>✗</b> the policy denies it · \
         <b>V</b> documented by the SDK's vendor. Each mark links to its evidence.</p>\
         <div class=\"matrix-wrap\"><table class=\"matrix\"><tr><th class=\"corner\">SDK \\ data type</th>",
        columns.len(),
        rows.len()
    )?;
    for t in &columns {
        writeln!(
            out,
            "<th class=\"col\" title=\"{id}\"><span>{}</span></th>",
            escape(report.context.data_name(t)),
            id = escape(t)
        )?;
    }
    writeln!(out, "</tr>")?;
    for (owner, cells) in rows.iter().zip(&grid) {
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        writeln!(
            out,
            "<tr><th class=\"row\">{}</th>",
            escape(&report.owner_name(owner))
        )?;
        for c in cells {
            write_cell(owner, c, out)?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</table></div></section>")
}

fn write_cell(owner: &str, c: &Cell, out: &mut dyn Write) -> io::Result<()> {
    if c.is_empty() {
        return writeln!(out, "<td></td>");
    }
    write!(out, "<td class=\"{}\">", c.class())?;
    if let Some(i) = c.code {
        write!(out, "<a class=\"mk\" href=\"#obs-{i}\">C</a>")?;
    }
    if let Some(i) = c.sdk_entry {
        write!(out, "<a href=\"#decl-{i}\">P</a>")?;
    } else if let Some(i) = c.declared {
        write!(out, "<a href=\"#decl-{i}\">p</a>")?;
    } else if let Some(i) = c.category {
        write!(out, "<a href=\"#decl-{i}\">c</a>")?;
    }
    if let Some(i) = c.denied {
        write!(out, "<a href=\"#decl-{i}\">✗</a>")?;
    } else if let Some(i) = c.conditional {
        write!(
            out,
            "<a href=\"#decl-{i}\" title=\"not collected only under a condition\">(✗)</a>"
        )?;
    }
    if c.vendor {
        write!(out, "<a href=\"#{}\">V</a>", sdk_anchor(owner))?;
    }
    writeln!(out, "</td>")
}

/// What the SDK's vendor documents it collects, in readable names.
pub fn vendor_data_names(report: &ScanReport, sdk: &crate::model::SdkPresence) -> String {
    match &sdk.vendor_data {
        Some(ids) if ids.is_empty() => "no personal data".to_string(),
        Some(ids) => ids
            .iter()
            .map(|id| report.context.data_name(id))
            .collect::<Vec<_>>()
            .join(", "),
        None => "no statement found".to_string(),
    }
}

/// The anchor of an SDK's row in the SDK table.
pub fn sdk_anchor(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("sdk-{safe}")
}

/// The evidence appendix: every data observation with its call sites (anchors `obs-N`), never
/// folded, so a printed report keeps them.
pub fn write_observations(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    let data = &report.context.data;
    if data.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<section id=\"evidence\"><h2>Where the code reaches for personal data <span class=\"count\">· {}</span></h2>",
        super::counted(data.len(), "observation")
    )?;
    for (i, d) in data.iter().enumerate() {
        writeln!(
            out,
            "<div class=\"obs\" id=\"obs-{i}\"><b>{}</b> · {} <code>{}</code> · {}",
            escape(report.context.data_name(&d.data_type)),
            escape(&report.owner_name(&d.by)),
            escape(&d.data_type),
            super::counted(d.sites, "site")
        )?;
        if !d.owner_reason.is_empty() {
            writeln!(
                out,
                "<div class=\"owner\">owner: {}</div>",
                escape(&d.owner_reason)
            )?;
        }
        writeln!(out, "<ul>")?;
        for ev in d.evidence.iter().take(MAX_SITES) {
            writeln!(
                out,
                "<li><code>{}</code></li>",
                escape(&super::evidence_line(ev))
            )?;
        }
        if d.evidence.len() > MAX_SITES {
            writeln!(
                out,
                "<li>… and {} more (see the JSON report)</li>",
                d.evidence.len() - MAX_SITES
            )?;
        }
        writeln!(out, "</ul></div>")?;
    }
    writeln!(out, "</section>")
}
