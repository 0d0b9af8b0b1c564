//! The code index: per defined class and per method, the ids its code refers to.
//!
//! For each class def the class data (`class_data_item`, LEB128-encoded field and method lists)
//! is read, and for each method with code the instruction stream of its `code_item` is walked
//! by instruction size (see [`super::opcodes`]); instructions whose index operand is a method,
//! field, string, type or call site are recorded. Every index is checked against its table.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::bytes::{u16_at, u32_at, uleb128};
use super::code_store::CodeIndex;
use super::code_store::{IndexBuilder, LISTS};
use super::file::DexFile;
use super::opcodes::{self, IndexKind};
use super::DexError;

/// Class defs indexed per task when a DEX is indexed in parallel: each task builds its run of
/// classes into buffers of its own, joined in order at the end.
const CLASSES_PER_TASK: u32 = 512;

const ACC_ABSTRACT: u32 = 0x0400;
const ACC_NATIVE: u32 = 0x0100;

/// Ids collected while walking one method, reused across the methods of a class.
#[derive(Default)]
struct Scratch {
    invokes: Vec<u32>,
    invoke_counts: Vec<u32>,
    field_reads: Vec<u32>,
    field_read_counts: Vec<u32>,
    strings: Vec<u32>,
    types: Vec<u32>,
    call_sites: Vec<u32>,
}

impl Scratch {
    fn clear(&mut self) {
        self.invokes.clear();
        self.invoke_counts.clear();
        self.field_reads.clear();
        self.field_read_counts.clear();
        self.strings.clear();
        self.types.clear();
        self.call_sites.clear();
    }

    /// Sorts and counts the walked method's references and appends the method to `out`.
    fn push_to(&mut self, out: &mut IndexBuilder, method_idx: u32, flags: u32, code_off: u32) {
        counted(&mut self.invokes, &mut self.invoke_counts);
        counted(&mut self.field_reads, &mut self.field_read_counts);
        for ids in [&mut self.strings, &mut self.types, &mut self.call_sites] {
            ids.sort_unstable();
            ids.dedup();
        }
        let lists: [&[u32]; LISTS] = [
            &self.invokes,
            &self.invoke_counts,
            &self.field_reads,
            &self.field_read_counts,
            &self.strings,
            &self.types,
            &self.call_sites,
        ];
        out.push_method(method_idx, flags, code_off, lists);
    }
}

/// `ids` sorted and made distinct in place, `counts` (cleared) how often each occurred.
fn counted(ids: &mut Vec<u32>, counts: &mut Vec<u32>) {
    ids.sort_unstable();
    counts.clear();
    counts.extend(
        ids.chunk_by(|a, b| a == b)
            .map(|run| u32::try_from(run.len()).unwrap_or(u32::MAX)),
    );
    ids.dedup();
}

/// Bounds the work of one index: class data entries and code units decoded may not exceed a
/// few times what the file holds. Real files stay far below it; a hostile file whose class
/// defs or methods all share one huge class data or code item would otherwise cost time
/// quadratic in its size.
struct Budget {
    used: AtomicU64,
    limit: u64,
}

impl Budget {
    fn for_file(len: usize) -> Budget {
        Budget {
            used: AtomicU64::new(0),
            limit: 4 * len as u64 + 4096,
        }
    }

    /// Charges `cost`; false once the budget is spent.
    fn charge(&self, cost: u64) -> bool {
        self.used
            .fetch_add(cost, Ordering::Relaxed)
            .saturating_add(cost)
            <= self.limit
    }
}

/// The class defs `0..count` in runs of [`CLASSES_PER_TASK`].
fn class_runs(count: u32) -> Vec<std::ops::Range<u32>> {
    (0..count)
        .step_by(CLASSES_PER_TASK as usize)
        .map(|start| start..count.min(start.saturating_add(CLASSES_PER_TASK)))
        .collect()
}

impl DexFile {
    /// Decodes the code of every method of every class. Fails on the first malformed class
    /// data or code item; see [`DexFile::code_index_lenient`] to skip those instead.
    pub fn code_index(&self) -> Result<CodeIndex, DexError> {
        let budget = Budget::for_file(self.data.len());
        let parts = class_runs(self.class_def_count())
            .into_par_iter()
            .map(|run| {
                let mut part = IndexBuilder::default();
                let mut scratch = Scratch::default();
                for i in run {
                    self.class_code(i, false, &budget, &mut scratch, &mut part)?;
                    part.end_class(i);
                }
                Ok(part)
            })
            .collect::<Result<Vec<_>, DexError>>()?;
        Ok(IndexBuilder::join(parts).finish().0)
    }

