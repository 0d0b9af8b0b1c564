//! Where an archive's bytes live: a file read with positional reads, an in-memory buffer, or a
//! sub-range of either (a stored APK inside an `.xapk`). All reads take `&self`, so one source
//! serves many threads at once.
//!
//! ```
//! # use disclose::archive::Archive;
//! // An empty zip: just the end-of-central-directory record.
//! let mut eocd = b"PK\x05\x06".to_vec();
//! eocd.resize(22, 0);
//! let a = Archive::from_bytes("empty.zip", eocd, Default::default())?;
//! assert_eq!(a.file_size(), 22);
//! # Ok::<(), disclose::archive::ArchiveError>(())
//! ```

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::fs::FileExt;
use std::sync::Arc;

#[derive(Debug)]
enum Backing {
    File(File),
    Memory(Vec<u8>),
}

/// A window `[start, start + len)` onto a file or buffer.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    backing: Arc<Backing>,
    start: u64,
    len: u64,
}

impl Source {
    pub(crate) fn file(file: File) -> io::Result<Self> {
        let len = file.metadata()?.len();
        Ok(Source {
            backing: Arc::new(Backing::File(file)),
            start: 0,
            len,
        })
    }

    pub(crate) fn memory(bytes: Vec<u8>) -> Self {
        let len = bytes.len() as u64;
        Source {
            backing: Arc::new(Backing::Memory(bytes)),
            start: 0,
            len,
        }
    }

    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// `[offset, offset + len)` of this source as a source of its own, if it lies inside.
    pub(crate) fn sub_range(&self, offset: u64, len: u64) -> Option<Source> {
        let end = offset.checked_add(len)?;
        (end <= self.len).then(|| Source {
            backing: Arc::clone(&self.backing),
            start: self.start + offset,
            len,
        })
    }

    fn check(&self, offset: u64, len: u64) -> io::Result<u64> {
        match offset.checked_add(len) {
            Some(end) if end <= self.len => Ok(self.start + offset),
            _ => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "{len} bytes at offset {offset} run past the end ({} bytes)",
                    self.len
                ),
            )),
        }
    }

    /// Fill `buf` from `offset`; an error when the range leaves the source.
    pub(crate) fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        let at = self.check(offset, buf.len() as u64)?;
        match &*self.backing {
            Backing::File(f) => f.read_exact_at(buf, at),
            Backing::Memory(m) => {
                let from = usize::try_from(at).map_err(io::Error::other)?;
                let bytes = m
                    .get(from..from + buf.len())
                    .ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
                buf.copy_from_slice(bytes);
                Ok(())
            }
        }
    }

    /// A buffered reader over `[offset, offset + len)`: borrowed directly for memory, 64 KiB
    /// positional reads for a file.
    pub(crate) fn reader(&self, offset: u64, len: u64) -> io::Result<RangeReader<'_>> {
        let at = self.check(offset, len)?;
        Ok(match &*self.backing {
            Backing::File(file) => RangeReader::File(BufReader::with_capacity(
                len.clamp(1, 64 << 10) as usize,
                FileRange {
                    file,
                    pos: at,
                    end: at + len,
                },
            )),
            Backing::Memory(m) => {
                let from = usize::try_from(at).map_err(io::Error::other)?;
                let to = usize::try_from(at + len).map_err(io::Error::other)?;
                RangeReader::Memory(
                    m.get(from..to)
                        .ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?,
                )
            }
        })
    }
}

/// Positional reads over a byte range of a file.
#[derive(Debug)]
pub(crate) struct FileRange<'a> {
    file: &'a File,
    pos: u64,
    end: u64,
}

impl Read for FileRange<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = usize::try_from(self.end - self.pos).unwrap_or(usize::MAX);
        let want = buf.len().min(left);
        if want == 0 {
            return Ok(0);
        }
        let n = self.file.read_at(&mut buf[..want], self.pos)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "file shrank while reading",
            ));
        }
        self.pos += n as u64;
        Ok(n)
    }
}

/// A [`BufRead`] over one byte range of a [`Source`].
#[derive(Debug)]
pub(crate) enum RangeReader<'a> {
    Memory(&'a [u8]),
    File(BufReader<FileRange<'a>>),
}

impl Read for RangeReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            RangeReader::Memory(m) => m.read(buf),
            RangeReader::File(f) => f.read(buf),
        }
    }
}

impl BufRead for RangeReader<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self {
            RangeReader::Memory(m) => Ok(m),
            RangeReader::File(f) => f.fill_buf(),
        }
    }

    fn consume(&mut self, amt: usize) {
        match self {
            RangeReader::Memory(m) => m.consume(amt),
            RangeReader::File(f) => f.consume(amt),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_range_reads_inside_and_refuses_outside() {
        let s = Source::memory(b"0123456789".to_vec());
        let sub = s.sub_range(2, 5).unwrap();
        let mut b = [0u8; 3];
        sub.read_exact_at(&mut b, 2).unwrap();
        assert_eq!(&b, b"456");
        assert!(sub.read_exact_at(&mut b, 3).is_err());
        assert!(s.sub_range(8, 3).is_none());
        assert!(s.sub_range(u64::MAX, 2).is_none());
        let mut all = Vec::new();
        sub.reader(1, 4).unwrap().read_to_end(&mut all).unwrap();
        assert_eq!(all, b"3456");
        assert!(sub.reader(1, 5).is_err());
    }

    #[test]
    fn file_range_reads_positionally() {
        let mut f = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut f, b"abcdefghij").unwrap();
        let s = Source::file(f).unwrap().sub_range(1, 8).unwrap();
        let mut all = String::new();
        s.reader(2, 5).unwrap().read_to_string(&mut all).unwrap();
        assert_eq!(all, "defgh");
    }
}
