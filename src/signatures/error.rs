//! The one error type of signature loading, validation and example checks: a file and a
//! one-line message naming the entry and field.
//!
//! ```
//! use disclose::signatures::SignatureError;
//! let e = SignatureError::new("signatures/sdks/amap.toml", "line 9: unknown field `pakages`");
//! assert_eq!(e.to_string(), "signatures/sdks/amap.toml: line 9: unknown field `pakages`");
//! ```

/// A problem in one signature file. `Display` is one line: `FILE: MESSAGE`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct SignatureError {
    /// The file as the user knows it (`signatures/sdks/amap.toml` or `DIR/sdks/amap.toml`).
    pub file: String,
    /// What is wrong, naming the entry and the field; never contains a newline.
    pub message: String,
}

impl SignatureError {
    /// An error about `file`; newlines in `message` are folded into spaces.
    pub fn new(file: impl Into<String>, message: impl std::fmt::Display) -> Self {
        let message = message.to_string();
        let message = if message.contains(['\n', '\r']) {
            message.split_whitespace().collect::<Vec<_>>().join(" ")
        } else {
            message
        };
        SignatureError {
            file: file.into(),
            message,
        }
    }
}

impl From<SignatureError> for crate::Error {
    fn from(e: SignatureError) -> Self {
        crate::Error::Signatures(e.to_string())
    }
}
