//! A vendor's Android SDK download unpacked into a folder: `.jar` and `.aar` packages (often
//! under `libs/`), beside a demo APK, docs and sample code. Every package is read as
//! `disclose inspect PACKAGE` reads it, and the reports are joined into one: SDKs and data by
//! id, permissions by name, evidence naming the package inside the folder
//! (`libs/push.aar!classes.jar!com/x/Push.class`). The demo APK is the vendor's sample app,
//! not the SDK: it is left out, with a note in `details`. A folder that also holds iOS code
//! (a cross-platform plugin with `src/ios/` and `src/android/`) gets both platforms' SDKs:
//! the iOS report with the JVM packages' joined in.
//!
//! ```no_run
//! let analyzer = disclose::Analyzer::builtin()?;
//! // A folder holding libs/push-sdk.aar, libs/core.jar and PushDemo.apk:
//! let report = analyzer.inspect(std::path::Path::new("vendor-push-sdk"))?;
//! assert_eq!(report.app.platform, disclose::model::Platform::SdkPackage);
//! # Ok::<(), disclose::Error>(())
//! ```

use super::{empty_report, sdk_package, Analyzer};
use crate::archive::Archive;
use crate::input::Format;
use crate::model::{
    DataObservation, Evidence, InspectReport, Limit, LimitKind, Permission, Platform, SdkPresence,
};
use crate::scan::observations::MAX_EVIDENCE;
use crate::Error;
use serde_json::json;
use std::path::Path;

/// Whether a folder path (`/`-separated, relative) names a JVM SDK package.
pub(super) fn is_jvm_package(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".jar") || lower.ends_with(".aar")
}

/// Whether a folder path names a native library an Android SDK ships (`libs/armeabi/x.so`).
fn is_native_lib(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".so")
}