    /// Like [`DexFile::code_index`], but a malformed method is left out (and a class whose
    /// class data is malformed keeps the methods read before the fault); each fault is
    /// returned beside the index.
    pub fn code_index_lenient(&self) -> (CodeIndex, Vec<DexError>) {
        let budget = Budget::for_file(self.data.len());
        let parts: Vec<IndexBuilder> = class_runs(self.class_def_count())
            .into_par_iter()
            .map(|run| self.lenient_run(run, &budget))
            .collect();
        IndexBuilder::join(parts).finish()
    }

    /// [`DexFile::code_index_lenient`] on the calling thread only. For many DEX files indexed
    /// in parallel: a rayon worker waiting inside a nested parallel index steals the next DEX
    /// file, so every DEX of an app could be inflated at once; indexed sequentially, at most
    /// one DEX per thread is in memory.
    pub fn code_index_lenient_sequential(&self) -> (CodeIndex, Vec<DexError>) {
        let budget = Budget::for_file(self.data.len());
        self.lenient_run(0..self.class_def_count(), &budget)
            .finish()
    }

    /// The classes of `run`, each with what was read before a fault, and the faults.
    fn lenient_run(&self, run: std::ops::Range<u32>, budget: &Budget) -> IndexBuilder {
        let mut part = IndexBuilder::default();
        let mut scratch = Scratch::default();
        for i in run {
            let mark = part.mark();
            if let Err(e) = self.class_code(i, true, budget, &mut scratch, &mut part) {
                part.reset_to(mark);
                part.errors.push(e);
            }
            part.end_class(i);
        }
        part
    }

