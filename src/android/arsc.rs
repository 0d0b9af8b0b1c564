//! The compiled resource table (`resources.arsc`) of an APK, read only as far as needed to
//! resolve a resource reference (`@0x7f0b0001`) to its value in each configuration: the app's
//! name (`android:label`) in every language and the files of its launcher icon
//! (`android:icon`) at every screen density.
//!
//! The table is a `RES_TABLE_TYPE` chunk holding the global string pool and one
//! `RES_TABLE_PACKAGE_TYPE` chunk per package; each package holds `RES_TABLE_TYPE_TYPE` chunks,
//! one per resource type and configuration, whose entries are plain values or bags. Layout
//! from the Android platform's `ResourceTypes.h` (chunk types 0x0001, 0x0002, 0x0200, 0x0201;
//! `ResTable_config` field offsets; `FLAG_SPARSE` 0x01 and `FLAG_OFFSET16` 0x02 on type chunks;
//! `FLAG_COMPLEX` 0x0001 and `FLAG_COMPACT` 0x0008 on entries). Nothing is decoded up front
//! except the chunk index; strings are decoded only when a lookup reaches them.
//!
//! ```no_run
//! use disclose::android::arsc::ResourceTable;
//! let bytes = std::fs::read("resources.arsc")?;
//! let table = ResourceTable::parse(&bytes)?;
//! for v in table.values(0x7f0b_0001) {
//!     println!("{:?}: {}", v.config.locale, v.value);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::axml::string_pool::{decode_utf16, decode_utf8};
use super::axml::Value;
use crate::bytes::Endian;
use std::sync::Arc;

const RES_STRING_POOL_TYPE: u16 = 0x0001;
const RES_TABLE_TYPE: u16 = 0x0002;
const RES_TABLE_PACKAGE_TYPE: u16 = 0x0200;
const RES_TABLE_TYPE_TYPE: u16 = 0x0201;
/// `ResTable_type.flags`: entries are `(index, offset / 4)` pairs, sorted by index.
const FLAG_SPARSE: u8 = 0x01;
/// `ResTable_type.flags`: entry offsets are `u16` counts of 4 bytes.
const FLAG_OFFSET16: u8 = 0x02;
/// `ResTable_entry.flags`: a bag (style, array, plural), not a single value.
const ENTRY_FLAG_COMPLEX: u16 = 0x0001;
/// `ResTable_entry.flags`: a compact entry whose value type is the flags' high byte.
const ENTRY_FLAG_COMPACT: u16 = 0x0008;
/// `ResStringPool_header.flags`: UTF-8 strings.
const UTF8_FLAG: u32 = 0x100;
/// How many references a value may go through before we give up (a loop in a hostile table).
const MAX_REFERENCE_DEPTH: usize = 8;
/// No real table has more type chunks than this; a larger count is a hostile file.
const MAX_TYPE_CHUNKS: usize = 1 << 20;

const LE: Endian = Endian::Little;

/// Why a resource table could not be indexed. `Display` is one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArscError {
    #[error(
        "resources.arsc: not a resource table (first chunk type 0x{found:04x}, expected 0x0002)"
    )]
    NotATable { found: u16 },
    #[error("resources.arsc: malformed {what} at offset {offset}")]
    Malformed { offset: usize, what: &'static str },
}

/// The configuration a value is for: the parts that matter for an app's name and icon.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceConfig {
    /// `""` for the default, else a BCP-47-like tag: `zh`, `zh-CN`, `en-US`.
    pub locale: String,
    /// Screen density in dpi; 0 = unspecified, 0xfffe = nodpi, 0xffff = anydpi.
    pub density: u16,
    /// Minimum platform version (`-v26`), 0 when unspecified.
    pub sdk_version: u16,
}

/// One value of a resource in one configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfiguredValue {
    pub config: ResourceConfig,
    pub value: Value,
}

/// A type chunk: one resource type of one package in one configuration.
#[derive(Debug)]
struct TypeChunk {
    package_id: u8,
    type_id: u8,
    flags: u8,
    entry_count: usize,
    /// Where the entry offsets start, and where the entries start, in the whole file.
    offsets_at: usize,
    entries_at: usize,
    /// End of the chunk in the whole file.
    end: usize,
    config: ResourceConfig,
}

/// The global string pool: where its offsets and its string data are.
#[derive(Debug, Clone, Copy)]
struct PoolIndex {
    count: usize,
    offsets_at: usize,
    strings_at: usize,
    end: usize,
    utf8: bool,
}

