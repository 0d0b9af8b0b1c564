//! The zip container layer: APKs, IPAs, JARs and AARs read in place (never extracted to disk),
//! and `.xapk` / `.apks` bundles opened as the split APKs they contain.
//!
//! The parser is our own and trusts the central directory the way Android's libziparchive
//! does: names, sizes, method and CRC come from the central directory; a local header only
//! says where the data starts (30 + its own name and extra lengths). Compression methods other
//! than deflate are read as stored, as Android does. Every read is bounded by [`Limits`]
//! (entry count, bytes per entry, bytes in total across threads, inflate ratio), so a zip bomb
//! is an error naming the entry, never an out-of-memory. Reads take `&self` and use positional
//! file reads, so one [`Archive`] serves many rayon threads at once.
//!
//! ```no_run
//! use disclose::archive::{Archive, Limits};
//! let apk = Archive::open(std::path::Path::new("app.apk"), Limits::default())?;
//! if let Some(manifest) = apk.entry("AndroidManifest.xml") {
//!     let bytes = apk.read(manifest)?;
//!     println!("{} bytes of binary XML", bytes.len());
//! }
//! # Ok::<(), disclose::archive::ArchiveError>(())
//! ```

mod error;
mod inflate;
mod limits;
mod source;
mod splits;
#[cfg(test)]
pub(crate) mod test_zip;
mod zip;

pub use error::ArchiveError;
pub use limits::Limits;
pub use splits::{
    apk_files_in, open_package, open_package_bytes, open_split_files, sha256_bytes, sha256_chunks,
    sha256_file, sha256_of_split_files, AppPackage, PackageKind, Split,
};

use inflate::{ReadContext, Want};
use limits::Budget;
use source::Source;
use std::path::Path;
use std::sync::Arc;

/// One central-directory record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The name as stored (UTF-8; other bytes are replaced with U+FFFD).
    pub name: String,
    /// The compression method as declared; only 8 (deflate) is inflated.
    pub method: u16,
    /// Bytes of data in the archive.
    pub compressed_size: u64,
    /// Declared inflated size.
    pub size: u64,
    /// Declared CRC-32 of the inflated data.
    pub crc32: u32,
    flags: u16,
    local_header_offset: u64,
}

impl Entry {
    /// A directory entry (name ends with `/`).
    pub fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }

    /// The data is deflated (method 8); every other method is read as stored.
    pub fn is_deflated(&self) -> bool {
        self.method == inflate::DEFLATED
    }

    /// The declared method is neither stored (0) nor deflate (8): Android reads such an entry
    /// as stored, and tools that honour the method fail on it (a known evasion trick).
    pub fn has_bogus_method(&self) -> bool {
        self.method != inflate::DEFLATED && self.method != inflate::STORED
    }

    /// The general-purpose flags say sizes follow the data in a data descriptor (bit 3).
    pub fn has_data_descriptor(&self) -> bool {
        self.flags & 0x0008 != 0
    }

    /// Where the entry's local file header starts in the archive.
    pub fn local_header_offset(&self) -> u64 {
        self.local_header_offset
    }
}

/// An open zip archive: its central directory, and bounded reads of its entries.
/// `Send + Sync`: share it by reference across threads.
#[derive(Debug)]
pub struct Archive {
    source: Source,
    entries: Vec<Entry>,
    /// Entry indices sorted by (name, index), for lookup without a second copy of each name.
    by_name: Vec<u32>,
    duplicates: bool,
    limits: Limits,
    budget: Arc<Budget>,
    /// Prefix for entry names in errors: `""`, or `"base.apk!"` for a nested archive.
    label: String,
}

impl Archive {
    /// Open the zip file at `path`; only the end record and central directory are read now.
    pub fn open(path: &Path, limits: Limits) -> Result<Archive, ArchiveError> {
        let file = std::fs::File::open(path)?;
        let budget = Arc::new(Budget::new(limits.max_total_size));
        Archive::from_source(Source::file(file)?, limits, budget, String::new())
    }

    /// Open the zip file at `path` for its entry `name` alone (listed as its only entry, or
    /// none): the central directory is read only up to that entry's record. For a look at one
    /// entry of many archives, e.g. the manifest of every APK in a folder.
    pub fn open_for_entry(
        path: &Path,
        limits: Limits,
        name: &str,
    ) -> Result<Archive, ArchiveError> {
        let file = std::fs::File::open(path)?;
        let source = Source::file(file)?;
        let entries: Vec<Entry> = zip::find_entry(&source, &limits, name)?
            .into_iter()
            .collect();
        Ok(Archive {
            source,
            by_name: (0..entries.len() as u32).collect(),
            entries,
            duplicates: false,
            budget: Arc::new(Budget::new(limits.max_total_size)),
            limits,
            label: String::new(),
        })
    }

    /// Open a zip held in memory. `name` labels errors when it is not empty (use the split
    /// name for a nested archive, or `""`).
    pub fn from_bytes(
        name: impl Into<String>,
        bytes: Vec<u8>,
        limits: Limits,
    ) -> Result<Archive, ArchiveError> {
        let budget = Arc::new(Budget::new(limits.max_total_size));
        Archive::from_source(
            Source::memory(bytes),
            limits,
            budget,
            label_for(name.into()),
        )
    }

