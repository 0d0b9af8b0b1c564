//! `disclose --version`: the tool version, and with `--version` (long) the signature data
//! version too (SDK count and content hash), so a result can be reproduced.
//!
//! Example: `disclose --version` → `disclose 0.1.0` / `signatures: 561 SDKs #…`.

/// `-V`: the tool version.
pub const SHORT: &str = disclose::version::TOOL_VERSION;

/// `--version`: the tool version and the built-in signature data version.
pub fn long() -> String {
    format!(
        "{}\nsignatures: {} (built in; --signatures DIR changes it)",
        disclose::version::TOOL_VERSION,
        disclose::version::DataVersion::builtin()
    )
}
