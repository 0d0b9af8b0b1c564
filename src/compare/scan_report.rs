//! The scan result (`disclose.scan/1`): the app, the policy, the findings and a summary. Every
//! reporter in `crate::report` renders one of these.
//!
//! ```
//! use disclose::compare::scan_report::Summary;
//! let s = Summary::default();
//! assert_eq!(s.findings, 0);
//! ```

use super::finding::{Finding, FindingKind, Severity};
use crate::model::{AppInfo, Limit, SdkPresence};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Schema id of the scan JSON document.
pub const SCAN_SCHEMA: &str = "disclose.scan/1";

/// The policy that was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyInfo {
    pub file: String,
    pub sha256: String,
    /// The other documents read as part of the same policy (`--policy` given several times:
    /// an SDK-list page, an appendix).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub more_files: Vec<PolicyFile>,
    /// Declared SDK rows / data declarations / permission declarations found in it.
    pub declared_sdks: usize,
    pub declared_data: usize,
    pub declared_permissions: usize,
    /// Reader warnings (missing appendix, not a policy …), as one-line messages.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub warnings: Vec<String>,
}

/// One more document of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyFile {
    pub file: String,
    pub sha256: String,
}

/// Counts for the top of a report and for CI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Findings reported (not suppressed, not in the baseline).
    pub findings: usize,
    pub by_severity: BTreeMap<String, usize>,
    pub by_kind: BTreeMap<String, usize>,
    /// SDKs found in the app.
    pub sdks_found: usize,
    /// Of those, how many the policy names.
    pub sdks_disclosed: usize,
    pub suppressed: usize,
    /// Findings left out because the baseline already has them.
    pub baseline_known: usize,
    /// The `--fail-on` threshold and whether a finding reached it.
    pub fail_on: Option<Severity>,
    pub failed: bool,
}

impl Summary {
    /// How many findings of severity `severity` were reported (0 when none).
    pub fn count(&self, severity: Severity) -> usize {
        self.by_severity
            .get(severity.as_str())
            .copied()
            .unwrap_or(0)
    }
}

/// The whole scan result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanReport {
    pub schema: String,
    /// The tool and signature data versions that produced this report.
    #[serde(default)]
    pub tool: crate::version::ToolInfo,
    pub app: AppInfo,
    pub policy: PolicyInfo,
    pub findings: Vec<Finding>,
    /// Findings silenced by a suppression in the config (printed, never hidden).
    #[serde(default)]
    pub suppressed: Vec<Finding>,
    /// Findings hidden because the `--baseline` report already has them (listed, never lost).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub baselined: Vec<Finding>,
    /// SDKs found in the app (for grouping and names), with their evidence grade.
    pub sdks: Vec<SdkPresence>,
    /// Named libraries found in the app (owner names of library-owned findings).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub libraries: Vec<crate::model::LibraryUse>,
    pub limits: Vec<Limit>,
    pub summary: Summary,
    /// The app's permissions and data, the policy's declarations and data-type names: what
    /// the HTML report's matrix and tables show beside the findings.
    #[serde(
        default,
        skip_serializing_if = "super::report_context::ReportContext::is_empty"
    )]
    pub context: super::report_context::ReportContext,
}

impl ScanReport {
    /// Recompute the summary from the findings, with `fail_on` as the CI threshold.
    pub fn summarise(&mut self, fail_on: Option<Severity>) {
        let mut s = Summary {
            findings: self.findings.len(),
            sdks_found: self.present_sdks(),
            suppressed: self.suppressed.len(),
            baseline_known: self.baselined.len(),
            fail_on,
            ..Summary::default()
        };
        for f in &self.findings {
            *s.by_severity.entry(f.severity.to_string()).or_default() += 1;
            *s.by_kind.entry(f.kind.code().to_string()).or_default() += 1;
        }
        let undisclosed = self
            .all_findings()
            .filter(|f| f.kind == FindingKind::UndisclosedSdk)
            .count();
        s.sdks_disclosed = self.present_sdks().saturating_sub(undisclosed);
        s.failed = fail_on.is_some_and(|t| self.findings.iter().any(|f| f.severity >= t));
        self.summary = s;
    }

    /// SDKs whose code is in the app (grade `present`): the ones compared with the policy.
    pub fn present_sdks(&self) -> usize {
        self.sdks
            .iter()
            .filter(|s| s.grade == crate::model::Grade::Present)
            .count()
    }

    /// Every finding: reported, suppressed and in the baseline (the facts, whatever is shown).
    pub fn all_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .chain(&self.suppressed)
            .chain(&self.baselined)
    }

    /// Whether the policy fails to name the SDK `id` (an undisclosed-sdk finding, shown or not).
    pub fn sdk_undisclosed(&self, id: &str) -> bool {
        self.all_findings()
            .any(|f| f.kind == FindingKind::UndisclosedSdk && f.sdk.as_deref() == Some(id))
    }

    /// Display name of an owner (`app`, an SDK id, a library id, `unknown`): a bundled SDK
    /// says which SDK it is part of, a library says it is one.
    pub fn owner_name(&self, owner: &str) -> String {
        match owner {
            crate::model::OWNER_APP => "the app's own code".to_string(),
            crate::model::OWNER_UNKNOWN => "unattributed third-party code".to_string(),
            id => self
                .sdks
                .iter()
                .find(|s| s.id == id)
                .map(|s| {
                    let parent = s
                        .part_of
                        .as_deref()
                        .and_then(|p| self.sdks.iter().find(|x| x.id == p))
                        .map(|p| format!(" (part of {})", p.name))
                        .unwrap_or_default();
                    format!("{} ({}){parent}", s.name, s.id)
                })
                .or_else(|| {
                    self.libraries
                        .iter()
                        .find(|l| l.id == id)
                        .map(|l| format!("{} (library, {})", l.name, l.license))
                })
                .unwrap_or_else(|| id.to_string()),
        }
    }

    /// Findings grouped by owner, owners in order of their worst finding, then name.
    pub fn by_owner(&self) -> Vec<(&str, Vec<&Finding>)> {
        let mut groups: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in &self.findings {
            groups.entry(f.owner.as_str()).or_default().push(f);
        }
        let mut out: Vec<(&str, Vec<&Finding>)> = groups.into_iter().collect();
        for (_, fs) in &mut out {
            fs.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.kind.cmp(&b.kind)));
        }
        out.sort_by(|a, b| {
            let wa = a.1.first().map(|f| f.severity);
            let wb = b.1.first().map(|f| f.severity);
            wb.cmp(&wa).then(a.0.cmp(b.0))
        });
        out
    }
}
