//! One app as a set of splits: a plain zip (APK, IPA, JAR, AAR) is one split; an `.xapk`,
//! `.apks` or `.apkm` bundle (a zip of split APKs plus a manifest), or a zip holding nothing
//! but APKs, is opened split by split, each split read in place when stored and inflated
//! within the limits when deflated. Bundles are recognised by content, not by file extension.
//! Split APKs pulled from a device as separate files (`base.apk split_config.*.apk …`, or a
//! folder of them) are one app too: [`open_split_files`], [`apk_files_in`].
//!
//! ```no_run
//! use disclose::archive::{open_package, Limits};
//! let app = open_package(std::path::Path::new("app.xapk"), Limits::default())?;
//! for split in &app.splits {
//!     println!("{}: {} entries", split.name, split.archive.entries().len());
//! }
//! # Ok::<(), disclose::archive::ArchiveError>(())
//! ```

use super::{Archive, ArchiveError, Entry, Limits};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// What kind of container an app came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageKind {
    /// One zip: an APK, IPA, JAR or AAR.
    Plain,
    /// An `.xapk` (APKPure): split APKs at the top level plus `manifest.json`.
    Xapk,
    /// An `.apks` (bundletool): `toc.pb` plus `splits/*.apk` (or `standalones/*.apk`).
    Apks,
    /// An `.apkm` (APKMirror): split APKs plus `info.json`.
    Apkm,
    /// A zip of split APKs and nothing else (no `toc.pb`, `manifest.json` or `info.json`).
    SplitZip,
    /// Split APKs as separate files (named on the command line, or a folder of them).
    SplitFiles,
}

/// A whole app: one archive, or the splits of a bundle.
#[derive(Debug)]
pub struct AppPackage {
    /// The splits, base first, then the rest in central-directory order.
    pub splits: Vec<Split>,
    /// The container kind.
    pub kind: PackageKind,
    /// The bundle's manifest (`manifest.json`, `toc.pb` or `info.json`) and its raw bytes, at
    /// most 1 MiB; `None` for a plain archive.
    pub manifest: Option<(String, Vec<u8>)>,
}

/// One APK of an app.
#[derive(Debug)]
pub struct Split {
    /// Entry name inside the bundle (`base.apk`, `split_config.arm64_v8a.apk`,
    /// `splits/base-master.apk`); `""` for a plain archive.
    pub name: String,
    /// The split's own archive.
    pub archive: Archive,
}

const MAX_MANIFEST: usize = 1 << 20;

/// Open the app at `path`: a plain zip becomes one split, a bundle its split APKs.
pub fn open_package(path: &Path, limits: Limits) -> Result<AppPackage, ArchiveError> {
    package_from(Archive::open(path, limits)?)
}

/// [`open_package`] for an app held in memory.
pub fn open_package_bytes(
    name: impl Into<String>,
    bytes: Vec<u8>,
    limits: Limits,
) -> Result<AppPackage, ArchiveError> {
    package_from(Archive::from_bytes(name, bytes, limits)?)
}

fn package_from(outer: Archive) -> Result<AppPackage, ArchiveError> {
    let Some((kind, manifest_name)) = bundle_kind(&outer) else {
        return Ok(AppPackage {
            splits: vec![Split {
                name: String::new(),
                archive: outer,
            }],
            kind: PackageKind::Plain,
            manifest: None,
        });
    };
    let manifest = match outer
        .entry(manifest_name)
        .filter(|_| !manifest_name.is_empty())
    {
        Some(e) => Some((
            manifest_name.to_owned(),
            outer.read_prefix(e, MAX_MANIFEST)?,
        )),
        None => None,
    };
    let mut members: Vec<&Entry> = split_entries(&outer, kind);
    // Base first; the sort is stable, so the rest keep central-directory order.
    members.sort_by_key(|e| !is_base(&e.name));
    let mut splits = Vec::with_capacity(members.len());
    for entry in members {
        let archive = outer.open_nested(entry).map_err(|e| ArchiveError::Split {
            split: entry.name.clone(),
            source: Box::new(e),
        })?;
        splits.push(Split {
            name: entry.name.clone(),
            archive,
        });
    }
    Ok(AppPackage {
        splits,
        kind,
        manifest,
    })
}

