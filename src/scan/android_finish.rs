//! The second half of the Android scanner: combines the per-DEX results with the manifest,
//! native libraries and entry names; grades SDK presence; resolves the owners that need the
//! whole app (vendor roots against the SDKs found, platform wrappers against their callers in
//! every DEX file); and says what could not be seen.
//!
//! ```no_run
//! # fn f(ctx: &disclose::scan::android::AndroidContext, per_dex: Vec<disclose::scan::android::DexScan>,
//! #      set: &disclose::signatures::SignatureSet, m: &disclose::signatures::Matchers) {
//! let out = disclose::scan::android::finish(ctx, per_dex, set, m);
//! println!("{} SDKs", out.sdks.len());
//! # }
//! ```

use super::android::{AndroidContext, ClassNames, DexScan, ManifestInput, Pending, PendingUse};
use super::callers::{CallEdges, CallGraph, MAX_HOPS};
use super::observations::{graded_records, DataAccumulator, OwnerLabel, PresenceAccumulator};
use super::owners::{
    label, root_label, unknown_cluster_limits, unknown_clusters, AppNamespaces, ClassOwner,
};
use super::ScanOutput;
use crate::model::{Evidence, LibraryUse, Limit, LimitKind, OwnerKind};
use crate::signatures::schema::LibraryKind;
use crate::signatures::{Matchers, SdkIdx, SignatureSet};
use std::collections::{BTreeMap, HashSet};

/// The results of the DEX files scanned so far, merged in DEX order as each comes: SDK
/// presence, packers and data are merged at once (their evidence capped over the whole app,
/// not per DEX), while what needs the whole app — call edges, class names, pending uses — is
/// kept per DEX in its compact form. A 60-DEX app thus holds one set of accumulators, not 60.
#[derive(Default)]
pub struct DexMerge {
    presence: PresenceAccumulator,
    packers: PresenceAccumulator,
    data: DataAccumulator,
    limits: Vec<Limit>,
    pending: Vec<PendingUse>,
    edges: Vec<CallEdges>,
    dex_files: Vec<String>,
    defined_by_dex: Vec<ClassNames>,
    library_classes: BTreeMap<u32, usize>,
    counts: ClassCounts,
}

impl DexMerge {
    /// Merges the next DEX file's results (DEX files must come in order).
    pub fn add(&mut self, d: DexScan) {
        self.presence.merge(d.presence);
        self.packers.merge(d.packers);
        self.data.merge(d.data);
        self.limits.extend(d.limits);
        self.counts.classes += d.classes;
        self.counts.short_named += d.short_named;
        self.counts.fingerprinted += d.fingerprinted;
        self.counts.unattributed += d.unattributed;
        self.defined_by_dex.push(d.defined);
        self.pending.extend(d.pending);
        self.edges.push(d.edges);
        self.dex_files.push(d.file);
        for (l, c) in d.libraries {
            *self.library_classes.entry(l).or_default() += c;
        }
    }

    /// How many DEX files were merged.
    pub fn dex_count(&self) -> usize {
        self.dex_files.len()
    }
}

/// Combine the per-DEX results with the manifest, native libraries and entry names.
pub fn finish(
    input: &AndroidContext,
    per_dex: Vec<DexScan>,
    set: &SignatureSet,
    m: &Matchers,
) -> ScanOutput {
    let mut merged = DexMerge::default();
    for d in per_dex {
        merged.add(d);
    }
    finish_merged(input, merged, set, m)
}

/// [`finish`] of DEX results already merged.
pub fn finish_merged(
    input: &AndroidContext,
    merged: DexMerge,
    set: &SignatureSet,
    m: &Matchers,
) -> ScanOutput {
    let dex_count = merged.dex_count();
    let DexMerge {
        mut presence,
        mut packers,
        mut data,
        mut limits,
        pending,
        edges,
        dex_files,
        defined_by_dex,
        library_classes,
        counts,
    } = merged;
    let defined = declared_classes_defined(input, &defined_by_dex);

    native_lib_presence(input, set, m, &mut presence, &mut packers);
    manifest_presence(input, &defined, m, &mut presence, &mut packers);
    let resolver = Resolver {
        ns: input.namespaces,
        set,
        m,
        presence: &presence,
    };
    resolver.resolve(
        pending,
        CallGraph::new(edges),
        &dex_files,
        &defined_by_dex,
        &mut data,
    );

    for name in input.entry_names {
        if let Some(p) = m.packers.match_asset(name) {
            if name.starts_with("assets/") || !name.contains('/') {
                packers.code(p.index(), 0, Some(Evidence::in_file(name)));
            }
        }
    }

    packer_limits(packers, set, &mut limits);
    code_limits(input, dex_count, &defined, &counts, &mut limits);
    let classes = dex_files
        .iter()
        .zip(&defined_by_dex)
        .flat_map(|(file, names)| {
            (0..names.len()).filter_map(move |i| names.get(i).map(|d| (file.as_str(), d)))
        });
    limits.extend(unknown_cluster_limits(&unknown_clusters(
        classes,
        input.namespaces,
        m,
    )));

    ScanOutput {
        sdks: graded_records(presence.graded(), &set.sdks),
        libraries: library_uses(&library_classes, set),
        data: data.finish(),
        limits,
    }
}

