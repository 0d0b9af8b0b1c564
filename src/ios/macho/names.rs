//! [`NameList`]: a sorted, de-duplicated list of names (symbols, selectors, classes) packed
//! into one string buffer. A vendor static library holds tens of thousands of names across
//! its members and architectures; one allocation per list instead of one per name is what
//! keeps reading it close to the cost of reading the file (benches/macho.rs).
//!
//! ```
//! use disclose::ios::macho::NameList;
//! let names = NameList::from_unsorted(["init", "alloc", "init"]);
//! assert_eq!(names.len(), 2);
//! assert!(names.contains("alloc"));
//! assert_eq!(names.iter().collect::<Vec<_>>(), ["alloc", "init"]);
//! assert_eq!(serde_json::to_string(&names).unwrap(), r#"["alloc","init"]"#);
//! ```

use std::fmt;

/// Sorted, de-duplicated names; serializes as a JSON array of strings.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NameList {
    /// The names, concatenated in order.
    text: String,
    /// The end offset of each name in `text`.
    ends: Vec<usize>,
}

impl NameList {
    /// Sorts and de-duplicates `names` into one buffer.
    pub fn from_unsorted<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        // Sorting dominates reading a library; most comparisons are settled by the first
        // eight bytes as one big-endian number (zero-padded, so the order is the string order:
        // a shorter name sorts before every longer name that starts with it).
        let mut v: Vec<(u64, &str)> = names.into_iter().map(|s| (prefix_key(s), s)).collect();
        v.sort_unstable();
        v.dedup_by(|a, b| a.1 == b.1);
        let mut text = String::with_capacity(v.iter().map(|(_, s)| s.len()).sum());
        let mut ends = Vec::with_capacity(v.len());
        for (_, name) in v {
            text.push_str(name);
            ends.push(text.len());
        }
        NameList { text, ends }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The `index`th name in sorted order.
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = match index.checked_sub(1) {
            Some(previous) => *self.ends.get(previous)?,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// The names in sorted order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            list: self,
            front: 0,
            back: self.len(),
        }
    }

    /// True when `name` is in the list (binary search).
    pub fn contains(&self, name: &str) -> bool {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.get(mid).map(|m| m.cmp(name)) {
                Some(std::cmp::Ordering::Less) => lo = mid + 1,
                Some(std::cmp::Ordering::Greater) => hi = mid,
                Some(std::cmp::Ordering::Equal) => return true,
                None => return false,
            }
        }
        false
    }
}

/// The first eight bytes of `name`, zero-padded, as a big-endian number.
fn prefix_key(name: &str) -> u64 {
    let mut key = [0u8; 8];
    for (k, b) in key.iter_mut().zip(name.bytes()) {
        *k = b;
    }
    u64::from_be_bytes(key)
}

/// Iterator over a [`NameList`], in sorted order.
#[derive(Clone)]
pub struct Iter<'a> {
    list: &'a NameList,
    front: usize,
    back: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.front >= self.back {
            return None;
        }
        let name = self.list.get(self.front);
        self.front += 1;
        name
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back.saturating_sub(self.front);
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.list.get(self.back)
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a NameList {
    type Item = &'a str;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> FromIterator<&'a str> for NameList {
    fn from_iter<I: IntoIterator<Item = &'a str>>(names: I) -> Self {
        NameList::from_unsorted(names)
    }
}

impl fmt::Debug for NameList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl serde::Serialize for NameList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<const N: usize> PartialEq<[&str; N]> for NameList {
    fn eq(&self, other: &[&str; N]) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

impl PartialEq<[&str]> for NameList {
    fn eq(&self, other: &[&str]) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::NameList;

    #[test]
    fn sorts_dedups_and_searches() {
        let names = NameList::from_unsorted(["b", "", "a", "b", "ccc"]);
        assert_eq!(names, ["", "a", "b", "ccc"]);
        // Names equal in their first eight bytes, and a name that is a prefix of another.
        let long = [
            "initWithB",
            "initWith",
            "initWithA",
            "init\u{e9}",
            "initWithA",
            "i",
        ];
        let mut expected = long.to_vec();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(NameList::from_unsorted(long), expected[..]);
        assert_eq!(
            names.iter().rev().collect::<Vec<_>>(),
            ["ccc", "b", "a", ""]
        );
        assert_eq!(names.iter().len(), 4);
        assert!(names.contains("") && names.contains("ccc") && !names.contains("c"));
        assert_eq!(names.get(4), None);
        let empty = NameList::default();
        assert!(empty.is_empty() && !empty.contains("a") && empty.iter().next().is_none());
        assert_eq!(
            format!("{empty:?} {:?}", NameList::from_unsorted(["x"])),
            "[] [\"x\"]"
        );
    }
}
