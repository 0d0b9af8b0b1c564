//! The library's top-level error: one line naming the file and what is wrong with it.
//!
//! ```
//! let e = disclose::Error::input("app.apk", "not a zip archive (no end of central directory)");
//! assert_eq!(e.to_string(), "app.apk: not a zip archive (no end of central directory)");
//! ```

use std::path::Path;

/// Any error the library reports to its caller. `Display` is the one-line message the CLI prints.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input file (or a part of it) is unreadable or malformed.
    #[error("{file}: {message}")]
    Input { file: String, message: String },
    /// The file could not be opened or read from disk.
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    /// Signature data failed to load or validate.
    #[error("signatures: {0}")]
    Signatures(String),
    /// The caller asked for something that cannot be done (bad option combination).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// An input error about `file`.
    pub fn input(file: impl AsRef<Path>, message: impl std::fmt::Display) -> Self {
        Error::Input {
            file: file.as_ref().display().to_string(),
            message: message.to_string(),
        }
    }

    /// An I/O error on `file`.
    pub fn io(file: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            file: file.as_ref().display().to_string(),
            source,
        }
    }
}
