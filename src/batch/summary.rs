//! What a batch found, folded record by record (fresh or read back by `--resume`): counts for
//! the end-of-run summary (`--summary FILE`), one CSV row per record (`--csv FILE`), and the
//! `--fail-on` verdict.
//!
//! ```
//! use disclose::batch::summary::Tally;
//! use disclose::compare::finding::Severity;
//! let mut tally = Tally::new(Some(Severity::High));
//! tally.add(&serde_json::json!({"schema":"disclose.error/1","file":"x.apk","error":"x.apk: bad"}));
//! assert_eq!(tally.summary(10).errors, 1);
//! ```

use super::output::ERROR_SCHEMA;
use crate::compare::finding::Severity;
use crate::report::counted;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;

/// Schema id of the `--summary` document.
pub const SUMMARY_SCHEMA: &str = "disclose.batch-summary/1";

/// One SDK and the number of apps it was counted for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SdkCount {
    pub id: String,
    pub apps: usize,
}

/// The end-of-run summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchSummary {
    pub schema: &'static str,
    /// Records in the results file (apps + errors).
    pub records: usize,
    pub apps: usize,
    /// Apps compared with a policy (`disclose.scan/1`).
    pub scanned: usize,
    /// Apps without a policy (`disclose.inspect/1` with the `no-policy` note).
    pub no_policy: usize,
    pub errors: usize,
    pub findings_by_kind: BTreeMap<String, usize>,
    /// In severity order, critical first (in JSON too).
    #[serde(serialize_with = "severity_order")]
    pub findings_by_severity: BTreeMap<String, usize>,
    /// `None` for `--fail-on none` (report only).
    pub fail_on: Option<Severity>,
    /// Apps with a finding at or above `fail_on`.
    pub failed_apps: usize,
    pub top_sdks: Vec<SdkCount>,
    pub top_undisclosed_sdks: Vec<SdkCount>,
}

/// One CSV row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvRow {
    pub file: String,
    pub id: String,
    pub platform: String,
    pub sdks: usize,
    /// The policy file compared with, `none` for an app without one, empty for an error.
    pub policy: String,
    /// Findings per severity, in [`Severity::ALL`] order (critical first).
    pub by_severity: [usize; 5],
    pub error: String,
}

/// Running counts over records.
#[derive(Debug, Clone)]
pub struct Tally {
    fail_on: Option<Severity>,
    records: usize,
    apps: usize,
    scanned: usize,
    no_policy: usize,
    errors: usize,
    failed_apps: usize,
    by_kind: BTreeMap<String, usize>,
    by_severity: BTreeMap<String, usize>,
    sdks: BTreeMap<String, usize>,
    undisclosed: BTreeMap<String, usize>,
    rows: Vec<CsvRow>,
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for key in path {
        match cur.get(key) {
            Some(next) => cur = next,
            None => return "",
        }
    }
    cur.as_str().unwrap_or("")
}

impl Tally {
    pub fn new(fail_on: Option<Severity>) -> Self {
        Tally {
            fail_on,
            records: 0,
            apps: 0,
            scanned: 0,
            no_policy: 0,
            errors: 0,
            failed_apps: 0,
            by_kind: BTreeMap::new(),
            by_severity: BTreeMap::new(),
            sdks: BTreeMap::new(),
            undisclosed: BTreeMap::new(),
            rows: Vec::new(),
        }
    }

    /// Count one record (scan, inspect or error).
    pub fn add(&mut self, record: &Value) {
        self.records += 1;
        if str_at(record, &["schema"]) == ERROR_SCHEMA {
            self.errors += 1;
            self.rows.push(CsvRow {
                file: str_at(record, &["file"]).to_string(),
                error: str_at(record, &["error"]).to_string(),
                ..CsvRow::default()
            });
            return;
        }
        self.apps += 1;
        if str_at(record, &["note"]) == super::NO_POLICY {
            self.no_policy += 1;
        } else {
            self.scanned += 1;
        }
        let mut row = CsvRow {
            file: str_at(record, &["app", "file"]).to_string(),
            id: str_at(record, &["app", "id"]).to_string(),
            platform: str_at(record, &["app", "platform"]).to_string(),
            policy: match str_at(record, &["policy", "file"]) {
                "" => "none".to_string(),
                file => file.to_string(),
            },
            ..CsvRow::default()
        };
        let empty = Vec::new();
        let sdks = record
            .get("sdks")
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        row.sdks = sdks.len();
        for sdk in sdks {
            *self
                .sdks
                .entry(str_at(sdk, &["id"]).to_string())
                .or_default() += 1;
        }
        let findings = record
            .get("findings")
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        let mut failed = false;
        for f in findings {
            let kind = str_at(f, &["kind"]);
            *self.by_kind.entry(kind.to_string()).or_default() += 1;
            if kind == "undisclosed-sdk" {
                let sdk = match str_at(f, &["sdk"]) {
                    "" => str_at(f, &["owner"]),
                    id => id,
                };
                *self.undisclosed.entry(sdk.to_string()).or_default() += 1;
            }
            if let Ok(sev) = str_at(f, &["severity"]).parse::<Severity>() {
                *self.by_severity.entry(sev.to_string()).or_default() += 1;
                if let Some(i) = Severity::ALL.iter().position(|s| *s == sev) {
                    if let Some(n) = row.by_severity.get_mut(i) {
                        *n += 1;
                    }
                }
                failed |= self.fail_on.is_some_and(|t| sev >= t);
            }
        }
        if failed {
            self.failed_apps += 1;
        }
        self.rows.push(row);
    }