    fn from_source(
        source: Source,
        limits: Limits,
        budget: Arc<Budget>,
        label: String,
    ) -> Result<Archive, ArchiveError> {
        let entries = zip::read_directory(&source, &limits)?;
        let mut by_name: Vec<u32> = (0..entries.len() as u32).collect();
        by_name.sort_by(|&a, &b| {
            let (ea, eb) = (&entries[a as usize], &entries[b as usize]);
            ea.name.cmp(&eb.name).then(a.cmp(&b))
        });
        let duplicates = by_name
            .windows(2)
            .any(|w| entries[w[0] as usize].name == entries[w[1] as usize].name);
        Ok(Archive {
            source,
            entries,
            by_name,
            duplicates,
            limits,
            budget,
            label,
        })
    }

    /// Open the zip stored in `entry` as an archive of its own, sharing this archive's total
    /// budget. A stored entry is read in place (a window onto this archive's file); a deflated
    /// one is inflated into memory within the limits. Errors name the entry as `outer!inner`.
    pub fn open_nested(&self, entry: &Entry) -> Result<Archive, ArchiveError> {
        let label = format!("{}{}!", self.label, entry.name);
        let source = if entry.is_deflated() {
            Source::memory(self.read(entry)?)
        } else {
            let start = zip::data_offset(&self.source, entry, &self.label)?;
            self.source
                .sub_range(start, entry.compressed_size)
                .ok_or_else(|| ArchiveError::MalformedEntry {
                    entry: self.label_of(entry),
                    detail: "data runs past the end of the file".into(),
                })?
        };
        Archive::from_source(source, self.limits, Arc::clone(&self.budget), label)
    }

    /// Every central-directory entry, in directory order (duplicates included).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry named exactly `name`. With duplicate names the FIRST in central-directory
    /// order wins: that is the entry the platform's native zip code used before Android
    /// started refusing such archives (the 2013 "master key" fix; libziparchive now rejects
    /// duplicate names). We still open them so the analysis can report it: see
    /// [`Archive::has_duplicates`] and [`Archive::duplicate_names`].
    pub fn entry(&self, name: &str) -> Option<&Entry> {
        let i = self
            .by_name
            .partition_point(|&i| self.entries[i as usize].name.as_str() < name);
        let &index = self.by_name.get(i)?;
        let entry = &self.entries[index as usize];
        (entry.name == name).then_some(entry)
    }

    /// Whether two entries share a name (Android refuses to install such an APK).
    pub fn has_duplicates(&self) -> bool {
        self.duplicates
    }

    /// Each name that occurs more than once, once, in name order.
    pub fn duplicate_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for w in self.by_name.windows(2) {
            let (a, b) = (&self.entries[w[0] as usize], &self.entries[w[1] as usize]);
            if a.name == b.name && names.last() != Some(&a.name.as_str()) {
                names.push(&a.name);
            }
        }
        names
    }

    /// The whole entry, inflated, with its size and CRC-32 checked against the central
    /// directory (CRC for methods 0 and 8; a bogus method's data is returned as stored).
    pub fn read(&self, entry: &Entry) -> Result<Vec<u8>, ArchiveError> {
        let mut out = Vec::new();
        self.read_with(entry, Want::All, &mut out)?;
        Ok(out)
    }

    /// [`Archive::read`] into `buf`, replacing its contents and reusing its allocation: a
    /// caller reading many large entries one after another (the DEX files of a huge app) keeps
    /// one buffer per thread instead of allocating and freeing one per entry, which the
    /// allocator would keep committed for a while after each free.
    pub fn read_into(&self, entry: &Entry, buf: &mut Vec<u8>) -> Result<(), ArchiveError> {
        self.read_with(entry, Want::All, buf)
    }

    /// At most `max` leading bytes of the entry (for magic sniffing); inflates only as far as
    /// needed and checks neither size nor CRC.
    pub fn read_prefix(&self, entry: &Entry, max: usize) -> Result<Vec<u8>, ArchiveError> {
        let mut out = Vec::new();
        self.read_with(entry, Want::Prefix(max), &mut out)?;
        Ok(out)
    }

    fn read_with(&self, entry: &Entry, want: Want, out: &mut Vec<u8>) -> Result<(), ArchiveError> {
        let start = zip::data_offset(&self.source, entry, &self.label)?;
        let cx = ReadContext {
            src: &self.source,
            limits: &self.limits,
            budget: &self.budget,
            entry,
            data_start: start,
            label: self.label_of(entry),
        };
        inflate::read_entry(&cx, want, out)
    }

    /// Size of the archive in bytes.
    pub fn file_size(&self) -> u64 {
        self.source.len()
    }

    /// The limits this archive was opened with.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Bytes produced by reads so far (this archive and every nested one opened from it).
    pub fn bytes_read(&self) -> u64 {
        self.budget.used()
    }

    fn label_of(&self, entry: &Entry) -> String {
        format!("{}{}", self.label, entry.name)
    }
}

fn label_for(name: String) -> String {
    if name.is_empty() {
        name
    } else {
        name + "!"
    }
}
