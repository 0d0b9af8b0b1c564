//! The dashboard page: counts, charts, errors and the per-app table. One file, inline CSS and
//! SVG; the only script is the click-to-sort of the table (the page reads fine without it).

use super::charts::{bars, heat_map, Bar};
use super::{AppRow, Dashboard};
use crate::compare::finding::Severity;
use crate::report::html::escape;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

/// Bars in the SDK charts.
const TOP_SDKS: usize = 20;
/// Columns of the category × data-type heat map.
const TOP_DATA_TYPES: usize = 16;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;margin:2rem auto;max-width:80rem;color:#1b1f24;padding:0 1rem;line-height:1.4}
h1{font-size:1.5rem;margin-bottom:.2rem}.sub{color:#57606a;margin-top:0}
.cards{display:flex;gap:.6rem;flex-wrap:wrap;margin:1rem 0}.card{border-radius:.5rem;padding:.6rem 1rem;min-width:6.5rem;background:#eaeef2;color:#1b1f24}
.card b{display:block;font-size:1.6rem}.card.bad{background:#cf222e;color:#fff}.card.warn{background:#9a6700;color:#fff}
section{border:1px solid #d0d7de;border-radius:.5rem;margin:1rem 0;padding:.4rem 1rem;overflow-x:auto}
section h2{font-size:1.1rem;margin:.6rem 0}.count{font-weight:400;color:#57606a;font-size:.9rem}
.charts{display:flex;flex-wrap:wrap;gap:1rem}.charts>div{flex:1 1 40rem}
svg.chart{max-width:100%;height:auto;font-size:12px}svg .label{fill:#1b1f24}svg .value{fill:#57606a}
svg .all{fill:#0969da;fill-opacity:.35}svg .hi{fill:#cf222e}svg .cell{fill:#1b1f24;font-size:11px}svg .cell.dark{fill:#fff}
table{border-collapse:collapse;width:100%}td,th{padding:.3rem .45rem;border-top:1px solid #eaeef2;text-align:left;vertical-align:top}
th{font-size:.8rem;color:#57606a;cursor:pointer;user-select:none;white-space:nowrap}th[aria-sort]::after{content:' ↕';color:#afb8c1}
td.n{text-align:right;font-variant-numeric:tabular-nums}td.hot{color:#cf222e;font-weight:700}
code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.85em;overflow-wrap:anywhere}
.err{color:#cf222e}.muted{color:#57606a}
@media print{body{max-width:none;margin:0}section{border:none;padding:0;break-inside:auto}tr{break-inside:avoid}a{color:inherit;text-decoration:none}
.card.bad,.card.warn,svg{print-color-adjust:exact;-webkit-print-color-adjust:exact}th[aria-sort]::after{content:''}}";

/// Sort the table by the clicked column (numbers numerically), again to reverse; a link to
/// `dashboard.html#sort=N` (or `#sort=-N`, descending) opens it sorted by column N (from 0).
const SORT_SCRIPT: &str = "(function(){var t=document.querySelector('table.apps');if(!t)return;var hs=t.querySelectorAll('th');function by(i,asc){var tb=t.tBodies[0],rows=Array.from(tb.rows);hs.forEach(function(h){h.setAttribute('aria-sort','none')});hs[i].setAttribute('aria-sort',asc?'ascending':'descending');rows.sort(function(a,b){var x=a.cells[i].dataset.v,y=b.cells[i].dataset.v,nx=parseFloat(x),ny=parseFloat(y),c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c});rows.forEach(function(r){tb.appendChild(r)})}hs.forEach(function(h,i){h.addEventListener('click',function(){by(i,h.getAttribute('aria-sort')!=='ascending')})});var m=location.hash.match(/^#sort=(-?)([0-9]+)$/);if(m&&hs[+m[2]])by(+m[2],m[1]!=='-')})()";

/// Write the dashboard page.
pub fn write(d: &Dashboard, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>disclose: batch dashboard</title><style>{STYLE}</style></head><body>\
         <h1>disclose: batch dashboard</h1><p class=\"sub\">{}</p>",
        escape(&d.tool)
    )?;
    write_cards(d, out)?;
    write_charts(d, out)?;
    write_errors(d, out)?;
    write_table(d, out)?;
    writeln!(out, "<script>{SORT_SCRIPT}</script></body></html>")
}

fn write_cards(d: &Dashboard, out: &mut dyn Write) -> io::Result<()> {
    let scanned = d.rows.iter().filter(|r| r.status == "scanned").count();
    let with_undisclosed = d.rows.iter().filter(|r| r.undisclosed_sdks > 0).count();
    let with_high = d
        .rows
        .iter()
        .filter(|r| r.by_severity.iter().take(2).any(|n| *n > 0))
        .count();
    let cards: [(&str, usize, &str); 6] = [
        ("apps", d.apps(), ""),
        ("compared with a policy", scanned, ""),
        ("without a policy", d.apps() - scanned, ""),
        (
            "errors",
            d.errors(),
            if d.errors() > 0 { "warn" } else { "" },
        ),
        ("with an undisclosed SDK", with_undisclosed, "bad"),
        ("with a critical or high finding", with_high, "bad"),
    ];
    writeln!(out, "<div class=\"cards\">")?;
    for (label, n, class) in cards {
        let class = if n == 0 { "" } else { class };
        writeln!(
            out,
            "<div class=\"card {class}\"><b>{n}</b>{}</div>",
            escape(label)
        )?;
    }
    writeln!(out, "</div>")?;
    if d.unreadable_lines > 0 {
        writeln!(
            out,
            "<p class=\"err\">{} of the results file were not JSON records and are not counted.</p>",
            crate::report::counted(d.unreadable_lines, "line")
        )?;
    }
    Ok(())
}

fn write_charts(d: &Dashboard, out: &mut dyn Write) -> io::Result<()> {
    let mut sdks: Vec<(&String, &super::SdkTally)> = d.sdks.iter().collect();
    if sdks.is_empty() {
        return Ok(());
    }
    let label = |id: &str, t: &super::SdkTally| {
        if t.name.is_empty() {
            id.to_string()
        } else {
            t.name.clone()
        }
    };
    sdks.sort_by(|a, b| b.1.apps.cmp(&a.1.apps).then(a.0.cmp(b.0)));
    let common: Vec<Bar> = sdks
        .iter()
        .take(TOP_SDKS)
        .map(|(id, t)| Bar {
            label: label(id, t),
            value: t.apps,
            highlighted: t.undisclosed,
        })
        .collect();
    sdks.sort_by(|a, b| b.1.undisclosed.cmp(&a.1.undisclosed).then(a.0.cmp(b.0)));
    let undisclosed: Vec<Bar> = sdks
        .iter()
        .filter(|(_, t)| t.undisclosed > 0)
        .take(TOP_SDKS)
        .map(|(id, t)| Bar {
            label: label(id, t),
            value: t.undisclosed,
            highlighted: t.undisclosed,
        })
        .collect();
    writeln!(
        out,
        "<section id=\"sdks\"><h2>SDKs <span class=\"count\">· {} distinct, apps they are in</span></h2><div class=\"charts\"><div><h3>Most common SDKs</h3>",
        d.sdks.len()
    )?;
    bars(&common, ("apps with it", "not in the policy"), out)?;
    writeln!(out, "</div><div><h3>Most common undisclosed SDKs</h3>")?;
    if undisclosed.is_empty() {
        writeln!(
            out,
            "<p class=\"muted\">Every SDK found is named in its app's policy.</p>"
        )?;
    } else {
        bars(&undisclosed, ("apps", "not in the policy"), out)?;
    }
    writeln!(out, "</div></div></section>")?;
    write_category_data(d, out)
}

/// The heat map of SDK category × data type: in how many apps an SDK of that category reaches
/// for the type.
fn write_category_data(d: &Dashboard, out: &mut dyn Write) -> io::Result<()> {
    if d.category_data.is_empty() {
        return Ok(());
    }
    let mut per_type: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_category: BTreeMap<&str, usize> = BTreeMap::new();
    for ((category, data_type), n) in &d.category_data {
        *per_type.entry(data_type).or_default() += n;
        *per_category.entry(category).or_default() += n;
    }
    let mut types: Vec<(&str, usize)> = per_type.into_iter().collect();
    types.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    types.truncate(TOP_DATA_TYPES);
    let mut categories: Vec<(&str, usize)> = per_category.into_iter().collect();
    categories.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let rows: Vec<String> = categories.iter().map(|(c, _)| c.to_string()).collect();
    let columns: Vec<String> = types
        .iter()
        .map(|(t, _)| d.data_name(t).to_string())
        .collect();
    writeln!(
        out,
        "<section id=\"data\"><h2>Data types by SDK category <span class=\"count\">· apps in which an SDK of the category reaches for the type in code; the {} most frequent types</span></h2>",
        types.len()
    )?;
    let value = |r: usize, c: usize| {
        let (Some((category, _)), Some((data_type, _))) = (categories.get(r), types.get(c)) else {
            return 0;
        };
        d.category_data
            .get(&(category.to_string(), data_type.to_string()))
            .copied()
            .unwrap_or(0)
    };
    heat_map(&rows, &columns, value, out)?;
    writeln!(out, "</section>")
}

fn write_errors(d: &Dashboard, out: &mut dyn Write) -> io::Result<()> {
    let errors: Vec<&AppRow> = d.rows.iter().filter(|r| r.status == "error").collect();
    if errors.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<section id=\"errors\"><h2>Errors <span class=\"count\">· {}</span></h2><ul>",
        crate::report::counted(errors.len(), "file")
    )?;
    for r in errors {
        writeln!(
            out,
            "<li class=\"err\"><code>{}</code></li>",
            escape(&r.error)
        )?;
    }
    writeln!(out, "</ul></section>")
}

fn write_table(d: &Dashboard, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<section id=\"apps\"><h2>Apps <span class=\"count\">· {} (click a column to sort)</span></h2>\
         <table class=\"apps\"><thead><tr><th aria-sort=\"none\">app</th><th aria-sort=\"none\">platform</th>\
         <th aria-sort=\"none\">status</th><th aria-sort=\"none\">SDKs</th><th aria-sort=\"none\">undisclosed SDKs</th>",
        crate::report::counted(d.rows.len(), "record")
    )?;
    for sev in Severity::ALL {
        write!(out, "<th aria-sort=\"none\">{sev}</th>")?;
    }
    writeln!(
        out,
        "<th aria-sort=\"none\">report</th></tr></thead><tbody>"
    )?;
    for r in &d.rows {
        let title = match (r.id.as_str(), r.name.as_str()) {
            ("", _) => escape(
                &Path::new(&r.file)
                    .file_name()
                    .map_or_else(|| r.file.clone(), |n| n.to_string_lossy().into_owned()),
            ),
            (id, "") => escape(id),
            (id, name) => format!(
                "{} <span class=\"muted\">({})</span>",
                escape(id),
                escape(name)
            ),
        };
        let sort_key = if r.id.is_empty() { &r.file } else { &r.id };
        write!(
            out,
            "<tr><td data-v=\"{}\">{title}<div class=\"muted\"><code>{}</code></div></td><td data-v=\"{p}\">{p}</td><td data-v=\"{s}\" class=\"{}\">{s}</td>",
            escape(sort_key),
            escape(&r.file),
            if r.status == "error" { "err" } else { "" },
            p = escape(&r.platform),
            s = r.status,
        )?;
        let hot = |n: usize| if n > 0 { " hot" } else { "" };
        write!(
            out,
            "<td class=\"n\" data-v=\"{0}\">{0}</td><td class=\"n{1}\" data-v=\"{2}\">{2}</td>",
            r.sdks,
            hot(r.undisclosed_sdks),
            r.undisclosed_sdks
        )?;
        for (i, n) in r.by_severity.iter().enumerate() {
            write!(
                out,
                "<td class=\"n{}\" data-v=\"{n}\">{n}</td>",
                if i < 2 { hot(*n) } else { "" }
            )?;
        }
        match &r.report {
            Some(link) => writeln!(
                out,
                "<td data-v=\"1\"><a href=\"{}\">report</a></td></tr>",
                escape(&link_path(link))
            )?,
            None => writeln!(out, "<td data-v=\"0\"></td></tr>")?,
        }
    }
    writeln!(out, "</tbody></table></section>")
}

/// A relative link with the characters a URL path cannot hold percent-encoded.
fn link_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
