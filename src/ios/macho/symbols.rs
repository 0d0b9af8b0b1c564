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
const N_SECT: u8 = 0xe;

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

/// Which list an nlist entry belongs to, from its type byte (and value, for commons).
#[derive(Clone, Copy)]
enum SymbolKind {
    /// Debugging (stab) entries and common (tentative) definitions.
    Skip = 0,
    Imported = 1,
    External = 2,
    Local = 3,
}

impl SymbolKind {
    /// `entry` is one nlist (12 bytes) or nlist_64 (16 bytes); only the type byte and whether
    /// the value is zero matter, so byte order does not.
    fn of(entry: &[u8], is_64: bool) -> Self {
        let n_type = entry.get(4).copied().unwrap_or(N_STAB);
        if n_type & N_STAB != 0 {
            return SymbolKind::Skip;
        }
        let value_is_zero = entry
            .get(8..if is_64 { 16 } else { 12 })
            .is_some_and(|v| v.iter().all(|&b| b == 0));
        if n_type & N_TYPE == N_UNDF {
            // An undefined symbol with a value is a common (tentative) definition.
            if n_type & N_EXT != 0 && value_is_zero {
                SymbolKind::Imported
            } else {
                SymbolKind::Skip
            }
        } else if n_type & N_EXT != 0 && n_type & N_PEXT == 0 {
            SymbolKind::External
        } else {
            SymbolKind::Local
        }
    }
}

/// What the symbol sources of one image say.
pub(crate) struct Symbols<'a> {
    pub table: Option<SymbolTable<'a>>,
    pub chained: Option<ChainedFixups<'a>>,
    pub imported: Vec<&'a str>,
    pub defined_external: Vec<&'a str>,
    /// Only the local symbols that can name a type: Objective-C classes
    /// (`_OBJC_CLASS_$_…`) and Swift type descriptors (`$s…Mn`). An object file holds
    /// thousands of other locals (labels, method bodies, literals) nobody asks for.
    pub defined_local: Vec<&'a str>,
}

/// True when a local symbol name starting with `head` can name a class or Swift type.
fn local_names_a_type(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"_").unwrap_or(head);
    head.starts_with(b"$s") || head.starts_with(b"$S") || head.starts_with(b"OBJC_CLASS_$_")
}

/// Random access to the nlist table (relocations name symbols by index).
#[derive(Clone, Copy)]
pub(crate) struct SymbolTable<'a> {
    image: &'a Image<'a>,
    cmd: SymtabCommand,
    strings: StringTable<'a>,
}

/// The string table, UTF-8-checked once as a whole when it can be (the usual case): names are
/// then sliced out without checking each one again. NUL is valid UTF-8, so a name that starts
/// on a char boundary of a valid table is valid too.
#[derive(Clone, Copy)]
enum StringTable<'a> {
    Valid(&'a str),
    Raw(&'a [u8]),
}

impl<'a> StringTable<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        match std::str::from_utf8(bytes) {
            Ok(s) => StringTable::Valid(s),
            Err(_) => StringTable::Raw(bytes),
        }
    }

    /// The bytes from `strx` on, at most 16 (enough to tell a name's prefix).
    fn head(&self, strx: usize) -> &'a [u8] {
        let bytes = match self {
            StringTable::Valid(s) => s.as_bytes(),
            StringTable::Raw(b) => b,
        };
        let rest = bytes.get(strx..).unwrap_or_default();
        rest.get(..16).unwrap_or(rest)
    }

    /// The NUL-terminated name at `strx`; "" when it is out of range, unterminated or not
    /// UTF-8.
    fn name(&self, strx: usize) -> &'a str {
        let bytes = match self {
            StringTable::Valid(s) => s.as_bytes(),
            StringTable::Raw(b) => b,
        };
        let Some(nul) = bytes.get(strx..).and_then(|rest| memchr::memchr(0, rest)) else {
            return "";
        };
        match self {
            StringTable::Valid(s) => s.get(strx..strx + nul).unwrap_or(""),
            StringTable::Raw(b) => b
                .get(strx..strx + nul)
                .and_then(|n| std::str::from_utf8(n).ok())
                .unwrap_or(""),
        }
    }
}

impl<'a> SymbolTable<'a> {
    /// `(value, name)` of the symbols defined in a section at addresses in `[start, end)`
    /// (debugging entries excluded); names are read only for those.
    pub fn defined_in(&self, start: u64, end: u64) -> impl Iterator<Item = (u64, &'a str)> + '_ {
        let b = self.image.bytes;
        let entry = if self.image.is_64 { 16 } else { 12 };
        (0..self.cmd.nsyms)
            .map_while(move |index| {
                let at = self.cmd.symoff + index * entry;
                Some((index, b.u8(at + 4)?, b.word(at + 8, self.image.is_64)?))
            })
            .filter(move |&(_, n_type, value)| {
                n_type & N_STAB == 0 && n_type & N_TYPE == N_SECT && (start..end).contains(&value)
            })
            .filter_map(|(index, _, value)| {
                let sym = self.get(index)?;
                (!sym.name.is_empty()).then_some((value, sym.name))
            })
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
        let name = usize::try_from(strx).map_or("", |strx| self.strings.name(strx));
        Some(Nlist {
            name,
            n_type,
            value,
        })
    }
}

pub(crate) fn read<'a>(image: &'a Image<'a>) -> Result<Symbols<'a>, MachOError> {
    let table = image.symtab.map(|cmd| SymbolTable {
        image,
        cmd,
        // LC_SYMTAB is range-checked by the load-command walk.
        strings: StringTable::new(
            image
                .bytes
                .slice(cmd.stroff, cmd.strsize)
                .unwrap_or_default(),
        ),
    });
    let mut imported = Vec::new();
    let mut defined_external = Vec::new();
    let mut defined_local = Vec::new();
    if let Some(table) = table {
        // Two passes over the fixed-size entries: count each kind first (type bytes only), so
        // the lists are allocated once; then look up the names of the entries that are kept.
        let entry = if image.is_64 { 16 } else { 12 };
        let entries = image
            .bytes
            .slice(table.cmd.symoff, table.cmd.nsyms * entry)
            .unwrap_or_default()
            .chunks_exact(entry as usize);
        let mut counts = [0usize; 4];
        for e in entries.clone() {
            counts[SymbolKind::of(e, image.is_64) as usize] += 1;
        }
        imported.reserve(counts[SymbolKind::Imported as usize]);
        defined_external.reserve(counts[SymbolKind::External as usize]);
        for e in entries {
            let kind = SymbolKind::of(e, image.is_64);
            let list = match kind {
                SymbolKind::Skip => continue,
                SymbolKind::Imported => &mut imported,
                SymbolKind::External => &mut defined_external,
                SymbolKind::Local => &mut defined_local,
            };
            let strx = e
                .get(..4)
                .and_then(|b| b.try_into().ok())
                .map_or(0, |b| table.image.bytes.u32_of(b)) as usize;
            if matches!(kind, SymbolKind::Local) && !local_names_a_type(table.strings.head(strx)) {
                continue;
            }
            let name = table.strings.name(strx);
            if !name.is_empty() {
                list.push(name);
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
