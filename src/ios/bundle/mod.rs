//! iOS bundles: where the code and the privacy-relevant files of an IPA (`Payload/X.app/…`), an
//! unpacked `.app`, or a vendor SDK package (`.framework`, `.xcframework`, static libraries) are,
//! and what its plists, privacy manifests and provisioning profile say.
//!
//! The files come from a [`BundleSource`] (a directory, memory, or the IPA's zip archive), so
//! this module never touches the zip layer. [`locate`] works on paths alone;
//! [`read_ios_bundle`] also parses every `Info.plist`, `PrivacyInfo.xcprivacy` and
//! `embedded.mobileprovision` it finds and lists the executables for the Mach-O reader, which
//! loads them with [`Executable::load`] (in parallel if it likes: sources are `Sync`).
//!
//! A broken framework plist or privacy manifest is a [`IosBundle::problems`] entry, not a
//! failure; an unreadable app `Info.plist`, or a tree with no iOS code in it, is an error.
//!
//! ```
//! use disclose::ios::bundle::{read_ios_bundle, MemorySource};
//! let mut ipa = MemorySource::new();
//! ipa.insert("Payload/Demo.app/Info.plist", &br#"<plist version="1.0"><dict>
//!   <key>CFBundleIdentifier</key><string>com.example.demo</string>
//!   <key>CFBundleExecutable</key><string>Demo</string>
//! </dict></plist>"#[..]);
//! ipa.insert("Payload/Demo.app/Demo", &b"\xcf\xfa\xed\xfe"[..]);
//! let bundle = read_ios_bundle(&ipa)?;
//! assert_eq!(bundle.app_info.unwrap().bundle_id.as_deref(), Some("com.example.demo"));
//! assert_eq!(bundle.executables[0].path, "Payload/Demo.app/Demo");
//! assert_eq!(bundle.executables[0].load(&ipa)?, b"\xcf\xfa\xed\xfe");
//! # Ok::<(), disclose::ios::bundle::BundleError>(())
//! ```

mod layout;
mod source;

use std::collections::{BTreeMap, HashMap};

use plist::Dictionary;
use serde::Serialize;

pub use layout::{locate, BundleLayout, CodeBundle, CodeKind};
pub use source::{
    BundleSource, DirectorySource, MemorySource, MAX_DIRECTORY_DEPTH, MAX_DIRECTORY_ENTRIES,
};

use super::plist::{
    info_from_dictionary, parse_dictionary, InfoPlist, PlistError, MAX_PLIST_BYTES,
};
use super::provision::{parse_provision, ProvisioningProfile, MAX_PROVISION_BYTES};
use super::xcprivacy::{parse_privacy_manifest, PrivacyManifest};

/// Largest executable [`Executable::load`] reads (the biggest real vendor binaries are
/// a few hundred MB across all slices).
pub const MAX_EXECUTABLE_BYTES: u64 = 512 * 1024 * 1024;

/// Why a bundle could not be read. `Display` is one line naming the path inside the bundle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error("{path}: {size} bytes, over the {max}-byte limit")]
    TooLarge { path: String, size: u64, max: u64 },
    #[error("{path}: no such file in the bundle")]
    Missing { path: String },
    #[error("{path}: {source}")]
    Plist {
        path: String,
        #[source]
        source: PlistError,
    },
    #[error("no .app, .framework, .xcframework, .dylib or .a among {files} files")]
    NotABundle { files: usize },
    #[error("more than {max} files under the directory")]
    TooManyFiles { max: usize },
}

/// Which role an executable plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExecutableRole {
    /// The app's main binary.
    Main,
    /// The binary of a framework, dylib, extension or static library; see `owner`.
    Embedded(CodeKind),
}

/// A binary for the Mach-O (or `ar`) reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Executable {
    /// Path inside the source.
    pub path: String,
    /// The bundle it belongs to: the app directory, or the framework/extension/library path.
    pub owner: String,
    pub role: ExecutableRole,
}

impl Executable {
    /// Reads the binary from `src` (at most [`MAX_EXECUTABLE_BYTES`]).
    pub fn load(&self, src: &dyn BundleSource) -> Result<Vec<u8>, BundleError> {
        src.read(&self.path, MAX_EXECUTABLE_BYTES)
    }
}

/// Everything [`read_ios_bundle`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IosBundle {
    pub layout: BundleLayout,
    /// The app's `Info.plist` (`None` for an SDK package).
    pub app_info: Option<InfoPlist>,
    /// `Info.plist` of every framework and extension, by path.
    pub bundle_infos: BTreeMap<String, InfoPlist>,
    /// Every privacy manifest, by path.
    pub privacy_manifests: BTreeMap<String, PrivacyManifest>,
    pub provision: Option<ProvisioningProfile>,
    /// Main executable first, then frameworks and dylibs, then extensions.
    pub executables: Vec<Executable>,
    /// Parts that could not be read, one line each, naming the path.
    pub problems: Vec<String>,
}

