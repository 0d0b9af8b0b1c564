//! `disclose inspect`: read one app (APK, split bundle, App Bundle, IPA) or vendor SDK package and report
//! what it holds that matters for privacy: permissions, SDKs, the data each owner's code reaches
//! for, and what could not be seen.
//!
//! The entry is [`Analyzer::inspect`] (in [`crate::pipeline`]); this module tells the input's
//! [`Format`] and hands it to the reader of that format: `android` (APK, split APKs, AAB), `ios`
//! (IPA, `.app`, frameworks), `sdk_package` (jar, aar, dex, so, Mach-O, `.a`).
//!
//! ```no_run
//! let analyzer = disclose::Analyzer::builtin()?;
//! let report = analyzer.inspect(std::path::Path::new("app.apk"))?;
//! println!("{} SDKs", report.sdks.len());
//! # Ok::<(), disclose::Error>(())
//! ```

mod aar_manifest;
mod android;
mod android_manifest;
mod app_identity;
mod ios;
mod sdk_folder;
mod sdk_package;

use crate::archive::{
    apk_files_in, open_package, open_package_bytes, open_split_files, sha256_bytes, sha256_chunks,
    sha256_file, sha256_of_split_files, AppPackage,
};
use crate::input::{
    split_set_in, AndroidLayout, FolderApks, Format, InputKind, NOT_A_PACKAGE, NOT_A_PACKAGE_ZIP,
};
use crate::ios::bundle::{locate, BundleSource, DirectorySource};
use crate::ios::fat_reader::{read_binary, BinaryError, FatReadError};
use crate::model::{AppInfo, InspectReport, Platform, INSPECT_SCHEMA};
use crate::Error;
use std::path::Path;

use crate::pipeline::Analyzer;

impl Analyzer {
    /// Inspect the package at `path` (see [`Analyzer::inspect`]), by its [`Format`].
    pub(crate) fn inspect_path(&self, path: &Path) -> Result<InspectReport, Error> {
        let file = path.display().to_string();
        match crate::input::kind(path)? {
            InputKind::Directory => self.inspect_directory(path, file),
            InputKind::Stream => {
                // Refuse what no package starts with before reading up to the cap.
                let bytes = crate::input::read_bounded_checked(
                    path,
                    self.limits.max_entry_size,
                    8,
                    |head| match format_of_head(path, head)? {
                        Format::Unknown => Err(Error::not_an_app(path, NOT_A_PACKAGE)),
                        _ => Ok(()),
                    },
                )?;
                self.inspect_in_memory(path, bytes)
            }
            InputKind::Regular => self.inspect_file(path, file),
        }
    }

    /// A folder: an unpacked `.app`; split APKs of one app; a vendor's Android SDK folder
    /// (jars, aars, native libraries, perhaps beside a demo APK), with its iOS code too when
    /// it holds both; else iOS SDK code.
    fn inspect_directory(&self, path: &Path, file: String) -> Result<InspectReport, Error> {
        let platform = match Format::of_directory(path) {
            Format::AppDirectory => Platform::Ios,
            _ => Platform::SdkPackage,
        };
        let listed = DirectorySource::open(path);
        if let (Ok(src), Platform::SdkPackage) = (&listed, platform) {
            // A folder with JVM SDK packages is the vendor's SDK, whatever APK (a demo app)
            // lies beside them; with iOS code too, both platforms' SDKs.
            let paths = src.paths();
            if paths.iter().any(|p| sdk_folder::is_jvm_package(p)) {
                if locate(&paths, &mut |_| None).is_err() {
                    return sdk_folder::inspect_jvm_folder(self, path, &paths, file);
                }
                let sha = format!("directory:{file}");
                let ios = ios::inspect_bundle(self, path, src, platform, file.clone(), sha)?;
                let jvm = sdk_folder::inspect_jvm_folder(self, path, &paths, file)?;
                let root = paths
                    .first()
                    .and_then(|p| p.split_once('/'))
                    .map(|(r, _)| r);
                return Ok(sdk_folder::join_platforms(ios, jvm, root.unwrap_or("")));
            }
        }
        if platform == Platform::SdkPackage {
            let (apks, others) = apk_files_in(path).map_err(|e| Error::io(path, e))?;
            match split_set_in(apks, others) {
                FolderApks::OneApp(files) => return self.inspect_split_set(path, &files),
                FolderApks::SeveralApps(bases) => {
                    return Err(Error::not_an_app(path, several_apps(&bases)))
                }
                FolderApks::NotASplitSet => {}
            }
        }
        let src = listed.map_err(|e| Error::input(path, e))?;
        let sha = format!("directory:{}", file);
        ios::inspect_bundle(self, path, &src, platform, file, sha)
    }

