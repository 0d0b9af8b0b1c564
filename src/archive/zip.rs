//! The zip structures: end of central directory (with zip64), central directory records and
//! local file headers. Layouts follow PKWARE's APPNOTE.TXT (sections 4.3.7, 4.3.12, 4.3.14-16,
//! 4.5.3); the trust rules follow Android's libziparchive: the central directory is the truth,
//! the local header only tells where the data starts.
//!
//! ```
//! # use disclose::archive::{Archive, Limits};
//! // A zip whose end record sits before a 5-byte trailing comment is still found.
//! let mut z = b"PK\x05\x06".to_vec();
//! z.resize(20, 0);
//! z.extend_from_slice(&5u16.to_le_bytes());
//! z.extend_from_slice(b"hello");
//! assert!(Archive::from_bytes("c.zip", z, Limits::default())?.entries().is_empty());
//! # Ok::<(), disclose::archive::ArchiveError>(())
//! ```

use super::{ArchiveError, Entry, Limits, Source};
use crate::bytes::Endian;

const EOCD_SIG: u32 = 0x0605_4b50;
const EOCD_LEN: usize = 22;
const EOCD64_LOCATOR_SIG: u32 = 0x0706_4b50;
const EOCD64_LOCATOR_LEN: u64 = 20;
const EOCD64_SIG: u32 = 0x0606_4b50;
const EOCD64_LEN: usize = 56;
const CD_SIG: u32 = 0x0201_4b50;
const CD_LEN: usize = 46;
pub(crate) const LOCAL_SIG: u32 = 0x0403_4b50;
pub(crate) const LOCAL_LEN: usize = 30;
const ZIP64_EXTRA_ID: u16 = 0x0001;
const MAX_COMMENT: usize = 0xFFFF;

/// Little-endian field reads that turn a short buffer into `None` instead of a panic.
pub(crate) fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Endian::Little.u16_at(b, at)
}

pub(crate) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Endian::Little.u32_at(b, at)
}

pub(crate) fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Endian::Little.u64_at(b, at)
}

/// Where the central directory is and how many records it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DirectoryLocation {
    pub(crate) count: u64,
    pub(crate) offset: u64,
    pub(crate) size: u64,
}

/// The end of central directory record and where it starts: the last signature whose comment
/// fits in the file wins (Android scans the same way); bytes after the declared comment are
/// tolerated. Most zips have no comment, so the record is the file's last 22 bytes: those are
/// read first, and the search back over a maximal comment (64 KiB) only when they are not an
/// end record without comment (the record found is the same either way: the last 22 bytes
/// are the last place a record can start).
fn end_record(src: &Source, file_len: u64) -> Result<(Vec<u8>, u64), ArchiveError> {
    let last_start = file_len - EOCD_LEN as u64;
    let mut last = vec![0u8; EOCD_LEN];
    src.read_exact_at(&mut last, last_start)?;
    if u32_at(&last, 0) == Some(EOCD_SIG) && u16_at(&last, 20) == Some(0) {
        return Ok((last, last_start));
    }
    let tail_len = file_len.min((MAX_COMMENT + EOCD_LEN) as u64);
    let tail_start = file_len - tail_len;
    let mut tail = vec![0u8; tail_len as usize];
    src.read_exact_at(&mut tail, tail_start)?;
    let at = (0..=tail.len() - EOCD_LEN)
        .rev()
        .find(|&i| {
            u32_at(&tail, i) == Some(EOCD_SIG)
                && u16_at(&tail, i + 20)
                    .is_some_and(|c| i + EOCD_LEN + usize::from(c) <= tail.len())
        })
        .ok_or(ArchiveError::NotZip)?;
    tail.truncate(at + EOCD_LEN);
    tail.drain(..at);
    Ok((tail, tail_start + at as u64))
}

