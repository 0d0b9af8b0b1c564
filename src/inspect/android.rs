//! Assemble the inspect report of an Android package (APK, split APKs, App Bundle): manifest,
//! every DEX (in parallel, each dropped once scanned), native libraries, then the scanner.
//! Where each part lives is the package's [`AndroidLayout`].

use super::{empty_report, Analyzer};
use crate::android::dex::{DexError, DexFile};
use crate::android::elf::{parse_native_lib, NativeLib};
use crate::android::manifest::{AndroidManifest, UsesPermission};
use crate::archive::{AppPackage, Archive, Entry};
use crate::input::{AndroidLayout, BundleInfo, EntryRole};
use crate::model::{Evidence, InspectReport, Limit, LimitKind, Permission, Platform};
use crate::scan::android::{
    finish_merged, scan_dex_into, AndroidContext, DexMerge, DexScan, DexUnit,
};
use crate::scan::owners::AppNamespaces;
use crate::Error;
use rayon::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

/// Name of an entry as shown in evidence: `split.apk!entry` for a non-base split.
fn shown(split: &str, entry: &str) -> String {
    if split.is_empty() {
        entry.to_string()
    } else {
        format!("{split}!{entry}")
    }
}

/// One scanned DEX: its scan, its statistics and the methods it could not decode.
type DexOutcome = (DexScan, DexStats, Vec<Limit>);

struct DexStats {
    file: String,
    version: u32,
    classes: u32,
    methods: u32,
    strings: u32,
}

pub(super) fn inspect(
    analyzer: &Analyzer,
    path: &Path,
    package: &AppPackage,
    layout: AndroidLayout,
    file: String,
    sha256: String,
) -> Result<InspectReport, Error> {
    let mut report = empty_report(Platform::Android, file, sha256);
    let app_manifest = super::android_manifest::read_manifest(path, package, layout)?;
    let manifest = app_manifest.as_ref().map(|a| &a.manifest);

    let mut work: Vec<(&str, &Archive, &Entry)> = Vec::new();
    let mut libs: Vec<(&str, &Archive, &Entry)> = Vec::new();
    let mut entry_names = Vec::new();
    for split in &package.splits {
        for entry in split.archive.entries() {
            match layout.role(&entry.name) {
                EntryRole::Dex => work.push((&split.name, &split.archive, entry)),
                EntryRole::NativeLib => libs.push((&split.name, &split.archive, entry)),
                EntryRole::BundleMetadata => continue,
                EntryRole::Manifest | EntryRole::Other => {}
            }
            // Asset rules match the path an installed APK would have (`assets/…`).
            entry_names.push(layout.apk_path(&entry.name).to_string());
        }
    }

    let set = &analyzer.set;
    let m = &analyzer.matchers;
    let namespaces = app_namespaces(manifest, &analyzer.first_party, m);
    // One pool of inflated-entry buffers for the DEX files and then the native libraries: a
    // buffer freed by the allocator stays committed for a while, so a fresh one per entry
    // would hold the last second's entries in memory at once.
    let pool = BufferPool::default();
    let DexResults {
        merged,
        stats,
        mut limits,
    } = scan_dex_files(analyzer, &work, &namespaces, &pool);
    let NativeLibs {
        libs: native_libs,
        export_counts,
    } = read_native_libs(&libs, &pool, &mut limits);
    drop(pool);

    let ctx = AndroidContext {
        manifest: app_manifest.as_ref().map(|a| a.input()),
        native_libs: &native_libs,
        entry_names: &entry_names,
        namespaces: &namespaces,
    };
    let out = finish_merged(&ctx, merged, set, m);
    report.sdks = out.sdks;
    report.libraries = out.libraries;
    report.data = out.data;
    report.limits = out.limits;
    report.limits.extend(limits);

    if let Some(app_manifest) = &app_manifest {
        let mf = &app_manifest.manifest;
        report.app.id = Some(mf.package.clone());
        report.app.version = mf.version_name.clone();
        let identity = super::app_identity::android_identity(package, mf);
        report.app.name = identity.name;
        report.app.icon = identity.icon;
        report.limits.extend(identity.limits);
        report.permissions.extend(
            mf.uses_permissions
                .iter()
                .map(|up| manifest_permission(&m.permissions, up, app_manifest.file_of(&up.name))),
        );
    }
    let mut details = details(package, manifest, &stats, &native_libs, &export_counts);
    if let (AndroidLayout::Bundle, Some(outer), Some(map)) =
        (layout, package.splits.first(), details.as_object_mut())
    {
        map.insert("bundle".into(), json!(BundleInfo::of(&outer.archive)));
    }
    report.details = Some(details);
    Ok(report)
}

/// What the DEX files gave, merged in DEX order: the scans, each DEX's statistics, and the
/// limits of DEX files or methods that could not be read.
#[derive(Default)]
struct DexResults {
    merged: DexMerge,
    stats: Vec<DexStats>,
    limits: Vec<Limit>,
}

impl DexResults {
    fn add(&mut self, outcome: Result<DexOutcome, Limit>) {
        match outcome {
            Ok((scan, st, lim)) => {
                self.merged.add(scan);
                self.stats.push(st);
                self.limits.extend(lim);
            }
            Err(unreadable) => self.limits.push(unreadable),
        }
    }
}

