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
