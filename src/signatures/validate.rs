//! The strict checks behind loading and `disclose signatures validate`: every problem of a set,
//! not just the first, each one line naming file, entry and field.
//!
//! Checked: ids unique (SDKs and packers share one id space; rules per file) and equal to the
//! file stem (at parse time); SDKs in `sdks/` have kind `sdk`, in `packers/` kind `packer`;
//! every taxonomy id referenced exists; taxonomy parents exist and have no cycles; no two SDKs
//! (or two packers) claim overlapping Android package or component prefixes (boundary rule:
//! `com.tencent` overlaps `com.tencent.bugly`; a package nested in another SDK's package of the
//! same `vendor` is allowed, the longest prefix wins when classes are matched, so a vendor's
//! product can sit inside its core SDK's namespace), iOS class prefixes (plain prefix rule), or the
//! same class, framework, library, meta-data key, native-library or asset prefix; no SDK is
//! without evidence; every SDK and rule has at least one `match` and one `no_match` example;
//! rule fields fit their kind; permissions named by rules exist.
//!
//! ```
//! let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/signatures/good");
//! let sources = disclose::signatures::SignatureSources::read_dir(&dir)?;
//! assert!(disclose::signatures::validate_sources(&sources).is_empty());
//! # Ok::<(), disclose::signatures::SignatureError>(())
//! ```

use rustc_hash::{FxHashMap, FxHashSet};

use super::schema::{AndroidApiKind, Examples, IosApiKind, SdkKind};
use super::sources::SignatureSources;
use super::tables::{BoundaryPrefixTable, PlainPrefixTable};
use super::{Sdk, SignatureError, SignatureSet};

/// Every problem of the set `sources` would load into (parse errors included).
pub fn validate_sources(sources: &SignatureSources) -> Vec<SignatureError> {
    SignatureSet::load_lenient(sources).1
}

const BROAD_PACKAGES: [&str; 14] = [
    "com",
    "org",
    "net",
    "cn",
    "io",
    "me",
    "android",
    "androidx",
    "java",
    "javax",
    "kotlin",
    "dalvik",
    "com.google",
    "com.android",
];

struct Problems<'a> {
    out: Vec<SignatureError>,
    set: &'a SignatureSet,
}

impl Problems<'_> {
    fn push(&mut self, file: &str, message: String) {
        self.out.push(SignatureError::new(file, message));
    }

    fn check_data(&mut self, file: &str, entry: &str, field: &str, id: &str) {
        if !self.set.taxonomy.contains(id) {
            self.push(
                file,
                format!("{entry}: unknown taxonomy id '{id}' in '{field}'"),
            );
        }
    }

    fn check_examples(&mut self, file: &str, entry: &str, examples: &Examples) {
        if examples.must_match.is_empty() {
            self.push(
                file,
                format!("{entry}: needs at least one example in 'examples.match'"),
            );
        }
        if examples.no_match.is_empty() {
            self.push(
                file,
                format!("{entry}: needs at least one example in 'examples.no_match'"),
            );
        }
    }
}

/// The semantic checks of a parsed set (parse errors are reported by the loader).
pub(crate) fn check_set(set: &SignatureSet) -> Vec<SignatureError> {
    let mut p = Problems {
        out: Vec::new(),
        set,
    };
    check_sdks(&mut p);
    check_android_apis(&mut p);
    check_permissions(&mut p);
    check_ios(&mut p);
    p.out.extend(super::validate_owners::check_owners(set));
    p.out
}

fn check_sdks(p: &mut Problems<'_>) {
    let set = p.set;
    let mut ids: FxHashMap<&str, &str> = FxHashMap::default();
    for (sdks, kind) in [(&set.sdks, SdkKind::Sdk), (&set.packers, SdkKind::Packer)] {
        for sdk in sdks.iter() {
            let file = sdk.origin.as_str();
            let entry = format!("sdk '{}'", sdk.id);
            if let Some(first) = ids.insert(&sdk.id, file) {
                p.push(file, format!("{entry}: duplicate id (also in {first})"));
            }
            if sdk.kind != kind {
                let want = if kind == SdkKind::Sdk {
                    "sdk"
                } else {
                    "packer"
                };
                p.push(
                    file,
                    format!("{entry}: field 'kind' must be '{want}' for a file in this directory"),
                );
            }
            check_sdk_fields(p, sdk, file, &entry);
            check_sdk_evidence(p, sdk, file, &entry);
            p.check_examples(file, &entry, &sdk.examples);
        }
        check_overlaps(p, sdks);
    }
}

