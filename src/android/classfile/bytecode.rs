//! JVM bytecode scanning: which constant pool references each method's `Code` attribute uses.
//!
//! Instructions are walked by length (JVM specification §6.5; `tableswitch`/`lookupswitch`
//! padded to 4 bytes from the start of the code, `wide` 4 or 6 bytes) and the operands of
//! `invoke{virtual,special,static,interface}`, `get{field,static}` and `ldc`/`ldc_w` are
//! looked up in the constant pool. `invokedynamic` call sites name no method and are skipped.

use super::ClassFileError;

/// What a constant pool slot stands for in the class's reference lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    None,
    /// Index into `ClassFile::method_refs`.
    Method(u32),
    /// Index into `ClassFile::field_refs`.
    Field(u32),
    /// Index into `ClassFile::strings`.
    String(u32),
}

/// What one method's bytecode refers to, as indices into the class's `method_refs`,
/// `field_refs` and `strings`. Sorted and distinct; `*_counts` count the instructions per entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeRefs {
    pub invokes: Vec<u32>,
    pub invoke_counts: Vec<u32>,
    pub field_reads: Vec<u32>,
    pub field_read_counts: Vec<u32>,
    pub strings: Vec<u32>,
    pub string_counts: Vec<u32>,
}

fn counted(mut ids: Vec<u32>) -> (Vec<u32>, Vec<u32>) {
    ids.sort_unstable();
    let mut values: Vec<u32> = Vec::new();
    let mut counts: Vec<u32> = Vec::new();
    for id in ids {
        match (values.last(), counts.last_mut()) {
            (Some(&last), Some(n)) if last == id => *n += 1,
            _ => {
                values.push(id);
                counts.push(1);
            }
        }
    }
    (values, counts)
}

fn be32(code: &[u8], at: u64) -> Option<i64> {
    let at = usize::try_from(at).ok()?;
    let b: [u8; 4] = code.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(i64::from(i32::from_be_bytes(b)))
}

/// Length in bytes of the instruction at `pc`, or a description of what is wrong.
fn length(code: &[u8], pc: usize) -> Result<u64, &'static str> {
    let op = code.get(pc).copied().unwrap_or(0);
    let switch_base = || {
        let after = pc as u64 + 1;
        after + (4 - after % 4) % 4
    };
    Ok(match op {
        0x00..=0x0f | 0x1a..=0x35 | 0x3b..=0x83 | 0x85..=0x98 | 0xac..=0xb1 => 1,
        0xbe | 0xbf | 0xc2 | 0xc3 | 0xca | 0xfe | 0xff => 1,
        0x10 | 0x12 | 0x15..=0x19 | 0x36..=0x3a | 0xa9 | 0xbc => 2,
        0x11 | 0x13 | 0x14 | 0x84 | 0x99..=0xa8 | 0xb2..=0xb8 | 0xbb | 0xbd | 0xc0 | 0xc1 => 3,
        0xc6 | 0xc7 => 3,
        0xc5 => 4,
        0xb9 | 0xba | 0xc8 | 0xc9 => 5,
        0xc4 => match code.get(pc + 1) {
            Some(0x84) => 6,
            _ => 4,
        },
        0xaa => {
            let base = switch_base();
            let low = be32(code, base + 4).ok_or("tableswitch runs past the end of the code")?;
            let high = be32(code, base + 8).ok_or("tableswitch runs past the end of the code")?;
            if high < low {
                return Err("tableswitch with high < low");
            }
            base - pc as u64 + 12 + 4 * (high - low + 1) as u64
        }
        0xab => {
            let base = switch_base();
            let pairs = be32(code, base + 4).ok_or("lookupswitch runs past the end of the code")?;
            if pairs < 0 {
                return Err("lookupswitch with a negative pair count");
            }
            base - pc as u64 + 8 + 8 * pairs as u64
        }
        _ => return Err("undefined opcode"),
    })
}

/// Scans `code` (the bytes of a `Code` attribute's `code` array).
pub(crate) fn scan(code: &[u8], slots: &[Slot], method: &str) -> Result<CodeRefs, ClassFileError> {
    let bad = |pc: usize, problem: &'static str| ClassFileError::BadCode {
        method: method.to_owned(),
        pc,
        problem,
    };
    let mut invokes = Vec::new();
    let mut field_reads = Vec::new();
    let mut strings = Vec::new();
    let mut pc = 0usize;
    while pc < code.len() {
        let len = length(code, pc).map_err(|p| bad(pc, p))?;
        if pc as u64 + len > code.len() as u64 {
            return Err(bad(pc, "instruction runs past the end of the code"));
        }
        let op = code.get(pc).copied().unwrap_or(0);
        let u8_at = |i: usize| usize::from(code.get(pc + i).copied().unwrap_or(0));
        let index = match op {
            0x12 => u8_at(1),
            0x13 | 0xb2 | 0xb4 | 0xb6..=0xb9 => (u8_at(1) << 8) | u8_at(2),
            _ => usize::MAX,
        };
        if index != usize::MAX {
            match (op, slots.get(index).copied().unwrap_or(Slot::None)) {
                (0xb6..=0xb9, Slot::Method(i)) => invokes.push(i),
                (0xb2 | 0xb4, Slot::Field(i)) => field_reads.push(i),
                (0x12 | 0x13, Slot::String(i)) => strings.push(i),
                (0x12 | 0x13, _) => {}
                _ => {
                    return Err(bad(
                        pc,
                        "operand is not a constant of the kind the opcode needs",
                    ))
                }
            }
        }
        pc += len as usize;
    }
    let (invokes, invoke_counts) = counted(invokes);
    let (field_reads, field_read_counts) = counted(field_reads);
    let (strings, string_counts) = counted(strings);
    Ok(CodeRefs {
        invokes,
        invoke_counts,
        field_reads,
        field_read_counts,
        strings,
        string_counts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_of_fixed_and_switch_instructions() {
        assert_eq!(length(&[0xb9, 0, 1, 1, 0], 0), Ok(5)); // invokeinterface
        assert_eq!(length(&[0xc4, 0x84, 0, 1, 0, 1], 0), Ok(6)); // wide iinc
        assert_eq!(length(&[0xc4, 0x15, 0, 1], 0), Ok(4)); // wide iload
                                                           // tableswitch at 0: 3 bytes of padding, default, low 0, high 1, two offsets.
        let mut t = vec![0xaa, 0, 0, 0];
        for v in [0i32, 0, 1, 0, 0] {
            t.extend_from_slice(&v.to_be_bytes());
        }
        assert_eq!(length(&t, 0), Ok(24));
        assert_eq!(length(&[0xcb], 0), Err("undefined opcode"));
    }

    #[test]
    fn scans_invokes_field_reads_and_strings() {
        let slots = [Slot::None, Slot::Method(0), Slot::Field(0), Slot::String(0)];
        // ldc #3; getstatic #2; invokevirtual #1; invokevirtual #1; return
        let code = [0x12, 3, 0xb2, 0, 2, 0xb6, 0, 1, 0xb6, 0, 1, 0xb1];
        let refs = scan(&code, &slots, "m").expect("scan");
        assert_eq!((refs.invokes, refs.invoke_counts), (vec![0], vec![2]));
        assert_eq!(refs.field_reads, [0]);
        assert_eq!(refs.strings, [0]);
        assert!(scan(&[0xb6, 0, 2], &slots, "m").is_err());
        assert!(scan(&[0xb6, 0], &slots, "m").is_err());
    }
}
