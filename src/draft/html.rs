//! The HTML draft: one self-contained page (inline CSS, no script, no network) with the
//! review notice at the top, the SDK list table (each "observed in code" mark links to its
//! evidence), the app's own collection and permissions, the evidence, SDKs left out and
//! analysis limits. Uses the report's print styles (`report::html_style`), so a printed or PDF
//! draft keeps every row.
//!
//! ```
//! assert!(disclose::draft::html::page_style().contains("@media print"));
//! ```

use super::cells;
use super::model::{AppCollection, DataItem, Draft, SdkList};
use super::wording::{DraftWording, Lang, Text};
use crate::report::html::escape;
use std::io::{self, Write};

const BASE_STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;margin:2rem auto;max-width:80rem;color:#1b1f24;padding:0 1rem;line-height:1.4}
h1{font-size:1.5rem}section{border:1px solid #d0d7de;border-radius:.5rem;margin:1rem 0;padding:.4rem 1rem}
section h2{font-size:1.1rem;margin:.6rem 0}
table{border-collapse:collapse;width:100%}td,th{vertical-align:top;padding:.35rem .4rem;border-top:1px solid #eaeef2;text-align:left}
th{font-size:.8rem;color:#57606a;font-weight:600}
code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.85em;background:#f6f8fa;padding:.05rem .25rem;border-radius:.2rem;overflow-wrap:anywhere}
.notice{background:#fff8c5;border:1px solid #d4a72c;border-radius:.4rem;padding:.6rem .9rem;font-weight:600}
.code{color:#1a7f37}.vendor{color:#9a6700}.owner{color:#57606a;font-size:90%}
ul.data{margin:0;padding-left:1rem}";

/// The page's style sheet: the draft's own rules and the report's print rules.
pub fn page_style() -> String {
    format!("{BASE_STYLE}{}", crate::report::html_style::STYLE)
}

fn data_item(item: &DataItem, lang: Lang, w: &DraftWording) -> String {
    if item.source.observed() {
        let links: Vec<String> = item
            .evidence
            .iter()
            .map(|id| format!("<a href=\"#{id}\">{id}</a>"))
            .collect();
        format!(
            "<li>{} <span class=\"code\">[{} {}]</span></li>",
            escape(&item.name),
            escape(w.labels.from_code.get(lang)),
            links.join(", ")
        )
    } else {
        format!(
            "<li>{} <span class=\"vendor\">[{}]</span></li>",
            escape(&item.name),
            escape(w.labels.from_vendor.get(lang))
        )
    }
}

fn sdk_list(list: &SdkList, lang: Lang, w: &DraftWording, out: &mut dyn Write) -> io::Result<()> {
    let l = &w.labels;
    let rows = list.rows.iter().map(|r| {
        let mut data: Vec<String> = r.data.iter().map(|i| data_item(i, lang, w)).collect();
        if !r.vendor_documented {
            data.push(format!(
                "<li class=\"vendor\">{}</li>",
                escape(l.vendor_silent.get(lang))
            ));
        }
        let link = match &r.privacy_policy {
            Some(url) => format!("<a href=\"{0}\">{0}</a>", escape(url)),
            None => "—".to_string(),
        };
        TableRow {
            id: Some(format!("sdk-{}", escape(&r.id))),
            cells: vec![
                escape(&cells::sdk_name(r, lang, w)),
                escape(&cells::vendor(r, lang)),
                escape(&r.purpose),
                format!("<ul class=\"data\">{}</ul>", data.join("")),
                escape(&cells::permissions(&r.permissions, lang, w)),
                link,
            ],
        }
    });
    table(
        out,
        &format!(
            "<section id=\"sdk-list\"><h2>{}</h2>",
            escape(l.sdk_list.get(lang))
        ),
        &cells::sdk_list_columns(l),
        lang,
        rows,
    )?;
    if !list.not_listed.is_empty() {
        writeln!(out, "<h3>{}</h3><ul>", escape(l.not_listed.get(lang)))?;
        for s in &list.not_listed {
            writeln!(
                out,
                "<li>{} (<code>{}</code>): {}</li>",
                escape(&s.name),
                escape(&s.id),
                escape(&s.reason)
            )?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "</section>")
}

/// One row of a [`table`]: its `id` attribute and its cells, already HTML.
struct TableRow {
    id: Option<String>,
    cells: Vec<String>,
}

/// Writes `before` (the heading), then a table with a header row of `headings` and `rows`.
fn table(
    out: &mut dyn Write,
    before: &str,
    headings: &[&Text],
    lang: Lang,
    rows: impl Iterator<Item = TableRow>,
) -> io::Result<()> {
    let head: String = headings
        .iter()
        .map(|h| format!("<th>{}</th>", escape(h.get(lang))))
        .collect();
    writeln!(out, "{before}<table><tr>{head}</tr>")?;
    for row in rows {
        let id = row
            .id
            .map_or_else(String::new, |id| format!(" id=\"{id}\""));
        let cells: String = row.cells.iter().map(|c| format!("<td>{c}</td>")).collect();
        writeln!(out, "<tr{id}>{cells}</tr>")?;
    }
    writeln!(out, "</table>")
}

fn links(ids: &[String]) -> String {
    ids.iter()
        .map(|id| format!("<a href=\"#{id}\">{id}</a>"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn app_collection(
    draft: &Draft,
    app: &AppCollection,
    w: &DraftWording,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (lang, l) = (draft.lang, &w.labels);
    let rows = app.data.iter().map(|d| TableRow {
        id: None,
        cells: vec![
            escape(&d.name),
            escape(&cells::collected_by(d, lang, w)),
            escape(&cells::permissions(&d.permissions, lang, w)),
            format!(
                "{} <span class=\"owner\">({})</span>",
                links(&d.evidence),
                escape(&cells::sites(d.sites, lang, w))
            ),
        ],
    });
    table(
        out,
        &format!(
            "<section id=\"app-collection\"><h2>{}</h2>",
            escape(l.app_collection.get(lang))
        ),
        &cells::app_data_columns(l),
        lang,
        rows,
    )?;
    if !app.permissions.is_empty() {
        let rows = app.permissions.iter().map(|p| TableRow {
            id: None,
            cells: vec![
                format!("<code>{}</code>", escape(&p.name)),
                escape(&p.gives_access_to.join(cells::sep(lang))),
                escape(&cells::used_by(p, draft, w)),
            ],
        });
        table(
            out,
            &format!("<h3>{}</h3>", escape(l.app_permissions.get(lang))),
            &cells::app_permission_columns(l),
            lang,
            rows,
        )?;
    }
    writeln!(out, "</section>")
}

fn evidence(draft: &Draft, w: &DraftWording, out: &mut dyn Write) -> io::Result<()> {
    let lang = draft.lang;
    writeln!(
        out,
        "<section id=\"evidence\"><h2>{}</h2><ul>",
        escape(w.labels.evidence.get(lang))
    )?;
    for e in &draft.evidence {
        let places: Vec<String> = e
            .places
            .iter()
            .map(|p| format!("<li><code>{}</code></li>", escape(&cells::place(p))))
            .collect();
        writeln!(
            out,
            "<li id=\"{}\"><b>{}</b> {} · <code>{}</code> · {}<ul>{}</ul></li>",
            e.id,
            e.id,
            escape(&cells::owner(&e.by, draft, w)),
            escape(&e.data_type),
            escape(&cells::sites(e.sites, lang, w)),
            places.join("")
        )?;
    }
    writeln!(out, "</ul></section>")
}

/// Writes the whole draft as one page.
pub fn write(draft: &Draft, w: &DraftWording, out: &mut dyn Write) -> io::Result<()> {
    let lang = draft.lang;
    let l = &w.labels;
    let app = &draft.app;
    let id = app.id.as_deref().unwrap_or(&app.file);
    let version = app.version.as_deref().unwrap_or("");
    let html_lang = match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    };
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{} — {}</title><style>{}</style></head><body>",
        escape(l.title.get(lang)),
        escape(id),
        page_style()
    )?;
    writeln!(
        out,
        "<h1>{} — {} {}</h1>",
        escape(l.title.get(lang)),
        escape(id),
        escape(version)
    )?;
    writeln!(out, "<p class=\"notice\">{}</p>", escape(&draft.notice))?;
    if let Some(list) = &draft.sdk_list {
        sdk_list(list, lang, w, out)?;
    }
    if let Some(app) = &draft.app_collection {
        app_collection(draft, app, w, out)?;
    }
    for (id, heading, text) in [
        ("data-safety", &l.data_safety, &draft.data_safety_csv),
        (
            "privacy-manifest",
            &l.privacy_manifest,
            &draft.privacy_manifest,
        ),
    ] {
        if let Some(text) = text {
            writeln!(
                out,
                "<section id=\"{id}\"><h2>{}</h2><pre>{}</pre></section>",
                escape(heading.get(lang)),
                escape(text)
            )?;
        }
    }
    if !draft.evidence.is_empty() {
        evidence(draft, w, out)?;
    }
    if !draft.limits.is_empty() {
        writeln!(
            out,
            "<section id=\"limits\"><h2>{}</h2><ul>",
            escape(l.limits.get(lang))
        )?;
        for limit in &draft.limits {
            writeln!(out, "<li>{}</li>", escape(&limit.message))?;
        }
        writeln!(out, "</ul></section>")?;
    }
    writeln!(
        out,
        "<p class=\"owner\">{}: {} · {} · sha256 <code>{}</code></p></body></html>",
        escape(l.generated_by.get(lang)),
        escape(&draft.tool.to_string()),
        escape(&app.file),
        escape(&app.sha256)
    )
}
