//! Look-up tables behind the matchers. Each look-up costs a few hash probes bounded by the
//! length of the queried name, never by the number of signatures:
//! - [`BoundaryPrefixTable`]: Java class names, longest prefix ending at a name boundary
//!   (`com.amap.api` matches `com.amap.api.X` and `com.amap.api$Y`, not `com.amap.apix`);
//!   one probe per boundary of the queried name, dotted or in DEX descriptor form.
//! - [`PlainPrefixTable`]: plain string prefixes (native libraries, assets, ObjC classes);
//!   one probe per distinct prefix length.
//!
//! ```
//! use disclose::signatures::tables::BoundaryPrefixTable;
//! let mut table = BoundaryPrefixTable::default();
//! table.insert("com.tencent.bugly", 1);
//! table.insert("com.tencent.bugly.crashreport", 2);
//! assert_eq!(table.get_dotted("com.tencent.bugly.crashreport.CrashReport"), Some(2));
//! assert_eq!(table.get_dotted("com.tencent.bugly.Bugly$1"), Some(1));
//! assert_eq!(table.get_dotted("com.tencent.buglyx.A"), None);
//! assert_eq!(table.get_descriptor("Lcom/tencent/bugly/Bugly;"), Some(1));
//! ```

use rustc_hash::FxHashMap;

/// Longest boundary-prefix table for Java class names.
#[derive(Debug, Clone, Default)]
pub struct BoundaryPrefixTable {
    dotted: FxHashMap<Box<str>, u32>,
    slashed: FxHashMap<Box<str>, u32>,
    max_len: usize,
}

fn is_dotted_boundary(b: u8) -> bool {
    b == b'.' || b == b'$'
}

fn is_slashed_boundary(b: u8) -> bool {
    b == b'/' || b == b'$'
}

impl BoundaryPrefixTable {
    /// Adds `prefix` (dotted) with `value`; the first value given for a prefix stays.
    pub fn insert(&mut self, prefix: &str, value: u32) {
        if prefix.is_empty() {
            return;
        }
        self.max_len = self.max_len.max(prefix.len());
        self.dotted.entry(prefix.into()).or_insert(value);
        self.slashed
            .entry(prefix.replace('.', "/").into())
            .or_insert(value);
    }

    /// The value of the longest prefix of the dotted class name `name` (`com.foo.Bar$1`).
    pub fn get_dotted(&self, name: &str) -> Option<u32> {
        longest(&self.dotted, self.max_len, name, is_dotted_boundary).map(|(v, _)| v)
    }

    /// The same for a DEX type descriptor (`Lcom/foo/Bar;`, `[Lcom/foo/Bar;`) or an internal
    /// name (`com/foo/Bar`), without allocating.
    pub fn get_descriptor(&self, descriptor: &str) -> Option<u32> {
        self.get_descriptor_len(descriptor).map(|(v, _)| v)
    }

    /// [`Self::get_descriptor`] with the length of the matched prefix, so that two tables can
    /// be asked which one knows the longer (more specific) prefix of a name.
    pub fn get_descriptor_len(&self, descriptor: &str) -> Option<(u32, usize)> {
        let name = descriptor.trim_start_matches('[');
        let name = match name.strip_prefix('L') {
            Some(rest) => rest.strip_suffix(';').unwrap_or(rest),
            None => name,
        };
        longest(&self.slashed, self.max_len, name, is_slashed_boundary)
    }

    /// The value stored for exactly `prefix` (dotted).
    pub fn get_exact(&self, prefix: &str) -> Option<u32> {
        self.dotted.get(prefix).copied()
    }

    /// Every stored prefix of `name` ending at a boundary (including `name` itself), longest
    /// first, with its value.
    pub fn all_dotted<'a>(&'a self, name: &'a str) -> impl Iterator<Item = (&'a str, u32)> + 'a {
        let full = std::iter::once(name.len());
        let cuts = name
            .bytes()
            .enumerate()
            .rev()
            .filter(|&(_, b)| is_dotted_boundary(b))
            .map(|(i, _)| i);
        full.chain(cuts)
            .filter_map(move |end| name.get(..end))
            .filter_map(move |prefix| self.dotted.get(prefix).map(|&v| (prefix, v)))
    }

    /// Number of distinct prefixes.
    pub fn len(&self) -> usize {
        self.dotted.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.dotted.is_empty()
    }
}

fn longest(
    map: &FxHashMap<Box<str>, u32>,
    max_len: usize,
    name: &str,
    boundary: fn(u8) -> bool,
) -> Option<(u32, usize)> {
    if map.is_empty() || name.is_empty() {
        return None;
    }
    if name.len() <= max_len {
        if let Some(&v) = map.get(name) {
            return Some((v, name.len()));
        }
    }
    let bytes = name.as_bytes();
    let mut end = bytes.len().min(max_len.saturating_add(1));
    while end > 0 {
        end -= 1;
        if boundary(bytes[end]) {
            // A boundary byte is ASCII, so `end` is a char boundary.
            if let Some(&v) = name.get(..end).and_then(|prefix| map.get(prefix)) {
                return Some((v, end));
            }
        }
    }
    None
}

/// Longest plain-prefix table (`libjiagu` matches `libjiagu_x86.so`).
#[derive(Debug, Clone, Default)]
pub struct PlainPrefixTable {
    map: FxHashMap<Box<str>, u32>,
    /// Distinct prefix lengths, longest first.
    lengths: Vec<usize>,
}

impl PlainPrefixTable {
    /// Adds `prefix` with `value`; the first value given for a prefix stays.
    pub fn insert(&mut self, prefix: &str, value: u32) {
        if prefix.is_empty() {
            return;
        }
        self.map.entry(prefix.into()).or_insert(value);
        if let Err(at) = self.lengths.binary_search_by(|l| prefix.len().cmp(l)) {
            self.lengths.insert(at, prefix.len());
        }
    }

    /// The value of the longest stored prefix of `s`.
    pub fn get(&self, s: &str) -> Option<u32> {
        self.all(s).next().map(|(_, v)| v)
    }

    /// Every stored prefix of `s`, longest first, with its value.
    pub fn all<'a>(&'a self, s: &'a str) -> impl Iterator<Item = (&'a str, u32)> + 'a {
        self.lengths
            .iter()
            .filter_map(move |&len| s.get(..len))
            .filter_map(move |prefix| self.map.get(prefix).map(|&v| (prefix, v)))
    }

    /// Number of distinct prefixes.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}
