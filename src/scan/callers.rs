//! Platform wrapper attribution: API use inside platform libraries (androidx, support, kotlin
//! …) belongs to whoever calls the wrapper. Each DEX records the call edges into platform
//! methods (callee key → caller), sorted and without repeats once the DEX is scanned; after
//! all DEX files are scanned, the edges of all of them form one reverse call graph, walked up from each wrapper method that reaches an API, at
//! most [`MAX_HOPS`] call levels, until code of the app, an SDK or a library is found. A
//! wrapper nobody reaches this way is "not called".
//!
//! Methods are keyed by a 64-bit hash of class, name and descriptor, so edges join across
//! DEX files (a multidex app's wrapper and its callers often live in different files).
//!
//! ```
//! use disclose::scan::callers::{method_key, CallEdges, CallGraph, Caller};
//! use disclose::scan::owners::ClassOwner;
//! let wrapper = method_key("Landroidx/core/telephony/TelephonyManagerCompat;", "getImei", "(Landroid/telephony/TelephonyManager;)Ljava/lang/String;");
//! let mut edges = CallEdges::default();
//! edges.push(wrapper, Caller::Owned { owner: ClassOwner::Unknown, class_def: 7 });
//! let graph = CallGraph::new(vec![edges]);
//! let found = graph.callers(wrapper);
//! assert_eq!(found.len(), 1);
//! assert!(graph.callers(method_key("La;", "b", "()V")).is_empty());
//! ```

use rustc_hash::{FxHashSet, FxHasher};
use std::hash::Hasher;

use super::owners::ClassOwner;

/// How many call levels above the wrapper method are searched.
pub const MAX_HOPS: usize = 4;
/// Wrapper methods visited per search at most (a hub method can have thousands of callers).
const MAX_VISITED: usize = 2_000;
/// Callers kept per search.
const MAX_CALLERS: usize = 200;

/// 64-bit key of a method: class descriptor, name and descriptor.
pub type MethodKey = u64;

/// The key of `class->name proto`.
pub fn method_key(class: &str, name: &str, proto: &str) -> MethodKey {
    let mut h = FxHasher::default();
    h.write(class.as_bytes());
    h.write_u8(0xff);
    h.write(name.as_bytes());
    h.write_u8(0xff);
    h.write(proto.as_bytes());
    h.finish()
}

/// Who calls a platform method.
#[derive(Debug, Clone, Copy)]
pub enum Caller {
    /// A method of a class with an owner (app, SDK, library, vendor root, unknown): the class
    /// is class def `class_def` of the DEX file the edges belong to (names are looked up only
    /// for the callers found, so recording an edge allocates nothing).
    Owned { owner: ClassOwner, class_def: u32 },
    /// Another platform method (one more level up).
    Wrapper(MethodKey),
}

/// Call edges into platform methods of one DEX file, compact: (callee, caller class def) and
/// (callee, caller wrapper) pairs, each list sorted by callee once the DEX is scanned
/// ([`CallEdges::seal`]) with repeats dropped, and the owner of each calling class once. A
/// 60-DEX app keeps the edges of every DEX until all are scanned, so their size is what
/// counts: 16 bytes per distinct edge, not 32 per call instruction.
#[derive(Debug, Default)]
pub struct CallEdges {
    owned: Vec<(MethodKey, u32)>,
    wrappers: Vec<(MethodKey, MethodKey)>,
    /// (class def, owner) of every calling class, in class def order as recorded.
    owners: Vec<(u32, ClassOwner)>,
}

impl CallEdges {
    pub fn push(&mut self, callee: MethodKey, caller: Caller) {
        match caller {
            Caller::Owned { owner, class_def } => {
                if self.owners.last().map(|(c, _)| *c) != Some(class_def) {
                    self.owners.push((class_def, owner));
                }
                self.owned.push((callee, class_def));
            }
            Caller::Wrapper(up) => self.wrappers.push((callee, up)),
        }
    }

    /// Number of edges kept.
    pub fn len(&self) -> usize {
        self.owned.len() + self.wrappers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.owned.is_empty() && self.wrappers.is_empty()
    }

    /// Sorts the edges by callee (stable: callers of one callee stay in the order they were
    /// recorded), drops repeated edges (a class calling the same method from several sites)
    /// and gives back the spare capacity. Call once all edges of the DEX are recorded.
    pub fn seal(&mut self) {
        self.owned.sort_by_key(|(k, _)| *k);
        self.owned.dedup();
        self.owned.shrink_to_fit();
        self.wrappers.sort_by_key(|(k, _)| *k);
        self.wrappers.dedup();
        self.wrappers.shrink_to_fit();
        self.owners.sort_by_key(|(c, _)| *c);
        self.owners.dedup_by_key(|(c, _)| *c);
        self.owners.shrink_to_fit();
    }

    fn owner_of(&self, class_def: u32) -> ClassOwner {
        self.owners
            .binary_search_by_key(&class_def, |(c, _)| *c)
            .ok()
            .and_then(|i| self.owners.get(i))
            .map_or(ClassOwner::Unknown, |(_, o)| *o)
    }
}

/// The edges of `list` (sorted by callee) whose callee is `key`.
fn with_callee<T>(list: &[(MethodKey, T)], key: MethodKey) -> &[(MethodKey, T)] {
    let start = list.partition_point(|(k, _)| *k < key);
    let end = list.partition_point(|(k, _)| *k <= key);
    list.get(start..end).unwrap_or(&[])
}

/// A caller found above a wrapper: its owner, class def, DEX number and how many levels up.
#[derive(Debug, Clone)]
pub struct FoundCaller {
    pub owner: ClassOwner,
    pub class_def: u32,
    pub dex: u32,
    pub hops: usize,
}

/// The reverse call graph of the platform methods of a whole app: the sealed edges of every
/// DEX file, the `n`-th part being DEX number `n`; a callee's callers are those of the first
/// DEX, then the second …
#[derive(Debug, Default)]
pub struct CallGraph {
    parts: Vec<CallEdges>,
}

impl CallGraph {
    /// The graph of the DEX files' edges, in DEX order (each part sealed here if it was not).
    pub fn new(mut parts: Vec<CallEdges>) -> CallGraph {
        for part in &mut parts {
            part.seal();
        }
        CallGraph { parts }
    }

    /// The non-platform callers of platform method `key`, nearest first (empty: not called
    /// within [`MAX_HOPS`] levels).
    pub fn callers(&self, key: MethodKey) -> Vec<FoundCaller> {
        let mut found = Vec::new();
        let mut seen_classes: FxHashSet<(u32, u32)> = FxHashSet::default();
        let mut visited: FxHashSet<MethodKey> = FxHashSet::default();
        visited.insert(key);
        let mut frontier = vec![key];
        for hop in 1..=MAX_HOPS {
            let mut next = Vec::new();
            for k in &frontier {
                for (dex, part) in (0u32..).zip(&self.parts) {
                    for &(_, class_def) in with_callee(&part.owned, *k) {
                        if found.len() < MAX_CALLERS && seen_classes.insert((dex, class_def)) {
                            found.push(FoundCaller {
                                owner: part.owner_of(class_def),
                                class_def,
                                dex,
                                hops: hop,
                            });
                        }
                    }
                }
                for part in &self.parts {
                    for &(_, up) in with_callee(&part.wrappers, *k) {
                        if visited.len() < MAX_VISITED && visited.insert(up) {
                            next.push(up);
                        }
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        found
    }
}
