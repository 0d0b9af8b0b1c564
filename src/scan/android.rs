//! The Android scanner: which SDKs an app's DEX code, native libraries and manifest contain,
//! and which personal data each owner's code reaches for.
//!
//! Attribution: every call site belongs to the defined class that contains it, and that class
//! to an owner ([`super::owners`]): the app, an SDK, a named library, a vendor root, or
//! `unknown`. Call sites inside platform wrappers (androidx, support, kotlin …) belong to the
//! callers of the wrapper ([`super::callers`]), resolved in [`finish`] across all DEX files.
//! Only defined classes count as presence of an SDK, and crumb classes only as a reference.
//!
//! ```no_run
//! # fn f(unit: &disclose::scan::android::DexUnit, ctx: &disclose::scan::android::AndroidContext,
//! #      set: &disclose::signatures::SignatureSet, m: &disclose::signatures::Matchers) {
//! use disclose::scan::android::{finish, scan_dex};
//! let per_dex = vec![scan_dex(unit, set, m, ctx.namespaces)];
//! let out = finish(ctx, per_dex, set, m);
//! println!("{} SDKs, {} data observations", out.sdks.len(), out.data.len());
//! # }
//! ```

use super::callers::{method_key, CallEdges, Caller, MethodKey};
use super::code_unit::{fire, RefKind, Reference};
use super::observations::{DataAccumulator, PresenceAccumulator};
use super::owners::{label, AppNamespaces, ClassOwner};
use crate::android::dex::{smali_method, CodeIndex, DexFile, MethodCode};
use crate::android::elf::NativeLib;
use crate::android::manifest::AndroidManifest;
use crate::model::{Evidence, Limit};
use crate::signatures::{Matchers, RuleIdx, SignatureSet};
use std::collections::{BTreeMap, HashMap};

pub use super::android_finish::{finish, finish_merged, DexMerge};
pub use super::class_names::{ClassNames, PackedNames};

/// One parsed DEX file of the app.
pub struct DexUnit {
    /// Entry name inside the package (`classes2.dex`, or `split.apk!classes.dex`).
    pub file: String,
    pub dex: DexFile,
    pub code: CodeIndex,
}

/// Everything beside the DEX code that the Android scanner looks at.
pub struct AndroidContext<'a> {
    pub manifest: Option<ManifestInput<'a>>,
    pub native_libs: &'a [NativeLib],
    /// Every entry name of the package (assets, root files): packer stubs hide there.
    pub entry_names: &'a [String],
    /// The app's own namespaces (the same given to [`scan_dex`]).
    pub namespaces: &'a AppNamespaces,
}

/// The app's (merged) manifest and the manifest files inside the input that declare its
/// elements, for evidence.
#[derive(Clone, Copy)]
pub struct ManifestInput<'a> {
    pub manifest: &'a AndroidManifest,
    pub files: &'a ManifestFiles,
}

/// Which manifest file inside the input declares each element of a merged manifest: an APK's
/// `AndroidManifest.xml`, a bundle module's `base/manifest/AndroidManifest.xml`, a split's
/// `split_x.apk!AndroidManifest.xml`. Evidence names that file, not a fixed name.
///
/// ```
/// use disclose::scan::android::ManifestFiles;
/// let mut files = ManifestFiles::new("base/manifest/AndroidManifest.xml");
/// files.component_in("com.x.CameraService", "camera/manifest/AndroidManifest.xml");
/// assert_eq!(files.component("com.x.CameraService"), "camera/manifest/AndroidManifest.xml");
/// assert_eq!(files.component("com.x.Main"), "base/manifest/AndroidManifest.xml");
/// ```
#[derive(Debug, Clone, Default)]
pub struct ManifestFiles {
    base: String,
    permissions: HashMap<String, String>,
    components: HashMap<String, String>,
    meta_data: HashMap<String, String>,
}

impl ManifestFiles {
    /// Files for a manifest whose base part is `base`; every element is the base's until a
    /// part is recorded as declaring it.
    pub fn new(base: impl Into<String>) -> ManifestFiles {
        ManifestFiles {
            base: base.into(),
            ..ManifestFiles::default()
        }
    }

    /// The base part's file (the application element's).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Records that `file` requests `permission`, unless an earlier part did.
    pub fn permission_in(&mut self, permission: &str, file: &str) {
        first_file(&mut self.permissions, permission, file);
    }