/// Find the end of central directory record ([`end_record`]), then follow a zip64 locator if
/// one sits right before it.
pub(crate) fn locate_directory(src: &Source) -> Result<DirectoryLocation, ArchiveError> {
    let file_len = src.len();
    if file_len < EOCD_LEN as u64 {
        return Err(ArchiveError::NotZip);
    }
    let (eocd, eocd_pos) = end_record(src, file_len)?;
    let eocd = eocd.as_slice();
    let field = |o: usize| u32_at(eocd, o).ok_or(ArchiveError::NotZip);
    let count16 = u16_at(eocd, 10).ok_or(ArchiveError::NotZip)?;
    let mut loc = DirectoryLocation {
        count: u64::from(count16),
        size: u64::from(field(12)?),
        offset: u64::from(field(16)?),
    };
    let mut dir_end = eocd_pos;

    if let Some(z64) = locate_zip64(src, eocd_pos)? {
        loc = z64.0;
        dir_end = z64.1;
    }
    let cd_end = loc.offset.checked_add(loc.size).ok_or_else(|| {
        ArchiveError::Malformed(format!(
            "central directory offset {} + size {} overflows",
            loc.offset, loc.size
        ))
    })?;
    if cd_end > dir_end {
        return Err(ArchiveError::Malformed(format!(
            "central directory ({} bytes at offset {}) runs past its end record at offset {}",
            loc.size, loc.offset, dir_end
        )));
    }
    Ok(loc)
}

/// The zip64 end record named by a locator just before `eocd_pos`, with its own offset.
fn locate_zip64(
    src: &Source,
    eocd_pos: u64,
) -> Result<Option<(DirectoryLocation, u64)>, ArchiveError> {
    let Some(locator_pos) = eocd_pos.checked_sub(EOCD64_LOCATOR_LEN) else {
        return Ok(None);
    };
    let mut locator = [0u8; EOCD64_LOCATOR_LEN as usize];
    src.read_exact_at(&mut locator, locator_pos)?;
    if u32_at(&locator, 0) != Some(EOCD64_LOCATOR_SIG) {
        return Ok(None);
    }
    let record_pos = u64_at(&locator, 8).unwrap_or(u64::MAX);
    let bad = || {
        ArchiveError::Malformed(format!(
            "zip64 locator points at offset {record_pos}, where there is no zip64 end record"
        ))
    };
    match record_pos.checked_add(EOCD64_LEN as u64) {
        Some(end) if end <= locator_pos => {}
        _ => return Err(bad()),
    }
    let mut rec = [0u8; EOCD64_LEN];
    src.read_exact_at(&mut rec, record_pos)?;
    if u32_at(&rec, 0) != Some(EOCD64_SIG) {
        return Err(bad());
    }
    let loc = DirectoryLocation {
        count: u64_at(&rec, 32).ok_or_else(bad)?,
        size: u64_at(&rec, 40).ok_or_else(bad)?,
        offset: u64_at(&rec, 48).ok_or_else(bad)?,
    };
    Ok(Some((loc, record_pos)))
}

/// Read and parse the whole central directory into entries, in directory order.
pub(crate) fn read_directory(src: &Source, limits: &Limits) -> Result<Vec<Entry>, ArchiveError> {
    let (loc, size) = checked_directory(src, limits)?;
    let mut cd = vec![0u8; size];
    src.read_exact_at(&mut cd, loc.offset)?;

    let mut entries = Vec::with_capacity(loc.count as usize);
    let mut pos = 0usize;
    for index in 0..loc.count as usize {
        let (entry, next) = parse_record(&cd, pos, index, loc.offset)?;
        entries.push(entry);
        pos = next;
    }
    Ok(entries)
}

/// Bytes of the central directory read first by [`find_entry`].
const FIRST_DIRECTORY_READ: usize = 16 << 10;