/// The descriptors of the classes the manifest declares (components) that some DEX defines:
/// the only lookups made into the defined classes of the whole app, so no set of all of them
/// is built.
fn declared_classes_defined(
    input: &AndroidContext,
    defined_by_dex: &[ClassNames],
) -> HashSet<String> {
    let Some(ManifestInput { manifest: mf, .. }) = input.manifest else {
        return HashSet::new();
    };
    let declared: Vec<String> = mf
        .components
        .iter()
        .map(|c| component_descriptor(&c.name))
        .collect();
    defined_by_dex
        .iter()
        .flat_map(|names| names.defined_of(&declared))
        .map(str::to_string)
        .collect()
}

/// `Lcom/x/Service;` for a component's class name `com.x.Service`.
fn component_descriptor(name: &str) -> String {
    format!("L{};", name.replace('.', "/"))
}

/// Native libraries: a vendor's .so is code of its SDK; JNI exports name Java packages.
fn native_lib_presence(
    input: &AndroidContext,
    set: &SignatureSet,
    m: &Matchers,
    presence: &mut PresenceAccumulator,
    packers: &mut PresenceAccumulator,
) {
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
}

/// Manifest: components and app-key meta-data support presence; packers hide in the
/// application class and in assets.
fn manifest_presence(
    input: &AndroidContext,
    defined: &HashSet<String>,
    m: &Matchers,
    presence: &mut PresenceAccumulator,
    packers: &mut PresenceAccumulator,
) {
    if let Some(ManifestInput {
        manifest: mf,
        files,
    }) = input.manifest
    {
        for c in &mf.components {
            if let Some(i) = m.sdks.match_component(&c.name) {
                // A declared component whose class some DEX defines is the SDK's code; a
                // declaration alone is only a reference.
                let ev = Evidence::in_file(files.component(&c.name)).at(format!(
                    "<{} android:name=\"{}\">",
                    c.kind.element(),
                    c.name
                ));
                // A crumb class (a manifest shim that other SDKs ship for the app to
                // declare, e.g. QQ Connect's AuthActivity inside Umeng Share) stays support.
                let desc = component_descriptor(&c.name);
                if defined.contains(&desc) && !m.sdks.is_crumb(&desc, i) {
                    presence.code(i.index(), 0, Some(ev));
                } else {
                    presence.support(i.index(), ev);
                }
            }
            if let Some(p) = m.packers.match_component(&c.name) {
                packers.code(
                    p.index(),
                    0,
                    Some(Evidence::in_file(files.component(&c.name)).at(&c.name)),
                );
            }
        }
        for md in &mf.meta_data {
            if let Some(i) = m.sdks.match_meta_data(&md.name) {
                presence.support(
                    i.index(),
                    Evidence::in_file(files.meta_data(&md.name))
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
                        Evidence::in_file(files.base())
                            .at(format!("<application android:name=\"{app}\">")),
                    ),
                );
            }
        }
    }
}

/// A limit for every packer found.
fn packer_limits(packers: PresenceAccumulator, set: &SignatureSet, limits: &mut Vec<Limit>) {
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
}

/// Class counts over every dex, for the obfuscation limit.
#[derive(Default)]
struct ClassCounts {
    classes: usize,
    short_named: usize,
    /// Renamed classes that SDK fingerprints recognised.
    fingerprinted: usize,
    /// Classes owned by no SDK, library or the app.
    unattributed: usize,
}