    /// Whether some app has a finding at or above `--fail-on`.
    pub fn failed(&self) -> bool {
        self.failed_apps > 0
    }

    pub fn errors(&self) -> usize {
        self.errors
    }

    /// The summary, with the `top` most common SDKs and undisclosed SDKs.
    pub fn summary(&self, top: usize) -> BatchSummary {
        BatchSummary {
            schema: SUMMARY_SCHEMA,
            records: self.records,
            apps: self.apps,
            scanned: self.scanned,
            no_policy: self.no_policy,
            errors: self.errors,
            findings_by_kind: self.by_kind.clone(),
            findings_by_severity: self.by_severity.clone(),
            fail_on: self.fail_on,
            failed_apps: self.failed_apps,
            top_sdks: top_n(&self.sdks, top),
            top_undisclosed_sdks: top_n(&self.undisclosed, top),
        }
    }

    /// Write the CSV: a header, then one row per record.
    pub fn write_csv(&self, w: &mut dyn Write) -> std::io::Result<()> {
        write!(w, "file,id,platform,policy,sdks")?;
        for sev in Severity::ALL {
            write!(w, ",{sev}")?;
        }
        writeln!(w, ",error")?;
        for r in &self.rows {
            write!(
                w,
                "{},{},{},{},{}",
                csv_field(&r.file),
                csv_field(&r.id),
                csv_field(&r.platform),
                csv_field(&r.policy),
                r.sdks
            )?;
            for n in r.by_severity {
                write!(w, ",{n}")?;
            }
            writeln!(w, ",{}", csv_field(&r.error))?;
        }
        w.flush()
    }
}

impl BatchSummary {
    /// The counts in one line (all a batch prints when stderr is not a terminal).
    pub fn one_line(&self) -> String {
        let verdict = match self.fail_on {
            Some(t) => format!(
                "{} with a finding at or above {t}",
                counted(self.failed_apps, "app")
            ),
            None => "--fail-on none".to_string(),
        };
        format!(
            "disclose batch: {}: {} ({} scanned, {} without a policy), {}; {verdict}",
            counted(self.records, "record"),
            counted(self.apps, "app"),
            self.scanned,
            self.no_policy,
            counted(self.errors, "error"),
        )
    }

    /// The human summary printed to stderr at the end of a batch.
    pub fn write_text(&self, w: &mut dyn Write) -> std::io::Result<()> {
        writeln!(w, "{}", self.one_line())?;
        let join = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.findings_by_kind.is_empty() {
            writeln!(w, "  findings by kind: {}", join(&self.findings_by_kind))?;
            let by_severity: Vec<String> = in_severity_order(&self.findings_by_severity)
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            writeln!(w, "  findings by severity: {}", by_severity.join(", "))?;
        }
        let list = |v: &[SdkCount]| {
            v.iter()
                .map(|s| format!("{} ({})", s.id, s.apps))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.top_sdks.is_empty() {
            writeln!(w, "  most common SDKs: {}", list(&self.top_sdks))?;
        }
        if !self.top_undisclosed_sdks.is_empty() {
            writeln!(
                w,
                "  most common undisclosed SDKs: {}",
                list(&self.top_undisclosed_sdks)
            )?;
        }
        Ok(())
    }
}

/// The entries of a map keyed by severity name, critical first (unknown names last).
fn in_severity_order(m: &BTreeMap<String, usize>) -> impl Iterator<Item = (&String, &usize)> {
    let rank = |k: &str| {
        Severity::ALL
            .iter()
            .position(|s| s.as_str() == k)
            .unwrap_or(usize::MAX)
    };
    let mut entries: Vec<(&String, &usize)> = m.iter().collect();
    entries.sort_by_key(|(k, _)| rank(k));
    entries.into_iter()
}

fn severity_order<S: serde::Serializer>(
    m: &BTreeMap<String, usize>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(in_severity_order(m))
}

fn top_n(counts: &BTreeMap<String, usize>, n: usize) -> Vec<SdkCount> {
    let mut v: Vec<SdkCount> = counts
        .iter()
        .filter(|(id, _)| !id.is_empty())
        .map(|(id, apps)| SdkCount {
            id: id.clone(),
            apps: *apps,
        })
        .collect();
    v.sort_by(|a, b| b.apps.cmp(&a.apps).then_with(|| a.id.cmp(&b.id)));
    v.truncate(n);
    v
}

/// Quote a CSV field when it holds a comma, quote or line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