/// Whether a folder path names an Android app (a vendor's demo or sample app).
fn is_app(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".apk", ".apks", ".xapk", ".apkm", ".aab"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// Inspect the JVM packages among `listed` (every file of the folder `dir`, as a directory
/// source lists them: `<dir name>/<path>`) as one SDK package; `file` names the folder in the
/// report.
pub(super) fn inspect_jvm_folder(
    analyzer: &Analyzer,
    dir: &Path,
    listed: &[String],
    file: String,
) -> Result<InspectReport, Error> {
    let paths: Vec<String> = listed
        .iter()
        .filter_map(|p| p.split_once('/').map(|(_, rel)| rel.to_string()))
        .collect();
    let mut packages: Vec<&String> = paths
        .iter()
        .filter(|p| is_jvm_package(p) || is_native_lib(p))
        .collect();
    packages.sort();
    let mut apps: Vec<&String> = paths.iter().filter(|p| is_app(p)).collect();
    apps.sort();
    let mut report = empty_report(
        Platform::SdkPackage,
        file.clone(),
        format!("directory:{file}"),
    );
    let mut read = Vec::new();
    for package in packages {
        match read_package(analyzer, &dir.join(package), package) {
            Ok(part) => {
                read.push(json!({"file": package, "classes": part.details.as_ref().and_then(|d| d.get("classes")).cloned()}));
                join(&mut report, part, package);
            }
            Err(e) => {
                let mut limit = Limit::new(
                    LimitKind::Unreadable,
                    format!("{package}: could not be read: {e}"),
                );
                limit.evidence.push(Evidence::in_file(package.as_str()));
                report.limits.push(limit);
            }
        }
    }
    sort_joined(&mut report);
    report.details = Some(json!({
        "kind": "jvm-folder",
        "packages": read,
        "apps_not_read": apps,
    }));
    Ok(report)
}

/// A folder with iOS code and JVM packages both (a cross-platform plugin: `src/ios/libX.a`
/// beside `src/android/libs/x.aar`): the report of its iOS code, `ios`, with the report of its
/// JVM packages, `jvm` ([`inspect_jvm_folder`]), joined in. The iOS report names files as the
/// folder lists them (`<root>/src/ios/…`), so the JVM evidence gets the same `root`.
/// `details` keeps both parts'.
pub(super) fn join_platforms(
    mut ios: InspectReport,
    mut jvm: InspectReport,
    root: &str,
) -> InspectReport {
    let details = json!({
        "kind": "ios-and-jvm-folder",
        "ios": ios.details.take(),
        "jvm": jvm.details.take(),
    });
    let rooted = |list: &mut Vec<Evidence>| {
        for e in list {
            e.file = format!("{root}/{}", e.file);
        }
    };
    jvm.sdks.iter_mut().for_each(|s| rooted(&mut s.evidence));
    jvm.data.iter_mut().for_each(|d| rooted(&mut d.evidence));
    jvm.permissions
        .iter_mut()
        .for_each(|p| rooted(&mut p.evidence));
    jvm.limits.iter_mut().for_each(|l| rooted(&mut l.evidence));
    absorb(&mut ios, jvm);
    sort_joined(&mut ios);
    ios.details = Some(details);
    ios
}

/// A joined report's lists in a fixed order: SDKs by id, data by type and owner, permissions
/// by name.
fn sort_joined(report: &mut InspectReport) {
    report.sdks.sort_by(|a, b| a.id.cmp(&b.id));
    report
        .data
        .sort_by(|a, b| (&a.data_type, &a.by).cmp(&(&b.data_type, &b.by)));
    report.permissions.sort_by(|a, b| a.name.cmp(&b.name));
}

/// The report of one package of the folder: a jar or aar as `inspect` reads it, or a native
/// library.
fn read_package(analyzer: &Analyzer, full: &Path, package: &str) -> Result<InspectReport, String> {
    if is_native_lib(package) {
        let len = std::fs::metadata(full).map_err(|e| e.to_string())?.len();
        if len > analyzer.limits.max_entry_size {
            return Err(format!(
                "{len} bytes, over the {}-byte limit",
                analyzer.limits.max_entry_size
            ));
        }
        let bytes = std::fs::read(full).map_err(|e| e.to_string())?;
        return sdk_package::inspect_bare(analyzer, full, Format::Elf, &bytes, package.into())
            .map_err(|e| e.to_string());
    }
    let archive = Archive::open(full, analyzer.limits).map_err(|e| e.to_string())?;
    sdk_package::inspect_jvm(analyzer, &archive, package.to_string(), String::new())
        .map_err(|e| e.to_string())
}

/// Joins the report of package `package` into `into`, its evidence naming the package
/// (`libs/x.aar!classes.jar!…`; a native library's own evidence names it by its file name).
fn join(into: &mut InspectReport, mut part: InspectReport, package: &str) {
    let base_name = package.rsplit('/').next().unwrap_or(package);
    let prefix = |list: &mut Vec<Evidence>| {
        for e in list {
            e.file = if e.file == base_name || e.file == package {
                package.to_string()
            } else {
                format!("{package}!{}", e.file)
            };
        }
    };
    for s in &mut part.sdks {
        prefix(&mut s.evidence);
    }
    for d in &mut part.data {
        prefix(&mut d.evidence);
    }
    for p in &mut part.permissions {
        prefix(&mut p.evidence);
    }
    for l in &mut part.limits {
        prefix(&mut l.evidence);
        if l.evidence.is_empty() {
            l.message = format!("{package}: {}", l.message);
        }
    }
    absorb(into, part);
}

/// Joins the SDKs, data, permissions and limits of `part` into `into`.
fn absorb(into: &mut InspectReport, part: InspectReport) {
    for s in part.sdks {
        join_sdk(&mut into.sdks, s);
    }
    for d in part.data {
        join_data(&mut into.data, d);
    }
    for p in part.permissions {
        join_permission(&mut into.permissions, p);
    }
    into.limits.extend(part.limits);
}

fn capped_extend(into: &mut Vec<Evidence>, more: Vec<Evidence>) {
    for e in more {
        if into.len() >= MAX_EVIDENCE {
            break;
        }
        if !into.contains(&e) {
            into.push(e);
        }
    }
}

/// One SDK of several packages: its classes summed, the strongest grade kept.
fn join_sdk(into: &mut Vec<SdkPresence>, s: SdkPresence) {
    match into.iter_mut().find(|x| x.id == s.id) {
        Some(x) => {
            x.classes += s.classes;
            if s.grade < x.grade {
                x.grade = s.grade;
                x.grade_reason = s.grade_reason;
            }
            x.part_of = x.part_of.take().or(s.part_of);
            capped_extend(&mut x.evidence, s.evidence);
        }
        None => into.push(s),
    }
}

fn join_data(into: &mut Vec<DataObservation>, d: DataObservation) {
    match into
        .iter_mut()
        .find(|x| x.data_type == d.data_type && x.by == d.by)
    {
        Some(x) => {
            x.sites += d.sites;
            capped_extend(&mut x.evidence, d.evidence);
        }
        None => into.push(d),
    }
}

fn join_permission(into: &mut Vec<Permission>, p: Permission) {
    match into.iter_mut().find(|x| x.name == p.name) {
        Some(x) => capped_extend(&mut x.evidence, p.evidence),
        None => into.push(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_and_apps_are_told_by_name() {
        assert!(is_jvm_package("libs/Push-SDK_v3.AAR"));
        assert!(is_jvm_package("core.jar"));
        assert!(!is_jvm_package("docs/readme.jar.txt"));
        assert!(is_app("demo/PushDemo.apk"));
        assert!(!is_app("libs/core.jar"));
        assert!(is_native_lib("libs/armeabi/libcore.so"));
    }
}