/// DEX outcomes that finished before an earlier DEX, waiting for it.
#[derive(Default)]
struct InOrder {
    next: usize,
    waiting: BTreeMap<usize, Result<DexOutcome, Limit>>,
    results: DexResults,
}

/// Every DEX file parsed and scanned in parallel, each dropped once scanned and its results
/// merged as soon as the DEX files before it are (so the output does not depend on which
/// thread finished first). A DEX that cannot be inflated or parsed is an analysis limit
/// naming the entry, not a failure of the app. Inflated DEX bytes go into buffers taken from
/// `pool` and given back once the DEX is scanned, so a 60-DEX app makes as many large
/// buffers as DEX files are in flight (one per thread), not one per DEX for the allocator to
/// keep committed after each free.
fn scan_dex_files(
    analyzer: &Analyzer,
    work: &[(&str, &Archive, &Entry)],
    namespaces: &AppNamespaces,
    pool: &BufferPool,
) -> DexResults {
    // One DEX per thread: each is indexed on its own thread unless there are threads to spare.
    let index_in_parallel = work.len() < rayon::current_num_threads();
    let state = Mutex::new(InOrder::default());
    work.par_iter()
        .enumerate()
        .for_each(|(n, (split, archive, entry))| {
            let name = shown(split, &entry.name);
            let mut bytes = pool.take_for(archive, entry);
            let outcome = match archive.read_into(entry, &mut bytes) {
                Err(e) => {
                    pool.give_back(bytes);
                    Err(unreadable(&name, &e))
                }
                Ok(()) => DexFile::parse(bytes)
                    .map_err(|e| unreadable(&name, &e))
                    .map(|dex| {
                        let (outcome, bytes) =
                            scan_one_dex(analyzer, name, dex, namespaces, index_in_parallel);
                        if let Some(bytes) = bytes {
                            pool.give_back(bytes);
                        }
                        outcome
                    }),
            };
            let mut st = state
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            st.waiting.insert(n, outcome);
            loop {
                let next = st.next;
                let Some(ready) = st.waiting.remove(&next) else {
                    break;
                };
                st.results.add(ready);
                st.next += 1;
            }
        });
    let state = state
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    state.results
}

/// The limit for a DEX entry that cannot be inflated or parsed.
fn unreadable(name: &str, e: &dyn std::fmt::Display) -> Limit {
    let mut limit = Limit::new(
        LimitKind::Unreadable,
        format!("{name}: could not be read, its code was not analysed: {e}"),
    );
    limit.evidence.push(Evidence::in_file(name));
    limit
}

/// One limit for each of the first five methods of DEX file `name` whose code could not be
/// decoded (each was skipped; the scan goes on without it).
pub(super) fn undecodable_code_limits(name: &str, errors: &[DexError]) -> Vec<Limit> {
    errors
        .iter()
        .take(5)
        .map(|e| {
            Limit::new(
                LimitKind::Unreadable,
                format!("{name}: a method's code could not be decoded and was skipped: {e}"),
            )
        })
        .collect()
}

/// Index and scan one parsed DEX; its bytes come back for the next DEX.
fn scan_one_dex(
    analyzer: &Analyzer,
    name: String,
    dex: DexFile,
    namespaces: &AppNamespaces,
    index_in_parallel: bool,
) -> (DexOutcome, Option<Vec<u8>>) {
    let (code, errors) = if index_in_parallel {
        dex.code_index_lenient()
    } else {
        dex.code_index_lenient_sequential()
    };
    let limits = undecodable_code_limits(&name, &errors);
    let stats = DexStats {
        file: name.clone(),
        version: dex.version(),
        classes: dex.class_def_count(),
        methods: dex.method_count(),
        strings: dex.string_count(),
    };
    let unit = DexUnit {
        file: name,
        dex,
        code,
    };
    let (scanned, dex) = scan_dex_into(unit, &analyzer.set, &analyzer.matchers, namespaces);
    ((scanned, stats, limits), dex.into_bytes())
}

/// Byte buffers for inflated DEX files, reused across the files of one app.
#[derive(Default)]
struct BufferPool(std::sync::Mutex<Vec<Vec<u8>>>);

impl BufferPool {
    /// A free buffer (the largest one, so a big DEX rarely grows a small buffer), or a new one.
    fn take(&self) -> Vec<u8> {
        let mut free = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let largest = (0..free.len()).max_by_key(|&i| free[i].capacity());
        largest.map(|i| free.swap_remove(i)).unwrap_or_default()
    }

    /// A buffer from [`BufferPool::take`] that holds `entry` inflated without growing (growing
    /// a `Vec` doubles it: a 10.8 MB DEX read into a 6 MB buffer would make it 12 MB). The
    /// declared size is trusted only within the archive's entry size limit.
    fn take_for(&self, archive: &Archive, entry: &Entry) -> Vec<u8> {
        let mut buffer = self.take();
        if entry.size <= archive.limits().max_entry_size {
            if let Ok(size) = usize::try_from(entry.size) {
                buffer.clear();
                buffer.reserve_exact(size);
            }
        }
        buffer
    }