    /// Records that `file` declares component `name`, unless an earlier part did.
    pub fn component_in(&mut self, name: &str, file: &str) {
        first_file(&mut self.components, name, file);
    }

    /// Records that `file` declares meta-data `name`, unless an earlier part did.
    pub fn meta_data_in(&mut self, name: &str, file: &str) {
        first_file(&mut self.meta_data, name, file);
    }

    /// The file that first requests `permission` (the base's when no part is recorded).
    pub fn permission(&self, permission: &str) -> &str {
        self.permissions.get(permission).unwrap_or(&self.base)
    }

    /// The file that first declares component `name`.
    pub fn component(&self, name: &str) -> &str {
        self.components.get(name).unwrap_or(&self.base)
    }

    /// The file that first declares meta-data `name`.
    pub fn meta_data(&self, name: &str) -> &str {
        self.meta_data.get(name).unwrap_or(&self.base)
    }
}

fn first_file(map: &mut HashMap<String, String>, name: &str, file: &str) {
    if !map.contains_key(name) {
        map.insert(name.to_string(), file.to_string());
    }
}

/// An API use whose owner is only known once every DEX file is scanned.
pub(super) struct PendingUse {
    pub data_type: crate::id::TaxonomyId,
    pub sites: usize,
    pub evidence: Evidence,
    pub waits_for: Pending,
}

/// What a [`PendingUse`] waits for.
pub(super) enum Pending {
    /// Code under a vendor root: the SDKs found decide its owner.
    Root(u32),
    /// Code inside platform library `lib`, method `key`: its callers own it.
    Wrapper { key: MethodKey, lib: u32 },
}

/// Results of one DEX file; the DEX itself can be dropped once this exists, so an app with many
/// DEX files never holds them all in memory at once.
#[derive(Default)]
pub struct DexScan {
    pub(super) file: String,
    pub(super) presence: PresenceAccumulator,
    pub(super) packers: PresenceAccumulator,
    pub(super) data: DataAccumulator,
    pub(super) pending: Vec<PendingUse>,
    pub(super) edges: CallEdges,
    /// Defined classes per library index.
    pub(super) libraries: BTreeMap<u32, usize>,
    pub(super) classes: usize,
    pub(super) short_named: usize,
    /// Classes recognised by SDK fingerprints, and classes no owner could be given at all.
    pub(super) fingerprinted: usize,
    pub(super) unattributed: usize,
    pub(super) limits: Vec<Limit>,
    /// Descriptors of the classes this DEX defines, by class def index (empty for a class def
    /// that could not be read).
    pub(super) defined: ClassNames,
}

/// Per method id: the API rules it fires and, for methods of platform classes, its key.
struct MethodTable {
    hits: Vec<(u32, Vec<RuleIdx>)>,
    /// By method id; 0 for a method that is not a platform library's.
    platform_keys: Vec<MethodKey>,
}

impl MethodTable {
    fn platform_key(&self, method_idx: u32) -> Option<MethodKey> {
        self.platform_keys
            .get(method_idx as usize)
            .copied()
            .filter(|&k| k != 0)
    }
}

