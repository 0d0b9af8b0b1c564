//! The Markdown draft: the review notice as a quote at the top, the SDK list as the table a
//! compliance officer pastes into a policy, the app's own collection and permissions, the
//! numbered evidence, SDKs left out and analysis limits.
//!
//! ```
//! use disclose::draft::markdown::cell;
//! assert_eq!(cell("a | b\nc"), "a \\| b c");
//! ```

use super::cells;
use super::model::{AppCollection, Draft, SdkList};
use super::wording::{DraftWording, Lang, Text};
use std::io::{self, Write};

/// A table cell: pipes escaped, line breaks as spaces.
pub fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn row(out: &mut dyn Write, cells: &[String]) -> io::Result<()> {
    let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    writeln!(out, "| {} |", cells.join(" | "))
}

fn header(out: &mut dyn Write, columns: &[&Text], lang: Lang) -> io::Result<()> {
    let names: Vec<String> = columns.iter().map(|c| c.get(lang).to_string()).collect();
    row(out, &names)?;
    writeln!(out, "|{}", "---|".repeat(names.len()))
}

fn sdk_list(list: &SdkList, lang: Lang, w: &DraftWording, out: &mut dyn Write) -> io::Result<()> {
    let l = &w.labels;
    writeln!(out, "## {}\n", l.sdk_list.get(lang))?;
    header(out, &cells::sdk_list_columns(l), lang)?;
    for r in &list.rows {
        row(
            out,
            &[
                cells::sdk_name(r, lang, w),
                cells::vendor(r, lang),
                r.purpose.clone(),
                cells::all_data(r, lang, w),
                cells::permissions(&r.permissions, lang, w),
                r.privacy_policy.clone().unwrap_or_else(|| "—".to_string()),
            ],
        )?;
    }
    if list.rows.is_empty() {
        writeln!(out, "\n{}", l.none_observed.get(lang))?;
    }
    if !list.not_listed.is_empty() {
        writeln!(out, "\n### {}\n", l.not_listed.get(lang))?;
        for s in &list.not_listed {
            writeln!(out, "- {} (`{}`): {}", cell(&s.name), s.id, cell(&s.reason))?;
        }
    }
    writeln!(out)
}

fn app_collection(
    draft: &Draft,
    app: &AppCollection,
    w: &DraftWording,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (lang, l) = (draft.lang, &w.labels);
    writeln!(out, "## {}\n", l.app_collection.get(lang))?;
    if app.data.is_empty() {
        writeln!(out, "{}\n", l.none_observed.get(lang))?;
    } else {
        header(out, &cells::app_data_columns(l), lang)?;
        for d in &app.data {
            row(
                out,
                &[
                    d.name.clone(),
                    cells::collected_by(d, lang, w),
                    cells::permissions(&d.permissions, lang, w),
                    format!(
                        "{} ({})",
                        d.evidence.join(", "),
                        cells::sites(d.sites, lang, w)
                    ),
                ],
            )?;
        }
        writeln!(out)?;
    }
    if !app.permissions.is_empty() {
        writeln!(out, "### {}\n", l.app_permissions.get(lang))?;
        header(out, &cells::app_permission_columns(l), lang)?;
        for p in &app.permissions {
            row(
                out,
                &[
                    p.name.clone(),
                    dash_if_empty(p.gives_access_to.join(cells::sep(lang))),
                    dash_if_empty(cells::used_by(p, draft, w)),
                ],
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn dash_if_empty(s: String) -> String {
    if s.is_empty() {
        "—".to_string()
    } else {
        s
    }
}

/// Writes the whole draft.
pub fn write(draft: &Draft, w: &DraftWording, out: &mut dyn Write) -> io::Result<()> {
    let lang = draft.lang;
    let l = &w.labels;
    let app = &draft.app;
    let id = app.id.as_deref().unwrap_or(&app.file);
    let version = app
        .version
        .as_deref()
        .map_or(String::new(), |v| format!(" {v}"));
    writeln!(out, "# {} — {id}{version}\n", l.title.get(lang))?;
    writeln!(out, "> **{}**\n", cell(&draft.notice))?;
    if let Some(list) = &draft.sdk_list {
        sdk_list(list, lang, w, out)?;
    }
    if let Some(app) = &draft.app_collection {
        app_collection(draft, app, w, out)?;
    }
    if let Some(csv) = &draft.data_safety_csv {
        writeln!(
            out,
            "## {}\n\n```csv\n{}\n```\n",
            l.data_safety.get(lang),
            csv.trim_end()
        )?;
    }
    if let Some(plist) = &draft.privacy_manifest {
        writeln!(
            out,
            "## {}\n\n```xml\n{}\n```\n",
            l.privacy_manifest.get(lang),
            plist.trim_end()
        )?;
    }
    if !draft.evidence.is_empty() {
        writeln!(out, "## {}\n", l.evidence.get(lang))?;
        for e in &draft.evidence {
            writeln!(
                out,
                "- **{}** {} · `{}` · {}",
                e.id,
                cells::owner(&e.by, draft, w),
                e.data_type,
                cells::sites(e.sites, lang, w)
            )?;
            for p in &e.places {
                writeln!(out, "  - `{}`", cells::place(p).replace('`', "'"))?;
            }
        }
        writeln!(out)?;
    }
    if !draft.limits.is_empty() {
        writeln!(out, "## {}\n", l.limits.get(lang))?;
        for limit in &draft.limits {
            writeln!(out, "- {}", cell(&limit.message))?;
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "---\n{}: {} · {} ({})",
        l.generated_by.get(lang),
        draft.tool,
        app.file,
        app.sha256
    )
}
