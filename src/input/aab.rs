//! Where an Android app keeps its manifest, DEX code and native libraries: at the root of each
//! APK (`AndroidManifest.xml`, `classes*.dex`, `lib/<abi>/*.so`), or per module in an Android
//! App Bundle (`base/manifest/AndroidManifest.xml` in protobuf XML, `base/dex/classes*.dex`,
//! `base/lib/<abi>/*.so`, `base/assets/…`, `base/root/…`, and the same under each dynamic
//! feature module's folder). `BUNDLE-METADATA/` (mapping files, build info) is not part of the
//! app: it is counted, never read. `BundleConfig.pb` names the bundletool version that built
//! the bundle (`BundleConfig.bundletool.version`, fields 1 → 2 of bundletool's `config.proto`).
//!
//! ```
//! use disclose::input::{AndroidLayout, EntryRole};
//! let aab = AndroidLayout::Bundle;
//! assert_eq!(aab.role("base/dex/classes2.dex"), EntryRole::Dex);
//! assert_eq!(aab.role("feature/manifest/AndroidManifest.xml"), EntryRole::Manifest);
//! assert_eq!(aab.apk_path("base/assets/a.bin"), "assets/a.bin");
//! assert_eq!(AndroidLayout::Apk.role("lib/arm64-v8a/libx.so"), EntryRole::NativeLib);
//! ```

use crate::android::proto_wire::{fields, Wire};
use crate::archive::Archive;
use serde::Serialize;

/// Where an Android package keeps its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AndroidLayout {
    /// APKs (plain or split): everything at the root of each APK.
    Apk,
    /// An App Bundle: everything under a module folder.
    Bundle,
}

/// What an entry of an Android package is to the inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryRole {
    Manifest,
    Dex,
    NativeLib,
    /// `BUNDLE-METADATA/…` of an App Bundle: counted, not read.
    BundleMetadata,
    Other,
}

/// The folder of bundle metadata (not part of the app).
const BUNDLE_METADATA: &str = "BUNDLE-METADATA/";

impl AndroidLayout {
    /// What `name` (an entry of an APK or of the bundle) is.
    pub fn role(self, name: &str) -> EntryRole {
        match self {
            AndroidLayout::Apk => apk_role(name),
            AndroidLayout::Bundle => {
                if name.starts_with(BUNDLE_METADATA) {
                    return EntryRole::BundleMetadata;
                }
                match module_parts(name) {
                    Some((_, "manifest", "AndroidManifest.xml")) => EntryRole::Manifest,
                    Some((_, "dex", file)) if is_dex_file(file) => EntryRole::Dex,
                    Some((_, "lib", rest)) if is_lib_path(rest) => EntryRole::NativeLib,
                    _ => EntryRole::Other,
                }
            }
        }
    }

    /// The path the entry would have inside an installed APK: `base/assets/x` → `assets/x`,
    /// `base/root/x` → `x`, `base/lib/…` → `lib/…`, `base/dex/classes.dex` → `classes.dex`
    /// (an APK's entries are returned as they are).
    pub fn apk_path(self, name: &str) -> &str {
        if self == AndroidLayout::Apk {
            return name;
        }
        match module_parts(name) {
            Some((_, "root", rest)) => rest,
            Some((module, "lib" | "assets" | "res", _)) => &name[module.len() + 1..],
            Some((_, "dex", file)) => file,
            _ => name,
        }
    }

    /// The module an entry belongs to (`base`, a feature module's name), `None` for an APK
    /// or a bundle-level file.
    pub fn module(self, name: &str) -> Option<&str> {
        match self {
            AndroidLayout::Apk => None,
            AndroidLayout::Bundle => module_parts(name).map(|(m, _, _)| m),
        }
    }
}

fn apk_role(name: &str) -> EntryRole {
    if name == "AndroidManifest.xml" {
        EntryRole::Manifest
    } else if is_dex_file(name) {
        EntryRole::Dex
    } else if name.strip_prefix("lib/").is_some_and(is_lib_path) {
        EntryRole::NativeLib
    } else {
        EntryRole::Other
    }
}

/// `<module>/<folder>/<rest>`, for a module folder that is not bundle metadata.
fn module_parts(name: &str) -> Option<(&str, &str, &str)> {
    let (module, rest) = name.split_once('/')?;
    let (folder, rest) = rest.split_once('/')?;
    let is_module = !module.is_empty() && module != "META-INF" && !module.starts_with("BUNDLE-");
    is_module.then_some((module, folder, rest))
}

