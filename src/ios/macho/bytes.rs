//! A Mach-O image's view of the shared bounds-checked reads ([`crate::bytes`]): reads at
//! 64-bit file offsets in the image's byte order; every read returns `None` instead of
//! panicking when it would leave the data.

use crate::bytes::Endian;

/// A view of one Mach-O image (one slice) with its byte order.
#[derive(Clone, Copy)]
pub(crate) struct Bytes<'a> {
    pub data: &'a [u8],
    pub little_endian: bool,
}

impl<'a> Bytes<'a> {
    pub fn slice(&self, offset: u64, len: u64) -> Option<&'a [u8]> {
        let start = usize::try_from(offset).ok()?;
        let len = usize::try_from(len).ok()?;
        self.data.get(start..start.checked_add(len)?)
    }

    fn endian(&self) -> Endian {
        if self.little_endian {
            Endian::Little
        } else {
            Endian::Big
        }
    }

    fn at(offset: u64) -> usize {
        // An offset past usize::MAX is past the data: the read fails there.
        usize::try_from(offset).unwrap_or(usize::MAX)
    }

    pub fn u8(&self, offset: u64) -> Option<u8> {
        self.data.get(Self::at(offset)).copied()
    }

    pub fn u16(&self, offset: u64) -> Option<u16> {
        self.endian().u16_at(self.data, Self::at(offset))
    }

    pub fn u32(&self, offset: u64) -> Option<u32> {
        self.endian().u32_at(self.data, Self::at(offset))
    }

    pub fn u64(&self, offset: u64) -> Option<u64> {
        self.endian().u64_at(self.data, Self::at(offset))
    }

    /// Four bytes already read, in this view's byte order.
    pub fn u32_of(&self, b: [u8; 4]) -> u32 {
        self.endian().u32_of(b)
    }

    /// A pointer-sized word: 8 bytes when `is_64`, else 4.
    pub fn word(&self, offset: u64, is_64: bool) -> Option<u64> {
        if is_64 {
            self.u64(offset)
        } else {
            self.u32(offset).map(u64::from)
        }
    }

    /// The NUL-terminated string at `offset`, not reading past `limit` (exclusive, clamped to
    /// the data); `None` when it has no terminator before the limit or is not UTF-8.
    pub fn cstr(&self, offset: u64, limit: u64) -> Option<&'a str> {
        let start = usize::try_from(offset).ok()?;
        let end = usize::try_from(limit.min(self.data.len() as u64)).ok()?;
        let bytes = self.data.get(start..end)?;
        let nul = memchr::memchr(0, bytes)?;
        std::str::from_utf8(bytes.get(..nul)?).ok()
    }
}

/// The string in a fixed-size, NUL-padded name field (segment and section names).
pub(crate) fn fixed_name(field: &[u8]) -> &str {
    // A library holds tens of thousands of these 16-byte fields: find the first NUL with one
    // 128-bit word (the classic "has zero byte" test) instead of a byte loop.
    let end = match <[u8; 16]>::try_from(field) {
        Ok(word) => {
            let v = u128::from_le_bytes(word);
            let zero_bytes =
                v.wrapping_sub(u128::from_le_bytes([1; 16])) & !v & (u128::MAX / 255 * 0x80);
            // The lowest flagged byte is the first NUL (borrows only run upwards).
            (zero_bytes.trailing_zeros() / 8) as usize
        }
        Err(_) => field.iter().position(|&b| b == 0).unwrap_or(field.len()),
    };
    std::str::from_utf8(field.get(..end).unwrap_or_default()).unwrap_or("?")
}

/// Reads one unsigned LEB128 number (at most 10 bytes) at `*pos`, advancing it; `None` at the
/// end of the data or when the number does not fit 64 bits.
pub(crate) fn uleb128(data: &[u8], pos: &mut usize) -> Option<u64> {
    crate::bytes::uleb128(data, pos, 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_bounded_and_endian_aware() {
        let b = Bytes {
            data: &[1, 2, 3, 4, b'h', b'i', 0],
            little_endian: false,
        };
        assert_eq!(b.u32(0), Some(0x0102_0304));
        assert_eq!(b.u32(4), None);
        assert_eq!(b.u64(u64::MAX), None);
        assert_eq!(b.cstr(4, 100), Some("hi"));
        assert_eq!(b.cstr(4, 6), None);
    }

    #[test]
    fn uleb128_stops_at_the_end_and_on_overflow() {
        let mut pos = 0;
        assert_eq!(uleb128(&[0xe5, 0x8e, 0x26], &mut pos), Some(624_485));
        assert_eq!(pos, 3);
        let mut pos = 0;
        assert_eq!(uleb128(&[0x80, 0x80], &mut pos), None);
        let mut pos = 0;
        assert_eq!(uleb128(&[0xff; 11], &mut pos), None);
    }
}

#[cfg(test)]
mod fixed_name_tests {
    use super::fixed_name;

    #[test]
    fn ends_at_the_first_nul_or_the_field() {
        let field = |s: &[u8]| {
            let mut f = [0u8; 16];
            f[..s.len()].copy_from_slice(s);
            f
        };
        assert_eq!(fixed_name(&field(b"__text")), "__text");
        assert_eq!(fixed_name(&field(b"")), "");
        assert_eq!(fixed_name(b"__objc_classlist"), "__objc_classlist");
        // Bytes after the NUL do not count, even 0x01 or 0x80.
        let mut f = field(b"__DATA");
        f[7] = 1;
        f[9] = 0x80;
        assert_eq!(fixed_name(&f), "__DATA");
        // A 0x01 byte just above a NUL is not taken for a NUL.
        assert_eq!(fixed_name(&field(b"a\x01b")), "a\u{1}b");
        assert_eq!(fixed_name(b"short\0"), "short");
        assert_eq!(fixed_name(&field(b"\xff\xfe")), "?");
    }
}
