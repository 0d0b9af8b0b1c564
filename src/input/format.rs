//! The one input sniffer: what kind of app or SDK package an input is, told by content (magic
//! bytes, then the names inside a zip), never by the file's extension — except where a batch
//! walks a folder and must pick files without opening them ([`Format::by_extension`]).
//!
//! Sniffing is staged so no byte is read twice: [`Format::of_head`] looks at the first bytes
//! (a zip is [`Format::Zip`] until its directory is read), [`Format::of_package`] at the
//! entries of the opened zip, [`Format::of_directory`] at a folder's name. A new input format
//! is one new variant here plus one reader routed from `crate::inspect`.
//!
//! ```
//! use disclose::input::Format;
//! assert_eq!(Format::of_head(b"dex\n035\0"), Format::Dex);
//! assert_eq!(Format::of_head(b"PK\x03\x04"), Format::Zip);
//! assert_eq!(Format::of_head(b"%PDF-1.7"), Format::Unknown);
//! assert_eq!(Format::by_extension("a/b/App.XAPK".as_ref()), Some(Format::SplitApks));
//! assert!(Format::Aab.unsupported().is_none());
//! ```

use crate::archive::{AppPackage, Archive, PackageKind};
use crate::ios::macho::is_macho;
use std::path::Path;

/// What an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// An Android APK: a zip with a binary `AndroidManifest.xml` and DEX code.
    Apk,
    /// A set of split APKs in one zip: `.apks` (bundletool), `.xapk` (APKPure), `.apkm`.
    SplitApks,
    /// An Android App Bundle (`.aab`): the upload format, modules with protobuf manifests
    /// (see [`crate::input::AndroidLayout`]).
    Aab,
    /// An iOS app archive: a zip with `Payload/*.app/`.
    Ipa,
    /// An unpacked iOS app directory (`*.app`).
    AppDirectory,
    /// Any other directory: an unpacked `.framework` or `.xcframework` (or a folder of them).
    SdkDirectory,
    /// A JVM library: a zip of class files.
    Jar,
    /// An Android library: a zip with a text `AndroidManifest.xml` and `classes.jar`.
    Aar,
    /// A zip of iOS SDK code: `.framework`, `.xcframework` or `.a` inside.
    IosSdkZip,
    /// A bare DEX file.
    Dex,
    /// A bare ELF shared library (`.so`).
    Elf,
    /// A thin or fat Mach-O binary.
    MachO,
    /// A (fat) static library archive (`.a`).
    StaticLibrary,
    /// A zip whose entries have not been looked at yet (see [`Format::of_package`]).
    Zip,
    /// Nothing this tool reads.
    Unknown,
}

/// The message for a file that is none of the formats `inspect` reads.
pub const NOT_A_PACKAGE: &str =
    "not an app or SDK package: neither a zip, dex, ELF, Mach-O binary nor static library";

/// The message for a zip that holds none of them.
pub const NOT_A_PACKAGE_ZIP: &str = "not an app or SDK package: no AndroidManifest.xml, Payload/*.app/, class files, framework or static library inside the zip";

impl Format {
    /// The format the first bytes of a file show (8 are enough; fewer than 4 is
    /// [`Format::Unknown`]). Zips are [`Format::Zip`] until [`Format::of_package`].
    pub fn of_head(head: &[u8]) -> Format {
        if head.len() < 4 {
            Format::Unknown
        } else if head.starts_with(b"PK") {
            Format::Zip
        } else if head.starts_with(b"dex\n") {
            Format::Dex
        } else if head.starts_with(b"\x7fELF") {
            Format::Elf
        } else if head.starts_with(b"!<arch>\n") {
            Format::StaticLibrary
        } else if is_macho(head) {
            Format::MachO
        } else {
            Format::Unknown
        }
    }

    /// The format of an opened zip (a bundle of split APKs is opened split by split).
    pub fn of_package(package: &AppPackage) -> Format {
        let archives = || package.splits.iter().map(|s| &s.archive);
        let has = |name: &str| archives().any(|a| a.entry(name).is_some());
        let any_entry = |pred: &dyn Fn(&str) -> bool| {
            archives().any(|a| a.entries().iter().any(|e| pred(&e.name)))
        };
        let dex = any_entry(&|n| n.starts_with("classes") && n.ends_with(".dex"));
        let jvm = archives().any(is_jvm_archive);
        // An AAR has a (text) AndroidManifest.xml too, but class files instead of DEX.
        if has("AndroidManifest.xml") && (dex || !jvm) {
            if package.kind == PackageKind::Plain {
                Format::Apk
            } else {
                Format::SplitApks
            }
        } else if has("base/manifest/AndroidManifest.xml")
            || (has("BundleConfig.pb")
                && any_entry(&|n| n.ends_with("/manifest/AndroidManifest.xml")))
        {
            Format::Aab
        } else if any_entry(&is_payload_app_entry) {
            Format::Ipa
        } else if jvm {
            if has("AndroidManifest.xml") {
                Format::Aar
            } else {
                Format::Jar
            }
        } else if archives().any(is_ios_sdk_archive) {
            Format::IosSdkZip
        } else if dex && !has("resources.arsc") {
            // A pre-dexed library jar (Ant's `bin/dexedLibs/*.jar`): DEX code, no manifest.
            Format::Jar
        } else {
            Format::Unknown
        }
    }

