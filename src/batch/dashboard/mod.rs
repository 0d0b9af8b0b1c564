//! `disclose batch … --html dashboard.html`: one self-contained HTML page over a whole results
//! file (fresh and resumed records alike): apps scanned, errors, the most common SDKs and
//! undisclosed SDKs, the data types SDKs reach for by SDK category (inline SVG, no network),
//! and a sortable table of every app linking to its own HTML report (the scan report, or for
//! an app without a policy the inspect report), written beside the dashboard in
//! `<dashboard name>-reports/`.
//!
//! The results file is read one line at a time, and each app's report is rendered and dropped
//! before the next is read, so memory grows with the number of apps (one table row each), not
//! with the size of their records.
//!
//! ```no_run
//! use disclose::batch::dashboard::write_dashboard;
//! let stats = write_dashboard("results.jsonl".as_ref(), "dashboard.html".as_ref())?;
//! println!("{} per-app reports in {}", stats.reports, stats.reports_dir.display());
//! # Ok::<(), disclose::Error>(())
//! ```

mod charts;
mod render;

use super::output::ERROR_SCHEMA;
use crate::compare::finding::Severity;
use crate::compare::scan_report::ScanReport;
use crate::model::InspectReport;
use crate::report::html_inspect;
use crate::signatures::{SignatureSet, Taxonomy};
use crate::version::ToolInfo;
use crate::Error;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// One app (or error) of the results file: a row of the dashboard's table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppRow {
    pub file: String,
    pub id: String,
    pub name: String,
    pub platform: String,
    pub sdks: usize,
    pub undisclosed_sdks: usize,
    /// Findings per severity, in [`Severity::ALL`] order (critical first).
    pub by_severity: [usize; 5],
    /// `scanned`, `no policy` or `error`.
    pub status: &'static str,
    /// The error message of an error record.
    pub error: String,
    /// The per-app report, relative to the dashboard.
    pub report: Option<String>,
}

/// How many apps an SDK was found in, and in how many the policy did not name it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SdkTally {
    pub name: String,
    pub category: String,
    pub apps: usize,
    pub undisclosed: usize,
}

/// Everything the dashboard shows, folded record by record.
#[derive(Debug, Clone, Default)]
pub struct Dashboard {
    pub rows: Vec<AppRow>,
    pub sdks: BTreeMap<String, SdkTally>,
    /// (SDK category, data type) → apps in which an SDK of that category reaches for it.
    pub category_data: BTreeMap<(String, String), usize>,
    /// Readable names of data-type ids (from the records' report context).
    pub data_names: BTreeMap<String, String>,
    /// Tool and signature data version of the records (the first record's).
    pub tool: String,
    /// Lines of the results file that were not JSON records.
    pub unreadable_lines: usize,
}

/// What writing a dashboard did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardStats {
    pub apps: usize,
    pub errors: usize,
    /// Per-app reports written.
    pub reports: usize,
    pub reports_dir: PathBuf,
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    path.iter()
        .try_fold(v, |cur, key| cur.get(key))
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
}

impl Dashboard {
    /// Fold one record in; `report` is the per-app report written for it, if any.
    pub fn add(&mut self, record: &Value, report: Option<String>) {
        if self.tool.is_empty() {
            if let Some(Ok(tool)) = record
                .get("tool")
                .map(|t| serde_json::from_value::<crate::version::ToolInfo>(t.clone()))
            {
                self.tool = tool.to_string();
            }
        }
        if str_at(record, &["schema"]) == ERROR_SCHEMA {
            self.rows.push(AppRow {
                file: str_at(record, &["file"]).to_string(),
                status: "error",
                error: str_at(record, &["error"]).to_string(),
                ..AppRow::default()
            });
            return;
        }
        let scanned = record.get("findings").is_some();
        let context = record.get("context").unwrap_or(&Value::Null);
        let mut row = AppRow {
            file: str_at(record, &["app", "file"]).to_string(),
            id: str_at(record, &["app", "id"]).to_string(),
            name: str_at(context, &["app_name"]).to_string(),
            platform: str_at(record, &["app", "platform"]).to_string(),
            status: if scanned { "scanned" } else { "no policy" },
            report,
            ..AppRow::default()
        };
        if let Some(names) = context.get("data_names").and_then(Value::as_object) {
            for (id, name) in names {
                if let Some(name) = name.as_str() {
                    self.data_names.insert(id.clone(), name.to_string());
                }
            }
        }
        let undisclosed: BTreeSet<&str> = array(record, "findings")
            .iter()
            .filter(|f| str_at(f, &["kind"]) == "undisclosed-sdk")
            .map(|f| match str_at(f, &["sdk"]) {
                "" => str_at(f, &["owner"]),
                id => id,
            })
            .collect();
        let mut category_of: BTreeMap<&str, &str> = BTreeMap::new();
        for sdk in array(record, "sdks") {
            let id = str_at(sdk, &["id"]);
            if id.is_empty() {
                continue;
            }
            category_of.insert(id, str_at(sdk, &["category"]));
            let tally = self.sdks.entry(id.to_string()).or_default();
            if tally.name.is_empty() {
                tally.name = str_at(sdk, &["name"]).to_string();
                tally.category = str_at(sdk, &["category"]).to_string();
            }
            tally.apps += 1;
            row.sdks += 1;
            if undisclosed.contains(id) {
                tally.undisclosed += 1;
                row.undisclosed_sdks += 1;
            }
        }
        // Scan records carry the observations in `context.data`, inspect records in `data`.
        let observations = match context.get("data") {
            Some(_) => array(context, "data"),
            None => array(record, "data"),
        };
        let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
        for obs in observations {
            if let Some(category) = category_of.get(str_at(obs, &["by"])) {
                seen.insert((*category, str_at(obs, &["type"])));
            }
        }
        for (category, data_type) in seen {
            *self
                .category_data
                .entry((category.to_string(), data_type.to_string()))
                .or_default() += 1;
        }
        for f in array(record, "findings") {
            if let Ok(sev) = str_at(f, &["severity"]).parse::<Severity>() {
                if let Some(i) = Severity::ALL.iter().position(|s| *s == sev) {
                    if let Some(n) = row.by_severity.get_mut(i) {
                        *n += 1;
                    }
                }
            }
        }
        self.rows.push(row);
    }

