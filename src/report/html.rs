//! HTML reporter: one self-contained file (inline CSS, no script, no network), the summary at
//! the top (severity cards, counts by owner, the three most serious findings), findings
//! grouped per owner with their fix, evidence folded in `<details>`.
//!
//! ```
//! assert_eq!(disclose::report::html::escape("<a & b>"), "&lt;a &amp; b&gt;");
//! ```

use super::{evidence_line, summary_line};
use crate::compare::finding::{Finding, FindingKind, Severity};
use crate::compare::scan_report::ScanReport;
use std::io::{self, Write};

/// The page heading of a report: the app icon, `what: title` and the app's name after it.
pub fn heading(
    what: &str,
    title: &str,
    app_name: Option<&str>,
    icon: Option<&crate::model::AppIcon>,
) -> String {
    let app_name = match app_name {
        Some(name) => format!(" <span class=\"app-name\">({})</span>", escape(name)),
        None => String::new(),
    };
    format!(
        "<h1>{}{what}: {}{app_name}</h1>",
        super::html_icon::icon_img(icon),
        escape(title)
    )
}

/// The analysis limits of a report, one warning line each, as the scan and the inspect page
/// show them.
pub(super) fn write_limits(limits: &[crate::model::Limit], out: &mut dyn Write) -> io::Result<()> {
    for l in limits {
        writeln!(
            out,
            "<div class=\"warn\">analysis limit: {}</div>",
            escape(&l.message)
        )?;
    }
    Ok(())
}

