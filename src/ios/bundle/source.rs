//! Where bundle files come from: a directory on disk (a `.framework`, `.xcframework` or `.app`
//! directory an auditor points at), an in-memory map (tests, small zips already inflated), or,
//! implemented outside this module, the IPA's zip archive.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::BundleError;

/// Most files a directory source lists before giving up (an SDK folder has hundreds).
pub const MAX_DIRECTORY_ENTRIES: usize = 200_000;
/// Deepest directory nesting a directory source descends into.
pub const MAX_DIRECTORY_DEPTH: usize = 32;

/// A tree of files addressed by `/`-separated relative paths, read with a size cap.
///
/// Object-safe and `Sync`, so executables can be loaded from it in parallel.
pub trait BundleSource: Sync {
    /// Every file (not directory) path, `/`-separated, in any order.
    fn paths(&self) -> Vec<String>;
    /// The bytes of `path`; [`BundleError::TooLarge`] when the file holds more than `max` bytes,
    /// [`BundleError::Missing`] when there is no such file.
    fn read(&self, path: &str, max: u64) -> Result<Vec<u8>, BundleError>;
}

/// Files held in memory, keyed by path.
#[derive(Debug, Clone, Default)]
pub struct MemorySource {
    files: BTreeMap<String, Vec<u8>>,
}

impl MemorySource {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a file.
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }
}

impl FromIterator<(String, Vec<u8>)> for MemorySource {
    fn from_iter<T: IntoIterator<Item = (String, Vec<u8>)>>(iter: T) -> Self {
        MemorySource {
            files: iter.into_iter().collect(),
        }
    }
}

impl BundleSource for MemorySource {
    fn paths(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }

    fn read(&self, path: &str, max: u64) -> Result<Vec<u8>, BundleError> {
        let bytes = self.files.get(path).ok_or_else(|| BundleError::Missing {
            path: path.to_owned(),
        })?;
        if bytes.len() as u64 > max {
            return Err(BundleError::TooLarge {
                path: path.to_owned(),
                size: bytes.len() as u64,
                max,
            });
        }
        Ok(bytes.clone())
    }
}

/// A directory on disk. Paths start with the directory's own name, so a source opened on
/// `…/ios/Bugly.framework` lists `Bugly.framework/Bugly`, `Bugly.framework/Headers/…`, and the
/// layout finder sees the `.framework` suffix.
///
/// Symbolic links to files are listed (macOS frameworks link `Versions/Current/X`); links to
/// directories are not followed, so a link cycle cannot make the walk loop.
#[derive(Debug, Clone)]
pub struct DirectorySource {
    /// The directory that holds the opened one; paths are relative to it.
    base: PathBuf,
    paths: Vec<String>,
}

impl DirectorySource {
    /// Lists the files under `dir` (bounded by [`MAX_DIRECTORY_ENTRIES`] and
    /// [`MAX_DIRECTORY_DEPTH`]).
    pub fn open(dir: &Path) -> Result<Self, BundleError> {
        let io = |e: std::io::Error, p: &Path| BundleError::Io {
            path: p.display().to_string(),
            message: e.to_string(),
        };
        let meta = std::fs::metadata(dir).map_err(|e| io(e, dir))?;
        if !meta.is_dir() {
            return Err(BundleError::Io {
                path: dir.display().to_string(),
                message: "not a directory".to_owned(),
            });
        }
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| BundleError::Io {
                path: dir.display().to_string(),
                message: "directory name is not UTF-8".to_owned(),
            })?
            .to_owned();
        let base = dir.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut paths = Vec::new();
        let mut pending = vec![(dir.to_path_buf(), name, 0usize)];
        while let Some((disk, rel, depth)) = pending.pop() {
            for entry in std::fs::read_dir(&disk).map_err(|e| io(e, &disk))? {
                let entry = entry.map_err(|e| io(e, &disk))?;
                let Some(file_name) = entry.file_name().to_str().map(str::to_owned) else {
                    continue;
                };
                let child_rel = format!("{rel}/{file_name}");
                let kind = entry.file_type().map_err(|e| io(e, &entry.path()))?;
                if kind.is_dir() {
                    if depth + 1 < MAX_DIRECTORY_DEPTH {
                        pending.push((entry.path(), child_rel, depth + 1));
                    }
                } else if kind.is_file()
                    || (kind.is_symlink()
                        && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()))
                {
                    paths.push(child_rel);
                    if paths.len() > MAX_DIRECTORY_ENTRIES {
                        return Err(BundleError::TooManyFiles {
                            max: MAX_DIRECTORY_ENTRIES,
                        });
                    }
                }
            }
        }
        paths.sort();
        Ok(DirectorySource { base, paths })
    }
}

impl BundleSource for DirectorySource {
    fn paths(&self) -> Vec<String> {
        self.paths.clone()
    }

    fn read(&self, path: &str, max: u64) -> Result<Vec<u8>, BundleError> {
        // Only listed paths are readable: no `..`, no absolute paths.
        if self
            .paths
            .binary_search_by(|p| p.as_str().cmp(path))
            .is_err()
        {
            return Err(BundleError::Missing {
                path: path.to_owned(),
            });
        }
        let disk = self.base.join(path);
        let io = |e: std::io::Error| BundleError::Io {
            path: path.to_owned(),
            message: e.to_string(),
        };
        let file = std::fs::File::open(&disk).map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        if size > max {
            return Err(BundleError::TooLarge {
                path: path.to_owned(),
                size,
                max,
            });
        }
        let mut bytes = Vec::with_capacity(size as usize);
        file.take(max).read_to_end(&mut bytes).map_err(io)?;
        Ok(bytes)
    }
}
