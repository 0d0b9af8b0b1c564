//! The library's top-level error: one line naming the file and what is wrong with it, plus a
//! matchable [`ErrorKind`] so exit codes and batch records never parse the message.
//!
//! ```
//! use disclose::error::ErrorKind;
//! let e = disclose::Error::input("app.apk", "not a zip archive (no end of central directory)");
//! assert_eq!(e.to_string(), "app.apk: not a zip archive (no end of central directory)");
//! assert_eq!(e.kind(), ErrorKind::Malformed);
//! ```

use std::path::Path;

/// What kind of problem an [`Error`] is, for callers that act on it (exit codes, batch records).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The file could not be opened, read or written.
    Io,
    /// The file is readable but is not an app, SDK package or policy this tool reads.
    NotAnApp,
    /// The file passes a size, count or time limit.
    LimitExceeded,
    /// The file is of a known kind but its content is inconsistent or corrupt.
    Malformed,
    /// Signature data failed to load or validate.
    Signatures,
    /// The caller asked for something that cannot be done (bad option combination).
    Usage,
    /// A bug in this tool (a batch turns a panic into a record of this kind).
    Internal,
}

impl ErrorKind {
    /// The kebab-case name used in batch records (`io`, `not-an-app`, `limit-exceeded` …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::NotAnApp => "not-an-app",
            ErrorKind::LimitExceeded => "limit-exceeded",
            ErrorKind::Malformed => "malformed",
            ErrorKind::Signatures => "signatures",
            ErrorKind::Usage => "usage",
            ErrorKind::Internal => "internal",
        }
    }
}

/// Any error the library reports to its caller. `Display` is the one-line message the CLI prints.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input file (or a part of it) is not an app, over a limit, or malformed.
    #[error("{file}: {message}")]
    Input {
        file: String,
        kind: ErrorKind,
        message: String,
    },
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
    /// A malformed-input error about `file`.
    pub fn input(file: impl AsRef<Path>, message: impl std::fmt::Display) -> Self {
        Error::of_kind(file, ErrorKind::Malformed, message)
    }

    /// `file` is not an app, SDK package or policy this tool reads.
    pub fn not_an_app(file: impl AsRef<Path>, message: impl std::fmt::Display) -> Self {
        Error::of_kind(file, ErrorKind::NotAnApp, message)
    }

    /// `file` passes a size, count or time limit.
    pub fn limit(file: impl AsRef<Path>, message: impl std::fmt::Display) -> Self {
        Error::of_kind(file, ErrorKind::LimitExceeded, message)
    }

    /// An input error of `kind` about `file`.
    pub fn of_kind(
        file: impl AsRef<Path>,
        kind: ErrorKind,
        message: impl std::fmt::Display,
    ) -> Self {
        Error::Input {
            file: file.as_ref().display().to_string(),
            kind,
            message: message.to_string(),
        }
    }

    /// An archive error on `file`, classified (limits, not a zip, malformed, I/O).
    pub fn archive(file: impl AsRef<Path>, e: crate::archive::ArchiveError) -> Self {
        use crate::archive::ArchiveError as A;
        let kind = archive_kind(&e);
        match e {
            A::Io(source) => Error::io(file, source),
            other => Error::of_kind(file, kind, other),
        }
    }

    /// An I/O error on `file`.
    pub fn io(file: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            file: file.as_ref().display().to_string(),
            source,
        }
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Input { kind, .. } => *kind,
            Error::Io { .. } => ErrorKind::Io,
            Error::Signatures(_) => ErrorKind::Signatures,
            Error::Usage(_) => ErrorKind::Usage,
        }
    }
}

fn archive_kind(e: &crate::archive::ArchiveError) -> ErrorKind {
    use crate::archive::ArchiveError as A;
    match e {
        A::Io(_) => ErrorKind::Io,
        A::NotZip => ErrorKind::NotAnApp,
        A::TooManyEntries { .. }
        | A::EntryTooLarge { .. }
        | A::TotalTooLarge { .. }
        | A::RatioExceeded { .. } => ErrorKind::LimitExceeded,
        A::Split { source, .. } => archive_kind(source),
        _ => ErrorKind::Malformed,
    }
}

impl From<crate::policy::PolicyError> for Error {
    fn from(e: crate::policy::PolicyError) -> Self {
        use crate::policy::PolicyError as P;
        match e {
            P::Io { file, message } => Error::Input {
                file,
                kind: ErrorKind::Io,
                message: format!("cannot read policy: {message}"),
            },
            P::TooLarge { ref file, .. } => Error::limit(file.clone(), strip_file(&e, file)),
            P::NotText { ref file, .. }
            | P::Pdf { ref file }
            | P::UnknownEncoding { ref file, .. } => {
                Error::not_an_app(file.clone(), strip_file(&e, file))
            }
            P::Vocabulary { message } => Error::Signatures(format!("policy vocabulary: {message}")),
        }
    }
}

/// The message of `e` without its leading `file: ` (the [`Error`] adds it back).
fn strip_file(e: &impl std::fmt::Display, file: &str) -> String {
    let text = e.to_string();
    text.strip_prefix(file)
        .and_then(|r| r.strip_prefix(": "))
        .map_or_else(|| text.clone(), str::to_string)
}
