//! Platform wrapper attribution: API use inside platform libraries (androidx, support, kotlin
//! …) belongs to whoever calls the wrapper. Each DEX records the call edges into platform
//! methods (callee key → caller); after all DEX files are scanned, the edges of all of them
//! form one reverse call graph, walked up from each wrapper method that reaches an API, at
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
//! edges.push(wrapper, Caller::Owned { owner: ClassOwner::Unknown, class_def: 7, dex: 0 });
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
#[derive(Debug, Clone)]
pub enum Caller {
    /// A method of a class with an owner (app, SDK, library, vendor root, unknown): the class
    /// is class def `class_def` of the `dex`-th DEX file of the scan (names are looked up only
    /// for the callers found, so recording an edge allocates nothing).
    Owned {
        owner: ClassOwner,
        class_def: u32,
        dex: u32,
    },
    /// Another platform method (one more level up).
    Wrapper(MethodKey),
}

/// Call edges into platform methods of one or more DEX files.
#[derive(Debug, Default)]
pub struct CallEdges {
    edges: Vec<(MethodKey, Caller)>,
}

impl CallEdges {
    pub fn push(&mut self, callee: MethodKey, caller: Caller) {
        self.edges.push((callee, caller));
    }

    pub fn len(&self) -> usize {
        self.edges.len()
    }

    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }

    /// Sets the DEX number of every owned caller (edges are recorded before the scan knows
    /// its position among the DEX files).
    pub fn set_dex(&mut self, dex: u32) {
        for (_, caller) in &mut self.edges {
            if let Caller::Owned { dex: d, .. } = caller {
                *d = dex;
            }
        }
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

/// The reverse call graph of the platform methods of a whole app: every edge, sorted by
/// callee key (one sort instead of a map entry per callee; most callees are never asked for).
#[derive(Debug, Default)]
pub struct CallGraph {
    edges: Vec<(MethodKey, Caller)>,
}

impl CallGraph {
    pub fn new(parts: Vec<CallEdges>) -> CallGraph {
        let mut edges = Vec::with_capacity(parts.iter().map(CallEdges::len).sum());
        for part in parts {
            edges.extend(part.edges);
        }
        edges.sort_unstable_by_key(|(k, _)| *k);
        CallGraph { edges }
    }

    fn callers_of(&self, key: MethodKey) -> &[(MethodKey, Caller)] {
        let start = self.edges.partition_point(|(k, _)| *k < key);
        let end = self.edges.partition_point(|(k, _)| *k <= key);
        self.edges.get(start..end).unwrap_or(&[])
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
                for (_, caller) in self.callers_of(*k) {
                    match caller {
                        Caller::Owned {
                            owner,
                            class_def,
                            dex,
                        } => {
                            if found.len() < MAX_CALLERS && seen_classes.insert((*dex, *class_def))
                            {
                                found.push(FoundCaller {
                                    owner: *owner,
                                    class_def: *class_def,
                                    dex: *dex,
                                    hops: hop,
                                });
                            }
                        }
                        Caller::Wrapper(up) => {
                            if visited.len() < MAX_VISITED && visited.insert(*up) {
                                next.push(*up);
                            }
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
