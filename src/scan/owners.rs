//! Who owns an Android class: the app (its namespaces), an SDK, a named library, the platform
//! (androidx, support, kotlin … wrappers whose use is attributed to their callers), a vendor
//! root (fallback for unmatched classes under an SDK vendor's root), or nobody known.
//!
//! The app's namespaces are its applicationId, the packages of the components its manifest
//! declares (when no SDK or library claims the component), the parent of each of those when
//! the parent still has three or more segments (`io.appium.uiautomator2` for
//! `io.appium.uiautomator2.server`; a company's second namespace beside the app's), and the
//! `first_party` prefixes the user gives. Among the app, SDK and library prefixes matching a
//! class, the longest wins.
//!
//! ```
//! use disclose::scan::owners::{AppNamespaces, ClassOwner};
//! let set = disclose::signatures::SignatureSet::builtin()?;
//! let m = set.compile()?;
//! let ns = AppNamespaces::new(Some("io.appium.uiautomator2.server"), &[], &[], &m);
//! assert!(matches!(ns.owner("Lio/appium/uiautomator2/utils/A;", &m), ClassOwner::App(_)));
//! assert!(matches!(ns.owner("Landroidx/core/app/ActivityCompat;", &m), ClassOwner::Platform(_)));
//! assert!(matches!(ns.owner("Lcom/bumptech/glide/Glide;", &m), ClassOwner::Library(_)));
//! # Ok::<(), disclose::signatures::SignatureError>(())
//! ```

use crate::model::{OwnerKind, OWNER_APP, OWNER_UNKNOWN};
use crate::scan::observations::OwnerLabel;
use crate::signatures::tables::BoundaryPrefixTable;
use crate::signatures::{Matchers, SdkIdx, SignatureSet};

/// The owner of one class, before vendor roots are resolved against the SDKs found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClassOwner {
    /// The app; the value indexes [`AppNamespaces`] reasons.
    App(u32),
    Sdk(SdkIdx),
    /// An open-source library (index into `SignatureSet::libraries`).
    Library(u32),
    /// A platform library (index into `SignatureSet::libraries`).
    Platform(u32),
    /// Under an SDK vendor's namespace root (root id of `Matchers::vendor_roots`).
    VendorRoot(u32),
    Unknown,
}

/// The app's own namespaces and why each one is the app's.
#[derive(Debug, Clone, Default)]
pub struct AppNamespaces {
    prefixes: BoundaryPrefixTable,
    reasons: Vec<String>,
}

fn segments(name: &str) -> usize {
    name.split('.').count()
}

fn parent(name: &str) -> Option<&str> {
    name.rsplit_once('.').map(|(p, _)| p)
}

impl AppNamespaces {
    /// `app_id`: applicationId; `components`: class names the manifest declares;
    /// `first_party`: user-given dotted prefixes.
    pub fn new(
        app_id: Option<&str>,
        components: &[&str],
        first_party: &[String],
        m: &Matchers,
    ) -> AppNamespaces {
        let mut ns = AppNamespaces::default();
        for p in first_party {
            let p = p.trim().trim_end_matches('.');
            if !p.is_empty() {
                ns.add(
                    p,
                    format!("first-party prefix {p} (disclose.toml / --first-party)"),
                );
            }
        }
        if let Some(id) = app_id.filter(|id| !id.is_empty()) {
            ns.add(id, format!("applicationId namespace {id}"));
            if let Some(up) = parent(id).filter(|p| segments(p) >= 3) {
                ns.add(up, format!("namespace {up}, parent of applicationId {id}"));
            }
        }
        for c in components {
            let descriptor = format!("L{};", c.replace('.', "/"));
            let claimed = m.sdks.match_descriptor(&descriptor).is_some()
                || m.libraries.match_descriptor(&descriptor).is_some();
            let Some(package) = parent(c).filter(|p| segments(p) >= 2) else {
                continue;
            };
            if claimed || ns.prefixes.get_dotted(c).is_some() {
                continue;
            }
            ns.add(
                package,
                format!("package {package} of a component the manifest declares ({c})"),
            );
            if let Some(up) = parent(package).filter(|p| segments(p) >= 3) {
                ns.add(
                    up,
                    format!("namespace {up}, parent of the manifest component package {package}"),
                );
            }
        }
        ns
    }