    /// The readable name of a data-type id (the id when no record named it).
    pub fn data_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.data_names.get(id).map_or(id, String::as_str)
    }

    /// Rows that are apps (not errors).
    pub fn apps(&self) -> usize {
        self.rows.iter().filter(|r| r.status != "error").count()
    }

    pub fn errors(&self) -> usize {
        self.rows.len() - self.apps()
    }
}

/// The folder of per-app reports for `dashboard` (`out/dash.html` → `out/dash-reports/`).
pub fn reports_dir(dashboard: &Path) -> PathBuf {
    let stem = dashboard
        .file_stem()
        .map_or_else(|| "dashboard".into(), |s| s.to_string_lossy().into_owned());
    dashboard.with_file_name(format!("{stem}-reports"))
}

/// A file name for an app's report: its id (or file name) made safe, and a sha256 prefix so
/// two versions of one app do not collide.
fn report_name(record: &Value) -> String {
    let id = match str_at(record, &["app", "id"]) {
        "" => Path::new(str_at(record, &["app", "file"]))
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        id => id.to_string(),
    };
    let safe: String = id
        .chars()
        .take(80)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let sha = str_at(record, &["app", "sha256"]);
    format!("{safe}-{}.html", sha.get(..12).unwrap_or(sha))
}

/// Read `results` (a batch's JSONL file), write a per-app HTML report for every scanned app
/// into [`reports_dir`], then the dashboard to `html`.
pub fn write_dashboard(results: &Path, html: &Path) -> Result<DashboardStats, Error> {
    let dir = reports_dir(html);
    let dir_name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = File::open(results).map_err(|e| Error::io(results, e))?;
    let mut dashboard = Dashboard::default();
    let mut reports = 0;
    // Loaded for the first app without a policy (its report names data types).
    let mut taxonomy = None;
    let mut line = Vec::new();
    let mut reader = BufReader::new(file);
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(results, e))?;
        if n == 0 {
            break;
        }
        let Ok(record) = serde_json::from_slice::<Value>(&line) else {
            dashboard.unreadable_lines += 1;
            continue;
        };
        let mut report = None;
        if let Some(render) = per_app_report(&record, &mut taxonomy) {
            if reports == 0 {
                std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
            }
            let name = report_name(&record);
            write_file(&dir.join(&name), render)?;
            reports += 1;
            report = Some(format!("{dir_name}/{name}"));
        }
        dashboard.add(&record, report);
    }
    write_file(html, |w| render::write(&dashboard, w))?;
    Ok(DashboardStats {
        apps: dashboard.apps(),
        errors: dashboard.errors(),
        reports,
        reports_dir: dir,
    })
}

/// A writer of the record's own HTML report: the scan report of a scanned app, the inspect
/// report of an app batch found no policy for (data types named from the built-in taxonomy);
/// `None` for an error record (or one that does not read as either).
type ReportWriter = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()>>;

fn per_app_report(record: &Value, taxonomy: &mut Option<Taxonomy>) -> Option<ReportWriter> {
    if record.get("findings").is_some() {
        let scan = serde_json::from_value::<ScanReport>(record.clone()).ok()?;
        return Some(Box::new(move |w| crate::report::html::write(&scan, w)));
    }
    if record.get("note").and_then(Value::as_str) != Some(crate::batch::NO_POLICY) {
        return None;
    }
    let inspect = serde_json::from_value::<InspectReport>(record.clone()).ok()?;
    let tool = record
        .get("tool")
        .and_then(|t| serde_json::from_value::<ToolInfo>(t.clone()).ok());
    if taxonomy.is_none() {
        *taxonomy = SignatureSet::builtin().ok().map(|set| set.taxonomy);
    }
    let names = taxonomy
        .as_ref()
        .map(|t| html_inspect::data_names(&inspect, t))
        .unwrap_or_default();
    Some(Box::new(move |w| {
        html_inspect::write(&inspect, tool.as_ref(), &names, w)
    }))
}

fn write_file(
    path: &Path,
    body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let file = File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = BufWriter::new(file);
    body(&mut w)
        .and_then(|()| w.flush())
        .map_err(|e| Error::io(path, e))
}
