//! Words for SDK names met in passing and for variant spellings (`[aside]` and `[spelling]`
//! of `signatures/language/<lang>/structure.toml`): a name inside a device permission's
//! description or inside another SDK's purpose clause is not a row of the SDK list, an
//! alias also matches its variant spellings, and a company written before a product names
//! its vendor, not the product.
//!
//! ```
//! use disclose::policy::lang::structure::Structure;
//! let s = Structure::builtin().unwrap();
//! // "拒绝授权后，{sdk}相关功能将无法使用": a permission's description.
//! assert!(s.is_aside("拒绝授权后,", "拒绝授权后,某某sdk相关功能将无法使用"));
//! // "甲SDK收集WiFi信息，用于完善{sdk}": what 甲SDK serves.
//! assert!(s.is_aside("甲sdk收集wifi信息,用于完善", "甲sdk收集wifi信息,用于完善乙sdk"));
//! // "甲SDK用于推送，{sdk}用于统计": a clause of its own.
//! assert!(!s.is_aside("甲sdk用于推送,", "甲sdk用于推送,乙sdk用于统计"));
//! assert!(s.spelling_variants().any(|(v, w)| v == "登陆" && w == "登录"));
//! assert_eq!(s.product_after_company("北京某某科技有限公司 某某sdk"), Some("某某sdk"));
//! ```

use super::{normalised, Structure, StructureSource};
use crate::policy::normal::normalise_word;

/// The compiled `[aside]` and `[spelling]` words of every language.
#[derive(Debug, Clone, Default)]
pub(super) struct AsideWords {
    permissions: Vec<String>,
    purposes: Vec<String>,
    clause_breaks: Vec<char>,
    /// (variant, standard), both normalised.
    spelling: Vec<(String, String)>,
}

impl AsideWords {
    /// Collects the words of all files; fails (file, message) on a clause break that is not
    /// one character or a spelling pair whose words are empty, equal, or of different length
    /// (a variant replaces its standard form in place).
    pub(super) fn compile(files: &[StructureSource]) -> Result<AsideWords, (String, String)> {
        let mut out = AsideWords::default();
        for src in files {
            let f = &src.file;
            let err = |m: String| (src.origin.clone(), m);
            out.permissions.extend(normalised(&f.aside.permissions));
            out.purposes.extend(normalised(&f.aside.purposes));
            for b in &f.aside.clause_breaks {
                let mut chars = normalise_word(b).chars().collect::<Vec<_>>();
                if chars.len() != 1 {
                    return Err(err(format!("clause break '{b}' is not one character")));
                }
                out.clause_breaks.append(&mut chars);
            }
            for [variant, standard] in &f.spelling.variants {
                let (v, s) = (normalise_word(variant), normalise_word(standard));
                if v.is_empty() || v == s || v.chars().count() != s.chars().count() {
                    return Err(err(format!(
                        "spelling variant '{variant}' of '{standard}' is empty, the same word or of another length"
                    )));
                }
                out.spelling.push((v, s));
            }
        }
        Ok(out)
    }
}

impl Structure {
    /// Whether an SDK name in a normalised sentence is named in passing: the sentence
    /// describes a device permission, or the name stands in a purpose clause (after an
    /// `[aside] purposes` word, with no clause break between) and another SDK was named
    /// before that clause. `lead` is the sentence up to the name.
    pub fn is_aside(&self, lead: &str, sentence: &str) -> bool {
        let a = &self.aside;
        if a.permissions.iter().any(|w| sentence.contains(w.trim())) {
            return true;
        }
        let clause_start = lead
            .char_indices()
            .rfind(|(_, c)| a.clause_breaks.contains(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let clause = lead.get(clause_start..).unwrap_or("");
        let Some(cue) = a
            .purposes
            .iter()
            .filter_map(|w| clause.find(w.trim()))
            .min()
        else {
            return false;
        };
        self.has_sdk_word(lead.get(..clause_start + cue).unwrap_or(""))
    }

    /// The product named after a company in a normalised name ("北京火山引擎科技有限公司
    /// 流式语音识别sdk" → "流式语音识别sdk"): the company is the vendor, and a vendor's alias
    /// inside it must not name the row. `None` when no company comes first or nothing naming
    /// an SDK follows it.
    pub fn product_after_company<'n>(&self, name: &'n str) -> Option<&'n str> {
        let end = self
            .companies
            .iter()
            .filter(|c| !c.starts_with(' '))
            .filter_map(|c| name.rfind(c.as_str()).map(|i| i + c.len()))
            .max()?;
        let rest = name.get(end..)?.trim();
        let core = self
            .bare_sdk_words
            .iter()
            .find_map(|w| rest.strip_suffix(w.as_str()))
            .unwrap_or(rest)
            .trim();
        let named = core.chars().count() >= 2 && !self.is_generic(core);
        (self.has_sdk_word(rest) && named).then_some(rest)
    }

    /// Whether normalised text right after a name goes on into a company's name ("科技有限公司…"
    /// after "火山引擎"): a short run of words without a break, an SDK word or a name stop
    /// that ends with a company word.
    pub fn continues_into_company(&self, after: &str) -> bool {
        let Some(end) = self
            .companies
            .iter()
            .filter(|c| !c.starts_with(' '))
            .filter_map(|c| after.find(c.as_str()).map(|i| i + c.len()))
            .min()
        else {
            return false;
        };
        let run = after.get(..end).unwrap_or("");
        run.chars().count() <= 12
            && !run
                .chars()
                .any(|c| self.is_clause_break(c) || c.is_whitespace())
            && !self.has_sdk_word(run)
            && !self
                .bare_name_stops
                .iter()
                .any(|w| run.contains(w.as_str()))
    }

    /// Whether a (normalised) character ends a clause (`[aside] clause_breaks`).
    pub fn is_clause_break(&self, c: char) -> bool {
        self.aside.clause_breaks.contains(&c)
    }

    /// The variant spellings (variant, standard form), normalised.
    pub fn spelling_variants(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.aside
            .spelling
            .iter()
            .map(|(v, s)| (v.as_str(), s.as_str()))
    }

    /// Whether normalised text holds a variant spelling.
    pub fn has_spelling_variant(&self, normal: &str) -> bool {
        self.aside.spelling.iter().any(|(v, _)| normal.contains(v))
    }
}
