//! Text rendering of an inspect report (`disclose inspect` without `--format json`).
//!
//! ```no_run
//! # fn f(r: &disclose::model::InspectReport) -> std::io::Result<()> {
//! disclose::report::inspect_text::write(r, &mut std::io::stdout())
//! # }
//! ```

use super::evidence_line;
use crate::model::InspectReport;
use std::io::{self, Write};

/// The entitlement keys of the provisioning profile and of the main executable's code
/// signature (once per distinct list), from an iOS report's details.
fn write_entitlements(d: &serde_json::Value, out: &mut dyn Write) -> io::Result<()> {
    let keys = |v: Option<&serde_json::Value>| -> Option<String> {
        let list: Vec<&str> = v?.as_array()?.iter().filter_map(|k| k.as_str()).collect();
        Some(if list.is_empty() {
            "(none)".to_string()
        } else {
            list.join(", ")
        })
    };
    if let Some(list) = keys(d.pointer("/provision/entitlements/keys")) {
        writeln!(out, "entitlements (provisioning profile)  {list}")?;
    }
    let mut seen: Vec<String> = Vec::new();
    let main_binaries = d
        .get("binaries")
        .and_then(|b| b.as_array())
        .into_iter()
        .flatten()
        .filter(|b| b.get("main").and_then(|m| m.as_bool()) == Some(true));
    for binary in main_binaries {
        let slices = binary.get("slices").and_then(|s| s.as_array());
        for slice in slices.into_iter().flatten() {
            let Some(list) = keys(slice.pointer("/code_signature/entitlements/keys")) else {
                continue;
            };
            if !seen.contains(&list) {
                writeln!(out, "entitlements (code signature)        {list}")?;
                seen.push(list);
            }
        }
    }
    Ok(())
}

pub fn write(r: &InspectReport, out: &mut dyn Write) -> io::Result<()> {
    let platform = serde_json::to_value(r.app.platform)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    writeln!(
        out,
        "{} {} ({platform})",
        r.app.id.as_deref().unwrap_or("(no id)"),
        r.app.version.as_deref().unwrap_or("")
    )?;
    writeln!(out, "file    {}", r.app.file)?;
    writeln!(out, "sha256  {}", r.app.sha256)?;
    if let Some(d) = &r.details {
        if let Some(n) = d.get("defined_classes").and_then(|v| v.as_u64()) {
            let dex = d.get("dex").and_then(|v| v.as_array()).map_or(0, Vec::len);
            writeln!(out, "code    {n} defined classes in {dex} dex files")?;
        }
        if let Some(abis) = d.get("abis").and_then(|v| v.as_array()) {
            if !abis.is_empty() {
                let list: Vec<&str> = abis.iter().filter_map(|v| v.as_str()).collect();
                writeln!(out, "abis    {}", list.join(", "))?;
            }
        }
        write_entitlements(d, out)?;
    }
    writeln!(out)?;
    writeln!(out, "permissions ({})", r.permissions.len())?;
    for p in &r.permissions {
        let mut line = format!("  {}", p.name);
        if let Some(prot) = &p.protection {
            line.push_str(&format!("  [{prot}]"));
        }
        if !p.data.is_empty() {
            line.push_str(&format!("  → {}", p.data.join(", ")));
        }
        if let Some(t) = &p.text {
            line.push_str(&format!("  \"{}\"", super::text::one_line(t)));
        }
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    writeln!(out, "sdks ({})", r.sdks.len())?;
    for s in &r.sdks {
        let part_of = s
            .part_of
            .as_deref()
            .map(|p| format!(" (part of {p})"))
            .unwrap_or_default();
        writeln!(
            out,
            "  {:<28} {:<12} {:>6} classes  {}{part_of}",
            s.id, s.category, s.classes, s.name
        )?;
        writeln!(out, "      {}: {}", s.grade.as_str(), s.grade_reason)?;
        if let Some(ev) = s.evidence.first() {
            writeln!(out, "      at {}", evidence_line(ev))?;
        }
        writeln!(out, "      vendor documents: {}", vendor_data_words(s))?;
    }
    if !r.libraries.is_empty() {
        writeln!(out)?;
        writeln!(out, "libraries ({})", r.libraries.len())?;
        for l in &r.libraries {
            writeln!(
                out,
                "  {:<28} {:<12} {:>6} classes  {} ({})",
                l.id, l.kind, l.classes, l.name, l.license
            )?;
        }
    }
    writeln!(out)?;
    writeln!(out, "data ({})", r.data.len())?;
    for d in &r.data {
        writeln!(
            out,
            "  {:<24} by {:<20} {:>4} sites  [{}]",
            d.data_type,
            d.by,
            d.sites,
            d.owner.as_str()
        )?;
        if !d.owner_reason.is_empty() {
            writeln!(out, "      owner: {}", d.owner_reason)?;
        }
        if let Some(ev) = d.evidence.first() {
            writeln!(out, "      at {}", evidence_line(ev))?;
        }
    }
    if !r.limits.is_empty() {
        writeln!(out)?;
        writeln!(out, "limits ({})", r.limits.len())?;
        for l in &r.limits {
            let kind = serde_json::to_value(l.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            writeln!(out, "  {kind}: {}", l.message)?;
        }
    }
    Ok(())
}

/// What an SDK's vendor documents it collects, in words for a report.
pub(crate) fn vendor_data_words(s: &crate::model::SdkPresence) -> String {
    match &s.vendor_data {
        Some(ids) if ids.is_empty() => "no personal data".to_string(),
        Some(ids) => ids.join(", "),
        None => "no statement found".to_string(),
    }
}
