//! The on-disk schema of everything under `signatures/`: one serde struct per file kind, every
//! struct `deny_unknown_fields`, so a typo in a data file is a load error, not a silent miss.
//!
//! Files and the struct each one deserialises into:
//! - `taxonomy.toml` → [`TaxonomyFile`]
//! - `sdks/<id>.toml` and `packers/<id>.toml` → [`SdkFile`] (one SDK or packer per file)
//! - `android-apis.toml` → [`AndroidApiFile`]
//! - `android-permissions.toml` → [`AndroidPermissionFile`]
//! - `ios-apis.toml` → [`IosApiFile`]
//! - `ios-plist-keys.toml` → [`IosPlistKeyFile`]
//! - `libraries.toml` → [`LibraryFile`] (open-source and platform libraries: code owners that
//!   are not SDKs)
//!
//! ```
//! let sdk: disclose::signatures::schema::SdkFile = toml::from_str(r#"
//! id = "amap"
//! name = "AMap SDK"
//! vendor = "AutoNavi Software Co., Ltd."
//! category = "maps"
//! country = "CN"
//! sources = ["https://lbs.amap.com/"]
//! [aliases]
//! zh = ["高德地图SDK"]
//! en = ["AMap"]
//! [android]
//! packages = ["com.amap.api"]
//! [examples]
//! match = ["android:com.amap.api.location.AMapLocationClient"]
//! no_match = ["android:com.amap.apis.Other"]
//! "#).unwrap();
//! assert_eq!(sdk.android.packages, vec!["com.amap.api"]);
//! ```

use crate::id::{SdkId, TaxonomyId};
use serde::Deserialize;

/// `taxonomy.toml`: the data-type vocabulary shared by the scanner and the policy reader.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyFile {
    #[serde(rename = "type")]
    pub types: Vec<DataTypeDef>,
}

/// One data type (`device.imei`) or parent category (`device.identifier`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataTypeDef {
    /// Dotted id; stable, used in JSON output and in every other data file.
    pub id: TaxonomyId,
    /// Parent category id; a policy that names only the parent declares this type *vaguely*.
    #[serde(default)]
    pub parent: Option<TaxonomyId>,
    /// Display names.
    pub name_en: String,
    pub name_zh: String,
    /// Words policies use for it, matched after normalisation (NFKC, Traditional → Simplified,
    /// lower case). zh_hant entries are kept for reviewers; the loader converts them anyway.
    #[serde(default)]
    pub en: Vec<String>,
    #[serde(default)]
    pub zh_hans: Vec<String>,
    #[serde(default)]
    pub zh_hant: Vec<String>,
    /// How much harm collecting the type can do; required in `taxonomy.toml` (the loader
    /// reports a type without one), optional here so vocabulary-only snippets still parse.
    #[serde(default)]
    pub sensitivity: Option<Sensitivity>,
    /// The rule that puts the type at that level (law article, standard annex, store rule).
    #[serde(default)]
    pub sensitivity_source: Option<String>,
    /// One line for reviewers: what the type is.
    #[serde(default)]
    pub description: Option<String>,
}

/// Sensitivity level of a data type, least to most sensitive; the severity of data findings
/// derives from it (`crate::compare::severity`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Sensitivity {
    /// Device or connection details that identify no one on their own (network state, model).
    Technical,
    /// Ordinary personal information (GB/T 35273-2020 Annex A).
    Personal,
    /// Singled out by regulators' or app stores' rules: device identifiers, the installed-app
    /// list, the clipboard, the advertising identifier.
    Restricted,
    /// Sensitive personal information (PIPL art. 28, GB/T 35273-2020 Annex B, GDPR art. 9).
    Sensitive,
}

impl Sensitivity {
    /// Every level, least sensitive first.
    pub const ALL: [Sensitivity; 4] = [
        Sensitivity::Technical,
        Sensitivity::Personal,
        Sensitivity::Restricted,
        Sensitivity::Sensitive,
    ];

    /// The level's name in data files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Sensitivity::Technical => "technical",
            Sensitivity::Personal => "personal",
            Sensitivity::Restricted => "restricted",
            Sensitivity::Sensitive => "sensitive",
        }
    }
}

