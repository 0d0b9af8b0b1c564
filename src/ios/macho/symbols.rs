//! Symbols of one image: the `LC_SYMTAB` nlist table, the symbol names of dyld bind opcodes
//! (`LC_DYLD_INFO`), and the imports table of `LC_DYLD_CHAINED_FIXUPS`.

use super::bytes::uleb128;
use super::commands::{Image, SymtabCommand};
use super::fixups::ChainedFixups;
use super::MachOError;

const N_STAB: u8 = 0xe0;
const N_PEXT: u8 = 0x10;
const N_TYPE: u8 = 0x0e;
const N_EXT: u8 = 0x01;
const N_UNDF: u8 = 0x0;

/// One nlist entry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Nlist<'a> {
    pub name: &'a str,
    pub n_type: u8,
    pub value: u64,
}

impl Nlist<'_> {
    pub fn is_undefined(&self) -> bool {
        self.n_type & N_STAB == 0 && self.n_type & N_TYPE == N_UNDF
    }
}

/// What the symbol sources of one image say.
pub(crate) struct Symbols<'a> {
    pub table: Option<SymbolTable<'a>>,
    pub chained: Option<ChainedFixups<'a>>,
    pub imported: Vec<&'a str>,
    pub defined_external: Vec<&'a str>,
    pub defined_local: Vec<&'a str>,
}

/// Random access to the nlist table (relocations name symbols by index).
#[derive(Clone, Copy)]
pub(crate) struct SymbolTable<'a> {
    image: &'a Image<'a>,
    cmd: SymtabCommand,
}

impl<'a> SymbolTable<'a> {
    pub fn len(&self) -> u64 {
        self.cmd.nsyms
    }

    pub fn get(&self, index: u64) -> Option<Nlist<'a>> {
        if index >= self.cmd.nsyms {
            return None;
        }
        let b = self.image.bytes;
        let at = self.cmd.symoff + index * if self.image.is_64 { 16 } else { 12 };
        let strx = u64::from(b.u32(at)?);
        let n_type = b.u8(at + 4)?;
        let value = b.word(at + 8, self.image.is_64)?;
        let name = if strx < self.cmd.strsize {
            b.cstr(self.cmd.stroff + strx, self.cmd.stroff + self.cmd.strsize)
                .unwrap_or("")
        } else {
            ""
        };
        Some(Nlist {
            name,
            n_type,
            value,
        })
    }
}

pub(crate) fn read<'a>(image: &'a Image<'a>) -> Result<Symbols<'a>, MachOError> {
    let table = image.symtab.map(|cmd| SymbolTable { image, cmd });
    let mut imported = Vec::new();
    let mut defined_external = Vec::new();
    let mut defined_local = Vec::new();
    if let Some(table) = table {
        for index in 0..table.len() {
            let Some(sym) = table.get(index) else { break };
            if sym.name.is_empty() || sym.n_type & N_STAB != 0 {
                continue;
            }
            if sym.is_undefined() {
                // An undefined symbol with a value is a common (tentative) definition.
                if sym.n_type & N_EXT != 0 && sym.value == 0 {
                    imported.push(sym.name);
                }
            } else if sym.n_type & N_EXT != 0 && sym.n_type & N_PEXT == 0 {
                defined_external.push(sym.name);
            } else {
                defined_local.push(sym.name);
            }
        }
    }
    for &(offset, size) in &image.binds {
        bind_symbol_names(
            image.bytes.slice(offset, size).unwrap_or_default(),
            &mut imported,
        );
    }
    let chained = match image.chained_fixups {
        Some(range) => Some(ChainedFixups::parse(image, range)?),
        None => None,
    };
    if let Some(chained) = &chained {
        imported.extend(chained.imports.iter().map(|i| i.name));
    }
    Ok(Symbols {
        table,
        chained,
        imported,
        defined_external,
        defined_local,
    })
}

/// The symbol names that dyld bind (or lazy-bind) opcodes bind to. Every step consumes at least
/// one byte, so the walk ends.
fn bind_symbol_names<'a>(ops: &'a [u8], out: &mut Vec<&'a str>) {
    let mut pos = 0usize;
    while let Some(&byte) = ops.get(pos) {
        pos += 1;
        let (opcode, imm) = (byte & 0xf0, byte & 0x0f);
        let ok = match opcode {
            // DONE (lazy-bind streams continue after it), SET_DYLIB_ORDINAL_IMM,
            // SET_DYLIB_SPECIAL_IMM, SET_TYPE_IMM, DO_BIND, DO_BIND_ADD_ADDR_IMM_SCALED
            0x00 | 0x10 | 0x30 | 0x50 | 0x90 | 0xb0 => true,
            // SET_DYLIB_ORDINAL_ULEB, SET_ADDEND_SLEB, SET_SEGMENT_AND_OFFSET_ULEB,
            // ADD_ADDR_ULEB, DO_BIND_ADD_ADDR_ULEB
            0x20 | 0x60 | 0x70 | 0x80 | 0xa0 => uleb128(ops, &mut pos).is_some(),
            0x40 => {
                let rest = ops.get(pos..).unwrap_or_default();
                match memchr::memchr(0, rest) {
                    Some(nul) => {
                        if let Some(name) =
                            rest.get(..nul).and_then(|n| std::str::from_utf8(n).ok())
                        {
                            if !name.is_empty() {
                                out.push(name);
                            }
                        }
                        pos += nul + 1;
                        true
                    }
                    None => false,
                }
            }
            // DO_BIND_ULEB_TIMES_SKIPPING_ULEB
            0xc0 => uleb128(ops, &mut pos).is_some() && uleb128(ops, &mut pos).is_some(),
            // THREADED: SET_BIND_ORDINAL_TABLE_SIZE_ULEB (imm 0) or APPLY (imm 1)
            0xd0 => imm != 0 || uleb128(ops, &mut pos).is_some(),
            _ => false,
        };
        if !ok {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::bind_symbol_names;

    #[test]
    fn bind_opcodes_yield_symbol_names_and_stop_on_garbage() {
        // SET_DYLIB_ORDINAL_IMM 1, SET_SYMBOL "_a", SET_SEGMENT_AND_OFFSET_ULEB 2 0x10,
        // DO_BIND, DONE, SET_SYMBOL "_b", unknown opcode 0xe0, SET_SYMBOL "_c"
        let ops = b"\x11\x40_a\0\x72\x10\x90\x00\x40_b\0\xe0\x40_c\0";
        let mut names = Vec::new();
        bind_symbol_names(ops, &mut names);
        assert_eq!(names, ["_a", "_b"]);
        let mut names = Vec::new();
        bind_symbol_names(b"\x40_unterminated", &mut names);
        assert!(names.is_empty());
    }
}
