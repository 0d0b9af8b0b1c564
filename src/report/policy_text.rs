//! Text rendering of what a policy declares (`disclose policy` without `--format json`).
//!
//! ```no_run
//! # fn f(i: &disclose::compare::scan_report::PolicyInfo, d: &disclose::policy::PolicyDeclarations) -> std::io::Result<()> {
//! disclose::report::policy_text::write(i, d, &mut std::io::stdout())
//! # }
//! ```

use super::text::one_line;
use crate::compare::scan_report::PolicyInfo;
use crate::policy::{Clarity, DenialKind, PolicyDeclarations};
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
            Clarity::Exhaustive => "exact",
            Clarity::Enumerated => "listed",
            Clarity::Vague => "vague",
        };
        let denial = match x.denial {
            Some(DenialKind::Collect) => "NOT",
            Some(DenialKind::Retain) => "not kept",
            Some(DenialKind::Transmit) => "not sent",
            None => "",
        };
        writeln!(
            out,
            "  {:<24} {:<6} {:<8} line {:>4}  {}",
            x.data_type,
            clarity,
            denial,
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
    if !d.statements.is_empty() {
        writeln!(out)?;
        writeln!(out, "statements ({})", d.statements.len())?;
        for st in &d.statements {
            let mut what = st.kind.code().to_string();
            if !st.categories.is_empty() {
                what.push_str(&format!(" [{}]", st.categories.join(", ")));
            }
            if !st.except.is_empty() {
                what.push_str(&format!(" except {}", st.except.join(", ")));
            }
            if st.conditional {
                what.push_str(" (conditional)");
            }
            writeln!(
                out,
                "  {what}  line {:>4}  {}",
                st.text.line,
                one_line(&st.text.quote)
            )?;
        }
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
