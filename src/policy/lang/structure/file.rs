//! The structure files as written: `signatures/language/<lang>/structure.toml` parsed
//! strictly (unknown fields refused) into [`StructureFile`]s, which [`super::Structure::compile`]
//! compiles.
//!
//! ```
//! use disclose::policy::lang::structure::{is_structure_file, parse};
//! assert!(is_structure_file("language/zh/structure.toml"));
//! assert!(parse("language/zh/structure.toml", "x.toml", "language = 1").is_err());
//! ```

use crate::signatures::schema::Examples;
use serde::Deserialize;

/// What a field label introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Name,
    Vendor,
    Purpose,
    Data,
    Link,
    Other,
}

/// What a table column holds, from its header cell. Declared in precedence order: the first
/// kind with a word in the cell wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    Permission,
    Link,
    Platform,
    Vendor,
    Data,
    Purpose,
    Name,
}

/// One `[[label]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelEntry {
    pub field: Field,
    pub words: Vec<String>,
    pub examples: Examples,
}

/// One `[[header]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderEntry {
    pub kind: ColumnKind,
    pub words: Vec<String>,
    pub examples: Examples,
}

/// One `[[platform]]` entry (`android`, `ios`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformEntry {
    pub id: String,
    pub words: Vec<String>,
    pub examples: Examples,
}

/// `[platform_marks]`: words that make a platform word a section marker.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformMarks {
    pub suffixes: Vec<String>,
    pub lists: Vec<String>,
    pub examples: Examples,
}

/// `[sdk_words]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkWords {
    pub words: Vec<String>,
    pub name_stops: Vec<String>,
    pub generic: Vec<String>,
    /// Marks that join several SDK names into one name ("微信/QQ/微博分享"): one character each.
    #[serde(default)]
    pub joiners: Vec<String>,
    pub examples: Examples,
}

/// `[not_sdk]`: cues of names that are not SDKs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotSdk {
    pub captions: Vec<String>,
    pub companies: Vec<String>,
    /// A name without an SDK word that ends (outside its brackets) with one of these is a
    /// kind of party ("快递物流服务提供商", "第三方支付机构", "payment processors"), not an SDK.
    #[serde(default)]
    pub parties: Vec<String>,
    pub examples_before: Vec<String>,
    pub denials: Vec<String>,
    pub bullets: Vec<String>,
    /// An SDK word followed by one of these ends no name ("SDK包": the package of an SDK).
    pub after_sdk_word: Vec<String>,
    /// A name (outside its brackets) that ends with one of these is another kind of thing:
    /// an API, an app ("今日头条API", "当前APP").
    pub other_kinds: Vec<String>,
    /// A name without an SDK word that ends (outside its brackets) with one of these is a data
    /// item read from a list ("网卡（MAC)地址", "sim卡信息"), not an SDK.
    #[serde(default)]
    pub data_items: Vec<String>,
    /// A sentence holding one of these states what the policy covers ("本隐私政策适用于…
    /// 软件开发工具包（SDK）"): an SDK named in it without an id is the service's own, not a row.
    #[serde(default)]
    pub scope: Vec<String>,
    pub examples: Examples,
}

/// `[mentions]`: words around a known SDK name in running text that say the app uses it
/// ("我们集成了某某SDK", "This app uses Sentry", "AdMob will display ads").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mentions {
    /// Shortly before the name (within [`super::MENTION_REACH`] characters).
    pub before: Vec<String>,
    /// Right after the name.
    pub after: Vec<String>,
    /// Each example holds `{sdk}` where the SDK name stands.
    pub examples: Examples,
}

/// `[category_words]`: SDK categories that complete a vendor name written alone in a row of
/// that category ("华为" in a row about 推送 → "华为推送", "Xiaomi" in a push row → "Xiaomi
/// Push"). Each group holds the words of one category; a row naming one word of a group
/// tries them all ("Push SDK" → "小米推送").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryWords {
    pub groups: Vec<Vec<String>>,
    /// Words after a brand that name its phones, not an SDK ("VIVO手机"): dropped before the
    /// category word is added.
    pub device_words: Vec<String>,
    /// `match` texts hold a category word, `no_match` texts none.
    pub examples: Examples,
}