/// What the code itself says could not be seen: no DEX at all, manifest components loaded at
/// run time, obfuscation.
fn code_limits(
    input: &AndroidContext,
    dex_count: usize,
    defined: &HashSet<String>,
    counts: &ClassCounts,
    limits: &mut Vec<Limit>,
) {
    if dex_count == 0 {
        limits.push(Limit::new(
            LimitKind::MissingCode,
            "the package has no classes*.dex: no code could be analysed",
        ));
    } else if let Some(ManifestInput {
        manifest: mf,
        files,
    }) = input.manifest
    {
        // Components declared in the manifest but defined in no dex: code loaded at run time.
        let declared: Vec<&str> = mf.components.iter().map(|c| c.name.as_str()).collect();
        let missing: Vec<&str> = declared
            .iter()
            .copied()
            .filter(|n| !defined.contains(&component_descriptor(n)))
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
                .map(|n| Evidence::in_file(files.component(n)).at(*n))
                .collect(),
        });
        }
    }
    if counts.classes >= 200 && counts.short_named * 10 >= counts.classes * 4 {
        limits.push(Limit::new(
            LimitKind::Obfuscated,
            format!(
                "{} of {} classes have one- or two-letter names: code is obfuscated; {} renamed classes were recognised by SDK fingerprints, and {} classes ({}%) belong to no known SDK, library or the app, so what they reach is reported as 'unknown'",
                counts.short_named,
                counts.classes,
                counts.fingerprinted,
                counts.unattributed,
                counts.unattributed * 100 / counts.classes.max(1)
            ),
        ));
    }
}

fn library_uses(counts: &BTreeMap<u32, usize>, set: &SignatureSet) -> Vec<LibraryUse> {
    let mut out: Vec<LibraryUse> = counts
        .iter()
        .filter_map(|(&l, &classes)| {
            let lib = set.libraries.get(l as usize)?;
            Some(LibraryUse {
                id: lib.id.clone(),
                name: lib.name.clone(),
                kind: match lib.kind {
                    LibraryKind::OpenSource => "open-source",
                    LibraryKind::Platform => "platform",
                    LibraryKind::System => "system",
                }
                .to_string(),
                license: lib.license.clone(),
                classes,
            })
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Resolves pending uses once the whole app is known.
struct Resolver<'a> {
    ns: &'a AppNamespaces,
    set: &'a SignatureSet,
    m: &'a Matchers,
    presence: &'a PresenceAccumulator,
}

impl Resolver<'_> {
    /// The label of an owner, with vendor roots resolved against the SDKs found present.
    fn owner_label(&self, owner: ClassOwner) -> OwnerLabel {
        if let ClassOwner::VendorRoot(root) = owner {
            let present = |i: SdkIdx| self.presence.is_present(i.index());
            return root_label(root, self.ns, self.set, self.m, present);
        }
        label(owner, self.ns, self.set, self.m)
    }

    fn resolve(
        &self,
        pending: Vec<PendingUse>,
        graph: CallGraph,
        dex_files: &[String],
        class_names: &[ClassNames],
        data: &mut DataAccumulator,
    ) {
        for use_ in pending {
            match use_.waits_for {
                Pending::Root(root) => {
                    let l = self.owner_label(ClassOwner::VendorRoot(root));
                    data.add_owned(&use_.data_type, &l, use_.sites, use_.evidence);
                }
                Pending::Wrapper { key, lib } => {
                    let callers = graph.callers(key);
                    let wrapper = use_.evidence.location.clone().unwrap_or_default();
                    let lib_id = self
                        .set
                        .libraries
                        .get(lib as usize)
                        .map_or("platform", |l| l.id.as_str());
                    if callers.is_empty() {
                        let l = OwnerLabel::new(
                            OwnerKind::Platform,
                            lib_id,
                            format!("not called: platform wrapper code of {lib_id} that no app, SDK or library code calls within {MAX_HOPS} call levels (not a finding)"),
                        );
                        data.add_owned(&use_.data_type, &l, use_.sites, use_.evidence);
                        continue;
                    }
                    for c in callers {
                        let mut l = self.owner_label(c.owner);
                        l.reason = format!(
                            "{}; calls platform wrapper {wrapper} ({lib_id}), {} call level(s) below",
                            l.reason, c.hops
                        );
                        let file = dex_files
                            .get(c.dex as usize)
                            .map_or(use_.evidence.file.as_str(), String::as_str);
                        let caller = class_names
                            .get(c.dex as usize)
                            .and_then(|names| names.get(c.class_def as usize))
                            .unwrap_or_default();
                        let mut ev = Evidence::in_file(file).at(caller).detail(format!(
                            "via {wrapper}: {}",
                            use_.evidence.detail.as_deref().unwrap_or("")
                        ));
                        ev.rule = use_.evidence.rule.clone();
                        data.add_owned(&use_.data_type, &l, 1, ev);
                    }
                }
            }
        }
    }
}
