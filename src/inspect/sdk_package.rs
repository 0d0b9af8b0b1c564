//! Inspect a vendor SDK package on its own, so an auditor can vet an SDK before it goes into an
//! app: `.jar` / `.aar` (JVM class files, nested jars, JNI libraries), a bare `.dex`, `.so`,
//! Mach-O or `.a`, and iOS `.framework` / `.xcframework` directories or zips of them.

use super::{empty_report, Analyzer};
use crate::android::classfile::parse_class;
use crate::android::dex::DexFile;
use crate::android::elf::{parse_native_lib, NativeLib};
use crate::archive::{Archive, Entry};
use crate::input::Format;
use crate::ios::macho::Slice;
use crate::model::{Evidence, Grade, InspectReport, Limit, LimitKind, Permission, Platform};
use crate::scan::android::{finish, scan_dex, AndroidContext, DexScan, DexUnit};
use crate::scan::ios::{scan as scan_ios, Binary};
use crate::scan::jvm::{scan as scan_jvm, JvmClass};
use crate::scan::owners::AppNamespaces;
use crate::scan::ScanOutput;
use crate::Error;
use rayon::prelude::*;
use serde_json::json;
use std::path::Path;

/// Classes of a jar, and of jars nested in it (an AAR's `classes.jar` and `libs/*.jar`).
fn collect_classes(
    archive: &Archive,
    prefix: &str,
    depth: u32,
    out: &mut Vec<JvmClass>,
    limits: &mut Vec<Limit>,
) {
    let entries: Vec<&Entry> = archive.entries().iter().collect();
    let parsed: Vec<Result<JvmClass, Limit>> = entries
        .par_iter()
        .filter(|e| e.name.ends_with(".class"))
        .map(|e| {
            let file = format!("{prefix}{}", e.name);
            let bytes = archive
                .read(e)
                .map_err(|err| Limit::new(LimitKind::Unreadable, format!("{file}: {err}")))?;
            let class = parse_class(&bytes)
                .map_err(|err| Limit::new(LimitKind::Unreadable, format!("{file}: {err}")))?;
            Ok(JvmClass { file, class })
        })
        .collect();
    for r in parsed {
        match r {
            Ok(c) => out.push(c),
            Err(l) => limits.push(l),
        }
    }
    if depth >= 2 {
        return;
    }
    for e in entries.iter().filter(|e| e.name.ends_with(".jar")) {
        match archive.open_nested(e) {
            Ok(inner) => collect_classes(
                &inner,
                &format!("{prefix}{}!", e.name),
                depth + 1,
                out,
                limits,
            ),
            Err(err) => limits.push(Limit::new(
                LimitKind::Unreadable,
                format!("{prefix}{}: {err}", e.name),
            )),
        }
    }
}

/// A `.jar` or `.aar`.
pub(super) fn inspect_jvm(
    analyzer: &Analyzer,
    archive: &Archive,
    file: String,
    sha256: String,
) -> Result<InspectReport, Error> {
    let mut report = empty_report(Platform::SdkPackage, file, sha256);
    let mut classes = Vec::new();
    let mut limits = Vec::new();
    collect_classes(archive, "", 0, &mut classes, &mut limits);
    let mut out = scan_jvm(&classes, &analyzer.set, &analyzer.matchers);
    // JNI libraries of an AAR (`jni/<abi>/*.so`).
    let mut libs = Vec::new();
    for e in archive.entries() {
        if e.name.ends_with(".so") {
            match archive
                .read(e)
                .map_err(|err| err.to_string())
                .and_then(|b| parse_native_lib(&e.name, &b).map_err(|err| err.to_string()))
            {
                Ok(lib) => libs.push(lib),
                Err(msg) => limits.push(Limit::new(LimitKind::Unreadable, msg)),
            }
        }
    }
    let names: Vec<String> = archive.entries().iter().map(|e| e.name.clone()).collect();
    let per_dex = packaged_dex(analyzer, archive, &mut limits);
    let has_dex = !per_dex.is_empty();
    let native = finish_without_manifest(analyzer, per_dex, &libs, &names);
    merge_sdks(&mut out.sdks, native.sdks);
    if has_dex {
        out.data.extend(native.data);
        report.libraries = native.libraries;
    }
    let manifest = aar_manifest_text(archive);
    if let Some(text) = &manifest {
        let declared = super::aar_manifest::declarations(text);
        merge_sdks(
            &mut out.sdks,
            declared_presence(analyzer, &declared, &classes),
        );
        crate::scan::observations::link_bundles(&mut out.sdks, &analyzer.set.sdks);
    }
    out.limits.extend(
        native
            .limits
            .into_iter()
            .filter(|l| l.kind != LimitKind::MissingCode),
    );
    if classes.is_empty() && libs.is_empty() && !has_dex {
        limits.push(Limit::new(
            LimitKind::MissingCode,
            "the package holds no class files and no native libraries",
        ));
    }
    report.sdks = out.sdks;
    report.data = out.data;
    report.limits = out.limits;
    report.limits.extend(limits);
    report.permissions = aar_permissions(analyzer, manifest.as_deref());
    report.details = Some(json!({
        "kind": "jvm",
        "classes": classes.len(),
        "native_libs": libs.iter().map(|l| json!({"path": l.path, "abi": l.abi, "jni_packages": l.jni_packages})).collect::<Vec<_>>(),
    }));
    Ok(report)
}

