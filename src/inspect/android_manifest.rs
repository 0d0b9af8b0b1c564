//! The one manifest of an Android app made of several parts: the base's, with what feature
//! splits or feature modules add merged in ([`AndroidManifest::merge_module`]). Every part's
//! manifest must read (binary XML in an APK, protobuf XML in an App Bundle) and name the same
//! package: parts of two apps are an error naming both.
//!
//! ```no_run
//! # use disclose::archive::{open_package, Limits};
//! # let package = open_package("app.aab".as_ref(), Limits::default())?;
//! // crate-internal: read_manifest(path, &package, AndroidLayout::Bundle)
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::android::manifest::AndroidManifest;
use crate::archive::AppPackage;
use crate::input::{AndroidLayout, EntryRole};
use crate::scan::android::{ManifestFiles, ManifestInput};
use crate::Error;
use std::path::Path;

/// The merged manifest of an app and, per requested permission, declared component and
/// meta-data, the manifest file inside the input that first declares it
/// (`AndroidManifest.xml`, `split_x.apk!AndroidManifest.xml`,
/// `base/manifest/AndroidManifest.xml`): the file evidence names.
pub(super) struct AppManifest {
    pub manifest: AndroidManifest,
    pub files: ManifestFiles,
}

impl AppManifest {
    /// The manifest file that requests `permission` (the base's when no part names it).
    pub fn file_of(&self, permission: &str) -> &str {
        self.files.permission(permission)
    }

    /// The manifest and its files, as the scanner takes them.
    pub fn input(&self) -> ManifestInput<'_> {
        ManifestInput {
            manifest: &self.manifest,
            files: &self.files,
        }
    }
}

/// The app's manifest: the base part's (the first split, or the bundle's `base` module) with
/// the other parts merged in; `None` when no part has one.
pub(super) fn read_manifest(
    path: &Path,
    package: &AppPackage,
    layout: AndroidLayout,
) -> Result<Option<AppManifest>, Error> {
    // (name in errors, file inside the input, manifest)
    let mut parts: Vec<(String, String, AndroidManifest)> = Vec::new();
    for split in &package.splits {
        let mut entries: Vec<_> = split
            .archive
            .entries()
            .iter()
            .filter(|e| layout.role(&e.name) == EntryRole::Manifest)
            .collect();
        // The base module first; the sort is stable.
        entries.sort_by_key(|e| layout.module(&e.name) != Some("base"));
        for entry in entries {
            let shown = part_name(&split.name, layout, &entry.name);
            let bytes = split
                .archive
                .read(entry)
                .map_err(|e| Error::archive(path, e))?;
            let parsed = match layout {
                AndroidLayout::Apk => AndroidManifest::parse(&bytes),
                AndroidLayout::Bundle => AndroidManifest::parse_proto(&bytes),
            }
            .map_err(|e| Error::input(path, prefixed(&shown, e)))?;
            parts.push((shown, file_in_input(&split.name, &entry.name), parsed));
        }
    }
    let mut files = ManifestFiles::new(parts.first().map_or("", |(_, file, _)| file.as_str()));
    for (_, file, part) in &parts {
        for up in &part.uses_permissions {
            files.permission_in(&up.name, file);
        }
        for c in &part.components {
            files.component_in(&c.name, file);
        }
        for md in &part.meta_data {
            files.meta_data_in(&md.name, file);
        }
    }
    let mut parts = parts.into_iter();
    let Some((base_name, _, mut base)) = parts.next() else {
        return Ok(None);
    };
    for (name, _, part) in parts {
        if part.package != base.package {
            return Err(Error::input(
                path,
                format!(
                    "parts of two apps: {} is {}, {} is {}",
                    shown_or_base(&base_name),
                    base.package,
                    shown_or_base(&name),
                    part.package
                ),
            ));
        }
        base.merge_module(&part);
    }
    Ok(Some(AppManifest {
        manifest: base,
        files,
    }))
}

/// A manifest entry as evidence names it: the entry itself (`base/manifest/AndroidManifest.xml`
/// in a bundle, `AndroidManifest.xml` in an APK), prefixed with `split!` inside a split.
fn file_in_input(split: &str, entry: &str) -> String {
    if split.is_empty() {
        entry.to_string()
    } else {
        format!("{split}!{entry}")
    }
}

/// How a part is named in errors: the split's name, the bundle module's manifest path, or
/// `""` for a plain APK.
fn part_name(split: &str, layout: AndroidLayout, entry: &str) -> String {
    match (layout, split.is_empty()) {
        (AndroidLayout::Bundle, _) => entry
            .rsplit_once('/')
            .map_or(entry, |(folder, _)| folder)
            .to_string(),
        (AndroidLayout::Apk, true) => String::new(),
        (AndroidLayout::Apk, false) => split.to_string(),
    }
}

fn shown_or_base(name: &str) -> &str {
    if name.is_empty() {
        "the base"
    } else {
        name
    }
}

fn prefixed(part: &str, e: impl std::fmt::Display) -> String {
    if part.is_empty() {
        e.to_string()
    } else {
        format!("{part}: {e}")
    }
}
