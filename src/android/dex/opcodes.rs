//! Dalvik opcodes: the size of each instruction in 16-bit code units (from its format) and the
//! kind of index it carries, after the "Dalvik bytecode" and "Dalvik executable instruction
//! formats" pages of the Android source documentation.
//!
//! Unused opcodes (`3e`–`43`, `73`, `79`–`7a`, `e3`–`f9`) are one unit long, as the
//! disassembler `dexdump` treats them; the verifier rejects them in real files.

/// What the index operand of an instruction refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IndexKind {
    None,
    /// `const-string` (16-bit index).
    String,
    /// `const-string/jumbo` (32-bit index).
    StringJumbo,
    /// `const-class`, `check-cast`, `instance-of`, `new-instance`.
    Type,
    /// `new-array`, `filled-new-array*`: array types, not recorded.
    ArrayType,
    /// `iget*`, `sget*`.
    FieldRead,
    /// `iput*`, `sput*`.
    FieldWrite,
    /// `invoke-*` including `invoke-polymorphic*`.
    Method,
    /// `invoke-custom*`.
    CallSite,
    /// `const-method-handle`, `const-method-type`.
    Other,
}

/// Size in code units and index kind of every opcode, computed once at compile time.
const TABLE: [(u8, IndexKind); 256] = {
    let mut table = [(1, IndexKind::None); 256];
    let mut op = 0;
    while op < 256 {
        table[op] = info_of(op as u8);
        op += 1;
    }
    table
};

/// Size in code units and index kind of opcode `op`.
#[inline]
pub(crate) fn info(op: u8) -> (u8, IndexKind) {
    TABLE[op as usize]
}

/// The opcode table's definition: size in code units and index kind of `op`.
const fn info_of(op: u8) -> (u8, IndexKind) {
    use IndexKind::*;
    match op {
        // 10x, 12x, 11x, 11n, 10t: nop, move, move-wide, move-object, move-result*,
        // move-exception, return*, const/4, monitor-*, array-length, throw, goto, unused.
        0x00 | 0x01 | 0x04 | 0x07 | 0x0a..=0x12 | 0x1d | 0x1e | 0x21 | 0x27 | 0x28 => (1, None),
        0x3e..=0x43 | 0x73 | 0x79 | 0x7a | 0xe3..=0xf9 => (1, None),
        // 12x unary operations and binop/2addr.
        0x7b..=0x8f | 0xb0..=0xcf => (1, None),
        // 22x move/from16 and friends; 21s, 21h const/16, const/high16, const-wide/16 and /high16.
        0x02 | 0x05 | 0x08 | 0x13 | 0x15 | 0x16 | 0x19 => (2, None),
        0x1a => (2, String),
        0x1b => (3, StringJumbo),
        0x1c | 0x1f | 0x20 | 0x22 => (2, Type),
        0x23 => (2, ArrayType),
        0x24 | 0x25 => (3, ArrayType),
        // 32x move/16 …; 31i const, const-wide/32; 31t fill-array-data, packed/sparse-switch.
        0x03 | 0x06 | 0x09 | 0x14 | 0x17 | 0x26 | 0x2b | 0x2c => (3, None),
        0x18 => (5, None),
        // 20t goto/16; 30t goto/32.
        0x29 => (2, None),
        0x2a => (3, None),
        // 23x cmp*, aget*/aput*; 22t if-*; 21t if-*z.
        0x2d..=0x31 | 0x32..=0x37 | 0x38..=0x3d | 0x44..=0x51 => (2, None),
        0x52..=0x58 => (2, FieldRead),
        0x59..=0x5f => (2, FieldWrite),
        0x60..=0x66 => (2, FieldRead),
        0x67..=0x6d => (2, FieldWrite),
        // 35c invoke-kind; 3rc invoke-kind/range.
        0x6e..=0x72 | 0x74..=0x78 => (3, Method),
        // 23x binop; 22s binop/lit16; 22b binop/lit8.
        0x90..=0xaf | 0xd0..=0xe2 => (2, None),
        // 45cc invoke-polymorphic, 4rcc invoke-polymorphic/range.
        0xfa | 0xfb => (4, Method),
        0xfc | 0xfd => (3, CallSite),
        0xfe | 0xff => (2, Other),
    }
}

/// Size in code units of the payload pseudo-instruction starting with `unit` (a unit whose low
/// byte is the `nop` opcode), given the unit after it (`next`: the switch size or the array
/// element width) and the 32-bit value after that (`count`: the fill-array element count).
/// `None` when `unit` starts no payload. Sizes are `u64` so that hostile counts cannot overflow.
pub(crate) fn payload_size(unit: u16, next: u16, count: u32) -> Option<u64> {
    let size = u64::from(next);
    match unit {
        // packed-switch-payload: ident, size, first_key (2 units), targets (2 × size).
        0x0100 => Some(4 + 2 * size),
        // sparse-switch-payload: ident, size, keys (2 × size), targets (2 × size).
        0x0200 => Some(2 + 4 * size),
        // fill-array-data-payload: ident, element_width, size (2 units), width × size bytes.
        0x0300 => Some(4 + (size * u64::from(count)).div_ceil(2)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_the_formats_of_telling_opcodes() {
        assert_eq!(info(0x00), (1, IndexKind::None)); // nop 10x
        assert_eq!(info(0x18), (5, IndexKind::None)); // const-wide 51l
        assert_eq!(info(0x1a), (2, IndexKind::String)); // const-string 21c
        assert_eq!(info(0x1b), (3, IndexKind::StringJumbo)); // const-string/jumbo 31c
        assert_eq!(info(0x26), (3, IndexKind::None)); // fill-array-data 31t
        assert_eq!(info(0x60), (2, IndexKind::FieldRead)); // sget 21c
        assert_eq!(info(0x6e), (3, IndexKind::Method)); // invoke-virtual 35c
        assert_eq!(info(0x78), (3, IndexKind::Method)); // invoke-interface/range 3rc
        assert_eq!(info(0xfa), (4, IndexKind::Method)); // invoke-polymorphic 45cc
        assert_eq!(info(0xfc), (3, IndexKind::CallSite)); // invoke-custom 35c
    }

    #[test]
    fn payload_sizes() {
        assert_eq!(payload_size(0x0100, 3, 0), Some(10));
        assert_eq!(payload_size(0x0200, 3, 0), Some(14));
        assert_eq!(payload_size(0x0000, 3, 0), None);
        assert_eq!(payload_size(0x0300, 1, 5), Some(7));
        assert_eq!(payload_size(0x0300, 4, 2), Some(8));
    }
}
