//! Where signature files come from: the set compiled into the binary (see `build.rs`), a
//! directory given with `--signatures DIR`, or both.
//!
//! Override rule for `--signatures DIR` ([`SignatureSources::overlay`]): every file in DIR
//! replaces the built-in file with the same path relative to the signatures root, and files the
//! built-in set lacks are added. So `DIR/taxonomy.toml` or `DIR/android-apis.toml` replace the
//! whole built-in file, `DIR/sdks/amap.toml` replaces only the built-in AMap entry, and
//! `DIR/sdks/new-sdk.toml` adds an SDK; every other built-in file stays. A built-in entry
//! cannot be deleted this way; use [`SignatureSources::read_dir`] alone for a set made only of
//! DIR.
//!
//! ```
//! use disclose::signatures::SignatureSources;
//! let mut sources = SignatureSources::default();
//! sources.insert("sdks/demo.toml", "/tmp/x/sdks/demo.toml", "id = \"demo\"".to_string());
//! assert!(sources.get("sdks/demo.toml").is_some());
//! assert!(sources.get("taxonomy.toml").is_none());
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use super::SignatureError;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_signatures.rs"));
}

/// The single files a signature root may hold, besides `sdks/*.toml` and `packers/*.toml`.
pub const SINGLE_FILES: [&str; 11] = [
    "taxonomy.toml",
    "fixes.toml",
    "libraries.toml",
    "android-apis.toml",
    "android-permissions.toml",
    "ios-apis.toml",
    "ios-plist-keys.toml",
    "ios-required-reason.toml",
    "ios-privacy-manifest.toml",
    "draft-wording.toml",
    "data-safety.toml",
];

/// The directories holding one file per SDK or packer.
pub const ENTRY_DIRS: [&str; 2] = ["sdks", "packers"];

/// The directory holding one SDK fingerprint per file (`fingerprints/<sdk>.toml`, see
/// [`crate::fingerprint::file`]); `--signatures DIR` reads `DIR/fingerprints/` too.
pub const FINGERPRINT_DIR: &str = "fingerprints";

/// One signature file's text and the path to name in errors.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path shown to the user (`signatures/sdks/amap.toml`, `DIR/sdks/amap.toml`).
    pub origin: String,
    pub text: Cow<'static, str>,
}

/// Signature files keyed by their path relative to the signatures root (`sdks/amap.toml`),
/// always with `/` separators.
#[derive(Debug, Clone, Default)]
pub struct SignatureSources {
    files: BTreeMap<String, SourceFile>,
}

impl SignatureSources {
    /// The files compiled into the binary from the repository's `signatures/`.
    pub fn builtin() -> SignatureSources {
        let files = builtin::BUILTIN_FILES
            .iter()
            .chain(crate::fingerprint::builtin_files())
            .map(|&(rel, text)| {
                let file = SourceFile {
                    origin: format!("signatures/{rel}"),
                    text: Cow::Borrowed(text),
                };
                (rel.to_string(), file)
            })
            .collect();
        SignatureSources { files }
    }

    /// Reads the signature files of `dir`: the [`SINGLE_FILES`] that exist and every `*.toml`
    /// in `sdks/` and `packers/`. Any other `*.toml` at the top level is an error (a misspelt
    /// file name must not be silently ignored).
    pub fn read_dir(dir: &Path) -> Result<SignatureSources, SignatureError> {
        let origin = |rel: &str| dir.join(rel).display().to_string();
        let io_err = |rel: &str, e: std::io::Error| SignatureError::new(origin(rel), e);
        let mut sources = SignatureSources::default();
        let top = std::fs::read_dir(dir).map_err(|e| io_err("", e))?;
        let mut names = Vec::new();
        for entry in top {
            let entry = entry.map_err(|e| io_err("", e))?;
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
        names.sort();
        for name in &names {
            if !name.ends_with(".toml") {
                continue;
            }
            if !SINGLE_FILES.contains(&name.as_str()) {
                return Err(SignatureError::new(
                    origin(name),
                    format!("unknown signature file (expected one of {}, or sdks/*.toml, packers/*.toml, fingerprints/*.toml)", SINGLE_FILES.join(", ")),
                ));
            }
            let text = std::fs::read_to_string(dir.join(name)).map_err(|e| io_err(name, e))?;
            sources.insert(name, origin(name), text);
        }
        for sub in ENTRY_DIRS.into_iter().chain([FINGERPRINT_DIR]) {
            let entries = match std::fs::read_dir(dir.join(sub)) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io_err(sub, e)),
            };
            for entry in entries {
                let entry = entry.map_err(|e| io_err(sub, e))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.ends_with(".toml") {
                    continue;
                }
                let rel = format!("{sub}/{name}");
                let text = std::fs::read_to_string(entry.path()).map_err(|e| io_err(&rel, e))?;
                sources.insert(&rel, origin(&rel), text);
            }
        }
        read_language_dirs(dir, &mut sources)?;
        Ok(sources)
    }

    /// The built-in files overlaid with the files of `dir` (see the module docs for the rule).
    pub fn builtin_with_dir(dir: &Path) -> Result<SignatureSources, SignatureError> {
        let mut sources = SignatureSources::builtin();
        sources.overlay(SignatureSources::read_dir(dir)?);
        Ok(sources)
    }

    /// Adds or replaces one file.
    pub fn insert(&mut self, rel: &str, origin: impl Into<String>, text: String) {
        let file = SourceFile {
            origin: origin.into(),
            text: Cow::Owned(text),
        };
        self.files.insert(rel.replace('\\', "/"), file);
    }

    /// Every file of `other` replaces the file with the same relative path here.
    pub fn overlay(&mut self, other: SignatureSources) {
        self.files.extend(other.files);
    }

    /// The file at `rel` (`taxonomy.toml`, `sdks/amap.toml`).
    pub fn get(&self, rel: &str) -> Option<&SourceFile> {
        self.files.get(rel)
    }

    /// All files in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &SourceFile)> {
        self.files.iter().map(|(rel, file)| (rel.as_str(), file))
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when there is no file at all.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Adds `dir/language/<lang>/*.toml` (the policy reader's language knowledge).
fn read_language_dirs(dir: &Path, sources: &mut SignatureSources) -> Result<(), SignatureError> {
    let root = dir.join("language");
    let langs = match std::fs::read_dir(&root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(SignatureError::new(root.display().to_string(), e)),
    };
    for lang in langs {
        let lang = lang.map_err(|e| SignatureError::new(root.display().to_string(), e))?;
        if !lang.path().is_dir() {
            continue;
        }
        let code = lang.file_name().to_string_lossy().into_owned();
        let files = std::fs::read_dir(lang.path())
            .map_err(|e| SignatureError::new(lang.path().display().to_string(), e))?;
        for file in files {
            let file =
                file.map_err(|e| SignatureError::new(lang.path().display().to_string(), e))?;
            let name = file.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".toml") {
                continue;
            }
            let rel = format!("language/{code}/{name}");
            let origin = dir.join(&rel).display().to_string();
            let text = std::fs::read_to_string(file.path())
                .map_err(|e| SignatureError::new(origin.clone(), e))?;
            sources.insert(&rel, origin, text);
        }
    }
    Ok(())
}
