//! Privacy-manifest data: Apple's required-reason API categories
//! (`signatures/ios-required-reason.toml`: the names each category covers and its valid reason
//! codes) and the other facts privacy manifests are checked against
//! (`signatures/ios-privacy-manifest.toml`: Apple's list of commonly used SDKs that must ship a
//! manifest, and Apple's collected-data types mapped to taxonomy ids). Both files are optional
//! in a `--signatures` directory; their schemas are strict and every entry's examples run in
//! `disclose signatures test` ([`run_examples`]).
//!
//! ```
//! use disclose::signatures::required_reason::{RefName, RequiredReasonMatcher};
//! let set = disclose::signatures::SignatureSet::builtin()?;
//! let m = RequiredReasonMatcher::new(&set.required_reason);
//! let hits = m.categories(RefName::Symbol("_stat$INODE64"));
//! assert_eq!(set.required_reason[hits[0]].id, "NSPrivacyAccessedAPICategoryFileTimestamp");
//! # Ok::<(), disclose::signatures::SignatureError>(())
//! ```

use super::schema::Examples;
use super::{SignatureError, SignatureSet};
use crate::id::{SdkId, TaxonomyId};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

/// `ios-required-reason.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredReasonFile {
    /// Where Apple lists the categories.
    pub source: String,
    /// When the source was read (`YYYY-MM-DD`).
    pub retrieved: String,
    #[serde(rename = "category")]
    pub categories: Vec<ApiCategory>,
}

/// One required-reason API category.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiCategory {
    /// `NSPrivacyAccessedAPIType` value, e.g. `NSPrivacyAccessedAPICategoryDiskSpace`.
    pub id: String,
    /// Apple's heading, e.g. "Disk space APIs".
    pub name: String,
    /// C functions and Foundation constants, without the Mach-O leading underscore.
    pub symbols: Vec<String>,
    /// Objective-C selectors.
    pub selectors: Vec<String>,
    /// Objective-C classes whose mere use is covered (`NSUserDefaults`).
    pub classes: Vec<String>,
    /// The reason codes Apple accepts (`CA92.1`).
    pub reasons: Vec<String>,
    pub examples: Examples,
}

/// `ios-privacy-manifest.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyManifestFile {
    pub sdk_list_source: String,
    pub collected_types_source: String,
    pub retrieved: String,
    #[serde(rename = "sdk")]
    pub sdks: Vec<AppleListedSdk>,
    #[serde(rename = "collected_type")]
    pub collected_types: Vec<CollectedTypeMapping>,
    /// Which detected SDKs show tracking (`manifest-tracking-contradiction`).
    pub tracking: TrackingSdks,
}

/// The SDKs whose presence shows tracking in Apple's sense: by SDK category (advertising,
/// attribution) and by SDK id (SDKs whose vendor's own privacy manifest declares tracking).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackingSdks {
    /// Where Apple defines tracking.
    pub source: String,
    /// SDK categories (`category` of signatures/sdks/*.toml) that mean tracking.
    pub categories: Vec<String>,
    /// SDK ids that mean tracking whatever their category (cited in their SDK files).
    pub sdks: Vec<SdkId>,
    pub examples: Examples,
}

impl Default for TrackingSdks {
    fn default() -> Self {
        TrackingSdks {
            source: String::new(),
            categories: Vec::new(),
            sdks: Vec::new(),
            examples: Examples {
                must_match: Vec::new(),
                no_match: Vec::new(),
            },
        }
    }
}

impl TrackingSdks {
    /// Whether an SDK of id `sdk` and category `category` shows tracking.
    pub fn is_tracking(&self, sdk: &str, category: &str) -> bool {
        self.categories.iter().any(|c| c == category) || self.sdks.iter().any(|s| s == sdk)
    }
}

/// An SDK on Apple's list of commonly used third-party SDKs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppleListedSdk {
    /// As Apple writes it (`FBSDKCoreKit`, `BoringSSL / openssl_grpc`).
    pub name: String,
    /// Framework / module names that identify it in an IPA (exact, case-sensitive).
    pub frameworks: Vec<String>,
    /// Our SDK id, where `signatures/sdks/` has one.
    #[serde(default)]
    pub sdk: Option<SdkId>,
    /// Objective-C classes the SDK defines (exact), which identify it when it is linked
    /// statically into another binary (no framework of its own).
    #[serde(default)]
    pub classes: Vec<String>,
    pub examples: Examples,
}