/// Escape text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub(crate) const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Sans CJK SC','PingFang SC','Microsoft YaHei','WenQuanYi Zen Hei',sans-serif;margin:2rem auto;max-width:72rem;color:#1b1f24;padding:0 1rem;line-height:1.4}
h1{font-size:1.5rem;margin-bottom:.2rem}.sub{color:#57606a;margin-top:0}
.cards{display:flex;gap:.6rem;flex-wrap:wrap;margin:1rem 0}.card{border-radius:.5rem;padding:.6rem 1rem;min-width:6.5rem;color:#fff}
.card b{display:block;font-size:1.6rem}.critical{background:#8250df}.high{background:#cf222e}.medium{background:#9a6700}.low{background:#0969da}.info{background:#6e7781}
.card.zero{background:#eaeef2;color:#57606a}
.verdict{font-weight:600;margin:.5rem 0 1.5rem}.failed{color:#cf222e}.passed{color:#1a7f37}
section{border:1px solid #d0d7de;border-radius:.5rem;margin:1rem 0;padding:.4rem 1rem}
section h2{font-size:1.1rem;margin:.6rem 0}h2 .count{font-weight:400;color:#57606a;font-size:.9rem}
table{border-collapse:collapse;width:100%;table-layout:fixed}td,th{vertical-align:top;padding:.35rem .4rem;border-top:1px solid #eaeef2;text-align:left}
th{font-size:.8rem;color:#57606a;font-weight:600}col.sev{width:6.5rem}col.kind{width:14rem}
.sev{font-weight:700;text-transform:uppercase;font-size:.72rem;border-radius:.3rem;padding:.1rem .4rem;color:#fff;white-space:nowrap}
code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.85em;background:#f6f8fa;padding:.05rem .25rem;border-radius:.2rem;overflow-wrap:anywhere}
td.kind code{white-space:nowrap;background:none;padding:0}
details summary{cursor:pointer;color:#0969da;font-size:.9rem}details ul{margin:.3rem 0;padding-left:1.2rem}details li{margin:.15rem 0}
blockquote{margin:.3rem 0;padding-left:.7rem;border-left:3px solid #d0d7de;color:#57606a}
.ok{color:#1a7f37;font-weight:600}.no{color:#cf222e;font-weight:600}.ref{color:#57606a}.owner{color:#57606a;font-size:90%}
.warn{background:#fff8c5;border:1px solid #d4a72c;border-radius:.4rem;padding:.5rem .8rem;margin:.4rem 0}
.summary table.counts{width:auto}.summary td.n{text-align:right;min-width:4rem;font-weight:600}.summary td.zero{color:#8c959f;font-weight:400}
.summary td.critical{color:#8250df;background:none}.summary td.high{color:#cf222e;background:none}.summary td.medium{color:#9a6700;background:none}.summary td.low{color:#0969da;background:none}.summary td.info{color:#57606a;background:none}
.summary h3{font-size:1rem;margin:.8rem 0 .3rem}ol.top li{margin:.25rem 0}
.fix{margin:.25rem 0;padding:.2rem .5rem;border-left:3px solid #1a7f37;background:#f0fff4;font-size:92%}";

/// The page head every HTML report shares: doctype, viewport, `<title>{tool}: {title}</title>`
/// and both style sheets; the body is opened.
pub(super) fn write_head(out: &mut dyn Write, tool: &str, title: &str) -> io::Result<()> {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{tool}: {}</title><style>{STYLE}{}</style></head><body>",
        escape(title),
        super::html_style::STYLE
    )
}

pub fn write(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    let app = &report.app;
    let title = app.id.as_deref().unwrap_or(&app.file);
    write_head(out, "disclose", title)?;
    writeln!(
        out,
        "{}",
        heading(
            "disclose",
            title,
            report.context.app_name.as_deref(),
            app.icon.as_ref()
        )
    )?;
    writeln!(
        out,
        "<p class=\"sub\">{} · version {} · sha256 <code>{}</code><br>policy: {} · sha256 <code>{}</code></p>",
        escape(&app.file),
        escape(app.version.as_deref().unwrap_or("?")),
        escape(&app.sha256),
        escape(&report.policy.file),
        escape(&report.policy.sha256)
    )?;
    writeln!(out, "<div class=\"cards\">")?;
    for sev in Severity::ALL {
        let n = report.summary.count(sev);
        writeln!(
            out,
            "<div class=\"card {sev}{zero}\"><b>{n}</b>{sev}</div>",
            sev = sev.as_str(),
            zero = if n == 0 { " zero" } else { "" }
        )?;
    }
    writeln!(out, "</div>")?;
    let verdict_class = if report.summary.failed {
        "failed"
    } else {
        "passed"
    };
    writeln!(
        out,
        "<p class=\"verdict {verdict_class}\">{}</p>",
        escape(&summary_line(report))
    )?;
    for w in &report.policy.warnings {
        writeln!(out, "<div class=\"warn\">policy: {}</div>", escape(w))?;
    }
    write_limits(&report.limits, out)?;
    super::summary::write_html(report, out)?;
    write_sdk_table(report, out)?;
    super::html_matrix::write_matrix(report, out)?;
    super::html_permissions::write_permissions(report, out)?;
    for (owner, findings) in report.by_owner() {
        writeln!(
            out,
            "<section><h2>{} <span class=\"count\">· {} finding{}</span></h2>\
             <table><colgroup><col class=\"sev\"><col class=\"kind\"><col></colgroup>",
            escape(&report.owner_name(owner)),
            findings.len(),
            if findings.len() == 1 { "" } else { "s" }
        )?;
        for f in findings {
            write_finding_row(report, f, out)?;
        }
        writeln!(out, "</table></section>")?;
    }
    write_set_aside(report, out)?;
    super::html_declared::write_declared(report, out)?;
    super::html_matrix::write_observations(report, out)?;
    writeln!(
        out,
        "<footer>{} {}, signatures {}</footer>",
        escape(&report.tool.name),
        escape(&report.tool.version),
        escape(&report.tool.signatures.to_string())
    )?;
    writeln!(out, "</body></html>")
}

/// One finding as a table row: severity, code, message, owner reason, fix, evidence.
fn write_finding_row(report: &ScanReport, f: &Finding, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<tr><td><span class=\"sev {}\">{}</span></td><td class=\"kind\"><code>{}</code></td><td>{}",
        f.severity.as_str(),
        f.severity.as_str(),
        f.kind.code(),
        escape(&f.message)
    )?;
    if let Some(data) = &f.data {
        writeln!(
            out,
            "<div class=\"owner\">data: {} <code>{}</code></div>",
            escape(report.context.data_name(data)),
            escape(data)
        )?;
    }
    if let Some(reason) = &f.owner_reason {
        let label = if f.kind == FindingKind::UndisclosedSdk {
            "grade"
        } else {
            "owner"
        };
        writeln!(
            out,
            "<div class=\"owner\">{label}: {}</div>",
            escape(reason)
        )?;
    }
    if let Some(fix) = &f.fix {
        writeln!(out, "<div class=\"fix\">fix: {}</div>", escape(fix))?;
    }
    if !f.evidence.is_empty() || f.policy_text.is_some() {
        writeln!(
            out,
            "<details><summary>evidence ({})</summary><ul>",
            f.evidence.len()
        )?;
        for ev in f.evidence.iter().take(50) {
            writeln!(out, "<li><code>{}</code></li>", escape(&evidence_line(ev)))?;
        }
        writeln!(out, "</ul>")?;
        if let Some(q) = &f.policy_text {
            writeln!(
                out,
                "<blockquote>policy line {}: {}</blockquote>",
                q.line,
                escape(&q.quote)
            )?;
        }
        writeln!(out, "</details>")?;
    }
    writeln!(out, "</td></tr>")?;
    Ok(())
}

/// The findings set aside: suppressed by the config, already in the baseline.
fn write_set_aside(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    if !report.suppressed.is_empty() {
        writeln!(
            out,
            "<section><h2>Suppressed by config</h2><table><colgroup><col class=\"kind\"><col><col></colgroup>"
        )?;
        for f in &report.suppressed {
            if let Some(s) = &f.suppressed {
                writeln!(
                    out,
                    "<tr><td class=\"kind\"><code>{}</code></td><td>{}</td><td>{} (until {})</td></tr>",
                    f.kind.code(),
                    escape(&f.message),
                    escape(&s.reason),
                    escape(&s.expires)
                )?;
            }
        }
        writeln!(out, "</table></section>")?;
    }
    if !report.baselined.is_empty() {
        writeln!(
            out,
            "<section><h2>Already in the baseline</h2><table><colgroup><col class=\"kind\"><col></colgroup>"
        )?;
        for f in &report.baselined {
            writeln!(
                out,
                "<tr><td class=\"kind\"><code>{}</code></td><td>{}</td></tr>",
                f.kind.code(),
                escape(&f.message)
            )?;
        }
        writeln!(out, "</table></section>")?;
    }
    Ok(())
}

/// The SDKs found in the app, and whether the policy names each.
fn write_sdk_table(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    if report.sdks.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<section><h2>SDKs in the app <span class=\"count\">· {} of {} named in the policy</span></h2>\
         <table><colgroup><col><col class=\"kind\"><col class=\"kind\"><col class=\"sev\"><col><col class=\"sev\"></colgroup>\
         <tr><th>SDK</th><th>id</th><th>category</th><th>classes</th><th>vendor documents</th><th>in policy</th></tr>",
        report.summary.sdks_disclosed,
        report.summary.sdks_found
    )?;
    for sdk in &report.sdks {
        let (class, word) = if sdk.grade == crate::model::Grade::Referenced {
            ("ref", "not compared: referenced only")
        } else if report.sdk_undisclosed(&sdk.id) {
            ("no", "no")
        } else if sdk.part_of.is_some() {
            ("ok", "with the SDK it is part of")
        } else {
            ("ok", "yes")
        };
        writeln!(
            out,
            "<tr id=\"{}\"><td>{}<div class=\"owner\">{}</div></td><td class=\"kind\"><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td class=\"{class}\">{word}</td></tr>",
            super::html_matrix::sdk_anchor(&sdk.id),
            escape(&match sdk.part_of.as_deref().and_then(|p| report.sdks.iter().find(|x| x.id == p)) {
                Some(parent) => format!("{} (part of {})", sdk.name, parent.name),
                None => sdk.name.clone(),
            }),
            escape(&format!("{}: {}", sdk.grade.as_str(), sdk.grade_reason)),
            escape(&sdk.id),
            escape(&sdk.category),
            sdk.classes,
            escape(&super::html_matrix::vendor_data_names(report, sdk))
        )?;
    }
    writeln!(out, "</table></section>")
}
