//! Reporters: each renders a [`ScanReport`] in one format, as a separate sink (text, JSON,
//! SARIF 2.1.0, self-contained HTML, Markdown for pull-request comments).
//!
//! ```
//! use disclose::report::ReportFormat;
//! assert_eq!("sarif".parse::<ReportFormat>().unwrap(), ReportFormat::Sarif);
//! assert_eq!(ReportFormat::Md.name(), "md");
//! assert_eq!(
//!     "pdf".parse::<ReportFormat>().unwrap_err(),
//!     "unknown format 'pdf' (expected text, json, sarif, html or md)"
//! );
//! ```

pub mod html;
pub mod html_declared;
pub mod html_icon;
pub mod html_inspect;
pub mod html_matrix;
pub mod html_permissions;
pub mod html_style;
pub mod inspect_text;
pub mod json;
pub mod markdown;
pub mod policy_text;
pub mod sarif;
pub mod summary;
pub mod text;

use crate::compare::scan_report::{PolicyInfo, ScanReport};
use crate::model::InspectReport;
use crate::policy::PolicyReport;
use std::io::{self, Write};
use std::str::FromStr;

/// Output formats of `disclose scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Json,
    Sarif,
    Html,
    Md,
}

impl ReportFormat {
    /// Every format, in the order `--format` lists them.
    pub const ALL: [ReportFormat; 5] = [
        ReportFormat::Text,
        ReportFormat::Json,
        ReportFormat::Sarif,
        ReportFormat::Html,
        ReportFormat::Md,
    ];

    /// The format's `--format` value.
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Text => "text",
            ReportFormat::Json => "json",
            ReportFormat::Sarif => "sarif",
            ReportFormat::Html => "html",
            ReportFormat::Md => "md",
        }
    }
}

impl FromStr for ReportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "markdown" {
            return Ok(ReportFormat::Md);
        }
        if let Some(format) = ReportFormat::ALL.into_iter().find(|f| f.name() == s) {
            return Ok(format);
        }
        let names = ReportFormat::ALL.map(ReportFormat::name);
        let (last, first) = names.split_last().unwrap_or((&"", &[]));
        Err(format!(
            "unknown format '{s}' (expected {} or {last})",
            first.join(", ")
        ))
    }
}

/// Options shared by the reporters.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// ANSI colours (text format, only when writing to a terminal).
    pub color: bool,
    /// Text format: print each finding's fix (the other formats always carry it).
    pub verbose: bool,
}

/// A document the command line prints: a scan, an inspect or a policy report.
#[derive(Debug, Clone, Copy)]
pub enum Document<'a> {
    Scan(&'a ScanReport),
    /// An inspect report; `taxonomy` (the analyzer's, `analyzer.set.taxonomy`) gives its
    /// data-type ids their readable names in the HTML report.
    Inspect {
        report: &'a InspectReport,
        taxonomy: &'a crate::signatures::Taxonomy,
    },
    Policy {
        report: &'a PolicyReport,
        info: &'a PolicyInfo,
    },
}

/// Render any [`Document`] as `format`: every format for a scan; text, JSON and HTML for
/// inspect reports; text and JSON for policy reports (another format is an `Unsupported`
/// error).
pub fn render_document(
    document: Document<'_>,
    format: ReportFormat,
    options: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match (document, format) {
        (Document::Scan(report), format) => render(report, format, options, out),
        (Document::Inspect { report, .. }, ReportFormat::Json) => json::write_value(report, out),
        (Document::Inspect { report, .. }, ReportFormat::Text) => inspect_text::write(report, out),
        (Document::Inspect { report, taxonomy }, ReportFormat::Html) => {
            let names = html_inspect::data_names(report, taxonomy);
            html_inspect::write(report, report.tool.as_ref(), &names, out)
        }
        (Document::Policy { report, .. }, ReportFormat::Json) => json::write_value(report, out),
        (Document::Policy { report, info }, ReportFormat::Text) => {
            policy_text::write(info, &report.declarations, out)
        }
        (_, format) => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!("{format:?} is only for scan reports"),
        )),
    }
}

/// Render `report` as `format` into `out`.
pub fn render(
    report: &ScanReport,
    format: ReportFormat,
    options: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ReportFormat::Text => text::write(report, options, out),
        ReportFormat::Json => json::write(report, out),
        ReportFormat::Sarif => sarif::write(report, out),
        ReportFormat::Html => html::write(report, out),
        ReportFormat::Md => markdown::write(report, out),
    }
}

/// The strongest single piece of evidence, as one line: `file: location (detail) [rule]`.
pub fn evidence_line(ev: &crate::model::Evidence) -> String {
    let mut s = ev.file.clone();
    if let Some(loc) = &ev.location {
        s.push_str(": ");
        s.push_str(loc);
    }
    if let Some(detail) = &ev.detail {
        s.push_str(" → ");
        s.push_str(detail);
    }
    if let Some(rule) = &ev.rule {
        s.push_str(" [");
        s.push_str(rule);
        s.push(']');
    }
    s
}

/// `n` and the noun, plural unless `n` is 1: `counted(1, "record")` is "1 record".
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// "3 findings: 1 critical, 2 high" style summary text.
pub fn summary_line(report: &ScanReport) -> String {
    let s = &report.summary;
    let mut parts = Vec::new();
    for sev in crate::compare::finding::Severity::ALL {
        if let Some(n) = s.by_severity.get(sev.as_str()) {
            parts.push(format!("{n} {sev}"));
        }
    }
    let mut line = format!(
        "{} finding{}",
        s.findings,
        if s.findings == 1 { "" } else { "s" }
    );
    if !parts.is_empty() {
        line.push_str(": ");
        line.push_str(&parts.join(", "));
    }
    line.push_str(&format!(
        "; {} of {} SDKs disclosed",
        s.sdks_disclosed, s.sdks_found
    ));
    if s.suppressed > 0 {
        line.push_str(&format!("; {} suppressed", s.suppressed));
    }
    if s.baseline_known > 0 {
        line.push_str(&format!("; {} already in the baseline", s.baseline_known));
    }
    if let Some(t) = s.fail_on {
        line.push_str(if s.failed { "; FAILED" } else { "; passed" });
        line.push_str(&format!(" (--fail-on {t})"));
    }
    line
}
