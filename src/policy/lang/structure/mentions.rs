//! Words around SDK names that say how they are used (`[mentions]`) and the SDK categories
//! that complete a vendor name written alone (`[category_words]`).
//!
//! ```
//! use disclose::policy::lang::structure::Structure;
//! let s = Structure::builtin().unwrap();
//! assert!(s.mentions_use("我们集成了", ""));
//! assert_eq!(s.without_device_word("vivo手机"), "vivo");
//! ```

use super::{contains_word, Structure, MENTION_REACH};

impl Structure {
    /// The category words to try after a vendor name in a row whose normalised text names
    /// them: every word of each group one of whose words the text holds.
    pub fn categories_in<'a>(&'a self, context: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.category_groups
            .iter()
            .filter(move |g| g.iter().any(|w| contains_word(context, w)))
            .flat_map(|g| g.iter().map(|w| w.trim_start()))
    }

    /// Every category word of `[category_words] groups` ("推送", "push", "登录" …).
    pub fn category_words(&self) -> impl Iterator<Item = &str> + '_ {
        self.category_groups
            .iter()
            .flatten()
            .map(|w| w.trim_start())
    }

    /// A normalised brand name without a trailing device word ("vivo手机" → "vivo").
    pub fn without_device_word<'a>(&self, name: &'a str) -> &'a str {
        self.device_words
            .iter()
            .find_map(|w| name.strip_suffix(w.trim_start()))
            .map_or(name, str::trim_end)
    }

    /// The cue words before a known SDK name in running text (`[mentions] before`,
    /// normalised).
    pub fn mention_cues(&self) -> &[String] {
        &self.mention_before
    }

    /// Whether the normalised text around a known SDK name says the app uses it: a
    /// `[mentions] before` word in the last [`MENTION_REACH`] characters of `before`, or an
    /// `after` word at the start of `after`. Latin words need word boundaries.
    pub fn mentions_use(&self, before: &str, after: &str) -> bool {
        let skip = before.chars().count().saturating_sub(MENTION_REACH);
        let near: String = before.chars().skip(skip).collect();
        let cue_before = self.mention_before.iter().any(|w| contains_word(&near, w));
        let cue_after = self.mention_after.iter().any(|w| {
            let w = w.trim_start();
            let a = after.trim_start();
            a.starts_with(w)
                && !(w.ends_with(|c: char| c.is_ascii_alphabetic())
                    && a.get(w.len()..)
                        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_alphabetic())))
        });
        cue_before || cue_after
    }
}
