//! The third-party SDK list section: one row per SDK present in the app, as published SDK
//! lists have them — name (Chinese and English), operator, purpose, the data types its code
//! was seen reaching for (with evidence) beside those its vendor documents, the permissions
//! its code needs, and the vendor's privacy-policy link. SDKs seen only as references are left
//! out (and named); an SDK shipped inside another (`part_of`) is folded into its parent's row.
//!
//! ```
//! use disclose::draft::sdk_list::chinese_name;
//! let zh = vec!["Bugly SDK".to_string(), "腾讯Bugly".to_string()];
//! assert_eq!(chinese_name(&zh, "Tencent Bugly"), "腾讯Bugly");
//! assert_eq!(chinese_name(&[], "Tencent Bugly"), "Tencent Bugly");
//! ```

use super::model::{DataItem, DataSource, NotListed, PermissionUse, SdkList, SdkRow};
use super::wording::{DraftWording, Lang};
use super::EvidenceBook;
use crate::id::TaxonomyId;
use crate::model::{DataObservation, Grade, InspectReport, OwnerKind, Platform, SdkPresence};
use crate::pipeline::Analyzer;
use std::collections::{BTreeMap, HashMap};

/// The name a Chinese SDK list uses: the first Chinese alias that holds a Chinese character,
/// else the first Chinese alias, else the English name.
pub fn chinese_name(zh_aliases: &[String], name: &str) -> String {
    let has_han = |s: &&String| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    zh_aliases
        .iter()
        .find(has_han)
        .or_else(|| zh_aliases.first())
        .map_or_else(|| name.to_string(), Clone::clone)
}

/// Taxonomy order of data types (the order every list shows them in).
pub(crate) struct TypeOrder<'a> {
    analyzer: &'a Analyzer,
    index: HashMap<&'a str, usize>,
}

impl<'a> TypeOrder<'a> {
    pub(crate) fn new(analyzer: &'a Analyzer) -> Self {
        let types = analyzer.set.taxonomy.types();
        let index = types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        TypeOrder { analyzer, index }
    }

    pub(crate) fn position(&self, id: &str) -> usize {
        self.index.get(id).copied().unwrap_or(usize::MAX)
    }

    /// The display name of `id` in `lang` (the id itself when the taxonomy lacks it).
    pub(crate) fn name(&self, id: &str, lang: Lang) -> String {
        match self.analyzer.set.taxonomy.names(id) {
            Some((en, zh)) => match lang {
                Lang::En => en.to_string(),
                Lang::Zh => zh.to_string(),
            },
            None => id.to_string(),
        }
    }
}

/// The permissions (Android) or privacy usage keys (iOS) the observed code needs.
///
/// Android: the `permission` of each API rule that fired. iOS: the usage keys the app declares
/// whose data covers an observed type (the type or one of its ancestors).
pub(crate) fn permissions_for(
    analyzer: &Analyzer,
    app: &InspectReport,
    observations: &[&DataObservation],
) -> Vec<PermissionUse> {
    let mut out: BTreeMap<String, Vec<TaxonomyId>> = BTreeMap::new();
    match app.app.platform {
        Platform::Ios => {
            let taxonomy = &analyzer.set.taxonomy;
            for obs in observations {
                for p in &app.permissions {
                    let covers = p
                        .data
                        .iter()
                        .any(|d| d == &obs.data_type || taxonomy.is_ancestor(d, &obs.data_type));
                    if covers {
                        out.entry(p.name.clone())
                            .or_default()
                            .push(obs.data_type.clone());
                    }
                }
            }
        }
        Platform::Android | Platform::SdkPackage => {
            let rules: HashMap<&str, &str> = analyzer
                .set
                .android_apis
                .iter()
                .filter_map(|r| Some((r.id.as_str(), r.permission.as_deref()?)))
                .collect();
            for obs in observations {
                for ev in &obs.evidence {
                    let permission = ev.rule.as_deref().and_then(|r| rules.get(r));
                    if let Some(&permission) = permission {
                        out.entry(permission.to_string())
                            .or_default()
                            .push(obs.data_type.clone());
                    }
                }
            }
        }
    }
    out.into_iter()
        .map(|(name, mut for_data)| {
            for_data.sort();
            for_data.dedup();
            let declared = app.permissions.iter().any(|p| p.name == name);
            PermissionUse {
                name,
                declared,
                for_data,
            }
        })
        .collect()
}

