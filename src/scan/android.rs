//! The Android scanner: which SDKs an app's DEX code, native libraries and manifest contain,
//! and which personal data each owner's code reaches for.
//!
//! Attribution: every call site belongs to the defined class that contains it; that class
//! belongs to an SDK (longest package prefix), to the app (its own package, or the Java/Android
//! platform namespaces, which only run on the app's behalf), or to `unknown` third-party code.
//! Only defined classes count as presence of an SDK; referenced-only types do not.
//!
//! ```no_run
//! # fn f(unit: &disclose::scan::android::DexUnit, ctx: &disclose::scan::android::AndroidContext,
//! #      set: &disclose::signatures::SignatureSet, m: &disclose::signatures::Matchers) {
//! use disclose::scan::android::{finish, scan_dex};
//! let per_dex = vec![scan_dex(unit, set, m, Some("com.example.app"))];
//! let out = finish(ctx, per_dex, set, m);
//! println!("{} SDKs, {} data observations", out.sdks.len(), out.data.len());
//! # }
//! ```

use super::observations::{presence_records, DataAccumulator, PresenceAccumulator};
use super::ScanOutput;
use crate::android::dex::{smali_method, CodeIndex, DexFile};
use crate::android::elf::NativeLib;
use crate::android::manifest::AndroidManifest;
use crate::model::{Evidence, Limit, LimitKind, OWNER_APP, OWNER_UNKNOWN};
use crate::signatures::{Matchers, RuleIdx, SignatureSet};

/// One parsed DEX file of the app.
pub struct DexUnit {
    /// Entry name inside the package (`classes2.dex`, or `split.apk!classes.dex`).
    pub file: String,
    pub dex: DexFile,
    pub code: CodeIndex,
}

/// Everything beside the DEX code that the Android scanner looks at.
pub struct AndroidContext<'a> {
    pub manifest: Option<&'a AndroidManifest>,
    pub native_libs: &'a [NativeLib],
    /// Every entry name of the package (assets, root files): packer stubs hide there.
    pub entry_names: &'a [String],
}

/// Namespaces of the Java/Android platform and its support libraries: their code only runs on
/// the app's behalf, so call sites in them are attributed to the app.
const PLATFORM_NAMESPACES: [&str; 10] = [
    "Landroid/",
    "Landroidx/",
    "Ljava/",
    "Ljavax/",
    "Lkotlin/",
    "Lkotlinx/",
    "Ldalvik/",
    "Lorg/json/",
    "Lorg/xml/",
    "Lorg/w3c/",
];

/// Who owns a class.
#[derive(Clone, Copy)]
enum Owner {
    Sdk(usize),
    App,
    Unknown,
}

struct Attribution<'a> {
    app_prefix: Option<String>,
    matchers: &'a Matchers,
}

impl Attribution<'_> {
    fn owner(&self, descriptor: &str) -> Owner {
        if let Some(idx) = self.matchers.sdks.match_descriptor(descriptor) {
            return Owner::Sdk(idx.index());
        }
        if let Some(p) = &self.app_prefix {
            if descriptor.starts_with(p.as_str()) {
                return Owner::App;
            }
        }
        if PLATFORM_NAMESPACES
            .iter()
            .any(|ns| descriptor.starts_with(ns))
        {
            return Owner::App;
        }
        Owner::Unknown
    }
}

fn owner_id(owner: Owner, set: &SignatureSet) -> &str {
    match owner {
        Owner::Sdk(i) => set
            .sdks
            .get(i)
            .map_or(OWNER_UNKNOWN, |s| s.spec.id.as_str()),
        Owner::App => OWNER_APP,
        Owner::Unknown => OWNER_UNKNOWN,
    }
}

/// Results of one DEX file; the DEX itself can be dropped once this exists, so an app with many
/// DEX files never holds them all in memory at once.
#[derive(Default)]
pub struct DexScan {
    presence: PresenceAccumulator,
    packers: PresenceAccumulator,
    data: DataAccumulator,
    classes: usize,
    short_named: usize,
    limits: Vec<Limit>,
    /// Descriptors of the classes this DEX defines.
    defined: Vec<String>,
}

