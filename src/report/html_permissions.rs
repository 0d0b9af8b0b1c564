//! The HTML report's permissions table: every Android permission the app requests (or iOS
//! privacy usage key it declares), its protection level, the data it opens, the app's own
//! usage text, and where the policy mentions that data (linked to the quote).
//!
//! ```
//! use disclose::report::html_permissions::short_name;
//! assert_eq!(short_name("android.permission.READ_PHONE_STATE"), "READ_PHONE_STATE");
//! assert_eq!(short_name("NSCameraUsageDescription"), "NSCameraUsageDescription");
//! ```

use super::html::escape;
use crate::compare::scan_report::ScanReport;
use std::io::{self, Write};

/// `android.permission.CAMERA` → `CAMERA`; other names as they are.
pub fn short_name(name: &str) -> &str {
    name.strip_prefix("android.permission.").unwrap_or(name)
}

/// The table (nothing when the app requests no permission).
pub fn write_permissions(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    let context = &report.context;
    if context.permissions.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<section id=\"permissions\"><h2>Permissions <span class=\"count\">· {}</span></h2>\
         <table class=\"perms\"><colgroup><col class=\"what\"><col class=\"sev\"><col><col><col class=\"sev\"></colgroup>\
         <tr><th>permission</th><th>protection</th><th>gives access to</th><th>usage text / where</th><th>in policy</th></tr>",
        super::counted(context.permissions.len(), "permission")
    )?;
    for p in &context.permissions {
        let data: Vec<String> = p
            .data
            .iter()
            .map(|t| escape(context.data_name(t)))
            .collect();
        let declared = context
            .declarations
            .iter()
            .position(|d| !d.negated && d.data.iter().any(|t| p.data.contains(t)));
        let in_policy = match (declared, p.data.is_empty()) {
            (Some(i), _) => format!("<a class=\"ok\" href=\"#decl-{i}\">yes</a>"),
            (None, true) => "<span class=\"ref\">no personal data</span>".to_string(),
            (None, false) => "<span class=\"no\">no</span>".to_string(),
        };
        let (where_, max_sdk) = (where_cell(p), max_sdk_note(p));
        writeln!(
            out,
            "<tr><td><code title=\"{}\">{}</code>{max_sdk}</td><td>{}</td><td>{}</td><td>{where_}</td><td>{in_policy}</td></tr>",
            escape(&p.name),
            escape(short_name(&p.name)),
            escape(p.protection.as_deref().unwrap_or("")),
            data.join(", ")
        )?;
    }
    writeln!(out, "</table></section>")
}

/// The "usage text / where" cell of a permission row: its usage text, then the first place it is
/// asked for (shared by the scan and the inspect reports).
pub(super) fn where_cell(p: &crate::model::Permission) -> String {
    let mut cell = String::new();
    if let Some(text) = &p.text {
        cell.push_str(&format!("“{}”", escape(text)));
    }
    if let Some(ev) = p.evidence.first() {
        cell.push_str(&format!(
            "<div class=\"owner\"><code>{}</code></div>",
            escape(&super::evidence_line(ev))
        ));
    }
    cell
}

/// "up to API N" under a permission asked for only up to an SDK level, or nothing.
pub(super) fn max_sdk_note(p: &crate::model::Permission) -> String {
    p.max_sdk
        .map(|n| format!("<div class=\"owner\">up to API {n}</div>"))
        .unwrap_or_default()
}
