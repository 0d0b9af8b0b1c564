//! What a scan report carries beside its findings, so a reader can check every finding
//! against the whole picture: the app's display name, its permissions, every data type its
//! code reaches for (and who does), what the policy declares (with quotes), and readable names
//! for every data-type id. The HTML report builds its SDK × data-type matrix, permissions table
//! and "what the policy declares" section from it; a batch renders per-app reports from it.
//!
//! ```
//! use disclose::compare::report_context::ReportContext;
//! let context = ReportContext::default();
//! assert!(context.is_empty());
//! assert_eq!(context.data_name("device.imei"), "device.imei");
//! ```

use super::context::quote;
use super::finding::PolicyQuote;
use crate::id::TaxonomyId;
use crate::model::{DataObservation, InspectReport, Permission};
use crate::policy::PolicyDeclarations;
use crate::signatures::taxonomy::Taxonomy;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What kind of thing a policy declaration declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeclarationKind {
    /// A third-party SDK entry (its data types, when the entry lists them).
    Sdk,
    /// A data type the policy says is collected (or, when `negated`, is not).
    Data,
    /// A permission the policy says the app asks for.
    Permission,
}

/// One declaration of the policy, with the text it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    pub kind: DeclarationKind,
    /// The name as written in the policy.
    pub name: String,
    /// SDK id (an SDK entry whose name matched an alias), data-type id, or permission group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<String>,
    /// Data-type ids the declaration covers.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub data: Vec<TaxonomyId>,
    /// The policy says it does NOT collect this.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub negated: bool,
    /// The denial holds only under a condition named before it ("unless you allow it",
    /// "在您未开启…时"): the type counts as declared, not as denied.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub conditional: bool,
    pub quote: PolicyQuote,
}

/// The context of a scan report (`context` in `disclose.scan/1`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportContext {
    /// The app's display name (Android `android:label` resolved through `resources.arsc`, iOS
    /// `CFBundleDisplayName`, else `CFBundleName`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub app_name: Option<String>,
    /// Requested permissions (Android) or privacy usage keys (iOS).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub permissions: Vec<Permission>,
    /// Every data type the code reaches for, by owner, with evidence.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub data: Vec<DataObservation>,
    /// What the policy declares: SDK entries, data types, permissions.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub declarations: Vec<Declaration>,
    /// English display name of every data-type id used anywhere in the report.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub data_names: BTreeMap<String, String>,
    /// The parent of every data-type id used in the report, and of each parent in turn: a
    /// declaration of a category covers its types only vaguely.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub data_parents: BTreeMap<String, String>,
}

impl ReportContext {
    /// The context of a scan of `app` against `declared`, with names from `taxonomy`.
    pub fn new(app: &InspectReport, declared: &PolicyDeclarations, taxonomy: &Taxonomy) -> Self {
        let mut declarations = Vec::new();
        for sdk in &declared.sdks {
            declarations.push(Declaration {
                kind: DeclarationKind::Sdk,
                name: sdk.name.clone(),
                id: sdk.id.as_deref().map(str::to_string),
                data: sdk.data.clone(),
                negated: false,
                conditional: false,
                quote: quote(&sdk.text),
            });
        }
        for data in &declared.data {
            declarations.push(Declaration {
                kind: DeclarationKind::Data,
                name: data.data_type.to_string(),
                id: Some(data.data_type.to_string()),
                data: vec![data.data_type.clone()],
                negated: data.negated,
                conditional: data.negated && data.conditional,
                quote: quote(&data.text),
            });
        }
        for permission in &declared.permissions {
            declarations.push(Declaration {
                kind: DeclarationKind::Permission,
                name: permission.name.clone(),
                id: Some(permission.group.clone()),
                data: permission.data.clone(),
                negated: permission.negated,
                conditional: false,
                quote: quote(&permission.text),
            });
        }
        let mut context = ReportContext {
            app_name: app_name(app),
            permissions: app.permissions.clone(),
            data: app.data.clone(),
            declarations,
            data_names: BTreeMap::new(),
            data_parents: BTreeMap::new(),
        };
        let ids: Vec<TaxonomyId> = context
            .data_ids()
            .chain(app.sdks.iter().flat_map(|s| s.vendor_data.iter().flatten()))
            .cloned()
            .collect();
        context.add_names(ids, taxonomy);
        context
    }

    /// Add the display names of `ids` (findings' data types, say) from `taxonomy`.
    pub fn add_names<T: AsRef<str>>(
        &mut self,
        ids: impl IntoIterator<Item = T>,
        taxonomy: &Taxonomy,
    ) {
        for id in ids {
            let id = id.as_ref();
            let mut child = id;
            while let Some(parent) = taxonomy.parent(child) {
                self.data_parents
                    .insert(child.to_string(), parent.to_string());
                child = parent;
            }
            if let Some((en, _)) = taxonomy.names(id) {
                self.data_names.insert(id.to_string(), en.to_string());
            }
        }
    }

    /// The ancestors of a data-type id, nearest first.
    pub fn data_ancestors<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let mut at = id;
        std::iter::from_fn(move || {
            let parent = self.data_parents.get(at)?;
            at = parent;
            Some(parent.as_str())
        })
        .take(16)
    }

    /// Whether there is nothing in it (then it is left out of the JSON).
    pub fn is_empty(&self) -> bool {
        *self == ReportContext::default()
    }

    /// The readable name of a data-type id (the id itself when the taxonomy has no name).
    pub fn data_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.data_names.get(id).map_or(id, String::as_str)
    }

    fn data_ids(&self) -> impl Iterator<Item = &TaxonomyId> {
        self.data
            .iter()
            .map(|d| &d.data_type)
            .chain(self.permissions.iter().flat_map(|p| &p.data))
            .chain(self.declarations.iter().flat_map(|d| &d.data))
    }
}

/// The name the reader found (Android label, iOS display name), else iOS `CFBundleDisplayName`
/// or `CFBundleName` from the inspect details of a report written before names were read.
fn app_name(app: &InspectReport) -> Option<String> {
    if let Some(name) = &app.app.name {
        return Some(name.clone());
    }
    let info = app.details.as_ref()?.get("info")?;
    ["display_name", "name"]
        .iter()
        .filter_map(|key| info.get(key)?.as_str())
        .map(str::trim)
        .find(|name| !name.is_empty())
        .map(str::to_string)
}
