//! The `ResStringPool` chunk: a counted table of UTF-8 or UTF-16 strings that every other chunk
//! of a binary XML document refers to by index. Styles are not needed and are ignored.

use std::sync::Arc;

use super::{AxmlError, Reader};

/// `ResStringPool_header.flags`: strings are UTF-8 (otherwise UTF-16).
const UTF8_FLAG: u32 = 0x100;
/// Header size of a string pool chunk (chunk header + five u32 fields).
const POOL_HEADER_SIZE: usize = 28;

/// A decoded string pool. Strings are shared (`Arc<str>`) so elements can hold them cheaply.
#[derive(Debug, Default)]
pub(crate) struct StringPool {
    strings: Vec<Arc<str>>,
}

impl StringPool {
    /// Decodes the pool chunk `chunk` (the whole chunk, header included) found at file
    /// offset `base`.
    pub(crate) fn parse(chunk: &[u8], base: usize) -> Result<Self, AxmlError> {
        let r = Reader::new(chunk, base);
        let header_size = usize::from(r.u16(2)?);
        if header_size < POOL_HEADER_SIZE || header_size > chunk.len() {
            return Err(AxmlError::Malformed {
                offset: base,
                what: "string pool header size",
            });
        }
        let count = r.u32(8)? as usize;
        let flags = r.u32(16)?;
        let strings_start = r.u32(20)? as usize;
        // Each string needs a 4-byte offset entry: a count the chunk cannot hold is a lie.
        count
            .checked_mul(4)
            .and_then(|n| n.checked_add(header_size))
            .filter(|&end| end <= chunk.len())
            .ok_or(AxmlError::LyingStringPool {
                offset: base,
                what: "string count exceeds the chunk",
            })?;
        if count > 0 && strings_start > chunk.len() {
            return Err(AxmlError::LyingStringPool {
                offset: base,
                what: "strings start outside the chunk",
            });
        }
        let data = chunk.get(strings_start..).unwrap_or(&[]);
        let utf8 = flags & UTF8_FLAG != 0;
        let mut strings = Vec::with_capacity(count);
        for index in 0..count {
            let at = r.u32(header_size + index * 4)? as usize;
            let decoded = if utf8 {
                decode_utf8(data, at)
            } else {
                decode_utf16(data, at)
            };
            let s = decoded.ok_or(AxmlError::BadString {
                index,
                offset: base + strings_start.saturating_add(at),
            })?;
            strings.push(Arc::from(s));
        }
        Ok(StringPool { strings })
    }

    /// The string at `index`; `None` for the "no string" marker `0xffffffff`.
    pub(crate) fn get(&self, index: u32) -> Result<Option<&Arc<str>>, AxmlError> {
        if index == u32::MAX {
            return Ok(None);
        }
        self.strings
            .get(index as usize)
            .map(Some)
            .ok_or(AxmlError::StringIndex {
                index,
                count: self.strings.len(),
            })
    }
}

/// UTF-8 pool entry: UTF-16 length (1–2 bytes), byte length (1–2 bytes), bytes, NUL.
pub(crate) fn decode_utf8(data: &[u8], at: usize) -> Option<String> {
    let (_, at) = utf8_len(data, at)?;
    let (len, at) = utf8_len(data, at)?;
    let bytes = data.get(at..at.checked_add(len)?)?;
    Some(String::from_utf8_lossy(bytes).into_owned())
}

/// A length in a UTF-8 pool: one byte, or two when the first byte has its high bit set.
fn utf8_len(data: &[u8], at: usize) -> Option<(usize, usize)> {
    let first = usize::from(*data.get(at)?);
    if first & 0x80 == 0 {
        return Some((first, at + 1));
    }
    let second = usize::from(*data.get(at + 1)?);
    Some((((first & 0x7f) << 8) | second, at + 2))
}

/// UTF-16 pool entry: length in units (1–2 units), units, NUL unit.
pub(crate) fn decode_utf16(data: &[u8], at: usize) -> Option<String> {
    let unit = |i: usize| -> Option<u16> {
        let b = data.get(i..i.checked_add(2)?)?;
        Some(u16::from_le_bytes([b[0], b[1]]))
    };
    let first = usize::from(unit(at)?);
    let (len, start) = if first & 0x8000 == 0 {
        (first, at + 2)
    } else {
        let second = usize::from(unit(at + 2)?);
        (((first & 0x7fff) << 16) | second, at + 4)
    };
    let end = start.checked_add(len.checked_mul(2)?)?;
    let bytes = data.get(start..end)?;
    let units = bytes
        .chunks_exact(2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]));
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{fffd}'))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_long_length_uses_two_units() {
        // length 0x8000|0, 3 → 3 units
        let data = [0x00, 0x80, 0x03, 0x00, b'a', 0, b'b', 0, b'c', 0, 0, 0];
        assert_eq!(decode_utf16(&data, 0).as_deref(), Some("abc"));
    }

    #[test]
    fn utf8_long_length_uses_two_bytes() {
        let mut data = vec![0x80, 0x02, 0x80, 0x02];
        data.extend_from_slice(&[b'x'; 2]);
        data.push(0);
        assert_eq!(decode_utf8(&data, 0).as_deref(), Some("xx"));
    }

    #[test]
    fn length_past_the_end_is_none() {
        assert_eq!(decode_utf8(&[5, 5, b'a'], 0), None);
        assert_eq!(decode_utf16(&[9, 0, b'a', 0], 0), None);
    }
}
