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
/// (callee, caller wrapper) pairs as recorded, then — once the DEX is scanned
/// ([`CallEdges::seal`]) — grouped by callee with repeats dropped: each distinct callee once,
/// then its callers; and the owner of each calling class once. A 60-DEX app keeps the edges
/// of every DEX until all are scanned (the 60-DEX test input: 1.2 million), so their size is
/// what counts: 4 bytes per edge plus 12 per distinct callee, not 16 per edge.
#[derive(Debug, Default)]
pub struct CallEdges {
    owned: Vec<(MethodKey, u32)>,
    wrappers: Vec<(MethodKey, MethodKey)>,
    /// (class def, owner) of every calling class, in class def order as recorded.
    owners: Vec<(u32, ClassOwner)>,
    sealed_owned: ByCallee<u32>,
    sealed_wrappers: ByCallee<MethodKey>,
}

/// Edges grouped by callee: the distinct callees in ascending order, where the callers of
/// each end in `callers`, and the callers.
#[derive(Debug)]
struct ByCallee<T> {
    callees: Vec<MethodKey>,
    ends: Vec<u32>,
    callers: Vec<T>,
}

impl<T> Default for ByCallee<T> {
    fn default() -> Self {
        ByCallee {
            callees: Vec::new(),
            ends: Vec::new(),
            callers: Vec::new(),
        }
    }
}

impl<T: Copy + PartialEq> ByCallee<T> {
    /// Adds `pairs` (sorted by callee, callers of one callee in the order recorded) to the
    /// groups: the callers of a callee keep their order (those sealed before first), repeats
    /// dropped.
    fn extend(&mut self, pairs: &[(MethodKey, T)]) {
        if self.callees.is_empty() {
            *self = ByCallee::of_sorted(pairs);
            return;
        }
        let mut merged: Vec<(MethodKey, T)> = self.pairs().collect();
        merged.extend_from_slice(pairs);
        merged.sort_by_key(|(k, _)| *k);
        *self = ByCallee::of_sorted(&merged);
    }

    /// The groups of `pairs` (sorted by callee), an edge equal to the one before it dropped,
    /// built without a copy of the pairs: the first pass sizes the groups exactly.
    fn of_sorted(pairs: &[(MethodKey, T)]) -> ByCallee<T> {
        let distinct = |run: &[(MethodKey, T)]| 1 + run.windows(2).filter(|w| w[0] != w[1]).count();
        let runs = || pairs.chunk_by(|a, b| a.0 == b.0);
        let mut groups = ByCallee {
            callees: Vec::with_capacity(runs().count()),
            ends: Vec::with_capacity(runs().count()),
            callers: Vec::with_capacity(runs().map(distinct).sum()),
        };
        for run in runs() {
            groups.callees.push(run[0].0);
            let mut last = None;
            for &(key, caller) in run {
                if last != Some((key, caller)) {
                    groups.callers.push(caller);
                    last = Some((key, caller));
                }
            }
            groups
                .ends
                .push(u32::try_from(groups.callers.len()).unwrap_or(u32::MAX));
        }
        groups
    }

    /// Every (callee, caller) edge, by callee.
    fn pairs(&self) -> impl Iterator<Item = (MethodKey, T)> + '_ {
        self.callees
            .iter()
            .enumerate()
            .flat_map(move |(i, &key)| self.group(i).iter().map(move |&c| (key, c)))
    }

    /// The callers of the `i`-th callee.
    fn group(&self, i: usize) -> &[T] {
        let start = i
            .checked_sub(1)
            .and_then(|p| self.ends.get(p))
            .map_or(0, |&e| e as usize);
        let end = self.ends.get(i).map_or(start, |&e| e as usize);
        self.callers.get(start..end).unwrap_or(&[])
    }

    /// The callers of `key`.
    fn of(&self, key: MethodKey) -> &[T] {
        self.callees
            .binary_search(&key)
            .map_or(&[], |i| self.group(i))
    }
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

    /// Number of edges kept (sealed or not yet).
    pub fn len(&self) -> usize {
        self.owned.len()
            + self.wrappers.len()
            + self.sealed_owned.callers.len()
            + self.sealed_wrappers.callers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Groups the edges recorded so far by callee (stable: callers of one callee stay in the
    /// order they were recorded) and drops repeated edges (a class calling the same method
    /// from several sites). Call once all edges of the DEX are recorded.
    pub fn seal(&mut self) {
        if !self.owned.is_empty() {
            sort_by_callee(&mut self.owned);
            self.sealed_owned.extend(&self.owned);
            self.owned = Vec::new();
        }
        if !self.wrappers.is_empty() {
            self.wrappers.sort_by_key(|(k, _)| *k);
            self.sealed_wrappers.extend(&self.wrappers);
            self.wrappers = Vec::new();
        }
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

/// Sorts owned edges by callee, stably (the callers of a callee stay in the order recorded).
/// Edges recorded class by class in class def order (as the scanner records them) are sorted
/// by (callee, class def) in place, which gives the same order without the scratch copy of a
/// stable sort (16 bytes an edge; a 10 MB DEX records some 100 000 edges).
fn sort_by_callee(owned: &mut [(MethodKey, u32)]) {
    if owned.is_sorted_by_key(|(_, class_def)| *class_def) {
        owned.sort_unstable();
    } else {
        owned.sort_by_key(|(k, _)| *k);
    }
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
                    for &class_def in part.sealed_owned.of(*k) {
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
                    for &up in part.sealed_wrappers.of(*k) {
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
