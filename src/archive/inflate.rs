//! Bounded reading of one entry's data: stored bytes are copied, deflated bytes are inflated
//! (flate2 with the zlib-rs backend) into a buffer that never grows past the limits, and every
//! byte is charged to the archive's shared [`Budget`] before it is allocated.
//!
//! Like Android, any method other than 8 (deflate) is read as stored data of
//! `compressed_size` bytes.
//!
//! ```
//! # use disclose::archive::{Archive, Limits};
//! # fn demo(a: &Archive) -> Result<(), disclose::archive::ArchiveError> {
//! for entry in a.entries() {
//!     let magic = a.read_prefix(entry, 4)?; // inflates only what the first 4 bytes need
//!     assert!(magic.len() <= 4);
//! }
//! # Ok(()) }
//! ```

use super::limits::Budget;
use super::source::Source;
use super::{ArchiveError, Entry, Limits};
use std::io::Read;

/// The compression method Android inflates; everything else it reads as stored.
pub(crate) const DEFLATED: u16 = 8;
/// The method that really means stored (and whose CRC and size we check).
pub(crate) const STORED: u16 = 0;
const MIN_GROWTH: usize = 64 << 10;
/// Inflate ratio the first allocation assumes (real APK entries stay below 12).
const PLAUSIBLE_RATIO: u64 = 16;

/// How much of the entry the caller wants.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Want {
    /// All of it, with size and CRC checked against the central directory.
    All,
    /// At most this many leading bytes, unchecked.
    Prefix(usize),
}

/// Everything one entry's read needs to know besides how much of it the caller wants.
pub(crate) struct ReadContext<'a> {
    pub(crate) src: &'a Source,
    pub(crate) limits: &'a Limits,
    pub(crate) budget: &'a Budget,
    pub(crate) entry: &'a Entry,
    /// Offset of the entry's data in `src` (after its local header).
    pub(crate) data_start: u64,
    /// The entry's name as errors show it (with the split prefix).
    pub(crate) label: String,
}

impl ReadContext<'_> {
    fn charge(&self, bytes: u64) -> Result<(), ArchiveError> {
        if self.budget.charge(bytes) {
            Ok(())
        } else {
            Err(ArchiveError::TotalTooLarge {
                entry: self.label.clone(),
                limit: self.budget.max(),
            })
        }
    }

    fn too_large(&self, size: u64) -> ArchiveError {
        ArchiveError::EntryTooLarge {
            entry: self.label.clone(),
            size,
            limit: self.limits.max_entry_size,
        }
    }

    fn read_failed(&self, e: std::io::Error) -> ArchiveError {
        ArchiveError::MalformedEntry {
            entry: self.label.clone(),
            detail: format!("read failed: {e}"),
        }
    }

    /// `out` emptied and grown to `len` zero bytes (its allocation reused when large enough).
    fn buffer(&self, out: &mut Vec<u8>, len: u64) -> Result<(), ArchiveError> {
        let len = usize::try_from(len).map_err(|_| self.too_large(len))?;
        out.clear();
        out.resize(len, 0);
        Ok(())
    }
}

/// Read the entry of `cx` into `out` (its contents replaced).
pub(crate) fn read_entry(
    cx: &ReadContext<'_>,
    want: Want,
    out: &mut Vec<u8>,
) -> Result<(), ArchiveError> {
    if cx.entry.method == DEFLATED {
        inflate(cx, want, out)
    } else {
        read_stored(cx, want, out)
    }
}

fn read_stored(cx: &ReadContext<'_>, want: Want, out: &mut Vec<u8>) -> Result<(), ArchiveError> {
    let entry = cx.entry;
    let len = match want {
        Want::All => entry.compressed_size,
        Want::Prefix(max) => entry.compressed_size.min(max as u64),
    };
    if len > cx.limits.max_entry_size {
        return Err(cx.too_large(len));
    }
    cx.charge(len)?;
    cx.buffer(out, len)?;
    cx.src
        .read_exact_at(out, cx.data_start)
        .map_err(|e| cx.read_failed(e))?;
    if matches!(want, Want::All) && entry.method == STORED {
        if entry.size != entry.compressed_size {
            return Err(ArchiveError::SizeMismatch {
                entry: cx.label.clone(),
                declared: entry.size,
                actual: entry.compressed_size,
            });
        }
        check_crc(cx, out)?;
    }
    Ok(())
}

fn inflate(cx: &ReadContext<'_>, want: Want, out: &mut Vec<u8>) -> Result<(), ArchiveError> {
    let entry = cx.entry;
    let ratio_cap = cx.limits.ratio_cap(entry.compressed_size);
    // `cap`: the most bytes this read may produce; `first`: the first allocation.
    let (cap, first) = match want {
        Want::All => {
            let declared = entry.size;
            if declared > ratio_cap {
                return Err(ratio_error(cx, declared));
            }
            if declared > cx.limits.max_entry_size {
                return Err(cx.too_large(declared));
            }
            // Allocate for a plausible ratio first and grow up to the declared size, so a
            // lying size costs memory only as far as the data really inflates.
            let plausible = entry
                .compressed_size
                .saturating_mul(PLAUSIBLE_RATIO)
                .saturating_add(MIN_GROWTH as u64);
            (declared, declared.min(plausible))
        }
        Want::Prefix(max) => {
            let cap = (max as u64).min(cx.limits.max_entry_size).min(ratio_cap);
            (cap, cap.min(entry.size).min(MIN_GROWTH as u64))
        }
    };
    let reader = cx
        .src
        .reader(cx.data_start, entry.compressed_size)
        .map_err(|e| cx.read_failed(e))?;
    let mut decoder = flate2::bufread::DeflateDecoder::new(reader);
    let corrupt = |e: std::io::Error| ArchiveError::Inflate {
        entry: cx.label.clone(),
        detail: e.to_string(),
    };

    cx.charge(first)?;
    cx.buffer(out, first)?;
    let mut filled = 0usize;
    loop {
        if filled == out.len() {
            let room = cap - out.len() as u64;
            if room == 0 {
                break;
            }
            let grow = (out.len().max(MIN_GROWTH) as u64).min(room);
            cx.charge(grow)?;
            out.resize(out.len() + grow as usize, 0);
        }
        let n = decoder.read(&mut out[filled..]).map_err(corrupt)?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    out.truncate(filled);

    if let Want::All = want {
        let mut probe = [0u8; 1];
        if decoder.read(&mut probe).map_err(corrupt)? > 0 {
            return Err(ArchiveError::LongerThanDeclared {
                entry: cx.label.clone(),
                declared: entry.size,
            });
        }
        if filled as u64 != entry.size {
            return Err(ArchiveError::SizeMismatch {
                entry: cx.label.clone(),
                declared: entry.size,
                actual: filled as u64,
            });
        }
        check_crc(cx, out)?;
    }
    Ok(())
}

fn ratio_error(cx: &ReadContext<'_>, size: u64) -> ArchiveError {
    ArchiveError::RatioExceeded {
        entry: cx.label.clone(),
        size,
        compressed: cx.entry.compressed_size,
        ratio: cx.limits.max_ratio,
    }
}

fn check_crc(cx: &ReadContext<'_>, data: &[u8]) -> Result<(), ArchiveError> {
    let entry = cx.entry;
    let mut crc = flate2::Crc::new();
    crc.update(data);
    if crc.sum() == entry.crc32 {
        Ok(())
    } else {
        Err(ArchiveError::CrcMismatch {
            entry: cx.label.clone(),
            expected: entry.crc32,
            actual: crc.sum(),
        })
    }
}
