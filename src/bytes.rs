//! The one bounds-checked byte reader every binary parser uses (zip, DEX, binary XML, class
//! files, Mach-O, fat files, static libraries): fixed-size reads at an offset in either byte
//! order, and LEB128 numbers. Every read returns `None` instead of panicking when it would
//! leave the data (offsets near `usize::MAX` included); each parser turns `None` into its own
//! typed error naming what it was reading.
//!
//! ```
//! use disclose::bytes::{uleb128, Endian};
//! let data = [0x78, 0x56, 0x34, 0x12];
//! assert_eq!(Endian::Little.u32_at(&data, 0), Some(0x1234_5678));
//! assert_eq!(Endian::Big.u16_at(&data, 2), Some(0x3412));
//! assert_eq!(Endian::Little.u32_at(&data, 1), None);
//! let mut pos = 0;
//! assert_eq!(uleb128(&[0xe5, 0x8e, 0x26], &mut pos, 10), Some(624_485));
//! ```

/// A byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endian {
    Little,
    Big,
}

/// The `N` bytes at `at`, or `None` when they are not all inside `data`.
#[inline]
pub fn array_at<const N: usize>(data: &[u8], at: usize) -> Option<[u8; N]> {
    data.get(at..at.checked_add(N)?)?.try_into().ok()
}

impl Endian {
    /// The `u16` at `at`.
    #[inline]
    pub fn u16_at(self, data: &[u8], at: usize) -> Option<u16> {
        array_at(data, at).map(|b| self.u16_of(b))
    }

    /// The `u32` at `at`.
    #[inline]
    pub fn u32_at(self, data: &[u8], at: usize) -> Option<u32> {
        array_at(data, at).map(|b| self.u32_of(b))
    }

    /// The `u64` at `at`.
    #[inline]
    pub fn u64_at(self, data: &[u8], at: usize) -> Option<u64> {
        array_at(data, at).map(|b| match self {
            Endian::Little => u64::from_le_bytes(b),
            Endian::Big => u64::from_be_bytes(b),
        })
    }

    /// Two bytes already read, in this byte order.
    #[inline]
    pub fn u16_of(self, b: [u8; 2]) -> u16 {
        match self {
            Endian::Little => u16::from_le_bytes(b),
            Endian::Big => u16::from_be_bytes(b),
        }
    }

    /// Four bytes already read, in this byte order.
    #[inline]
    pub fn u32_of(self, b: [u8; 4]) -> u32 {
        match self {
            Endian::Little => u32::from_le_bytes(b),
            Endian::Big => u32::from_be_bytes(b),
        }
    }
}

/// Decodes an unsigned LEB128 number of at most `max_bytes` bytes at `*pos` and advances
/// `*pos` past what it read. `None` at the end of the data or when no byte among the first
/// `max_bytes` ends the number; bits beyond 64 are dropped (DEX allows 5 bytes for a `u32`,
/// Mach-O 10 for a `u64`).
#[inline]
pub fn uleb128(data: &[u8], pos: &mut usize, max_bytes: u32) -> Option<u64> {
    let mut value = 0u64;
    for i in 0..max_bytes {
        let byte = *data.get(*pos)?;
        *pos += 1;
        value |= u64::from(byte & 0x7f).checked_shl(7 * i).unwrap_or(0);
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_end_in_both_byte_orders() {
        let data = [1, 2, 3, 4, 5, 6, 7, 8];
        assert_eq!(Endian::Big.u32_at(&data, 0), Some(0x0102_0304));
        assert_eq!(Endian::Little.u16_at(&data, 6), Some(0x0807));
        assert_eq!(Endian::Big.u64_at(&data, 0), Some(0x0102_0304_0506_0708));
        assert_eq!(Endian::Big.u64_at(&data, 1), None);
        assert_eq!(Endian::Little.u16_at(&data, 7), None);
        assert_eq!(Endian::Little.u32_at(&data, usize::MAX), None);
        assert_eq!(array_at::<0>(&data, 8), Some([]));
    }

    #[test]
    fn uleb128_is_bounded_by_data_and_length() {
        let mut pos = 0;
        assert_eq!(
            uleb128(&[0xff, 0xff, 0xff, 0xff, 0x0f], &mut pos, 5),
            Some(0xffff_ffff)
        );
        assert_eq!(pos, 5);
        let mut pos = 0;
        assert_eq!(
            uleb128(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00], &mut pos, 5),
            None
        );
        let mut pos = 0;
        assert_eq!(uleb128(&[0x80, 0x00], &mut pos, 5), Some(0));
        let mut pos = 0;
        assert_eq!(uleb128(&[0x80], &mut pos, 10), None);
        let mut pos = 0;
        assert_eq!(uleb128(&[0xff; 11], &mut pos, 10), None);
        let mut max = [0xff; 10];
        max[9] = 0x01;
        let mut pos = 0;
        assert_eq!(uleb128(&max, &mut pos, 10), Some(u64::MAX));
    }
}
