//! Fix wording (`fixes.toml`): for every finding kind, the concrete change that makes the
//! finding go away — the missing policy sentence or SDK-list row, "remove the SDK or declare
//! it", "declare the permission's purpose" — in English and Chinese, with `{placeholders}` the
//! comparison fills in. Validated strictly: unknown fields and kinds are parse errors, every
//! kind needs wording for the app and for SDKs, placeholders must be known, `zh` must be Chinese.
//!
//! ```
//! use disclose::signatures::fixes::{FixFile, Fixes};
//! use disclose::compare::finding::FindingKind;
//! let file: FixFile = toml::from_str(r#"
//! [[fix]]
//! kind = "vague-data"
//! en = "Name {data_en} instead of only {parent_en}."
//! zh = "写明{data_zh}，不要只写{parent_zh}。"
//! "#).unwrap();
//! let fixes = Fixes::new(file.fix);
//! let t = fixes.get(FindingKind::VagueData, false).unwrap();
//! let vars = |name: &str| match name { "data_en" => Some("IMEI".to_string()), "parent_en" => Some("device information".to_string()), _ => None };
//! assert_eq!(t.render(&t.en, &vars), "Name IMEI instead of only device information.");
//! ```

use crate::compare::finding::FindingKind;
use serde::Deserialize;

/// The placeholders a fix may use (filled by `crate::compare::fix`).
pub const PLACEHOLDERS: &[&str] = &[
    "data_en",
    "data_zh",
    "parent_en",
    "parent_zh",
    "sdk_name",
    "vendor",
    "vendor_zh",
    "sdk_data_en",
    "sdk_data_zh",
    "privacy_policy",
    "permission",
    "line",
];

/// `fixes.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixFile {
    pub fix: Vec<FixDef>,
}

/// Whose finding a wording is for; absent: both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixFor {
    /// The app's own code (or a library it links) collects.
    App,
    /// An SDK (or unattributed third-party code) collects.
    Sdk,
}

/// One fix wording.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixDef {
    pub kind: FindingKind,
    #[serde(default)]
    pub collector: Option<FixFor>,
    /// English wording.
    pub en: String,
    /// Chinese wording (for policies written in Chinese).
    pub zh: String,
}

impl FixDef {
    /// `text` with every `{name}` replaced by `vars(name)`; a placeholder without a value
    /// becomes `…`, so a fix never shows a raw `{name}`.
    pub fn render(&self, text: &str, vars: &dyn Fn(&str) -> Option<String>) -> String {
        let mut out = String::with_capacity(text.len() + 32);
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    let name = &after[..close];
                    out.push_str(&vars(name).unwrap_or_else(|| "…".to_string()));
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The fix wordings of a signature set.
#[derive(Debug, Clone, Default)]
pub struct Fixes {
    defs: Vec<FixDef>,
}

impl Fixes {
    pub fn new(defs: Vec<FixDef>) -> Self {
        Fixes { defs }
    }

    /// The wording for `kind` when an SDK (`by_sdk`) or the app collects: the entry for that
    /// collector, else the entry for both.
    pub fn get(&self, kind: FindingKind, by_sdk: bool) -> Option<&FixDef> {
        let want = if by_sdk { FixFor::Sdk } else { FixFor::App };
        self.defs
            .iter()
            .find(|d| d.kind == kind && d.collector == Some(want))
            .or_else(|| {
                self.defs
                    .iter()
                    .find(|d| d.kind == kind && d.collector.is_none())
            })
    }

    /// True when no wording is loaded (a signature directory without `fixes.toml`).
    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }

    /// Every problem of the wordings: a kind or collector without one, one given twice, an
    /// unknown or unclosed placeholder, empty text, `zh` without Chinese.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for &kind in FindingKind::ALL {
            for by_sdk in [false, true] {
                if self.get(kind, by_sdk).is_none() {
                    let who = if by_sdk { "sdk" } else { "app" };
                    out.push(format!("kind '{kind}': no fix for collector '{who}'"));
                }
            }
        }
        for (i, d) in self.defs.iter().enumerate() {
            let at = format!("fix #{} ({})", i + 1, d.kind);
            if self.defs[..i]
                .iter()
                .any(|e| e.kind == d.kind && e.collector == d.collector)
            {
                out.push(format!("{at}: the same kind and collector twice"));
            }
            for (field, text) in [("en", &d.en), ("zh", &d.zh)] {
                if text.trim().is_empty() {
                    out.push(format!("{at}: '{field}' is empty"));
                }
                out.extend(placeholder_problems(text).map(|p| format!("{at}: '{field}': {p}")));
            }
            if !d.zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
                out.push(format!("{at}: 'zh' holds no Chinese"));
            }
        }
        out
    }
}

/// Unknown or unclosed placeholders of `text`.
fn placeholder_problems(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || {
        let open = rest.find('{')?;
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            rest = "";
            return Some("unclosed '{'".to_string());
        };
        let name = &after[..close];
        rest = &after[close + 1..];
        Some(if PLACEHOLDERS.contains(&name) {
            String::new()
        } else {
            format!(
                "unknown placeholder '{{{name}}}' (known: {})",
                PLACEHOLDERS.join(", ")
            )
        })
    })
    .filter(|p| !p.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixes(text: &str) -> Fixes {
        Fixes::new(
            toml::from_str::<FixFile>(text)
                .map(|f| f.fix)
                .unwrap_or_default(),
        )
    }

    #[test]
    fn the_shipped_wording_has_no_problem() {
        let text = include_str!("../../signatures/fixes.toml");
        let file: FixFile = toml::from_str(text).expect("fixes.toml parses");
        assert_eq!(Fixes::new(file.fix).problems(), Vec::<String>::new());
    }

    #[test]
    fn missing_kinds_bad_placeholders_and_english_zh_are_problems() {
        let f = fixes(
            "[[fix]]\nkind = \"vague-data\"\nen = \"Name {data_en} {nope}\"\nzh = \"name it\"\n",
        );
        let problems = f.problems();
        assert!(problems
            .iter()
            .any(|p| p == "kind 'contradiction': no fix for collector 'app'"));
        assert!(problems
            .iter()
            .any(|p| p.contains("unknown placeholder '{nope}'")));
        assert!(problems
            .iter()
            .any(|p| p.ends_with("'zh' holds no Chinese")));
        assert!(
            toml::from_str::<FixFile>("[[fix]]\nkind = \"nope\"\nen = \"a\"\nzh = \"乙\"\n")
                .is_err()
        );
        assert!(toml::from_str::<FixFile>(
            "[[fix]]\nkind = \"vague-data\"\nen = \"a\"\nzh = \"乙\"\nextra = 1\n"
        )
        .is_err());
    }

    #[test]
    fn render_fills_placeholders_and_marks_missing_ones() {
        let f =
            fixes("[[fix]]\nkind = \"vague-data\"\nen = \"{data_en} at {line} {x\"\nzh = \"乙\"\n");
        let def = f.get(FindingKind::VagueData, true).expect("entry for both");
        let vars = |n: &str| (n == "data_en").then(|| "IMEI".to_string());
        assert_eq!(def.render(&def.en, &vars), "IMEI at … {x");
    }
}
