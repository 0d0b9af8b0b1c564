//! The cues of names that are not SDKs (`[not_sdk]` of the structure files): denial
//! sentences, link captions, companies and other parties, APIs and apps, data items, the
//! policy's own scope, guidance examples and list glyphs.
//!
//! ```
//! use disclose::policy::lang::structure::Structure;
//! let s = Structure::builtin().unwrap();
//! assert!(s.is_company("北京某某科技有限公司"));
//! assert!(s.is_caption("某某推送 SDK 隐私声明"));
//! ```

use super::{contains_word, Structure};
use crate::policy::normal::{normalise_one, normalise_word};

impl Structure {
    /// Whether a normalised sentence denies integrating SDKs.
    pub fn is_denial(&self, sentence: &str) -> bool {
        self.denials.iter().any(|d| contains_word(sentence, d))
    }

    /// Whether a name without an SDK word is a kind of party, not an SDK: outside its brackets
    /// it ends with a `[not_sdk] parties` word ("快递物流服务提供商", "第三方支付机构",
    /// "payment processors"). Latin words need a word boundary before them.
    pub fn is_party(&self, name: &str) -> bool {
        let bare = outside_brackets(name);
        let bare = bare.trim();
        !self.has_sdk_word(bare)
            && self.parties.iter().any(|p| {
                let w = p.trim_start();
                bare.strip_suffix(w).is_some_and(|head| {
                    !head.trim().is_empty()
                        && (!w.starts_with(|c: char| c.is_ascii_alphanumeric())
                            || head.ends_with(' '))
                })
            })
    }

    /// Whether a normalised name is a link caption ("某某sdk隐私声明").
    pub fn is_caption(&self, name: &str) -> bool {
        let n = normalise_word(name);
        self.captions
            .iter()
            .any(|c| n.ends_with(c.trim_start()) && n.len() > c.trim_start().len())
            || n.starts_with("http")
    }

    /// Whether a name (outside its brackets) is an API or an app, not an SDK. A Latin kind
    /// word must be a word of its own: "uni-app" is a product's name, not an app.
    pub fn is_other_kind(&self, name: &str) -> bool {
        let bare = outside_brackets(name);
        let bare = bare.trim();
        self.other_kinds.iter().any(|k| {
            let k = k.trim_start();
            bare.strip_suffix(k).is_some_and(|head| {
                !k.starts_with(|c: char| c.is_ascii_alphanumeric())
                    || !head.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
            })
        })
    }

    /// Whether a normalised name without an SDK word is a data item ("网卡(mac)地址", "sim卡信息"):
    /// outside its brackets it ends with a `[not_sdk] data_items` word.
    pub fn is_data_item(&self, name: &str) -> bool {
        let bare = outside_brackets(name);
        let bare = bare.trim();
        !self.has_sdk_word(bare)
            && self
                .data_items
                .iter()
                .any(|w| bare.ends_with(w.trim_start()) && bare.len() > w.trim_start().len())
    }

    /// The `[not_sdk] data_items` words, normalised ("信息", "地址", "号码" …).
    pub fn data_item_words(&self) -> impl Iterator<Item = &str> + '_ {
        self.data_items.iter().map(|w| w.trim_start())
    }

    /// Whether a normalised sentence states what the policy covers (`[not_sdk] scope`).
    pub fn is_scope(&self, sentence: &str) -> bool {
        self.scope.iter().any(|w| sentence.contains(w.trim()))
    }

    /// Whether a name is a company ("北京某某科技有限公司", "Google LLC").
    pub fn is_company(&self, name: &str) -> bool {
        let n = normalise_word(name);
        let n = n.trim_end_matches(['.', ')', '）']);
        self.companies.iter().any(|c| {
            let word = c.trim_start().trim_end_matches('.');
            let Some(head) = n.strip_suffix(word) else {
                return false;
            };
            // A Latin word (" inc") must not be the tail of another word ("zinc").
            !c.starts_with(' ')
                || (!head.is_empty() && !head.ends_with(|x: char| x.is_ascii_alphanumeric()))
        })
    }

    /// Whether normalised text ends with a guidance cue ("例如集成了", "such as").
    pub fn example_cue_in(&self, normal_before: &str) -> bool {
        self.examples_before
            .iter()
            .any(|w| normal_before.contains(w.trim_start()))
    }

    /// Whether the normalised text right after an SDK word shows it is not a name's end.
    pub fn ends_no_name(&self, after_word: &str) -> bool {
        self.not_after_sdk_word
            .iter()
            .any(|w| after_word.trim_start().starts_with(w.trim_start()))
    }

    /// The name without leading list glyphs ("Ø京东支付" → "京东支付").
    pub fn strip_bullets<'a>(&self, name: &'a str) -> &'a str {
        let mut rest = name.trim_start();
        while let Some(c) = rest.chars().next() {
            let is_bullet = normalise_one(c).is_some_and(|x| self.bullets.contains(&x));
            // A bullet glyph must be followed by something that is not a Latin letter
            // ("Øresund" keeps its Ø).
            let next = rest.get(c.len_utf8()..).unwrap_or("");
            let glued_latin =
                c.is_alphabetic() && next.starts_with(|x: char| x.is_ascii_alphabetic());
            if !is_bullet || glued_latin {
                break;
            }
            rest = next.trim_start();
        }
        rest
    }
}

/// The normalised name without what stands in brackets ("高德（高德软件有限公司）" → "高德");
/// text after an unmatched closing bracket counts as outside.
fn outside_brackets(name: &str) -> String {
    let mut depth = 0i32;
    normalise_word(name)
        .chars()
        .filter(|c| {
            match c {
                '(' | '（' => depth += 1,
                ')' | '）' => depth -= 1,
                _ => return depth <= 0,
            }
            false
        })
        .collect()
}