/// Locates and parses the bundle held by `src`.
pub fn read_ios_bundle(src: &dyn BundleSource) -> Result<IosBundle, BundleError> {
    let paths = src.paths();
    let mut plists: HashMap<String, Result<Dictionary, BundleError>> = HashMap::new();
    let layout = {
        let mut read_plist = |path: &str| {
            plists
                .entry(path.to_owned())
                .or_insert_with(|| read_dictionary(src, path))
                .as_ref()
                .ok()
                .cloned()
        };
        locate(&paths, &mut read_plist)?
    };
    let mut bundle = IosBundle::default();
    let info_at = |path: &str| -> Result<InfoPlist, BundleError> {
        match plists.get(path) {
            Some(Ok(dict)) => Ok(info_from_dictionary(dict)),
            Some(Err(e)) => Err(e.clone()),
            None => read_dictionary(src, path).map(|d| info_from_dictionary(&d)),
        }
    };

    if let Some(path) = &layout.info_plist {
        bundle.app_info = Some(info_at(path)?);
    } else if let Some(app) = &layout.app_dir {
        bundle.problems.push(format!("{app}: no Info.plist"));
    }
    for code in layout.frameworks.iter().chain(&layout.plugins) {
        if let Some(path) = &code.info_plist {
            match info_at(path) {
                Ok(info) => {
                    bundle.bundle_infos.insert(path.clone(), info);
                }
                Err(e) => bundle.problems.push(e.to_string()),
            }
        }
    }
    for path in &layout.privacy_manifests {
        let parsed = src
            .read(path, MAX_PLIST_BYTES as u64)
            .and_then(|bytes| plist_result(path, parse_privacy_manifest(&bytes)));
        match parsed {
            Ok(manifest) => {
                bundle.privacy_manifests.insert(path.clone(), manifest);
            }
            Err(e) => bundle.problems.push(e.to_string()),
        }
    }
    if let Some(path) = &layout.provision {
        let parsed = src
            .read(path, MAX_PROVISION_BYTES as u64)
            .and_then(|bytes| plist_result(path, parse_provision(&bytes)));
        match parsed {
            Ok(profile) => bundle.provision = Some(profile),
            Err(e) => bundle.problems.push(e.to_string()),
        }
    }

    if let Some(app) = &layout.app_dir {
        match &layout.main_executable {
            Some(path) => bundle.executables.push(Executable {
                path: path.clone(),
                owner: app.clone(),
                role: ExecutableRole::Main,
            }),
            None => bundle
                .problems
                .push(format!("{app}: main executable not found")),
        }
    }
    for code in layout.frameworks.iter().chain(&layout.plugins) {
        match &code.executable {
            Some(path) => bundle.executables.push(Executable {
                path: path.clone(),
                owner: code.path.clone(),
                role: ExecutableRole::Embedded(code.kind),
            }),
            None => bundle
                .problems
                .push(format!("{}: no executable found", code.path)),
        }
    }
    bundle.layout = layout;
    Ok(bundle)
}

fn read_dictionary(src: &dyn BundleSource, path: &str) -> Result<Dictionary, BundleError> {
    let bytes = src.read(path, MAX_PLIST_BYTES as u64)?;
    plist_result(path, parse_dictionary(&bytes, MAX_PLIST_BYTES))
}

