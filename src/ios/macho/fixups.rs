//! `LC_DYLD_CHAINED_FIXUPS`: the imports table (formats 1, 2 and 3 with an uncompressed symbol
//! pool), the pointer format of the chains, and decoding of a pointer as stored on disk
//! (rebase target or bind ordinal).
//!
//! Layout facts from Apple's `<mach-o/fixup-chains.h>` (dyld, open source).

use super::bytes::Bytes;
use super::commands::{Image, Range};
use super::MachOError;

const DYLD_CHAINED_IMPORT: u32 = 1;
const DYLD_CHAINED_IMPORT_ADDEND: u32 = 2;
const DYLD_CHAINED_IMPORT_ADDEND64: u32 = 3;

/// One entry of the imports table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChainedImport<'a> {
    pub name: &'a str,
}

/// The parsed fixups header.
pub(crate) struct ChainedFixups<'a> {
    pub imports: Vec<ChainedImport<'a>>,
    /// `DYLD_CHAINED_PTR_*` of the first segment that has chains.
    pub pointer_format: Option<u16>,
}

/// What a stored pointer points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fixup {
    /// A rebase to this target, either a vmaddr or an offset from the image base (the caller
    /// decides by comparing with the base).
    Rebase(u64),
    /// A bind to the import with this ordinal.
    Bind(u64),
}

impl<'a> ChainedFixups<'a> {
    pub fn parse(image: &Image<'a>, (offset, size): Range) -> Result<Self, MachOError> {
        let out = |what| MachOError::TableOutOfFile { what, offset, size };
        let blob = Bytes {
            data: image
                .bytes
                .slice(offset, size)
                .ok_or(out("chained fixups"))?,
            little_endian: true,
        };
        let header = |at| blob.u32(at).ok_or(out("chained fixups header"));
        let (starts_offset, imports_offset, symbols_offset) = (header(4)?, header(8)?, header(12)?);
        let (imports_count, imports_format, symbols_format) =
            (header(16)?, header(20)?, header(24)?);
        let entry_size: u64 = match imports_format {
            DYLD_CHAINED_IMPORT => 4,
            DYLD_CHAINED_IMPORT_ADDEND => 8,
            DYLD_CHAINED_IMPORT_ADDEND64 => 16,
            _ => return Err(out("chained fixups imports (unknown imports_format)")),
        };
        let table_end = u64::from(imports_offset) + u64::from(imports_count) * entry_size;
        if table_end > size {
            return Err(out("chained fixups imports table"));
        }
        let mut imports = Vec::with_capacity(imports_count as usize);
        // A zlib-compressed symbol pool (symbols_format 1) is not read: no names then.
        if symbols_format == 0 {
            for i in 0..u64::from(imports_count) {
                let at = u64::from(imports_offset) + i * entry_size;
                let name_offset = if imports_format == DYLD_CHAINED_IMPORT_ADDEND64 {
                    blob.u64(at).map(|v| v >> 32)
                } else {
                    blob.u32(at).map(|v| u64::from(v >> 9))
                }
                .ok_or(out("chained fixups imports table"))?;
                let name = blob
                    .cstr(u64::from(symbols_offset) + name_offset, size)
                    .ok_or(out("chained fixups symbol name"))?;
                imports.push(ChainedImport { name });
            }
        }
        Ok(ChainedFixups {
            imports,
            pointer_format: pointer_format(&blob, u64::from(starts_offset)),
        })
    }

    /// Decodes a pointer stored in a chain.
    pub fn decode(&self, raw: u64, image: &Image<'_>) -> Fixup {
        let arm64e = image.arch_is_arm64e();
        decode(
            self.pointer_format.unwrap_or(if arm64e { 1 } else { 6 }),
            raw,
        )
    }
}

/// `pointer_format` of the first `dyld_chained_starts_in_segment` of the image.
fn pointer_format(blob: &Bytes<'_>, starts: u64) -> Option<u16> {
    let seg_count = u64::from(blob.u32(starts)?);
    (0..seg_count.min(blob.data.len() as u64 / 4)).find_map(|i| {
        let info = u64::from(blob.u32(starts + 4 + i * 4)?);
        (info != 0).then(|| blob.u16(starts + info + 6)).flatten()
    })
}

/// Decodes one on-disk pointer of the given `DYLD_CHAINED_PTR_*` format.
pub(crate) fn decode(format: u16, raw: u64) -> Fixup {
    match format {
        // ARM64E, ARM64E_KERNEL, ARM64E_USERLAND, ARM64E_FIRMWARE, ARM64E_USERLAND24
        1 | 7 | 9 | 10 | 12 => {
            let auth = raw >> 63 & 1 == 1;
            let bind = raw >> 62 & 1 == 1;
            let ordinal_bits = if format == 12 { 0xff_ffff } else { 0xffff };
            match (auth, bind) {
                (_, true) => Fixup::Bind(raw & ordinal_bits),
                (true, false) => Fixup::Rebase(raw & 0xffff_ffff),
                (false, false) => {
                    Fixup::Rebase((raw & 0x7ff_ffff_ffff) | ((raw >> 43 & 0xff) << 56))
                }
            }
        }
        // PTR_32, PTR_32_CACHE, PTR_32_FIRMWARE
        3..=5 => {
            if format == 3 && raw >> 31 & 1 == 1 {
                Fixup::Bind(raw & 0xf_ffff)
            } else {
                Fixup::Rebase(raw & 0x3ff_ffff)
            }
        }
        // PTR_64, PTR_64_OFFSET, PTR_64_KERNEL_CACHE, X86_64_KERNEL_CACHE and anything else
        _ => {
            if raw >> 63 == 1 {
                Fixup::Bind(raw & 0xff_ffff)
            } else {
                Fixup::Rebase((raw & 0xf_ffff_ffff) | ((raw >> 36 & 0xff) << 56))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{decode, Fixup};

    #[test]
    fn decodes_rebases_and_binds() {
        // PTR_64_OFFSET rebase to 0x8010 with a next field set.
        assert_eq!(decode(6, (3u64 << 51) | 0x8010), Fixup::Rebase(0x8010));
        assert_eq!(decode(6, (1u64 << 63) | 5), Fixup::Bind(5));
        // ARM64E auth rebase: low 32 bits are the offset.
        assert_eq!(
            decode(1, (1u64 << 63) | (7u64 << 32) | 0x4000),
            Fixup::Rebase(0x4000)
        );
        assert_eq!(decode(1, (1u64 << 62) | 9), Fixup::Bind(9));
        assert_eq!(decode(3, 0x1234), Fixup::Rebase(0x1234));
    }
}
