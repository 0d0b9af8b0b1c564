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
use super::index::FingerprintIndex;
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

/// `classes` less those that look like a class of `others` (other SDKs' binaries: a vendor's
/// SDKs share code, JAnalytics and JShare carry parts of JCore): a class that would match
/// another SDK's code the way an app class matches a fingerprint is not this SDK's mark.
pub fn unlike_others(
    classes: Vec<ClassFeatures>,
    others: Vec<ClassFeatures>,
) -> Vec<ClassFeatures> {
    if others.is_empty() {
        return classes;
    }
    let index = FingerprintIndex::new(vec![Fingerprint {
        sdk: "others".into(),
        version: String::new(),
        source: String::new(),
        classes_total: others.len(),
        classes: others,
    }]);
    classes
        .into_iter()
        .filter(|c| index.match_class_same_release(c).is_none())
        .collect()
}

/// Splits `classes` into the SDK's and those a named library owns by package name (`library`
/// says whether a class name is a library's: Thrift's `org.apache.thrift` inside MiPush's jar).
/// Library code is nobody's mark: a fingerprint holding it claims every app that ships the
/// library, once renamed.
pub fn split_library_named(
    classes: Vec<ClassFeatures>,
    library: impl Fn(&str) -> bool,
) -> (Vec<ClassFeatures>, Vec<ClassFeatures>) {
    classes.into_iter().partition(|c| !library(&c.name))
}

/// `classes` less those that look like a class of a named open-source library (`library`: the
/// classes of library binaries such as gson or Thrift, and the library-named classes of the SDK
/// binaries at hand). Vendors repackage libraries under their own names (Tapjoy's gson under
/// `com.tapjoy.internal`, Umeng's Thrift under `com.umeng.commonsdk`): such a copy is found by
/// similarity, with the tolerance for another release ([`FingerprintIndex::match_class`]), as
/// the copy is rarely the reference binary's version.
pub fn unlike_libraries(
    classes: Vec<ClassFeatures>,
    library: &[ClassFeatures],
) -> Vec<ClassFeatures> {
    if library.is_empty() {
        return classes;
    }
    let index = FingerprintIndex::new(vec![Fingerprint {
        sdk: "libraries".into(),
        version: String::new(),
        source: String::new(),
        classes_total: library.len(),
        classes: library.to_vec(),
    }]);
    classes
        .into_iter()
        .filter(|c| index.match_class(c).is_none())
        .collect()
}

/// Bytes a class takes in the rendered file (name, keys, 9 per hash).
fn rendered_size(c: &ClassFeatures) -> usize {
    c.name.len() + 48 + 9 * c.len()
}

/// The fingerprint of `sdk` from its classes: the classes with enough features, most distinctive
/// first (strong features, then weight), distinct feature sets only, within [`BYTE_BUDGET`].
pub fn select(classes: Vec<ClassFeatures>, sdk: &str, version: &str, source: &str) -> Fingerprint {
    select_versions(vec![(String::new(), classes)], sdk, version, source)
}

/// The fingerprint of `sdk` from the classes of several versions of its binaries, each labelled
/// (`"2.3.8"`; the first version's label is not used). A feature is *stable* when at least two
/// versions have it: classes with more stable strong features come first, so the budget goes to
/// code that stays alike from one version to the next (and so to versions not seen). A class
/// name an earlier version already gave is written `name@label`.
pub fn select_versions(
    versions: Vec<(String, Vec<ClassFeatures>)>,
    sdk: &str,
    version: &str,
    source: &str,
) -> Fingerprint {
    let stable = stable_features(&versions);
    let classes_total = versions.first().map_or(0, |(_, classes)| classes.len());
    let mut names: HashSet<String> = HashSet::new();
    let mut candidates: Vec<(usize, ClassFeatures)> = Vec::new();
    for (n, (label, classes)) in versions.into_iter().enumerate() {
        for mut c in classes {
            if c.weight() < MIN_CLASS_WEIGHT || c.len() < MIN_CLASS_FEATURES {
                continue;
            }
            if n > 0 && names.contains(&c.name) {
                c.name = format!("{}@{label}", c.name);
            }
            names.insert(c.name.clone());
            let stable_strong = c.strong.iter().filter(|h| stable.contains(h)).count();
            candidates.push((stable_strong, c));
        }
    }
    candidates.sort_by(|(sa, a), (sb, b)| {
        (sb, b.strong.len(), b.weight(), &a.name).cmp(&(sa, a.strong.len(), a.weight(), &b.name))
    });
    let mut seen: HashSet<(Vec<u32>, Vec<u32>)> = HashSet::new();
    let mut used = 0;
    let mut kept = Vec::new();
    for (_, c) in candidates {
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
        sdk: sdk.into(),
        version: version.to_string(),
        source: source.to_string(),
        classes_total,
        classes: kept,
    }
}

