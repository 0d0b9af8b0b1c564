//! Finding the parts of an iOS bundle from its file paths alone (plus the few plists that name
//! executables): the `.app` directory, its main executable, embedded frameworks, dylibs, app
//! extensions, privacy manifests, signature and provisioning files; or, for a vendor SDK
//! package, its `.framework`s, `.xcframework` slices and static libraries.

use std::collections::{BTreeSet, HashSet};

use plist::{Dictionary, Value};
use serde::Serialize;

use super::BundleError;
use crate::ios::plist::info_from_dictionary;

/// What kind of code a [`CodeBundle`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeKind {
    /// A `.framework` directory (dynamic or static).
    Framework,
    /// A bare `.dylib` file.
    Dylib,
    /// An app extension (`PlugIns/*.appex`, `Extensions/*.appex`).
    Extension,
    /// A watchOS app embedded in the iOS app (`Watch/*.app`); its extensions are
    /// [`CodeKind::Extension`]s.
    WatchApp,
    /// A static library (`.a`), as vendors ship them.
    StaticLibrary,
}

/// One piece of code besides the main executable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeBundle {
    pub kind: CodeKind,
    /// The bundle directory (`Payload/A.app/Frameworks/X.framework`) or the file (`.dylib`, `.a`).
    pub path: String,
    /// Its `Info.plist`, when it has one.
    pub info_plist: Option<String>,
    /// Its binary: `CFBundleExecutable` of its `Info.plist`, else the bundle's base name.
    pub executable: Option<String>,
    /// Its own `PrivacyInfo.xcprivacy`, when it has one.
    pub privacy_manifest: Option<String>,
    /// For an `.xcframework` slice: `SupportedPlatform` plus `-SupportedPlatformVariant`
    /// (`ios`, `ios-simulator`).
    pub platform: Option<String>,
    /// For an `.xcframework` slice: `SupportedArchitectures`.
    pub architectures: Vec<String>,
}

/// Where everything is inside an IPA, an `.app`, or an SDK package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BundleLayout {
    /// `Payload/X.app` (or `X.app` for an unpacked app directory); `None` for an SDK package.
    pub app_dir: Option<String>,
    pub info_plist: Option<String>,
    /// The main binary named by `CFBundleExecutable`.
    pub main_executable: Option<String>,
    /// Embedded frameworks and dylibs of the app and its extensions, or the frameworks,
    /// xcframework slices, dylibs and static libraries of an SDK package.
    pub frameworks: Vec<CodeBundle>,
    /// App extensions and Watch apps (with their extensions).
    pub plugins: Vec<CodeBundle>,
    /// Every `*.xcprivacy` file, wherever it is (app root, frameworks, resource bundles).
    pub privacy_manifests: Vec<String>,
    /// `embedded.mobileprovision` of the app.
    pub provision: Option<String>,
    /// `_CodeSignature/CodeResources` of the app.
    pub code_signature: Option<String>,
    /// The app has an `SC_Info` directory: it came from the App Store and its code is likely
    /// FairPlay-encrypted.
    pub has_sc_info: bool,
    /// `.xcframework` directories of an SDK package.
    pub xcframeworks: Vec<String>,
    /// Resource `*.bundle` directories (they may hold privacy manifests).
    pub resource_bundles: Vec<String>,
}

/// Finds the layout of the files in `paths`. `read_plist` returns the parsed root dictionary of
/// a plist path (or `None` when it is missing or unreadable); it is asked only for `Info.plist`
/// files of bundles.
pub fn locate(
    paths: &[String],
    read_plist: &mut dyn FnMut(&str) -> Option<Dictionary>,
) -> Result<BundleLayout, BundleError> {
    let files: HashSet<&str> = paths.iter().map(String::as_str).collect();
    let mut sorted: Vec<&str> = files.iter().copied().collect();
    sorted.sort_unstable();
    let mut layout = BundleLayout {
        privacy_manifests: sorted
            .iter()
            .filter(|p| p.ends_with(".xcprivacy"))
            .map(|p| (*p).to_owned())
            .collect(),
        resource_bundles: directories_ending(&sorted, ".bundle"),
        ..BundleLayout::default()
    };
    let finder = Finder {
        files: &files,
        sorted: &sorted,
    };
    match app_directory(&sorted) {
        Some(app) => finder.fill_app(&mut layout, &app, read_plist),
        None => finder.fill_package(&mut layout, read_plist),
    }
    if layout.app_dir.is_none() && layout.frameworks.is_empty() {
        return Err(BundleError::NotABundle { files: paths.len() });
    }
    Ok(layout)
}

