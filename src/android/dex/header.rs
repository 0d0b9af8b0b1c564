//! The DEX header: magic and version, sizes, endianness, and the id tables it locates.
//!
//! Every table (`off`, `count × item size`) is checked against the data before any item is
//! read, so later accessors can only fail on the variable-length data the tables point at.

use super::bytes::u32_at;
use super::DexError;

/// Size of the header of DEX versions 035–040.
pub(crate) const HEADER_SIZE: usize = 0x70;
/// Size of the header of DEX version 041 (adds `container_size` and `header_offset`).
const HEADER_SIZE_V41: usize = 0x78;
const ENDIAN_CONSTANT: u32 = 0x1234_5678;
const REVERSE_ENDIAN_CONSTANT: u32 = 0x7856_3412;

/// Where one id table lies in the file.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Table {
    pub(crate) off: usize,
    pub(crate) count: u32,
}

impl Table {
    /// Byte offset of item `idx` of `item_size` bytes, if `idx` is in the table.
    pub(crate) fn item(self, idx: u32, item_size: usize) -> Option<usize> {
        (idx < self.count).then(|| self.off + idx as usize * item_size)
    }
}

/// The parsed header.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub(crate) version: u32,
    pub(crate) file_size: usize,
    pub(crate) strings: Table,
    pub(crate) types: Table,
    pub(crate) protos: Table,
    pub(crate) fields: Table,
    pub(crate) methods: Table,
    pub(crate) class_defs: Table,
}

pub(crate) const STRING_ID_SIZE: usize = 4;
pub(crate) const TYPE_ID_SIZE: usize = 4;
pub(crate) const PROTO_ID_SIZE: usize = 12;
pub(crate) const FIELD_ID_SIZE: usize = 8;
pub(crate) const METHOD_ID_SIZE: usize = 8;
pub(crate) const CLASS_DEF_SIZE: usize = 32;

/// Reads and checks the header of `data`.
pub(crate) fn parse(data: &[u8]) -> Result<Header, DexError> {
    let len = data.len();
    if len < HEADER_SIZE {
        return Err(DexError::TooShort { len });
    }
    let magic = data.get(0..8).unwrap_or_default();
    let version = parse_magic(magic).ok_or_else(|| DexError::BadMagic {
        found: magic.escape_ascii().to_string(),
    })?;
    if version < 35 {
        return Err(DexError::UnsupportedVersion { version });
    }
    let field = |off: usize| u32_at(data, off).unwrap_or(0);
    let endian = field(40);
    if endian == REVERSE_ENDIAN_CONSTANT {
        return Err(DexError::BigEndian);
    }
    if endian != ENDIAN_CONSTANT {
        return Err(DexError::EndianTag { tag: endian });
    }
    let header_size = field(36) as usize;
    let header_ok = header_size == HEADER_SIZE || (version >= 41 && header_size == HEADER_SIZE_V41);
    if !header_ok || header_size > len {
        return Err(DexError::HeaderSize { size: header_size });
    }
    let file_size = field(32) as usize;
    if file_size < header_size || file_size > len {
        return Err(DexError::FileSize {
            declared: file_size,
            actual: len,
        });
    }
    // Version 041 may hold several dex files in one container; offsets count from the start of
    // the container, so the whole container bounds them. Older versions end at `file_size`.
    let limit = if header_size == HEADER_SIZE_V41 {
        let container = field(0x70) as usize;
        if field(0x74) != 0 || container < file_size || container > len {
            return Err(DexError::FileSize {
                declared: container,
                actual: len,
            });
        }
        container
    } else {
        file_size
    };
    let table = |name: &'static str, at: usize, item_size: usize| -> Result<Table, DexError> {
        let count = field(at);
        let off = field(at + 4);
        let end = (count as u64) * (item_size as u64) + u64::from(off);
        if count > 0 && (end > limit as u64 || (off as usize) < header_size) {
            return Err(DexError::SectionOutOfBounds {
                section: name,
                offset: off,
                count,
                len: limit,
            });
        }
        Ok(Table {
            off: off as usize,
            count,
        })
    };
    let header = Header {
        version,
        file_size: limit,
        strings: table("string_ids", 56, STRING_ID_SIZE)?,
        types: table("type_ids", 64, TYPE_ID_SIZE)?,
        protos: table("proto_ids", 72, PROTO_ID_SIZE)?,
        fields: table("field_ids", 80, FIELD_ID_SIZE)?,
        methods: table("method_ids", 88, METHOD_ID_SIZE)?,
        class_defs: table("class_defs", 96, CLASS_DEF_SIZE)?,
    };
    // type and proto indices are 16-bit everywhere they are used.
    for (name, t) in [("type_ids", header.types), ("proto_ids", header.protos)] {
        if t.count > 0x1_0000 {
            return Err(DexError::SectionOutOfBounds {
                section: name,
                offset: t.off as u32,
                count: t.count,
                len: limit,
            });
        }
    }
    let data_size = field(104);
    let data_off = field(108);
    if u64::from(data_off) + u64::from(data_size) > limit as u64 {
        return Err(DexError::SectionOutOfBounds {
            section: "data",
            offset: data_off,
            count: data_size,
            len: limit,
        });
    }
    Ok(header)
}

/// The version number in `dex\n0NN\0`, if `magic` is one.
fn parse_magic(magic: &[u8]) -> Option<u32> {
    let digits = magic.strip_prefix(b"dex\n")?.strip_suffix(b"\0")?;
    if digits.len() != 3 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0, |v, d| v * 10 + u32::from(d - b'0')))
}