/// `classes.dex`, `classes2.dex` …
fn is_dex_file(name: &str) -> bool {
    name.strip_prefix("classes")
        .and_then(|rest| rest.strip_suffix(".dex"))
        .is_some_and(|n| n.is_empty() || n.bytes().all(|b| b.is_ascii_digit()))
}

/// `<abi>/<name>.so` (no deeper folders).
fn is_lib_path(rest: &str) -> bool {
    rest.ends_with(".so") && rest.matches('/').count() == 1
}

/// What an App Bundle holds besides its modules' code, for the report's details.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BundleInfo {
    /// Module folders with a manifest, `base` first.
    pub modules: Vec<String>,
    /// `BundleConfig.pb`'s bundletool version, when the file is present and says one.
    pub bundletool_version: Option<String>,
    /// Whether `BundleConfig.pb` is present.
    pub bundle_config: bool,
    /// Entries under `BUNDLE-METADATA/` (not read).
    pub metadata_entries: usize,
}

/// Largest `BundleConfig.pb` read (real ones are a few hundred bytes).
const MAX_BUNDLE_CONFIG: usize = 1 << 16;

impl BundleInfo {
    /// Reads the bundle-level facts of `archive` (an App Bundle). An unreadable
    /// `BundleConfig.pb` leaves the version unknown: it does not change what the app is.
    pub fn of(archive: &Archive) -> BundleInfo {
        let layout = AndroidLayout::Bundle;
        let mut info = BundleInfo::default();
        for entry in archive.entries() {
            match layout.role(&entry.name) {
                EntryRole::BundleMetadata => info.metadata_entries += 1,
                EntryRole::Manifest => {
                    if let Some(m) = layout.module(&entry.name) {
                        info.modules.push(m.to_string());
                    }
                }
                _ => {}
            }
        }
        info.modules.sort_by_key(|m| (m != "base", m.clone()));
        if let Some(entry) = archive.entry("BundleConfig.pb") {
            info.bundle_config = true;
            info.bundletool_version = archive
                .read_prefix(entry, MAX_BUNDLE_CONFIG)
                .ok()
                .and_then(|bytes| bundletool_version(&bytes));
        }
        info
    }
}

/// `BundleConfig { Bundletool bundletool = 1 { string version = 2 } }`.
pub fn bundletool_version(config: &[u8]) -> Option<String> {
    let tool = fields(config)
        .map_while(Result::ok)
        .find_map(|(n, w)| (n == 1).then(|| w.bytes()).flatten())?;
    fields(tool)
        .map_while(Result::ok)
        .find_map(|(n, w): (u32, Wire)| (n == 2).then(|| w.string()).flatten())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_roles_and_apk_paths() {
        let aab = AndroidLayout::Bundle;
        assert_eq!(aab.role("base/dex/classes.dex"), EntryRole::Dex);
        assert_eq!(aab.role("base/dex/other.dex"), EntryRole::Other);
        assert_eq!(aab.role("base/lib/x86/libz.so"), EntryRole::NativeLib);
        assert_eq!(aab.role("base/lib/x86/sub/libz.so"), EntryRole::Other);
        assert_eq!(
            aab.role("BUNDLE-METADATA/com.android.tools/x.map"),
            EntryRole::BundleMetadata
        );
        assert_eq!(aab.role("AndroidManifest.xml"), EntryRole::Other);
        assert_eq!(aab.apk_path("base/root/META-INF/x"), "META-INF/x");
        assert_eq!(aab.apk_path("dyn/lib/x86/libz.so"), "lib/x86/libz.so");
        assert_eq!(aab.apk_path("dyn/dex/classes3.dex"), "classes3.dex");
        assert_eq!(aab.module("dyn/dex/classes3.dex"), Some("dyn"));
        assert_eq!(
            AndroidLayout::Apk.role("base/dex/classes.dex"),
            EntryRole::Other
        );
        assert_eq!(AndroidLayout::Apk.role("classes12.dex"), EntryRole::Dex);
    }

    #[test]
    fn bundletool_version_is_field_1_then_2() {
        let config = [0x0a, 0x08, 0x12, 0x06, b'1', b'.', b'1', b'5', b'.', b'6'];
        assert_eq!(bundletool_version(&config).as_deref(), Some("1.15.6"));
        assert_eq!(bundletool_version(&[0x0a, 0x00]), None);
        assert_eq!(bundletool_version(&[0xff]), None);
    }
}