fn method_table(
    unit: &DexUnit,
    m: &Matchers,
    ns: &AppNamespaces,
    defined_types: &[bool],
) -> MethodTable {
    let dex = &unit.dex;
    // Every prototype's descriptor in one buffer ("" for one that cannot be read).
    let mut protos = PackedNames::default();
    let mut descriptor = String::new();
    for p in 0..dex.proto_count() {
        descriptor.clear();
        if dex.write_proto_descriptor(p, &mut descriptor).is_err() {
            descriptor.clear();
        }
        protos.push(&descriptor);
    }
    let mut hits = Vec::new();
    let mut platform_keys = vec![0; dex.method_count() as usize];
    // Per type id: 0 not yet known, 1 platform, 2 not.
    let mut platform_types = vec![0u8; dex.type_count() as usize];
    for idx in 0..dex.method_count() {
        let Ok((class_idx, proto_idx, name_idx)) = dex.method_ids(idx) else {
            continue;
        };
        let (Ok(class), Ok(name)) = (dex.type_descriptor(class_idx), dex.string(name_idx)) else {
            continue;
        };
        let proto = protos.get(proto_idx as usize).unwrap_or("");
        let rules = m.android_apis.match_method(&class, &name, proto);
        if !rules.is_empty() {
            hits.push((idx, rules.to_vec()));
        }
        let Some(state) = platform_types.get_mut(class_idx as usize) else {
            continue;
        };
        if *state == 0 {
            // Calls into the system's own classes are API use; only wrappers the app ships
            // (platform libraries, or system-namespace classes this DEX defines) get keys.
            let defined_here = defined_types.get(class_idx as usize) == Some(&true);
            *state = match ns.owner(&class, m) {
                ClassOwner::Platform(l) if defined_here || !m.libraries.is_system(l as usize) => 1,
                _ => 2,
            };
        }
        if *state == 1 {
            if let Some(slot) = platform_keys.get_mut(idx as usize) {
                *slot = method_key(&class, &name, proto).max(1);
            }
        }
    }
    MethodTable {
        hits,
        platform_keys,
    }
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

/// Presence and ownership of every class this DEX defines.
fn classify_classes(
    unit: &DexUnit,
    set: &SignatureSet,
    m: &Matchers,
    ns: &AppNamespaces,
    out: &mut DexScan,
    defined_types: &mut [bool],
) -> Vec<ClassOwner> {
    let dex = &unit.dex;
    let mut owners: Vec<ClassOwner> = Vec::with_capacity(dex.class_def_count() as usize);
    for class in dex.class_defs() {
        let Ok(class) = class else {
            owners.push(ClassOwner::Unknown);
            out.defined.push("");
            continue;
        };
        let desc = class.descriptor.as_ref();
        if let Some(slot) = defined_types.get_mut(class.class_idx as usize) {
            *slot = true;
        }
        out.classes += 1;
        let simple = desc
            .trim_end_matches(';')
            .rsplit('/')
            .next()
            .unwrap_or(desc);
        if simple.len() <= 2 {
            out.short_named += 1;
        }
        let owner = ns.owner(desc, m);
        match owner {
            ClassOwner::Sdk(i) => {
                let id = set.sdks.get(i.index()).map_or("", |s| s.spec.id.as_str());
                let ev = Evidence::in_file(&unit.file)
                    .at(desc)
                    .rule(format!("sdk:{id}"));
                if m.sdks.is_crumb(desc, i) {
                    out.presence.crumb(
                        i.index(),
                        ev.detail("crumb: shipped by other libraries too"),
                    );
                } else {
                    out.presence.code(i.index(), 1, Some(ev));
                }
            }
            ClassOwner::Library(l) | ClassOwner::Platform(l) => {
                *out.libraries.entry(l).or_default() += 1;
            }
            _ => {}
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
        out.defined.push(desc);
    }
    owners
}

/// Records the call edges from `method` (of class def `class_def`, owned by `owner`) into
/// platform methods.
fn record_edges(
    method: &MethodCode<'_>,
    owner: ClassOwner,
    class_def: u32,
    table: &MethodTable,
    edges: &mut CallEdges,
) {
    let own_key = table.platform_key(method.method_idx);
    for &callee in method.invokes() {
        let Some(key) = table.platform_key(callee) else {
            continue;
        };
        let caller = match (owner, own_key) {
            (ClassOwner::Platform(_), Some(k)) => Caller::Wrapper(k),
            (ClassOwner::Platform(_), None) => continue,
            _ => Caller::Owned { owner, class_def },
        };
        edges.push(key, caller);
    }
}

/// The references of a method whose APIs matched rules: invokes, field reads and strings.
fn api_hits<'t>(
    dex: &DexFile,
    method: &MethodCode<'_>,
    table: &'t MethodTable,
    field_hits: &'t [(u32, Vec<RuleIdx>)],
    string_hits: &'t [(u32, Vec<RuleIdx>)],
) -> Vec<Reference<'t>> {
    let mut out = Vec::new();
    for (i, &callee) in method.invokes().iter().enumerate() {
        if let Some(rules) = lookup(&table.hits, callee) {
            let sites = method.invoke_counts().get(i).copied().unwrap_or(1);
            let detail = dex
                .method(callee)
                .map(|mr| smali_method(&mr))
                .unwrap_or_default();
            out.push(Reference {
                kind: RefKind::Call,
                rules,
                sites: sites.max(1) as usize,
                detail,
            });
        }
    }
    for (i, &field) in method.field_reads().iter().enumerate() {
        if let Some(rules) = lookup(field_hits, field) {
            let sites = method.field_read_counts().get(i).copied().unwrap_or(1);
            let detail = dex
                .field(field)
                .map(|f| format!("{}->{}:{}", f.class, f.name, f.type_))
                .unwrap_or_default();
            out.push(Reference {
                kind: RefKind::FieldRead,
                rules,
                sites: sites.max(1) as usize,
                detail,
            });
        }
    }
    for &s in method.strings() {
        if let Some(rules) = lookup(string_hits, s) {
            let detail = dex
                .string(s)
                .map(|v| format!("\"{v}\""))
                .unwrap_or_default();
            out.push(Reference {
                kind: RefKind::String,
                rules,
                sites: 1,
                detail,
            });
        }
    }
    out
}