/// `[aside]`: sentences that name an SDK in passing, not as one of the app's SDKs: a
/// device permission's description ("拒绝授权后，某某SDK相关功能将无法使用") or the purpose
/// clause of another SDK ("HMS Core SDK…用于完善华为登录SDK等功能").
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aside {
    /// A sentence holding one of these describes a device permission.
    pub permissions: Vec<String>,
    /// An SDK named after one of these, in the same clause, once another SDK was named
    /// earlier in the sentence, is what that SDK serves.
    pub purposes: Vec<String>,
    /// Marks that end a clause (after normalisation: "，" is ",").
    pub clause_breaks: Vec<String>,
    /// Each example holds `{sdk}` where the SDK name stands.
    pub examples: Examples,
}

/// `[spelling]`: variant spellings met in published lists. An alias written with the
/// standard form also matches the variant ("极光一键登陆SDK" is 极光一键登录).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spelling {
    /// Pairs `[variant, standard]`.
    pub variants: Vec<[String; 2]>,
    /// `match` texts hold a variant, `no_match` texts none.
    pub examples: Examples,
}

/// `[prose_names]`: a product named in running text with no SDK word, link or list ("We use
/// TelemetryDeck to understand which features people use", "usage statistics using PostHog
/// (posthog.eu)"). Its capitalised name is a row when a `before` cue stands right before it
/// and its sentence says what it collects or analyses (a `purposes` phrase) or a bracketed
/// domain follows the name. `not_names` are capitalised words that start no product name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProseNames {
    pub before: Vec<String>,
    pub purposes: Vec<String>,
    pub not_names: Vec<String>,
    /// Each example holds `{name}` where the product name stands.
    pub examples: Examples,
}

/// `[punctuation]`: marks that shape a row's name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Punctuation {
    /// Where the head of a list item ends ("：", " - ", a tab): the first of these.
    pub head_ends: Vec<String>,
    /// Quote marks and emphasis around a name, one character each.
    pub quotes: Vec<String>,
    /// Marks of a sentence or a list that no bare name holds ("!", "？", "、"), one character each.
    #[serde(default)]
    pub sentence_marks: Vec<String>,
    /// Endings after a name that make it a possessive ("Apple's Maps"): a company's thing, not
    /// a product named.
    #[serde(default)]
    pub possessives: Vec<String>,
    /// Marks that end a sentence, one character each (the Latin full stop is read apart: it
    /// also ends abbreviations and host names).
    #[serde(default)]
    pub sentence_ends: Vec<String>,
    /// Words after a dot that make it part of a host name ("example.com"), not a full stop.
    #[serde(default)]
    pub host_endings: Vec<String>,
    /// `match` texts hold a head end, `no_match` texts none.
    pub examples: Examples,
}

/// One `signatures/language/<lang>/structure.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StructureFile {
    pub language: String,
    #[serde(rename = "label")]
    pub labels: Vec<LabelEntry>,
    #[serde(rename = "header")]
    pub headers: Vec<HeaderEntry>,
    #[serde(rename = "platform")]
    pub platforms: Vec<PlatformEntry>,
    pub platform_marks: PlatformMarks,
    pub sdk_words: SdkWords,
    pub not_sdk: NotSdk,
    pub mentions: Mentions,
    pub category_words: CategoryWords,
    #[serde(default)]
    pub aside: Aside,
    #[serde(default)]
    pub spelling: Spelling,
    #[serde(default)]
    pub prose_names: ProseNames,
    #[serde(default)]
    pub punctuation: Punctuation,
}

/// A structure file and the path to name in errors.
#[derive(Debug, Clone)]
pub struct StructureSource {
    pub origin: String,
    pub file: StructureFile,
}

/// Parses one structure file; `rel` is its path under `signatures/` (`language/zh/structure.toml`).
pub fn parse(rel: &str, origin: &str, text: &str) -> Result<StructureSource, (String, String)> {
    let file = crate::policy::lang::parse_language_file(rel, origin, text, |f: &StructureFile| {
        &f.language
    })?;
    Ok(StructureSource {
        origin: origin.to_string(),
        file,
    })
}

/// Whether `rel` (path under `signatures/`) is a structure file.
pub fn is_structure_file(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    matches!(parts.as_slice(), ["language", lang, "structure.toml"] if !lang.is_empty())
}
