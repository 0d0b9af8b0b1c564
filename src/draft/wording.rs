//! The wording of `disclose draft` as data (`signatures/draft-wording.toml`): the review notice
//! at the top of every draft, headings and column names, and the purpose of each SDK category,
//! in English and Chinese. Validated strictly when the signatures load: unknown fields are
//! parse errors, texts must be non-empty, `zh` must be Chinese, categories unique, and every
//! SDK category of the set needs a purpose ([`check_categories`]).
//!
//! ```
//! use disclose::draft::wording::{DraftWording, Lang};
//! let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/signatures/draft-wording.toml")).unwrap();
//! let (wording, problems) = DraftWording::parse(&text);
//! assert!(problems.is_empty(), "{problems:?}");
//! let wording = wording.unwrap();
//! assert_eq!(wording.labels.sdk_name.get(Lang::Zh), "SDK名称");
//! assert!(wording.purpose("crash").is_some());
//! ```

use serde::{Deserialize, Serialize};

/// The language a draft is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// `en` or `zh`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// One text in both languages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// Headings, column names and marks. Every field is required.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub title: Text,
    pub sdk_list: Text,
    pub sdk_name: Text,
    pub vendor: Text,
    pub purpose: Text,
    pub data: Text,
    pub data_from_code: Text,
    pub data_from_vendor: Text,
    pub permissions: Text,
    pub privacy_policy: Text,
    pub evidence: Text,
    /// The mark of a data type observed in the code.
    pub from_code: Text,
    /// The mark of a data type only the vendor's documents name.
    pub from_vendor: Text,
    /// The SDK's file has no vendor statement (`data_undocumented`).
    pub vendor_silent: Text,
    pub none_observed: Text,
    pub app_collection: Text,
    pub data_type: Text,
    pub collected_by: Text,
    pub app_code: Text,
    pub library_code: Text,
    pub unknown_code: Text,
    pub app_permissions: Text,
    pub permission: Text,
    pub gives_access_to: Text,
    pub used_by: Text,
    pub not_declared: Text,
    pub not_listed: Text,
    pub part_of: Text,
    pub limits: Text,
    pub generated_by: Text,
    pub sites: Text,
    /// `1 call site` (English needs the singular).
    pub site: Text,
    /// Heading of the Play Data safety CSV section.
    pub data_safety: Text,
    /// Heading of the PrivacyInfo.xcprivacy skeleton section.
    pub privacy_manifest: Text,
    /// Why an SDK is not listed when no `[[not_listed_reason]]` matches; `{reason}` is the
    /// scan's English reason.
    pub not_listed_other: Text,
}

impl Labels {
    fn all(&self) -> [(&'static str, &Text); 35] {
        [
            ("title", &self.title),
            ("sdk_list", &self.sdk_list),
            ("sdk_name", &self.sdk_name),
            ("vendor", &self.vendor),
            ("purpose", &self.purpose),
            ("data", &self.data),
            ("data_from_code", &self.data_from_code),
            ("data_from_vendor", &self.data_from_vendor),
            ("permissions", &self.permissions),
            ("privacy_policy", &self.privacy_policy),
            ("evidence", &self.evidence),
            ("from_code", &self.from_code),
            ("from_vendor", &self.from_vendor),
            ("vendor_silent", &self.vendor_silent),
            ("none_observed", &self.none_observed),
            ("app_collection", &self.app_collection),
            ("data_type", &self.data_type),
            ("collected_by", &self.collected_by),
            ("app_code", &self.app_code),
            ("library_code", &self.library_code),
            ("unknown_code", &self.unknown_code),
            ("app_permissions", &self.app_permissions),
            ("permission", &self.permission),
            ("gives_access_to", &self.gives_access_to),
            ("used_by", &self.used_by),
            ("not_declared", &self.not_declared),
            ("not_listed", &self.not_listed),
            ("part_of", &self.part_of),
            ("limits", &self.limits),
            ("generated_by", &self.generated_by),
            ("sites", &self.sites),
            ("site", &self.site),
            ("data_safety", &self.data_safety),
            ("privacy_manifest", &self.privacy_manifest),
            ("not_listed_other", &self.not_listed_other),
        ]
    }
}

/// What real SDK lists write as the purpose of an SDK of `category`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    pub category: String,
    pub en: String,
    pub zh: String,
}

