//! The app's own collection section: every data type the app's own code reaches for (and the
//! code of libraries it links, and code no SDK accounts for — a policy must cover those too),
//! with evidence and the permissions that code needs; then every permission the app requests,
//! what it gives access to, and whose observed code uses it. Platform wrapper code that nothing
//! calls (`owner = platform`) is not collection and is left out.
//!
//! ```
//! use disclose::model::OwnerKind;
//! use disclose::draft::app_collection::is_app_side;
//! assert!(is_app_side(OwnerKind::Library));
//! assert!(!is_app_side(OwnerKind::Sdk));
//! assert!(!is_app_side(OwnerKind::Platform));
//! ```

use super::model::{AppCollection, AppDataItem, AppPermission};
use super::sdk_list::{permissions_for, TypeOrder};
use super::wording::Lang;
use super::EvidenceBook;
use crate::id::TaxonomyId;
use crate::model::{DataObservation, InspectReport, OwnerKind};
use crate::pipeline::Analyzer;

/// Whether observations of this owner belong to the app's own collection.
pub fn is_app_side(owner: OwnerKind) -> bool {
    matches!(
        owner,
        OwnerKind::App | OwnerKind::Library | OwnerKind::Unknown
    )
}

fn owner_rank(owner: OwnerKind) -> u8 {
    match owner {
        OwnerKind::App => 0,
        OwnerKind::Library => 1,
        _ => 2,
    }
}

/// The app-collection section of `app`.
pub fn build(
    analyzer: &Analyzer,
    app: &InspectReport,
    lang: Lang,
    book: &mut EvidenceBook,
) -> AppCollection {
    let order = TypeOrder::new(analyzer);
    let mut observations: Vec<&DataObservation> =
        app.data.iter().filter(|d| is_app_side(d.owner)).collect();
    observations.sort_by_key(|d| {
        (
            order.position(&d.data_type),
            owner_rank(d.owner),
            d.by.clone(),
        )
    });
    let data = observations
        .iter()
        .map(|obs| AppDataItem {
            data_type: obs.data_type.clone(),
            name: order.name(&obs.data_type, lang),
            owner: obs.owner,
            by: obs.by.clone(),
            sites: obs.sites,
            evidence: vec![book.add(obs)],
            permissions: permissions_for(analyzer, app, &[*obs]),
        })
        .collect();
    let used: Vec<(String, Vec<String>)> = app
        .data
        .iter()
        .filter(|d| d.owner != OwnerKind::Platform)
        .map(|d| {
            let needs = permissions_for(analyzer, app, &[d]);
            (d.by.clone(), needs.into_iter().map(|p| p.name).collect())
        })
        .collect();
    let permissions = app
        .permissions
        .iter()
        .map(|p| {
            let mut used_by: Vec<String> = used
                .iter()
                .filter(|(_, names)| names.contains(&p.name))
                .map(|(by, _)| by.clone())
                .collect();
            used_by.sort();
            used_by.dedup();
            let mut gives: Vec<&TaxonomyId> = p.data.iter().collect();
            gives.sort_by_key(|id| order.position(id));
            AppPermission {
                name: p.name.clone(),
                protection: p.protection.clone(),
                gives_access_to: gives.iter().map(|id| order.name(id, lang)).collect(),
                used_by,
            }
        })
        .collect();
    AppCollection { data, permissions }
}
