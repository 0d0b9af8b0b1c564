//! Fast word tests for the loops that read a name character by character: the words of a
//! list grouped by their last byte (so a backwards reader compares only the few words that
//! can end where it stands, not the whole list), and prefix / suffix tests that compare the
//! first or last bytes inline before comparing whole words. Results are those of
//! `str::ends_with` / `starts_with` over the list in its order.
//!
//! ```
//! use disclose::policy::lang::word_ends::{has_prefix, has_suffix, WordsByLastByte};
//! let words = vec!["sdk".to_string(), "插件".to_string(), "k".to_string()];
//! let index = WordsByLastByte::new(&words);
//! let ending: Vec<&str> = index.ending("友盟sdk").filter(|w| "友盟sdk".ends_with(w)).collect();
//! assert_eq!(ending, ["sdk", "k"]);
//! assert!(has_prefix("第三方sdk", "第三方") && has_suffix("第三方sdk", "sdk"));
//! assert!(!has_prefix("第三", "第三方"));
//! ```

/// The words of a list by last byte, each group in list order.
#[derive(Debug, Clone, Default)]
pub struct WordsByLastByte {
    /// Index 0–255: words whose last byte is that byte; 256: empty words.
    groups: Vec<Vec<String>>,
}

impl WordsByLastByte {
    /// Groups `words` (kept in their order within a group).
    pub fn new(words: &[String]) -> Self {
        let mut groups: Vec<Vec<String>> = vec![Vec::new(); 257];
        for w in words {
            let slot = w.as_bytes().last().map_or(256, |&b| usize::from(b));
            if let Some(group) = groups.get_mut(slot) {
                group.push(w.clone());
            }
        }
        WordsByLastByte { groups }
    }

    /// The words that end with the last byte of `text` (the empty words when `text` is
    /// empty), in list order: the only ones `text` can end with.
    pub fn ending<'a>(&'a self, text: &str) -> impl Iterator<Item = &'a str> + 'a {
        let slot = text.as_bytes().last().map_or(256, |&b| usize::from(b));
        self.groups
            .get(slot)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(String::as_str)
    }
}

/// `text.starts_with(word)`, comparing the first bytes inline first.
#[inline]
pub fn has_prefix(text: &str, word: &str) -> bool {
    let (t, w) = (text.as_bytes(), word.as_bytes());
    w.len() <= t.len() && w.iter().zip(t).take(3).all(|(a, b)| a == b) && t.starts_with(w)
}

/// `text.ends_with(word)`, comparing the last bytes inline first.
#[inline]
pub fn has_suffix(text: &str, word: &str) -> bool {
    let (t, w) = (text.as_bytes(), word.as_bytes());
    w.len() <= t.len()
        && w.iter()
            .rev()
            .zip(t.iter().rev())
            .take(3)
            .all(|(a, b)| a == b)
        && t.ends_with(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_answers_as_the_plain_tests() {
        let words: Vec<String> = ["sdk", "", "插件", "件", "a", "ab", "ba", "第三方"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        let index = WordsByLastByte::new(&words);
        for text in ["", "a", "sdk", "某插件", "第三方sdk", "aba", "件", "b"] {
            let plain: Vec<&str> = words
                .iter()
                .map(String::as_str)
                .filter(|w| text.ends_with(w) && w.as_bytes().last() == text.as_bytes().last())
                .collect();
            let fast: Vec<&str> = index.ending(text).filter(|w| text.ends_with(w)).collect();
            assert_eq!(plain, fast, "{text:?}");
            for w in &words {
                assert_eq!(has_prefix(text, w), text.starts_with(w.as_str()));
                assert_eq!(has_suffix(text, w), text.ends_with(w.as_str()));
            }
        }
    }
}
