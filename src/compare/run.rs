//! `disclose scan`, end to end: inspect the app, read the policy, compare, apply the config's
//! suppressions and the baseline, summarise.
//!
//! ```no_run
//! use disclose::compare::run::{scan_app, ScanOptions};
//! let analyzer = disclose::inspect::Analyzer::builtin()?;
//! let out = scan_app(&analyzer, "app.apk".as_ref(), "policy.html".as_ref(), &ScanOptions::default())?;
//! println!("{} findings", out.report.findings.len());
//! # Ok::<(), disclose::Error>(())
//! ```

use super::baseline::Baseline;
use super::engine::compare;
use super::finding::Severity;
use super::scan_report::{PolicyInfo, ScanReport, SCAN_SCHEMA};
use super::suppress::{apply, today, Config};
use crate::archive::{sha256_bytes, sha256_file};
use crate::input::InputKind;
use crate::inspect::Analyzer;
use crate::model::InspectReport;
use crate::policy::{
    extract, read_policy_bytes, read_policy_file, PolicyDeclarations, PolicyDocument,
    MAX_POLICY_BYTES,
};
use crate::version::ToolInfo;
use crate::Error;
use std::path::Path;

/// How to run a scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Findings at or above this severity make the scan fail (exit code 1).
    pub fail_on: Option<Severity>,
    pub baseline: Option<Baseline>,
    pub config: Option<Config>,
}

/// A finished scan plus notes for the user (expired suppressions …).
#[derive(Debug, Clone)]
pub struct ScanOutcome {
    pub report: ScanReport,
    pub notes: Vec<String>,
}

/// Read and extract a policy with the analyzer's vocabulary, keeping the document.
pub fn read_policy_document(
    analyzer: &Analyzer,
    policy: &Path,
) -> Result<(PolicyDocument, PolicyDeclarations, PolicyInfo), Error> {
    let (doc, sha) = match crate::input::kind(policy)? {
        InputKind::Regular => {
            let (doc, sha) = rayon::join(|| read_policy_file(policy), || sha256_file(policy));
            (doc?, sha.map_err(|e| Error::io(policy, e))?)
        }
        InputKind::Directory => {
            return Err(Error::not_an_app(policy, "a directory, not a policy file"))
        }
        InputKind::Stream => {
            let bytes = crate::input::read_bounded(policy, MAX_POLICY_BYTES)?;
            let name = policy.display().to_string();
            (read_policy_bytes(&name, &bytes)?, sha256_bytes(&bytes))
        }
    };
    let declared = extract(&doc, analyzer.vocabulary()?);
    let info = PolicyInfo {
        file: policy.display().to_string(),
        sha256: sha,
        declared_sdks: declared.sdks.len(),
        declared_data: declared.data.len(),
        declared_permissions: declared.permissions.len(),
        warnings: declared
            .warnings
            .iter()
            .map(|w| w.message.clone())
            .collect(),
    };
    Ok((doc, declared, info))
}

/// Read and extract a policy with the analyzer's vocabulary.
pub fn read_policy(
    analyzer: &Analyzer,
    policy: &Path,
) -> Result<(PolicyDeclarations, PolicyInfo), Error> {
    read_policy_document(analyzer, policy).map(|(_, declared, info)| (declared, info))
}

/// Compare an inspected app with an extracted policy.
pub fn scan_inspected(
    analyzer: &Analyzer,
    app: InspectReport,
    declared: &PolicyDeclarations,
    policy: PolicyInfo,
    options: &ScanOptions,
) -> ScanOutcome {
    let findings = compare(&app, declared, &analyzer.set);
    let mut notes = Vec::new();
    let (findings, suppressed) = match &options.config {
        Some(config) => {
            let (kept, suppressed, expired) = apply(config, findings, today());
            notes.extend(config.unmatched_notes(&suppressed, today()));
            for s in expired {
                notes.push(format!(
                    "suppression of {} ({}) expired on {} and no longer applies",
                    s.kind,
                    s.sdk.as_deref().unwrap_or("any owner"),
                    s.expires
                ));
            }
            (kept, suppressed)
        }
        None => (findings, Vec::new()),
    };
    let (findings, baselined) = match &options.baseline {
        Some(b) => b.filter(findings),
        None => (findings, Vec::new()),
    };
    let mut report = ScanReport {
        schema: SCAN_SCHEMA.to_string(),
        tool: ToolInfo::new(analyzer.data_version.clone()),
        app: app.app,
        policy,
        findings,
        suppressed,
        baselined,
        sdks: app.sdks,
        limits: app.limits,
        summary: Default::default(),
    };
    report.summarise(options.fail_on);
    ScanOutcome { report, notes }
}

/// Inspect `app`, read `policy`, compare (the two reads run in parallel).
pub fn scan_app(
    analyzer: &Analyzer,
    app: &Path,
    policy: &Path,
    options: &ScanOptions,
) -> Result<ScanOutcome, Error> {
    if let Some(config) = &options.config {
        config.check_against(&analyzer.set)?;
    }
    let (inspected, declared) =
        rayon::join(|| analyzer.inspect(app), || read_policy(analyzer, policy));
    let inspected = inspected?;
    let (declared, info) = declared?;
    if let Some(baseline) = &options.baseline {
        baseline.check_app(&inspected.app)?;
    }
    Ok(scan_inspected(
        analyzer, inspected, &declared, info, options,
    ))
}
