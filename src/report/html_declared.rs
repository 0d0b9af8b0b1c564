//! The HTML report's "What the policy declares" section: every SDK entry, data type and
//! permission the policy declares (or denies), with the quote and line it was read from. The
//! matrix links here (anchors `decl-N`, N the declaration's index in the report context).
//!
//! ```
//! use disclose::report::html_declared::kind_label;
//! use disclose::compare::report_context::DeclarationKind;
//! assert_eq!(kind_label(DeclarationKind::Sdk), "third party");
//! ```

use super::html::escape;
use crate::compare::report_context::DeclarationKind;
use crate::compare::scan_report::ScanReport;
use std::io::{self, Write};

/// The words for a declaration kind in the table.
pub fn kind_label(kind: DeclarationKind) -> &'static str {
    match kind {
        DeclarationKind::Sdk => "third party",
        DeclarationKind::Data => "data type",
        DeclarationKind::Permission => "permission",
    }
}

/// The section (nothing when the policy declares nothing).
pub fn write_declared(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    let context = &report.context;
    if context.declarations.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<section id=\"declared\"><h2>What the policy declares <span class=\"count\">· {}</span></h2>\
         <table class=\"declared\"><colgroup><col class=\"kind\"><col class=\"what\"><col></colgroup>\
         <tr><th>kind</th><th>as written → meaning</th><th>policy text</th></tr>",
        super::counted(context.declarations.len(), "declaration")
    )?;
    for (i, d) in context.declarations.iter().enumerate() {
        let meaning: Vec<String> = d
            .data
            .iter()
            .map(|t| escape(context.data_name(t)))
            .collect();
        // A data declaration's words are in its quote; its name is the type it declares.
        let (name, meaning) = match d.kind {
            DeclarationKind::Data => (context.data_name(&d.name).to_string(), Vec::new()),
            _ => (d.name.clone(), meaning),
        };
        let subject = match (d.kind, d.id.as_deref()) {
            (DeclarationKind::Sdk, Some(id)) | (DeclarationKind::Data, Some(id)) => {
                format!(" <code>{}</code>", escape(id))
            }
            (DeclarationKind::Sdk, None) => {
                " <span class=\"ref\">(no known SDK)</span>".to_string()
            }
            _ => String::new(),
        };
        let denied = match (d.negated, d.kind) {
            (true, DeclarationKind::Data) if d.conditional => {
                "<span class=\"no\">says NOT collected, under a condition</span>"
            }
            (true, DeclarationKind::Data) => "<span class=\"no\">says NOT collected</span>",
            (true, _) => "<span class=\"no\">says NOT collected:</span> ",
            (false, _) => "",
        };
        let file = d
            .quote
            .file
            .as_deref()
            .map(|f| format!("{} ", escape(f)))
            .unwrap_or_default();
        writeln!(
            out,
            "<tr id=\"decl-{i}\"><td>{}</td><td><b>{}</b>{subject}<div>{denied}{}</div></td>\
             <td><blockquote>{file}line {}: {}</blockquote></td></tr>",
            kind_label(d.kind),
            escape(&name),
            meaning.join(", "),
            d.quote.line,
            escape(&d.quote.quote)
        )?;
    }
    writeln!(out, "</table></section>")
}