    /// Inspect a package already in memory (see [`Analyzer::inspect_bytes`]).
    pub(crate) fn inspect_in_memory(
        &self,
        path: &Path,
        bytes: Vec<u8>,
    ) -> Result<InspectReport, Error> {
        let file = path.display().to_string();
        match format_of_head(path, &bytes)? {
            Format::Zip => {
                let sha = sha256_bytes(&bytes);
                let package = open_package_bytes("", bytes, self.limits);
                let package = package.map_err(|e| Error::archive(path, e))?;
                self.inspect_package(path, &package, file, sha)
            }
            Format::MachO | Format::StaticLibrary => {
                let len = bytes.len() as u64;
                self.inspect_binary(path, std::io::Cursor::new(bytes), len, file)
            }
            format => self.inspect_bare_bytes(path, format, &bytes, file),
        }
    }

    fn inspect_file(&self, path: &Path, file: String) -> Result<InspectReport, Error> {
        let format = format_of_head(path, &read_head(path)?)?;
        if format == Format::Zip {
            let (sha, package) =
                rayon::join(|| sha256_file(path), || open_package(path, self.limits));
            let sha = sha.map_err(|e| Error::io(path, e))?;
            let package = package.map_err(|e| Error::archive(path, e))?;
            return self.inspect_package(path, &package, file, sha);
        }
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.len() > self.limits.max_entry_size {
            return Err(Error::limit(
                path,
                format!(
                    "{} bytes, over the {}-byte limit",
                    meta.len(),
                    self.limits.max_entry_size
                ),
            ));
        }
        match format {
            Format::MachO | Format::StaticLibrary => {
                let reader = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
                self.inspect_binary(path, reader, meta.len(), file)
            }
            _ => {
                let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
                self.inspect_bare_bytes(path, format, &bytes, file)
            }
        }
    }

    /// Split APKs given as separate files (see [`Analyzer::inspect_splits`]); `name` stands
    /// for them in the report and in errors (the folder, or the files joined by ` + `).
    pub(crate) fn inspect_split_set(
        &self,
        name: &Path,
        paths: &[std::path::PathBuf],
    ) -> Result<InspectReport, Error> {
        let (sha, package) = rayon::join(
            || sha256_of_split_files(paths),
            || open_split_files(paths, self.limits),
        );
        let sha = sha.map_err(|e| Error::io(name, e))?;
        let package = package.map_err(|e| Error::archive(name, e))?;
        if let Some(split) = package
            .splits
            .iter()
            .find(|s| s.archive.entry("AndroidManifest.xml").is_none())
        {
            return Err(Error::not_an_app(
                name,
                format!(
                    "{}: not a split APK (no AndroidManifest.xml inside)",
                    split.name
                ),
            ));
        }
        let file = name.display().to_string();
        android::inspect(self, name, &package, AndroidLayout::Apk, file, sha)
    }

    /// A bare `.dex` or `.so` held in memory.
    fn inspect_bare_bytes(
        &self,
        path: &Path,
        format: Format,
        bytes: &[u8],
        file: String,
    ) -> Result<InspectReport, Error> {
        if !matches!(format, Format::Dex | Format::Elf) {
            return Err(Error::not_an_app(path, NOT_A_PACKAGE));
        }
        // Hashing a 20 MB vendor library takes as long as reading and parsing it: do both
        // at once.
        let (sha, report) = rayon::join(
            || sha256_bytes(bytes),
            || sdk_package::inspect_bare(self, path, format, bytes, file),
        );
        report.map(|mut r| {
            r.app.sha256 = sha;
            r
        })
    }

    /// An opened zip: an Android app, an IPA, a JVM SDK package or a zipped iOS framework.
    fn inspect_package(
        &self,
        path: &Path,
        package: &AppPackage,
        file: String,
        sha: String,
    ) -> Result<InspectReport, Error> {
        let format = Format::of_package(package);
        let first = package.splits.first().map(|s| &s.archive);
        match (format, first) {
            (Format::Apk | Format::SplitApks, _) => {
                android::inspect(self, path, package, AndroidLayout::Apk, file, sha)
            }
            (Format::Aab, _) => {
                android::inspect(self, path, package, AndroidLayout::Bundle, file, sha)
            }
            (Format::Ipa, Some(archive)) => ios::inspect_bundle(
                self,
                path,
                &ios::ArchiveSource(archive),
                Platform::Ios,
                file,
                sha,
            ),
            (Format::Jar | Format::Aar, Some(archive)) => {
                sdk_package::inspect_jvm(self, archive, file, sha)
            }
            (Format::IosSdkZip, Some(archive)) => ios::inspect_bundle(
                self,
                path,
                &ios::ArchiveSource(archive),
                Platform::SdkPackage,
                file,
                sha,
            ),
            (format, _) => Err(Error::not_an_app(
                path,
                format.unsupported().unwrap_or(NOT_A_PACKAGE_ZIP),
            )),
        }
    }
}

