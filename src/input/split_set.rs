//! Which APK files in a folder are one app: a base APK and the split APKs of the same package.
//! A split is told by its manifest, not its file name: the root `<manifest>` of a split APK
//! carries a `split="config.arm64_v8a"` attribute and the base's `package`, so a device pull
//! (`com.x-1.apk`, `split_config.arm64_v8a.apk`) groups as well as `base.apk split_*.apk`,
//! two apps in one folder stay two apps, and a vendor's demo APK beside its jars and docs is
//! one APK, not a split set. Only the manifest is inflated (a few KB per file).
//!
//! ```
//! use disclose::input::{group_apks, ApkIdentity};
//! use std::path::PathBuf;
//! let id = |package: &str, split: Option<&str>| {
//!     Some(ApkIdentity { package: package.into(), split: split.map(Into::into) })
//! };
//! let groups = group_apks(vec![
//!     (PathBuf::from("com.x-1.apk"), id("com.x", None)),
//!     (PathBuf::from("split_config.en.apk"), id("com.x", Some("config.en"))),
//!     (PathBuf::from("other.apk"), id("com.y", None)),
//! ]);
//! assert_eq!(groups.len(), 2);
//! assert_eq!(groups[0].splits, [PathBuf::from("split_config.en.apk")]);
//! assert!(groups[1].splits.is_empty());
//! ```

use crate::android::axml::{XmlAttribute, XmlDocument};
use crate::archive::{Archive, Limits};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What an APK's manifest says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApkIdentity {
    /// The `package` of the root `<manifest>` element.
    pub package: String,
    /// The `split` attribute: `Some` for a split APK (`config.arm64_v8a`, a feature's name).
    pub split: Option<String>,
}

/// One app among the files: a base (or a lone file) and the splits that join it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApkGroup {
    pub base: PathBuf,
    /// In name order; empty for a lone file.
    pub splits: Vec<PathBuf>,
}

/// The package and split name of the APK at `path`; `None` when it is no zip or holds no
/// readable binary `AndroidManifest.xml` (such a file is then an input of its own, whose
/// reading reports the problem).
pub fn apk_identity(path: &Path) -> Option<ApkIdentity> {
    let archive = Archive::open(path, Limits::default()).ok()?;
    let entry = archive.entry("AndroidManifest.xml")?;
    let bytes = archive.read(entry).ok()?;
    let doc = XmlDocument::parse(&bytes).ok()?;
    let root = doc.root().filter(|r| &*r.name == "manifest")?;
    let attr = |name: &str| root.plain_attr(name).map(XmlAttribute::string_value);
    Some(ApkIdentity {
        package: attr("package").filter(|p| !p.is_empty())?,
        split: attr("split").filter(|s| !s.is_empty()),
    })
}

/// [`apk_identity`] of every file (in parallel), then [`group_apks`].
pub fn group_apk_files(paths: Vec<PathBuf>) -> Vec<ApkGroup> {
    let identified: Vec<(PathBuf, Option<ApkIdentity>)> = paths
        .into_par_iter()
        .map(|p| {
            let id = apk_identity(&p);
            (p, id)
        })
        .collect();
    group_apks(identified)
}

/// Every file in exactly one group, groups in the order of their base. A split joins the one
/// base (an APK without `split`) of its package; a split whose package has no base, or several,
/// stays a group of its own, as does every file without an identity.
pub fn group_apks(files: Vec<(PathBuf, Option<ApkIdentity>)>) -> Vec<ApkGroup> {
    let mut bases_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (_, id)) in files.iter().enumerate() {
        if let Some(ApkIdentity {
            package,
            split: None,
        }) = id
        {
            bases_of.entry(package.as_str()).or_default().push(i);
        }
    }
    // For each file: the index of the base it joins, if any.
    let joins: Vec<Option<usize>> = files
        .iter()
        .map(|(_, id)| match id {
            Some(ApkIdentity {
                package,
                split: Some(_),
            }) => match bases_of.get(package.as_str()).map(Vec::as_slice) {
                Some([only]) => Some(*only),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let mut groups: Vec<Option<ApkGroup>> = files
        .iter()
        .zip(&joins)
        .map(|((path, _), join)| {
            join.is_none().then(|| ApkGroup {
                base: path.clone(),
                splits: Vec::new(),
            })
        })
        .collect();
    for ((path, _), join) in files.iter().zip(&joins) {
        if let Some(group) = join.and_then(|base| groups[base].as_mut()) {
            group.splits.push(path.clone());
        }
    }
    let mut groups: Vec<ApkGroup> = groups.into_iter().flatten().collect();
    for g in &mut groups {
        g.splits.sort();
    }
    groups
}

/// What the `.apk` files directly in a folder are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FolderApks {
    /// One app: its base first, then its splits (or the folder's only file, an APK).
    OneApp(Vec<PathBuf>),
    /// The bases of several apps that each have splits here.
    SeveralApps(Vec<PathBuf>),
    /// No split set: no split joins a base, and the folder holds more than one lone APK.
    NotASplitSet,
}

/// Whether the folder `dir` is one app as split APKs. `apks` are its `.apk` files
/// ([`crate::archive::apk_files_in`]), `other_files` how many other files it holds.
pub fn split_set_in(apks: Vec<PathBuf>, other_files: usize) -> FolderApks {
    if apks.len() == 1 && other_files == 0 {
        return FolderApks::OneApp(apks);
    }
    let mut with_splits: Vec<ApkGroup> = group_apk_files(apks)
        .into_iter()
        .filter(|g| !g.splits.is_empty())
        .collect();
    match with_splits.len() {
        0 => FolderApks::NotASplitSet,
        1 => {
            let g = with_splits.remove(0);
            FolderApks::OneApp(std::iter::once(g.base).chain(g.splits).collect())
        }
        _ => FolderApks::SeveralApps(with_splits.into_iter().map(|g| g.base).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(package: &str, split: Option<&str>) -> Option<ApkIdentity> {
        Some(ApkIdentity {
            package: package.into(),
            split: split.map(Into::into),
        })
    }

    fn names(groups: &[ApkGroup]) -> Vec<(String, Vec<String>)> {
        let s = |p: &PathBuf| p.display().to_string();
        groups
            .iter()
            .map(|g| (s(&g.base), g.splits.iter().map(s).collect()))
            .collect()
    }

    #[test]
    fn splits_join_the_base_of_their_package_whatever_their_names() {
        let groups = group_apks(vec![
            ("z-split.apk".into(), id("com.a", Some("config.en"))),
            ("com.b-2.apk".into(), id("com.b", None)),
            ("com.a-1.apk".into(), id("com.a", None)),
            ("b_split.apk".into(), id("com.b", Some("feature"))),
            ("a_split.apk".into(), id("com.a", Some("config.x86"))),
            ("notes.apk".into(), None),
        ]);
        assert_eq!(
            names(&groups),
            [
                ("com.b-2.apk".to_string(), vec!["b_split.apk".to_string()]),
                (
                    "com.a-1.apk".to_string(),
                    vec!["a_split.apk".to_string(), "z-split.apk".to_string()]
                ),
                ("notes.apk".to_string(), vec![]),
            ]
        );
    }

    #[test]
    fn splits_without_one_base_stay_alone() {
        let groups = group_apks(vec![
            ("s.apk".into(), id("com.a", Some("config.en"))),
            ("v1.apk".into(), id("com.b", None)),
            ("v2.apk".into(), id("com.b", None)),
            ("t.apk".into(), id("com.b", Some("config.en"))),
        ]);
        assert_eq!(groups.len(), 4);
        assert!(groups.iter().all(|g| g.splits.is_empty()));
    }
}
