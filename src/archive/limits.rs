//! Resource limits for reading an archive, and the shared counter that enforces the total.
//!
//! Every byte the archive layer hands out (inflated or stored) is charged to a [`Budget`] shared
//! by the archive and every nested archive opened from it, so reads on many threads at once are
//! bounded by [`Limits::max_total_size`] too.
//!
//! ```
//! use disclose::archive::Limits;
//! let strict = Limits { max_entries: 1_000, ..Limits::default() };
//! assert!(strict.max_entries < Limits::default().max_entries);
//! ```

use std::sync::atomic::{AtomicU64, Ordering};

/// Bounds on what one archive (with its nested archives) may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most central-directory entries an archive may declare.
    pub max_entries: usize,
    /// Most bytes one entry may produce when read (inflated or stored).
    pub max_entry_size: u64,
    /// Most bytes all reads of the archive (and its nested archives) may produce together.
    /// Every read counts, so reading the same entry twice counts twice.
    pub max_total_size: u64,
    /// Highest inflated/compressed size ratio allowed for an entry whose inflated size passes
    /// [`Limits::ratio_min_size`]; deflate cannot exceed about 1032, real apps stay below 20.
    pub max_ratio: u64,
    /// Entries smaller than this (inflated) are never rejected for their ratio.
    pub ratio_min_size: u64,
}

impl Default for Limits {
    /// Sized for real apps: a 200 MB APK with 30,000 entries opens and reads fully.
    fn default() -> Self {
        Limits {
            max_entries: 100_000,
            max_entry_size: 512 << 20,
            max_total_size: 8 << 30,
            max_ratio: 200,
            ratio_min_size: 1 << 20,
        }
    }
}

impl Limits {
    /// The most bytes an entry with `compressed` bytes of deflate data may inflate to before
    /// it counts as a zip bomb.
    pub(crate) fn ratio_cap(&self, compressed: u64) -> u64 {
        compressed
            .saturating_mul(self.max_ratio)
            .max(self.ratio_min_size)
    }
}

/// The running total of bytes produced by reads, shared across threads and nested archives.
#[derive(Debug)]
pub(crate) struct Budget {
    used: AtomicU64,
    max: u64,
}

impl Budget {
    pub(crate) fn new(max: u64) -> Self {
        Budget {
            used: AtomicU64::new(0),
            max,
        }
    }

    /// Charge `bytes`; `false` when the total would pass the limit (the charge stays, so every
    /// later read fails as well: the archive has already cost what it may).
    pub(crate) fn charge(&self, bytes: u64) -> bool {
        let before = self.used.fetch_add(bytes, Ordering::Relaxed);
        before.saturating_add(bytes) <= self.max
    }

    /// Bytes charged so far.
    pub(crate) fn used(&self) -> u64 {
        self.used.load(Ordering::Relaxed)
    }

    pub(crate) fn max(&self) -> u64 {
        self.max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_refuses_past_the_limit_and_stays_refused() {
        let b = Budget::new(100);
        assert!(b.charge(60));
        assert!(b.charge(40));
        assert!(!b.charge(1));
        assert!(!b.charge(0));
        assert_eq!(b.used(), 101);
    }

    #[test]
    fn ratio_cap_has_a_floor_and_saturates() {
        let l = Limits::default();
        assert_eq!(l.ratio_cap(1), l.ratio_min_size);
        assert_eq!(l.ratio_cap(u64::MAX), u64::MAX);
        assert_eq!(l.ratio_cap(1 << 20), 200 << 20);
    }
}
