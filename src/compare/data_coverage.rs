//! Finding rule "data coverage": for every data type an owner's code collects, how the policy
//! covers it (see [`super::coverage`]) decides the finding: declared clearly but missing from
//! the owner's own SDK row is `sdk-data-mismatch`; only a category is `vague-data`; denied is
//! `contradiction`; not declared (or left out of a closed list) is `undisclosed-data`.
//!
//! ```no_run
//! # fn f(ctx: &disclose::compare::context::CompareContext) {
//! let data_findings = disclose::compare::data_coverage::findings(ctx);
//! # }
//! ```

use super::context::{finding, quote, CompareContext};
use super::coverage::{coverage, Coverage};
use super::finding::{Finding, FindingKind};
use super::statements::{blanket_denial, statement_quote};
use crate::id::SdkId;
use crate::model::{DataObservation, OwnerKind, OWNER_APP, OWNER_UNKNOWN};

/// One finding per observed data type the policy does not cover clearly.
pub fn findings(ctx: &CompareContext<'_>) -> Vec<Finding> {
    ctx.app
        .data
        .iter()
        // Platform wrapper code nobody calls is listed by inspect as "not called", never a
        // finding.
        .filter(|obs| obs.owner != OwnerKind::Platform)
        .filter_map(|obs| {
            let mut f = coverage_finding(ctx, obs)?;
            f.data = Some(obs.data_type.clone());
            if obs.by != OWNER_APP && obs.by != OWNER_UNKNOWN && obs.owner != OwnerKind::Library {
                f.sdk = Some(SdkId::from(&obs.by));
            }
            f.owner_kind = Some(obs.owner);
            f.owner_reason = Some(obs.owner_reason.clone()).filter(|r| !r.is_empty());
            f.evidence = obs.evidence.clone();
            Some(f)
        })
        .collect()
}

/// The finding for one observation, by how the policy covers its type (`None`: covered).
fn coverage_finding(ctx: &CompareContext<'_>, obs: &DataObservation) -> Option<Finding> {
    let ty = obs.data_type.as_str();
    let who = ctx.owner_name(&obs.by);
    let name = ctx.name_of(ty);
    let by = obs.by.as_str();
    let f = match coverage(ctx.policy, &ctx.set.taxonomy, ty) {
        // Declared globally; still check the SDK's own row when it lists data types.
        Coverage::Clear(_) => return row_mismatch(ctx, obs, &who),
        Coverage::Vague(span, parent) => {
            let mut f = finding(
                FindingKind::VagueData,
                by,
                format!(
                    "{who} collects {name} ({ty}); the policy only says {} ({parent})",
                    ctx.name_of(&parent)
                ),
            );
            f.policy_text = Some(quote(span));
            f
        }
        Coverage::Denied(span) => {
            let mut f = finding(
                FindingKind::Contradiction,
                by,
                format!("{who} collects {name} ({ty}), but the policy says it is not collected"),
            );
            f.policy_text = Some(quote(span));
            f
        }
        Coverage::Excluded(span, parent) => {
            let mut f = finding(
                FindingKind::UndisclosedData,
                by,
                format!(
                    "{who} collects {name} ({ty}); the policy lists exactly which {} ({parent}) it collects and does not name it",
                    ctx.name_of(&parent)
                ),
            );
            f.policy_text = Some(quote(span));
            f
        }
        Coverage::None => match blanket_denial(ctx.policy, by) {
            Some(statement) => {
                let mut f = finding(
                    FindingKind::Contradiction,
                    by,
                    format!(
                        "{who} collects {name} ({ty}), but the policy says no personal data is collected"
                    ),
                );
                f.policy_text = Some(statement_quote(statement));
                f
            }
            None => finding(
                FindingKind::UndisclosedData,
                by,
                format!("{who} collects {name} ({ty}); the policy never declares it"),
            ),
        },
    };
    Some(f)
}

/// `sdk-data-mismatch` when the owner's own SDK row lists data types and none of them is the
/// observed type or one of its categories.
fn row_mismatch(ctx: &CompareContext<'_>, obs: &DataObservation, who: &str) -> Option<Finding> {
    let ty = obs.data_type.as_str();
    let taxonomy = &ctx.set.taxonomy;
    let row = ctx.declared_rows.get(obs.by.as_str())?;
    let lists_it = row
        .data
        .iter()
        .any(|d| d == ty || taxonomy.ancestors(ty).any(|a| a == d.as_str()));
    if row.data.is_empty() || lists_it {
        return None;
    }
    let mut f = finding(
        FindingKind::SdkDataMismatch,
        &obs.by,
        format!(
            "the policy's entry for {who} does not list {} ({ty}), which its code collects here",
            ctx.name_of(ty)
        ),
    );
    f.policy_text = Some(quote(&row.text));
    Some(f)
}