/// The DEX files at the top of a pre-dexed library jar (Ant builds leave `bin/dexedLibs/*.jar`
/// holding only `classes.dex`), each scanned like a bare `.dex`; unreadable ones and methods
/// whose code could not be decoded become limits.
fn packaged_dex(analyzer: &Analyzer, archive: &Archive, limits: &mut Vec<Limit>) -> Vec<DexScan> {
    let mut out = Vec::new();
    let dex_entries = archive.entries().iter().filter(|e| {
        !e.name.contains('/') && e.name.starts_with("classes") && e.name.ends_with(".dex")
    });
    for e in dex_entries {
        let parsed = archive
            .read(e)
            .map_err(|err| err.to_string())
            .and_then(|b| DexFile::parse(b).map_err(|err| err.to_string()));
        let dex = match parsed {
            Ok(dex) => dex,
            Err(msg) => {
                limits.push(Limit::new(
                    LimitKind::Unreadable,
                    format!("{}: {msg}", e.name),
                ));
                continue;
            }
        };
        let (code, errors) = dex.code_index_lenient();
        limits.extend(super::android::undecodable_code_limits(&e.name, &errors));
        let unit = DexUnit {
            file: e.name.clone(),
            dex,
            code,
        };
        out.push(scan_dex(
            &unit,
            &analyzer.set,
            &analyzer.matchers,
            &AppNamespaces::default(),
        ));
    }
    out
}

