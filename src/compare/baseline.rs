//! Baselines: a previous `disclose.scan/1` JSON report whose findings are "known". With
//! `--baseline`, only findings whose fingerprint (kind + owner + data type + permission, never
//! line numbers) is not in the baseline are reported.
//!
//! ```
//! use disclose::compare::baseline::Baseline;
//! let b = Baseline::from_json("old.json", r#"{"schema":"disclose.scan/1","findings":[]}"#).unwrap();
//! assert!(b.is_empty());
//! ```

use super::finding::Finding;
use crate::Error;
use std::collections::HashSet;

/// The set of known finding fingerprints.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    known: HashSet<String>,
}

#[derive(serde::Deserialize)]
struct BaselineDoc {
    schema: String,
    findings: Vec<Finding>,
    #[serde(default)]
    suppressed: Vec<Finding>,
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
            .map(Finding::fingerprint)
            .collect();
        Ok(Baseline { known })
    }

    pub fn load(path: &std::path::Path) -> Result<Baseline, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Baseline::from_json(&path.display().to_string(), &text)
    }

    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// Split findings into (new, known).
    pub fn filter(&self, findings: Vec<Finding>) -> (Vec<Finding>, usize) {
        let before = findings.len();
        let new: Vec<Finding> = findings
            .into_iter()
            .filter(|f| !self.known.contains(&f.fingerprint()))
            .collect();
        let known = before - new.len();
        (new, known)
    }
}
