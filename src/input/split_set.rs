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
/// reading reports the problem). Only the manifest's head is inflated and parsed: its string
/// pool and root element ([`manifest_root`]), not the rest of a manifest that in a store app
/// runs to hundreds of KB; and the central directory is read only up to the manifest's record
/// ([`Archive::open_for_entry`]) — a batch sniffs every APK of a folder this way before any
/// is read.
pub fn apk_identity(path: &Path) -> Option<ApkIdentity> {
    let archive = Archive::open_for_entry(path, Limits::default(), MANIFEST).ok()?;
    let entry = archive.entry(MANIFEST)?;
    let mut want = ROOT_PREFIX;
    let root = loop {
        let bytes = archive.read_prefix(entry, want).ok()?;
        match manifest_root(&bytes) {
            RootPrefix::Root(doc) => break doc,
            RootPrefix::NeedMore(n) if n > want && bytes.len() >= want => want = n,
            _ => return None,
        }
    };
    identity_of(&root)
}

/// The binary manifest of an APK.
const MANIFEST: &str = "AndroidManifest.xml";

/// How many inflated bytes of a manifest are read first (most roots end well inside).
const ROOT_PREFIX: usize = 16 << 10;
/// The most inflated bytes read to reach the root element.
const MAX_ROOT_PREFIX: usize = 8 << 20;

/// What the head of a binary manifest gives.
enum RootPrefix {
    /// The document up to and including the root element.
    Root(XmlDocument),
    /// The root element ends past the bytes given: this many are needed.
    NeedMore(usize),
    /// Not a binary XML document with a root element.
    Bad,
}

/// The head of binary XML `bytes` up to the end of its first start element, parsed as a
/// document of its own (the chunks before the root — string pool, resource map, namespace —
/// and the root's start element).
fn manifest_root(bytes: &[u8]) -> RootPrefix {
    let u16_at = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let (Some(0x0003), Some(header), Some(total)) = (u16_at(0), u16_at(2), u32_at(4)) else {
        return RootPrefix::Bad;
    };
    let mut pos = header;
    while pos < total {
        let (Some(kind), Some(size)) = (u16_at(pos), u32_at(pos + 4)) else {
            return more(pos + 8, total);
        };
        if size < 8 {
            return RootPrefix::Bad;
        }
        let end = pos.saturating_add(size);
        if end > bytes.len() {
            return more(end, total);
        }
        if kind == 0x0102 {
            let mut head = bytes[..end].to_vec();
            // The document now ends with the root's start element.
            let len = u32::try_from(end).unwrap_or(u32::MAX).to_le_bytes();
            head[4..8].copy_from_slice(&len);
            return XmlDocument::parse(&head).map_or(RootPrefix::Bad, RootPrefix::Root);
        }
        pos = end;
    }
    RootPrefix::Bad
}

/// Asks for `need` bytes when the document can hold them and the cap allows.
fn more(need: usize, total: usize) -> RootPrefix {
    if need <= total && need <= MAX_ROOT_PREFIX {
        RootPrefix::NeedMore(
            need.max(ROOT_PREFIX)
                .next_power_of_two()
                .min(MAX_ROOT_PREFIX),
        )
    } else {
        RootPrefix::Bad
    }
}

/// Package and split of a manifest document's root `<manifest>`.
fn identity_of(doc: &XmlDocument) -> Option<ApkIdentity> {
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

    /// The demo's manifest cut after its root element, with garbage in place of the rest:
    /// the identity reads only the head, so it still comes out.
    #[test]
    fn the_identity_needs_only_the_manifest_head() {
        let apk = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/demo.apk")).unwrap();
        let archive = Archive::from_bytes("demo.apk", apk, Limits::default()).unwrap();
        let manifest = archive
            .read(archive.entry("AndroidManifest.xml").unwrap())
            .unwrap();
        let RootPrefix::Root(doc) = manifest_root(&manifest) else {
            panic!("the demo's root element");
        };
        let want = identity_of(&doc).unwrap();
        assert_eq!(want.package, "com.example.disclosedemo");
        assert_eq!(want.split, None);
        // Where the root's start element ends: the first 0x0102 chunk.
        let mut pos = usize::from(u16::from_le_bytes([manifest[2], manifest[3]]));
        let root_end = loop {
            let kind = u16::from_le_bytes([manifest[pos], manifest[pos + 1]]);
            let size = u32::from_le_bytes(manifest[pos + 4..pos + 8].try_into().unwrap()) as usize;
            if kind == 0x0102 {
                break pos + size;
            }
            pos += size;
        };
        assert!(root_end < manifest.len());
        let mut broken = manifest[..root_end].to_vec();
        broken.resize(manifest.len(), 0xee);
        assert!(
            XmlDocument::parse(&broken).is_err(),
            "the whole document no longer parses"
        );
        let RootPrefix::Root(doc) = manifest_root(&broken) else {
            panic!("the head still parses");
        };
        assert_eq!(identity_of(&doc), Some(want));
        // Too short for the root: more is asked for, within the document's size.
        assert!(matches!(
            manifest_root(&manifest[..root_end - 1]),
            RootPrefix::NeedMore(n) if n >= root_end
        ));
        assert!(matches!(manifest_root(b"PK\x03\x04"), RootPrefix::Bad));
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
