//! Markdown reporter, for a pull-request comment: a summary table, then one section per owner
//! with its findings and their fixes; evidence folded in `<details>`.
//!
//! ```no_run
//! # fn f(r: &disclose::compare::scan_report::ScanReport) -> std::io::Result<()> {
//! disclose::report::markdown::write(r, &mut std::io::stdout())
//! # }
//! ```

use super::{evidence_line, summary_line};
use crate::compare::finding::Severity;
use crate::compare::scan_report::ScanReport;
use std::io::{self, Write};

fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' | '*' | '_' | '`' | '<' | '>' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Text for inside a single-backtick code span: no backticks (they would end it), no line breaks
/// (they would end the list item). `|`, `<` and `*` are literal inside a code span.
fn code_span_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '`' => '\'',
            '\n' | '\r' => ' ',
            c => c,
        })
        .collect()
}

pub fn write(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    let app = &report.app;
    writeln!(
        out,
        "## disclose: {} {}",
        md_escape(app.id.as_deref().unwrap_or(&app.file)),
        md_escape(app.version.as_deref().unwrap_or(""))
    )?;
    writeln!(out)?;
    writeln!(out, "{}", md_escape(&summary_line(report)))?;
    writeln!(out)?;
    writeln!(out, "| severity | findings |")?;
    writeln!(out, "|---|---|")?;
    for sev in Severity::ALL {
        let n = report.summary.count(sev);
        writeln!(out, "| {sev} | {n} |")?;
    }
    for w in &report.policy.warnings {
        writeln!(out, "\n> policy warning: {}", md_escape(w))?;
    }
    for (owner, findings) in report.by_owner() {
        writeln!(out)?;
        writeln!(out, "### {}", md_escape(&report.owner_name(owner)))?;
        writeln!(out)?;
        for f in findings {
            writeln!(
                out,
                "- **{}** `{}` {}",
                f.severity,
                f.kind.code(),
                md_escape(&f.message)
            )?;
            if let Some(fix) = &f.fix {
                writeln!(out, "  - fix: {}", md_escape(fix))?;
            }
            if !f.evidence.is_empty() || f.policy_text.is_some() {
                writeln!(out, "  <details><summary>evidence</summary>\n")?;
                for ev in f.evidence.iter().take(10) {
                    writeln!(out, "  - `{}`", code_span_text(&evidence_line(ev)))?;
                }
                if f.evidence.len() > 10 {
                    writeln!(out, "  - … {} more", f.evidence.len() - 10)?;
                }
                if let Some(q) = &f.policy_text {
                    writeln!(out, "  - policy line {}: {}", q.line, md_escape(&q.quote))?;
                }
                writeln!(out, "\n  </details>")?;
            }
        }
    }
    if !report.suppressed.is_empty() {
        writeln!(out, "\n### Suppressed\n")?;
        for f in &report.suppressed {
            if let Some(s) = &f.suppressed {
                writeln!(
                    out,
                    "- `{}` {} — {} (until {})",
                    f.kind.code(),
                    md_escape(&f.message),
                    md_escape(&s.reason),
                    s.expires
                )?;
            }
        }
    }
    if !report.baselined.is_empty() {
        writeln!(out, "\n### Already in the baseline\n")?;
        for f in &report.baselined {
            writeln!(out, "- `{}` {}", f.kind.code(), md_escape(&f.message))?;
        }
    }
    Ok(())
}
