//! `disclose scan`, end to end: inspect the app, read the policy, compare, apply the config's
//! suppressions and the baseline, summarise.
//!
//! ```no_run
//! use disclose::pipeline::{scan_app, ScanOptions};
//! let analyzer = disclose::Analyzer::builtin()?;
//! let out = scan_app(&analyzer, "app.apk".as_ref(), "policy.html".as_ref(), &ScanOptions::default())?;
//! println!("{} findings", out.report.findings.len());
//! # Ok::<(), disclose::Error>(())
//! ```

use crate::archive::{sha256_bytes, sha256_file};
use crate::compare::baseline::Baseline;
use crate::compare::engine::compare_with_data_safety;
use crate::compare::finding::Severity;
use crate::compare::report_context::ReportContext;
use crate::compare::scan_report::{PolicyFile, PolicyInfo, ScanReport, SCAN_SCHEMA};
use crate::compare::suppress::{apply, today, Config};
use crate::input::InputKind;
use crate::model::InspectReport;
use crate::pipeline::Analyzer;
use crate::policy::{
    extract_all, read_policy_bytes, read_policy_file, PolicyDeclarations, PolicyDocument,
    MAX_POLICY_BYTES,
};
use crate::version::ToolInfo;
use crate::Error;
use std::path::{Path, PathBuf};

/// How to run a scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Findings at or above this severity make the scan fail (exit code 1).
    pub fail_on: Option<Severity>,
    pub baseline: Option<Baseline>,
    pub config: Option<Config>,
    /// The Play Data safety form to check as well (`scan --data-safety`).
    pub data_safety: Option<crate::declared::DataSafetyForm>,
}

/// A finished scan plus notes for the user (expired suppressions …).
#[derive(Debug, Clone)]
pub struct ScanOutcome {
    pub report: ScanReport,
    pub notes: Vec<String>,
}

/// The policy files a path stands for: the file itself, or the `.txt` / `.html` / `.htm` /
/// `.md` files of a directory (one folder per app: policy, SDK-list page, appendices), in
/// name order.
pub fn policy_files(path: &Path) -> Result<Vec<PathBuf>, Error> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(|e| Error::io(path, e))? {
        let p = entry.map_err(|e| Error::io(path, e))?.path();
        let ext = p
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if p.is_file() && matches!(ext.as_str(), "txt" | "html" | "htm" | "md" | "markdown") {
            files.push(p);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::input(
            path,
            "the policy folder holds no .txt, .html or .md file",
        ));
    }
    Ok(files)
}

/// Read one policy document and its sha256: a regular file (hashed beside the parse) or a
/// stream (`-`, a FIFO: read once, with the policy size cap).
fn read_policy_input(policy: &Path) -> Result<(PolicyDocument, String), Error> {
    match crate::input::kind(policy)? {
        InputKind::Regular => {
            let (doc, sha) = rayon::join(|| read_policy_file(policy), || sha256_file(policy));
            Ok((doc?, sha.map_err(|e| Error::io(policy, e))?))
        }
        InputKind::Directory => Err(Error::not_an_app(policy, "a directory, not a policy file")),
        InputKind::Stream => {
            let bytes = crate::input::read_bounded(policy, MAX_POLICY_BYTES)?;
            let name = policy.display().to_string();
            Ok((read_policy_bytes(&name, &bytes)?, sha256_bytes(&bytes)))
        }
    }
}

/// Read several documents of one policy (policy, SDK-list page, appendix; a directory stands
/// for its files) and extract them into one declared side, keeping the documents.
pub fn read_policy_documents(
    analyzer: &Analyzer,
    policies: &[PathBuf],
) -> Result<(Vec<PolicyDocument>, PolicyDeclarations, PolicyInfo), Error> {
    let mut files = Vec::new();
    for p in policies {
        files.extend(policy_files(p)?);
    }
    let mut docs = Vec::with_capacity(files.len());
    let mut shas = Vec::with_capacity(files.len());
    for file in &files {
        let (doc, sha) = read_policy_input(file)?;
        docs.push(doc);
        shas.push(sha);
    }
    let declared = extract_all(&docs, analyzer.vocabulary()?);
    let mut named = files.iter().zip(shas).map(|(f, sha)| PolicyFile {
        file: f.display().to_string(),
        sha256: sha,
    });
    let first = named
        .next()
        .ok_or_else(|| Error::input(Path::new("--policy"), "no policy file given"))?;
    let info = PolicyInfo {
        file: first.file,
        sha256: first.sha256,
        more_files: named.collect(),
        declared_sdks: declared.sdks.len(),
        declared_data: declared.data.len(),
        declared_permissions: declared.permissions.len(),
        warnings: declared
            .warnings
            .iter()
            .map(|w| w.message.clone())
            .collect(),
    };
    Ok((docs, declared, info))
}

