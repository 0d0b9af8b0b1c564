//! The shared output model: what `disclose inspect` reports about an app (`disclose.inspect/1`).
//!
//! Readers (`android`, `ios`) and the scanner fill an [`InspectReport`]; reporters and `compare`
//! only read it. Field names are part of the JSON contract (docs/), so rename none without
//! bumping [`INSPECT_SCHEMA`].
//!
//! ```
//! use disclose::model::{Evidence, Limit, LimitKind};
//! let ev = Evidence::in_file("classes.dex").at("Lcom/example/Main;->onCreate()V").rule("telephony-device-id");
//! assert_eq!(ev.file, "classes.dex");
//! let limit = Limit::new(LimitKind::Packed, "classes.dex holds only a stub loader");
//! assert_eq!(limit.kind, LimitKind::Packed);
//! ```

pub use crate::id::{SdkId, TaxonomyId};
use serde::{Deserialize, Serialize};

/// Schema id of the inspect JSON document.
pub const INSPECT_SCHEMA: &str = "disclose.inspect/1";

/// Which kind of package was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    Android,
    Ios,
    /// A vendor SDK package (`.jar`, `.aar`, `.a`, `.framework`, `.xcframework`, `.so`, bare
    /// `.dex` or Mach-O) vetted on its own.
    SdkPackage,
}

/// What the app is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfo {
    pub platform: Platform,
    /// Android package name or iOS bundle id (`None` when the package has none).
    pub id: Option<String>,
    /// versionName / CFBundleShortVersionString.
    pub version: Option<String>,
    /// The file that was read, as given on the command line.
    pub file: String,
    /// Lower-case hex sha256 of that file.
    pub sha256: String,
    /// The name a user sees: Android `android:label` resolved in the default language,
    /// iOS `CFBundleDisplayName` or `CFBundleName`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<String>,
    /// The launcher icon, when the package has a bitmap one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub icon: Option<AppIcon>,
}

/// An app's launcher icon: the file inside the package, and its bytes for reports that show
/// it (the bytes are not part of the JSON output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppIcon {
    /// The file inside the archive (`res/mipmap-xxxhdpi-v4/ic_launcher.png`).
    pub file: String,
    /// `image/png`, `image/webp` or `image/jpeg`.
    pub media_type: String,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// Where something was seen. Every observation carries at least one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Evidence {
    /// The file inside the archive (`classes2.dex`, `AndroidManifest.xml`,
    /// `Payload/App.app/App`, `lib/arm64-v8a/libfoo.so`).
    pub file: String,
    /// Class and method (`Lcom/foo/Bar;->baz()V`), ObjC class or symbol, manifest element.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location: Option<String>,
    /// The signature or API rule id that fired.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rule: Option<String>,
    /// What exactly matched (the method reference, the meta-data key, the symbol …).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub detail: Option<String>,
}

impl Evidence {
    pub fn in_file(file: impl Into<String>) -> Self {
        Evidence {
            file: file.into(),
            location: None,
            rule: None,
            detail: None,
        }
    }
    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }
    pub fn rule(mut self, rule: impl Into<String>) -> Self {
        self.rule = Some(rule.into());
        self
    }
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// A permission the app declares it uses (Android `uses-permission`) or an iOS Info.plist
/// privacy usage key with its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    pub name: String,
    /// Protection level from `signatures/android-permissions.toml` (`dangerous`, `special` …).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub protection: Option<String>,
    /// Taxonomy ids this permission gives access to.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub data: Vec<TaxonomyId>,
    /// iOS usage-description text.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub text: Option<String>,
    /// Android `maxSdkVersion`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub max_sdk: Option<u32>,
    pub evidence: Vec<Evidence>,
}

/// How strongly a package shows an SDK.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Grade {
    /// The package defines the SDK's core classes, ships its native library or declares (and
    /// defines) its manifest components: the SDK is in the app and is compared with the policy.
    #[default]
    Present,
    /// Only crumbs: classes its signature marks as shipped by other libraries too (interfaces,
    /// option/value or exception classes), or manifest keys / JNI names without its code.
    /// Listed, not compared with the policy.
    Referenced,
}

impl Grade {
    /// The JSON word (`present`, `referenced`).
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Present => "present",
            Grade::Referenced => "referenced",
        }
    }
}

impl OwnerKind {
    /// The JSON word (`app`, `sdk`, `library`, `platform`, `unknown`).
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::App => "app",
            OwnerKind::Sdk => "sdk",
            OwnerKind::Library => "library",
            OwnerKind::Platform => "platform",
            OwnerKind::Unknown => "unknown",
        }
    }
}

