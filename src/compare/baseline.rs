//! Baselines: a previous `disclose.scan/1` JSON report whose findings are "known". With
//! `--baseline`, findings whose key (kind + owner + data type + permission, never line
//! numbers; for privacy-manifest findings also the binary, manifest or bundle they are about,
//! see [`baseline_key`]) is in the baseline move to the report's `baselined` list: hidden from the
//! findings, never from the facts (an SDK missing from the policy stays "not in policy"). A
//! baseline written for another app (package or bundle id) is refused.
//!
//! ```
//! use disclose::compare::baseline::Baseline;
//! let b = Baseline::from_json("old.json", r#"{"schema":"disclose.scan/1","findings":[]}"#).unwrap();
//! assert!(b.is_empty());
//! ```

use super::finding::{Finding, FindingKind};
use crate::model::AppInfo;
use crate::Error;
use std::collections::{BTreeSet, HashSet};

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
            .map(baseline_key)
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
            .partition(|f| !self.known.contains(&baseline_key(f)))
    }
}

/// The key a finding is known by: its fingerprint, and for the privacy-manifest findings
/// (one per binary, manifest or bundle, with the category or SDK name in `permission`) also
/// what it is about, so the same category in two binaries of one owner (two extensions of
/// the app, two unidentified frameworks) stays two findings: the evidence files for the
/// required-reason and SDK-manifest findings (the binary with the call sites, the manifest,
/// the framework), the bundle (`owner_reason`) for the tracking contradiction.
pub fn baseline_key(f: &Finding) -> String {
    let fingerprint = f.fingerprint();
    let about = match f.kind {
        FindingKind::UndeclaredRequiredReasonApi
        | FindingKind::InvalidRequiredReason
        | FindingKind::MissingSdkPrivacyManifest => {
            let files: BTreeSet<&str> = f.evidence.iter().map(|e| e.file.as_str()).collect();
            files.into_iter().collect::<Vec<_>>().join(",")
        }
        FindingKind::ManifestTrackingContradiction => f.owner_reason.clone().unwrap_or_default(),
        _ => return fingerprint,
    };
    format!("{fingerprint}|{about}")
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

    #[test]
    fn required_reason_findings_of_two_binaries_of_one_owner_keep_apart() {
        let in_binary = |file: &str| {
            let mut f = crate::compare::context::finding(
                FindingKind::UndeclaredRequiredReasonApi,
                crate::model::OWNER_APP,
                format!("{file} uses required-reason API"),
            );
            f.permission = Some("NSPrivacyAccessedAPICategoryUserDefaults".into());
            f.evidence = vec![crate::model::Evidence::in_file(file).at("0x10")];
            f
        };
        let app = in_binary("Payload/A.app/A");
        let appex = in_binary("Payload/A.app/PlugIns/W.appex/W");
        assert_eq!(app.fingerprint(), appex.fingerprint());
        assert_ne!(baseline_key(&app), baseline_key(&appex));
        let mut moved = in_binary("Payload/A.app/A");
        moved.evidence[0].location = Some("0x20".into());
        assert_eq!(
            baseline_key(&app),
            baseline_key(&moved),
            "call-site offsets are not part of the key"
        );
        let report = serde_json::json!({"schema": "disclose.scan/1", "findings": [app]});
        let b = Baseline::from_json("old.json", &report.to_string()).expect("baseline");
        let (new, known) = b.filter(vec![moved, appex]);
        assert_eq!((new.len(), known.len()), (1, 1));
        assert_eq!(new[0].evidence[0].file, "Payload/A.app/PlugIns/W.appex/W");
    }
}