fn rule_hits_for_methods(unit: &DexUnit, m: &Matchers) -> Vec<(u32, Vec<RuleIdx>)> {
    let dex = &unit.dex;
    let proto_count = dex.proto_count();
    let protos: Vec<Option<String>> = (0..proto_count)
        .map(|p| dex.proto_descriptor(p).ok())
        .collect();
    let mut hits = Vec::new();
    for idx in 0..dex.method_count() {
        let Ok((class_idx, proto_idx, name_idx)) = dex.method_ids(idx) else {
            continue;
        };
        let (Ok(class), Ok(name)) = (dex.type_descriptor(class_idx), dex.string(name_idx)) else {
            continue;
        };
        let proto = protos
            .get(proto_idx as usize)
            .and_then(|p| p.as_deref())
            .unwrap_or("");
        let rules = m.android_apis.match_method(&class, &name, proto);
        if !rules.is_empty() {
            hits.push((idx, rules.to_vec()));
        }
    }
    hits
}

fn rule_hits_for_fields(unit: &DexUnit, m: &Matchers) -> Vec<(u32, Vec<RuleIdx>)> {
    let dex = &unit.dex;
    (0..dex.field_count())
        .filter_map(|idx| {
            let f = dex.field(idx).ok()?;
            let rules = m.android_apis.match_field(&f.class, &f.name, &f.type_);
            (!rules.is_empty()).then(|| (idx, rules.to_vec()))
        })
        .collect()
}

fn rule_hits_for_strings(unit: &DexUnit, m: &Matchers) -> Vec<(u32, Vec<RuleIdx>)> {
    let dex = &unit.dex;
    (0..dex.string_count())
        .filter_map(|idx| {
            let s = dex.string(idx).ok()?;
            let rules = m.android_apis.match_string(&s);
            (!rules.is_empty()).then(|| (idx, rules.to_vec()))
        })
        .collect()
}

fn lookup(hits: &[(u32, Vec<RuleIdx>)], idx: u32) -> Option<&[RuleIdx]> {
    hits.binary_search_by_key(&idx, |(i, _)| *i)
        .ok()
        .and_then(|pos| hits.get(pos))
        .map(|(_, r)| r.as_slice())
}