    fn add(&mut self, prefix: &str, reason: String) {
        if self.prefixes.get_exact(prefix).is_some() {
            return;
        }
        let idx = self.reasons.len() as u32;
        self.reasons.push(reason);
        self.prefixes.insert(prefix, idx);
    }

    /// The owner of a class descriptor (`Lcom/foo/Bar;`).
    pub fn owner(&self, descriptor: &str, m: &Matchers) -> ClassOwner {
        let sdk = m.sdks.match_descriptor_len(descriptor);
        let lib = m.libraries.match_descriptor(descriptor);
        let app = self.prefixes.get_descriptor_len(descriptor);
        let sdk_len = sdk.map_or(0, |(_, l)| l);
        let lib_len = lib.map_or(0, |(_, l)| l);
        let app_len = app.map_or(0, |(_, l)| l);
        if let Some((i, _)) = sdk.filter(|_| sdk_len >= lib_len && sdk_len >= app_len) {
            return ClassOwner::Sdk(i);
        }
        if let Some((i, _)) = lib.filter(|_| lib_len >= app_len) {
            let idx = i as u32;
            return if m.libraries.is_platform(i) {
                ClassOwner::Platform(idx)
            } else {
                ClassOwner::Library(idx)
            };
        }
        if let Some((reason, _)) = app {
            return ClassOwner::App(reason);
        }
        match m.vendor_roots.root_of(descriptor) {
            Some(root) => ClassOwner::VendorRoot(root),
            None => ClassOwner::Unknown,
        }
    }

    /// Why namespace `idx` is the app's.
    pub fn reason(&self, idx: u32) -> &str {
        self.reasons.get(idx as usize).map_or("", String::as_str)
    }
}

/// The label of a resolved owner (vendor roots already resolved by the caller: a
/// `VendorRoot` here has no detected SDK and is unknown).
pub fn label(
    owner: ClassOwner,
    ns: &AppNamespaces,
    set: &SignatureSet,
    m: &Matchers,
) -> OwnerLabel {
    match owner {
        ClassOwner::App(r) => OwnerLabel::new(OwnerKind::App, OWNER_APP, ns.reason(r)),
        ClassOwner::Sdk(i) => {
            let id = set
                .sdks
                .get(i.index())
                .map_or(OWNER_UNKNOWN, |s| s.spec.id.as_str());
            OwnerLabel::new(
                OwnerKind::Sdk,
                id,
                format!("defined under the package prefixes of sdk {id}"),
            )
        }
        ClassOwner::Library(i) | ClassOwner::Platform(i) => {
            let (id, license) = set
                .libraries
                .get(i as usize)
                .map_or((OWNER_UNKNOWN, ""), |l| (l.id.as_str(), l.license.as_str()));
            let kind = if matches!(owner, ClassOwner::Platform(_)) {
                OwnerKind::Platform
            } else {
                OwnerKind::Library
            };
            OwnerLabel::new(kind, id, format!("package of library {id} ({license})"))
        }
        ClassOwner::VendorRoot(root) => OwnerLabel::new(
            OwnerKind::Unknown,
            OWNER_UNKNOWN,
            format!(
                "under vendor root {} but no SDK of that vendor was found",
                m.vendor_roots.name(root)
            ),
        ),
        ClassOwner::Unknown => OwnerLabel::of_id(OWNER_UNKNOWN),
    }
}

/// How the unmatched classes under a vendor root are attributed, given the SDKs found present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootOwner {
    /// The one present SDK of the vendor under this root.
    Only(SdkIdx),
    /// Several of the vendor's SDKs are present and this one ships inside every other (its
    /// `bundled_in` names them: JCore inside JPush and JVerification): the vendor's core SDK,
    /// which the obfuscated shared code under the root belongs to.
    Core(SdkIdx),
    /// Several of the vendor's SDKs are present and none ships inside all the others: the
    /// class is the vendor's, but which SDK's cannot be said (`vendor (unresolved SDK)`).
    Unresolved(Vec<SdkIdx>),
    /// No SDK under the root is present.
    Absent,
}

