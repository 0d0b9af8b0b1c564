//! The fingerprint file format (`signatures/fingerprints/<sdk>.toml`): which SDK, version and
//! source binary it was built from, and the features of the SDK's most distinctive classes as
//! sorted 8-digit hex hashes ([`super::features`]). Read strictly: unknown fields, unsorted or
//! malformed hashes, empty classes and duplicate class names are errors.
//!
//! ```
//! use disclose::fingerprint::file::{parse, render, Fingerprint};
//! use disclose::fingerprint::features::ClassFeatures;
//! let fp = Fingerprint {
//!     sdk: "example-sdk".into(), version: "1.0".into(), source: "example.jar".into(),
//!     classes_total: 1,
//!     classes: vec![ClassFeatures { name: "com.example.A".into(), strong: vec![1, 2], weak: vec![7] }],
//! };
//! let text = render(&fp);
//! assert_eq!(parse("example.toml", &text).unwrap(), fp);
//! ```

use super::features::ClassFeatures;
use serde::Deserialize;

/// The only format version this build reads and writes.
pub const FORMAT: u32 = 1;

/// What is wrong with a fingerprint file. `Display` is one line naming the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FingerprintError {
    #[error("{file}: {message}")]
    Syntax { file: String, message: String },
    #[error("{file}: class {class}: {message}")]
    BadClass {
        file: String,
        class: String,
        message: String,
    },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

/// One SDK's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Id of the SDK in `signatures/sdks/`.
    pub sdk: crate::id::SdkId,
    /// Version of the binary it was built from.
    pub version: String,
    /// Where the binary came from (registry package and path inside it).
    pub source: String,
    /// Classes the binary defines (the file keeps the most distinctive of them).
    pub classes_total: usize,
    pub classes: Vec<ClassFeatures>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    format: u32,
    sdk: String,
    version: String,
    source: String,
    classes_total: usize,
    #[serde(rename = "class", default)]
    classes: Vec<RawClass>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClass {
    name: String,
    #[serde(default)]
    strong: String,
    #[serde(default)]
    weak: String,
}

/// Hashes of a space-separated list: 8 lowercase hex digits each, strictly ascending.
fn hashes(text: &str) -> Result<Vec<u32>, String> {
    let mut out: Vec<u32> = Vec::new();
    for token in text.split_ascii_whitespace() {
        let valid = token.len() == 8
            && token
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        let value = u32::from_str_radix(token, 16)
            .ok()
            .filter(|_| valid)
            .ok_or_else(|| format!("'{token}' is not an 8-digit lowercase hex hash"))?;
        if out.last().is_some_and(|&last| last >= value) {
            return Err(format!("hash {token} is out of order or repeated"));
        }
        out.push(value);
    }
    Ok(out)
}

/// Reads the fingerprint file `file` (its name only labels errors).
pub fn parse(file: &str, text: &str) -> Result<Fingerprint, FingerprintError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        // One line: where (the first line of toml's report) and what (its last line).
        let report = e.to_string();
        let mut lines = report.lines().map(str::trim).filter(|l| !l.is_empty());
        let at = lines.next().unwrap_or("");
        let what = lines.next_back().unwrap_or("");
        FingerprintError::Syntax {
            file: file.to_string(),
            message: if what.is_empty() {
                at.to_string()
            } else {
                format!("{at}: {what}")
            },
        }
    })?;
    let invalid = |message: String| FingerprintError::Invalid {
        file: file.to_string(),
        message,
    };
    if raw.format != FORMAT {
        return Err(invalid(format!(
            "format {} is not supported (this build reads {FORMAT})",
            raw.format
        )));
    }
    let id_ok = !raw.sdk.is_empty()
        && raw
            .sdk
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !id_ok {
        return Err(invalid(format!("sdk '{}' is not an SDK id", raw.sdk)));
    }
    if raw.version.trim().is_empty() || raw.source.trim().is_empty() {
        return Err(invalid("version and source must not be empty".into()));
    }
    if raw.classes.is_empty() || raw.classes.len() > raw.classes_total {
        return Err(invalid(format!(
            "{} classes listed, classes_total {}: at least one and at most classes_total",
            raw.classes.len(),
            raw.classes_total
        )));
    }
    let mut classes = Vec::with_capacity(raw.classes.len());
    for c in raw.classes {
        let bad = |message: String| FingerprintError::BadClass {
            file: file.to_string(),
            class: c.name.clone(),
            message,
        };
        if classes
            .last()
            .is_some_and(|p: &ClassFeatures| p.name >= c.name)
        {
            return Err(bad("class names must be distinct and sorted".into()));
        }
        let strong = hashes(&c.strong).map_err(&bad)?;
        let weak = hashes(&c.weak).map_err(&bad)?;
        if strong.is_empty() && weak.is_empty() {
            return Err(bad("no features".into()));
        }
        if weak.iter().any(|h| strong.binary_search(h).is_ok()) {
            return Err(bad("a hash is both strong and weak".into()));
        }
        classes.push(ClassFeatures {
            name: c.name,
            strong,
            weak,
        });
    }
    Ok(Fingerprint {
        sdk: raw.sdk.into(),
        version: raw.version,
        source: raw.source,
        classes_total: raw.classes_total,
        classes,
    })
}

fn hex_list(values: &[u32]) -> String {
    let mut out = String::with_capacity(values.len() * 9);
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&format!("{v:08x}"));
    }
    out
}

/// A TOML string literal (basic string, escaped).
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The file text of `fp`, classes sorted by name: stable, one class per block.
pub fn render(fp: &Fingerprint) -> String {
    let mut classes: Vec<&ClassFeatures> = fp.classes.iter().collect();
    classes.sort_by(|a, b| a.name.cmp(&b.name));
    let mut out = format!(
        "# Generated by `disclose signatures fingerprint`; do not edit by hand.\n\
         # Features are hashes (src/fingerprint/features.rs) of what ProGuard/R8 keep.\n\
         format = {FORMAT}\nsdk = {}\nversion = {}\nsource = {}\nclasses_total = {}\n",
        quoted(&fp.sdk),
        quoted(&fp.version),
        quoted(&fp.source),
        fp.classes_total
    );
    for c in classes {
        out.push_str(&format!(
            "\n[[class]]\nname = {}\nstrong = \"{}\"\nweak = \"{}\"\n",
            quoted(&c.name),
            hex_list(&c.strong),
            hex_list(&c.weak)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str =
        "format = 1\nsdk = \"x\"\nversion = \"1\"\nsource = \"s\"\nclasses_total = 2\n\
        [[class]]\nname = \"a.A\"\nstrong = \"0000000a\"\nweak = \"00000001 00000002\"\n";

    #[test]
    fn reads_a_good_file() {
        let fp = parse("x.toml", GOOD).unwrap();
        assert_eq!(fp.classes[0].weak, vec![1, 2]);
    }

    #[test]
    fn rejects_unknown_fields_and_bad_hashes() {
        let unknown = GOOD.replace("classes_total", "colour = 1\nclasses_total");
        assert!(parse("x.toml", &unknown)
            .unwrap_err()
            .to_string()
            .contains("unknown field"));
        for bad in [
            "00000002 00000001",
            "0000001",
            "0000000G",
            "00000001 00000001",
        ] {
            let text = GOOD.replace("00000001 00000002", bad);
            assert!(parse("x.toml", &text).is_err(), "{bad}");
        }
        let both = GOOD.replace("0000000a", "00000001");
        assert!(parse("x.toml", &both).is_err());
        let format = GOOD.replace("format = 1", "format = 2");
        assert!(parse("x.toml", &format).is_err());
    }
}
