//! Reads the golden files written by `tests/golden/macho/regen.sh` (from LLVM's tools) and
//! compares a parsed slice or static library with them. Shared by tests/macho.rs and tests/ar.rs.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// One `<name>/<arch>.txt` golden file: section name → lines.
pub struct Golden {
    pub path: PathBuf,
    pub sections: BTreeMap<String, Vec<String>>,
}

impl Golden {
    pub fn load(name: &str, arch: &str) -> Golden {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden/macho")
            .join(name)
            .join(format!("{arch}.txt"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut sections: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut current = String::new();
        for line in text.lines() {
            if line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                current = name.to_string();
                sections.entry(current.clone()).or_default();
            } else {
                sections
                    .entry(current.clone())
                    .or_default()
                    .push(line.to_string());
            }
        }
        Golden { path, sections }
    }

    pub fn list(&self, section: &str) -> Vec<String> {
        self.sections
            .get(section)
            .cloned()
            .unwrap_or_else(|| panic!("{}: no [{section}]", self.path.display()))
    }

    pub fn set(&self, section: &str) -> BTreeSet<String> {
        self.list(section).into_iter().collect()
    }

    /// The archs with golden files for `name`.
    pub fn archs(name: &str) -> BTreeSet<String> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden/macho")
            .join(name);
        std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| {
                e.ok()?
                    .file_name()
                    .to_str()?
                    .strip_suffix(".txt")
                    .map(str::to_string)
            })
            .collect()
    }
}

/// Asserts two sets are equal, printing only the differences.
pub fn assert_same(what: &str, ours: &BTreeSet<String>, golden: &BTreeSet<String>) {
    let missing: Vec<_> = golden.difference(ours).take(20).collect();
    let extra: Vec<_> = ours.difference(golden).take(20).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what}: {} ours vs {} golden; missing {missing:?}; extra {extra:?}",
        ours.len(),
        golden.len()
    );
}