/// The `.app` directory: `Payload/X.app`, else a top-level `X.app`. The first in sort order
/// wins when there are several.
fn app_directory(sorted: &[&str]) -> Option<String> {
    let payload = sorted.iter().find_map(|p| {
        let rest = p.strip_prefix("Payload/")?;
        let (dir, _) = rest.split_once('/')?;
        dir.ends_with(".app").then(|| format!("Payload/{dir}"))
    });
    payload.or_else(|| {
        sorted.iter().find_map(|p| {
            let (dir, _) = p.split_once('/')?;
            dir.ends_with(".app").then(|| dir.to_owned())
        })
    })
}

/// Every directory (at any depth) whose name ends in `suffix`, outermost only.
fn directories_ending(sorted: &[&str], suffix: &str) -> Vec<String> {
    let mut dirs = BTreeSet::new();
    for path in sorted {
        let mut end = 0;
        for component in path.split('/') {
            end += component.len();
            // The last component is the file itself, not a directory.
            if end >= path.len() {
                break;
            }
            if component.ends_with(suffix) {
                if let Some(dir) = path.get(..end) {
                    dirs.insert(dir);
                }
                break;
            }
            end += 1;
        }
    }
    dirs.into_iter().map(str::to_owned).collect()
}

/// Immediate children of `dir` (files or directories) whose name ends in `suffix`.
fn children_ending(sorted: &[&str], dir: &str, suffix: &str) -> Vec<String> {
    let prefix = format!("{dir}/");
    let mut found = BTreeSet::new();
    for path in sorted {
        let Some(rest) = path.strip_prefix(prefix.as_str()) else {
            continue;
        };
        let name = rest.split('/').next().unwrap_or(rest);
        if name.ends_with(suffix) {
            found.insert(format!("{prefix}{name}"));
        }
    }
    found.into_iter().collect()
}

struct Finder<'a> {
    files: &'a HashSet<&'a str>,
    sorted: &'a [&'a str],
}

