//! Opening what the user names as an input, and telling what it is ([`Format`], the one
//! sniffer): a regular file (read in place, with positional
//! reads), a directory, or a stream — standard input (`-`), a FIFO, a character device such as
//! `/dev/zero` — which is read into memory with a hard byte cap, so no input hangs on a FIFO
//! without a writer or fills memory from an endless device.
//!
//! ```
//! use disclose::input::{kind, InputKind};
//! assert_eq!(kind("-".as_ref()).unwrap(), InputKind::Stream);
//! assert_eq!(kind(".".as_ref()).unwrap(), InputKind::Directory);
//! let bytes = disclose::input::read_bounded("/dev/zero".as_ref(), 1024);
//! assert_eq!(bytes.unwrap_err().kind(), disclose::error::ErrorKind::LimitExceeded);
//! let refused = disclose::input::read_bounded_checked("/dev/zero".as_ref(), 1 << 30, 4, |head| {
//!     if head == b"PK\x03\x04" { Ok(()) } else { Err(disclose::Error::not_an_app("/dev/zero", "not a zip")) }
//! });
//! assert_eq!(refused.unwrap_err().kind(), disclose::error::ErrorKind::NotAnApp);
//! ```

mod aab;
mod format;
mod split_set;

pub use aab::{bundletool_version, AndroidLayout, BundleInfo, EntryRole};
pub use format::{Format, NOT_A_PACKAGE, NOT_A_PACKAGE_ZIP};
pub use split_set::{
    apk_identity, group_apk_files, group_apks, split_set_in, ApkGroup, ApkIdentity, FolderApks,
};

use crate::Error;
use std::io::{ErrorKind as IoKind, Read};
use std::path::Path;
use std::time::Duration;

/// The name that means standard input.
pub const STDIN: &str = "-";

/// What an input path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A regular file: read in place, as often as needed.
    Regular,
    /// A directory (an unpacked `.framework` or `.xcframework`).
    Directory,
    /// Standard input, a FIFO, a socket or a device: read once, into memory, up to a cap.
    Stream,
}

/// Whether `path` is standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN
}

/// What `path` names (it must exist, unless it is `-`).
pub fn kind(path: &Path) -> Result<InputKind, Error> {
    if is_stdin(path) {
        return Ok(InputKind::Stream);
    }
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    Ok(if meta.is_dir() {
        InputKind::Directory
    } else if meta.is_file() {
        InputKind::Regular
    } else {
        InputKind::Stream
    })
}

/// Read all of `path` (a file, stream or `-`) into memory; more than `cap` bytes is a
/// limit error naming the file. A FIFO is opened without waiting for a writer: with none, it
/// reads as empty.
pub fn read_bounded(path: &Path, cap: u64) -> Result<Vec<u8>, Error> {
    read_bounded_checked(path, cap, 0, |_| Ok(()))
}

/// [`read_bounded`], but the first `head` bytes (fewer at the end of the stream) go to `check`
/// before the rest is read: a stream that is clearly not what is wanted (`/dev/zero` as an
/// app) is refused at once instead of after `cap` bytes.
pub fn read_bounded_checked(
    path: &Path,
    cap: u64,
    head: usize,
    check: impl FnOnce(&[u8]) -> Result<(), Error>,
) -> Result<Vec<u8>, Error> {
    if is_stdin(path) {
        return read_capped(path, std::io::stdin().lock(), cap, head, check);
    }
    let file = open_no_wait(path).map_err(|e| Error::io(path, e))?;
    read_capped(path, Patient(file), cap, head, check)
}

/// Open for reading without blocking on a FIFO that has no writer yet.
fn open_no_wait(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// A non-blocking reader that waits (briefly sleeping) instead of failing with `WouldBlock`.
struct Patient(std::fs::File);

impl Read for Patient {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            match self.0.read(buf) {
                Err(e) if e.kind() == IoKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                other => return other,
            }
        }
    }
}

fn read_capped(
    path: &Path,
    reader: impl Read,
    cap: u64,
    head: usize,
    check: impl FnOnce(&[u8]) -> Result<(), Error>,
) -> Result<Vec<u8>, Error> {
    let mut reader = reader.take(cap.saturating_add(1));
    let mut bytes = Vec::new();
    (&mut reader)
        .take(head as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    check(&bytes)?;
    // Room for the whole cap at once: the pages are only used as bytes arrive, and no copy is
    // ever made while growing (doubling would hold 1.5× the cap at its last step).
    let limit = usize::try_from(cap).unwrap_or(usize::MAX);
    if bytes
        .try_reserve_exact(limit.saturating_sub(bytes.len()))
        .is_err()
    {
        return Err(Error::limit(
            path,
            format!("cannot reserve {cap} bytes of memory"),
        ));
    }
    let mut chunk = vec![0u8; 1 << 20];
    let mut over = bytes.len() as u64 > cap;
    while !over {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == IoKind::Interrupted => continue,
            Err(e) => return Err(Error::io(path, e)),
        };
        if (bytes.len() + n) as u64 > cap {
            over = true;
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
    if over {
        return Err(Error::limit(
            path,
            format!(
                "more than {cap} bytes (a stream or device is read into memory up to this limit)"
            ),
        ));
    }
    Ok(bytes)
}
