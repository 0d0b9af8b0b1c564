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
        // A run without a dot is one part: no package (and no list of its parts to make).
        .filter(|run| run.contains('.'))
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

/// Dotted package names in `text` with their byte ranges.
fn package_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let base = text.as_ptr() as usize;
    package_names(text)
        .map(|p| {
            let start = (p.as_ptr() as usize).saturating_sub(base);
            start..start + p.len()
        })
        .collect()
}

/// Groups of package names listed together ("com.a.b、com.c.d和com.e.f"): only separators
/// and spaces stand between the members of a group.
fn package_lists(text: &str) -> Vec<Vec<std::ops::Range<usize>>> {
    let mut groups: Vec<Vec<std::ops::Range<usize>>> = Vec::new();
    for r in package_ranges(text) {
        let joined = groups.last().and_then(|g| g.last()).is_some_and(|last| {
            text.get(last.end..r.start).is_some_and(|between| {
                between.chars().count() <= 3
                    && between
                        .chars()
                        .all(|c| c.is_whitespace() || !c.is_alphanumeric())
            })
        });
        match groups.last_mut() {
            Some(g) if joined => g.push(r),
            _ => groups.push(vec![r]),
        }
    }
    groups
}

/// Rows for Java package names listed in running text ("fresco使用的com.wireless.security、
/// com.facebook.cache两个SDK包"): one row per package that resolves to a known SDK, and one per
/// package of a list the text then calls SDKs (an SDK word within a few characters after it).
/// Names inside covered ranges (table rows, blocks) and links are left to those rows.
pub(super) fn package_rows(
    doc: &super::PolicyDocument,
    vocab: &super::vocab::PolicyVocabulary,
    hits: &super::vocab::Hits,
    covered: &super::sdks::Covered,
    seen: &mut std::collections::HashSet<String>,
) -> Vec<super::DeclaredSdk> {
    let text = doc.normal.text.as_str();
    let mut out = Vec::new();
    for group in package_lists(text) {
        let Some(last) = group.last() else { continue };
        let after = super::normal::snapped(text, last.end, last.end + 12);
        let called_sdks = vocab.structure.has_sdk_word(after);
        for r in &group {
            let before = text.get(..r.start).and_then(|b| b.chars().next_back());
            let original = doc.original_range(r.clone());
            let name = text.get(r.clone()).unwrap_or("");
            let id = vocab.sdk_id_for_package(name);
            // Without a known prefix, only a Java-shaped name counts: three or more parts, each
            // starting with a letter ("com.example.cache"; not "d.vivo", "a2c4g.111.0").
            let java_shaped = name.split('.').count() >= 3
                && name
                    .split('.')
                    .all(|p| p.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'));
            if matches!(before, Some('/' | '@' | ':' | '=' | '&' | '?'))
                || (id.is_none() && !java_shaped)
                || covered.contains(&original)
                || !(called_sdks || id.is_some())
                || !seen.insert(super::sdks::name_key(name))
            {
                continue;
            }
            let s = super::data::sentence_start(text, r.start);
            let e = super::data::sentence_end(text, r.end);
            let sentence = doc.original_range(s..e);
            out.push(super::DeclaredSdk {
                name: doc.text.get(original.clone()).unwrap_or(name).to_string(),
                id: id.map(crate::id::SdkId::from),
                vendor: None,
                platform: None,
                data: super::sdks::data_in(vocab, hits, std::slice::from_ref(&sentence)),
                purpose: None,
                form: super::SdkForm::Inline,
                text: doc.span(sentence),
                part_of: None,
            });
        }
    }
    out
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
    fn listed_packages_are_grouped() {
        let t = "使用的com.wireless.security、com.facebook.cache三个SDK包；见 io.sentry";
        let groups: Vec<usize> = package_lists(t).iter().map(Vec::len).collect();
        assert_eq!(groups, vec![2, 1]);
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
