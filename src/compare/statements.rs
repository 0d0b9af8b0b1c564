//! Contradictions between what the app holds and what the policy states about SDKs and
//! tracking: an SDK present against "本应用不集成任何第三方SDK", an SDK of a denied category
//! against "we use no ad or analytics SDKs", an SDK neither excepted nor listed against "no
//! other third-party SDK", advertising-identifier (IDFA / GAID / ATT) evidence against "we do
//! not track you". Conditional statements ("without your consent") contradict nothing.
//!
//! ```
//! use disclose::compare::statements::statement_contradictions;
//! use disclose::policy::PolicyDeclarations;
//! # let app: disclose::model::InspectReport = serde_json::from_str(r#"{"schema":"disclose.inspect/1","app":{"platform":"android","id":null,"version":null,"file":"a.apk","sha256":""},"permissions":[],"sdks":[],"data":[],"limits":[]}"#).unwrap();
//! assert!(statement_contradictions(&app, &PolicyDeclarations::default()).is_empty());
//! ```

use super::finding::{Finding, FindingKind, PolicyQuote, Severity};
use crate::id::SdkId;
use crate::model::{Grade, InspectReport, OwnerKind, SdkPresence, OWNER_APP, OWNER_UNKNOWN};
use crate::policy::{PolicyDeclarations, PolicyStatement, StatementKind};
use std::collections::BTreeSet;

/// Data types whose collection is tracking evidence (the advertising identifier: IDFA, GAID,
/// and the ATT prompt, which the iOS rules map to it).
const TRACKING_DATA: &[&str] = &["device.advertising_id"];

/// The quote of a statement, as findings carry it.
pub(super) fn statement_quote(s: &PolicyStatement) -> PolicyQuote {
    PolicyQuote {
        file: s.text.file.clone(),
        line: s.text.line,
        start: s.text.start,
        end: s.text.end,
        quote: s.text.quote.clone(),
    }
}

fn contradiction(owner: &str, message: String, s: &PolicyStatement) -> Finding {
    Finding {
        kind: FindingKind::Contradiction,
        severity: Severity::Critical,
        owner: owner.to_string(),
        sdk: None,
        data: None,
        permission: None,
        message,
        evidence: Vec::new(),
        policy_text: Some(statement_quote(s)),
        suppressed: None,
        sensitivity: None,
        fix: None,
        owner_kind: None,
        owner_reason: None,
    }
}

/// Whether the statement denies the SDK `sdk` (listed in the policy when `listed`).
fn denies_sdk(s: &PolicyStatement, sdk: &SdkPresence, listed: bool) -> bool {
    if s.except_ids.iter().any(|id| id == &sdk.id) {
        return false;
    }
    match s.kind {
        StatementKind::NoSdks => true,
        StatementKind::NoOtherSdks => !listed,
        StatementKind::NoSdkCategory => s.categories.iter().any(|c| c == &sdk.category),
        StatementKind::NoTracking | StatementKind::NoPersonalData => false,
    }
}

fn sdk_message(s: &PolicyStatement, sdk: &SdkPresence) -> String {
    let said = match s.kind {
        StatementKind::NoSdkCategory => format!(
            "the policy says it embeds no SDK of this kind ({})",
            s.categories.join(", ")
        ),
        StatementKind::NoOtherSdks => {
            "the policy says it embeds no third-party SDK other than those it names".to_string()
        }
        _ => "the policy says it embeds no third-party SDK".to_string(),
    };
    format!(
        "{} ({}, category {}) is in the app ({}), but {said}",
        sdk.name,
        sdk.id,
        sdk.category,
        super::finding::classes_or_symbols(sdk.classes)
    )
}

/// Finding rule "statements": [`statement_contradictions`] of the context's app and policy.
pub fn findings(ctx: &super::context::CompareContext<'_>) -> Vec<Finding> {
    statement_contradictions(ctx.app, ctx.policy)
}

/// Every contradiction between the app and the policy's statements. `listed` holds the SDK
/// ids the policy's rows name.
pub fn statement_contradictions(app: &InspectReport, policy: &PolicyDeclarations) -> Vec<Finding> {
    let listed: BTreeSet<&str> = policy.sdks.iter().filter_map(|r| r.id.as_deref()).collect();
    let live: Vec<&PolicyStatement> = policy
        .statements
        .iter()
        .filter(|s| !s.conditional)
        .collect();
    let mut out = Vec::new();
    // Only SDKs whose code is in the app (not mere crumbs) contradict a statement.
    for sdk in app.sdks.iter().filter(|s| s.grade == Grade::Present) {
        let is_listed = listed.contains(sdk.id.as_str());
        if let Some(s) = live.iter().find(|s| denies_sdk(s, sdk, is_listed)) {
            let mut f = contradiction(&sdk.id, sdk_message(s, sdk), s);
            f.sdk = Some(sdk.id.clone());
            f.owner_kind = Some(OwnerKind::Sdk);
            f.evidence = sdk.evidence.clone();
            out.push(f);
        }
    }
    let Some(tracking) = live.iter().find(|s| s.kind == StatementKind::NoTracking) else {
        return out;
    };
    let mut owners = BTreeSet::new();
    for obs in app
        .data
        .iter()
        .filter(|o| TRACKING_DATA.contains(&o.data_type.as_str()) && o.owner != OwnerKind::Platform)
    {
        if !owners.insert(obs.by.as_str()) {
            continue;
        }
        let who = match obs.by.as_str() {
            OWNER_APP => "the app's own code".to_string(),
            OWNER_UNKNOWN => "unattributed code".to_string(),
            id => id.to_string(),
        };
        let mut f = contradiction(
            &obs.by,
            format!(
                "{who} reads the advertising identifier ({}), the identifier used to track users across apps, but the policy says it does not track users",
                obs.data_type
            ),
            tracking,
        );
        f.data = Some(obs.data_type.clone());
        if obs.by != OWNER_APP && obs.by != OWNER_UNKNOWN {
            f.sdk = Some(SdkId::from(&obs.by));
        }
        f.owner_kind = Some(obs.owner);
        f.evidence = obs.evidence.clone();
        out.push(f);
    }
    for perm in &app.permissions {
        let Some(ty) = perm
            .data
            .iter()
            .find(|d| TRACKING_DATA.contains(&d.as_str()))
        else {
            continue;
        };
        let mut f = contradiction(
            OWNER_APP,
            format!(
                "the app declares {} (access to {ty}, used to track users), but the policy says it does not track users",
                perm.name
            ),
            tracking,
        );
        f.permission = Some(perm.name.clone());
        f.data = Some(ty.clone());
        f.evidence = perm.evidence.clone();
        out.push(f);
    }
    out
}

/// The statement that no personal data at all is collected by `owner` (the app's code, or the
/// SDK the statement names), if the policy makes one without a condition.
pub(super) fn blanket_denial<'a>(
    policy: &'a PolicyDeclarations,
    owner: &str,
) -> Option<&'a PolicyStatement> {
    policy.statements.iter().find(|s| {
        s.kind == StatementKind::NoPersonalData
            && !s.conditional
            && match s.sdk.as_deref() {
                None => true,
                Some(id) => id == owner,
            }
    })
}