/// A third-party SDK found in the app's code (defined classes, not mere references).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SdkPresence {
    pub id: SdkId,
    pub name: String,
    pub vendor: Option<String>,
    pub category: String,
    /// How many defined classes (Android) or ObjC classes / symbols (iOS) belong to it.
    pub classes: usize,
    /// The data types the SDK's vendor documents it collects (`signatures/sdks/<id>.toml`
    /// `data`): what an SDK list under China's MIIT rules must state per SDK. `[]` when the
    /// vendor says it collects nothing; `null` when no vendor statement was found.
    #[serde(default)]
    pub vendor_data: Option<Vec<TaxonomyId>>,
    /// `present` or `referenced`, and why.
    #[serde(default)]
    pub grade: Grade,
    #[serde(default)]
    pub grade_reason: String,
    /// The present SDK this one ships inside (`bundled_in` of its signature): JCore is part
    /// of JPush, so a policy naming JPush covers it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub part_of: Option<SdkId>,
    pub evidence: Vec<Evidence>,
}

/// A named library whose classes the package defines (`signatures/libraries.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryUse {
    pub id: String,
    pub name: String,
    /// `open-source` or `platform`.
    pub kind: String,
    pub license: String,
    /// Defined classes that belong to it.
    pub classes: usize,
}

/// What kind of owner code belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum OwnerKind {
    /// The app's own code (its namespaces, see `owner_reason`).
    App,
    /// A third-party SDK (`by` is its id).
    Sdk,
    /// A named open-source library (`by` is its id in `libraries.toml`).
    Library,
    /// Platform / Jetpack wrapper code that no app, SDK or library code calls: reported as
    /// "not called", never a finding (`by` is the platform library id).
    Platform,
    /// Code no namespace, SDK, library or vendor root accounts for.
    #[default]
    Unknown,
}

/// Who reaches for a piece of data.
pub const OWNER_APP: &str = "app";
/// Code that is neither the app's own package nor a known SDK.
pub const OWNER_UNKNOWN: &str = "unknown";

/// One data type the code reaches for, and who does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataObservation {
    /// Taxonomy id (`device.imei`, `location.precise` …).
    #[serde(rename = "type")]
    pub data_type: TaxonomyId,
    /// `app`, an SDK id, a library id, or `unknown`.
    pub by: String,
    /// What kind of owner `by` is, and why the code is theirs.
    #[serde(default)]
    pub owner: OwnerKind,
    #[serde(default)]
    pub owner_reason: String,
    /// Number of call sites / references behind this observation.
    pub sites: usize,
    pub evidence: Vec<Evidence>,
}

/// What kind of thing could not be seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LimitKind {
    /// A packer / hardener hides the real code.
    Packed,
    /// App Store FairPlay encryption (`cryptid != 0`).
    Encrypted,
    /// Names are obfuscated, so attribution is weaker.
    Obfuscated,
    /// Code the package should have is missing (no dex, no executable).
    MissingCode,
    /// A part of the package could not be read; the rest was.
    Unreadable,
    /// Code loaded at run time (dex in assets, remote code) that was not analysed.
    DynamicCode,
    /// Many classes under one package root that no known SDK, library or the app owns: an
    /// SDK without a signature, reported so its data use is not silently "unknown".
    UnknownSdk,
}

/// An analysis limit, said out loud.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limit {
    pub kind: LimitKind,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub evidence: Vec<Evidence>,
}

impl Limit {
    pub fn new(kind: LimitKind, message: impl Into<String>) -> Self {
        Limit {
            kind,
            message: message.into(),
            evidence: Vec::new(),
        }
    }
}

/// Everything `disclose inspect` reports (`disclose.inspect/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectReport {
    pub schema: String,
    /// The tool and signature data versions that produced the report ([`crate::Analyzer`]
    /// sets it; absent in reports built by hand).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tool: Option<crate::version::ToolInfo>,
    pub app: AppInfo,
    pub permissions: Vec<Permission>,
    pub sdks: Vec<SdkPresence>,
    /// Named open-source and platform libraries the code contains.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub libraries: Vec<LibraryUse>,
    pub data: Vec<DataObservation>,
    pub limits: Vec<Limit>,
    /// Platform-specific details (manifest, dex statistics, native libraries; Info.plist,
    /// Mach-O slices, frameworks). Free-form but stable within a schema version.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub details: Option<serde_json::Value>,
}
