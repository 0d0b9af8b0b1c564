//! Finding rule "limits": every part of the app inspect could not see is `analysis-limit`;
//! packed or encrypted code is high, since every other finding is blind to it.
//!
//! ```no_run
//! # fn f(ctx: &disclose::compare::context::CompareContext) {
//! let limit_findings = disclose::compare::limits::findings(ctx);
//! # }
//! ```

use super::context::{finding, CompareContext};
use super::finding::{Finding, FindingKind, Severity};
use crate::model::{LimitKind, OWNER_APP};

/// One finding per analysis limit.
pub fn findings(ctx: &CompareContext<'_>) -> Vec<Finding> {
    ctx.app
        .limits
        .iter()
        .map(|limit| {
            let mut f = finding(FindingKind::AnalysisLimit, OWNER_APP, limit.message.clone());
            if matches!(limit.kind, LimitKind::Packed | LimitKind::Encrypted) {
                f.severity = Severity::High;
            }
            f.evidence = limit.evidence.clone();
            f
        })
        .collect()
}