impl Finder<'_> {
    fn has(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    fn existing(&self, path: String) -> Option<String> {
        self.has(&path).then_some(path)
    }

    fn fill_app(
        &self,
        layout: &mut BundleLayout,
        app: &str,
        read_plist: &mut dyn FnMut(&str) -> Option<Dictionary>,
    ) {
        layout.info_plist = self.existing(format!("{app}/Info.plist"));
        layout.main_executable =
            self.bundle_executable(app, layout.info_plist.as_deref(), read_plist);
        layout.provision = self.existing(format!("{app}/embedded.mobileprovision"));
        layout.code_signature = self.existing(format!("{app}/_CodeSignature/CodeResources"));
        let sc_info = format!("{app}/SC_Info/");
        layout.has_sc_info = self.sorted.iter().any(|p| p.starts_with(&sc_info));
        let mut containers = vec![app.to_owned()];
        // Watch apps carry code of their own, and their extensions (watchOS 2+) too.
        for watch_app in children_ending(self.sorted, &format!("{app}/Watch"), ".app") {
            let bundle = self.code_bundle(CodeKind::WatchApp, &watch_app, read_plist);
            containers.push(watch_app);
            layout.plugins.push(bundle);
        }
        for owner in containers.clone() {
            for ext_dir in ["PlugIns", "Extensions"] {
                for appex in children_ending(self.sorted, &format!("{owner}/{ext_dir}"), ".appex") {
                    let bundle = self.code_bundle(CodeKind::Extension, &appex, read_plist);
                    containers.push(appex);
                    layout.plugins.push(bundle);
                }
            }
        }
        for container in &containers {
            let frameworks_dir = format!("{container}/Frameworks");
            for framework in children_ending(self.sorted, &frameworks_dir, ".framework") {
                layout.frameworks.push(self.code_bundle(
                    CodeKind::Framework,
                    &framework,
                    read_plist,
                ));
            }
            for dylib in children_ending(self.sorted, &frameworks_dir, ".dylib") {
                if self.has(&dylib) {
                    layout.frameworks.push(file_bundle(CodeKind::Dylib, dylib));
                }
            }
        }
        layout.app_dir = Some(app.to_owned());
    }

    fn fill_package(
        &self,
        layout: &mut BundleLayout,
        read_plist: &mut dyn FnMut(&str) -> Option<Dictionary>,
    ) {
        layout.xcframeworks = directories_ending(self.sorted, ".xcframework");
        for xcframework in &layout.xcframeworks.clone() {
            let info = format!("{xcframework}/Info.plist");
            let libraries = if self.has(&info) {
                read_plist(&info).map(|d| available_libraries(&d))
            } else {
                None
            };
            match libraries {
                Some(libraries) if !libraries.is_empty() => {
                    for library in libraries {
                        if let Some(bundle) = self.slice(xcframework, library, read_plist) {
                            layout.frameworks.push(bundle);
                        }
                    }
                }
                // No readable Info.plist: take what the directory holds.
                _ => self.fill_loose_code(layout, Some(xcframework), read_plist),
            }
        }
        self.fill_loose_code(layout, None, read_plist);
    }

    /// Frameworks, dylibs and static libraries under `within` (or anywhere outside an
    /// `.xcframework` when `within` is `None`).
    fn fill_loose_code(
        &self,
        layout: &mut BundleLayout,
        within: Option<&str>,
        read_plist: &mut dyn FnMut(&str) -> Option<Dictionary>,
    ) {
        let inside = |p: &str| match within {
            Some(dir) => p.starts_with(dir) && p.as_bytes().get(dir.len()) == Some(&b'/'),
            None => !p.split('/').any(|c| c.ends_with(".xcframework")),
        };
        let candidates: Vec<&str> = self.sorted.iter().copied().filter(|p| inside(p)).collect();
        let frameworks = directories_ending(&candidates, ".framework");
        for framework in &frameworks {
            layout
                .frameworks
                .push(self.code_bundle(CodeKind::Framework, framework, read_plist));
        }
        for path in candidates {
            let in_framework = frameworks.iter().any(|f| {
                path.starts_with(f.as_str()) && path.as_bytes().get(f.len()) == Some(&b'/')
            });
            if in_framework {
                continue;
            }
            if path.ends_with(".a") {
                layout
                    .frameworks
                    .push(file_bundle(CodeKind::StaticLibrary, path.to_owned()));
            } else if path.ends_with(".dylib") {
                layout
                    .frameworks
                    .push(file_bundle(CodeKind::Dylib, path.to_owned()));
            }
        }
    }

    fn slice(
        &self,
        xcframework: &str,
        library: XcframeworkLibrary,
        read_plist: &mut dyn FnMut(&str) -> Option<Dictionary>,
    ) -> Option<CodeBundle> {
        let path = format!(
            "{xcframework}/{}/{}",
            library.identifier, library.library_path
        );
        let mut bundle = if library.library_path.ends_with(".framework") {
            let prefix = format!("{path}/");
            if !self.sorted.iter().any(|p| p.starts_with(&prefix)) {
                return None;
            }
            self.code_bundle(CodeKind::Framework, &path, read_plist)
        } else if self.has(&path) {
            let kind = if path.ends_with(".dylib") {
                CodeKind::Dylib
            } else {
                CodeKind::StaticLibrary
            };
            file_bundle(kind, path)
        } else {
            return None;
        };
        bundle.platform = library.platform;
        bundle.architectures = library.architectures;
        Some(bundle)
    }

    /// A `.framework`, `.appex` or Watch `.app` directory: its Info.plist (flat, `Resources/`, or
    /// `Versions/*/Resources/` of macOS-style frameworks), executable and privacy manifest.
    fn code_bundle(
        &self,
        kind: CodeKind,
        dir: &str,
        read_plist: &mut dyn FnMut(&str) -> Option<Dictionary>,
    ) -> CodeBundle {
        let info_plist = [
            format!("{dir}/Info.plist"),
            format!("{dir}/Resources/Info.plist"),
            format!("{dir}/Versions/Current/Resources/Info.plist"),
            format!("{dir}/Versions/A/Resources/Info.plist"),
        ]
        .into_iter()
        .find(|p| self.has(p));
        let executable = self.bundle_executable(dir, info_plist.as_deref(), read_plist);
        let privacy_manifest = [
            format!("{dir}/PrivacyInfo.xcprivacy"),
            format!("{dir}/Resources/PrivacyInfo.xcprivacy"),
            format!("{dir}/Versions/A/Resources/PrivacyInfo.xcprivacy"),
        ]
        .into_iter()
        .find(|p| self.has(p));
        CodeBundle {
            kind,
            path: dir.to_owned(),
            info_plist,
            executable,
            privacy_manifest,
            platform: None,
            architectures: Vec::new(),
        }
    }

    /// The binary of a bundle: `CFBundleExecutable` (at the top, or under `Versions/…` for
    /// macOS-style frameworks), else the bundle name without its extension.
    fn bundle_executable(
        &self,
        dir: &str,
        info_plist: Option<&str>,
        read_plist: &mut dyn FnMut(&str) -> Option<Dictionary>,
    ) -> Option<String> {
        let named = info_plist
            .and_then(&mut *read_plist)
            .and_then(|d| info_from_dictionary(&d).executable)
            .filter(|name| !name.is_empty() && !name.contains('/'));
        let stem = dir
            .rsplit('/')
            .next()
            .and_then(|name| name.rsplit_once('.'))
            .map(|(stem, _)| stem.to_owned());
        for name in named.iter().chain(stem.iter()) {
            for candidate in [
                format!("{dir}/{name}"),
                format!("{dir}/Versions/Current/{name}"),
                format!("{dir}/Versions/A/{name}"),
            ] {
                if self.has(&candidate) {
                    return Some(candidate);
                }
            }
        }
        None
    }
}

