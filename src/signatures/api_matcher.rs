//! Compiled API-rule matchers for Android (method/field references and string constants in
//! DEX code) and iOS (selectors, imported symbols, classes, frameworks), and the permission and
//! Info.plist key tables. Every look-up is one or two hash probes.
//!
//! ```
//! use disclose::signatures::{AndroidApiMatcher, schema::AndroidApiFile};
//! let file: AndroidApiFile = toml::from_str(r#"
//! [[rule]]
//! id = "telephony-get-device-id"
//! kind = "method"
//! data = "device.imei"
//! class = "android.telephony.TelephonyManager"
//! name = "getDeviceId"
//! descriptor = "()Ljava/lang/String;"
//! source = "https://developer.android.com/reference/android/telephony/TelephonyManager"
//! examples = { match = ["Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;"], no_match = ["Lx/Y;->getDeviceId()Ljava/lang/String;"] }
//! "#).unwrap();
//! let m = AndroidApiMatcher::new(&file.rules);
//! let hits = m.match_method("Landroid/telephony/TelephonyManager;", "getDeviceId", "()Ljava/lang/String;");
//! assert_eq!(hits.len(), 1);
//! assert!(m.match_method("Landroid/telephony/TelephonyManager;", "getDeviceId", "(I)Ljava/lang/String;").is_empty());
//! ```

use rustc_hash::FxHashMap;

use super::matcher::framework_name;
use super::schema::{
    AndroidApiKind, AndroidApiRule, AndroidPermissionDef, IosApiKind, IosApiRule, IosPlistKeyDef,
};

/// Index of a rule in the slice the matcher was built from (`android_apis` or `ios_apis`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleIdx(pub u32);

impl RuleIdx {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// DEX type descriptor of a dotted binary class name: `a.b.C$D` → `La/b/C$D;`.
pub fn class_descriptor(dotted: &str) -> String {
    let mut d = String::with_capacity(dotted.len() + 2);
    d.push('L');
    d.extend(dotted.chars().map(|c| if c == '.' { '/' } else { c }));
    d.push(';');
    d
}

/// Rules of one member name on one class: those for any descriptor, and per descriptor
/// (each per-descriptor list already includes the any-descriptor rules).
#[derive(Debug, Clone, Default)]
struct MemberRules {
    any: Vec<RuleIdx>,
    by_descriptor: FxHashMap<Box<str>, Vec<RuleIdx>>,
}

type MemberTable = FxHashMap<Box<str>, FxHashMap<Box<str>, MemberRules>>;

fn add_member(
    table: &mut MemberTable,
    class: &str,
    name: &str,
    descriptor: Option<&str>,
    rule: RuleIdx,
) {
    let rules = table
        .entry(class_descriptor(class).into())
        .or_default()
        .entry(name.into())
        .or_default();
    match descriptor {
        Some(d) => rules.by_descriptor.entry(d.into()).or_default().push(rule),
        None => rules.any.push(rule),
    }
}

fn finish_members(table: &mut MemberTable) {
    for rules in table.values_mut().flat_map(|names| names.values_mut()) {
        let any = rules.any.clone();
        for list in rules.by_descriptor.values_mut() {
            list.extend(&any);
            list.sort();
        }
    }
}

fn lookup<'a>(table: &'a MemberTable, class: &str, name: &str, descriptor: &str) -> &'a [RuleIdx] {
    let Some(rules) = table.get(class).and_then(|names| names.get(name)) else {
        return &[];
    };
    rules.by_descriptor.get(descriptor).unwrap_or(&rules.any)
}

/// Android API rules compiled into hash tables.
#[derive(Debug, Clone, Default)]
pub struct AndroidApiMatcher {
    methods: MemberTable,
    fields: MemberTable,
    strings: FxHashMap<Box<str>, Vec<RuleIdx>>,
    co_strings: FxHashMap<Box<str>, Vec<RuleIdx>>,
    required_strings: Vec<Vec<String>>,
}