/// The descriptive fields of one SDK file: name, category, sources, licence, data types.
fn check_sdk_fields(p: &mut Problems<'_>, sdk: &Sdk, file: &str, entry: &str) {
    for (field, value) in [("name", &sdk.name), ("category", &sdk.category)] {
        if value.trim().is_empty() {
            p.push(file, format!("{entry}: field '{field}' is empty"));
        }
    }
    if sdk.sources.is_empty() {
        p.push(
            file,
            format!("{entry}: field 'sources' is empty; say where the facts come from"),
        );
    }
    if sdk.sources.iter().any(|s| s.starts_with("exodus:")) && sdk.license.is_none() {
        p.push(
            file,
            format!("{entry}: derived from the Exodus list, so field 'license' must name ODbL-1.0"),
        );
    }
    for id in sdk.data.iter().flatten() {
        p.check_data(file, entry, "data", id);
    }
    match (&sdk.data, &sdk.data_undocumented) {
        (Some(_), Some(_)) => p.push(
            file,
            format!("{entry}: fields 'data' and 'data_undocumented' exclude each other"),
        ),
        (None, None) if sdk.kind == SdkKind::Sdk => p.push(
            file,
            format!("{entry}: give the vendor-documented 'data' types, or say in 'data_undocumented' what was searched"),
        ),
        (None, Some(why)) if why.trim().is_empty() => {
            p.push(file, format!("{entry}: field 'data_undocumented' is empty"))
        }
        _ => {}
    }
}

/// The evidence lists of one SDK file: at least one, each value well formed.
fn check_sdk_evidence(p: &mut Problems<'_>, sdk: &Sdk, file: &str, entry: &str) {
    let a = &sdk.android;
    let i = &sdk.ios;
    let has_evidence = [
        &a.packages,
        &a.adapters,
        &a.components,
        &a.meta_data,
        &a.native_libs,
        &a.assets,
        &i.frameworks,
        &i.libraries,
        &i.class_prefixes,
        &i.classes,
        &i.symbols,
        &i.objects,
        &i.documented_classes,
    ]
    .iter()
    .any(|list| !list.is_empty());
    if !has_evidence {
        p.push(
            file,
            format!("{entry}: empty signature: no android and no ios evidence"),
        );
    }
    for (field, list) in [
        ("android.packages", &a.packages),
        ("android.components", &a.components),
        ("android.adapters", &a.adapters),
    ] {
        for prefix in list {
            if let Some(why) = bad_java_prefix(prefix) {
                p.push(file, format!("{entry}: '{prefix}' in '{field}' {why}"));
            }
        }
    }
    for (field, list) in [
        ("android.meta_data", &a.meta_data),
        ("android.native_libs", &a.native_libs),
        ("android.assets", &a.assets),
        ("ios.frameworks", &i.frameworks),
        ("ios.libraries", &i.libraries),
        ("ios.classes", &i.classes),
        ("ios.documented_classes", &i.documented_classes),
        ("aliases.zh", &sdk.aliases.zh),
        ("aliases.en", &sdk.aliases.en),
    ] {
        for value in list {
            if value.trim().is_empty() || value.trim() != value {
                p.push(
                    file,
                    format!("{entry}: '{value}' in '{field}' is empty or has surrounding spaces"),
                );
            }
        }
    }
    for f in &i.frameworks {
        if f.ends_with(".framework") {
            p.push(
                file,
                format!("{entry}: '{f}' in 'ios.frameworks': write the name without '.framework'"),
            );
        }
    }
    for problem in super::validate_ios::ios_value_problems(sdk) {
        p.push(file, format!("{entry}: {problem}"));
    }
}