/// An `NSPrivacyCollectedDataType…` value and the taxonomy id it means.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectedTypeMapping {
    pub apple: String,
    /// `None`: no taxonomy id covers it; not compared with the policy.
    #[serde(default)]
    pub data: Option<TaxonomyId>,
    pub examples: Examples,
}

/// A name a binary references, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefName<'a> {
    /// An imported symbol as the Mach-O holds it (`_stat`, `_stat$INODE64`).
    Symbol(&'a str),
    Selector(&'a str),
    Class(&'a str),
}

/// `_stat$INODE64` → `stat`: one leading underscore and any `$` variant suffix dropped.
pub fn symbol_key(symbol: &str) -> &str {
    let bare = symbol.strip_prefix('_').unwrap_or(symbol);
    bare.split('$').next().unwrap_or(bare)
}

/// Which categories a referenced name belongs to (indices into the category list).
#[derive(Debug, Clone, Default)]
pub struct RequiredReasonMatcher {
    symbols: HashMap<String, Vec<usize>>,
    selectors: HashMap<String, Vec<usize>>,
    classes: HashMap<String, Vec<usize>>,
}

impl RequiredReasonMatcher {
    pub fn new(categories: &[ApiCategory]) -> Self {
        let mut m = RequiredReasonMatcher::default();
        for (i, c) in categories.iter().enumerate() {
            for (table, names) in [
                (&mut m.symbols, &c.symbols),
                (&mut m.selectors, &c.selectors),
                (&mut m.classes, &c.classes),
            ] {
                for n in names {
                    table.entry(n.clone()).or_default().push(i);
                }
            }
        }
        m
    }

    /// The categories `name` belongs to (empty when none).
    pub fn categories(&self, name: RefName<'_>) -> &[usize] {
        let hit = match name {
            RefName::Symbol(s) => self.symbols.get(symbol_key(s)),
            RefName::Selector(s) => self.selectors.get(s),
            RefName::Class(c) => self.classes.get(c),
        };
        hit.map_or(&[][..], Vec::as_slice)
    }
}

impl PrivacyManifestFile {
    /// The entry of Apple's list whose frameworks include `framework`.
    pub fn listed_sdk(&self, framework: &str) -> Option<&AppleListedSdk> {
        self.sdks
            .iter()
            .find(|s| s.frameworks.iter().any(|f| f == framework))
    }

    /// The entry of Apple's list that defines the Objective-C class `class`.
    pub fn listed_sdk_by_class(&self, class: &str) -> Option<&AppleListedSdk> {
        self.sdks
            .iter()
            .find(|s| s.classes.iter().any(|c| c == class))
    }

    /// The taxonomy id of an `NSPrivacyCollectedDataType…` value, if one covers it.
    pub fn taxonomy_id(&self, apple: &str) -> Option<&str> {
        self.collected_types
            .iter()
            .find(|t| t.apple == apple)
            .and_then(|t| t.data.as_deref())
    }
}

/// Parses one of the two files into `set` (called by `super::load` for `rel`).
pub(super) fn load(
    set: &mut SignatureSet,
    rel: &str,
    origin: &str,
    text: &str,
    problems: &mut Vec<SignatureError>,
) {
    if rel == "ios-required-reason.toml" {
        if let Some(parsed) = super::load::parse::<RequiredReasonFile>(origin, text, problems) {
            let found = category_problems(&parsed);
            problems.extend(found.into_iter().map(|m| SignatureError::new(origin, m)));
            set.required_reason = parsed.categories;
        }
    } else if let Some(parsed) = super::load::parse::<PrivacyManifestFile>(origin, text, problems) {
        set.privacy_manifest = parsed;
    }
}

/// The checks of `ios-privacy-manifest.toml` that need the whole set (SDK ids, taxonomy); the
/// loader runs them when the set has the file (without it nothing is listed, mapped or means
/// tracking).
pub(super) fn set_problems(set: &SignatureSet) -> Vec<SignatureError> {
    manifest_fact_problems(&set.privacy_manifest, set)
        .into_iter()
        .map(|m| SignatureError::new(set.origins.privacy_manifest.clone(), m))
        .collect()
}

/// Whether `code` has the shape of an Apple reason code (`CA92.1`, `35F9.1`).
fn is_reason_code(code: &str) -> bool {
    let Some((head, tail)) = code.split_once('.') else {
        return false;
    };
    head.len() == 4
        && head
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        && !tail.is_empty()
        && tail.bytes().all(|b| b.is_ascii_digit())
}

/// The strict checks of `ios-required-reason.toml`.
pub fn category_problems(file: &RequiredReasonFile) -> Vec<String> {
    let mut out = Vec::new();
    if !file.source.starts_with("https://") {
        out.push("field 'source' must be an https URL".to_string());
    }
    let mut ids = BTreeSet::new();
    for c in &file.categories {
        let at = format!("category '{}'", c.id);
        if !c.id.starts_with("NSPrivacyAccessedAPICategory") {
            out.push(format!(
                "{at}: field 'id' must start with NSPrivacyAccessedAPICategory"
            ));
        }
        if !ids.insert(c.id.as_str()) {
            out.push(format!("{at}: defined twice"));
        }
        if c.symbols.is_empty() && c.selectors.is_empty() && c.classes.is_empty() {
            out.push(format!("{at}: no symbols, selectors or classes"));
        }
        if c.reasons.is_empty() {
            out.push(format!("{at}: field 'reasons' is empty"));
        }
        for r in c.reasons.iter().filter(|r| !is_reason_code(r)) {
            out.push(format!(
                "{at}: reason '{r}' is not a reason code like CA92.1 (field 'reasons')"
            ));
        }
        for s in c
            .symbols
            .iter()
            .filter(|s| s.starts_with('_') || s.contains('$'))
        {
            out.push(format!(
                "{at}: symbol '{s}' must be written without '_' prefix or '$' suffix (field 'symbols')"
            ));
        }
        if c.examples.must_match.is_empty() {
            out.push(format!("{at}: needs at least one 'examples.match'"));
        }
    }
    out
}

/// The strict checks of `ios-privacy-manifest.toml` against the rest of the set.
pub fn manifest_fact_problems(file: &PrivacyManifestFile, set: &SignatureSet) -> Vec<String> {
    let mut out = Vec::new();
    let mut names = BTreeSet::new();
    let mut frameworks = BTreeSet::new();
    let mut classes = BTreeSet::new();
    for s in &file.sdks {
        let at = format!("sdk '{}'", s.name);
        if !names.insert(s.name.as_str()) {
            out.push(format!("{at}: listed twice"));
        }
        if s.frameworks.is_empty() {
            out.push(format!("{at}: field 'frameworks' is empty"));
        }
        for f in &s.frameworks {
            if !frameworks.insert(f.as_str()) {
                out.push(format!("{at}: framework '{f}' belongs to two entries"));
            }
        }
        for c in &s.classes {
            if !classes.insert(c.as_str()) {
                out.push(format!("{at}: class '{c}' belongs to two entries"));
            }
        }
        if let Some(id) = &s.sdk {
            if set.sdks.iter().all(|sdk| &sdk.id != id) {
                out.push(format!("{at}: unknown SDK id '{id}' (field 'sdk')"));
            }
        }
    }
    let mut apple = BTreeSet::new();
    for t in &file.collected_types {
        let at = format!("collected_type '{}'", t.apple);
        if !t.apple.starts_with("NSPrivacyCollectedDataType") {
            out.push(format!(
                "{at}: field 'apple' must start with NSPrivacyCollectedDataType"
            ));
        }
        if !apple.insert(t.apple.as_str()) {
            out.push(format!("{at}: listed twice"));
        }
        if let Some(d) = &t.data {
            if !set.taxonomy.contains(d) {
                out.push(format!("{at}: unknown taxonomy id '{d}' (field 'data')"));
            }
        }
    }
    out.extend(tracking_problems(&file.tracking, set));
    out
}

/// The strict checks of the `[tracking]` table: known categories and SDK ids, examples.
fn tracking_problems(t: &TrackingSdks, set: &SignatureSet) -> Vec<String> {
    let mut out = Vec::new();
    if !t.source.starts_with("https://") {
        out.push("tracking: field 'source' must be an https URL".to_string());
    }
    for c in &t.categories {
        if set.sdks.iter().all(|s| &s.spec.category != c) {
            out.push(format!(
                "tracking: category '{c}' is no SDK's category (field 'categories')"
            ));
        }
    }
    for id in &t.sdks {
        if set.sdks.iter().all(|s| &s.id != id) {
            out.push(format!("tracking: unknown SDK id '{id}' (field 'sdks')"));
        }
    }
    if t.examples.must_match.is_empty() || t.examples.no_match.is_empty() {
        out.push("tracking: needs 'examples.match' and 'examples.no_match'".to_string());
    }
    out
}

/// Every failing example of the two files (empty when all pass).
pub fn run_examples(set: &SignatureSet) -> Vec<SignatureError> {
    let mut failures = Vec::new();
    let m = RequiredReasonMatcher::new(&set.required_reason);
    let file = &set.origins.required_reason;
    for (i, c) in set.required_reason.iter().enumerate() {
        each(&c.examples, |example, want| {
            let got = category_example(&m, example).map(|hits| hits.contains(&i));
            push(
                &mut failures,
                file,
                &format!("category '{}'", c.id),
                example,
                want,
                got,
            );
        });
    }
    let facts = &set.privacy_manifest;
    let file = &set.origins.privacy_manifest;
    for s in &facts.sdks {
        each(&s.examples, |example, want| {
            let got = match example.split_once(':') {
                Some(("framework", f)) => {
                    Ok(facts.listed_sdk(f).is_some_and(|hit| hit.name == s.name))
                }
                Some(("class", c)) => Ok(facts
                    .listed_sdk_by_class(c)
                    .is_some_and(|hit| hit.name == s.name)),
                _ => Err("expected framework:NAME or class:NAME".to_string()),
            };
            push(
                &mut failures,
                file,
                &format!("sdk '{}'", s.name),
                example,
                want,
                got,
            );
        });
    }
    for t in &facts.collected_types {
        each(&t.examples, |example, want| {
            let got = match example.strip_prefix("type:") {
                Some(a) => Ok(facts.collected_types.iter().any(|x| x.apple == a)
                    && facts.taxonomy_id(a) == t.data.as_deref()
                    && t.data.is_some()),
                None => Err("expected type:NAME".to_string()),
            };
            push(
                &mut failures,
                file,
                &format!("collected_type '{}'", t.apple),
                example,
                want,
                got,
            );
        });
    }
    each(&facts.tracking.examples, |example, want| {
        let got = tracking_example(set, example);
        push(&mut failures, file, "tracking", example, want, got);
    });
    failures
}

/// `sdk:ID` (the SDK, with its own category) or `category:NAME` (any SDK of it).
fn tracking_example(set: &SignatureSet, example: &str) -> Result<bool, String> {
    let t = &set.privacy_manifest.tracking;
    match example.split_once(':') {
        Some(("sdk", id)) => {
            let sdk = set
                .sdks
                .iter()
                .find(|s| s.id == id)
                .ok_or_else(|| format!("unknown SDK id '{id}'"))?;
            Ok(t.is_tracking(id, &sdk.spec.category))
        }
        Some(("category", c)) => Ok(t.is_tracking("", c)),
        _ => Err("expected sdk:ID or category:NAME".to_string()),
    }
}

fn each(examples: &Examples, mut f: impl FnMut(&str, bool)) {
    examples.must_match.iter().for_each(|e| f(e, true));
    examples.no_match.iter().for_each(|e| f(e, false));
}

fn category_example<'m>(
    m: &'m RequiredReasonMatcher,
    example: &str,
) -> Result<&'m [usize], String> {
    let (kind, value) = example
        .split_once(':')
        .ok_or("needs a KIND: prefix (symbol, selector, class)")?;
    Ok(match kind {
        "symbol" => m.categories(RefName::Symbol(value)),
        "selector" => m.categories(RefName::Selector(value)),
        "class" => m.categories(RefName::Class(value)),
        other => return Err(format!("unknown example kind '{other}'")),
    })
}

fn push(
    failures: &mut Vec<SignatureError>,
    file: &str,
    entry: &str,
    example: &str,
    want: bool,
    got: Result<bool, String>,
) {
    let list = if want { "match" } else { "no_match" };
    let problem = match got {
        Ok(g) if g == want => return,
        Ok(_) if want => "does not match".to_string(),
        Ok(_) => "matches".to_string(),
        Err(why) => why,
    };
    failures.push(SignatureError::new(
        file,
        format!("{entry}: example '{example}' in 'examples.{list}' {problem}"),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbol_keys_drop_underscore_and_variant() {
        assert_eq!(symbol_key("_stat$INODE64"), "stat");
        assert_eq!(symbol_key("_statfs"), "statfs");
        assert_eq!(symbol_key("__stat"), "_stat");
    }

    #[test]
    fn reason_codes_have_apples_shape() {
        assert!(is_reason_code("CA92.1"));
        assert!(is_reason_code("35F9.1"));
        assert!(!is_reason_code("ca92.1"));
        assert!(!is_reason_code("CA92"));
        assert!(!is_reason_code("CA9.1"));
    }
}
