//! The text of one table cell, shared by the Markdown, HTML and CSV drafts: SDK and operator
//! names in both languages, data types with their source mark, permissions. Plain text; each
//! format escapes it.

use super::model::{AppDataItem, DataItem, Draft, PermissionUse, SdkRow};
use super::wording::{DraftWording, Labels, Lang, Text};
use crate::model::OwnerKind;

/// The columns of the SDK list table in the Markdown and HTML drafts (the CSV draft splits
/// the data column by source and adds the call sites).
pub(crate) fn sdk_list_columns(l: &Labels) -> [&Text; 6] {
    [
        &l.sdk_name,
        &l.vendor,
        &l.purpose,
        &l.data,
        &l.permissions,
        &l.privacy_policy,
    ]
}

/// The columns of the app's own collection table (every draft format).
pub(crate) fn app_data_columns(l: &Labels) -> [&Text; 4] {
    [&l.data_type, &l.collected_by, &l.permissions, &l.evidence]
}

/// The columns of the app's permissions table.
pub(crate) fn app_permission_columns(l: &Labels) -> [&Text; 3] {
    [&l.permission, &l.gives_access_to, &l.used_by]
}

/// Who uses a permission, by name, joined.
pub(crate) fn used_by(p: &super::model::AppPermission, draft: &Draft, w: &DraftWording) -> String {
    p.used_by
        .iter()
        .map(|b| owner(b, draft, w))
        .collect::<Vec<_>>()
        .join(sep(draft.lang))
}

/// The list separator of `lang`.
pub(crate) fn sep(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "; ",
        Lang::Zh => "；",
    }
}

/// `primary (secondary)`, or `primary` when the two are equal or there is no secondary.
fn both(primary: &str, secondary: Option<&str>, lang: Lang) -> String {
    match secondary {
        Some(s) if s != primary && !s.is_empty() => match lang {
            Lang::En => format!("{primary} ({s})"),
            Lang::Zh => format!("{primary}（{s}）"),
        },
        _ => primary.to_string(),
    }
}

/// The SDK's name in the draft's language, the other language after it.
pub(crate) fn sdk_name(row: &SdkRow, lang: Lang, w: &DraftWording) -> String {
    let name = match lang {
        Lang::Zh => both(&row.name_zh, Some(row.name_en.as_str()), lang),
        Lang::En => both(&row.name_en, Some(row.name_zh.as_str()), lang),
    };
    if row.includes.is_empty() {
        return name;
    }
    let part_of = w.labels.part_of.get(lang);
    match lang {
        Lang::En => format!("{name} [{part_of} {}]", row.includes.join(", ")),
        Lang::Zh => format!("{name}〔{part_of}{}〕", row.includes.join("、")),
    }
}

/// The operator in the draft's language, the other language after it; `—` when unknown.
pub(crate) fn vendor(row: &SdkRow, lang: Lang) -> String {
    let (zh, en) = (row.vendor_zh.as_deref(), row.vendor_en.as_deref());
    let (first, second) = match lang {
        Lang::Zh => (zh.or(en), en),
        Lang::En => (en.or(zh), zh),
    };
    match first {
        Some(first) => both(first, second, lang),
        None => "—".to_string(),
    }
}

/// A data type with its mark: `IMEI (observed in code: E1, E2)`, `IMSI (vendor documents)`.
pub(crate) fn data_item(item: &DataItem, lang: Lang, w: &DraftWording) -> String {
    let mark = if item.source.observed() {
        let refs = item.evidence.join(", ");
        format!("{} {refs}", w.labels.from_code.get(lang))
    } else {
        w.labels.from_vendor.get(lang).to_string()
    };
    match lang {
        Lang::En => format!("{} [{mark}]", item.name),
        Lang::Zh => format!("{}〔{mark}〕", item.name),
    }
}

/// The data items of a row whose source is (or is not) the code, joined.
pub(crate) fn data_items(
    row: &SdkRow,
    observed: bool,
    lang: Lang,
    w: &DraftWording,
) -> Vec<String> {
    row.data
        .iter()
        .filter(|i| i.source.observed() == observed)
        .map(|i| data_item(i, lang, w))
        .collect()
}

/// Every data item of a row, observed first; says so when there is none.
pub(crate) fn all_data(row: &SdkRow, lang: Lang, w: &DraftWording) -> String {
    let mut items = data_items(row, true, lang, w);
    items.extend(data_items(row, false, lang, w));
    if !row.vendor_documented {
        items.push(w.labels.vendor_silent.get(lang).to_string());
    }
    if items.is_empty() {
        return w.labels.none_observed.get(lang).to_string();
    }
    items.join(sep(lang))
}

/// `android.permission.CAMERA` → `CAMERA`, marked when the app does not declare it.
pub(crate) fn permission(p: &PermissionUse, lang: Lang, w: &DraftWording) -> String {
    let name = crate::report::html_permissions::short_name(&p.name);
    if p.declared {
        return name.to_string();
    }
    let note = w.labels.not_declared.get(lang);
    match lang {
        Lang::En => format!("{name} ({note})"),
        Lang::Zh => format!("{name}（{note}）"),
    }
}

/// The permissions of a row or item, joined; `—` when none.
pub(crate) fn permissions(list: &[PermissionUse], lang: Lang, w: &DraftWording) -> String {
    if list.is_empty() {
        return "—".to_string();
    }
    list.iter()
        .map(|p| permission(p, lang, w))
        .collect::<Vec<_>>()
        .join(sep(lang))
}

/// Who collects an app-side item: the app, a named library, or unattributed code.
pub(crate) fn collected_by(item: &AppDataItem, lang: Lang, w: &DraftWording) -> String {
    match item.owner {
        OwnerKind::App => w.labels.app_code.get(lang).to_string(),
        OwnerKind::Library => both(
            w.labels.library_code.get(lang),
            Some(item.by.as_str()),
            lang,
        ),
        _ => w.labels.unknown_code.get(lang).to_string(),
    }
}

/// An owner id as the draft names it: the app's own code, an SDK's name in the draft's
/// language (when the SDK list has its row), else the id.
pub(crate) fn owner(by: &str, draft: &Draft, w: &DraftWording) -> String {
    let lang = draft.lang;
    if by == crate::model::OWNER_APP {
        return w.labels.app_code.get(lang).to_string();
    }
    let row = draft
        .sdk_list
        .iter()
        .flat_map(|l| &l.rows)
        .find(|r| r.id == by || r.includes.iter().any(|i| i == by));
    match (row, lang) {
        (Some(r), Lang::Zh) => r.name_zh.clone(),
        (Some(r), Lang::En) => r.name_en.clone(),
        (None, _) => by.to_string(),
    }
}

/// `N call sites` / `N处调用`.
pub(crate) fn sites(n: usize, lang: Lang, w: &DraftWording) -> String {
    let word = if n == 1 {
        &w.labels.site
    } else {
        &w.labels.sites
    };
    match lang {
        Lang::En => format!("{n} {}", word.get(lang)),
        Lang::Zh => format!("{n}{}", word.get(lang)),
    }
}

/// One call site: `file · location · rule`.
pub(crate) fn place(ev: &crate::model::Evidence) -> String {
    crate::report::evidence_line(ev)
}
