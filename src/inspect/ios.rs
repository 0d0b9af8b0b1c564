//! Assemble the inspect report of an iOS package (IPA) or an iOS SDK package (`.framework`,
//! `.xcframework`, `.a`, dylib): bundle layout, Info.plist usage keys, privacy manifests,
//! provisioning profile, then every executable parsed in parallel and scanned.

use super::{empty_report, Analyzer};
use crate::archive::Archive;
use crate::ios::bundle::{
    read_ios_bundle, BundleError, BundleSource, CodeKind, ExecutableRole, IosBundle,
};
use crate::ios::macho::Slice;
use crate::model::{Evidence, InspectReport, Limit, LimitKind, Permission, Platform};
use crate::scan::ios::{scan, Binary};
use crate::scan::ios_required_reason::{required_reason_uses, BinaryApiUse};
use crate::Error;
use rayon::prelude::*;
use serde_json::json;
use std::path::Path;

/// A zip archive seen as a bundle source.
pub(super) struct ArchiveSource<'a>(pub &'a Archive);

impl BundleSource for ArchiveSource<'_> {
    fn paths(&self) -> Vec<String> {
        self.0
            .entries()
            .iter()
            .filter(|e| !e.is_dir())
            .map(|e| e.name.clone())
            .collect()
    }

    fn read(&self, path: &str, max: u64) -> Result<Vec<u8>, BundleError> {
        let entry = self.0.entry(path).ok_or_else(|| BundleError::Missing {
            path: path.to_string(),
        })?;
        if entry.size > max {
            return Err(BundleError::TooLarge {
                path: path.to_string(),
                size: entry.size,
                max,
            });
        }
        self.0.read(entry).map_err(|e| BundleError::Io {
            path: path.to_string(),
            message: e.to_string(),
        })
    }
}

/// Parse one binary: a (fat) Mach-O, or a (fat) static library whose Mach-O objects become
/// slices (bitcode and other members are skipped).
pub(super) fn parse_binary(path: &str, bytes: &[u8]) -> Result<Vec<Slice>, String> {
    crate::ios::fat_reader::parse_binary(bytes).map_err(|e| format!("{path}: {e}"))
}

pub(super) fn inspect_bundle(
    analyzer: &Analyzer,
    path: &Path,
    src: &dyn BundleSource,
    platform: Platform,
    file: String,
    sha256: String,
) -> Result<InspectReport, Error> {
    let bundle: IosBundle = read_ios_bundle(src).map_err(|e| Error::input(path, e))?;
    let mut report = empty_report(platform, file, sha256);
    let mut limits: Vec<Limit> = bundle
        .problems
        .iter()
        .map(|p| Limit::new(LimitKind::Unreadable, p.clone()))
        .collect();

    let parsed: Vec<Result<Binary, Limit>> = bundle
        .executables
        .par_iter()
        .map(|exe| {
            let bytes = exe
                .load(src)
                .map_err(|e| Limit::new(LimitKind::Unreadable, e.to_string()))?;
            let slices = parse_binary(&exe.path, &bytes)
                .map_err(|e| Limit::new(LimitKind::Unreadable, e))?;
            Ok(Binary {
                path: exe.path.clone(),
                owner_bundle: exe.owner.clone(),
                is_main: exe.role == ExecutableRole::Main,
                is_app_code: matches!(
                    exe.role,
                    ExecutableRole::Main
                        | ExecutableRole::Embedded(CodeKind::Extension | CodeKind::WatchApp)
                ),
                slices,
            })
        })
        .collect();
    let mut binaries = Vec::new();
    for r in parsed {
        match r {
            Ok(b) => binaries.push(b),
            Err(l) => limits.push(l),
        }
    }
    let out = scan(&binaries, &analyzer.set, &analyzer.matchers);
    report.sdks = out.sdks;
    report.data = out.data;
    report.limits = out.limits;
    report.limits.extend(limits);
    if bundle.layout.has_sc_info && !report.limits.iter().any(|l| l.kind == LimitKind::Encrypted) {
        report.limits.push(Limit::new(
            LimitKind::Encrypted,
            "the bundle has SC_Info (App Store DRM material); some code may be encrypted",
        ));
    }

    if let Some(info) = &bundle.app_info {
        report.app.id = info.bundle_id.clone();
        report.app.version = info.short_version.clone().or_else(|| info.version.clone());
        report.app.name = [&info.display_name, &info.name]
            .into_iter()
            .flatten()
            .map(|n| n.trim())
            .find(|n| !n.is_empty())
            .map(str::to_string);
        let plist_path = bundle
            .layout
            .info_plist
            .clone()
            .unwrap_or_else(|| "Info.plist".to_string());
        if let Some(app_dir) = &bundle.layout.app_dir {
            let info_dict = src
                .read(&plist_path, crate::ios::icon::MAX_ICON_FILE_BYTES)
                .ok()
                .and_then(|b| crate::ios::plist::parse_dictionary(&b, b.len()).ok());
            match crate::ios::icon::read_app_icon(src, app_dir, info_dict.as_ref()) {
                Ok(icon) => report.app.icon = icon,
                Err(e) => report.limits.push(Limit::new(
                    LimitKind::Unreadable,
                    format!("app icon unknown: {e}"),
                )),
            }
        }
        for u in &info.usage_descriptions {
            let def = analyzer.matchers.plist_keys.get(&u.key);
            report.permissions.push(Permission {
                name: u.key.clone(),
                protection: Some(
                    if u.deprecated {
                        "deprecated-usage-key"
                    } else {
                        "usage-key"
                    }
                    .to_string(),
                ),
                data: def.map(|d| d.data.clone()).unwrap_or_default(),
                text: Some(u.text.clone()),
                max_sdk: None,
                evidence: vec![Evidence::in_file(&plist_path).at(u.key.clone())],
            });
        }
    }

    let required_reason = required_reason_uses(&binaries, &analyzer.set);
    report.details = Some(bundle_details(&bundle, &binaries, &required_reason));
    Ok(report)
}

/// The report's `details`: layout, plists, privacy manifests, provisioning and every binary.
fn bundle_details(
    bundle: &IosBundle,
    binaries: &[Binary],
    required_reason: &[BinaryApiUse],
) -> serde_json::Value {
    json!({
        "required_reason_apis": required_reason,
        "layout": bundle.layout,
        "info": bundle.app_info,
        "bundle_infos": bundle.bundle_infos,
        "privacy_manifests": bundle.privacy_manifests,
        "provision": bundle.provision,
        "binaries": binaries.iter().map(|b| json!({
            "path": b.path,
            "bundle": b.owner_bundle,
            "main": b.is_main,
            "app_code": b.is_app_code,
            "slices": b.slices.iter().map(|s| json!({
                "arch": s.arch,
                "file_type": s.file_type,
                "min_os": s.min_os,
                "encrypted": s.encrypted.as_ref().map(|e| e.is_encrypted()),
                "chained_fixups": s.uses_chained_fixups,
                "dylibs": s.dylibs.iter().map(|d| d.path.clone()).collect::<Vec<_>>(),
                "objc_classes": s.objc_classes.len(),
                "selectors": s.selectors.len(),
                "imported_symbols": s.imported_symbols.len(),
                "decoded_code": decoded_code(s),
                "code_signature": s.code_signature,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// What the arm64 code pass saw in a slice (`null` when it was not decoded).
pub(super) fn decoded_code(slice: &Slice) -> serde_json::Value {
    match &slice.code {
        Some(code) => json!({
            "instructions": code.instructions,
            "functions_with_references": code.functions.len(),
        }),
        None => serde_json::Value::Null,
    }
}
