//! Text rendering of what a policy declares (`disclose policy` without `--format json`).
//!
//! ```no_run
//! # fn f(i: &disclose::compare::scan_report::PolicyInfo, d: &disclose::policy::PolicyDeclarations) -> std::io::Result<()> {
//! disclose::report::policy_text::write(i, d, &mut std::io::stdout())
//! # }
//! ```

use super::text::one_line;
use crate::compare::scan_report::PolicyInfo;
use crate::policy::{Clarity, PolicyDeclarations};
use std::io::{self, Write};

pub fn write(info: &PolicyInfo, d: &PolicyDeclarations, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", info.file)?;
    writeln!(out, "sha256  {}", info.sha256)?;
    writeln!(out)?;
    writeln!(out, "sdks ({})", d.sdks.len())?;
    for s in &d.sdks {
        writeln!(
            out,
            "  {:<28} {:<8} line {:>4}  {}{}",
            s.id.as_deref().unwrap_or("(unknown)"),
            s.platform.as_deref().unwrap_or("-"),
            s.text.line,
            one_line(&s.name),
            if s.data.is_empty() {
                String::new()
            } else {
                format!("  → {}", s.data.join(", "))
            }
        )?;
    }
    writeln!(out)?;
    writeln!(out, "data ({})", d.data.len())?;
    for x in &d.data {
        let clarity = match x.clarity {
            Clarity::Clear => "clear",
            Clarity::Vague => "vague",
        };
        writeln!(
            out,
            "  {:<24} {:<5} {:<8} line {:>4}  {}",
            x.data_type,
            clarity,
            if x.negated { "NOT" } else { "" },
            x.text.line,
            one_line(&x.text.quote)
        )?;
    }
    writeln!(out)?;
    writeln!(out, "permissions ({})", d.permissions.len())?;
    for p in &d.permissions {
        writeln!(
            out,
            "  {:<16} line {:>4}  {} → {}",
            p.group,
            p.text.line,
            one_line(&p.name),
            p.data.join(", ")
        )?;
    }
    if !d.warnings.is_empty() {
        writeln!(out)?;
        writeln!(out, "warnings ({})", d.warnings.len())?;
        for w in &d.warnings {
            writeln!(out, "  {}: {}", w.kind, w.message)?;
        }
    }
    Ok(())
}
