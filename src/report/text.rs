//! Text reporter: a one-screen summary (counts by severity and owner, the three most serious
//! findings), then the findings grouped by owner (SDK or the app), one line each plus its
//! strongest evidence (and, with `verbose`, its fix), then a summary line. Severity-coloured
//! only when asked (stdout is a terminal).
//!
//! ```no_run
//! # fn f(r: &disclose::compare::scan_report::ScanReport) -> std::io::Result<()> {
//! let options = disclose::report::RenderOptions { color: false, verbose: true };
//! disclose::report::text::write(r, options, &mut std::io::stdout())
//! # }
//! ```

use super::{evidence_line, summary_line, RenderOptions};
use crate::compare::finding::Severity;
use crate::compare::scan_report::ScanReport;
use std::io::{self, Write};

fn paint(color: bool, sev: Severity, s: &str) -> String {
    if !color {
        return s.to_string();
    }
    let code = match sev {
        Severity::Critical => "1;35",
        Severity::High => "1;31",
        Severity::Medium => "33",
        Severity::Low => "36",
        Severity::Info => "2",
    };
    format!("\x1b[{code}m{s}\x1b[0m")
}

pub fn write(report: &ScanReport, options: RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let color = options.color;
    let app = &report.app;
    writeln!(
        out,
        "disclose: {} {} ({}) against {}",
        app.id.as_deref().unwrap_or(&app.file),
        app.version.as_deref().unwrap_or(""),
        serde_json::to_value(app.platform)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        report.policy.file
    )?;
    for w in &report.policy.warnings {
        writeln!(out, "policy warning: {w}")?;
    }
    writeln!(out)?;
    super::summary::write_text(report, out)?;
    for (owner, findings) in report.by_owner() {
        writeln!(out)?;
        writeln!(out, "{}", report.owner_name(owner))?;
        for f in findings {
            let sev = format!("{:<8}", f.severity.as_str().to_uppercase());
            writeln!(
                out,
                "  {} {:<22} {}",
                paint(color, f.severity, &sev),
                f.kind.code(),
                f.message
            )?;
            if let Some(reason) = &f.owner_reason {
                // An SDK finding's reason is the SDK's evidence grade; a data finding's, why
                // the code is its owner's.
                let label = if f.kind == crate::compare::finding::FindingKind::UndisclosedSdk {
                    "grade"
                } else {
                    "owner"
                };
                writeln!(out, "           {label}: {reason}")?;
            }
            if let Some(ev) = f.evidence.first() {
                let more = if f.evidence.len() > 1 {
                    format!(" (+{} more)", f.evidence.len() - 1)
                } else {
                    String::new()
                };
                writeln!(out, "           at {}{more}", evidence_line(ev))?;
            }
            if let Some(q) = &f.policy_text {
                writeln!(
                    out,
                    "           policy line {}: {}",
                    q.line,
                    one_line(&q.quote)
                )?;
            }
            if let (true, Some(fix)) = (options.verbose, &f.fix) {
                writeln!(out, "           fix: {fix}")?;
            }
        }
    }
    if !report.suppressed.is_empty() {
        writeln!(out)?;
        writeln!(out, "suppressed by config")?;
        for f in &report.suppressed {
            if let Some(s) = &f.suppressed {
                writeln!(
                    out,
                    "  {:<22} {} — {} (until {})",
                    f.kind.code(),
                    f.message,
                    s.reason,
                    s.expires
                )?;
            }
        }
    }
    if !report.baselined.is_empty() {
        writeln!(out)?;
        writeln!(out, "already in the baseline (not counted)")?;
        for f in &report.baselined {
            writeln!(out, "  {:<22} {}", f.kind.code(), f.message)?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", summary_line(report))
}

/// Collapse whitespace and cut long quotes for a one-line display.
pub fn one_line(s: &str) -> String {
    let mut out = String::new();
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.chars().count() > 120 {
        let cut: String = out.chars().take(117).collect();
        return format!("{cut}…");
    }
    out
}
