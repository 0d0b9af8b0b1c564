//! What every finding rule reads: the inspected app, the policy's declarations, the signature
//! set, the policy's SDK rows that apply to the app's platform (by SDK id), and the helpers
//! that name data types and owners the same way in every rule.
//!
//! ```no_run
//! # fn f(app: &disclose::model::InspectReport, p: &disclose::policy::PolicyDeclarations, s: &disclose::signatures::SignatureSet) {
//! use disclose::compare::context::CompareContext;
//! let ctx = CompareContext::new(app, p, s);
//! println!("{} policy rows apply to this app", ctx.rows.len());
//! # }
//! ```

use super::finding::{Finding, FindingKind, PolicyQuote};
use crate::model::{InspectReport, Platform, SdkPresence, OWNER_APP, OWNER_UNKNOWN};
use crate::policy::{DeclaredSdk, PolicyDeclarations, TextSpan};
use crate::signatures::SignatureSet;
use std::collections::BTreeMap;

/// The inputs of one comparison.
pub struct CompareContext<'a> {
    pub app: &'a InspectReport,
    pub policy: &'a PolicyDeclarations,
    pub set: &'a SignatureSet,
    /// The policy's SDK rows for the app's platform.
    pub rows: Vec<&'a DeclaredSdk>,
    /// Of those, the first row per resolved SDK id.
    pub declared_rows: BTreeMap<&'a str, &'a DeclaredSdk>,
    /// The Play Data safety form, when one was given (`scan --data-safety`).
    pub data_safety: Option<&'a crate::declared::DataSafetyForm>,
}

impl<'a> CompareContext<'a> {
    pub fn new(
        app: &'a InspectReport,
        policy: &'a PolicyDeclarations,
        set: &'a SignatureSet,
    ) -> Self {
        let rows = rows_for(policy, app.app.platform);
        let mut declared_rows: BTreeMap<&str, &DeclaredSdk> = BTreeMap::new();
        for row in &rows {
            if let Some(id) = row.id.as_deref() {
                declared_rows.entry(id).or_insert(row);
            }
        }
        CompareContext {
            app,
            policy,
            set,
            rows,
            declared_rows,
            data_safety: None,
        }
    }

    /// The same context, also comparing the Play Data safety form `form`.
    pub fn with_data_safety(mut self, form: &'a crate::declared::DataSafetyForm) -> Self {
        self.data_safety = Some(form);
        self
    }

    /// The sensitivity levels of the taxonomy (config overrides apply later, in
    /// `super::suppress::apply`).
    pub fn levels(&self) -> super::severity::Levels<'a> {
        super::severity::Levels {
            taxonomy: &self.set.taxonomy,
            overrides: None,
        }
    }

    /// English display name of a taxonomy id (the id itself when unknown).
    pub fn name_of(&self, ty: &str) -> String {
        self.set
            .taxonomy
            .names(ty)
            .map_or_else(|| ty.to_string(), |(en, _)| en.to_string())
    }

    /// Display name of an owner as finding messages use it.
    pub fn owner_name(&self, owner: &str) -> String {
        let app = self.app;
        match owner {
            OWNER_APP => "the app's own code".into(),
            OWNER_UNKNOWN => "unattributed code".into(),
            id => app
                .sdks
                .iter()
                .find(|s| s.id == id)
                .map(|s| sdk_display_name(app, s))
                .or_else(|| {
                    app.libraries
                        .iter()
                        .find(|l| l.id == id)
                        .map(|l| format!("{} (library)", l.name))
                })
                .unwrap_or_else(|| id.to_string()),
        }
    }
}

/// The policy's SDK rows that apply to `platform`: rows without a platform always apply; rows
/// of another platform's section do not.
fn rows_for(policy: &PolicyDeclarations, platform: Platform) -> Vec<&DeclaredSdk> {
    let want = match platform {
        Platform::Android => Some("android"),
        Platform::Ios => Some("ios"),
        Platform::SdkPackage => None,
    };
    policy
        .sdks
        .iter()
        .filter(|row| match (row.platform.as_deref(), want) {
            (Some(p), Some(w)) => p.eq_ignore_ascii_case(w),
            _ => true,
        })
        .collect()
}

/// A policy text span as findings quote it.
pub(crate) fn quote(span: &TextSpan) -> PolicyQuote {
    PolicyQuote {
        file: span.file.clone(),
        line: span.line,
        start: span.start,
        end: span.end,
        quote: span.quote.clone(),
    }
}

/// A finding of `kind` owned by `owner`, at the kind's default severity, with nothing else set.
pub(crate) fn finding(kind: FindingKind, owner: &str, message: String) -> Finding {
    Finding {
        kind,
        severity: kind.default_severity(),
        owner: owner.to_string(),
        owner_kind: None,
        owner_reason: None,
        sdk: None,
        data: None,
        permission: None,
        message,
        evidence: Vec::new(),
        policy_text: None,
        suppressed: None,
        sensitivity: None,
        fix: None,
    }
}

/// The present SDKs `sdk` ships inside, nearest first (`part_of`, then its `part_of` …),
/// bounded by the number of SDKs so a bad chain cannot loop.
pub(crate) fn parents<'a>(app: &'a InspectReport, sdk: &'a SdkPresence) -> Vec<&'a SdkPresence> {
    let mut out: Vec<&SdkPresence> = Vec::new();
    let mut next = sdk.part_of.as_deref();
    while let Some(id) = next {
        let Some(p) = app.sdks.iter().find(|s| s.id == id) else {
            break;
        };
        if out.iter().any(|o| o.id == p.id) || out.len() > app.sdks.len() {
            break;
        }
        out.push(p);
        next = p.part_of.as_deref();
    }
    out
}

/// An SDK's name as reports show it: `JCore (JIGUANG core) (part of JPush (JIGUANG Push))`.
pub fn sdk_display_name(app: &InspectReport, sdk: &SdkPresence) -> String {
    match parents(app, sdk).first() {
        Some(parent) => format!("{} (part of {})", sdk.name, parent.name),
        None => sdk.name.clone(),
    }
}