/// The data items of a row: observed types (grouped, with evidence) then vendor-only types,
/// each group in taxonomy order; evidence ids are given in that order.
fn data_items(
    observations: &[&DataObservation],
    vendor: &[TaxonomyId],
    order: &TypeOrder<'_>,
    lang: Lang,
    book: &mut EvidenceBook,
) -> Vec<DataItem> {
    let mut grouped: Vec<(&str, Vec<&DataObservation>)> = Vec::new();
    for obs in observations {
        match grouped.iter_mut().find(|(t, _)| *t == obs.data_type) {
            Some((_, list)) => list.push(obs),
            None => grouped.push((&obs.data_type, vec![obs])),
        }
    }
    grouped.sort_by_key(|(t, _)| order.position(t));
    let mut items: Vec<DataItem> = grouped
        .into_iter()
        .map(|(data_type, list)| DataItem {
            data_type: TaxonomyId::from(data_type),
            name: order.name(data_type, lang),
            source: if vendor.iter().any(|v| v == data_type) {
                DataSource::CodeAndVendorDocuments
            } else {
                DataSource::Code
            },
            sites: list.iter().map(|o| o.sites).sum(),
            evidence: list.iter().map(|o| book.add(o)).collect(),
        })
        .collect();
    let mut vendor_only: Vec<&TaxonomyId> = vendor
        .iter()
        .filter(|id| !items.iter().any(|i| &&i.data_type == id))
        .collect();
    vendor_only.sort_by_key(|id| order.position(id));
    items.extend(vendor_only.into_iter().map(|id| DataItem {
        data_type: id.clone(),
        name: order.name(id, lang),
        source: DataSource::VendorDocuments,
        sites: 0,
        evidence: Vec::new(),
    }));
    items
}

fn row(
    analyzer: &Analyzer,
    wording: &DraftWording,
    app: &InspectReport,
    sdk: &SdkPresence,
    included: &[&SdkPresence],
    (lang, order): (Lang, &TypeOrder<'_>),
    book: &mut EvidenceBook,
) -> SdkRow {
    let spec = analyzer.set.find(&sdk.id);
    let owners: Vec<&str> = std::iter::once(sdk.id.as_str())
        .chain(included.iter().map(|s| s.id.as_str()))
        .collect();
    let observations: Vec<&DataObservation> = app
        .data
        .iter()
        .filter(|d| d.owner == OwnerKind::Sdk && owners.contains(&d.by.as_str()))
        .collect();
    let mut vendor: Vec<TaxonomyId> = Vec::new();
    for s in std::iter::once(sdk).chain(included.iter().copied()) {
        for id in s.vendor_data.iter().flatten() {
            if !vendor.contains(id) {
                vendor.push(id.clone());
            }
        }
    }
    let category = spec.map_or(sdk.category.as_str(), |s| s.category.as_str());
    let purpose = wording
        .purpose(category)
        .map(|p| match lang {
            Lang::En => p.en.clone(),
            Lang::Zh => p.zh.clone(),
        })
        .unwrap_or_default();
    SdkRow {
        id: sdk.id.clone(),
        name_zh: spec.map_or_else(
            || sdk.name.clone(),
            |s| chinese_name(&s.aliases.zh, &s.name),
        ),
        name_en: sdk.name.clone(),
        vendor_zh: spec.and_then(|s| s.vendor_zh.first().cloned()),
        vendor_en: sdk.vendor.clone(),
        category: category.to_string(),
        purpose,
        data: data_items(&observations, &vendor, order, lang, book),
        vendor_documented: sdk.vendor_data.is_some(),
        permissions: permissions_for(analyzer, app, &observations),
        privacy_policy: spec.and_then(|s| s.privacy_policy.clone()),
        includes: included.iter().map(|s| s.id.clone()).collect(),
    }
}

/// The SDK list of `app`.
pub fn build(
    analyzer: &Analyzer,
    wording: &DraftWording,
    app: &InspectReport,
    lang: Lang,
    book: &mut EvidenceBook,
) -> SdkList {
    let order = TypeOrder::new(analyzer);
    let present = |id: &str| {
        app.sdks
            .iter()
            .any(|s| s.id == id && s.grade == Grade::Present)
    };
    let mut rows = Vec::new();
    let mut not_listed = Vec::new();
    for sdk in &app.sdks {
        if sdk.grade != Grade::Present {
            not_listed.push(NotListed {
                id: sdk.id.clone(),
                name: sdk.name.clone(),
                reason: wording.not_listed_reason(&sdk.grade_reason, lang),
            });
            continue;
        }
        if sdk.part_of.as_deref().is_some_and(&present) {
            continue;
        }
        let included: Vec<&SdkPresence> = app
            .sdks
            .iter()
            .filter(|s| s.grade == Grade::Present && s.part_of.as_deref() == Some(&sdk.id))
            .collect();
        rows.push(row(
            analyzer,
            wording,
            app,
            sdk,
            &included,
            (lang, &order),
            book,
        ));
    }
    SdkList { rows, not_listed }
}
