//! Where dyld binds each imported symbol in an image with classic dyld info
//! (`LC_DYLD_INFO(_ONLY)` bind and lazy-bind opcodes): the address of every pointer slot and
//! the symbol bound into it. Slots of external classes in `__objc_classrefs` are zero on disk
//! in such images; this is how a class reference to `UIPasteboard` is recognised.
//!
//! Opcode semantics from Apple's `<mach-o/loader.h>` (`BIND_OPCODE_*`). Every step consumes at
//! least one byte and repeat counts are capped, so the walk ends.

use std::collections::HashMap;

use super::bytes::uleb128;
use super::commands::Image;

/// At most this many binds are recorded per image (a hostile repeat count cannot make the
/// walk allocate without bound).
const MAX_BINDS: usize = 1 << 20;

/// Slot address → bound symbol name.
pub(crate) fn bound_slots<'a>(image: &Image<'a>) -> HashMap<u64, &'a str> {
    let mut out = HashMap::new();
    for &(offset, size) in &image.binds {
        let ops = image.bytes.slice(offset, size).unwrap_or_default();
        walk(ops, image, &mut out);
    }
    out
}

fn walk<'a>(ops: &'a [u8], image: &Image<'_>, out: &mut HashMap<u64, &'a str>) {
    let ps = image.ptr_size();
    let mut pos = 0usize;
    let mut symbol: Option<&'a str> = None;
    let mut addr: Option<u64> = None;
    let mut bind = |addr: Option<u64>, symbol: Option<&'a str>| {
        if let (Some(a), Some(s)) = (addr, symbol) {
            if out.len() < MAX_BINDS {
                out.insert(a, s);
            }
        }
    };
    while let Some(&byte) = ops.get(pos) {
        pos += 1;
        let (opcode, imm) = (byte & 0xf0, u64::from(byte & 0x0f));
        match opcode {
            // DONE (lazy-bind streams continue after it), SET_DYLIB_ORDINAL_IMM,
            // SET_DYLIB_SPECIAL_IMM, SET_TYPE_IMM
            0x00 | 0x10 | 0x30 | 0x50 => {}
            // SET_DYLIB_ORDINAL_ULEB, SET_ADDEND_SLEB (same byte length as a ULEB)
            0x20 | 0x60 => {
                if uleb128(ops, &mut pos).is_none() {
                    return;
                }
            }
            // SET_SYMBOL_TRAILING_FLAGS_IMM
            0x40 => {
                let rest = ops.get(pos..).unwrap_or_default();
                let Some(nul) = memchr::memchr(0, rest) else {
                    return;
                };
                symbol = rest.get(..nul).and_then(|n| std::str::from_utf8(n).ok());
                pos += nul + 1;
            }
            // SET_SEGMENT_AND_OFFSET_ULEB
            0x70 => {
                let Some(offset) = uleb128(ops, &mut pos) else {
                    return;
                };
                addr = usize::try_from(imm)
                    .ok()
                    .and_then(|i| image.segments.get(i))
                    .map(|&(vmaddr, _)| vmaddr.wrapping_add(offset));
            }
            // ADD_ADDR_ULEB
            0x80 => {
                let Some(delta) = uleb128(ops, &mut pos) else {
                    return;
                };
                addr = addr.map(|a| a.wrapping_add(delta));
            }
            // DO_BIND
            0x90 => {
                bind(addr, symbol);
                addr = addr.map(|a| a.wrapping_add(ps));
            }
            // DO_BIND_ADD_ADDR_ULEB
            0xa0 => {
                let Some(delta) = uleb128(ops, &mut pos) else {
                    return;
                };
                bind(addr, symbol);
                addr = addr.map(|a| a.wrapping_add(ps).wrapping_add(delta));
            }
            // DO_BIND_ADD_ADDR_IMM_SCALED
            0xb0 => {
                bind(addr, symbol);
                addr = addr.map(|a| a.wrapping_add(ps + imm * ps));
            }
            // DO_BIND_ULEB_TIMES_SKIPPING_ULEB
            0xc0 => {
                let (Some(count), Some(skip)) = (uleb128(ops, &mut pos), uleb128(ops, &mut pos))
                else {
                    return;
                };
                for _ in 0..count.min(MAX_BINDS as u64) {
                    bind(addr, symbol);
                    addr = addr.map(|a| a.wrapping_add(ps).wrapping_add(skip));
                }
            }
            // THREADED (arm64e before chained fixups): slots are found by walking chains
            // instead; stop here.
            _ => return,
        }
    }
}
