//! SARIF 2.1.0 reporter: one rule per finding kind (with help text), one result per finding
//! (its message ends with the fix, also in `properties.fix`);
//! the artifact is the app file, the logical location the class/method or symbol, the related
//! location the policy text. Suppressed findings stay in the log with a `suppressions` entry.
//!
//! ```no_run
//! # fn f(r: &disclose::compare::scan_report::ScanReport) -> std::io::Result<()> {
//! disclose::report::sarif::write(r, &mut std::io::stdout())
//! # }
//! ```

use crate::compare::finding::{Finding, FindingKind, Severity};
use crate::compare::scan_report::ScanReport;
use serde_json::{json, Value};
use std::io::{self, Write};

/// The OASIS 2.1.0 schema (errata01), the one the test validates against.
const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn rule_name(kind: FindingKind) -> String {
    kind.code()
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// GitHub code scanning's numeric `security-severity` (it maps > 9.0 to critical, ≥ 7.0 to high,
/// ≥ 4.0 to medium, else low).
fn security_severity(sev: Severity) -> &'static str {
    match sev {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn rules() -> Vec<Value> {
    FindingKind::ALL
        .iter()
        .map(|&k| {
            json!({
                "id": k.code(),
                "name": rule_name(k),
                "shortDescription": { "text": k.title() },
                "fullDescription": { "text": k.help() },
                "help": { "text": k.help(), "markdown": format!("**{}**\n\n{}", k.title(), k.help()) },
                "defaultConfiguration": { "level": k.default_severity().sarif_level() },
                "properties": {
                    "tags": ["privacy"],
                    "severity": k.default_severity().as_str(),
                    "security-severity": security_severity(k.default_severity()),
                    "precision": "high"
                }
            })
        })
        .collect()
}

fn result(report: &ScanReport, f: &Finding) -> Value {
    let rule_index = f.kind.index();
    let logical: Vec<Value> = f
        .evidence
        .iter()
        .take(20)
        .map(|ev| {
            let name = match &ev.location {
                Some(loc) => format!("{}!{}", ev.file, loc),
                None => ev.file.clone(),
            };
            json!({ "fullyQualifiedName": name, "kind": if ev.location.is_some() { "function" } else { "module" } })
        })
        .collect();
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": report.app.file, "index": 0 },
            "region": { "startLine": 1 }
        }
    });
    if !logical.is_empty() {
        location["logicalLocations"] = Value::Array(logical);
    }
    let mut r = json!({
        "ruleId": f.kind.code(),
        "ruleIndex": rule_index,
        "level": f.severity.sarif_level(),
        "message": { "text": match &f.fix {
            Some(fix) => format!("{}. Fix: {fix}", f.message),
            None => f.message.clone(),
        } },
        "locations": [location],
        "partialFingerprints": { "disclose/v1": f.fingerprint() },
        "properties": {
            "severity": f.severity.as_str(),
            "owner": f.owner,
            "owner_kind": f.owner_kind,
            "owner_reason": f.owner_reason,
            "sdk": f.sdk,
            "data": f.data,
            "permission": f.permission,
            "sensitivity": f.sensitivity,
            "fix": f.fix,
            "evidence": f.evidence,
        }
    });
    if let Some(q) = &f.policy_text {
        r["relatedLocations"] = json!([{
            "id": 1,
            "message": { "text": "policy text" },
            "physicalLocation": {
                "artifactLocation": { "uri": report.policy.file, "index": 1 },
                "region": { "startLine": q.line.max(1), "snippet": { "text": q.quote } }
            }
        }]);
    }
    if let Some(s) = &f.suppressed {
        r["suppressions"] = json!([{
            "kind": "external",
            "justification": format!("{} (until {})", s.reason, s.expires)
        }]);
    }
    r
}

/// The SARIF log as a JSON value.
pub fn to_value(report: &ScanReport) -> Value {
    let mut results: Vec<Value> = report
        .findings
        .iter()
        .chain(&report.suppressed)
        .map(|f| result(report, f))
        .collect();
    results.extend(report.baselined.iter().map(|f| {
        let mut r = result(report, f);
        r["baselineState"] = json!("unchanged");
        r
    }));
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "disclose",
                "version": env!("CARGO_PKG_VERSION"),
                "properties": { "signatures": report.tool.signatures },
                "rules": rules()
            }},
            "artifacts": [
                { "location": { "uri": report.app.file }, "hashes": { "sha-256": report.app.sha256 }, "roles": ["analysisTarget"] },
                { "location": { "uri": report.policy.file }, "hashes": { "sha-256": report.policy.sha256 }, "roles": ["referencedOnCommandLine"] }
            ],
            "results": results,
            "properties": { "summary": report.summary }
        }]
    })
}

pub fn write(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_value(report)).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_the_rule_at_its_index() {
        let rules = rules();
        assert_eq!(rules.len(), FindingKind::ALL.len());
        for &kind in FindingKind::ALL {
            let rule = &rules[kind.index()];
            assert_eq!(rule["id"], kind.code());
            for field in ["shortDescription", "fullDescription", "help"] {
                let text = rule[field]["text"].as_str().unwrap_or_default();
                assert!(!text.trim().is_empty(), "{kind}: empty {field}");
            }
            assert!(rule["defaultConfiguration"]["level"].is_string());
        }
    }
}
