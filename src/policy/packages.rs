//! Java package names written in a policy ("微信开放平台SDK（com.tencent.mm.opensdk）", "we use
//! X (com.vendor.sdk)", a 包名 column) resolved to SDK ids through the `android.packages`
//! prefixes of the SDK signatures, for rows whose name alone matches no alias.
//!
//! ```
//! use disclose::signatures::SignatureSet;
//! let set = SignatureSet::builtin().unwrap();
//! let specs: Vec<_> = set.sdks.iter().map(|s| s.spec.clone()).collect();
//! let index = disclose::policy::PackageIndex::new(&specs);
//! assert_eq!(index.sdk_in("某平台SDK（com.tencent.mm.opensdk）"), Some(index.sdk_of("com.tencent.mm.opensdk").unwrap()));
//! assert_eq!(index.sdk_in("com.tencent.mm.opensdkx"), None);
//! ```

use crate::signatures::schema::SdkFile;
use std::collections::HashMap;

/// Package prefixes of every SDK: prefix → index of the SDK in the list it was built from.
#[derive(Debug, Default, Clone)]
pub struct PackageIndex {
    prefixes: HashMap<String, usize>,
}

impl PackageIndex {
    /// Indexes the `android.packages` of `sdks` (the first SDK to name a prefix keeps it).
    pub fn new(sdks: &[SdkFile]) -> Self {
        let mut prefixes = HashMap::new();
        for (i, sdk) in sdks.iter().enumerate() {
            for p in &sdk.android.packages {
                let p = p.trim_end_matches('.').to_ascii_lowercase();
                // A one-part prefix ("com") would name every package.
                if p.split('.').count() >= 2 {
                    prefixes.entry(p).or_insert(i);
                }
            }
        }
        PackageIndex { prefixes }
    }

    /// The SDK whose longest package prefix is `package` or a parent of it (at a dot).
    pub fn sdk_of(&self, package: &str) -> Option<usize> {
        let package = package.to_ascii_lowercase();
        let mut end = package.len();
        loop {
            let head = package.get(..end)?;
            if let Some(&i) = self.prefixes.get(head) {
                return Some(i);
            }
            end = head.rfind('.')?;
        }
    }

    /// The SDK of the first dotted package name (three or more parts) written in `text`.
    pub fn sdk_in(&self, text: &str) -> Option<usize> {
        package_names(text).find_map(|p| self.sdk_of(p))
    }
}

/// Dotted Java package names in `text`: runs of ASCII letters, digits, `_` and `.` with two or
/// more non-empty parts, the first starting with a letter ("com.amap.api", "io.sentry"); "e.g."
/// and version numbers ("1.2.3") are not package names.
fn package_names(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .map(|run| run.trim_matches('.'))
        .filter(|run| {
            let parts: Vec<&str> = run.split('.').collect();
            parts.len() >= 2
                && parts.iter().all(|p| !p.is_empty())
                && parts
                    .first()
                    .and_then(|p| p.chars().next())
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && parts.iter().skip(1).any(|p| p.len() >= 2)
        })
}

fn is_identifier_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
}

/// Whether `range` of `text` lies inside a dotted name of three or more parts without being all
/// of it: "amap" in "com.amap.api.location" names no SDK of its own.
pub(crate) fn inside_dotted_name(text: &str, range: &std::ops::Range<usize>) -> bool {
    let bytes = text.as_bytes();
    let mut start = range.start.min(bytes.len());
    while start > 0 && bytes.get(start - 1).is_some_and(|&b| is_identifier_byte(b)) {
        start -= 1;
    }
    let mut end = range.end.min(bytes.len());
    while bytes.get(end).is_some_and(|&b| is_identifier_byte(b)) {
        end += 1;
    }
    let run = text.get(start..end).unwrap_or("").trim_matches('.');
    let dots = run.bytes().filter(|&b| b == b'.').count();
    dots >= 2 && !run.contains("..") && run.len() > range.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_packages_in_text() {
        let found: Vec<&str> =
            package_names("微信SDK（com.tencent.mm.opensdk）, v1.2.3, e.g. x, io.sentry").collect();
        assert_eq!(found, vec!["com.tencent.mm.opensdk", "io.sentry"]);
    }

    #[test]
    fn a_word_inside_a_dotted_name() {
        let t = "定位SDK（com.amap.api.location），AMap is used.";
        let at = t.find("amap").unwrap_or(0);
        assert!(inside_dotted_name(t, &(at..at + 4)));
        let at = t.find("AMap").unwrap_or(0);
        assert!(!inside_dotted_name(t, &(at..at + 4)));
    }
}
