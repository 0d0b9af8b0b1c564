//! The HTML report of an app without a policy (`disclose inspect APP --format html`, and the
//! per-app report batch's dashboard links for an app it found no policy for): what the app is
//! (name, icon, id, version, sha256), the SDKs in it and what their vendors document, the
//! personal data its code reaches and who reaches it, the permissions it asks for, and the
//! analysis limits. Nothing is compared: there is no policy to compare with, and the page says
//! so. Same style sheet and print rules as the scan report ([`super::html`]); no script.
//!
//! ```
//! use disclose::report::html_inspect::write;
//! # let json = r#"{"schema":"disclose.inspect/1","app":{"platform":"android","id":"com.example",
//! #   "version":null,"file":"a.apk","sha256":"00"},"permissions":[],"sdks":[],"data":[],"limits":[]}"#;
//! let report: disclose::model::InspectReport = serde_json::from_str(json).unwrap();
//! let mut html = Vec::new();
//! write(&report, None, &Default::default(), &mut html).unwrap();
//! assert!(String::from_utf8(html).unwrap().contains("no policy to compare with"));
//! ```

use super::html::escape;
use crate::model::{Evidence, InspectReport};
use crate::signatures::Taxonomy;
use crate::version::ToolInfo;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Evidence lines shown per row (the JSON report has them all).
const MAX_EVIDENCE: usize = 50;

/// Render `report`; `tool` names the tool and signature data versions in the footer (only the
/// tool version is known without it); `names` gives data-type ids their readable names (an id
/// without one is shown as it is; see [`data_names`]).
pub fn write(
    report: &InspectReport,
    tool: Option<&ToolInfo>,
    names: &BTreeMap<String, String>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let app = &report.app;
    let title = app.id.as_deref().unwrap_or(&app.file);
    super::html::write_head(out, "disclose inspect", title)?;
    writeln!(
        out,
        "{}",
        super::html::heading(
            "disclose inspect",
            title,
            app.name.as_deref(),
            app.icon.as_ref()
        )
    )?;
    writeln!(
        out,
        "<p class=\"sub\">{} · {} · version {} · sha256 <code>{}</code></p>",
        escape(&app.file),
        platform_word(app.platform),
        escape(app.version.as_deref().unwrap_or("?")),
        escape(&app.sha256)
    )?;
    writeln!(
        out,
        "<p class=\"verdict\">{} · {} · {} — no policy to compare with: nothing here is a \
         finding; scan the app with its policy (<code>disclose scan APP --policy FILE</code>) \
         to see what the policy leaves out.</p>",
        super::counted(report.sdks.len(), "SDK"),
        super::counted(report.data.len(), "data observation"),
        super::counted(report.permissions.len(), "permission")
    )?;
    super::html::write_limits(&report.limits, out)?;
    let name = |id: &str| names.get(id).map_or(id, String::as_str).to_string();
    write_sdks(report, &name, out)?;
    write_data(report, &name, out)?;
    write_permissions(report, &name, out)?;
    let footer = match tool {
        Some(tool) => tool.to_string(),
        None => format!("disclose {}", crate::version::TOOL_VERSION),
    };
    writeln!(out, "<footer>{}</footer>", escape(&footer))?;
    writeln!(out, "</body></html>")
}

fn write_sdks(
    report: &InspectReport,
    name: &dyn Fn(&str) -> String,
    out: &mut dyn Write,
) -> io::Result<()> {
    if report.sdks.is_empty() {
        return writeln!(
            out,
            "<section><h2>SDKs in the app</h2><p>None found.</p></section>"
        );
    }
    writeln!(
        out,
        "<section id=\"sdks\"><h2>SDKs in the app <span class=\"count\">· {}</span></h2>\
         <table><colgroup><col><col class=\"kind\"><col class=\"kind\"><col class=\"sev\"><col></colgroup>\
         <tr><th>SDK</th><th>id</th><th>category</th><th>classes</th><th>vendor documents</th></tr>",
        report.sdks.len()
    )?;
    for sdk in &report.sdks {
        let title = match sdk
            .part_of
            .as_deref()
            .and_then(|p| report.sdks.iter().find(|x| x.id == p))
        {
            Some(parent) => format!("{} (part of {})", sdk.name, parent.name),
            None => sdk.name.clone(),
        };
        writeln!(
            out,
            "<tr id=\"sdk-{}\"><td>{}<div class=\"owner\">{}</div>{}</td><td class=\"kind\"><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&sdk.id),
            escape(&title),
            escape(&format!("{}: {}", sdk.grade.as_str(), sdk.grade_reason)),
            evidence_details(&sdk.evidence),
            escape(&sdk.id),
            escape(&sdk.category),
            sdk.classes,
            escape(&vendor_data(sdk, name))
        )?;
    }
    writeln!(out, "</table></section>")
}