impl AndroidApiMatcher {
    /// Compiles `rules`; [`RuleIdx`] values index into `rules`. Rules missing a field their
    /// kind needs (a validation error) are skipped.
    pub fn new(rules: &[AndroidApiRule]) -> AndroidApiMatcher {
        let mut m = AndroidApiMatcher::default();
        for (i, rule) in rules.iter().enumerate() {
            let Ok(idx) = u32::try_from(i).map(RuleIdx) else {
                break;
            };
            m.required_strings.push(rule.with_strings.clone());
            for s in &rule.with_strings {
                m.co_strings.entry(s.as_str().into()).or_default().push(idx);
            }
            match (
                rule.kind,
                rule.class.as_deref(),
                rule.name.as_deref(),
                rule.string.as_deref(),
            ) {
                (AndroidApiKind::Method, Some(class), Some(name), _) => {
                    add_member(&mut m.methods, class, name, rule.descriptor.as_deref(), idx);
                }
                (AndroidApiKind::Field, Some(class), Some(name), _) => {
                    add_member(&mut m.fields, class, name, rule.descriptor.as_deref(), idx);
                }
                (AndroidApiKind::String, _, _, Some(s)) => {
                    m.strings.entry(s.into()).or_default().push(idx);
                }
                _ => {}
            }
        }
        finish_members(&mut m.methods);
        finish_members(&mut m.fields);
        m
    }

    /// Rules fired by `invoke-* class->name proto` (`Landroid/telephony/TelephonyManager;`,
    /// `getDeviceId`, `()Ljava/lang/String;`). Rules with [`Self::required_strings`] still need
    /// one of those strings loaded in the same method.
    pub fn match_method(&self, class_descriptor: &str, name: &str, proto: &str) -> &[RuleIdx] {
        lookup(&self.methods, class_descriptor, name, proto)
    }

    /// Rules fired by a field read `class->name:type`.
    pub fn match_field(&self, class_descriptor: &str, name: &str, type_: &str) -> &[RuleIdx] {
        lookup(&self.fields, class_descriptor, name, type_)
    }

    /// `string` rules fired by a `const-string` equal to `s`.
    pub fn match_string(&self, s: &str) -> &[RuleIdx] {
        self.strings.get(s).map_or(&[], Vec::as_slice)
    }

    /// Method/field rules whose `with_strings` list `s`: the scanner records such strings per
    /// method to check co-occurrence.
    pub fn rules_needing_string(&self, s: &str) -> &[RuleIdx] {
        self.co_strings.get(s).map_or(&[], Vec::as_slice)
    }

    /// The strings rule `rule` needs in the same method (empty: none needed).
    pub fn required_strings(&self, rule: RuleIdx) -> &[String] {
        self.required_strings
            .get(rule.index())
            .map_or(&[], Vec::as_slice)
    }

    /// True when rule `rule` fires given the strings its method loads.
    pub fn strings_satisfied<'s>(
        &self,
        rule: RuleIdx,
        mut method_strings: impl Iterator<Item = &'s str>,
    ) -> bool {
        let needed = self.required_strings(rule);
        needed.is_empty() || method_strings.any(|s| needed.iter().any(|n| n == s))
    }
}

/// iOS API rules compiled into hash tables.
#[derive(Debug, Clone, Default)]
pub struct IosApiMatcher {
    selectors: FxHashMap<Box<str>, Vec<RuleIdx>>,
    symbols: FxHashMap<Box<str>, Vec<RuleIdx>>,
    classes: FxHashMap<Box<str>, Vec<RuleIdx>>,
    frameworks: FxHashMap<Box<str>, Vec<RuleIdx>>,
    required_classes: Vec<Vec<String>>,
}

