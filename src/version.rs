//! The versions a result depends on — the tool's and the signature data's — so a report can be
//! reproduced: `--version`, JSON and SARIF reports, the HTML footer and batch records name both.
//! The data version is the number of SDK files and a 64-bit FNV-1a hash of every signature
//! file's path and text, so it changes with any edit and is the same on every machine.
//!
//! ```
//! let data = disclose::version::DataVersion::builtin();
//! assert_eq!(data.hash.len(), 16);
//! assert!(data.to_string().starts_with(&format!("{} SDKs #", data.sdks)));
//! ```

use crate::signatures::SignatureSources;
use serde::{Deserialize, Serialize};

/// This build's version (`Cargo.toml`).
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Which signature data produced a result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataVersion {
    /// SDK files (`sdks/*.toml`) in the set.
    pub sdks: usize,
    /// FNV-1a 64 of every file's relative path and text, in path order (16 hex digits).
    pub hash: String,
}

impl DataVersion {
    /// The version of `sources`.
    pub fn of_sources(sources: &SignatureSources) -> DataVersion {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut sdks = 0;
        for (rel, file) in sources.iter() {
            if rel.starts_with("sdks/") {
                sdks += 1;
            }
            for part in [rel.as_bytes(), b"\0", file.text.as_bytes(), b"\0"] {
                for &b in part {
                    hash ^= u64::from(b);
                    hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
                }
            }
        }
        DataVersion {
            sdks,
            hash: format!("{hash:016x}"),
        }
    }

    /// The version of the data compiled into the binary.
    pub fn builtin() -> DataVersion {
        DataVersion::of_sources(&SignatureSources::builtin())
    }
}

impl std::fmt::Display for DataVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} SDKs #{}", self.sdks, self.hash)
    }
}

/// The tool that wrote a report, as reports carry it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
    pub signatures: DataVersion,
}

impl ToolInfo {
    /// This build with the signature data `signatures`.
    pub fn new(signatures: DataVersion) -> ToolInfo {
        ToolInfo {
            name: "disclose".to_string(),
            version: TOOL_VERSION.to_string(),
            signatures,
        }
    }
}

impl std::fmt::Display for ToolInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}, signatures {}",
            self.name, self.version, self.signatures
        )
    }
}