    fn give_back(&self, buffer: Vec<u8>) {
        let mut free = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        free.push(buffer);
    }
}

/// The native libraries of an app as the scan keeps them until the report: each parsed
/// library without its export names, and how many names it exports (all the report says of
/// them). A large C++ library exports some 10 000 names (1 MB of text); the 39 libraries of
/// the 60-DEX test input export 237 000 (20 MB of text, ~30 MB as strings), which were held
/// until the end of the scan.
#[derive(Default)]
struct NativeLibs {
    libs: Vec<NativeLib>,
    /// By library: the number of dynamic symbols it defines.
    export_counts: Vec<usize>,
}

/// The native libraries, parsed in parallel, each inflated into a buffer of `pool`; one that
/// cannot be read becomes a limit.
fn read_native_libs(
    libs: &[(&str, &Archive, &Entry)],
    pool: &BufferPool,
    limits: &mut Vec<Limit>,
) -> NativeLibs {
    let lib_results: Vec<Result<(NativeLib, usize), Limit>> = libs
        .par_iter()
        .map(|(split, archive, entry)| {
            let name = shown(split, &entry.name);
            let mut bytes = pool.take_for(archive, entry);
            let parsed = match archive.read_into(entry, &mut bytes) {
                Ok(()) => parse_native_lib(&name, &bytes)
                    .map(|mut lib| {
                        let exports = std::mem::take(&mut lib.exports).len();
                        (lib, exports)
                    })
                    .map_err(|e| Limit::new(LimitKind::Unreadable, e.to_string())),
                Err(e) => Err(Limit::new(LimitKind::Unreadable, format!("{name}: {e}"))),
            };
            pool.give_back(bytes);
            parsed
        })
        .collect();
    let mut native_libs = NativeLibs::default();
    for r in lib_results {
        match r {
            Ok((lib, exports)) => {
                native_libs.libs.push(lib);
                native_libs.export_counts.push(exports);
            }
            Err(limit) => limits.push(limit),
        }
    }
    native_libs
}

/// The report's `details`: splits, manifest, DEX statistics, ABIs and native libraries.
fn details(
    package: &AppPackage,
    manifest: Option<&AndroidManifest>,
    stats: &[DexStats],
    native_libs: &[NativeLib],
    export_counts: &[usize],
) -> serde_json::Value {
    let mut abis: Vec<&str> = native_libs.iter().map(|l| l.abi.as_str()).collect();
    abis.sort_unstable();
    abis.dedup();
    json!({
        "package_kind": format!("{:?}", package.kind).to_lowercase(),
        "splits": package.splits.iter().map(|s| json!({
            "name": s.name,
            "entries": s.archive.entries().len(),
            "duplicate_entries": s.archive.duplicate_names(),
        })).collect::<Vec<_>>(),
        "manifest": manifest,
        "dex": stats.iter().map(|s| json!({
            "file": s.file, "version": s.version, "classes": s.classes,
            "methods": s.methods, "strings": s.strings,
        })).collect::<Vec<_>>(),
        "defined_classes": stats.iter().map(|s| s.classes as u64).sum::<u64>(),
        "abis": abis,
        "native_libs": native_libs.iter().zip(export_counts).map(|(l, exports)| json!({
            "path": l.path, "abi": l.abi, "soname": l.soname, "needed": l.needed,
            "exports": exports, "jni_packages": l.jni_packages,
        })).collect::<Vec<_>>(),
    })
}

/// The app's own namespaces: its applicationId, the classes its manifest declares (components
/// and the application class), and the user's first-party prefixes.
fn app_namespaces(
    manifest: Option<&AndroidManifest>,
    first_party: &[String],
    m: &crate::signatures::Matchers,
) -> AppNamespaces {
    let Some(mf) = manifest else {
        return AppNamespaces::new(None, &[], first_party, m);
    };
    let declared: Vec<&str> = mf
        .components
        .iter()
        .map(|c| c.name.as_str())
        .chain(mf.application.name.as_deref())
        .collect();
    AppNamespaces::new(Some(mf.package.as_str()), &declared, first_party, m)
}

/// A `<uses-permission>` element as a reported permission: its protection level and data types
/// from the permission table, evidence naming the element in `manifest_file` (the manifest's
/// path inside the input: an app's binary manifest, a bundle module's protobuf manifest, an
/// AAR's text manifest alike).
pub(super) fn manifest_permission(
    table: &crate::signatures::PermissionTable,
    up: &UsesPermission,
    manifest_file: &str,
) -> Permission {
    let def = table.get(&up.name);
    let element = if up.sdk23 {
        "uses-permission-sdk-23"
    } else {
        "uses-permission"
    };
    Permission {
        name: up.name.clone(),
        protection: def.map(|d| d.protection.clone()),
        data: def.map(|d| d.data.clone()).unwrap_or_default(),
        text: None,
        max_sdk: up.max_sdk,
        evidence: vec![Evidence::in_file(manifest_file)
            .at(format!("<{element} android:name=\"{}\">", up.name))],
    }
}