impl Analyzer {
    /// A bare Mach-O binary or static library: read once, hashed on one thread while each fat
    /// slice is parsed on the pool as soon as it has been read.
    fn inspect_binary(
        &self,
        path: &Path,
        reader: impl std::io::Read + Send,
        len: u64,
        file: String,
    ) -> Result<InspectReport, Error> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| file.clone());
        let (chunks, hashed) = std::sync::mpsc::channel::<std::sync::Arc<Vec<u8>>>();
        let (sha, slices) = std::thread::scope(|scope| {
            let hasher = scope.spawn(move || sha256_chunks(hashed));
            let mut send = move |chunk: &std::sync::Arc<Vec<u8>>| {
                // The hasher only stops when this sender is dropped.
                let _ = chunks.send(std::sync::Arc::clone(chunk));
            };
            let slices = read_binary(reader, len, &mut send);
            drop(send);
            (hasher.join(), slices)
        });
        let sha = sha.map_err(|_| Error::input(path, "hashing the file failed"))?;
        let slices = slices.map_err(|e| match e {
            BinaryError::Read(FatReadError::Io(io)) => Error::io(path, io),
            other => Error::input(path, format!("{name}: {other}")),
        })?;
        let report = empty_report(Platform::SdkPackage, file, sha);
        Ok(sdk_package::inspect_binary_slices(
            self, name, slices, report,
        ))
    }
}

/// The first 8 bytes of a file (fewer when it is shorter), for [`Format::of_head`].
fn read_head(path: &Path) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut head = Vec::with_capacity(8);
    f.take(8)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(path, e))?;
    Ok(head)
}

/// The format the first bytes show, or an error when there are fewer than 4.
/// The error for a folder holding the split APKs of several apps.
fn several_apps(bases: &[std::path::PathBuf]) -> String {
    let names: Vec<String> = bases
        .iter()
        .map(|b| {
            b.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    format!(
        "holds the split APKs of {} apps ({}): inspect each base with its splits",
        names.len(),
        names.join(", ")
    )
}

fn format_of_head(path: &Path, head: &[u8]) -> Result<Format, Error> {
    let filled = head.len().min(8);
    if filled < 4 {
        return Err(Error::not_an_app(
            path,
            format!("only {filled} bytes: not an app or SDK package"),
        ));
    }
    Ok(Format::of_head(head))
}

/// An empty report for `platform` (filled by the platform readers).
fn empty_report(platform: Platform, file: String, sha256: String) -> InspectReport {
    InspectReport {
        schema: INSPECT_SCHEMA.to_string(),
        tool: None,
        app: AppInfo {
            platform,
            id: None,
            version: None,
            file,
            sha256,
            name: None,
            icon: None,
        },
        permissions: Vec::new(),
        sdks: Vec::new(),
        libraries: Vec::new(),
        data: Vec::new(),
        limits: Vec::new(),
        details: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::test_zip::zip_of;
    use crate::error::ErrorKind;

    #[test]
    fn an_app_bundle_with_a_broken_manifest_is_one_line_naming_the_module() {
        let analyzer = Analyzer::builtin().unwrap();
        // Each entry holds the single byte "x": not a protobuf XmlNode.
        let aab = zip_of(&[
            "BundleConfig.pb",
            "base/manifest/AndroidManifest.xml",
            "base/dex/classes.dex",
        ]);
        let err = analyzer
            .inspect_bytes(Path::new("app.aab"), aab)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed);
        assert_eq!(
            err.to_string(),
            "app.aab: base/manifest: AndroidManifest.xml: protobuf XML: protobuf: truncated field at offset 0"
        );
        let other = zip_of(&["README.md"]);
        let err = analyzer
            .inspect_bytes(Path::new("x.zip"), other)
            .unwrap_err();
        assert_eq!(err.to_string(), format!("x.zip: {NOT_A_PACKAGE_ZIP}"));
    }

    #[test]
    fn short_and_unknown_inputs_are_not_packages() {
        let analyzer = Analyzer::builtin().unwrap();
        let err = analyzer
            .inspect_bytes(Path::new("a"), b"PK".to_vec())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "a: only 2 bytes: not an app or SDK package"
        );
        let err = analyzer
            .inspect_bytes(Path::new("b.pdf"), b"%PDF-1.7 ...".to_vec())
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotAnApp);
        assert_eq!(err.to_string(), format!("b.pdf: {NOT_A_PACKAGE}"));
    }
}