fn file_bundle(kind: CodeKind, path: String) -> CodeBundle {
    CodeBundle {
        kind,
        executable: Some(path.clone()),
        path,
        info_plist: None,
        privacy_manifest: None,
        platform: None,
        architectures: Vec::new(),
    }
}

/// One `AvailableLibraries` entry of an `.xcframework`'s Info.plist.
struct XcframeworkLibrary {
    identifier: String,
    library_path: String,
    platform: Option<String>,
    architectures: Vec<String>,
}

fn available_libraries(info: &Dictionary) -> Vec<XcframeworkLibrary> {
    let Some(Value::Array(entries)) = info.get("AvailableLibraries") else {
        return Vec::new();
    };
    let text = |d: &Dictionary, key: &str| d.get(key).and_then(Value::as_string).map(str::to_owned);
    let safe = |s: &String| !s.is_empty() && !s.contains("..") && !s.starts_with('/');
    entries
        .iter()
        .filter_map(Value::as_dictionary)
        .filter_map(|entry| {
            let identifier = text(entry, "LibraryIdentifier").filter(safe)?;
            let library_path = text(entry, "LibraryPath").filter(safe)?;
            let platform = text(entry, "SupportedPlatform").map(|platform| {
                match text(entry, "SupportedPlatformVariant") {
                    Some(variant) => format!("{platform}-{variant}"),
                    None => platform,
                }
            });
            let architectures = match entry.get("SupportedArchitectures") {
                Some(Value::Array(archs)) => archs
                    .iter()
                    .filter_map(Value::as_string)
                    .map(str::to_owned)
                    .collect(),
                _ => Vec::new(),
            };
            Some(XcframeworkLibrary {
                identifier,
                library_path,
                platform,
                architectures,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn app_without_info_plist_falls_back_to_the_bundle_name() {
        let layout = locate(
            &paths(&[
                "Payload/Demo.app/Demo",
                "Payload/Demo.app/Frameworks/libswiftCore.dylib",
            ]),
            &mut |_| None,
        )
        .unwrap();
        assert_eq!(layout.app_dir.as_deref(), Some("Payload/Demo.app"));
        assert_eq!(
            layout.main_executable.as_deref(),
            Some("Payload/Demo.app/Demo")
        );
        assert_eq!(layout.frameworks[0].kind, CodeKind::Dylib);
    }

    #[test]
    fn nothing_recognisable_is_an_error() {
        let err = locate(&paths(&["README.md", "src/a.m"]), &mut |_| None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no .app, .framework, .xcframework, .dylib or .a among 2 files"
        );
    }

    #[test]
    fn directories_ending_ignores_file_names() {
        let sorted = [
            "a/X.framework",
            "b/Y.framework/Y",
            "c/Y.framework/Z.framework/Z",
        ];
        assert_eq!(
            directories_ending(&sorted, ".framework"),
            ["b/Y.framework", "c/Y.framework"]
        );
    }
}
