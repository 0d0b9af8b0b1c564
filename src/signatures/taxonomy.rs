//! The data-type taxonomy (`taxonomy.toml`) as a tree: look-ups by id, parents, ancestors,
//! children and names.
//!
//! ```
//! use disclose::signatures::Taxonomy;
//! let (taxonomy, problems) = Taxonomy::build(toml::from_str(r#"
//! [[type]]
//! id = "device"
//! name_en = "Device information"
//! name_zh = "设备信息"
//! sensitivity = "personal"
//! sensitivity_source = "GB/T 35273-2020 Annex A"
//! [[type]]
//! id = "device.identifier"
//! parent = "device"
//! name_en = "Device identifiers"
//! name_zh = "设备标识符"
//! sensitivity = "restricted"
//! sensitivity_source = "MIIT notices"
//! [[type]]
//! id = "device.imei"
//! parent = "device.identifier"
//! name_en = "IMEI"
//! name_zh = "国际移动设备识别码"
//! sensitivity = "restricted"
//! sensitivity_source = "MIIT notices"
//! "#).unwrap());
//! assert!(problems.is_empty());
//! assert_eq!(taxonomy.parent("device.imei"), Some("device.identifier"));
//! assert_eq!(taxonomy.ancestors("device.imei").collect::<Vec<_>>(), ["device.identifier", "device"]);
//! assert!(taxonomy.is_ancestor("device", "device.imei"));
//! assert_eq!(taxonomy.children("device").collect::<Vec<_>>(), ["device.identifier"]);
//! ```

use rustc_hash::FxHashMap;

use super::schema::{DataTypeDef, TaxonomyFile};
use crate::id::TaxonomyId;

/// The taxonomy tree. Built by [`Taxonomy::build`], which drops broken parent links (unknown
/// parents, cycles) after reporting them, so every walk up the tree ends.
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    types: Vec<DataTypeDef>,
    index: FxHashMap<TaxonomyId, usize>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
}

impl Taxonomy {
    /// Builds the tree and lists every problem (`type 'x': …`): empty or duplicate ids,
    /// unknown parents, parent cycles.
    pub fn build(file: TaxonomyFile) -> (Taxonomy, Vec<String>) {
        let mut problems = Vec::new();
        let mut types = Vec::with_capacity(file.types.len());
        let mut index = FxHashMap::default();
        for def in file.types {
            if def.id.trim().is_empty() || def.id.contains(char::is_whitespace) {
                problems.push(format!(
                    "type '{}': id must be non-empty without spaces",
                    def.id
                ));
                continue;
            }
            if index.contains_key(&def.id) {
                problems.push(format!("type '{}': duplicate id", def.id));
                continue;
            }
            if def.name_en.trim().is_empty() || def.name_zh.trim().is_empty() {
                problems.push(format!(
                    "type '{}': name_en and name_zh must not be empty",
                    def.id
                ));
            }
            let source = def.sensitivity_source.as_deref().unwrap_or("");
            if def.sensitivity.is_none() || source.trim().is_empty() {
                problems.push(format!(
                    "type '{}': needs 'sensitivity' (technical, personal, restricted or sensitive) and the 'sensitivity_source' that sets it",
                    def.id
                ));
            }
            index.insert(def.id.clone(), types.len());
            types.push(def);
        }
        let mut parent: Vec<Option<usize>> = types
            .iter()
            .map(|def| {
                let p = def.parent.as_deref()?;
                let found = index.get(p).copied();
                if found.is_none() {
                    problems.push(format!(
                        "type '{}': unknown parent '{p}' in 'parent'",
                        def.id
                    ));
                }
                found
            })
            .collect();
        // Cycle detection: walk up from every node; a walk longer than the node count loops.
        for start in 0..types.len() {
            let mut seen = vec![start];
            let mut at = parent[start];
            while let Some(p) = at {
                if p == start {
                    let cycle: Vec<&str> = seen.iter().map(|&i| types[i].id.as_str()).collect();
                    // Report each cycle once, from its smallest member.
                    if cycle.iter().all(|id| types[start].id.as_str() <= *id) {
                        problems.push(format!(
                            "type '{}': parent cycle {} -> {}",
                            types[start].id,
                            cycle.join(" -> "),
                            types[start].id
                        ));
                    }
                    break;
                }
                if seen.contains(&p) {
                    break; // a cycle above us, reported from its own members
                }
                seen.push(p);
                at = parent[p];
            }
        }
        // Break every cycle so walks end: drop the parent link of each node that reaches itself.
        for start in 0..types.len() {
            let mut steps = 0;
            let mut at = parent[start];
            while let Some(p) = at {
                if p == start || steps > types.len() {
                    parent[start] = None;
                    break;
                }
                steps += 1;
                at = parent[p];
            }
        }
        let mut children = vec![Vec::new(); types.len()];
        for (child, p) in parent.iter().enumerate() {
            if let Some(p) = *p {
                children[p].push(child);
            }
        }
        let taxonomy = Taxonomy {
            types,
            index,
            parent,
            children,
        };
        (taxonomy, problems)
    }

