//! Reading a fat (universal) file from disk slice by slice, parsing each slice on another
//! thread while the next one is still being read.
//!
//! A vendor SDK binary is typically a fat file of four or five architectures, 10–25 MB. Reading
//! it whole and then parsing it costs the read plus the parse; here the parse of slice *n*
//! overlaps the read of slice *n + 1*, so the whole costs little more than the read
//! (`cargo bench --bench macho`). Every byte of the file, slices and the gaps between them,
//! is also handed to `on_chunk` in file order, so a caller can hash the file in the same pass.
//!
//! Slices are read in file order, which need not be header order (Bugly's x86_64 slice is
//! fourth in its header and last in the file). A file that is not fat is read whole
//! and returned as [`FatRead::Whole`] for the caller's usual parser.
//!
//! ```no_run
//! use disclose::ios::fat_reader::read_binary;
//! let file = std::fs::File::open("FBSDKCoreKit")?;
//! let len = file.metadata()?.len();
//! let mut bytes_seen = 0u64;
//! let images = read_binary(file, len, &mut |chunk| bytes_seen += chunk.len() as u64)?;
//! assert_eq!(bytes_seen, len);
//! for image in &images {
//!     println!("{} {}: {} ObjC classes", image.arch, image.file_type, image.objc_classes.len());
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::Read;
use std::sync::{Arc, Mutex};

use super::ar::{is_static_library, parse_fat_slice, parse_static_library, ArError, MemberKind};
use super::macho::{
    fat_entries, fat_header_len, is_macho, parse_fat_image, parse_macho, FatEntry, MachOError,
    NameList, Slice,
};

/// What [`read_fat`] read.
pub enum FatRead<T> {
    /// Not fat, or slices out of header order: the whole file, for the caller to parse.
    Whole(Arc<Vec<u8>>),
    /// The parse of each slice, in fat-header order.
    Slices(Vec<T>),
}

/// Why a fat file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FatReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Layout(#[from] MachOError),
    #[error("the file ended after {read} of its {len} bytes")]
    Truncated { read: u64, len: u64 },
}