/// An indexed resource table borrowing the file's bytes.
#[derive(Debug)]
pub struct ResourceTable<'a> {
    data: &'a [u8],
    pool: Option<PoolIndex>,
    types: Vec<TypeChunk>,
}

/// A chunk header: type, header size, total size, and where it starts.
#[derive(Debug, Clone, Copy)]
struct Chunk {
    kind: u16,
    header_size: usize,
    start: usize,
    end: usize,
}

fn chunk_at(data: &[u8], start: usize, limit: usize) -> Result<Chunk, ArscError> {
    let bad = |what| ArscError::Malformed {
        offset: start,
        what,
    };
    let kind = LE.u16_at(data, start).ok_or(bad("chunk header"))?;
    let header_size = usize::from(LE.u16_at(data, start + 2).ok_or(bad("chunk header"))?);
    let size = LE.u32_at(data, start + 4).ok_or(bad("chunk header"))? as usize;
    let end = start.checked_add(size).ok_or(bad("chunk size"))?;
    if header_size < 8 || size < header_size || end > limit {
        return Err(bad("chunk size"));
    }
    Ok(Chunk {
        kind,
        header_size,
        start,
        end,
    })
}

/// The chunks one after another in `start..end`.
fn chunks(data: &[u8], start: usize, end: usize) -> Result<Vec<Chunk>, ArscError> {
    let mut out = Vec::new();
    let mut at = start;
    while at + 8 <= end {
        let chunk = chunk_at(data, at, end)?;
        at = chunk.end;
        out.push(chunk);
        if out.len() > MAX_TYPE_CHUNKS {
            return Err(ArscError::Malformed {
                offset: at,
                what: "chunk count",
            });
        }
    }
    Ok(out)
}

impl<'a> ResourceTable<'a> {
    /// Indexes the table: the global string pool and every type chunk of every package.
    pub fn parse(data: &'a [u8]) -> Result<Self, ArscError> {
        let found = LE.u16_at(data, 0).unwrap_or(0);
        if found != RES_TABLE_TYPE {
            return Err(ArscError::NotATable { found });
        }
        let table = chunk_at(data, 0, data.len())?;
        let mut pool = None;
        let mut types = Vec::new();
        for chunk in chunks(data, table.start + table.header_size, table.end)? {
            match chunk.kind {
                RES_STRING_POOL_TYPE if pool.is_none() => pool = Some(pool_index(data, chunk)?),
                RES_TABLE_PACKAGE_TYPE => index_package(data, chunk, &mut types)?,
                _ => {}
            }
        }
        Ok(ResourceTable { data, pool, types })
    }

    /// The value of resource `id` in every configuration that defines it, with strings taken
    /// from the global pool and references followed (a bag or a dangling reference yields
    /// nothing for that configuration).
    pub fn values(&self, id: u32) -> Vec<ConfiguredValue> {
        let mut out = Vec::new();
        for chunk in self.chunks_of(id) {
            let mut value = self.entry_value(chunk, id);
            let mut depth = 0;
            while let Some(Value::Reference(next)) = value {
                depth += 1;
                if depth > MAX_REFERENCE_DEPTH {
                    value = None;
                    break;
                }
                value = self.default_value(next);
            }
            if let Some(value) = value {
                out.push(ConfiguredValue {
                    config: chunk.config.clone(),
                    value,
                });
            }
        }
        out
    }

    /// The type chunks that may hold resource `id`.
    fn chunks_of(&self, id: u32) -> impl Iterator<Item = &TypeChunk> {
        let package_id = (id >> 24) as u8;
        let type_id = (id >> 16) as u8;
        self.types
            .iter()
            .filter(move |c| c.package_id == package_id && c.type_id == type_id && type_id != 0)
    }

    /// The value of `id` in the default configuration, else in the first one that has it
    /// (used for references inside values, which resolve the way the platform would for the
    /// default configuration).
    fn default_value(&self, id: u32) -> Option<Value> {
        let mut first = None;
        for chunk in self.chunks_of(id) {
            if let Some(value) = self.entry_value(chunk, id) {
                if chunk.config.locale.is_empty() && chunk.config.density == 0 {
                    return Some(value);
                }
                first.get_or_insert(value);
            }
        }
        first
    }