/// `draft-wording.toml` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftWordingFile {
    /// The review notice; `{from_code}` and `{from_vendor}` become the two marks.
    pub notice: Text,
    pub labels: Labels,
    pub purpose: Vec<Purpose>,
    /// The scan's reasons for leaving an SDK out of the list (`en`, with `{n}` for a count)
    /// and their wording in Chinese.
    #[serde(rename = "not_listed_reason")]
    pub not_listed_reasons: Vec<Text>,
}

/// The loaded wording.
#[derive(Debug, Clone)]
pub struct DraftWording {
    pub notice: Text,
    pub labels: Labels,
    pub purposes: Vec<Purpose>,
    pub not_listed_reasons: Vec<Text>,
}

/// The count `text` holds where `pattern` holds `{n}` (`""` for a pattern without one), or
/// `None` when `text` is not of the pattern's shape.
fn pattern_count<'t>(pattern: &str, text: &'t str) -> Option<&'t str> {
    match pattern.split_once("{n}") {
        None => (pattern == text).then_some(""),
        Some((before, after)) => {
            let n = text.strip_prefix(before)?.strip_suffix(after)?;
            (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then_some(n)
        }
    }
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn check_text(what: &str, text: &Text, problems: &mut Vec<String>) {
    if text.en.trim().is_empty() || text.zh.trim().is_empty() {
        problems.push(format!("{what}: empty text"));
    }
    if !has_chinese(&text.zh) {
        problems.push(format!("{what}: `zh` holds no Chinese: {:?}", text.zh));
    }
}

impl DraftWording {
    /// Parses and checks the file's text: the wording (when it parses) and every problem.
    pub fn parse(text: &str) -> (Option<DraftWording>, Vec<String>) {
        let file: DraftWordingFile = match toml::from_str(text) {
            Ok(file) => file,
            Err(e) => return (None, vec![e.to_string()]),
        };
        let mut problems = Vec::new();
        check_text("notice", &file.notice, &mut problems);
        for (name, text) in file.labels.all() {
            check_text(&format!("labels.{name}"), text, &mut problems);
        }
        let mut seen = std::collections::HashSet::new();
        for p in &file.purpose {
            let text = Text {
                en: p.en.clone(),
                zh: p.zh.clone(),
            };
            check_text(&format!("purpose {:?}", p.category), &text, &mut problems);
            if !seen.insert(p.category.as_str()) {
                problems.push(format!("purpose {:?}: listed twice", p.category));
            }
        }
        for (i, r) in file.not_listed_reasons.iter().enumerate() {
            let what = format!("not_listed_reason {}", i + 1);
            check_text(&what, r, &mut problems);
            if r.en.contains("{n}") != r.zh.contains("{n}") {
                problems.push(format!("{what}: `{{n}}` must be in both `en` and `zh`"));
            }
        }
        if !file.labels.not_listed_other.zh.contains("{reason}") {
            problems.push("labels.not_listed_other: `zh` needs `{reason}`".to_string());
        }
        let wording = DraftWording {
            notice: file.notice,
            labels: file.labels,
            purposes: file.purpose,
            not_listed_reasons: file.not_listed_reasons,
        };
        (Some(wording), problems)
    }

    /// The purpose wording of an SDK category.
    pub fn purpose(&self, category: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.category == category)
    }

    /// Why an SDK is not listed, in `lang`: the scan's English `reason`, or its Chinese
    /// wording (`[[not_listed_reason]]`; else `labels.not_listed_other` around the English).
    pub fn not_listed_reason(&self, reason: &str, lang: Lang) -> String {
        if lang == Lang::En {
            return reason.to_string();
        }
        self.not_listed_reasons
            .iter()
            .find_map(|r| pattern_count(&r.en, reason).map(|n| r.get(lang).replace("{n}", n)))
            .unwrap_or_else(|| {
                self.labels
                    .not_listed_other
                    .get(lang)
                    .replace("{reason}", reason)
            })
    }

    /// The review notice in `lang`, with the two marks filled in.
    pub fn notice(&self, lang: Lang) -> String {
        self.notice
            .get(lang)
            .replace("{from_code}", self.labels.from_code.get(lang))
            .replace("{from_vendor}", self.labels.from_vendor.get(lang))
    }
}

