//! How a [`CodeIndex`] keeps what it found: every method of every class of one DEX in one
//! method list, and every id list of every method one after the other in one `Vec<u32>`.
//!
//! A 10 MB DEX has some 70 000 methods with code. One allocation per method (or seven, one
//! per id list) made the index of such a DEX tens of thousands of small blocks, allocated and
//! freed once per DEX; the allocator kept much of that memory committed after the DEX was
//! done. Here a DEX's index is a handful of large buffers, shared by its classes through an
//! [`Arc`]; [`MethodCode`] is a borrowed view of one method.
//!
//! ```
//! use disclose::android::dex::CodeIndex;
//! let index = CodeIndex::default();
//! for class in &index.classes {
//!     for method in &class.methods {
//!         println!("method {} invokes {:?}", method.method_idx, method.invokes());
//!     }
//! }
//! ```

use std::fmt;
use std::sync::Arc;

use super::DexError;

/// What the code of every class of one dex file refers to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeIndex {
    /// One entry per class def, in class-def order (`classes[i].class_def == i`).
    pub classes: Vec<ClassCode>,
}

/// The methods one class defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassCode {
    /// Index of the class def.
    pub class_def: u32,
    /// Direct then virtual methods, as the class data lists them (abstract methods left out;
    /// native methods kept, with no code).
    pub methods: Methods,
}

/// The methods of one class: a range of the method list its DEX's index shares among its
/// classes. Iterate `&class.methods` for a [`MethodCode`] per method.
#[derive(Clone)]
pub struct Methods {
    store: Arc<MethodStore>,
    first: u32,
    end: u32,
}

/// What one method's code refers to. Every id list is sorted and free of duplicates; the
/// `*_counts` lists run parallel to theirs and count the instructions (sites) per id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MethodCode<'a> {
    /// Method id of this method.
    pub method_idx: u32,
    pub access_flags: u32,
    /// Offset of the code item (0 for native methods).
    pub code_off: u32,
    /// The lists one after the other, in [`List`] order.
    ids: &'a [u32],
    /// Where each list but the last ends in `ids`.
    ends: [u32; LISTS - 1],
}

/// The id lists of a [`MethodCode`], in storage order.
#[derive(Clone, Copy)]
pub(super) enum List {
    Invokes,
    InvokeCounts,
    FieldReads,
    FieldReadCounts,
    Strings,
    Types,
    CallSites,
}

pub(super) const LISTS: usize = 7;

/// One method as stored: its ids are `ids[start..ends[LISTS - 1]]` of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct StoredMethod {
    method_idx: u32,
    access_flags: u32,
    code_off: u32,
    start: u32,
    /// Where each list ends in the store's `ids`.
    ends: [u32; LISTS],
}

/// Every method of a DEX's index and all their ids.
#[derive(Debug, Default)]
struct MethodStore {
    methods: Vec<StoredMethod>,
    ids: Vec<u32>,
}

impl MethodStore {
    fn view(&self, m: &StoredMethod) -> MethodCode<'_> {
        let end = m.ends[LISTS - 1];
        let ids = self
            .ids
            .get(m.start as usize..end as usize)
            .unwrap_or_default();
        let mut ends = [0u32; LISTS - 1];
        for (rel, &abs) in ends.iter_mut().zip(&m.ends) {
            *rel = abs.saturating_sub(m.start);
        }
        MethodCode {
            method_idx: m.method_idx,
            access_flags: m.access_flags,
            code_off: m.code_off,
            ids,
            ends,
        }
    }
}

impl<'a> MethodCode<'a> {
    fn list(&self, list: List) -> &'a [u32] {
        let i = list as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self.ends.get(i).map_or(self.ids.len(), |&e| e as usize);
        self.ids.get(start..end).unwrap_or(&[])
    }

    /// Method ids invoked (`invoke-virtual/super/direct/static/interface`, their `/range`
    /// forms, `invoke-polymorphic*`).
    pub fn invokes(&self) -> &'a [u32] {
        self.list(List::Invokes)
    }
    /// Number of invoke instructions per entry of [`MethodCode::invokes`].
    pub fn invoke_counts(&self) -> &'a [u32] {
        self.list(List::InvokeCounts)
    }
    /// Field ids read (`iget*`, `sget*`).
    pub fn field_reads(&self) -> &'a [u32] {
        self.list(List::FieldReads)
    }
    /// Number of read instructions per entry of [`MethodCode::field_reads`].
    pub fn field_read_counts(&self) -> &'a [u32] {
        self.list(List::FieldReadCounts)
    }
    /// String ids loaded (`const-string`, `const-string/jumbo`).
    pub fn strings(&self) -> &'a [u32] {
        self.list(List::Strings)
    }
    /// Type ids named by `new-instance`, `const-class`, `check-cast` and `instance-of`.
    pub fn types(&self) -> &'a [u32] {
        self.list(List::Types)
    }
    /// Call-site ids of `invoke-custom*` (lambdas, string concatenation).
    pub fn call_sites(&self) -> &'a [u32] {
        self.list(List::CallSites)
    }

    /// Number of invoke instructions that call `method_idx` from this method.
    pub fn invoke_sites(&self, method_idx: u32) -> u32 {
        self.invokes()
            .binary_search(&method_idx)
            .ok()
            .and_then(|i| self.invoke_counts().get(i).copied())
            .unwrap_or(0)
    }
}

