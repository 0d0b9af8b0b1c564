//! Baselines: a previous `disclose.scan/1` JSON report whose findings are "known". With
//! `--baseline`, findings whose fingerprint (kind + owner + data type + permission, never
//! line numbers) is in the baseline move to the report's `baselined` list: hidden from the
//! findings, never from the facts (an SDK missing from the policy stays "not in policy"). A
//! baseline written for another app (package or bundle id) is refused.
//!
//! ```
//! use disclose::compare::baseline::Baseline;
//! let b = Baseline::from_json("old.json", r#"{"schema":"disclose.scan/1","findings":[]}"#).unwrap();
//! assert!(b.is_empty());
//! ```

use super::finding::Finding;
use crate::model::AppInfo;
use crate::Error;
use std::collections::HashSet;

/// The set of known finding fingerprints, and the app they were found in.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    known: HashSet<String>,
    /// The file the baseline was read from (for errors).
    file: String,
    /// The package or bundle id of the app the baseline was written for.
    app_id: Option<String>,
}

#[derive(serde::Deserialize)]
struct BaselineDoc {
    schema: String,
    #[serde(default)]
    app: Option<BaselineApp>,
    findings: Vec<Finding>,
    #[serde(default)]
    suppressed: Vec<Finding>,
    #[serde(default)]
    baselined: Vec<Finding>,
}

#[derive(serde::Deserialize)]
struct BaselineApp {
    #[serde(default)]
    id: Option<String>,
}

impl Baseline {
    /// Parse a previous scan report (`file` is named in errors).
    pub fn from_json(file: &str, text: &str) -> Result<Baseline, Error> {
        let doc: BaselineDoc = serde_json::from_str(text)
            .map_err(|e| Error::input(file, format!("not a disclose.scan/1 report: {e}")))?;
        if doc.schema != super::scan_report::SCAN_SCHEMA {
            return Err(Error::input(
                file,
                format!(
                    "baseline has schema '{}', expected '{}'",
                    doc.schema,
                    super::scan_report::SCAN_SCHEMA
                ),
            ));
        }
        let known = doc
            .findings
            .iter()
            .chain(&doc.suppressed)
            .chain(&doc.baselined)
            .map(Finding::fingerprint)
            .collect();
        Ok(Baseline {
            known,
            file: file.to_string(),
            app_id: doc.app.and_then(|a| a.id),
        })
    }

    /// Read a baseline file (any kind of file; streams are read up to 64 MiB).
    pub fn load(path: &std::path::Path) -> Result<Baseline, Error> {
        let bytes = crate::input::read_bounded(path, MAX_BASELINE_BYTES)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::input(path, "not a disclose.scan/1 report: not UTF-8"))?;
        Baseline::from_json(&path.display().to_string(), &text)
    }

    /// Refuse a baseline written for another app: its findings would hide this app's.
    pub fn check_app(&self, app: &AppInfo) -> Result<(), Error> {
        match (&self.app_id, &app.id) {
            (Some(theirs), Some(ours)) if theirs != ours => Err(Error::Usage(format!(
                "{}: baseline is for app '{theirs}', not '{ours}' ({}); write one for this app with --write-baseline",
                self.file, app.file
            ))),
            _ => Ok(()),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// Split findings into (new, known).
    pub fn filter(&self, findings: Vec<Finding>) -> (Vec<Finding>, Vec<Finding>) {
        findings
            .into_iter()
            .partition(|f| !self.known.contains(&f.fingerprint()))
    }
}

/// Largest baseline file read (a scan report of the largest apps is a few MB).
const MAX_BASELINE_BYTES: u64 = 64 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_baseline_for_another_app_is_refused() {
        let b = Baseline::from_json(
            "old.json",
            r#"{"schema":"disclose.scan/1","app":{"id":"com.a"},"findings":[]}"#,
        )
        .expect("baseline");
        let app = |id: Option<&str>| AppInfo {
            platform: crate::model::Platform::Android,
            id: id.map(str::to_string),
            version: None,
            file: "b.apk".into(),
            sha256: String::new(),
            name: None,
            icon: None,
        };
        let err = b.check_app(&app(Some("com.b"))).expect_err("other app");
        assert!(err.to_string().contains("'com.a'"), "{err}");
        assert!(b.check_app(&app(Some("com.a"))).is_ok());
        assert!(b.check_app(&app(None)).is_ok());
    }
}