/// Resolves vendor root `root` against the SDKs found present (`present(i)`): the only present
/// SDK of the root, else the present SDK bundled in every other present one (the vendor's
/// core SDK), else unresolved. Class counts play no part: the SDK with the most classes is
/// not thereby the owner of a vendor's obfuscated code.
pub fn resolve_root(
    root: u32,
    set: &SignatureSet,
    m: &Matchers,
    present: impl Fn(SdkIdx) -> bool,
) -> RootOwner {
    let found: Vec<SdkIdx> = m
        .vendor_roots
        .sdks(root)
        .iter()
        .copied()
        .filter(|&i| present(i))
        .collect();
    let id = |i: SdkIdx| set.sdks.get(i.index()).map_or("", |s| s.spec.id.as_str());
    match found.as_slice() {
        [] => RootOwner::Absent,
        [only] => RootOwner::Only(*only),
        _ => {
            let core = found.iter().copied().find(|&c| {
                let Some(sdk) = set.sdks.get(c.index()) else {
                    return false;
                };
                found
                    .iter()
                    .filter(|&&o| o != c)
                    .all(|&o| sdk.spec.bundled_in.iter().any(|b| b == id(o)))
            });
            core.map_or(RootOwner::Unresolved(found), RootOwner::Core)
        }
    }
}

/// The owner label of a class under vendor root `root` (see [`resolve_root`]), with the reason
/// saying which rule decided.
pub fn root_label(
    root: u32,
    ns: &AppNamespaces,
    set: &SignatureSet,
    m: &Matchers,
    present: impl Fn(SdkIdx) -> bool,
) -> OwnerLabel {
    let name = m.vendor_roots.name(root);
    let id = |i: SdkIdx| {
        set.sdks
            .get(i.index())
            .map_or(OWNER_UNKNOWN, |s| s.spec.id.as_str())
    };
    match resolve_root(root, set, m, present) {
        RootOwner::Only(sdk) => {
            let mut l = label(ClassOwner::Sdk(sdk), ns, set, m);
            l.reason = format!(
                "under vendor root {name} of sdk {}, the only sdk of that root this app contains (no package prefix matches: obfuscated or unlisted vendor code)",
                l.id()
            );
            l
        }
        RootOwner::Core(sdk) => {
            let mut l = label(ClassOwner::Sdk(sdk), ns, set, m);
            l.reason = format!(
                "under vendor root {name}: of the vendor's sdks this app contains, {} ships inside the others (the vendor's core sdk), so unmatched code under the root is its",
                l.id()
            );
            l
        }
        RootOwner::Unresolved(found) => {
            let ids: Vec<&str> = found.iter().map(|&i| id(i)).collect();
            OwnerLabel::new(
                OwnerKind::Unknown,
                OWNER_UNKNOWN,
                format!(
                    "vendor (unresolved SDK): under vendor root {name}, whose sdks {} this app contains; none ships inside the others, so the class is not given to one",
                    ids.join(", ")
                ),
            )
        }
        RootOwner::Absent => label(ClassOwner::VendorRoot(root), ns, set, m),
    }
}

/// Fewest classes under one root for unattributed code to be reported as a possible SDK: below
/// this, a few helper classes of the app or of a small library are not worth an auditor's time.
pub const UNKNOWN_CLUSTER_MIN_CLASSES: usize = 50;

/// A cluster of classes no SDK, library, vendor root or app namespace owns: possibly an SDK
/// without a signature (`com.foo.ads`, 120 classes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCluster {
    /// The two-segment root the classes share (`com.foo`).
    pub root: String,
    pub classes: usize,
    /// The biggest packages under the root (up to three segments), with their class counts.
    pub packages: Vec<(String, usize)>,
    /// The file and class descriptor of one class of the cluster, for evidence.
    pub example: (String, String),
}

/// The two-segment root and the three-segment package of a class descriptor, or `None` for
/// code that cannot name a vendor: the default package, a single segment, or renamed roots
/// (`La/b/C;`, `Lcom/a/b;`: a one-letter first or second segment).
fn cluster_keys(descriptor: &str) -> Option<(&str, &str)> {
    let name = descriptor.strip_prefix('L')?.strip_suffix(';')?;
    let package = name.rsplit_once('/')?.0;
    let mut cuts = package.match_indices('/').map(|(i, _)| i);
    let first = cuts.next()?;
    let second = cuts.next().unwrap_or(package.len());
    let third = cuts.next().unwrap_or(package.len());
    if first <= 1 || second - first <= 2 {
        return None;
    }
    Some((&package[..second], &package[..third]))
}