impl std::str::FromStr for Sensitivity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Sensitivity::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown sensitivity '{s}' (expected technical, personal, restricted or sensitive)"
                )
            })
    }
}

/// Whether a signature file describes an SDK or a packer/hardener.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SdkKind {
    Sdk,
    Packer,
}

/// `sdks/<id>.toml` or `packers/<id>.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkFile {
    /// kebab-case id, equal to the file stem.
    pub id: SdkId,
    #[serde(default = "default_kind")]
    pub kind: SdkKind,
    /// Display name (English).
    pub name: String,
    /// Vendor legal name in English.
    #[serde(default)]
    pub vendor: Option<String>,
    /// Vendor legal name(s) in Chinese, as policies write them (`高德软件有限公司`).
    #[serde(default)]
    pub vendor_zh: Vec<String>,
    /// push, maps, location, analytics, ads, crash, share, social, payment, im, rtc, speech,
    /// security, browser, network, ui, utility, auth, packer …
    pub category: String,
    /// ISO country of the vendor (`CN`, `US` …).
    #[serde(default)]
    pub country: Option<String>,
    /// Names as policies write them.
    #[serde(default)]
    pub aliases: Aliases,
    #[serde(default)]
    pub android: AndroidSignature,
    #[serde(default)]
    pub ios: IosSignature,
    /// Taxonomy ids the vendor documents the SDK collects; `Some(vec![])` when the vendor says
    /// it collects nothing personal, `None` when no vendor statement was found (then
    /// `data_undocumented` says what was searched).
    #[serde(default)]
    pub data: Option<Vec<TaxonomyId>>,
    /// Why `data` is absent: which vendor documents were searched and found silent or gone
    /// (e.g. a tracker whose vendor closed in 2016). Exactly one of `data` and this is set.
    #[serde(default)]
    pub data_undocumented: Option<String>,
    /// Vendor privacy-policy / compliance-guide URL.
    #[serde(default)]
    pub privacy_policy: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    /// Where each fact came from (URLs, `exodus:<tracker id>`, vendor doc titles).
    pub sources: Vec<String>,
    /// License of derived data (`ODbL-1.0` for entries derived from the Exodus tracker list).
    #[serde(default)]
    pub license: Option<String>,
    /// Free text for reviewers.
    #[serde(default)]
    pub notes: Option<String>,
    /// Ids of the SDKs this one ships inside (JCore inside JPush, UTDID inside the Alipay SDK):
    /// when one of them is present, this SDK is reported as part of it and the parent's
    /// disclosure in a policy covers it. Cite where the bundling is documented in `sources`.
    #[serde(default)]
    pub bundled_in: Vec<SdkId>,
    /// Where `bundled_in` holds only for one copy of the SDK: Android packages (dotted, boundary
    /// rule) and iOS class prefixes of the copy that ships inside the parent (MTA as
    /// `com.tencent.wxop.stat` / `WXOMTA*` inside the WeChat SDK). The SDK is part of its parent
    /// only when all its evidence lies there; a copy found elsewhere (MTA integrated on its own)
    /// is reported on its own. Empty: `bundled_in` holds for every copy.
    #[serde(default)]
    pub bundled_only: Vec<String>,
    pub examples: Examples,
}

fn default_kind() -> SdkKind {
    SdkKind::Sdk
}

/// Names as policies write them, per language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Aliases {
    pub zh: Vec<String>,
    pub en: Vec<String>,
}

/// Android evidence of an SDK.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AndroidSignature {
    /// Dotted package or class prefixes, matched at a name boundary: `com.amap.api` matches
    /// `com.amap.api` and `com.amap.api.X`, not `com.amap.apix`.
    pub packages: Vec<String>,
    /// Manifest component class-name prefixes (same boundary rule).
    pub components: Vec<String>,
    /// Manifest `meta-data` names (exact) that carry the SDK's app key.
    pub meta_data: Vec<String>,
    /// Native library file-name prefixes (`libweibosdkcore` matches `libweibosdkcore.so`).
    pub native_libs: Vec<String>,
    /// Asset file names or prefixes that only this SDK ships (packer stubs mostly).
    pub assets: Vec<String>,
    /// Class or package prefixes under `packages` that other libraries ship too (interfaces,
    /// option/value classes, exception types): code there is still this SDK's, but defining
    /// only such classes makes the SDK `referenced`, not `present`. Listing the few crumbs is
    /// clearer than listing the core of every SDK: most SDKs have none, and an SDK whose
    /// crumbs nobody listed stays `present` as before (same boundary rule as `packages`).
    pub crumbs: Vec<String>,
    /// Packages of mediation adapters for this SDK that another vendor ships in its own
    /// namespace (Google's AdMob adapter for InMobi under `com.google.ads.mediation.inmobi`).
    /// The adapter drives this SDK, so its code is this SDK's and makes it `present`, not the
    /// namespace owner's: matched like `packages` (longest prefix wins), and the one place where
    /// a prefix may sit inside another vendor's package.
    pub adapters: Vec<String>,
}