    /// The plain value of entry `id & 0xffff` in one type chunk.
    fn entry_value(&self, chunk: &TypeChunk, id: u32) -> Option<Value> {
        let index = (id & 0xffff) as usize;
        let offset = entry_offset(self.data, chunk, index)?;
        let at = chunk.entries_at.checked_add(offset)?;
        if at >= chunk.end {
            return None;
        }
        let size = usize::from(LE.u16_at(self.data, at)?);
        let flags = LE.u16_at(self.data, at + 2)?;
        let (data_type, word) = if flags & ENTRY_FLAG_COMPACT != 0 {
            ((flags >> 8) as u8, LE.u32_at(self.data, at + 4)?)
        } else if flags & ENTRY_FLAG_COMPLEX != 0 {
            return None;
        } else {
            let value_at = at.checked_add(size)?;
            if value_at.checked_add(8)? > chunk.end {
                return None;
            }
            (
                *self.data.get(value_at + 3)?,
                LE.u32_at(self.data, value_at + 4)?,
            )
        };
        Value::decode::<()>(data_type, word, |index| Ok(self.string(index))).ok()
    }

    /// String `index` of the global pool, decoded on demand.
    fn string(&self, index: u32) -> Option<Arc<str>> {
        let pool = self.pool?;
        let index = index as usize;
        if index >= pool.count {
            return None;
        }
        let offset = LE.u32_at(self.data, pool.offsets_at + index * 4)? as usize;
        let strings = self.data.get(pool.strings_at..pool.end)?;
        let s = if pool.utf8 {
            decode_utf8(strings, offset)
        } else {
            decode_utf16(strings, offset)
        }?;
        Some(Arc::from(s))
    }
}

/// Where entry `index` starts relative to the chunk's entries, if the chunk defines it.
fn entry_offset(data: &[u8], chunk: &TypeChunk, index: usize) -> Option<usize> {
    if chunk.flags & FLAG_SPARSE != 0 {
        // Sorted (index u16, offset/4 u16) pairs: binary search over the pairs.
        let (mut lo, mut hi) = (0usize, chunk.entry_count);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let at = chunk.offsets_at.checked_add(mid.checked_mul(4)?)?;
            let key = usize::from(LE.u16_at(data, at)?);
            match key.cmp(&index) {
                std::cmp::Ordering::Equal => {
                    return Some(usize::from(LE.u16_at(data, at + 2)?) * 4)
                }
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
            }
        }
        return None;
    }
    if index >= chunk.entry_count {
        return None;
    }
    if chunk.flags & FLAG_OFFSET16 != 0 {
        let raw = LE.u16_at(data, chunk.offsets_at.checked_add(index * 2)?)?;
        return (raw != u16::MAX).then_some(usize::from(raw) * 4);
    }
    let raw = LE.u32_at(data, chunk.offsets_at.checked_add(index * 4)?)?;
    (raw != u32::MAX).then_some(raw as usize)
}

fn pool_index(data: &[u8], chunk: Chunk) -> Result<PoolIndex, ArscError> {
    let bad = |what| ArscError::Malformed {
        offset: chunk.start,
        what,
    };
    let count = LE.u32_at(data, chunk.start + 8).ok_or(bad("string pool"))? as usize;
    let flags = LE
        .u32_at(data, chunk.start + 16)
        .ok_or(bad("string pool"))?;
    let strings_start = LE
        .u32_at(data, chunk.start + 20)
        .ok_or(bad("string pool"))? as usize;
    let offsets_at = chunk.start + chunk.header_size;
    let offsets_end = count
        .checked_mul(4)
        .and_then(|n| n.checked_add(offsets_at))
        .filter(|&end| end <= chunk.end)
        .ok_or(bad("string pool count"))?;
    let strings_at = chunk
        .start
        .checked_add(strings_start)
        .filter(|&at| count == 0 || (at >= offsets_end && at <= chunk.end))
        .ok_or(bad("string pool data"))?;
    Ok(PoolIndex {
        count,
        offsets_at,
        strings_at,
        end: chunk.end,
        utf8: flags & UTF8_FLAG != 0,
    })
}

/// Adds the type chunks of one package chunk to `types`.
fn index_package(data: &[u8], package: Chunk, types: &mut Vec<TypeChunk>) -> Result<(), ArscError> {
    let id = LE
        .u32_at(data, package.start + 8)
        .ok_or(ArscError::Malformed {
            offset: package.start,
            what: "package header",
        })?;
    // Shared libraries have package id 0 in their own table; their references use 0x7f at
    // run time only after remapping, which an app's own table never needs.
    let package_id = id as u8;
    for chunk in chunks(data, package.start + package.header_size, package.end)? {
        if chunk.kind == RES_TABLE_TYPE_TYPE {
            types.push(type_chunk(data, chunk, package_id)?);
        }
    }
    Ok(())
}