impl Methods {
    fn stored(&self) -> &[StoredMethod] {
        self.store
            .methods
            .get(self.first as usize..self.end as usize)
            .unwrap_or_default()
    }

    /// The methods, in class data order.
    pub fn iter(&self) -> MethodIter<'_> {
        MethodIter {
            store: &self.store,
            methods: self.stored().iter(),
        }
    }

    /// Method `i` of the class.
    pub fn get(&self, i: usize) -> Option<MethodCode<'_>> {
        self.stored().get(i).map(|m| self.store.view(m))
    }

    pub fn len(&self) -> usize {
        self.stored().len()
    }

    pub fn is_empty(&self) -> bool {
        self.first == self.end
    }
}

impl<'a> IntoIterator for &'a Methods {
    type Item = MethodCode<'a>;
    type IntoIter = MethodIter<'a>;

    fn into_iter(self) -> MethodIter<'a> {
        self.iter()
    }
}

/// The methods of a class, as [`MethodCode`] views.
#[derive(Clone)]
pub struct MethodIter<'a> {
    store: &'a MethodStore,
    methods: std::slice::Iter<'a, StoredMethod>,
}

impl<'a> Iterator for MethodIter<'a> {
    type Item = MethodCode<'a>;

    fn next(&mut self) -> Option<MethodCode<'a>> {
        self.methods.next().map(|m| self.store.view(m))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.methods.size_hint()
    }
}

impl ExactSizeIterator for MethodIter<'_> {}