fn plist_result<T>(path: &str, result: Result<T, PlistError>) -> Result<T, BundleError> {
    result.map_err(|source| BundleError::Plist {
        path: path.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAMEWORK_INFO: &[u8] = br#"<plist version="1.0"><dict>
        <key>CFBundleIdentifier</key><string>com.amap.foundation</string>
        <key>CFBundleExecutable</key><string>AMapFoundationKit</string>
    </dict></plist>"#;

    #[test]
    fn finds_every_part_of_an_app() {
        let mut src = MemorySource::new();
        let app = "Payload/Demo.app";
        src.insert(
            format!("{app}/Info.plist"),
            &br#"<plist version="1.0"><dict><key>CFBundleExecutable</key><string>DemoBin</string></dict></plist>"#[..],
        );
        for file in [
            "DemoBin",
            "Demo",
            "embedded.mobileprovision",
            "_CodeSignature/CodeResources",
            "SC_Info/DemoBin.sinf",
            "PrivacyInfo.xcprivacy",
            "Frameworks/AMapFoundationKit.framework/AMapFoundationKit",
            "Frameworks/libswiftCore.dylib",
            "PlugIns/Widget.appex/Widget",
            "Res.bundle/PrivacyInfo.xcprivacy",
        ] {
            src.insert(format!("{app}/{file}"), b"x".to_vec());
        }
        src.insert(
            format!("{app}/Frameworks/AMapFoundationKit.framework/Info.plist"),
            FRAMEWORK_INFO,
        );
        let bundle = read_ios_bundle(&src).unwrap();
        let layout = &bundle.layout;
        assert_eq!(
            layout.main_executable.as_deref(),
            Some("Payload/Demo.app/DemoBin")
        );
        assert!(layout.has_sc_info);
        assert_eq!(layout.resource_bundles, ["Payload/Demo.app/Res.bundle"]);
        assert_eq!(layout.privacy_manifests.len(), 2);
        assert_eq!(
            bundle
                .executables
                .iter()
                .map(|e| e.path.rsplit('/').next().unwrap_or_default())
                .collect::<Vec<_>>(),
            [
                "DemoBin",
                "AMapFoundationKit",
                "libswiftCore.dylib",
                "Widget"
            ]
        );
        // "x" is neither a plist nor a profile: recorded, not fatal.
        assert_eq!(bundle.problems.len(), 3, "{:?}", bundle.problems);
        assert!(bundle.problems[0].starts_with("Payload/Demo.app/PrivacyInfo.xcprivacy: "));
    }

    #[test]
    fn watch_apps_and_their_extensions_are_code() {
        let mut src = MemorySource::new();
        let app = "Payload/Demo.app";
        for file in [
            "Demo",
            "Watch/DemoWatch.app/DemoWatch",
            "Watch/DemoWatch.app/PlugIns/DemoWatch Extension.appex/DemoWatch Extension",
            "Watch/DemoWatch.app/PlugIns/DemoWatch Extension.appex/Frameworks/W.framework/W",
        ] {
            src.insert(format!("{app}/{file}"), b"x".to_vec());
        }
        let bundle = read_ios_bundle(&src).unwrap();
        let kinds: Vec<(CodeKind, &str)> = bundle
            .layout
            .plugins
            .iter()
            .map(|p| (p.kind, p.executable.as_deref().unwrap_or_default()))
            .collect();
        assert_eq!(
            kinds,
            [
                (CodeKind::WatchApp, "Payload/Demo.app/Watch/DemoWatch.app/DemoWatch"),
                (
                    CodeKind::Extension,
                    "Payload/Demo.app/Watch/DemoWatch.app/PlugIns/DemoWatch Extension.appex/DemoWatch Extension"
                ),
            ]
        );
        assert_eq!(bundle.executables.len(), 4, "{:?}", bundle.executables);
        assert!(bundle
            .executables
            .iter()
            .any(|e| e.path.ends_with("W.framework/W")));
    }

    #[test]
    fn malformed_app_info_plist_is_an_error() {
        let mut src = MemorySource::new();
        src.insert("Payload/A.app/Info.plist", b"<plist><dict><key>".to_vec());
        let err = read_ios_bundle(&src).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("Payload/A.app/Info.plist: malformed property list"),
            "{err}"
        );
    }

    #[test]
    fn xcframework_slices_come_from_available_libraries() {
        let mut src = MemorySource::new();
        src.insert(
            "X.xcframework/Info.plist",
            &br#"<plist version="1.0"><dict><key>AvailableLibraries</key><array>
              <dict><key>LibraryIdentifier</key><string>ios-arm64</string>
                <key>LibraryPath</key><string>X.framework</string>
                <key>SupportedPlatform</key><string>ios</string>
                <key>SupportedArchitectures</key><array><string>arm64</string></array></dict>
              <dict><key>LibraryIdentifier</key><string>ios-arm64_x86_64-simulator</string>
                <key>LibraryPath</key><string>libX.a</string>
                <key>SupportedPlatform</key><string>ios</string>
                <key>SupportedPlatformVariant</key><string>simulator</string></dict>
              <dict><key>LibraryIdentifier</key><string>..</string>
                <key>LibraryPath</key><string>X.framework</string></dict>
            </array></dict></plist>"#[..],
        );
        src.insert("X.xcframework/ios-arm64/X.framework/X", b"m".to_vec());
        src.insert(
            "X.xcframework/ios-arm64_x86_64-simulator/libX.a",
            b"!<arch>\n".to_vec(),
        );
        let bundle = read_ios_bundle(&src).unwrap();
        let slices = &bundle.layout.frameworks;
        assert_eq!(slices.len(), 2);
        assert_eq!(
            slices[0].executable.as_deref(),
            Some("X.xcframework/ios-arm64/X.framework/X")
        );
        assert_eq!(slices[0].architectures, ["arm64"]);
        assert_eq!(slices[1].kind, CodeKind::StaticLibrary);
        assert_eq!(slices[1].platform.as_deref(), Some("ios-simulator"));
        assert!(bundle.layout.app_dir.is_none());
    }
}