/// Every SDK category (of `categories`) without a purpose, as one problem each.
pub fn check_categories<'a>(
    wording: &DraftWording,
    categories: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<String> {
    let mut missing = std::collections::BTreeMap::new();
    for (sdk, category) in categories {
        if wording.purpose(category).is_none() {
            missing.entry(category).or_insert(sdk);
        }
    }
    missing
        .into_iter()
        .map(|(category, sdk)| {
            format!("no [[purpose]] for SDK category {category:?} (used by {sdk})")
        })
        .collect()
}

/// The set-level check run when signatures load: every SDK category has a purpose (only when
/// the set has a wording file).
pub fn check_set(
    set: &crate::signatures::SignatureSet,
    sources: &crate::signatures::SignatureSources,
) -> Vec<crate::signatures::SignatureError> {
    let Some(wording) = &set.draft_wording else {
        return Vec::new();
    };
    let origin = sources
        .get("draft-wording.toml")
        .map_or("signatures/draft-wording.toml", |f| f.origin.as_str());
    let categories = set
        .sdks
        .iter()
        .map(|s| (s.id.as_str(), s.category.as_str()));
    check_categories(wording, categories)
        .into_iter()
        .map(|m| crate::signatures::SignatureError::new(origin, m))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_and_english_zh_are_problems() {
        let (_, problems) = DraftWording::parse("[notice]\nen = \"x\"\nzh = \"y\"\nfoo = 1\n");
        assert!(problems[0].contains("foo"), "{problems:?}");
        let good = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/signatures/draft-wording.toml"
        ))
        .unwrap();
        let bad = good.replacen("向用户推送消息通知", "push messages", 1);
        let (_, problems) = DraftWording::parse(&bad);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("\"push\""), "{problems:?}");
    }

    #[test]
    fn not_listed_reasons_are_worded_in_chinese() {
        let good = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/signatures/draft-wording.toml"
        ))
        .unwrap();
        let wording = DraftWording::parse(&good).0.unwrap();
        let crumbs = "defines only 3 crumb classes that other libraries ship (interfaces, value or exception classes)";
        let zh = wording.not_listed_reason(crumbs, Lang::Zh);
        assert!(
            zh.contains('3') && has_chinese(&zh) && !zh.contains("crumb"),
            "{zh}"
        );
        assert_eq!(wording.not_listed_reason(crumbs, Lang::En), crumbs);
        let other = wording.not_listed_reason("a reason nobody worded", Lang::Zh);
        assert!(
            other.contains("a reason nobody worded") && has_chinese(&other),
            "{other}"
        );
        assert_eq!(pattern_count("only {n} x", "only 12 x"), Some("12"));
        assert_eq!(pattern_count("only {n} x", "only many x"), None);
        assert_eq!(pattern_count("none", "none"), Some(""));
    }

    #[test]
    fn a_category_without_purpose_is_named() {
        let good = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/signatures/draft-wording.toml"
        ))
        .unwrap();
        let (wording, _) = DraftWording::parse(&good);
        let wording = wording.unwrap();
        let problems = check_categories(&wording, [("x-sdk", "teleport"), ("bugly", "crash")]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("teleport") && problems[0].contains("x-sdk"));
    }
}
