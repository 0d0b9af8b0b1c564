//! The one-screen summary that leads the text and HTML reports: finding counts by severity and
//! owner, and the three most serious problems, one line each.
//!
//! ```no_run
//! # fn f(r: &disclose::compare::scan_report::ScanReport) {
//! let overview = disclose::report::summary::Overview::of(r);
//! for row in &overview.owners {
//!     println!("{}: {:?}", row.owner, row.counts);
//! }
//! # }
//! ```

use crate::compare::finding::{Finding, Severity};
use crate::compare::scan_report::ScanReport;
use std::io::{self, Write};

/// Owners listed by name; the rest are counted in one "other owners" row.
pub const MAX_OWNER_ROWS: usize = 8;
/// How many of the most serious findings the summary names.
pub const TOP_FINDINGS: usize = 3;

/// Counts of one owner's findings, per severity in [`Severity::ALL`] order (critical first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerRow {
    /// Display name (`the app's own code`, `Bugly (bugly)` …), or how many owners a last row
    /// adds up.
    pub owner: String,
    pub counts: [usize; 5],
}

/// The summary of a scan report.
#[derive(Debug, Clone)]
pub struct Overview<'a> {
    /// Owners in order of their worst finding (as the details list them).
    pub owners: Vec<OwnerRow>,
    /// The most serious findings, most serious first.
    pub top: Vec<&'a Finding>,
}

fn slot(sev: Severity) -> usize {
    Severity::ALL.iter().position(|&s| s == sev).unwrap_or(0)
}

impl<'a> Overview<'a> {
    pub fn of(report: &'a ScanReport) -> Overview<'a> {
        let groups = report.by_owner();
        let mut owners = Vec::new();
        let mut other = OwnerRow {
            owner: String::new(),
            counts: [0; 5],
        };
        let mut others = 0usize;
        for (i, (owner, findings)) in groups.iter().enumerate() {
            let mut counts = [0usize; 5];
            for f in findings {
                counts[slot(f.severity)] += 1;
            }
            if i < MAX_OWNER_ROWS || groups.len() == MAX_OWNER_ROWS + 1 {
                owners.push(OwnerRow {
                    owner: report.owner_name(owner),
                    counts,
                });
            } else {
                others += 1;
                for (o, c) in other.counts.iter_mut().zip(counts) {
                    *o += c;
                }
            }
        }
        if others > 0 {
            other.owner = format!("{others} other owners");
            owners.push(other);
        }
        let mut top: Vec<&Finding> = report.findings.iter().collect();
        top.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.kind.cmp(&b.kind)));
        top.truncate(TOP_FINDINGS);
        Overview { owners, top }
    }
}

/// `text` on one line, cut to `max` characters with "…".
pub fn clipped(text: &str, max: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        return line;
    }
    let cut: String = line.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}

/// Columns `c` takes in a terminal: 2 for East Asian wide characters (CJK, Hangul, full-width
/// forms), else 1.
fn char_width(c: char) -> usize {
    let wide = matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}');
    if wide {
        2
    } else {
        1
    }
}

/// Terminal columns of `s`.
pub fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// `s` cut (with "…") or padded with spaces to exactly `width` terminal columns.
pub fn padded(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    if display_width(s) <= width {
        out.push_str(s);
        used = display_width(s);
    } else {
        for c in s.chars() {
            if used + char_width(c) > width.saturating_sub(1) {
                break;
            }
            used += char_width(c);
            out.push(c);
        }
        out.push('…');
        used += 1;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

/// The summary as plain text: the counts table, then the most serious findings.
pub fn write_text(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    let overview = Overview::of(report);
    writeln!(out, "SUMMARY  {}", super::summary_line(report))?;
    if overview.owners.is_empty() {
        return Ok(());
    }
    let width = overview
        .owners
        .iter()
        .map(|r| display_width(&r.owner))
        .max()
        .unwrap_or(0)
        .clamp(5, 48);
    write!(out, "  {}", padded("owner", width))?;
    for sev in Severity::ALL {
        write!(out, " {:>8}", sev.as_str())?;
    }
    writeln!(out)?;
    for row in &overview.owners {
        write!(out, "  {}", padded(&row.owner, width))?;
        for n in row.counts {
            write!(out, " {n:>8}")?;
        }
        writeln!(out)?;
    }
    writeln!(out, "most serious:")?;
    for (i, f) in overview.top.iter().enumerate() {
        writeln!(
            out,
            "  {}. {:<8} {} {}",
            i + 1,
            f.severity.as_str().to_uppercase(),
            f.kind.code(),
            clipped(&f.message, 110)
        )?;
    }
    Ok(())
}

/// The summary as an HTML block: the counts table, then the most serious findings.
pub fn write_html(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    use super::html::escape;
    let overview = Overview::of(report);
    if overview.owners.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<section class=\"summary\"><h2>Summary</h2><table class=\"counts\"><tr><th>owner</th>"
    )?;
    for sev in Severity::ALL {
        write!(out, "<th>{}</th>", sev.as_str())?;
    }
    writeln!(out, "</tr>")?;
    for row in &overview.owners {
        write!(out, "<tr><td>{}</td>", escape(&row.owner))?;
        for (n, sev) in row.counts.iter().zip(Severity::ALL) {
            let class = if *n == 0 { "zero" } else { sev.as_str() };
            write!(out, "<td class=\"n {class}\">{n}</td>")?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</table><h3>Most serious</h3><ol class=\"top\">")?;
    for f in &overview.top {
        writeln!(
            out,
            "<li><span class=\"sev {}\">{}</span> <code>{}</code> {}</li>",
            f.severity.as_str(),
            f.severity.as_str(),
            f.kind.code(),
            escape(&clipped(&f.message, 160))
        )?;
    }
    writeln!(out, "</ol></section>")
}

#[cfg(test)]
mod tests {
    use super::clipped;

    #[test]
    fn padded_counts_wide_characters_twice() {
        use super::{display_width, padded};
        assert_eq!(padded("ab", 4), "ab  ");
        assert_eq!(display_width(&padded("友盟+ SDK", 8)), 8);
        assert_eq!(padded("友盟基础组件", 5), "友盟…");
        assert_eq!(display_width(&padded("Umeng (友盟+ 基础组件)", 30)), 30);
    }

    #[test]
    fn clipped_cuts_on_characters() {
        assert_eq!(clipped("a  b\nc", 10), "a b c");
        assert_eq!(clipped("收集设备信息和位置", 5), "收集设备…");
    }
}