/// Scan one DEX file. `app_package` is the manifest package (the app's own code).
pub fn scan_dex(
    unit: &DexUnit,
    set: &SignatureSet,
    m: &Matchers,
    app_package: Option<&str>,
) -> DexScan {
    let attr = Attribution {
        app_prefix: app_package
            .filter(|p| !p.is_empty())
            .map(|p| format!("L{}/", p.replace('.', "/"))),
        matchers: m,
    };
    let dex = &unit.dex;
    let mut out = DexScan::default();
    let method_hits = rule_hits_for_methods(unit, m);
    let field_hits = rule_hits_for_fields(unit, m);
    let string_hits = rule_hits_for_strings(unit, m);

    // Presence: defined classes only.
    let mut owners: Vec<Owner> = Vec::with_capacity(dex.class_def_count() as usize);
    for class in dex.class_defs() {
        let Ok(class) = class else {
            owners.push(Owner::Unknown);
            continue;
        };
        let desc = class.descriptor.as_ref();
        out.classes += 1;
        let simple = desc
            .trim_end_matches(';')
            .rsplit('/')
            .next()
            .unwrap_or(desc);
        if simple.len() <= 2 {
            out.short_named += 1;
        }
        let owner = attr.owner(desc);
        if let Owner::Sdk(i) = owner {
            let ev = Evidence::in_file(&unit.file)
                .at(desc)
                .rule(format!("sdk:{}", owner_id(owner, set)));
            out.presence.code(i, 1, Some(ev));
        }
        if let Some(p) = m.packers.match_descriptor(desc) {
            let ev = Evidence::in_file(&unit.file).at(desc).rule(format!(
                "packer:{}",
                set.packers
                    .get(p.index())
                    .map_or("", |s| s.spec.id.as_str())
            ));
            out.packers.code(p.index(), 1, Some(ev));
        }
        owners.push(owner);
        out.defined.push(desc.to_string());
    }

    // API use, attributed to the owner of the class containing the call site.
    for class in &unit.code.classes {
        let owner = owners
            .get(class.class_def as usize)
            .copied()
            .unwrap_or(Owner::Unknown);
        let who = owner_id(owner, set);
        for method in &class.methods {
            let mut fire = |rules: &[RuleIdx], sites: u32, detail: String| {
                for &r in rules {
                    if !m.android_apis.required_strings(r).is_empty() {
                        let strings = method.strings.iter().filter_map(|&s| dex.string(s).ok());
                        let satisfied = {
                            let owned: Vec<_> = strings.collect();
                            m.android_apis
                                .strings_satisfied(r, owned.iter().map(|c| c.as_ref()))
                        };
                        if !satisfied {
                            continue;
                        }
                    }
                    let Some(rule) = set.android_apis.get(r.index()) else {
                        continue;
                    };
                    let location = dex
                        .method(method.method_idx)
                        .map(|mr| smali_method(&mr))
                        .unwrap_or_else(|_| format!("method #{}", method.method_idx));
                    let ev = Evidence::in_file(&unit.file)
                        .at(location)
                        .rule(rule.id.clone())
                        .detail(detail.clone());
                    out.data.add(&rule.data, who, sites.max(1) as usize, ev);
                }
            };
            for (i, &callee) in method.invokes.iter().enumerate() {
                if let Some(rules) = lookup(&method_hits, callee) {
                    let sites = method.invoke_counts.get(i).copied().unwrap_or(1);
                    let detail = dex
                        .method(callee)
                        .map(|mr| smali_method(&mr))
                        .unwrap_or_default();
                    fire(rules, sites, detail);
                }
            }
            for (i, &field) in method.field_reads.iter().enumerate() {
                if let Some(rules) = lookup(&field_hits, field) {
                    let sites = method.field_read_counts.get(i).copied().unwrap_or(1);
                    let detail = dex
                        .field(field)
                        .map(|f| format!("{}->{}:{}", f.class, f.name, f.type_))
                        .unwrap_or_default();
                    fire(rules, sites, detail);
                }
            }
            for &s in &method.strings {
                if let Some(rules) = lookup(&string_hits, s) {
                    let detail = dex
                        .string(s)
                        .map(|v| format!("\"{v}\""))
                        .unwrap_or_default();
                    fire(rules, 1, detail);
                }
            }
        }
    }
    out
}