fn write_data(
    report: &InspectReport,
    name: &dyn Fn(&str) -> String,
    out: &mut dyn Write,
) -> io::Result<()> {
    if report.data.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<section id=\"data\"><h2>Personal data the code reaches <span class=\"count\">· {}</span></h2>\
         <table><colgroup><col class=\"what\"><col><col class=\"sev\"><col></colgroup>\
         <tr><th>data type</th><th>by</th><th>call sites</th><th>evidence</th></tr>",
        report.data.len()
    )?;
    for d in &report.data {
        let by = report
            .sdks
            .iter()
            .find(|s| s.id == d.by)
            .map_or_else(|| d.by.clone(), |s| s.name.clone());
        let reason = if d.owner_reason.is_empty() {
            String::new()
        } else {
            format!("<div class=\"owner\">{}</div>", escape(&d.owner_reason))
        };
        writeln!(
            out,
            "<tr><td>{}<div class=\"owner\"><code>{}</code></div></td><td>{}{reason}</td><td>{}</td><td>{}</td></tr>",
            escape(&name(&d.data_type)),
            escape(&d.data_type),
            escape(&by),
            d.sites,
            evidence_details(&d.evidence)
        )?;
    }
    writeln!(out, "</table></section>")
}

fn write_permissions(
    report: &InspectReport,
    name: &dyn Fn(&str) -> String,
    out: &mut dyn Write,
) -> io::Result<()> {
    if report.permissions.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<section id=\"permissions\"><h2>Permissions <span class=\"count\">· {}</span></h2>\
         <table class=\"perms\"><colgroup><col class=\"what\"><col class=\"sev\"><col><col></colgroup>\
         <tr><th>permission</th><th>protection</th><th>gives access to</th><th>usage text / where</th></tr>",
        report.permissions.len()
    )?;
    for p in &report.permissions {
        let where_ = super::html_permissions::where_cell(p);
        let max_sdk = super::html_permissions::max_sdk_note(p);
        writeln!(
            out,
            "<tr><td><code title=\"{}\">{}</code>{max_sdk}</td><td>{}</td><td>{}</td><td>{where_}</td></tr>",
            escape(&p.name),
            escape(super::html_permissions::short_name(&p.name)),
            escape(p.protection.as_deref().unwrap_or("")),
            escape(&p.data.iter().map(|t| name(t)).collect::<Vec<_>>().join(", "))
        )?;
    }
    writeln!(out, "</table></section>")
}

fn platform_word(platform: crate::model::Platform) -> &'static str {
    match platform {
        crate::model::Platform::Android => "Android app",
        crate::model::Platform::Ios => "iOS app",
        crate::model::Platform::SdkPackage => "SDK package",
    }
}

/// What the SDK's vendor documents it collects, by name (the words of the text report
/// otherwise).
fn vendor_data(sdk: &crate::model::SdkPresence, name: &dyn Fn(&str) -> String) -> String {
    match &sdk.vendor_data {
        Some(types) if !types.is_empty() => {
            types.iter().map(|t| name(t)).collect::<Vec<_>>().join(", ")
        }
        Some(_) => "no personal data".to_string(),
        None => "no statement found".to_string(),
    }
}

/// Readable names of every data-type id `report` names (observations, permissions, vendor
/// documents), from `taxonomy`.
pub fn data_names(report: &InspectReport, taxonomy: &Taxonomy) -> BTreeMap<String, String> {
    let ids = report
        .data
        .iter()
        .map(|d| &d.data_type)
        .chain(report.permissions.iter().flat_map(|p| &p.data))
        .chain(
            report
                .sdks
                .iter()
                .flat_map(|s| s.vendor_data.iter().flatten()),
        );
    ids.filter_map(|id| Some((id.to_string(), taxonomy.names(id)?.0.to_string())))
        .collect()
}

/// Evidence folded in `<details>` (unfolded when printed), or nothing.
fn evidence_details(evidence: &[Evidence]) -> String {
    if evidence.is_empty() {
        return String::new();
    }
    let mut html = format!(
        "<details><summary>evidence ({})</summary><ul>",
        evidence.len()
    );
    for ev in evidence.iter().take(MAX_EVIDENCE) {
        html.push_str(&format!(
            "<li><code>{}</code></li>",
            escape(&super::evidence_line(ev))
        ));
    }
    html.push_str("</ul></details>");
    html
}