fn bad_java_prefix(prefix: &str) -> Option<&'static str> {
    if prefix.is_empty()
        || prefix.starts_with('.')
        || prefix.ends_with('.')
        || prefix.contains("..")
        || prefix.contains(|c: char| c.is_whitespace() || c == '/' || c == ';' || c == '*')
    {
        return Some("is not a dotted package or class name");
    }
    if BROAD_PACKAGES.contains(&prefix) {
        return Some("is too broad: it would claim other vendors' code");
    }
    None
}

/// Whether `other` names the same vendor as `sdk` (both set, equal after trimming): a package
/// of one nested in a package of the other is then one vendor's layout, not a clash.
fn same_vendor(sdk: &Sdk, other: Option<&Sdk>) -> bool {
    match (
        sdk.vendor.as_deref(),
        other.and_then(|o| o.vendor.as_deref()),
    ) {
        (Some(a), Some(b)) => !a.trim().is_empty() && a.trim() == b.trim(),
        _ => false,
    }
}

/// Every SDK's entries of one list, by kind, each kept for the first SDK that has it.
#[derive(Default)]
struct OverlapTables<'a> {
    packages: BoundaryPrefixTable,
    components: BoundaryPrefixTable,
    class_prefixes: PlainPrefixTable,
    symbols: PlainPrefixTable,
    objects: PlainPrefixTable,
    native_libs: PlainPrefixTable,
    assets: PlainPrefixTable,
    /// meta_data, ios.frameworks, ios.libraries, ios.classes, ios.documented_classes: exact.
    exact: [FxHashMap<&'a str, u32>; 5],
}

impl<'a> OverlapTables<'a> {
    fn build(sdks: &'a [Sdk]) -> OverlapTables<'a> {
        let mut t = OverlapTables::default();
        for (i, sdk) in sdks.iter().enumerate() {
            let Ok(idx) = u32::try_from(i) else { break };
            sdk.android
                .packages
                .iter()
                .chain(&sdk.android.adapters)
                .for_each(|x| t.packages.insert(x, idx));
            sdk.android
                .components
                .iter()
                .for_each(|x| t.components.insert(x, idx));
            sdk.ios
                .class_prefixes
                .iter()
                .for_each(|x| t.class_prefixes.insert(x, idx));
            sdk.ios
                .symbols
                .iter()
                .for_each(|x| t.symbols.insert(x, idx));
            sdk.ios
                .objects
                .iter()
                .for_each(|x| t.objects.insert(x, idx));
            sdk.android
                .native_libs
                .iter()
                .for_each(|x| t.native_libs.insert(x, idx));
            sdk.android
                .assets
                .iter()
                .for_each(|x| t.assets.insert(x, idx));
            let lists = [
                &sdk.android.meta_data,
                &sdk.ios.frameworks,
                &sdk.ios.libraries,
                &sdk.ios.classes,
                &sdk.ios.documented_classes,
            ];
            for (map, list) in t.exact.iter_mut().zip(lists) {
                for x in list {
                    map.entry(x.as_str()).or_insert(idx);
                }
            }
        }
        t
    }
}

/// Overlaps between two different SDKs of one list (SDKs among themselves, packers among
/// themselves), reported once per pair on the SDK with the longer (or later) entry.
fn check_overlaps(p: &mut Problems<'_>, sdks: &[Sdk]) {
    let OverlapTables {
        packages,
        components,
        class_prefixes,
        symbols,
        objects,
        native_libs,
        assets,
        exact,
    } = OverlapTables::build(sdks);
    // Each table keeps the first SDK of a prefix, so a pair is found once: from the SDK whose
    // entry is longer, or from the later SDK when both are equal.
    for (i, sdk) in sdks.iter().enumerate() {
        let Ok(idx) = u32::try_from(i) else { break };
        let file = sdk.origin.as_str();
        let report = |p: &mut Problems<'_>, field: &str, mine: &str, theirs: &str, other: u32| {
            if other == idx {
                return;
            }
            let Some(o) = sdks.get(other as usize) else {
                return;
            };
            p.push(
                file,
                format!(
                    "sdk '{}': '{mine}' in '{field}' overlaps '{theirs}' of sdk '{}' ({})",
                    sdk.id, o.id, o.origin
                ),
            );
        };
        for x in &sdk.android.packages {
            for (theirs, other) in packages.all_dotted(x) {
                if theirs != x.as_str() && same_vendor(sdk, sdks.get(other as usize)) {
                    continue;
                }
                report(p, "android.packages", x, theirs, other);
            }
        }
        // An adapter sits inside another vendor's namespace on purpose; only the same prefix
        // claimed twice is a conflict.
        for x in &sdk.android.adapters {
            for (theirs, other) in packages.all_dotted(x) {
                if theirs == x.as_str() {
                    report(p, "android.adapters", x, theirs, other);
                }
            }
        }
        for x in &sdk.android.components {
            for (theirs, other) in components.all_dotted(x) {
                report(p, "android.components", x, theirs, other);
            }
        }
        for (table, list, field) in [
            (
                &class_prefixes,
                &sdk.ios.class_prefixes,
                "ios.class_prefixes",
            ),
            (&symbols, &sdk.ios.symbols, "ios.symbols"),
            (&objects, &sdk.ios.objects, "ios.objects"),
            (
                &native_libs,
                &sdk.android.native_libs,
                "android.native_libs",
            ),
            (&assets, &sdk.android.assets, "android.assets"),
        ] {
            for x in list {
                for (theirs, other) in table.all(x) {
                    report(p, field, x, theirs, other);
                }
            }
        }
        let lists = [
            (&sdk.android.meta_data, "android.meta_data"),
            (&sdk.ios.frameworks, "ios.frameworks"),
            (&sdk.ios.libraries, "ios.libraries"),
            (&sdk.ios.classes, "ios.classes"),
            (&sdk.ios.documented_classes, "ios.documented_classes"),
        ];
        for (map, (list, field)) in exact.iter().zip(lists) {
            for x in list {
                if let Some(&other) = map.get(x.as_str()) {
                    report(p, field, x, x, other);
                }
            }
        }
    }
}