/// The first central directory record named `name`, the directory read and parsed only up to
/// it: 16 KB first, the rest only when the record lies beyond. For a look at one entry of
/// many archives (the manifest of every APK in a folder): a store APK's directory runs to
/// hundreds of KB, and its manifest is usually the first record.
pub(crate) fn find_entry(
    src: &Source,
    limits: &Limits,
    name: &str,
) -> Result<Option<Entry>, ArchiveError> {
    let (loc, size) = checked_directory(src, limits)?;
    let mut cd = vec![0u8; size.min(FIRST_DIRECTORY_READ)];
    src.read_exact_at(&mut cd, loc.offset)?;
    let mut pos = 0usize;
    for index in 0..loc.count as usize {
        if cd.len() < size && record_end(&cd, pos).is_none_or(|end| end > cd.len()) {
            cd.resize(size, 0);
            src.read_exact_at(&mut cd, loc.offset)?;
        }
        let next = record_end(&cd, pos).unwrap_or(usize::MAX);
        if next > cd.len() || u32_at(&cd, pos) != Some(CD_SIG) {
            // Malformed: the full parse names the fault.
            return parse_record(&cd, pos, index, loc.offset).map(|_| None);
        }
        let named = cd
            .get(pos + CD_LEN..)
            .and_then(|rest| rest.get(..name.len()));
        let name_len = u16_at(&cd, pos + 28).map(usize::from);
        if name_len == Some(name.len()) && named == Some(name.as_bytes()) {
            return parse_record(&cd, pos, index, loc.offset).map(|(entry, _)| Some(entry));
        }
        pos = next;
    }
    Ok(None)
}

/// Where the central directory record at `pos` ends, if its fixed part lies in `cd`.
fn record_end(cd: &[u8], pos: usize) -> Option<usize> {
    let len = |o: usize| u16_at(cd, pos + o).map(usize::from);
    Some(pos + CD_LEN + len(28)? + len(30)? + len(32)?)
}

/// The central directory's location, checked against the limits and the bytes it declares;
/// with its size in bytes.
fn checked_directory(
    src: &Source,
    limits: &Limits,
) -> Result<(DirectoryLocation, usize), ArchiveError> {
    let loc = locate_directory(src)?;
    if loc.count > limits.max_entries as u64 {
        return Err(ArchiveError::TooManyEntries {
            count: loc.count,
            limit: limits.max_entries,
        });
    }
    // Each record takes at least 46 bytes: a count the directory cannot hold is a lie, and
    // checking it first keeps the allocation below proportional to real bytes.
    if loc.count.saturating_mul(CD_LEN as u64) > loc.size {
        return Err(ArchiveError::Malformed(format!(
            "end record declares {} entries but the central directory is only {} bytes",
            loc.count, loc.size
        )));
    }
    let size = usize::try_from(loc.size)
        .map_err(|_| ArchiveError::Malformed("central directory too large".into()))?;
    Ok((loc, size))
}

/// Parse the central directory record at `pos`; returns it and the position of the next one.
fn parse_record(
    cd: &[u8],
    pos: usize,
    index: usize,
    cd_offset: u64,
) -> Result<(Entry, usize), ArchiveError> {
    let bad = |what: &str| {
        ArchiveError::Malformed(format!(
            "central directory record {index} at offset {}: {what}",
            cd_offset + pos as u64
        ))
    };
    let head = cd
        .get(pos..pos + CD_LEN)
        .ok_or_else(|| bad("runs past the end of the central directory"))?;
    if u32_at(head, 0) != Some(CD_SIG) {
        return Err(bad("bad signature"));
    }
    let f16 = |o| u16_at(head, o).unwrap_or(0);
    let f32 = |o| u32_at(head, o).unwrap_or(0);
    let name_len = usize::from(f16(28));
    let extra_len = usize::from(f16(30));
    let comment_len = usize::from(f16(32));
    let name_start = pos + CD_LEN;
    let extra_start = name_start + name_len;
    let next = extra_start + extra_len + comment_len;
    let name_bytes = cd
        .get(name_start..extra_start)
        .ok_or_else(|| bad("name runs past the end of the central directory"))?;
    let extra = cd
        .get(extra_start..extra_start + extra_len)
        .ok_or_else(|| bad("extra field runs past the end of the central directory"))?;
    if next > cd.len() {
        return Err(bad("comment runs past the end of the central directory"));
    }

    let mut size = u64::from(f32(24));
    let mut compressed_size = u64::from(f32(20));
    let mut local_header_offset = u64::from(f32(42));
    apply_zip64_extra(
        extra,
        &mut size,
        &mut compressed_size,
        &mut local_header_offset,
    );

    let name = match std::str::from_utf8(name_bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(name_bytes).into_owned(),
    };
    Ok((
        Entry {
            name,
            method: f16(10),
            compressed_size,
            size,
            crc32: f32(16),
            flags: f16(8),
            local_header_offset,
        },
        next,
    ))
}