/// The clusters of unowned classes (`ClassOwner::Unknown`) with at least
/// [`UNKNOWN_CLUSTER_MIN_CLASSES`] classes under one root, biggest first. `classes` yields
/// (file, class descriptor) for every class the app defines.
///
/// ```
/// use disclose::scan::owners::{unknown_clusters, AppNamespaces};
/// let set = disclose::signatures::SignatureSet::builtin()?;
/// let m = set.compile()?;
/// let ns = AppNamespaces::new(Some("com.example.app"), &[], &[], &m);
/// let names: Vec<String> = (0..60).map(|i| format!("Lcom/acmeads/sdk/C{i};")).collect();
/// let app: Vec<String> = (0..60).map(|i| format!("Lcom/example/app/C{i};")).collect();
/// let classes = names.iter().chain(&app).map(|d| ("classes.dex", d.as_str()));
/// let clusters = unknown_clusters(classes, &ns, &m);
/// assert_eq!(clusters.len(), 1);
/// assert_eq!((clusters[0].root.as_str(), clusters[0].classes), ("com.acmeads", 60));
/// # Ok::<(), disclose::signatures::SignatureError>(())
/// ```
pub fn unknown_clusters<'a, D: AsRef<str>>(
    classes: impl Iterator<Item = (&'a str, D)>,
    ns: &AppNamespaces,
    m: &Matchers,
) -> Vec<UnknownCluster> {
    let mut roots: std::collections::BTreeMap<String, (usize, (&str, String))> = Default::default();
    let mut packages: std::collections::BTreeMap<String, usize> = Default::default();
    for (file, descriptor) in classes {
        let descriptor = descriptor.as_ref();
        let Some((root, package)) = cluster_keys(descriptor) else {
            continue;
        };
        if ns.owner(descriptor, m) != ClassOwner::Unknown {
            continue;
        }
        match roots.get_mut(root) {
            Some(entry) => entry.0 += 1,
            None => {
                roots.insert(root.to_string(), (1, (file, descriptor.to_string())));
            }
        }
        match packages.get_mut(package) {
            Some(n) => *n += 1,
            None => {
                packages.insert(package.to_string(), 1);
            }
        }
    }
    let mut out: Vec<UnknownCluster> = roots
        .into_iter()
        .filter(|(_, (n, _))| *n >= UNKNOWN_CLUSTER_MIN_CLASSES)
        .map(|(root, (classes, (file, descriptor)))| {
            let mut inside: Vec<(String, usize)> = packages
                .range(root.clone()..)
                .take_while(|(p, _)| p.starts_with(root.as_str()))
                .filter(|(p, _)| {
                    p.len() == root.len() || p.as_bytes().get(root.len()) == Some(&b'/')
                })
                .map(|(p, n)| (p.replace('/', "."), *n))
                .collect();
            inside.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            inside.truncate(3);
            UnknownCluster {
                root: root.replace('/', "."),
                classes,
                packages: inside,
                example: (file.to_string(), descriptor),
            }
        })
        .collect();
    out.sort_by(|a, b| b.classes.cmp(&a.classes).then_with(|| a.root.cmp(&b.root)));
    out
}

/// Most clusters reported as limits (the biggest first); the rest are summed in the last one.
const MAX_CLUSTER_LIMITS: usize = 10;

/// One `unknown-sdk` analysis limit per cluster, so an auditor sees unattributed third-party
/// code ("com.foo (120 classes)") instead of silence.
pub fn unknown_cluster_limits(clusters: &[UnknownCluster]) -> Vec<crate::model::Limit> {
    use crate::model::{Evidence, Limit, LimitKind};
    let mut out: Vec<Limit> = clusters
        .iter()
        .take(MAX_CLUSTER_LIMITS)
        .map(|c| {
            let inside: Vec<String> = c
                .packages
                .iter()
                .map(|(p, n)| format!("{p}: {n}"))
                .collect();
            Limit {
                kind: LimitKind::UnknownSdk,
                message: format!(
                    "unattributed third-party code under {} ({} classes; {}): no known SDK, library or the app's namespaces cover it, so it may be an SDK with no signature and what it reaches is reported as 'unknown'",
                    c.root,
                    c.classes,
                    inside.join(", ")
                ),
                evidence: vec![Evidence::in_file(&c.example.0).at(&c.example.1)],
            }
        })
        .collect();
    if clusters.len() > MAX_CLUSTER_LIMITS {
        let rest = &clusters[MAX_CLUSTER_LIMITS..];
        out.push(Limit::new(
            LimitKind::UnknownSdk,
            format!(
                "{} more roots of unattributed third-party code ({} classes)",
                rest.len(),
                rest.iter().map(|c| c.classes).sum::<usize>()
            ),
        ));
    }
    out
}