/// iOS evidence of an SDK.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IosSignature {
    /// Framework bundle names without `.framework` (`AMapLocationKit`).
    pub frameworks: Vec<String>,
    /// Static library file names (`libWeChatSDK.a`).
    pub libraries: Vec<String>,
    /// ObjC / Swift class-name prefixes (`AMapLocation`, `JPUSH`), matched as plain prefixes.
    pub class_prefixes: Vec<String>,
    /// Exact ObjC class names when a prefix would be too broad, each seen in a real binary that
    /// a `sources` entry names (checked by `signatures validate`).
    pub classes: Vec<String>,
    /// Exact ObjC class names taken from vendor headers or documentation but not yet seen in a
    /// real binary: matched like `classes`, kept apart so that nobody mistakes them for
    /// verified names (Baidu OCR's documented `AipOcr` is `AipOcrService` in the binary).
    pub documented_classes: Vec<String>,
    /// Prefixes of C symbols only this SDK's code defines, written without the leading
    /// underscore (`ADJSign` for `_ADJSignGenerateSignature`): evidence for SDKs that ship
    /// C-only static libraries with no ObjC class. Matched on defined external symbols, never on
    /// ObjC (`OBJC_`) or Swift (`$s`) names; at least 5 characters so that a word is not claimed.
    pub symbols: Vec<String>,
    /// Prefixes of a static library's member (object file) names (`AdjustSigSdk-` for
    /// `AdjustSigSdk-arm64-master.o`): evidence for libraries whose classes and symbols are all
    /// local (obfuscated). At least 6 characters, no `/` or space.
    pub objects: Vec<String>,
}

/// Must-match and must-not-match examples; every SDK and rule has at least one of each.
///
/// Each example is `KIND:VALUE` where KIND is one of `android` (dotted class name),
/// `component` (manifest component class), `meta` (manifest meta-data name), `native`
/// (native library file name), `asset` (asset path), `ios` (ObjC class name),
/// `framework` (framework name), `library` (static library file name), `symbol` (a defined C
/// symbol as `nm` prints it, `_ADJSignGenerate`), `object` (a static-library member name),
/// `alias` (a name as a policy writes it).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(rename = "match")]
    pub must_match: Vec<String>,
    pub no_match: Vec<String>,
}

/// `libraries.toml`: code owners that are not SDKs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryFile {
    #[serde(rename = "library")]
    pub libraries: Vec<LibraryDef>,
}

/// What kind of library a [`LibraryDef`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LibraryKind {
    /// A named open-source library (glide, okhttp …): its code is its own owner, reported as
    /// "glide (library)".
    OpenSource,
    /// The platform's support/Jetpack libraries shipped inside apps (androidx, kotlin …):
    /// wrappers that only run when someone calls them, so their API use is attributed to their
    /// callers.
    Platform,
    /// The operating system's own API namespaces (android, java, dalvik …): calls into them are
    /// API use, not wrapper calls. The few classes an app defines there (backports) are owned
    /// like platform wrappers.
    System,
}

/// One library: a package-prefix owner with its licence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryDef {
    /// kebab-case id, unique across libraries and SDKs.
    pub id: String,
    pub name: String,
    pub kind: LibraryKind,
    /// SPDX licence expression.
    pub license: String,
    pub website: String,
    /// Dotted package prefixes (boundary rule as for SDK packages).
    pub packages: Vec<String>,
    /// `android:` dotted class names.
    pub examples: Examples,
}

