//! Strict checks of the ownership data: `libraries.toml` (ids unique among libraries and SDKs,
//! fields non-empty, package prefixes well formed and not shared by two libraries or equal to
//! an SDK's, examples present) and the SDK fields `android.crumbs` (each under one of the
//! SDK's own packages), `bundled_in` (names another existing SDK, no cycles) and `bundled_only`
//! (only with `bundled_in`; each entry one of the SDK's own packages or iOS class prefixes, or
//! under one).
//!
//! ```
//! let set = disclose::signatures::SignatureSet::builtin()?;
//! assert!(disclose::signatures::validate_owners::check_owners(&set).is_empty());
//! # Ok::<(), disclose::signatures::SignatureError>(())
//! ```

use rustc_hash::FxHashMap;

use super::schema::LibraryKind;
use super::tables::BoundaryPrefixTable;
use super::{SignatureError, SignatureSet};
use crate::id::SdkId;

/// Prefixes only a platform library may claim.
const PLATFORM_ONLY: [&str; 8] = [
    "android", "androidx", "java", "javax", "kotlin", "kotlinx", "dalvik", "sun",
];

fn well_formed(prefix: &str) -> bool {
    !(prefix.is_empty()
        || prefix.starts_with('.')
        || prefix.ends_with('.')
        || prefix.contains("..")
        || prefix.contains(|c: char| c.is_whitespace() || c == '/' || c == ';' || c == '*'))
}

/// Every problem of the ownership data of `set`.
pub fn check_owners(set: &SignatureSet) -> Vec<SignatureError> {
    let mut out = Vec::new();
    check_libraries(set, &mut out);
    check_crumbs_and_bundles(set, &mut out);
    out
}

fn check_libraries(set: &SignatureSet, out: &mut Vec<SignatureError>) {
    let file = set.origins.libraries.as_str();
    let mut ids: FxHashMap<&str, ()> = FxHashMap::default();
    let mut prefixes: FxHashMap<&str, &str> = FxHashMap::default();
    let mut sdk_packages = BoundaryPrefixTable::default();
    for (i, sdk) in set.sdks.iter().enumerate() {
        for p in &sdk.android.packages {
            sdk_packages.insert(p, u32::try_from(i).unwrap_or(u32::MAX));
        }
    }
    for lib in &set.libraries {
        let entry = format!("library '{}'", lib.id);
        if ids.insert(&lib.id, ()).is_some() {
            out.push(SignatureError::new(file, format!("{entry}: duplicate id")));
        }
        if set.find(&lib.id).is_some() {
            out.push(SignatureError::new(
                file,
                format!("{entry}: id is also an SDK id; owners must be unambiguous"),
            ));
        }
        if lib.id.is_empty()
            || !lib
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            out.push(SignatureError::new(
                file,
                format!("{entry}: id must be kebab-case"),
            ));
        }
        for (field, value) in [
            ("name", &lib.name),
            ("license", &lib.license),
            ("website", &lib.website),
        ] {
            if value.trim().is_empty() {
                out.push(SignatureError::new(
                    file,
                    format!("{entry}: field '{field}' is empty"),
                ));
            }
        }
        if lib.packages.is_empty() {
            out.push(SignatureError::new(
                file,
                format!("{entry}: field 'packages' is empty"),
            ));
        }
        for p in &lib.packages {
            if !well_formed(p) {
                out.push(SignatureError::new(
                    file,
                    format!("{entry}: '{p}' in 'packages' is not a dotted package name"),
                ));
            }
            if lib.kind == LibraryKind::OpenSource && PLATFORM_ONLY.contains(&p.as_str()) {
                out.push(SignatureError::new(
                    file,
                    format!("{entry}: '{p}' is a platform namespace; only kind = \"platform\" or \"system\" may claim it"),
                ));
            }
            if let Some(other) = prefixes.insert(p, &lib.id) {
                out.push(SignatureError::new(
                    file,
                    format!("{entry}: package '{p}' is also claimed by library '{other}'"),
                ));
            }
            if let Some(sdk) = sdk_packages
                .get_exact(p)
                .and_then(|i| set.sdks.get(i as usize))
            {
                out.push(SignatureError::new(
                    file,
                    format!(
                        "{entry}: package '{p}' is also a package of sdk '{}' ({})",
                        sdk.id, sdk.origin
                    ),
                ));
            }
        }
        if lib.examples.must_match.is_empty() || lib.examples.no_match.is_empty() {
            out.push(SignatureError::new(
                file,
                format!("{entry}: needs at least one example in 'examples.match' and in 'examples.no_match'"),
            ));
        }
    }
}