    /// The definition of `id`.
    pub fn get(&self, id: &str) -> Option<&DataTypeDef> {
        self.index.get(id).map(|&i| &self.types[i])
    }

    /// True when `id` is defined.
    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// The parent id of `id`, if it has one.
    pub fn parent(&self, id: &str) -> Option<&str> {
        let i = *self.index.get(id)?;
        self.parent[i].map(|p| self.types[p].id.as_str())
    }

    /// Ancestors of `id`, nearest first (empty for a root or an unknown id).
    pub fn ancestors<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a str> + 'a {
        let mut at = self.index.get(id).and_then(|&i| self.parent[i]);
        std::iter::from_fn(move || {
            let p = at?;
            at = self.parent[p];
            Some(self.types[p].id.as_str())
        })
    }

    /// True when `ancestor` is a proper ancestor of `id` (`device` of `device.imei`).
    pub fn is_ancestor(&self, ancestor: &str, id: &str) -> bool {
        self.ancestors(id).any(|a| a == ancestor)
    }

    /// Direct children of `id`, in file order.
    pub fn children<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a str> + 'a {
        let list: &[usize] = self.index.get(id).map_or(&[], |&i| &self.children[i]);
        list.iter().map(|&c| self.types[c].id.as_str())
    }

    /// The sensitivity level of `id` (`None` for an unknown id or a type without one, which
    /// the loader reports).
    pub fn sensitivity(&self, id: &str) -> Option<super::schema::Sensitivity> {
        self.get(id).and_then(|d| d.sensitivity)
    }

    /// English and Chinese display names of `id`.
    pub fn names(&self, id: &str) -> Option<(&str, &str)> {
        self.get(id)
            .map(|d| (d.name_en.as_str(), d.name_zh.as_str()))
    }

    /// Every word policies use for `id`: display names, `en`, `zh_hans` and `zh_hant`.
    pub fn words<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.get(id).into_iter().flat_map(|d| {
            [d.name_en.as_str(), d.name_zh.as_str()]
                .into_iter()
                .chain(d.en.iter().map(String::as_str))
                .chain(d.zh_hans.iter().map(String::as_str))
                .chain(d.zh_hant.iter().map(String::as_str))
        })
    }

    /// Ids without a parent, in file order.
    pub fn roots(&self) -> impl Iterator<Item = &str> {
        self.types
            .iter()
            .zip(&self.parent)
            .filter(|(_, p)| p.is_none())
            .map(|(d, _)| d.id.as_str())
    }

    /// All definitions in file order.
    pub fn types(&self) -> &[DataTypeDef] {
        &self.types
    }

    /// Number of data types.
    pub fn len(&self) -> usize {
        self.types.len()
    }

    /// True when no type is defined.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_without_a_sensitivity_or_its_source_is_a_problem() {
        let file: TaxonomyFile = toml::from_str(
            "[[type]]\nid = \"a\"\nname_en = \"A\"\nname_zh = \"甲\"\nsensitivity = \"personal\"\n\
             [[type]]\nid = \"b\"\nname_en = \"B\"\nname_zh = \"乙\"\n",
        )
        .expect("parses");
        let (taxonomy, problems) = Taxonomy::build(file);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems.iter().all(|p| p.contains("needs 'sensitivity'")));
        assert_eq!(
            taxonomy.sensitivity("a"),
            Some(super::super::schema::Sensitivity::Personal)
        );
        let bad = toml::from_str::<TaxonomyFile>(
            "[[type]]\nid = \"a\"\nname_en = \"A\"\nname_zh = \"甲\"\nsensitivity = \"secret\"\n",
        );
        assert!(bad.is_err());
    }

    #[test]
    fn every_shipped_type_has_a_sensitivity_and_a_source() {
        let file: TaxonomyFile =
            toml::from_str(include_str!("../../signatures/taxonomy.toml")).expect("parses");
        let (_, problems) = Taxonomy::build(file);
        assert_eq!(problems, Vec::<String>::new());
    }
}
