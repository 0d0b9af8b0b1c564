//! What the policy admits about itself, as findings: every [`WarningKind`] is mapped here (the
//! match is exhaustive, so a new kind cannot be forgotten). A separate SDK list that was not
//! given is `policy-incomplete` (high): without it, every "undisclosed SDK" may be false.
//!
//! ```
//! use disclose::compare::policy_warnings::finding_for;
//! use disclose::compare::finding::{FindingKind, Severity};
//! use disclose::policy::WarningKind;
//! assert_eq!(finding_for(WarningKind::MissingSdkList), (FindingKind::PolicyIncomplete, Severity::High));
//! ```

use super::finding::{Finding, FindingKind, PolicyQuote, Severity};
use crate::model::OWNER_APP;
use crate::policy::{PolicyDeclarations, WarningKind};

/// The finding kind and severity a policy warning becomes.
pub fn finding_for(kind: WarningKind) -> (FindingKind, Severity) {
    match kind {
        WarningKind::MissingSdkList => (FindingKind::PolicyIncomplete, Severity::High),
        WarningKind::MissingAppendix | WarningKind::NotAPolicy | WarningKind::Empty => {
            (FindingKind::PolicyIncomplete, Severity::Medium)
        }
        WarningKind::Decoding => (FindingKind::AnalysisLimit, Severity::Low),
    }
}

/// Finding rule "policy warnings": [`warning_findings`] of the context's policy.
pub fn findings(ctx: &super::context::CompareContext<'_>) -> Vec<Finding> {
    warning_findings(ctx.policy)
}

/// One finding per policy warning.
pub fn warning_findings(policy: &PolicyDeclarations) -> Vec<Finding> {
    policy
        .warnings
        .iter()
        .map(|w| {
            let (kind, severity) = finding_for(w.kind);
            Finding {
                kind,
                severity,
                owner: OWNER_APP.to_string(),
                sdk: None,
                data: None,
                permission: None,
                message: w.message.clone(),
                evidence: Vec::new(),
                policy_text: w.text.as_ref().map(|t| PolicyQuote {
                    file: t.file.clone(),
                    line: t.line,
                    start: t.start,
                    end: t.end,
                    quote: t.quote.clone(),
                }),
                suppressed: None,
                sensitivity: None,
                fix: None,
                owner_kind: None,
                owner_reason: None,
            }
        })
        .collect()
}
