//! Names the Android scanner keeps per DEX, in few allocations: [`PackedNames`], names by index
//! in one buffer, and [`ClassNames`], the classes one DEX defines with each package written
//! once. An app's DEX files define hundreds of thousands of classes (the 60-DEX test input:
//! 210 000, 10.6 MB of descriptors, half of it package paths repeated class after class), and
//! their names are kept until every DEX is scanned (callers of platform wrappers are named in
//! evidence at the end).
//!
//! ```
//! use disclose::scan::class_names::ClassNames;
//! let mut names = ClassNames::default();
//! names.push("Lcom/x/A;");
//! names.push("Lcom/x/B$1;");
//! names.push("LTop;");
//! names.shrink_to_fit();
//! assert_eq!(names.get(1).as_deref(), Some("Lcom/x/B$1;"));
//! assert_eq!(names.get(2).as_deref(), Some("LTop;"));
//! assert!(names.get(3).is_none());
//! assert_eq!(names.package_count(), 2);
//! ```

use rustc_hash::FxHashMap;

/// Names by index in one buffer (the method descriptors of a DEX's prototypes, the parts of
/// [`ClassNames`]): a `String` each costs three words and an allocation beside its bytes.
///
/// ```
/// use disclose::scan::class_names::PackedNames;
/// let mut names = PackedNames::default();
/// names.push("La/B;");
/// names.push("");
/// assert_eq!(names.get(0), Some("La/B;"));
/// assert_eq!(names.get(1), Some(""));
/// assert_eq!(names.get(2), None);
/// assert_eq!(names.iter().count(), 2);
/// ```
#[derive(Debug, Default)]
pub struct PackedNames {
    text: String,
    /// Where each name ends in `text`.
    ends: Vec<u32>,
}

impl PackedNames {
    pub fn push(&mut self, name: &str) {
        self.text.push_str(name);
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    /// Name `index`.
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = match index.checked_sub(1) {
            Some(before) => self.ends.get(before).map_or(0, |&e| e as usize),
            None => 0,
        };
        self.text.get(start..end)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Every name, by index.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Gives back the spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

/// The descriptors of the classes one DEX defines, by class def index: each descriptor split
/// after its last `/` into its package (`Lcom/x/`, stored once per DEX) and the rest (`A;`).
#[derive(Debug, Default)]
pub struct ClassNames {
    packages: PackedNames,
    /// Per class def: its package in `packages`.
    package_of: Vec<u32>,
    /// Per class def: its descriptor after the package.
    rest: PackedNames,
    /// Package → its index, while names are pushed (emptied by [`ClassNames::shrink_to_fit`]).
    lookup: FxHashMap<Box<str>, u32>,
}

/// `descriptor` split after its last `/` (no package: all of it is the rest).
fn split(descriptor: &str) -> (&str, &str) {
    descriptor.split_at(descriptor.rfind('/').map_or(0, |i| i + 1))
}

impl ClassNames {
    /// Adds the descriptor of the next class def (`""` for one that could not be read).
    pub fn push(&mut self, descriptor: &str) {
        let (package, rest) = split(descriptor);
        let index = match self.lookup.get(package) {
            Some(&i) => i,
            None => {
                let i = u32::try_from(self.packages.len()).unwrap_or(u32::MAX);
                self.packages.push(package);
                self.lookup.insert(package.into(), i);
                i
            }
        };
        self.package_of.push(index);
        self.rest.push(rest);
    }

    /// The package and the rest of the descriptor of class def `index`.
    pub fn parts(&self, index: usize) -> Option<(&str, &str)> {
        let package = self.packages.get(*self.package_of.get(index)? as usize)?;
        Some((package, self.rest.get(index)?))
    }

    /// The descriptor of class def `index`.
    pub fn get(&self, index: usize) -> Option<String> {
        self.parts(index).map(|(p, r)| format!("{p}{r}"))
    }

    /// Whether class def `index` has descriptor `descriptor`.
    pub fn is(&self, index: usize, descriptor: &str) -> bool {
        self.parts(index) == Some(split(descriptor))
    }

    pub fn len(&self) -> usize {
        self.package_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.package_of.is_empty()
    }

    /// Distinct packages.
    pub fn package_count(&self) -> usize {
        self.packages.len()
    }

    /// The descriptors among `wanted` that this DEX defines.
    pub fn defined_of<'w>(&self, wanted: &'w [String]) -> Vec<&'w str> {
        let by_parts: FxHashMap<(&str, &str), &str> =
            wanted.iter().map(|w| (split(w), w.as_str())).collect();
        (0..self.len())
            .filter_map(|i| by_parts.get(&self.parts(i)?).copied())
            .collect()
    }

    /// Gives back the spare capacity and the package lookup (the names are kept until the
    /// app is scanned; no more are pushed).
    pub fn shrink_to_fit(&mut self) {
        self.lookup = FxHashMap::default();
        self.packages.shrink_to_fit();
        self.package_of.shrink_to_fit();
        self.rest.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_back_whole_and_are_found() {
        let mut names = ClassNames::default();
        for d in ["La/b/C;", "", "La/b/D$1;", "LE;", "La/b/C;"] {
            names.push(d);
        }
        names.shrink_to_fit();
        let all: Vec<String> = (0..names.len()).filter_map(|i| names.get(i)).collect();
        assert_eq!(all, ["La/b/C;", "", "La/b/D$1;", "LE;", "La/b/C;"]);
        assert_eq!(names.package_count(), 2, "La/b/ and the empty package");
        assert!(names.is(2, "La/b/D$1;") && !names.is(2, "La/b/C;"));
        let wanted = vec![
            "LE;".to_string(),
            "La/b/Z;".to_string(),
            "La/b/C;".to_string(),
        ];
        assert_eq!(names.defined_of(&wanted), ["La/b/C;", "LE;", "La/b/C;"]);
    }
}
