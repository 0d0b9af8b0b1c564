//! Compiled owner tables besides the SDKs: the libraries of `libraries.toml` (open-source
//! libraries and platform/Jetpack wrappers) and the vendor namespace roots of the SDKs, the
//! fallback owner of classes under a vendor's root that no SDK prefix names (obfuscated vendor
//! code such as `cn/jiguang/f/a` under JCore's `cn.jiguang`).
//!
//! A vendor root is the first two segments of an SDK package (`cn.jiguang`), or three when the
//! second is a generic domain label (`cn.com.chinatelecom`), so a root never spans a whole
//! country or `com`.
//!
//! ```
//! use disclose::signatures::owners::{vendor_root, LibraryMatcher};
//! use disclose::signatures::SignatureSet;
//! let set = SignatureSet::builtin()?;
//! let libs = LibraryMatcher::new(&set.libraries);
//! let (glide, _) = libs.match_descriptor("Lcom/bumptech/glide/Glide;").unwrap();
//! assert_eq!(set.libraries[glide].id, "glide");
//! assert_eq!(vendor_root("cn/jiguang/f/a", '/'), Some("cn/jiguang"));
//! assert_eq!(vendor_root("cn.com.chinatelecom.account.A", '.'), Some("cn.com.chinatelecom"));
//! # Ok::<(), disclose::signatures::SignatureError>(())
//! ```

use rustc_hash::FxHashMap;

use super::schema::{LibraryDef, LibraryKind};
use super::tables::BoundaryPrefixTable;
use super::{Sdk, SdkIdx};

/// Second-level labels that are generic (`cn.com.x`, `com.cn.x`): a root takes one more segment.
const GENERIC_LABELS: [&str; 8] = ["com", "net", "org", "co", "gov", "edu", "ac", "cn"];

/// The vendor root of a class or package name with separator `sep` (`.` or `/`): its first two
/// segments, or three when the second is a generic label. `None` when the name has fewer
/// segments than that (a class in the root package itself has no vendor root).
pub fn vendor_root(name: &str, sep: char) -> Option<&str> {
    let mut cuts = name.match_indices(sep).map(|(i, _)| i);
    let first = cuts.next()?;
    let second = cuts.next()?;
    let label = name.get(first + 1..second)?;
    let end = if GENERIC_LABELS.contains(&label) {
        cuts.next()?
    } else {
        second
    };
    name.get(..end)
}

/// Library look-up by class name.
#[derive(Debug, Clone, Default)]
pub struct LibraryMatcher {
    packages: BoundaryPrefixTable,
    kinds: Vec<LibraryKind>,
}

impl LibraryMatcher {
    pub fn new(libraries: &[LibraryDef]) -> LibraryMatcher {
        let mut m = LibraryMatcher::default();
        for (i, lib) in libraries.iter().enumerate() {
            let Ok(idx) = u32::try_from(i) else { break };
            for p in &lib.packages {
                m.packages.insert(p, idx);
            }
            m.kinds.push(lib.kind);
        }
        m
    }

    /// The library owning a DEX descriptor or internal name, with the length of the matched
    /// prefix (to compare with an SDK prefix: the longer one wins).
    pub fn match_descriptor(&self, descriptor: &str) -> Option<(usize, usize)> {
        self.packages
            .get_descriptor_len(descriptor)
            .map(|(i, len)| (i as usize, len))
    }

    /// The same for a dotted class name.
    pub fn match_java_class(&self, dotted: &str) -> Option<usize> {
        self.packages.get_dotted(dotted).map(|i| i as usize)
    }

    /// Whether library `idx` is a platform or system library (code run on someone's behalf).
    pub fn is_platform(&self, idx: usize) -> bool {
        matches!(
            self.kinds.get(idx),
            Some(LibraryKind::Platform | LibraryKind::System)
        )
    }

    /// Whether library `idx` is the operating system's own API namespace.
    pub fn is_system(&self, idx: usize) -> bool {
        self.kinds.get(idx) == Some(&LibraryKind::System)
    }
}

/// Vendor roots: root (slashed form, `cn/jiguang`) → the SDKs with a package under it.
#[derive(Debug, Clone, Default)]
pub struct VendorRoots {
    index: FxHashMap<Box<str>, u32>,
    sdks: Vec<Vec<SdkIdx>>,
}

impl VendorRoots {
    pub fn new(sdks: &[Sdk]) -> VendorRoots {
        let mut r = VendorRoots::default();
        for (i, sdk) in sdks.iter().enumerate() {
            let Ok(idx) = u32::try_from(i) else { break };
            for p in &sdk.android.packages {
                // A package that is itself only a root (`com.alipay`) is a root too.
                let slashed = p.replace('.', "/");
                let root = vendor_root(&slashed, '/').unwrap_or(&slashed);
                if !root.contains('/') {
                    continue;
                }
                let next = r.sdks.len() as u32;
                let slot = *r.index.entry(root.into()).or_insert(next);
                if slot == next {
                    r.sdks.push(Vec::new());
                }
                if let Some(list) = r.sdks.get_mut(slot as usize) {
                    if !list.contains(&SdkIdx(idx)) {
                        list.push(SdkIdx(idx));
                    }
                }
            }
        }
        r
    }

    /// The root id of a descriptor's vendor root, if some SDK lives under that root.
    pub fn root_of(&self, descriptor: &str) -> Option<u32> {
        let name = descriptor.trim_start_matches('[');
        let name = name.strip_prefix('L').unwrap_or(name);
        let name = name.strip_suffix(';').unwrap_or(name);
        let root = vendor_root(name, '/')?;
        self.index.get(root).copied()
    }

    /// The SDKs under root `id`.
    pub fn sdks(&self, id: u32) -> &[SdkIdx] {
        self.sdks.get(id as usize).map_or(&[], Vec::as_slice)
    }

    /// The root's name in dotted form, for owner reasons.
    pub fn name(&self, id: u32) -> String {
        self.index
            .iter()
            .find(|(_, &v)| v == id)
            .map(|(k, _)| k.replace('/', "."))
            .unwrap_or_default()
    }
}