impl PartialEq for Methods {
    fn eq(&self, other: &Methods) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Methods {}

impl fmt::Debug for Methods {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A [`CodeIndex`] (or a run of its classes) being built, class by class in class-def order,
/// with the faults met (lenient decoding).
#[derive(Default)]
pub(super) struct IndexBuilder {
    store: MethodStore,
    /// Per class: its class def and where its methods end in `store.methods`.
    classes: Vec<(u32, u32)>,
    pub(super) errors: Vec<DexError>,
}

/// Where a builder stood, to undo a class that turned out malformed.
#[derive(Clone, Copy)]
pub(super) struct Mark {
    methods: usize,
    ids: usize,
}

/// `len` as a store offset. The store of one DEX holds fewer ids than the DEX has code units
/// (each recorded id needs an instruction of two units or more, and counts come one per id),
/// and a DEX declares its size in a `u32`.
fn offset(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

impl IndexBuilder {
    /// Appends a method whose lists (in [`List`] order) are `lists`.
    pub(super) fn push_method(
        &mut self,
        method_idx: u32,
        access_flags: u32,
        code_off: u32,
        lists: [&[u32]; LISTS],
    ) {
        let ids = &mut self.store.ids;
        let start = offset(ids.len());
        let mut ends = [0u32; LISTS];
        for (end, list) in ends.iter_mut().zip(lists) {
            ids.extend_from_slice(list);
            *end = offset(ids.len());
        }
        self.store.methods.push(StoredMethod {
            method_idx,
            access_flags,
            code_off,
            start,
            ends,
        });
    }

    /// Ends the current class: the methods pushed since the last class are `class_def`'s.
    pub(super) fn end_class(&mut self, class_def: u32) {
        self.classes
            .push((class_def, offset(self.store.methods.len())));
    }

    pub(super) fn mark(&self) -> Mark {
        Mark {
            methods: self.store.methods.len(),
            ids: self.store.ids.len(),
        }
    }

    /// Drops what was pushed since `mark`.
    pub(super) fn reset_to(&mut self, mark: Mark) {
        self.store.methods.truncate(mark.methods);
        self.store.ids.truncate(mark.ids);
    }

    /// The runs built separately (in parallel), joined in order.
    pub(super) fn join(parts: Vec<IndexBuilder>) -> IndexBuilder {
        let mut all = IndexBuilder::default();
        all.store
            .methods
            .reserve_exact(parts.iter().map(|p| p.store.methods.len()).sum());
        all.store
            .ids
            .reserve_exact(parts.iter().map(|p| p.store.ids.len()).sum());
        all.classes
            .reserve_exact(parts.iter().map(|p| p.classes.len()).sum());
        for part in parts {
            let method_base = offset(all.store.methods.len());
            let id_base = offset(all.store.ids.len());
            all.store.ids.extend_from_slice(&part.store.ids);
            all.store
                .methods
                .extend(part.store.methods.iter().map(|m| StoredMethod {
                    start: m.start.saturating_add(id_base),
                    ends: m.ends.map(|e| e.saturating_add(id_base)),
                    ..*m
                }));
            all.classes.extend(
                part.classes
                    .iter()
                    .map(|&(def, end)| (def, end.saturating_add(method_base))),
            );
            all.errors.extend(part.errors);
        }
        all
    }

    /// The index, and the faults met while building it.
    pub(super) fn finish(mut self) -> (CodeIndex, Vec<DexError>) {
        self.store.methods.shrink_to_fit();
        self.store.ids.shrink_to_fit();
        let store = Arc::new(self.store);
        let mut first = 0;
        let classes = self
            .classes
            .iter()
            .map(|&(class_def, end)| {
                let methods = Methods {
                    store: Arc::clone(&store),
                    first,
                    end,
                };
                first = end;
                ClassCode { class_def, methods }
            })
            .collect();
        (CodeIndex { classes }, self.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_methods_lists_come_back_as_stored() {
        let mut b = IndexBuilder::default();
        b.push_method(3, 0, 0, [&[9], &[1], &[], &[], &[], &[], &[]]);
        b.end_class(0);
        let lists: [&[u32]; LISTS] = [&[1, 4], &[2, 1], &[], &[], &[7], &[0, 3, 9], &[5]];
        b.push_method(11, 1, 64, lists);
        b.end_class(1);
        b.end_class(2);
        let (index, errors) = b.finish();
        assert!(errors.is_empty());
        assert_eq!(index.classes.len(), 3);
        assert!(index.classes[2].methods.is_empty());
        let m = index.classes[1].methods.get(0).expect("one method");
        assert_eq!((m.method_idx, m.access_flags, m.code_off), (11, 1, 64));
        assert_eq!(m.invokes(), [1, 4]);
        assert_eq!(m.invoke_counts(), [2, 1]);
        assert!(m.field_reads().is_empty() && m.field_read_counts().is_empty());
        assert_eq!(m.strings(), [7]);
        assert_eq!(m.types(), [0, 3, 9]);
        assert_eq!(m.call_sites(), [5]);
        assert_eq!(m.invoke_sites(4), 1);
        assert_eq!(m.invoke_sites(3), 0);
        assert_eq!(MethodCode::default().call_sites(), [] as [u32; 0]);
    }

    #[test]
    fn parts_joined_equal_one_build() {
        let method = |b: &mut IndexBuilder, idx: u32| {
            b.push_method(
                idx,
                0,
                idx * 4,
                [&[idx], &[1], &[idx + 1], &[2], &[], &[], &[]],
            );
        };
        let mut whole = IndexBuilder::default();
        let (mut first, mut second) = (IndexBuilder::default(), IndexBuilder::default());
        for (class, b) in [(0, &mut first), (1, &mut second)] {
            method(b, class * 2);
            method(b, class * 2 + 1);
            b.end_class(class);
            method(&mut whole, class * 2);
            method(&mut whole, class * 2 + 1);
            whole.end_class(class);
        }
        let (joined, _) = IndexBuilder::join(vec![first, second]).finish();
        let (whole, _) = whole.finish();
        assert_eq!(joined, whole);
        let m = joined.classes[1].methods.get(1).expect("method 3");
        assert_eq!((m.invokes(), m.field_reads()), (&[3][..], &[4][..]));
    }

    #[test]
    fn a_reset_drops_the_unfinished_class() {
        let mut b = IndexBuilder::default();
        let mark = b.mark();
        b.push_method(1, 0, 0, [&[1], &[1], &[], &[], &[], &[], &[]]);
        b.reset_to(mark);
        b.end_class(0);
        let (index, _) = b.finish();
        assert!(index.classes[0].methods.is_empty());
    }
}