/// `android-apis.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AndroidApiFile {
    #[serde(rename = "rule")]
    pub rules: Vec<AndroidApiRule>,
}

/// What an Android API rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AndroidApiKind {
    /// An `invoke-*` of `class.name(descriptor)`.
    Method,
    /// An `sget*`/`iget*` of `class.name`.
    Field,
    /// A `const-string` equal to `string`.
    String,
}

/// One Android API rule: a reference in a method's code means the code reaches for `data`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AndroidApiRule {
    /// kebab-case id, unique in the file (`telephony-get-device-id`).
    pub id: String,
    pub kind: AndroidApiKind,
    /// Taxonomy id.
    pub data: TaxonomyId,
    /// Dotted class name (`android.telephony.TelephonyManager`); for `method`/`field`.
    #[serde(default)]
    pub class: Option<String>,
    /// Method or field name; for `method`/`field`.
    #[serde(default)]
    pub name: Option<String>,
    /// DEX method descriptor `(params)ret` or field type; absent means any overload.
    #[serde(default)]
    pub descriptor: Option<String>,
    /// For `string` rules: the exact string constant.
    #[serde(default)]
    pub string: Option<String>,
    /// The rule only fires when the same method also loads one of these string constants
    /// (`Settings.Secure.getString` + `"android_id"`).
    #[serde(default)]
    pub with_strings: Vec<String>,
    /// Permission that guards the API, if any.
    #[serde(default)]
    pub permission: Option<String>,
    pub source: String,
    #[serde(default)]
    pub notes: Option<String>,
    /// Smali-form references: `Lpkg/Cls;->name(desc)ret`, `Lpkg/Cls;->NAME:Ltype;`, or a
    /// quoted string `"android_id"`; a method example may add ` + "str"` for `with_strings`.
    pub examples: Examples,
}

/// `android-permissions.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AndroidPermissionFile {
    #[serde(rename = "permission")]
    pub permissions: Vec<AndroidPermissionDef>,
}

/// One Android permission and the data it gives access to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AndroidPermissionDef {
    /// Full name (`android.permission.READ_PHONE_STATE`).
    pub name: String,
    /// `dangerous`, `special` (appop / settings screen), `normal`, `signature`.
    pub protection: String,
    /// Permission group as policies speak of it (`phone`, `location`, `camera` …).
    #[serde(default)]
    pub group: Option<String>,
    /// Taxonomy ids.
    #[serde(default)]
    pub data: Vec<TaxonomyId>,
    /// API level that added it.
    #[serde(default)]
    pub added_in: Option<u32>,
    pub source: String,
}

/// `ios-apis.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IosApiFile {
    #[serde(rename = "rule")]
    pub rules: Vec<IosApiRule>,
}

/// What an iOS API rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IosApiKind {
    /// An ObjC selector name in `__objc_methname` / selrefs (`advertisingIdentifier`).
    Selector,
    /// An imported (undefined) symbol (`_CNCopyCurrentNetworkInfo`, without the underscore).
    Symbol,
    /// A referenced ObjC class (`CLLocationManager`, from `_OBJC_CLASS_$_` imports).
    Class,
    /// A linked framework (`AdSupport`).
    Framework,
}

/// One iOS API rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IosApiRule {
    pub id: String,
    pub kind: IosApiKind,
    pub data: TaxonomyId,
    /// Selector, symbol (no leading underscore), class or framework name.
    pub name: String,
    /// For selectors: the rule only fires if one of these classes is also referenced
    /// (`generalPasteboard` + `UIPasteboard`).
    #[serde(default)]
    pub with_classes: Vec<String>,
    pub source: String,
    #[serde(default)]
    pub notes: Option<String>,
    /// `selector:NAME`, `symbol:NAME`, `class:NAME`, `framework:NAME`.
    pub examples: Examples,
}

/// `ios-plist-keys.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IosPlistKeyFile {
    #[serde(rename = "key")]
    pub keys: Vec<IosPlistKeyDef>,
}

/// One Info.plist privacy usage key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IosPlistKeyDef {
    /// `NSCameraUsageDescription`.
    pub name: String,
    /// Taxonomy ids.
    pub data: Vec<TaxonomyId>,
    /// Deprecated keys are still read (older apps).
    #[serde(default)]
    pub deprecated: bool,
    pub source: String,
}