/// Scan one DEX file with the app's namespaces `ns`.
pub fn scan_dex(unit: &DexUnit, set: &SignatureSet, m: &Matchers, ns: &AppNamespaces) -> DexScan {
    let mut out = scan_unsealed(unit, set, m, ns);
    out.edges.seal();
    out
}

/// [`scan_dex`] of a DEX file the caller is done with: its code index is dropped before the
/// call edges are sealed (sorting and grouping them is the moment a DEX's scan holds the
/// most), and the DEX itself comes back (for its bytes).
pub fn scan_dex_into(
    unit: DexUnit,
    set: &SignatureSet,
    m: &Matchers,
    ns: &AppNamespaces,
) -> (DexScan, DexFile) {
    let mut out = scan_unsealed(&unit, set, m, ns);
    let DexUnit { dex, code, .. } = unit;
    drop(code);
    out.edges.seal();
    (out, dex)
}

/// The scan of one DEX file, its call edges as recorded (not yet sealed).
fn scan_unsealed(unit: &DexUnit, set: &SignatureSet, m: &Matchers, ns: &AppNamespaces) -> DexScan {
    let dex = &unit.dex;
    let mut out = DexScan {
        file: unit.file.clone(),
        ..DexScan::default()
    };
    let mut defined_types = vec![false; dex.type_count() as usize];
    let mut owners = classify_classes(unit, set, m, ns, &mut out, &mut defined_types);
    super::fingerprinted::claim_renamed_classes(unit, set, &mut owners, &mut out);
    let table = method_table(unit, m, ns, &defined_types);
    let field_hits = rule_hits_for_fields(unit, m);
    let string_hits = rule_hits_for_strings(unit, m);

    // API use, attributed to the owner of the class containing the call site; call edges into
    // platform methods, for the wrappers' callers.
    for class in &unit.code.classes {
        let owner = owners
            .get(class.class_def as usize)
            .copied()
            .unwrap_or(ClassOwner::Unknown);
        // Built on the first API hit of the class: most classes have none.
        let label_cell = std::cell::OnceCell::new();
        let label_now = || label_cell.get_or_init(|| label(owner, ns, set, m));
        for method in &class.methods {
            let location_cell = std::cell::OnceCell::new();
            let location = || {
                location_cell
                    .get_or_init(|| {
                        dex.method(method.method_idx)
                            .map(|mr| smali_method(&mr))
                            .unwrap_or_else(|_| format!("method #{}", method.method_idx))
                    })
                    .clone()
            };
            let own_key = table.platform_key(method.method_idx);
            record_edges(&method, owner, class.class_def, &table, &mut out.edges);
            // A rule that names strings fires only when the method also loads one of them.
            let strings_gate = |r: RuleIdx| {
                m.android_apis.required_strings(r).is_empty() || {
                    let strings = method.strings().iter().filter_map(|&s| dex.string(s).ok());
                    let owned: Vec<_> = strings.collect();
                    m.android_apis
                        .strings_satisfied(r, owned.iter().map(|c| c.as_ref()))
                }
            };
            for reference in api_hits(dex, &method, &table, &field_hits, &string_hits) {
                fire(
                    &unit.file,
                    location,
                    reference,
                    &set.android_apis,
                    strings_gate,
                    |rule, sites, ev| {
                        let waits_for = match owner {
                            ClassOwner::VendorRoot(root) => Pending::Root(root),
                            ClassOwner::Platform(lib) => Pending::Wrapper {
                                key: own_key.unwrap_or_default(),
                                lib,
                            },
                            _ => {
                                out.data.add_owned(&rule.data, label_now(), sites, ev);
                                return;
                            }
                        };
                        out.pending.push(PendingUse {
                            data_type: rule.data.clone(),
                            sites,
                            evidence: ev,
                            waits_for,
                        });
                    },
                );
            }
        }
    }
    out.defined.shrink_to_fit();
    out
}
