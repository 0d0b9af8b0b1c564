//! The archive layer's error type: one line, naming the entry (and split) when there is one.
//!
//! ```
//! use disclose::archive::ArchiveError;
//! let e = ArchiveError::NotZip;
//! assert_eq!(e.to_string(), "not a zip archive (no end of central directory record)");
//! ```

/// Why an archive or one of its entries could not be read.
///
/// `entry` fields hold the entry name, prefixed with the split it belongs to when the archive
/// is nested (`base.apk!classes.dex`).
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// Reading the file failed.
    #[error("read failed: {0}")]
    Io(#[from] std::io::Error),
    /// No end-of-central-directory record in the last 64 KiB + 22 bytes.
    #[error("not a zip archive (no end of central directory record)")]
    NotZip,
    /// The archive's directory structures are inconsistent.
    #[error("malformed zip: {0}")]
    Malformed(String),
    /// The archive declares more entries than the limit allows.
    #[error("archive declares {count} entries, over the limit of {limit}")]
    TooManyEntries { count: u64, limit: usize },
    /// One entry's record or data is inconsistent (offsets outside the file, bad local header).
    #[error("entry {entry}: {detail}")]
    MalformedEntry { entry: String, detail: String },
    /// The entry would produce more bytes than the per-entry limit.
    #[error("entry {entry}: {size} bytes is over the per-entry limit of {limit} bytes")]
    EntryTooLarge {
        entry: String,
        size: u64,
        limit: u64,
    },
    /// Reading the entry would pass the archive's total limit.
    #[error("entry {entry}: reading it passes the archive's total limit of {limit} bytes")]
    TotalTooLarge { entry: String, limit: u64 },
    /// The entry inflates far beyond its compressed size (a zip bomb).
    #[error(
        "entry {entry}: zip bomb: {size} bytes from {compressed} compressed is over the ratio limit of {ratio}"
    )]
    RatioExceeded {
        entry: String,
        size: u64,
        compressed: u64,
        ratio: u64,
    },
    /// The deflate stream is corrupt.
    #[error("entry {entry}: corrupt deflate data: {detail}")]
    Inflate { entry: String, detail: String },
    /// The inflated size differs from the central directory's.
    #[error("entry {entry}: inflated to {actual} bytes, the central directory says {declared}")]
    SizeMismatch {
        entry: String,
        declared: u64,
        actual: u64,
    },
    /// The deflate stream holds more data than the central directory declares.
    #[error("entry {entry}: inflates past the {declared} bytes the central directory declares")]
    LongerThanDeclared { entry: String, declared: u64 },
    /// The data's CRC-32 differs from the central directory's.
    #[error("entry {entry}: CRC-32 is {actual:08x}, the central directory says {expected:08x}")]
    CrcMismatch {
        entry: String,
        expected: u32,
        actual: u32,
    },
    /// A nested archive (split APK) could not be opened.
    #[error("split {split}: {source}")]
    Split {
        split: String,
        #[source]
        source: Box<ArchiveError>,
    },
}