/// Reads the `len` bytes of `reader` (the file's length, from its metadata, already checked
/// against the caller's size limit: slice sizes are checked against it). `on_chunk` sees every byte, in
/// order, on the calling thread. `choose` gets the bytes of the first slice of the header and
/// returns the parser for every slice (`(header index, arch, data)`), so that slice's kind
/// (archive or image) decides how all are read, as in memory; from then on each slice is
/// parsed on the rayon pool as soon as it is read.
pub fn read_fat<R, T, P>(
    mut reader: R,
    len: u64,
    on_chunk: &mut (dyn FnMut(&Arc<Vec<u8>>) + Send),
    choose: impl FnOnce(&[u8]) -> P,
) -> Result<FatRead<T>, FatReadError>
where
    R: Read + Send,
    T: Send,
    P: Fn(usize, &str, &[u8]) -> T + Sync,
{
    let mut done = 0u64;
    let mut head = read_exactly(&mut reader, len.min(8), len, &mut done)?;
    let header_len = fat_header_len(&head).map(|h| h.min(len));
    let entries = match header_len {
        Some(header_len) => {
            append(
                &mut reader,
                &mut head,
                header_len.saturating_sub(done),
                len,
                &mut done,
            )?;
            fat_entries(&head, len)?
        }
        None => None,
    };
    let Some(entries) = entries else {
        // Read the rest into the same buffer: one allocation of the file's size.
        let rest = len.saturating_sub(done);
        head.reserve_exact(initial_capacity(rest));
        append(&mut reader, &mut head, rest, len, &mut done)?;
        let whole = Arc::new(head);
        on_chunk(&whole);
        return Ok(FatRead::Whole(whole));
    };
    on_chunk(&Arc::new(head));

    let slots: Vec<Mutex<Option<T>>> = entries.iter().map(|_| Mutex::new(None)).collect();
    // File order; `fat_entries` has rejected overlapping slices, so each read starts at or
    // after the end of the previous one.
    let mut order: Vec<(usize, &FatEntry)> = entries.iter().enumerate().collect();
    order.sort_by_key(|(_, e)| e.offset);
    let mut slices = order.into_iter();
    // Slices before the header's first one in the file wait until it has been read.
    let mut pending = Vec::new();
    let mut choose = Some(choose);
    let parse = loop {
        let Some((index, entry)) = slices.next() else {
            return Ok(FatRead::Slices(Vec::new()));
        };
        let data = read_slice(&mut reader, entry, len, &mut done, on_chunk)?;
        let chosen = if index == 0 {
            choose.take().map(|choose| choose(&data))
        } else {
            None
        };
        pending.push((index, entry, data));
        if let Some(parse) = chosen {
            break parse;
        }
    };
    rayon::scope(|scope| -> Result<(), FatReadError> {
        let parse = &parse;
        let slots = &slots;
        let spawn = |index: usize, entry: &FatEntry, data: Arc<Vec<u8>>| {
            let arch = entry.arch;
            scope.spawn(move |_| {
                let parsed = parse(index, arch, &data);
                if let Some(slot) = slots.get(index) {
                    if let Ok(mut slot) = slot.lock() {
                        *slot = Some(parsed);
                    }
                }
            });
        };
        for (index, entry, data) in pending {
            spawn(index, entry, data);
        }
        for (index, entry) in slices {
            let data = read_slice(&mut reader, entry, len, &mut done, on_chunk)?;
            spawn(index, entry, data);
        }
        // Whatever follows the last slice is part of the file too (for `on_chunk`).
        let tail = read_exactly(&mut reader, len.saturating_sub(done), len, &mut done)?;
        if !tail.is_empty() {
            on_chunk(&Arc::new(tail));
        }
        Ok(())
    })?;
    let parsed: Option<Vec<T>> = slots
        .into_iter()
        .map(|slot| slot.into_inner().ok().flatten())
        .collect();
    // Every slot is filled once the scope has ended (a parse that panicked would have
    // propagated out of the scope).
    Ok(FatRead::Slices(parsed.unwrap_or_default()))
}