/// Read and extract a policy with the analyzer's vocabulary, keeping the document.
pub fn read_policy_document(
    analyzer: &Analyzer,
    policy: &Path,
) -> Result<(PolicyDocument, PolicyDeclarations, PolicyInfo), Error> {
    let (docs, declared, info) = read_policy_documents(analyzer, &[policy.to_path_buf()])?;
    let doc = docs
        .into_iter()
        .next()
        .ok_or_else(|| Error::input(policy, "no policy file given"))?;
    Ok((doc, declared, info))
}

/// Read and extract a policy with the analyzer's vocabulary.
pub fn read_policy(
    analyzer: &Analyzer,
    policy: &Path,
) -> Result<(PolicyDeclarations, PolicyInfo), Error> {
    read_policies(analyzer, &[policy.to_path_buf()])
}

/// Read and extract several documents of one policy into one declared side.
pub fn read_policies(
    analyzer: &Analyzer,
    policies: &[PathBuf],
) -> Result<(PolicyDeclarations, PolicyInfo), Error> {
    read_policy_documents(analyzer, policies).map(|(_, declared, info)| (declared, info))
}

/// Compare an inspected app with an extracted policy.
pub fn scan_inspected(
    analyzer: &Analyzer,
    app: InspectReport,
    declared: &PolicyDeclarations,
    policy: PolicyInfo,
    options: &ScanOptions,
) -> ScanOutcome {
    let form = options.data_safety.as_ref();
    let findings = compare_with_data_safety(&app, declared, form, &analyzer.set);
    let mut context = ReportContext::new(&app, declared, &analyzer.set.taxonomy);
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
        libraries: app.libraries,
        limits: app.limits,
        summary: Default::default(),
        context: ReportContext::default(),
    };
    context.add_names(
        report.all_findings().filter_map(|f| f.data.clone()),
        &analyzer.set.taxonomy,
    );
    report.context = context;
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
    scan_app_with_policies(analyzer, app, &[policy.to_path_buf()], options)
}

/// Inspect `app`, read every document of its policy as one, compare.
pub fn scan_app_with_policies(
    analyzer: &Analyzer,
    app: &Path,
    policies: &[PathBuf],
    options: &ScanOptions,
) -> Result<ScanOutcome, Error> {
    scan_with(analyzer, || analyzer.inspect(app), policies, options)
}

/// [`scan_app_with_policies`] for one app given as several split APK files (see
/// [`Analyzer::inspect_splits`]).
pub fn scan_splits_with_policies(
    analyzer: &Analyzer,
    apps: &[PathBuf],
    policies: &[PathBuf],
    options: &ScanOptions,
) -> Result<ScanOutcome, Error> {
    scan_with(
        analyzer,
        || analyzer.inspect_splits(apps),
        policies,
        options,
    )
}

fn scan_with(
    analyzer: &Analyzer,
    inspect: impl FnOnce() -> Result<InspectReport, Error> + Send,
    policies: &[PathBuf],
    options: &ScanOptions,
) -> Result<ScanOutcome, Error> {
    if let Some(config) = &options.config {
        config.check_against(&analyzer.set)?;
    }
    let (inspected, declared) = rayon::join(inspect, || read_policies(analyzer, policies));
    let inspected = inspected?;
    let (declared, info) = declared?;
    if let Some(baseline) = &options.baseline {
        baseline.check_app(&inspected.app)?;
    }
    Ok(scan_inspected(
        analyzer, inspected, &declared, info, options,
    ))
}
