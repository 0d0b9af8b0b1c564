//! A fix for every finding: the wording of `signatures/fixes.toml` for the finding's kind and
//! collector, in the policy's language, with its placeholders filled from the finding, the
//! taxonomy and the SDK's signature file. The language is the one most of the policy text the
//! reader quoted is written in: Chinese when Han characters outnumber half the Latin letters,
//! else English (also for a policy with nothing quoted).
//!
//! ```
//! use disclose::compare::fix::{policy_language, FixLanguage};
//! assert_eq!(policy_language(&disclose::policy::PolicyDeclarations::default()), FixLanguage::En);
//! ```

use super::context::CompareContext;
use super::coverage::{coverage, Coverage};
use super::finding::{Finding, FindingKind};
use super::severity::Collector;
use crate::id::TaxonomyId;
use crate::model::OwnerKind;
use crate::policy::PolicyDeclarations;

/// The language fixes are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixLanguage {
    En,
    Zh,
}

/// The language of the policy, from the text its declarations quote.
pub fn policy_language(policy: &PolicyDeclarations) -> FixLanguage {
    let quotes = policy
        .sdks
        .iter()
        .map(|r| &r.text)
        .chain(policy.data.iter().map(|d| &d.text))
        .chain(policy.permissions.iter().map(|p| &p.text))
        .chain(policy.statements.iter().map(|s| &s.text))
        .chain(policy.warnings.iter().filter_map(|w| w.text.as_ref()));
    let (mut han, mut latin) = (0usize, 0usize);
    for span in quotes {
        for c in span.quote.chars() {
            if ('\u{4e00}'..='\u{9fff}').contains(&c) {
                han += 1;
            } else if c.is_ascii_alphabetic() {
                latin += 1;
            }
        }
    }
    if han > 0 && han * 2 >= latin {
        FixLanguage::Zh
    } else {
        FixLanguage::En
    }
}

/// Set the fix of every finding (left empty when the signature set has no wording for it).
pub fn attach(ctx: &CompareContext<'_>, findings: &mut [Finding]) {
    let language = policy_language(ctx.policy);
    for f in findings.iter_mut() {
        let by_sdk = Collector::of(f) == Collector::Sdk || f.kind == FindingKind::UndisclosedSdk;
        let Some(def) = ctx.set.fixes.get(f.kind, by_sdk) else {
            continue;
        };
        let text = match language {
            FixLanguage::En => &def.en,
            FixLanguage::Zh => &def.zh,
        };
        let fix = def.render(text, &|name| value(ctx, f, language, name));
        f.fix = Some(fix);
    }
}

/// The value of one placeholder for `f`.
fn value(
    ctx: &CompareContext<'_>,
    f: &Finding,
    language: FixLanguage,
    name: &str,
) -> Option<String> {
    let taxonomy = &ctx.set.taxonomy;
    let sdk_id = f.sdk.as_deref();
    let spec = sdk_id.and_then(|id| ctx.set.find(id)).map(|s| &s.spec);
    let data = f.data.as_deref();
    match name {
        "data_en" => data
            .and_then(|d| taxonomy.names(d))
            .map(|n| n.0.to_string()),
        "data_zh" => data
            .and_then(|d| taxonomy.names(d))
            .map(|n| n.1.to_string()),
        "parent_en" | "parent_zh" => {
            let Coverage::Vague(_, parent) = coverage(ctx.policy, taxonomy, data?) else {
                return None;
            };
            let (en, zh) = taxonomy.names(&parent)?;
            Some(if name == "parent_en" { en } else { zh }.to_string())
        }
        "sdk_name" => spec.map(|s| s.name.clone()).or_else(|| {
            let id = sdk_id?;
            ctx.app
                .sdks
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.name.clone())
                .or_else(|| ctx.declared_rows.get(id).map(|r| r.name.clone()))
        }),
        "vendor" => spec.and_then(|s| s.vendor.clone()),
        "vendor_zh" => spec.and_then(|s| s.vendor_zh.first().cloned().or(s.vendor.clone())),
        "privacy_policy" => spec.and_then(|s| s.privacy_policy.clone().or(s.website.clone())),
        "sdk_data_en" | "sdk_data_zh" => {
            let ids = sdk_data(ctx, sdk_id?);
            let zh = name == "sdk_data_zh";
            let names: Vec<&str> = ids
                .iter()
                .filter_map(|id| taxonomy.names(id))
                .map(|(en, cn)| if zh { cn } else { en })
                .collect();
            let sep = if language == FixLanguage::Zh {
                "、"
            } else {
                ", "
            };
            (!names.is_empty()).then(|| names.join(sep))
        }
        "permission" => f.permission.clone(),
        "line" => f.policy_text.as_ref().map(|q| q.line.to_string()),
        _ => None,
    }
}

/// The data types SDK `id` collects in this app, else those its vendor documents.
fn sdk_data(ctx: &CompareContext<'_>, id: &str) -> Vec<TaxonomyId> {
    let mut seen: Vec<TaxonomyId> = Vec::new();
    for obs in &ctx.app.data {
        if obs.by == id && obs.owner != OwnerKind::Platform && !seen.contains(&obs.data_type) {
            seen.push(obs.data_type.clone());
        }
    }
    if seen.is_empty() {
        if let Some(documented) = ctx.set.find(id).and_then(|s| s.spec.data.clone()) {
            seen = documented;
        }
    }
    seen
}