/// Why a binary could not be read as Mach-O images.
#[derive(Debug, thiserror::Error)]
pub enum BinaryError {
    #[error("{0}")]
    Read(#[from] FatReadError),
    #[error("{0}")]
    Archive(#[from] ArError),
    #[error("{0}")]
    MachO(#[from] MachOError),
    #[error("neither a Mach-O binary nor a static library")]
    NotABinary,
}

/// Every Mach-O image of a binary in memory: a (fat) Mach-O file, or a (fat) static library
/// whose objects become images (bitcode and other members are skipped).
pub fn parse_binary(bytes: &[u8]) -> Result<Vec<Slice>, BinaryError> {
    if is_static_library(bytes) {
        return Ok(library_images(parse_static_library(bytes)?));
    }
    if is_macho(bytes) {
        return Ok(parse_macho(bytes)?.slices);
    }
    Err(BinaryError::NotABinary)
}

/// The same as [`parse_binary`] for a binary read from `reader` (`len` bytes): a fat file is
/// parsed slice by slice while it is read (see [`read_fat`]); `on_chunk` sees every byte.
pub fn read_binary<R: Read + Send>(
    reader: R,
    len: u64,
    on_chunk: &mut (dyn FnMut(&Arc<Vec<u8>>) + Send),
) -> Result<Vec<Slice>, BinaryError> {
    // The header's first slice decides for all, as `is_static_library` does in memory.
    let read = read_fat(reader, len, on_chunk, |first| {
        let archive = first.starts_with(b"!<arch>\n");
        move |index: usize, arch: &str, data: &[u8]| -> Result<Vec<Slice>, BinaryError> {
            if archive {
                Ok(library_images(vec![parse_fat_slice(index, arch, data)?]))
            } else {
                Ok(vec![parse_fat_image(index, arch, data)?])
            }
        }
    })?;
    match read {
        FatRead::Whole(bytes) => parse_binary(&bytes),
        FatRead::Slices(parsed) => {
            let mut out = Vec::new();
            // The first error in header order, as for a file in memory.
            for slice in parsed {
                out.extend(slice?);
            }
            Ok(out)
        }
    }
}

/// The Mach-O objects of static libraries, as images named by their member; a bitcode member
/// becomes an image of the names the archive's symbol table gives it (classes and exported
/// symbols only: its code cannot be read).
fn library_images(libraries: Vec<super::ar::ArchLibrary>) -> Vec<Slice> {
    let mut images = Vec::new();
    for library in libraries {
        for member in library.library.members {
            match member.kind {
                MemberKind::MachO(mut slice) => {
                    slice.archive_member = Some(member.name);
                    images.push(*slice);
                }
                MemberKind::Bitcode if !member.table_symbols.is_empty() => {
                    images.push(symbol_table_image(&library.arch, member));
                }
                MemberKind::Bitcode | MemberKind::Other => {}
            }
        }
    }
    images
}

/// The image of a bitcode member, from the symbols the archive's symbol table gives it.
fn symbol_table_image(arch: &str, member: super::ar::Member) -> Slice {
    let symbols = member.table_symbols.iter().map(String::as_str);
    let classes = symbols
        .clone()
        .filter_map(|s| s.strip_prefix("_OBJC_CLASS_$_"));
    Slice {
        arch: arch.to_string(),
        file_type: "bitcode".to_string(),
        dylibs: Vec::new(),
        install_name: None,
        rpaths: Vec::new(),
        encrypted: None,
        min_os: None,
        imported_symbols: NameList::default(),
        exported_symbols: symbols.collect(),
        objc_classes: classes.collect(),
        objc_categories: NameList::default(),
        objc_class_refs: NameList::default(),
        selectors: NameList::default(),
        swift_types: NameList::default(),
        uses_chained_fixups: false,
        embedded_bitcode: true,
        code_signature: None,
        code: None,
        archive_member: Some(member.name),
    }
}

/// Reads the gap before `entry` (handed to `on_chunk`) and then its slice.
fn read_slice<R: Read>(
    reader: &mut R,
    entry: &FatEntry,
    len: u64,
    done: &mut u64,
    on_chunk: &mut (dyn FnMut(&Arc<Vec<u8>>) + Send),
) -> Result<Arc<Vec<u8>>, FatReadError> {
    let gap = read_exactly(reader, entry.offset.saturating_sub(*done), len, done)?;
    if !gap.is_empty() {
        on_chunk(&Arc::new(gap));
    }
    let data = Arc::new(read_exactly(reader, entry.size, len, done)?);
    on_chunk(&data);
    Ok(data)
}

/// How much to allocate up front for `n` bytes still to read: all of it, up to 256 MiB (a
/// caller's `len` that lies cannot make us allocate more than the reader delivers, plus that).
fn initial_capacity(n: u64) -> usize {
    usize::try_from(n.min(256 << 20)).unwrap_or(0)
}

/// The next `n` bytes, in a buffer of (at most) exactly that capacity.
fn read_exactly<R: Read>(
    reader: &mut R,
    n: u64,
    len: u64,
    done: &mut u64,
) -> Result<Vec<u8>, FatReadError> {
    let mut out = Vec::with_capacity(initial_capacity(n));
    append(reader, &mut out, n, len, done)?;
    Ok(out)
}

/// Appends the next `n` bytes to `out`; the file must have them.
fn append<R: Read>(
    reader: &mut R,
    out: &mut Vec<u8>,
    n: u64,
    len: u64,
    done: &mut u64,
) -> Result<(), FatReadError> {
    let got = reader.by_ref().take(n).read_to_end(out)? as u64;
    *done += got;
    if got < n {
        return Err(FatReadError::Truncated { read: *done, len });
    }
    Ok(())
}