fn type_chunk(data: &[u8], chunk: Chunk, package_id: u8) -> Result<TypeChunk, ArscError> {
    let bad = |what| ArscError::Malformed {
        offset: chunk.start,
        what,
    };
    let at = chunk.start;
    let type_id = *data.get(at + 8).ok_or(bad("type header"))?;
    let flags = *data.get(at + 9).ok_or(bad("type header"))?;
    let entry_count = LE.u32_at(data, at + 12).ok_or(bad("type header"))? as usize;
    let entries_start = LE.u32_at(data, at + 16).ok_or(bad("type header"))? as usize;
    let offsets_at = at + chunk.header_size;
    // Sparse entries are (u16, u16) pairs; otherwise offsets are u16 or u32.
    let width = if flags & FLAG_SPARSE == 0 && flags & FLAG_OFFSET16 != 0 {
        2
    } else {
        4
    };
    entry_count
        .checked_mul(width)
        .and_then(|n| n.checked_add(offsets_at))
        .filter(|&end| end <= chunk.end)
        .ok_or(bad("type entry count"))?;
    let entries_at = at
        .checked_add(entries_start)
        .filter(|&e| e <= chunk.end)
        .ok_or(bad("type entries start"))?;
    Ok(TypeChunk {
        package_id,
        type_id,
        flags,
        entry_count,
        offsets_at,
        entries_at,
        end: chunk.end,
        config: config_at(data, at + 20, offsets_at),
    })
}

/// The locale, density and platform version of a `ResTable_config` at `at` (fields the
/// config's own size does not cover read as unspecified).
fn config_at(data: &[u8], at: usize, limit: usize) -> ResourceConfig {
    let size = LE.u32_at(data, at).unwrap_or(0) as usize;
    let end = at.saturating_add(size).min(limit);
    let field = |offset: usize, len: usize| {
        data.get(at + offset..at + offset + len)
            .filter(|_| at + offset + len <= end)
    };
    let language = field(8, 2).map(locale_part).unwrap_or_default();
    let country = field(10, 2).map(locale_part).unwrap_or_default();
    let locale = match (language.is_empty(), country.is_empty()) {
        (true, _) => String::new(),
        (false, true) => language,
        (false, false) => format!("{language}-{country}"),
    };
    let density = field(14, 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
    let sdk_version = field(24, 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
    ResourceConfig {
        locale,
        density,
        sdk_version,
    }
}

/// A two-byte language or region code: two ASCII letters, or three packed into 15 bits
/// (high bit set; three 5-bit letters, first in the low bits of the second byte).
fn locale_part(bytes: &[u8]) -> String {
    let (b0, b1) = (bytes[0], bytes[1]);
    if b0 == 0 {
        return String::new();
    }
    if b0 & 0x80 == 0 {
        return [b0, b1]
            .iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .map(|&b| char::from(b))
            .collect();
    }
    let first = b1 & 0x1f;
    let second = ((b1 & 0xe0) >> 5) | ((b0 & 0x03) << 3);
    let third = (b0 & 0x7c) >> 2;
    [first, second, third]
        .iter()
        .filter(|&&v| v < 26)
        .map(|&v| char::from(b'a' + v))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_a_table_is_one_line() {
        let err = ResourceTable::parse(&[3, 0, 8, 0, 8, 0, 0, 0]).unwrap_err();
        assert_eq!(err, ArscError::NotATable { found: 3 });
        assert!(!err.to_string().contains('\n'));
    }

    #[test]
    fn truncated_and_lying_sizes_are_errors_not_panics() {
        assert!(ResourceTable::parse(&[2, 0]).is_err());
        // Table chunk claiming more bytes than the file has.
        assert!(ResourceTable::parse(&[2, 0, 12, 0, 0xff, 0, 0, 0, 1, 0, 0, 0]).is_err());
    }

    #[test]
    fn packed_three_letter_language() {
        // "fil" packed: three 5-bit letters, the first in the low bits of the second byte.
        let (f, i, l) = (5u8, 8u8, 11u8);
        let b1 = ((i & 0x07) << 5) | f;
        let b0 = 0x80 | (l << 2) | (i >> 3);
        assert_eq!(locale_part(&[b0, b1]), "fil");
        assert_eq!(locale_part(b"zh"), "zh");
        assert_eq!(locale_part(&[0, 0]), "");
    }
}