fn check_android_apis(p: &mut Problems<'_>) {
    let set = p.set;
    let file = set.origins.android_apis.as_str();
    let permissions: FxHashSet<&str> = set
        .android_permissions
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    let mut ids = FxHashSet::default();
    for rule in &set.android_apis {
        let entry = format!("rule '{}'", rule.id);
        if !ids.insert(rule.id.as_str()) {
            p.push(file, format!("{entry}: duplicate id"));
        }
        p.check_data(file, &entry, "data", &rule.data);
        let member = rule.class.is_some() || rule.name.is_some() || rule.descriptor.is_some();
        match rule.kind {
            AndroidApiKind::Method | AndroidApiKind::Field => {
                if rule.class.is_none() || rule.name.is_none() {
                    let kind = if rule.kind == AndroidApiKind::Method {
                        "method"
                    } else {
                        "field"
                    };
                    p.push(
                        file,
                        format!("{entry}: a {kind} rule needs 'class' and 'name'"),
                    );
                }
                if rule.string.is_some() {
                    p.push(
                        file,
                        format!("{entry}: field 'string' is only for string rules"),
                    );
                }
                if let Some(class) = &rule.class {
                    if bad_java_prefix(class).is_some() && !BROAD_PACKAGES.contains(&class.as_str())
                    {
                        p.push(file, format!("{entry}: field 'class' must be a dotted binary class name, got '{class}'"));
                    }
                }
                if let Some(d) = &rule.descriptor {
                    let ok = if rule.kind == AndroidApiKind::Method {
                        d.starts_with('(')
                            && d.find(')')
                                .is_some_and(|close| is_type_descriptor(&d[close + 1..], true))
                    } else {
                        is_type_descriptor(d, false)
                    };
                    if !ok {
                        p.push(
                            file,
                            format!("{entry}: field 'descriptor' is not a DEX descriptor: '{d}'"),
                        );
                    }
                }
            }
            AndroidApiKind::String => {
                if rule.string.as_deref().is_none_or(str::is_empty) {
                    p.push(
                        file,
                        format!("{entry}: a string rule needs a non-empty 'string'"),
                    );
                }
                if member || !rule.with_strings.is_empty() {
                    p.push(file, format!("{entry}: a string rule takes no 'class', 'name', 'descriptor' or 'with_strings'"));
                }
            }
        }
        if let Some(perm) = &rule.permission {
            if !permissions.contains(perm.as_str()) {
                p.push(file, format!("{entry}: permission '{perm}' in 'permission' is not in android-permissions.toml"));
            }
        }
        if rule.source.trim().is_empty() {
            p.push(file, format!("{entry}: field 'source' is empty"));
        }
        p.check_examples(file, &entry, &rule.examples);
    }
}