/// A bundle holds `*.apk` entries and a bundle manifest, and is not itself an APK. A zip with
/// no bundle manifest whose files are all APKs (`META-INF/` aside) is a bundle too.
fn bundle_kind(outer: &Archive) -> Option<(PackageKind, &'static str)> {
    if outer.entry("AndroidManifest.xml").is_some() {
        return None;
    }
    if !outer.entries().iter().any(|e| is_apk(&e.name)) {
        return None;
    }
    let known = [
        (PackageKind::Apks, "toc.pb"),
        (PackageKind::Xapk, "manifest.json"),
        (PackageKind::Apkm, "info.json"),
    ]
    .into_iter()
    .find(|(_, manifest)| outer.entry(manifest).is_some());
    let only_apks = || {
        outer
            .entries()
            .iter()
            .all(|e| e.is_dir() || is_apk(&e.name) || e.name.starts_with("META-INF/"))
    };
    known.or_else(|| only_apks().then_some((PackageKind::SplitZip, "")))
}

/// Open split APKs given as separate files as one app. The base is the file named
/// `base.apk` (or `base-master.apk`, `universal.apk`), else the first file given; each split
/// is named by its file name. Errors name the file.
pub fn open_split_files(paths: &[PathBuf], limits: Limits) -> Result<AppPackage, ArchiveError> {
    let mut splits = Vec::with_capacity(paths.len());
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let archive = Archive::open(path, limits).map_err(|e| ArchiveError::Split {
            split: path.display().to_string(),
            source: Box::new(e),
        })?;
        splits.push(Split { name, archive });
    }
    splits.sort_by_key(|s| !is_base(&s.name));
    Ok(AppPackage {
        splits,
        kind: PackageKind::SplitFiles,
        manifest: None,
    })
}

/// The `*.apk` files directly in `dir`, in name order (none: not a folder of splits), and how
/// many other files it holds (folders not counted).
pub fn apk_files_in(dir: &Path) -> std::io::Result<(Vec<PathBuf>, usize)> {
    let mut files = Vec::new();
    let mut others = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let is_apk_name = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("apk"));
        if !path.is_file() {
            continue;
        }
        if is_apk_name {
            files.push(path);
        } else {
            others += 1;
        }
    }
    files.sort();
    Ok((files, others))
}

/// SHA-256 standing for a set of split files: the SHA-256 of `sha256sum`-style lines
/// (`<hex>  <split name>\n`), one per split in the given order.
pub fn sha256_of_split_files(paths: &[PathBuf]) -> std::io::Result<String> {
    let mut lines = String::new();
    for path in paths {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        lines.push_str(&sha256_file(path)?);
        lines.push_str("  ");
        lines.push_str(&name.unwrap_or_default());
        lines.push('\n');
    }
    Ok(sha256_bytes(lines.as_bytes()))
}

fn is_apk(name: &str) -> bool {
    name.len() > 4 && name.ends_with(".apk") && !name.ends_with("/.apk")
}

/// The split APKs of a bundle. An `.apks` may hold both `splits/` (for devices with split
/// support) and `standalones/` (one full APK per device config): the splits are one app, the
/// standalones alternatives of it, so the splits win when present.
fn split_entries(outer: &Archive, kind: PackageKind) -> Vec<&Entry> {
    let apks = || outer.entries().iter().filter(|e| is_apk(&e.name));
    if kind == PackageKind::Apks && apks().any(|e| e.name.starts_with("splits/")) {
        return apks().filter(|e| e.name.starts_with("splits/")).collect();
    }
    apks().collect()
}

fn is_base(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    file == "base.apk" || file == "base-master.apk" || file == "universal.apk"
}

/// SHA-256 of the file at `path`, as lower-case hex, read in 1 MiB blocks.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// SHA-256 of bytes already in memory, as lower-case hex (no second read of the file).
pub fn sha256_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// SHA-256 of chunks that arrive in order (e.g. from a reader on another thread).
pub fn sha256_chunks(chunks: impl IntoIterator<Item = std::sync::Arc<Vec<u8>>>) -> String {
    let mut hasher = Sha256::new();
    for chunk in chunks {
        hasher.update(chunk.as_slice());
    }
    hex(&hasher.finalize())
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
