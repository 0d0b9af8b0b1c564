//! Which files a batch reads: a directory walked recursively (`.apk .apks .xapk .apkm .aab .ipa`), one app
//! file, or a list file (one path per line, or CSV `path,policy` with an optional header); and
//! which of them belong to a shard. Split APKs pulled from a device — a base APK and the APKs
//! whose manifest names it as their package with a `split` attribute, whatever the files are
//! called (`base.apk split_*.apk`, `com.x-1.apk split_config.arm64_v8a.apk`) — are one input
//! (one record), keyed by the base ([`crate::input::group_apk_files`]).
//!
//! ```
//! use disclose::batch::inputs::Shard;
//! let shard: Shard = "2/7".parse().unwrap();
//! assert_eq!((shard.index, shard.count), (1, 7));
//! assert!("7/7".parse::<Shard>().is_ok());
//! assert!("0/7".parse::<Shard>().is_err());
//! ```

use crate::input::{group_apk_files, Format};
use crate::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// One file to process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// The path relative to INPUT (directory) or as written in the list: the shard key.
    pub key: String,
    /// The policy named in a CSV list's second column.
    pub policy: Option<PathBuf>,
    /// The other split APKs of the app whose base is `path` (split APKs of its package
    /// beside it), in name order; empty for a single file.
    pub splits: Vec<PathBuf>,
}

impl Input {
    /// Every file of the input: `path`, then its splits.
    pub fn files(&self) -> Vec<PathBuf> {
        std::iter::once(self.path.clone())
            .chain(self.splits.iter().cloned())
            .collect()
    }
}

/// `--shard K/N`: K is 1-based (1 ≤ K ≤ N, `1/3 … 3/3`), as jest, Playwright and nextest
/// count; a Kubernetes indexed Job passes `$((JOB_COMPLETION_INDEX+1))/N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 0-based: K − 1.
    pub index: u64,
    pub count: u64,
}

impl FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("bad shard '{s}': expected K/N with 1 <= K <= N (K is 1-based)");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || k == 0 || k > count {
            return Err(bad());
        }
        Ok(Shard {
            index: k - 1,
            count,
        })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index + 1, self.count)
    }
}

impl Shard {
    /// Whether the input with this key belongs to the shard (a stable FNV-1a hash of the key,
    /// the same on every machine and Rust version).
    pub fn contains(&self, key: &str) -> bool {
        fnv1a(key.as_bytes()) % self.count == self.index
    }
}

/// 64-bit FNV-1a.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Whether `path` has an app extension (case-insensitive; see [`Format::by_extension`]).
pub fn is_app_file(path: &Path) -> bool {
    Format::by_extension(path).is_some()
}

/// Every input under `input`, in a deterministic order (sorted by key).
pub fn collect(input: &Path) -> Result<Vec<Input>, Error> {
    let meta = fs::metadata(input).map_err(|e| Error::io(input, e))?;
    let mut out = if meta.is_dir() {
        let mut out = Vec::new();
        walk(input, "", &mut out)?;
        out
    } else if is_app_file(input) {
        let key = input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        vec![Input {
            path: input.to_path_buf(),
            key,
            policy: None,
            splits: Vec::new(),
        }]
    } else {
        read_list(input)?
    };
    out.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(out)
}

/// Recursive walk; symlinks to files are followed, symlinks to directories are not (no loops).
/// In a folder, split APKs join the input of their package's base APK beside them.
fn walk(dir: &Path, prefix: &str, out: &mut Vec<Input>) -> Result<(), Error> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut here = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let key = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let file_type = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if file_type.is_dir() {
            walk(&path, &key, out)?;
        } else if is_app_file(&path) && fs::metadata(&path).map(|m| m.is_file()).unwrap_or(true) {
            // A dangling symlink stays in the list: it becomes an error record.
            here.push(Input {
                path,
                key,
                policy: None,
                splits: Vec::new(),
            });
        }
    }
    out.extend(group_splits(here));
    Ok(())
}

/// The inputs of one folder with split APKs folded into the base APK of their package. Only
/// folders with two `.apk` files or more are looked into (their manifests are read).
fn group_splits(here: Vec<Input>) -> Vec<Input> {
    let is_apk = |i: &Input| {
        i.path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("apk"))
    };
    let (apks, mut rest): (Vec<Input>, Vec<Input>) = here.into_iter().partition(is_apk);
    if apks.len() < 2 {
        rest.extend(apks);
        return rest;
    }
    let mut by_path: std::collections::HashMap<PathBuf, Input> =
        apks.into_iter().map(|i| (i.path.clone(), i)).collect();
    let mut paths: Vec<PathBuf> = by_path.keys().cloned().collect();
    paths.sort();
    for group in group_apk_files(paths) {
        if let Some(mut base) = by_path.remove(&group.base) {
            base.splits = group.splits;
            rest.push(base);
        }
    }
    rest
}

/// A list file: one path per line, or CSV `path,policy` (header `path,…` optional). Blank
/// lines and lines starting with `#` are skipped; relative paths are relative to the list.
fn read_list(list: &Path) -> Result<Vec<Input>, Error> {
    let text = fs::read_to_string(list).map_err(|e| Error::io(list, e))?;
    let base = list.parent().unwrap_or(Path::new(""));
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields =
            split_csv(line).map_err(|e| Error::input(list, format!("line {}: {e}", n + 1)))?;
        let path = fields.first().map(|s| s.trim()).unwrap_or("");
        if n == 0 && path.eq_ignore_ascii_case("path") {
            continue;
        }
        if path.is_empty() {
            return Err(Error::input(list, format!("line {}: empty path", n + 1)));
        }
        let policy = fields
            .get(1)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(|p| base.join(p));
        out.push(Input {
            path: base.join(path),
            key: path.to_string(),
            policy,
            splits: Vec::new(),
        });
    }
    Ok(out)
}

/// Split one CSV line: fields separated by commas, optionally in double quotes (`""` is a
/// quote inside a quoted field).
fn split_csv(line: &str) -> Result<Vec<String>, &'static str> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.trim().is_empty() && !was_quoted => {
                field.clear();
                quoted = true;
                was_quoted = true;
            }
            (false, ',') => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err("unterminated quoted field");
    }
    fields.push(field);
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_with_quotes() {
        assert_eq!(split_csv("a.apk,p.txt").unwrap(), ["a.apk", "p.txt"]);
        assert_eq!(
            split_csv("\"x, y.apk\",\"p \"\"1\"\".txt\"").unwrap(),
            ["x, y.apk", "p \"1\".txt"]
        );
        assert!(split_csv("\"open").is_err());
    }

    #[test]
    fn shards_partition_keys() {
        let keys: Vec<String> = (0..100).map(|i| format!("dir/app{i}.apk")).collect();
        for n in [1u64, 3, 7] {
            let mut seen = 0;
            for k in 0..n {
                let shard = Shard { index: k, count: n };
                seen += keys.iter().filter(|key| shard.contains(key)).count();
            }
            assert_eq!(seen, keys.len());
        }
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