/// Replace saturated 32-bit fields with the zip64 extra field's 64-bit values, which appear in
/// APPNOTE order (size, compressed size, offset) and only for the fields that are saturated.
fn apply_zip64_extra(extra: &[u8], size: &mut u64, compressed: &mut u64, offset: &mut u64) {
    if *size != u64::from(u32::MAX)
        && *compressed != u64::from(u32::MAX)
        && *offset != u64::from(u32::MAX)
    {
        return;
    }
    let mut at = 0usize;
    while let (Some(id), Some(len)) = (u16_at(extra, at), u16_at(extra, at + 2)) {
        let body_start = at + 4;
        let body_end = body_start + usize::from(len);
        let Some(body) = extra.get(body_start..body_end) else {
            return;
        };
        if id == ZIP64_EXTRA_ID {
            let mut field = 0usize;
            for value in [size, compressed, offset] {
                if *value == u64::from(u32::MAX) {
                    match u64_at(body, field) {
                        Some(v) => *value = v,
                        None => return,
                    }
                    field += 8;
                }
            }
            return;
        }
        at = body_end;
    }
}

/// Offset of an entry's data: after the LOCAL header's own name and extra lengths, which may
/// differ from the central directory's (Android reads them the same way).
pub(crate) fn data_offset(src: &Source, entry: &Entry, label: &str) -> Result<u64, ArchiveError> {
    let bad = |detail: String| ArchiveError::MalformedEntry {
        entry: format!("{label}{}", entry.name),
        detail,
    };
    let mut head = [0u8; LOCAL_LEN];
    src.read_exact_at(&mut head, entry.local_header_offset)
        .map_err(|_| {
            bad(format!(
                "local header offset {} is outside the file ({} bytes)",
                entry.local_header_offset,
                src.len()
            ))
        })?;
    if u32_at(&head, 0) != Some(LOCAL_SIG) {
        return Err(bad(format!(
            "no local file header at offset {}",
            entry.local_header_offset
        )));
    }
    let name_len = u64::from(u16_at(&head, 26).unwrap_or(0));
    let extra_len = u64::from(u16_at(&head, 28).unwrap_or(0));
    let start = entry.local_header_offset + LOCAL_LEN as u64 + name_len + extra_len;
    match start.checked_add(entry.compressed_size) {
        Some(end) if end <= src.len() => Ok(start),
        _ => Err(bad(format!(
            "{} bytes of data at offset {start} run past the end of the file ({} bytes)",
            entry.compressed_size,
            src.len()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(names: &[String]) -> Vec<u8> {
        let mut w = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for n in names {
            w.start_file(n.as_str(), ::zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut w, n.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// The end record as a search back over the whole tail finds it (the reading before the
    /// last 22 bytes were read first).
    fn end_record_by_full_search(bytes: &[u8]) -> Option<usize> {
        let start = bytes.len().saturating_sub(MAX_COMMENT + EOCD_LEN);
        (start..=bytes.len() - EOCD_LEN).rev().find(|&i| {
            u32_at(bytes, i) == Some(EOCD_SIG)
                && u16_at(bytes, i + 20)
                    .is_some_and(|c| i + EOCD_LEN + usize::from(c) <= bytes.len())
        })
    }

    #[test]
    fn the_end_record_is_found_with_and_without_a_comment() {
        let plain = zip_with(&["a.txt".to_string(), "b/c.txt".to_string()]);
        let eocd_at = plain.len() - EOCD_LEN;
        let mut shapes = vec![plain.clone()];
        for comment in [&b"hello"[..], &[b'x'; MAX_COMMENT][..], &b"PK\x05\x06"[..]] {
            let mut z = plain.clone();
            z[eocd_at + 20..eocd_at + 22]
                .copy_from_slice(&u16::try_from(comment.len()).unwrap().to_le_bytes());
            z.extend_from_slice(comment);
            shapes.push(z);
        }
        // Bytes after the declared comment are tolerated.
        let mut trailing = plain.clone();
        trailing.extend_from_slice(&[0; 7]);
        shapes.push(trailing);
        for z in shapes {
            let src = Source::memory(z.clone());
            let (record, pos) = end_record(&src, z.len() as u64).unwrap();
            let expected = end_record_by_full_search(&z).unwrap();
            assert_eq!(pos, expected as u64);
            assert_eq!(record, z[expected..expected + EOCD_LEN]);
            assert_eq!(read_directory(&src, &Limits::default()).unwrap().len(), 2);
        }
    }

    #[test]
    fn one_entry_is_found_as_the_whole_directory_lists_it() {
        // 600 records of ~75 bytes: the directory is far over the first read.
        let mut names: Vec<String> = (0..600)
            .map(|i| format!("res/drawable/icon_{i:04}.png"))
            .collect();
        for at in [0, 300, 600] {
            let mut with = names.clone();
            with.insert(at, "AndroidManifest.xml".into());
            let src = Source::memory(zip_with(&with));
            let limits = Limits::default();
            let all = read_directory(&src, &limits).unwrap();
            let found = find_entry(&src, &limits, "AndroidManifest.xml").unwrap();
            assert_eq!(found.as_ref(), all.get(at), "manifest at {at}");
            assert_eq!(find_entry(&src, &limits, "AndroidManifest").unwrap(), None);
        }
        names.truncate(3);
        let mut bytes = zip_with(&names);
        // A directory whose second record is cut short is an error, as for the full parse.
        let eocd = bytes.len() - EOCD_LEN;
        let cd_offset = u32_at(&bytes, eocd + 16).unwrap() as usize;
        let second = cd_offset + record_end(&bytes[cd_offset..], 0).unwrap();
        bytes[second..second + 4].copy_from_slice(b"XXXX");
        let src = Source::memory(bytes);
        assert!(find_entry(&src, &Limits::default(), "none").is_err());
    }

    #[test]
    fn zip64_extra_fills_only_saturated_fields_in_order() {
        let mut extra = vec![0x99, 0x99, 0, 0]; // an unrelated empty field first
        extra.extend_from_slice(&1u16.to_le_bytes());
        extra.extend_from_slice(&16u16.to_le_bytes());
        extra.extend_from_slice(&7_000_000_000u64.to_le_bytes());
        extra.extend_from_slice(&9u64.to_le_bytes());
        let (mut s, mut c, mut o) = (u64::from(u32::MAX), 100, u64::from(u32::MAX));
        apply_zip64_extra(&extra, &mut s, &mut c, &mut o);
        assert_eq!((s, c, o), (7_000_000_000, 100, 9));
    }

    #[test]
    fn truncated_zip64_extra_is_ignored() {
        let extra = [1, 0, 8, 0, 1, 2];
        let mut s = u64::from(u32::MAX);
        let (mut c, mut o) = (1, 2);
        apply_zip64_extra(&extra, &mut s, &mut c, &mut o);
        assert_eq!(s, u64::from(u32::MAX));
    }

    #[test]
    fn short_input_is_not_a_zip() {
        let src = Source::memory(b"PK\x05\x06".to_vec());
        assert!(matches!(locate_directory(&src), Err(ArchiveError::NotZip)));
    }
}