/// A field type or return type descriptor (`I`, `[B`, `Ljava/lang/String;`; `V` only for returns).
fn is_type_descriptor(d: &str, allow_void: bool) -> bool {
    let t = d.trim_start_matches('[');
    if allow_void && d == "V" {
        return true;
    }
    match t.as_bytes().first() {
        Some(b'L') => t.ends_with(';') && t.len() > 2 && !t[1..t.len() - 1].contains([';', '.']),
        Some(b'Z' | b'B' | b'S' | b'C' | b'I' | b'J' | b'F' | b'D') => t.len() == 1,
        _ => false,
    }
}

fn check_permissions(p: &mut Problems<'_>) {
    let set = p.set;
    let file = set.origins.android_permissions.as_str();
    let mut names = FxHashSet::default();
    for def in &set.android_permissions {
        let entry = format!("permission '{}'", def.name);
        if !names.insert(def.name.as_str()) {
            p.push(file, format!("{entry}: duplicate name"));
        }
        if !def.name.contains('.') {
            p.push(
                file,
                format!("{entry}: field 'name' must be the full name (android.permission.X)"),
            );
        }
        if !["dangerous", "special", "normal", "signature"].contains(&def.protection.as_str()) {
            p.push(file, format!("{entry}: field 'protection' must be dangerous, special, normal or signature, got '{}'", def.protection));
        }
        for id in &def.data {
            p.check_data(file, &entry, "data", id);
        }
    }
}

fn check_ios(p: &mut Problems<'_>) {
    let set = p.set;
    let file = set.origins.ios_apis.as_str();
    let mut ids = FxHashSet::default();
    for rule in &set.ios_apis {
        let entry = format!("rule '{}'", rule.id);
        if !ids.insert(rule.id.as_str()) {
            p.push(file, format!("{entry}: duplicate id"));
        }
        p.check_data(file, &entry, "data", &rule.data);
        let name = rule.name.as_str();
        let bad_name = match rule.kind {
            _ if name.is_empty() || name.contains(char::is_whitespace) => {
                Some("must be non-empty without spaces")
            }
            IosApiKind::Symbol if name.starts_with('_') => {
                Some("is written without the leading underscore")
            }
            IosApiKind::Framework if name.ends_with(".framework") => {
                Some("is written without '.framework'")
            }
            _ => None,
        };
        if let Some(why) = bad_name {
            p.push(file, format!("{entry}: field 'name' {why}"));
        }
        if !rule.with_classes.is_empty() && rule.kind != IosApiKind::Selector {
            p.push(
                file,
                format!("{entry}: field 'with_classes' is only for selector rules"),
            );
        }
        p.check_examples(file, &entry, &rule.examples);
    }
    let file = set.origins.ios_plist_keys.as_str();
    let mut names = FxHashSet::default();
    for def in &set.ios_plist_keys {
        let entry = format!("key '{}'", def.name);
        if !names.insert(def.name.as_str()) {
            p.push(file, format!("{entry}: duplicate name"));
        }
        if def.data.is_empty() {
            p.push(file, format!("{entry}: field 'data' is empty"));
        }
        for id in &def.data {
            p.check_data(file, &entry, "data", id);
        }
    }
}
