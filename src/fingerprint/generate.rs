//! Builds an SDK's fingerprint from its real binaries (`.jar`, `.aar` with its `classes.jar`
//! and `libs/*.jar`, or `.dex`): the features of every class, then the most distinctive classes
//! within a size budget, so a file stays small and reviewable.
//!
//! Vendor binaries bundle other SDKs (Alipay's AAR carries UTDID, WeChat's jar a copy of MTA):
//! [`own_classes`] keeps, of a binary, the classes that package-name signatures give to the SDK
//! or to nobody, and of a binary the SDK is only bundled in, the classes named for the SDK.
//!
//! ```no_run
//! use disclose::fingerprint::generate::{classes_of_file, select};
//! let classes = classes_of_file(std::path::Path::new("bugly_crash_release.jar"))?;
//! let fp = select(classes, "tencent-bugly", "2017-06", "npm cordova-plugin-bugly-sdk@0.0.1");
//! println!("{} of {} classes kept", fp.classes.len(), fp.classes_total);
//! # Ok::<(), disclose::Error>(())
//! ```

use super::features::{dex_class_features, jvm_class_features, ClassFeatures};
use super::file::Fingerprint;
use crate::android::classfile::parse_class;
use crate::android::dex::DexFile;
use crate::archive::{Archive, Limits};
use crate::Error;
use std::collections::HashSet;
use std::path::Path;

/// Most bytes the class blocks of one fingerprint file may take.
pub const BYTE_BUDGET: usize = 45_000;
/// A class needs this much feature weight to be kept: smaller ones are too generic to tell
/// one SDK from another.
pub const MIN_CLASS_WEIGHT: u32 = 6;
/// … and at least this many features.
pub const MIN_CLASS_FEATURES: usize = 3;

/// The features of every class of one SDK binary.
pub fn classes_of_file(path: &Path) -> Result<Vec<ClassFeatures>, Error> {
    let name = path.to_string_lossy();
    if name.ends_with(".dex") {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let dex = DexFile::parse(bytes).map_err(|e| Error::input(path, e))?;
        let index = dex.code_index().map_err(|e| Error::input(path, e))?;
        return index
            .classes
            .iter()
            .map(|c| dex_class_features(&dex, c).map_err(|e| Error::input(path, e)))
            .collect();
    }
    let archive = Archive::open(path, Limits::default()).map_err(|e| Error::archive(path, e))?;
    let mut out = Vec::new();
    jar_classes(path, &archive, 0, &mut out)?;
    if out.is_empty() {
        return Err(Error::not_an_app(
            path,
            "no class files (expected a .jar, an .aar or a .dex)",
        ));
    }
    Ok(out)
}

/// Classes of a jar and of the jars nested in it (an AAR's `classes.jar`, `libs/*.jar`).
fn jar_classes(
    path: &Path,
    archive: &Archive,
    depth: u32,
    out: &mut Vec<ClassFeatures>,
) -> Result<(), Error> {
    for entry in archive.entries() {
        if entry.name.ends_with(".class") {
            let bytes = archive.read(entry).map_err(|e| Error::archive(path, e))?;
            let class = parse_class(&bytes)
                .map_err(|e| Error::input(path, format!("{}: {e}", entry.name)))?;
            out.push(jvm_class_features(&class));
        } else if entry.name.ends_with(".jar") && depth < 2 {
            let inner = archive
                .open_nested(entry)
                .map_err(|e| Error::archive(path, e))?;
            jar_classes(path, &inner, depth + 1, out)?;
        }
    }
    Ok(())
}

/// The classes of a binary that belong to `sdk`, by the SDK that package-name signatures give
/// each class name to (`named`): with `bundled` false (the SDK's own binary), every class not
/// named for another SDK; with `bundled` true (a binary the SDK ships inside), only the classes
/// named for `sdk`.
pub fn own_classes(
    classes: Vec<ClassFeatures>,
    sdk: &str,
    bundled: bool,
    named: impl Fn(&str) -> Option<String>,
) -> Vec<ClassFeatures> {
    classes
        .into_iter()
        .filter(|c| match named(&c.name) {
            Some(owner) => owner == sdk,
            None => !bundled,
        })
        .collect()
}

/// Bytes a class takes in the rendered file (name, keys, 9 per hash).
fn rendered_size(c: &ClassFeatures) -> usize {
    c.name.len() + 48 + 9 * c.len()
}

/// The fingerprint of `sdk` from its classes: the classes with enough features, most distinctive
/// first (strong features, then weight), distinct feature sets only, within [`BYTE_BUDGET`].
pub fn select(classes: Vec<ClassFeatures>, sdk: &str, version: &str, source: &str) -> Fingerprint {
    let classes_total = classes.len();
    let mut candidates: Vec<ClassFeatures> = classes
        .into_iter()
        .filter(|c| c.weight() >= MIN_CLASS_WEIGHT && c.len() >= MIN_CLASS_FEATURES)
        .collect();
    candidates.sort_by(|a, b| {
        (b.strong.len(), b.weight(), &a.name).cmp(&(a.strong.len(), a.weight(), &b.name))
    });
    let mut seen: HashSet<(Vec<u32>, Vec<u32>)> = HashSet::new();
    let mut used = 0;
    let mut kept = Vec::new();
    for c in candidates {
        let size = rendered_size(&c);
        if used + size > BYTE_BUDGET {
            continue;
        }
        if !seen.insert((c.strong.clone(), c.weak.clone())) {
            continue;
        }
        used += size;
        kept.push(c);
    }
    kept.sort_by(|a, b| a.name.cmp(&b.name));
    kept.dedup_by(|a, b| a.name == b.name);
    Fingerprint {
        sdk: sdk.to_string(),
        version: version.to_string(),
        source: source.to_string(),
        classes_total,
        classes: kept,
    }
}