    /// Appends the methods of class def `class_def` to `out`. In lenient mode a bad method is
    /// pushed to `out.errors` and skipped, and bad class data ends the list early.
    fn class_code(
        &self,
        class_def: u32,
        lenient: bool,
        budget: &Budget,
        scratch: &mut Scratch,
        out: &mut IndexBuilder,
    ) -> Result<(), DexError> {
        let def_off = self.header.class_defs.off + class_def as usize * 32;
        let data_off = self.u32(def_off + 24, "class_def")? as usize;
        if data_off == 0 {
            return Ok(());
        }
        let data: &[u8] = &self.data;
        let bad = |offset: usize, problem: &'static str| DexError::BadClassData {
            class_def,
            offset,
            problem,
        };
        let mut pos = data_off;
        let next =
            |pos: &mut usize| uleb128(data, pos).ok_or_else(|| bad(*pos, "truncated LEB128 value"));
        let static_fields = next(&mut pos)? as u64;
        let instance_fields = next(&mut pos)? as u64;
        let direct = next(&mut pos)? as u64;
        let virtual_ = next(&mut pos)? as u64;
        // An encoded field takes at least 2 bytes, an encoded method at least 3.
        let min_len = (static_fields + instance_fields) * 2 + (direct + virtual_) * 3;
        if min_len > data.len().saturating_sub(pos) as u64 {
            return Err(bad(data_off, "member counts exceed the file"));
        }
        if !budget.charge(min_len) {
            return Err(bad(
                data_off,
                "class data shared beyond reason (decoding budget spent)",
            ));
        }
        for _ in 0..static_fields + instance_fields {
            next(&mut pos)?;
            next(&mut pos)?;
        }
        for (list_len, _) in [(direct, "direct"), (virtual_, "virtual")] {
            let mut method_idx: u32 = 0;
            for _ in 0..list_len {
                let read = (|| {
                    let diff = next(&mut pos)?;
                    let flags = next(&mut pos)?;
                    let code_off = next(&mut pos)?;
                    Ok::<_, DexError>((diff, flags, code_off))
                })();
                let (diff, access_flags, code_off) = match read {
                    Ok(v) => v,
                    Err(e) if lenient => {
                        out.errors.push(e);
                        return Ok(());
                    }
                    Err(e) => return Err(e),
                };
                method_idx = method_idx.wrapping_add(diff);
                if method_idx >= self.method_count() {
                    let e = self.bad_method_ref(class_def, method_idx);
                    if lenient {
                        out.errors.push(e);
                        return Ok(());
                    }
                    return Err(e);
                }
                if code_off == 0
                    && access_flags & ACC_NATIVE == 0
                    && access_flags & ACC_ABSTRACT != 0
                {
                    continue;
                }
                scratch.clear();
                if code_off != 0 {
                    if let Err(e) = self.walk_code(method_idx, code_off, budget, scratch) {
                        if lenient {
                            out.errors.push(e);
                            continue;
                        }
                        return Err(e);
                    }
                }
                scratch.push_to(out, method_idx, access_flags, code_off);
            }
        }
        Ok(())
    }

    /// A class def's method list names a method id past the table.
    fn bad_method_ref(&self, class_def: u32, method_idx: u32) -> DexError {
        DexError::BadReference {
            what: "class_data of class_def",
            index: class_def,
            kind: "method",
            value: method_idx,
            count: self.method_count(),
        }
    }

    /// Walks the instructions of the code item at `code_off` into `out`.
    fn walk_code(
        &self,
        method_idx: u32,
        code_off: u32,
        budget: &Budget,
        out: &mut Scratch,
    ) -> Result<(), DexError> {
        let data: &[u8] = &self.data;
        let bad = |pc: u64, problem: String| DexError::BadCode {
            method_idx,
            code_off,
            pc: u32::try_from(pc).unwrap_or(u32::MAX),
            problem,
        };
        let base = code_off as usize;
        let insns_size = u32_at(data, base + 12)
            .ok_or_else(|| bad(0, "code item header runs past the end of the file".into()))?;
        let start = base + 16;
        let n = u64::from(insns_size);
        if start as u64 + 2 * n > data.len() as u64 {
            return Err(bad(
                0,
                format!("{insns_size} code units run past the end of the file"),
            ));
        }
        if !budget.charge(2 * n) {
            return Err(bad(
                0,
                "code items shared beyond reason (decoding budget spent)".into(),
            ));
        }
        let unit = |pc: u64| u16_at(data, start + 2 * pc as usize).unwrap_or(0);
        let h = &self.header;
        let mut pc: u64 = 0;
        while pc < n {
            let first = unit(pc);
            let op = (first & 0xff) as u8;
            let (size, kind) = if op == 0 && first != 0 {
                let count = u32::from(unit(pc + 2)) | (u32::from(unit(pc + 3)) << 16);
                match opcodes::payload_size(first, unit(pc + 1), count) {
                    Some(size) => (size, IndexKind::None),
                    None => (1, IndexKind::None),
                }
            } else {
                let (size, kind) = opcodes::info(op);
                (u64::from(size), kind)
            };
            if pc + size > n {
                return Err(bad(
                    pc,
                    format!("instruction {op:#04x} of {size} units runs past the end of the code"),
                ));
            }
            let index16 = u32::from(unit(pc + 1));
            let (list, value, count, what) = match kind {
                IndexKind::String => (&mut out.strings, index16, h.strings.count, "string"),
                IndexKind::StringJumbo => {
                    let v = index16 | (u32::from(unit(pc + 2)) << 16);
                    (&mut out.strings, v, h.strings.count, "string")
                }
                IndexKind::Type => (&mut out.types, index16, h.types.count, "type"),
                IndexKind::FieldRead => (&mut out.field_reads, index16, h.fields.count, "field"),
                IndexKind::Method => (&mut out.invokes, index16, h.methods.count, "method"),
                IndexKind::CallSite => (&mut out.call_sites, index16, u32::MAX, "call site"),
                IndexKind::None
                | IndexKind::ArrayType
                | IndexKind::FieldWrite
                | IndexKind::Other => {
                    pc += size;
                    continue;
                }
            };
            if value >= count {
                return Err(bad(
                    pc,
                    format!("{what} index {value} out of range (the table has {count})"),
                ));
            }
            list.push(value);
            pc += size;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_groups_and_counts() {
        let (mut ids, mut counts) = (vec![5, 3, 5, 9, 5], vec![7]);
        counted(&mut ids, &mut counts);
        assert_eq!((ids, counts), (vec![3, 5, 9], vec![1, 3, 1]));
        let (mut ids, mut counts) = (Vec::new(), vec![7]);
        counted(&mut ids, &mut counts);
        assert_eq!((ids, counts), (vec![], vec![]));
    }
}