/// The text of an AAR's `AndroidManifest.xml` (none for a plain jar).
fn aar_manifest_text(archive: &Archive) -> Option<String> {
    let entry = archive.entry("AndroidManifest.xml")?;
    let bytes = archive.read_prefix(entry, 4 << 20).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// SDK evidence from what an AAR's manifest declares (a signature's `android.components` and
/// `android.meta_data`): a component whose class the package defines is the SDK's code, unless
/// the class is one of its crumbs; a component without its class, or a meta-data name, only
/// refers to the SDK.
fn declared_presence(
    analyzer: &Analyzer,
    declared: &super::aar_manifest::Declarations,
    classes: &[JvmClass],
) -> Vec<crate::model::SdkPresence> {
    let m = &analyzer.matchers;
    let defined: std::collections::HashSet<&str> =
        classes.iter().map(|c| c.class.name.as_str()).collect();
    let mut presence = crate::scan::observations::PresenceAccumulator::default();
    for (element, name) in &declared.components {
        let Some(i) = m.sdks.match_component(name) else {
            continue;
        };
        let internal = name.replace('.', "/");
        let ev = Evidence::in_file("AndroidManifest.xml")
            .at(format!("<{element} android:name=\"{name}\">"));
        if defined.contains(internal.as_str()) && !m.sdks.is_crumb(&format!("L{internal};"), i) {
            presence.code(i.index(), 0, Some(ev));
        } else {
            presence.support(i.index(), ev);
        }
    }
    for name in &declared.meta_data {
        if let Some(i) = m.sdks.match_meta_data(name) {
            presence.support(
                i.index(),
                Evidence::in_file("AndroidManifest.xml")
                    .at(format!("<meta-data android:name=\"{name}\">")),
            );
        }
    }
    crate::scan::observations::graded_records(presence.graded(), &analyzer.set.sdks)
}

/// The `<uses-permission>` elements of an AAR's text manifest (none for a plain jar).
fn aar_permissions(analyzer: &Analyzer, manifest: Option<&str>) -> Vec<Permission> {
    let Some(text) = manifest else {
        return Vec::new();
    };
    super::aar_manifest::uses_permissions(text)
        .into_iter()
        .map(|up| {
            super::android::manifest_permission(
                &analyzer.matchers.permissions,
                &up,
                "AndroidManifest.xml",
            )
        })
        .collect()
}

/// Adds `more` SDK records to `into`; an SDK in both keeps the stronger grade (code evidence
/// from a native library or a declared component makes a `referenced` SDK `present`).
fn merge_sdks(into: &mut Vec<crate::model::SdkPresence>, more: Vec<crate::model::SdkPresence>) {
    for s in more {
        match into.iter_mut().find(|x| x.id == s.id) {
            Some(x) => {
                x.classes += s.classes;
                x.evidence.extend(s.evidence);
                if x.grade != Grade::Present && s.grade == Grade::Present {
                    x.grade = s.grade;
                    x.grade_reason = s.grade_reason;
                }
            }
            None => into.push(s),
        }
    }
    into.sort_by(|a, b| a.id.cmp(&b.id));
}

/// A bare `.dex` or ELF `.so` (any other format is refused). The report's `sha256` is left
/// empty for the caller, who hashes the bytes beside this.
pub(super) fn inspect_bare(
    analyzer: &Analyzer,
    path: &Path,
    format: Format,
    bytes: &[u8],
    file: String,
) -> Result<InspectReport, Error> {
    let mut report = empty_report(Platform::SdkPackage, file.clone(), String::new());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or(file);
    match format {
        Format::Dex => {
            let (out, skipped) = scan_bare_dex(analyzer, path, bytes, &name)?;
            report.sdks = out.sdks;
            report.libraries = out.libraries;
            report.data = out.data;
            report.limits = out.limits;
            report.limits.extend(skipped);
        }
        Format::Elf => {
            let lib = parse_native_lib(&name, bytes).map_err(|e| Error::input(path, e))?;
            let out =
                finish_without_manifest(analyzer, Vec::new(), std::slice::from_ref(&lib), &[]);
            report.sdks = out.sdks;
            report.details = Some(
                json!({"kind": "elf", "soname": lib.soname, "needed": lib.needed,
                "exports": lib.exports.len(), "jni_packages": lib.jni_packages}),
            );
        }
        _ => return Err(Error::not_an_app(path, crate::input::NOT_A_PACKAGE)),
    }
    Ok(report)
}

/// The Android scan's last step for an SDK package, which has no manifest and no app
/// namespaces: what its scanned DEX files and native libraries hold, with the package's entry
/// names as crumbs.
fn finish_without_manifest(
    analyzer: &Analyzer,
    per_dex: Vec<DexScan>,
    native_libs: &[NativeLib],
    entry_names: &[String],
) -> ScanOutput {
    finish(
        &AndroidContext {
            manifest: None,
            native_libs,
            entry_names,
            namespaces: &AppNamespaces::default(),
        },
        per_dex,
        &analyzer.set,
        &analyzer.matchers,
    )
}

/// A bare `.dex` (`name` in evidence): what its code holds, and a limit for each of the
/// first five methods whose code could not be decoded.
fn scan_bare_dex(
    analyzer: &Analyzer,
    path: &Path,
    bytes: &[u8],
    name: &str,
) -> Result<(ScanOutput, Vec<Limit>), Error> {
    let dex = DexFile::parse(bytes.to_vec()).map_err(|e| Error::input(path, e))?;
    let (code, errors) = dex.code_index_lenient();
    let unit = DexUnit {
        file: name.to_string(),
        dex,
        code,
    };
    let scanned = scan_dex(
        &unit,
        &analyzer.set,
        &analyzer.matchers,
        &AppNamespaces::default(),
    );
    Ok((
        finish_without_manifest(analyzer, vec![scanned], &[], &[]),
        super::android::undecodable_code_limits(name, &errors),
    ))
}

/// The report of a bare Mach-O binary or static library, from its images.
pub(super) fn inspect_binary_slices(
    analyzer: &Analyzer,
    name: String,
    slices: Vec<Slice>,
    mut report: InspectReport,
) -> InspectReport {
    let (set, m) = (&analyzer.set, &analyzer.matchers);
    let bin = Binary {
        path: name.clone(),
        owner_bundle: name.trim_end_matches(".a").to_string(),
        is_main: false,
        is_app_code: false,
        slices,
    };
    let mut out = scan_ios(std::slice::from_ref(&bin), set, m);
    if let Some(i) = m.sdks.match_library(&name) {
        if let Some(sdk) = set.sdks.get(i.index()) {
            if !out.sdks.iter().any(|s| s.id == sdk.spec.id) {
                let evidence = Evidence::in_file(&name).rule(format!("sdk:{}", sdk.spec.id));
                out.sdks.push(crate::scan::observations::presence(
                    &sdk.spec,
                    0,
                    vec![evidence],
                ));
            }
        }
    }
    report.sdks = out.sdks;
    report.data = out.data;
    report.limits = out.limits;
    report.details = Some(
        json!({"kind": "mach-o", "slices": bin.slices.iter().map(|s| json!({
        "arch": s.arch, "file_type": s.file_type, "objc_classes": s.objc_classes.len(),
        "selectors": s.selectors.len(), "imported_symbols": s.imported_symbols.len(),
        "decoded_code": super::ios::decoded_code(s)})).collect::<Vec<_>>()}),
    );
    report
}
