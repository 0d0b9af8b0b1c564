//! The DEX reader's names for the shared bounds-checked reads of [`crate::bytes`]:
//! little-endian fixed-size reads and 5-byte LEB128.
//!
//! Each helper returns `None` when the read would run past the end of the slice; callers turn
//! that into a [`super::DexError`] naming what they were reading.

use crate::bytes::Endian;

/// The `u16` at `off`, little-endian.
#[inline]
pub(crate) fn u16_at(data: &[u8], off: usize) -> Option<u16> {
    Endian::Little.u16_at(data, off)
}

/// The `u32` at `off`, little-endian.
#[inline]
pub(crate) fn u32_at(data: &[u8], off: usize) -> Option<u32> {
    Endian::Little.u32_at(data, off)
}

/// Decodes an unsigned LEB128 value (at most 5 bytes, as the DEX format allows) at `*pos` and
/// advances `*pos` past it. Bits beyond 32 in the fifth byte are ignored, as in Android's reader.
#[inline]
pub(crate) fn uleb128(data: &[u8], pos: &mut usize) -> Option<u32> {
    // Truncation is the format's rule: the fifth byte's bits above 32 do not count.
    crate::bytes::uleb128(data, pos, 5).map(|v| v as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_little_endian_and_stops_at_the_end() {
        let data = [0x78, 0x56, 0x34, 0x12, 0xff];
        assert_eq!(u32_at(&data, 0), Some(0x1234_5678));
        assert_eq!(u16_at(&data, 3), Some(0xff12));
        assert_eq!(u32_at(&data, 2), None);
        assert_eq!(u16_at(&data, usize::MAX), None);
    }

    #[test]
    fn decodes_uleb128_and_rejects_overlong_or_truncated() {
        let mut pos = 0;
        assert_eq!(uleb128(&[0xe5, 0x8e, 0x26], &mut pos), Some(624_485));
        assert_eq!(pos, 3);
        let mut pos = 0;
        assert_eq!(
            uleb128(&[0xff, 0xff, 0xff, 0xff, 0x0f], &mut pos),
            Some(u32::MAX)
        );
        let mut pos = 0;
        assert_eq!(
            uleb128(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00], &mut pos),
            None
        );
        let mut pos = 0;
        assert_eq!(uleb128(&[0x80], &mut pos), None);
    }
}