/// Combine the per-DEX results with the manifest, native libraries and entry names.
pub fn finish(
    input: &AndroidContext,
    per_dex: Vec<DexScan>,
    set: &SignatureSet,
    m: &Matchers,
) -> ScanOutput {
    let dex_count = per_dex.len();
    let mut defined: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut presence = PresenceAccumulator::default();
    let mut packers = PresenceAccumulator::default();
    let mut data = DataAccumulator::default();
    let mut limits = Vec::new();
    let (mut classes, mut short_named) = (0usize, 0usize);
    for d in per_dex {
        presence.merge(d.presence);
        packers.merge(d.packers);
        data.merge(d.data);
        limits.extend(d.limits);
        classes += d.classes;
        short_named += d.short_named;
        defined.extend(d.defined);
    }

    // Native libraries: a vendor's .so is code of its SDK; JNI exports name Java packages.
    for lib in input.native_libs {
        if let Some(i) = m.sdks.match_native_lib(&lib.path) {
            presence.code(
                i.index(),
                0,
                Some(Evidence::in_file(&lib.path).rule(format!(
                    "sdk:{}",
                    set.sdks.get(i.index()).map_or("", |s| s.spec.id.as_str())
                ))),
            );
        }
        if let Some(p) = m.packers.match_native_lib(&lib.path) {
            packers.code(p.index(), 0, Some(Evidence::in_file(&lib.path)));
        }
        for class in &lib.jni_classes {
            if let Some(i) = m.sdks.match_java_class(class) {
                presence.support(
                    i.index(),
                    Evidence::in_file(&lib.path).detail(format!("JNI export for {class}")),
                );
            }
        }
    }

    // Manifest: components and app-key meta-data support presence; packers hide in the
    // application class and in assets.
    if let Some(mf) = input.manifest {
        for c in &mf.components {
            if let Some(i) = m.sdks.match_component(&c.name) {
                presence.support(
                    i.index(),
                    Evidence::in_file("AndroidManifest.xml").at(format!(
                        "<{} android:name=\"{}\">",
                        c.kind.element(),
                        c.name
                    )),
                );
            }
            if let Some(p) = m.packers.match_component(&c.name) {
                packers.code(
                    p.index(),
                    0,
                    Some(Evidence::in_file("AndroidManifest.xml").at(&c.name)),
                );
            }
        }
        for md in &mf.meta_data {
            if let Some(i) = m.sdks.match_meta_data(&md.name) {
                presence.support(
                    i.index(),
                    Evidence::in_file("AndroidManifest.xml")
                        .at(format!("<meta-data android:name=\"{}\">", md.name)),
                );
            }
        }
        if let Some(app) = &mf.application.name {
            if let Some(p) = m.packers.match_java_class(app) {
                packers.code(
                    p.index(),
                    0,
                    Some(
                        Evidence::in_file("AndroidManifest.xml")
                            .at(format!("<application android:name=\"{app}\">")),
                    ),
                );
            }
        }
    }
    for name in input.entry_names {
        if let Some(p) = m.packers.match_asset(name) {
            if name.starts_with("assets/") || !name.contains('/') {
                packers.code(p.index(), 0, Some(Evidence::in_file(name)));
            }
        }
    }

    for (idx, _, evidence) in packers.present() {
        let Some(p) = set.packers.get(idx) else {
            continue;
        };
        limits.push(Limit {
            kind: LimitKind::Packed,
            message: format!(
                "packed with {} ({}): the real code is encrypted or loaded at run time, so SDKs and data use inside it cannot be seen",
                p.spec.name, p.spec.id
            ),
            evidence,
        });
    }
    if dex_count == 0 {
        limits.push(Limit::new(
            LimitKind::MissingCode,
            "the package has no classes*.dex: no code could be analysed",
        ));
    } else if let Some(mf) = input.manifest {
        // Components declared in the manifest but defined in no dex: code loaded at run time.
        let declared: Vec<&str> = mf.components.iter().map(|c| c.name.as_str()).collect();
        let missing: Vec<&str> = declared
            .iter()
            .copied()
            .filter(|n| !defined.contains(&format!("L{};", n.replace('.', "/"))))
            .collect();
        if declared.len() >= 4 && missing.len() * 2 > declared.len() {
            limits.push(Limit {
                kind: LimitKind::DynamicCode,
                message: format!(
                    "{} of {} manifest components have no class in any dex: code is loaded at run time (packer or plugin framework) and was not analysed",
                    missing.len(),
                    declared.len()
                ),
                evidence: missing
                    .iter()
                    .take(5)
                    .map(|n| Evidence::in_file("AndroidManifest.xml").at(*n))
                    .collect(),
            });
        }
    }
    if classes >= 200 && short_named * 10 >= classes * 4 {
        limits.push(Limit::new(
            LimitKind::Obfuscated,
            format!(
                "{short_named} of {classes} classes have one- or two-letter names: code is obfuscated, so code outside known SDK packages is reported as 'unknown'"
            ),
        ));
    }

    ScanOutput {
        sdks: presence_records(presence.present(), &set.sdks),
        data: data.finish(),
        limits,
    }
}