impl IosApiMatcher {
    /// Compiles `rules`; [`RuleIdx`] values index into `rules`.
    pub fn new(rules: &[IosApiRule]) -> IosApiMatcher {
        let mut m = IosApiMatcher::default();
        for (i, rule) in rules.iter().enumerate() {
            let Ok(idx) = u32::try_from(i).map(RuleIdx) else {
                break;
            };
            m.required_classes.push(rule.with_classes.clone());
            let (table, name) = match rule.kind {
                IosApiKind::Selector => (&mut m.selectors, rule.name.as_str()),
                IosApiKind::Symbol => (&mut m.symbols, rule.name.as_str()),
                IosApiKind::Class => (&mut m.classes, rule.name.as_str()),
                IosApiKind::Framework => (&mut m.frameworks, framework_name(&rule.name)),
            };
            table.entry(name.into()).or_default().push(idx);
        }
        m
    }

    /// Rules fired by a selector name (`advertisingIdentifier`); rules with
    /// [`Self::required_classes`] also need one of those classes referenced.
    pub fn match_selector(&self, selector: &str) -> &[RuleIdx] {
        self.selectors.get(selector).map_or(&[], Vec::as_slice)
    }

    /// Rules fired by an imported symbol, with or without the leading underscore of Mach-O
    /// (`_getifaddrs` or `getifaddrs`).
    pub fn match_symbol(&self, symbol: &str) -> &[RuleIdx] {
        if let Some(list) = self.symbols.get(symbol) {
            return list;
        }
        symbol
            .strip_prefix('_')
            .and_then(|bare| self.symbols.get(bare))
            .map_or(&[], Vec::as_slice)
    }

    /// Rules fired by a referenced ObjC class (`CLLocationManager`).
    pub fn match_class(&self, class: &str) -> &[RuleIdx] {
        self.classes.get(class).map_or(&[], Vec::as_slice)
    }

    /// Rules fired by a linked framework (`AdSupport`, `AdSupport.framework` or its load path).
    pub fn match_framework(&self, framework: &str) -> &[RuleIdx] {
        self.frameworks
            .get(framework_name(framework))
            .map_or(&[], Vec::as_slice)
    }

    /// The classes rule `rule` needs referenced alongside its selector (empty: none).
    pub fn required_classes(&self, rule: RuleIdx) -> &[String] {
        self.required_classes
            .get(rule.index())
            .map_or(&[], Vec::as_slice)
    }
}

/// Android permissions by full name.
#[derive(Debug, Clone, Default)]
pub struct PermissionTable {
    defs: Vec<AndroidPermissionDef>,
    index: FxHashMap<Box<str>, usize>,
}

impl PermissionTable {
    /// Builds the table; on duplicate names the first entry stays.
    pub fn new(defs: &[AndroidPermissionDef]) -> PermissionTable {
        let mut index = FxHashMap::default();
        for (i, def) in defs.iter().enumerate() {
            index.entry(def.name.as_str().into()).or_insert(i);
        }
        PermissionTable {
            defs: defs.to_vec(),
            index,
        }
    }

    /// The definition of `name` (`android.permission.READ_PHONE_STATE`).
    pub fn get(&self, name: &str) -> Option<&AndroidPermissionDef> {
        self.index.get(name).and_then(|&i| self.defs.get(i))
    }
}

/// Info.plist privacy keys by name.
#[derive(Debug, Clone, Default)]
pub struct PlistKeyTable {
    defs: Vec<IosPlistKeyDef>,
    index: FxHashMap<Box<str>, usize>,
}

impl PlistKeyTable {
    /// Builds the table; on duplicate keys the first entry stays.
    pub fn new(defs: &[IosPlistKeyDef]) -> PlistKeyTable {
        let mut index = FxHashMap::default();
        for (i, def) in defs.iter().enumerate() {
            index.entry(def.name.as_str().into()).or_insert(i);
        }
        PlistKeyTable {
            defs: defs.to_vec(),
            index,
        }
    }

    /// The definition of `key` (`NSCameraUsageDescription`).
    pub fn get(&self, key: &str) -> Option<&IosPlistKeyDef> {
        self.index.get(key).and_then(|&i| self.defs.get(i))
    }
}