fn check_crumbs_and_bundles(set: &SignatureSet, out: &mut Vec<SignatureError>) {
    for sdk in &set.sdks {
        let file = sdk.origin.as_str();
        let entry = format!("sdk '{}'", sdk.id);
        let mut own = BoundaryPrefixTable::default();
        for p in &sdk.android.packages {
            own.insert(p, 0);
        }
        for c in &sdk.android.crumbs {
            if !well_formed(c) || own.get_dotted(c).is_none() {
                out.push(SignatureError::new(
                    file,
                    format!("{entry}: '{c}' in 'android.crumbs' is not under one of its 'android.packages'"),
                ));
            }
        }
        for parent in &sdk.bundled_in {
            if parent == &sdk.id {
                out.push(SignatureError::new(
                    file,
                    format!("{entry}: 'bundled_in' names the SDK itself"),
                ));
            } else if set.sdks.iter().all(|s| &s.id != parent) {
                out.push(SignatureError::new(
                    file,
                    format!("{entry}: unknown sdk '{parent}' in 'bundled_in'"),
                ));
            }
        }
        check_bundled_only(sdk, file, &entry, out);
        // No cycles: walking parents never comes back (bounded by the number of SDKs).
        let mut seen = vec![sdk.id.as_str()];
        let mut frontier: Vec<&str> = sdk.bundled_in.iter().map(SdkId::as_str).collect();
        while let Some(id) = frontier.pop() {
            if id == sdk.id {
                out.push(SignatureError::new(
                    file,
                    format!("{entry}: 'bundled_in' forms a cycle"),
                ));
                break;
            }
            if seen.contains(&id) || seen.len() > set.sdks.len() {
                continue;
            }
            seen.push(id);
            if let Some(parent) = set.sdks.iter().find(|s| s.id == id) {
                frontier.extend(parent.bundled_in.iter().map(SdkId::as_str));
            }
        }
    }
}

/// `bundled_only` needs `bundled_in`, and each entry must be the SDK's own: an Android package at
/// or under one of its `android.packages`, or an iOS prefix at or under one of its
/// `ios.class_prefixes` / equal to one of its `ios.classes`.
fn check_bundled_only(sdk: &super::Sdk, file: &str, entry: &str, out: &mut Vec<SignatureError>) {
    if !sdk.bundled_only.is_empty() && sdk.bundled_in.is_empty() {
        out.push(SignatureError::new(
            file,
            format!("{entry}: 'bundled_only' without 'bundled_in'"),
        ));
    }
    for only in &sdk.bundled_only {
        let android = sdk.android.packages.iter().any(|p| {
            only == p || (only.starts_with(p.as_str()) && only[p.len()..].starts_with('.'))
        });
        let ios = sdk
            .ios
            .class_prefixes
            .iter()
            .any(|p| only.starts_with(p.as_str()))
            || sdk.ios.classes.iter().any(|c| c == only);
        if only.trim().is_empty() || !(android || ios) {
            out.push(SignatureError::new(
                file,
                format!("{entry}: '{only}' in 'bundled_only' is none of the SDK's own packages or iOS class prefixes"),
            ));
        }
    }
}