/// Features that at least two of `versions` have (none when there is one version).
fn stable_features(versions: &[(String, Vec<ClassFeatures>)]) -> HashSet<u32> {
    let mut versions_of: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    for (_, classes) in versions {
        let mut in_version: HashSet<u32> = HashSet::new();
        for c in classes {
            in_version.extend(c.strong.iter().chain(&c.weak).copied());
        }
        for h in in_version {
            *versions_of.entry(h).or_default() += 1;
        }
    }
    versions_of
        .into_iter()
        .filter(|&(_, n)| n >= 2)
        .map(|(h, _)| h)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(name: &str, strong: &[u32], weak: &[u32]) -> ClassFeatures {
        ClassFeatures {
            name: name.into(),
            strong: strong.to_vec(),
            weak: weak.to_vec(),
        }
    }

    #[test]
    fn classes_like_another_sdks_are_left_out() {
        let own = vec![
            class("x.shared", &[1, 2], &[10, 11]),
            class("x.own", &[5, 6], &[12]),
        ];
        let others = vec![class("y.copy", &[1, 2], &[10, 11, 13])];
        let kept = unlike_others(own, others);
        let names: Vec<&str> = kept.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["x.own"]);
    }

    #[test]
    fn library_code_by_name_or_by_likeness_is_left_out() {
        let classes = vec![
            class("org.apache.thrift.TBase", &[1, 2], &[10]),
            class("com.vendor.internal.a", &[3, 4, 5], &[11, 12]),
            class("com.vendor.Sdk", &[6, 7], &[13]),
        ];
        let (own, library) = split_library_named(classes, |n| n.starts_with("org.apache.thrift."));
        assert_eq!(library.len(), 1);
        // A renamed copy of gson's `JsonReader` inside the vendor's package.
        let gson = vec![class(
            "com.google.gson.stream.JsonReader",
            &[3, 4, 5],
            &[11, 12, 14],
        )];
        let kept = unlike_libraries(own, &[library, gson].concat());
        let names: Vec<&str> = kept.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["com.vendor.Sdk"]);
    }

    #[test]
    fn classes_alike_across_versions_come_first_and_names_stay_distinct() {
        // Version 1: `a` changes in version 2, `b` keeps its strings.
        let v1 = vec![
            class("x.a", &[1, 2, 3], &[10]),
            class("x.b", &[4, 5], &[11, 12]),
        ];
        let v2 = vec![
            class("x.a", &[4, 5], &[11, 12, 13]),
            class("x.c", &[7, 8, 9], &[14]),
        ];
        let stable = stable_features(&[("1".into(), v1.clone()), ("2".into(), v2.clone())]);
        assert_eq!(stable, HashSet::from([4, 5, 11, 12]));
        let fp = select_versions(vec![("1".into(), v1), ("2".into(), v2)], "s", "1, 2", "src");
        let names: Vec<&str> = fp.classes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["x.a", "x.a@2", "x.b", "x.c"]);
        assert_eq!(fp.classes_total, 2);
    }
}