    /// The format of a directory: an unpacked `.app`, else an SDK folder.
    pub fn of_directory(path: &Path) -> Format {
        let is_app = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| has_extension(n, "app"));
        if is_app {
            Format::AppDirectory
        } else {
            Format::SdkDirectory
        }
    }

    /// The app format a file name promises, for picking files out of a folder without opening
    /// them: `.apk`, `.apks`, `.xapk`, `.apkm`, `.aab`, `.ipa` (case-insensitive).
    pub fn by_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "apk" => Some(Format::Apk),
            "apks" | "xapk" | "apkm" => Some(Format::SplitApks),
            "aab" => Some(Format::Aab),
            "ipa" => Some(Format::Ipa),
            _ => None,
        }
    }

    /// Why this recognised format cannot be read yet (`None` when it can, or is unknown).
    /// Every recognised format is read today; the hook stays for the next one.
    pub fn unsupported(self) -> Option<&'static str> {
        None
    }
}

/// Whether a zip holds JVM classes (class files, or an AAR's `classes.jar`).
fn is_jvm_archive(archive: &Archive) -> bool {
    archive
        .entries()
        .iter()
        .any(|e| e.name.ends_with(".class") || e.name == "classes.jar")
}

/// Whether a zip holds iOS SDK code (a framework, an xcframework or a static library).
fn is_ios_sdk_archive(archive: &Archive) -> bool {
    archive.entries().iter().any(|e| {
        e.name.contains(".framework/") || e.name.contains(".xcframework/") || e.name.ends_with(".a")
    })
}

/// `Payload/X.app/…`: an entry of an IPA's app.
fn is_payload_app_entry(name: &str) -> bool {
    name.strip_prefix("Payload/")
        .and_then(|rest| rest.split('/').next())
        .is_some_and(|dir| dir.ends_with(".app"))
}

fn has_extension(name: &str, ext: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(stem, e)| !stem.is_empty() && e.eq_ignore_ascii_case(ext))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::test_zip::zip_of;
    use crate::archive::{open_package_bytes, Limits};

    fn format_of(names: &[&str]) -> Format {
        let package = open_package_bytes("t", zip_of(names), Limits::default()).unwrap();
        Format::of_package(&package)
    }

    #[test]
    fn zips_are_told_apart_by_their_entries() {
        assert_eq!(
            format_of(&["AndroidManifest.xml", "classes.dex"]),
            Format::Apk
        );
        assert_eq!(
            format_of(&["AndroidManifest.xml", "classes.jar"]),
            Format::Aar
        );
        assert_eq!(format_of(&["a/B.class"]), Format::Jar);
        assert_eq!(format_of(&["Payload/X.app/X"]), Format::Ipa);
        assert_eq!(format_of(&["Payload/X.txt"]), Format::Unknown);
        assert_eq!(format_of(&["X.xcframework/Info.plist"]), Format::IosSdkZip);
        assert_eq!(
            format_of(&[
                "BundleConfig.pb",
                "base/manifest/AndroidManifest.xml",
                "base/dex/classes.dex"
            ]),
            Format::Aab
        );
        // BundleConfig.pb is optional: a base module's manifest is enough.
        assert_eq!(
            format_of(&["base/manifest/AndroidManifest.xml", "base/dex/classes.dex"]),
            Format::Aab
        );
        assert_eq!(format_of(&["README"]), Format::Unknown);
    }

    #[test]
    fn heads_name_bare_binaries() {
        assert_eq!(Format::of_head(b"\x7fELF\x02\x01\x01\0"), Format::Elf);
        assert_eq!(Format::of_head(b"!<arch>\n"), Format::StaticLibrary);
        assert_eq!(
            Format::of_head(&[0xcf, 0xfa, 0xed, 0xfe, 0, 0, 0, 0]),
            Format::MachO
        );
        assert_eq!(Format::of_head(b"PK"), Format::Unknown);
    }

    #[test]
    fn directories_and_extensions() {
        assert_eq!(
            Format::of_directory("x/Demo.app".as_ref()),
            Format::AppDirectory
        );
        assert_eq!(
            Format::of_directory("x/A.framework".as_ref()),
            Format::SdkDirectory
        );
        assert_eq!(Format::by_extension(".app".as_ref()), None);
        assert_eq!(Format::by_extension("a.Ipa".as_ref()), Some(Format::Ipa));
        assert_eq!(Format::by_extension("a.zip".as_ref()), None);
    }
}
