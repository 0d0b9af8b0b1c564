//! Property lists (binary `bplist00` and XML) read with hard limits, and the privacy-relevant
//! parts of an app's or framework's `Info.plist`: identity, every `…UsageDescription` key with
//! its text, the URL schemes it probes (`LSApplicationQueriesSchemes`) and owns, background
//! modes and App Transport Security exceptions.
//!
//! Every reader here first builds a bounded [`plist::Value`] with [`parse_value`]: the input
//! size, nesting depth, number of events and bytes of strings/data are all capped, so a hostile
//! plist (deep nesting, a binary plist whose objects reference one another thousands of times)
//! becomes a one-line [`PlistError`] instead of a stack overflow or an out-of-memory.
//!
//! ```
//! use disclose::ios::plist::parse_info_plist;
//! let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
//! <plist version="1.0"><dict>
//!   <key>CFBundleIdentifier</key><string>com.example.app</string>
//!   <key>NSCameraUsageDescription</key><string>Scan QR codes</string>
//!   <key>LSApplicationQueriesSchemes</key><array><string>weixin</string></array>
//! </dict></plist>"#;
//! let info = parse_info_plist(xml)?;
//! assert_eq!(info.bundle_id.as_deref(), Some("com.example.app"));
//! assert_eq!(info.usage_descriptions[0].key, "NSCameraUsageDescription");
//! assert_eq!(info.queries_schemes, ["weixin"]);
//! # Ok::<(), disclose::ios::plist::PlistError>(())
//! ```

mod bounded;

pub use bounded::{
    parse_dictionary, parse_value, type_name, MAX_PLIST_CONTENT_BYTES, MAX_PLIST_DEPTH,
    MAX_PLIST_EVENTS,
};

use plist::{Dictionary, Value};
use serde::Serialize;

/// Largest `Info.plist` (or privacy manifest) accepted, in bytes. Real ones are a few KB.
pub const MAX_PLIST_BYTES: usize = 4 * 1024 * 1024;
/// Why a property list could not be read. `Display` is one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlistError {
    /// The input is larger than the limit for its kind.
    #[error("property list is {size} bytes, over the {max}-byte limit")]
    TooLarge { size: usize, max: usize },
    /// The bytes are not a property list the `plist` crate can read.
    #[error("malformed property list: {0}")]
    Malformed(String),
    /// A hard limit on the parsed structure was hit.
    #[error("property list exceeds the {0}")]
    LimitExceeded(&'static str),
    /// The top-level value has the wrong type.
    #[error("property list root is {found}, expected a dictionary")]
    RootNotDictionary { found: &'static str },
    /// A provisioning profile holds no XML property list in its CMS envelope.
    #[error("no XML property list found inside the CMS envelope")]
    NoEmbeddedPlist,
}

/// One privacy usage key of an `Info.plist` (`NSCameraUsageDescription` …) with the text the
/// app shows when it asks for the permission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsageDescription {
    pub key: String,
    /// The purpose string; for dictionary-valued keys
    /// (`NSLocationTemporaryUsageDescriptionDictionary`) the `purpose: text` pairs joined by
    /// `"; "`. Empty when the value is not text (recorded in [`InfoPlist::warnings`]).
    pub text: String,
    /// Apple has replaced the key (`NSLocationAlwaysUsageDescription`,
    /// `NSBluetoothPeripheralUsageDescription` …); still evidence of what the app asks for.
    pub deprecated: bool,
}

/// One `NSExceptionDomains` entry of App Transport Security.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AtsExceptionDomain {
    pub domain: String,
    pub includes_subdomains: bool,
    /// `NSExceptionAllowsInsecureHTTPLoads` or its older `NSTemporaryException…` spelling.
    pub allows_insecure_http_loads: bool,
    /// `NSExceptionMinimumTLSVersion` (or the temporary spelling), when set.
    pub minimum_tls_version: Option<String>,
}

/// `NSAppTransportSecurity`: where the app allows plain HTTP.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AtsSettings {
    pub allows_arbitrary_loads: bool,
    pub allows_arbitrary_loads_in_web_content: bool,
    pub allows_local_networking: bool,
    pub exception_domains: Vec<AtsExceptionDomain>,
}

/// The privacy-relevant content of an `Info.plist` (app, framework or app extension).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InfoPlist {
    /// `CFBundleIdentifier`.
    pub bundle_id: Option<String>,
    /// `CFBundleExecutable`: the file name of the bundle's main binary.
    pub executable: Option<String>,
    /// `CFBundleName`.
    pub name: Option<String>,
    /// `CFBundleDisplayName`.
    pub display_name: Option<String>,
    /// `CFBundleShortVersionString` (the marketing version).
    pub short_version: Option<String>,
    /// `CFBundleVersion` (the build number).
    pub version: Option<String>,
    /// `MinimumOSVersion` (iOS) or `LSMinimumSystemVersion` (macOS).
    pub minimum_os: Option<String>,
    /// `CFBundlePackageType`: `APPL`, `FMWK`, `XPC!` (extension), `BNDL`.
    pub package_type: Option<String>,
    /// `CFBundleSupportedPlatforms` (`iPhoneOS`, `iPhoneSimulator` …).
    pub supported_platforms: Vec<String>,
    /// `NSExtension.NSExtensionPointIdentifier` of an app extension
    /// (`com.apple.widgetkit-extension` …).
    pub extension_point: Option<String>,
    /// Every key ending in `UsageDescription` (or `UsageDescriptionDictionary`), in file order.
    pub usage_descriptions: Vec<UsageDescription>,
    /// `LSApplicationQueriesSchemes`: other apps' URL schemes this app probes for.
    pub queries_schemes: Vec<String>,
    /// `CFBundleURLTypes[*].CFBundleURLSchemes[*]`: schemes this app answers to (SDK app keys
    /// such as `wx…`, `tencent…`, `wb…` show up here).
    pub url_schemes: Vec<String>,
    /// `UIBackgroundModes` (`location`, `remote-notification` …).
    pub background_modes: Vec<String>,
    pub ats: AtsSettings,
    /// Keys that were present but had an unexpected type (`"CFBundleIdentifier: expected a
    /// string, found an array"`); the rest of the plist is still read.
    pub warnings: Vec<String>,
}

/// Usage keys Apple has replaced by newer ones.
const DEPRECATED_USAGE_KEYS: &[&str] = &[
    "NSLocationUsageDescription",
    "NSLocationAlwaysUsageDescription",
    "NSBluetoothPeripheralUsageDescription",
    "NSCalendarsUsageDescription",
    "NSRemindersUsageDescription",
];

/// Reads an `Info.plist` (binary or XML, at most [`MAX_PLIST_BYTES`]).
pub fn parse_info_plist(bytes: &[u8]) -> Result<InfoPlist, PlistError> {
    let dict = parse_dictionary(bytes, MAX_PLIST_BYTES)?;
    Ok(info_from_dictionary(&dict))
}

/// Extracts an [`InfoPlist`] from an already parsed root dictionary.
pub fn info_from_dictionary(dict: &Dictionary) -> InfoPlist {
    let mut fields = Fields {
        dict,
        warnings: Vec::new(),
    };
    let mut info = InfoPlist {
        bundle_id: fields.text("CFBundleIdentifier"),
        executable: fields.text("CFBundleExecutable"),
        name: fields.text("CFBundleName"),
        display_name: fields.text("CFBundleDisplayName"),
        short_version: fields.text("CFBundleShortVersionString"),
        version: fields.text("CFBundleVersion"),
        minimum_os: fields
            .text("MinimumOSVersion")
            .or_else(|| fields.text("LSMinimumSystemVersion")),
        package_type: fields.text("CFBundlePackageType"),
        supported_platforms: fields.strings("CFBundleSupportedPlatforms"),
        queries_schemes: fields.strings("LSApplicationQueriesSchemes"),
        background_modes: fields.strings("UIBackgroundModes"),
        ..InfoPlist::default()
    };
    info.extension_point = fields
        .dictionary("NSExtension")
        .and_then(|ext| ext.get("NSExtensionPointIdentifier"))
        .and_then(Value::as_string)
        .map(str::to_owned);
    info.url_schemes = url_schemes(&mut fields);
    info.ats = ats_settings(&mut fields);
    info.usage_descriptions = usage_descriptions(&mut fields);
    info.warnings = fields.warnings;
    info
}

fn usage_descriptions(fields: &mut Fields<'_>) -> Vec<UsageDescription> {
    let mut found = Vec::new();
    for (key, value) in fields.dict {
        if !(key.ends_with("UsageDescription") || key.ends_with("UsageDescriptionDictionary")) {
            continue;
        }
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Dictionary(purposes) => purposes
                .iter()
                .filter_map(|(purpose, text)| Some(format!("{purpose}: {}", text.as_string()?)))
                .collect::<Vec<_>>()
                .join("; "),
            other => {
                fields.wrong_type(key, "a string", other);
                String::new()
            }
        };
        found.push(UsageDescription {
            key: key.clone(),
            text,
            deprecated: DEPRECATED_USAGE_KEYS.contains(&key.as_str()),
        });
    }
    found
}

fn url_schemes(fields: &mut Fields<'_>) -> Vec<String> {
    let Some(types) = fields.array("CFBundleURLTypes") else {
        return Vec::new();
    };
    let mut schemes = Vec::new();
    for url_type in types {
        let Some(schemes_value) = url_type
            .as_dictionary()
            .and_then(|d| d.get("CFBundleURLSchemes"))
        else {
            continue;
        };
        match schemes_value {
            Value::Array(items) => {
                schemes.extend(items.iter().filter_map(Value::as_string).map(str::to_owned))
            }
            other => fields.wrong_type("CFBundleURLTypes.CFBundleURLSchemes", "an array", other),
        }
    }
    schemes
}

fn ats_settings(fields: &mut Fields<'_>) -> AtsSettings {
    let Some(ats) = fields.dictionary("NSAppTransportSecurity") else {
        return AtsSettings::default();
    };
    let flag = |d: &Dictionary, key: &str| d.get(key).and_then(Value::as_boolean).unwrap_or(false);
    let mut settings = AtsSettings {
        allows_arbitrary_loads: flag(ats, "NSAllowsArbitraryLoads"),
        allows_arbitrary_loads_in_web_content: flag(ats, "NSAllowsArbitraryLoadsInWebContent"),
        allows_local_networking: flag(ats, "NSAllowsLocalNetworking"),
        exception_domains: Vec::new(),
    };
    if let Some(domains) = ats.get("NSExceptionDomains").and_then(Value::as_dictionary) {
        for (domain, entry) in domains {
            let Some(entry) = entry.as_dictionary() else {
                continue;
            };
            let tls = |key: &str| entry.get(key).and_then(Value::as_string).map(str::to_owned);
            settings.exception_domains.push(AtsExceptionDomain {
                domain: domain.clone(),
                includes_subdomains: flag(entry, "NSIncludesSubdomains"),
                allows_insecure_http_loads: flag(entry, "NSExceptionAllowsInsecureHTTPLoads")
                    || flag(entry, "NSTemporaryExceptionAllowsInsecureHTTPLoads"),
                minimum_tls_version: tls("NSExceptionMinimumTLSVersion")
                    .or_else(|| tls("NSTemporaryExceptionMinimumTLSVersion")),
            });
        }
    }
    settings
}

/// Typed access to the root dictionary that records wrong-typed keys instead of failing.
struct Fields<'a> {
    dict: &'a Dictionary,
    warnings: Vec<String>,
}

impl<'a> Fields<'a> {
    /// A string value; integers and reals (seen in hand-edited version keys) are rendered.
    fn text(&mut self, key: &str) -> Option<String> {
        match self.dict.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Integer(i) => Some(i.to_string()),
            Value::Real(r) => Some(r.to_string()),
            other => {
                self.wrong_type(key, "a string", other);
                None
            }
        }
    }

    /// An array of strings; non-string items are skipped with a warning.
    fn strings(&mut self, key: &str) -> Vec<String> {
        let Some(items) = self.array(key) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Value::String(s) => out.push(s.clone()),
                other => self.wrong_type(key, "an array of strings", other),
            }
        }
        out
    }

    fn array(&mut self, key: &str) -> Option<&'a Vec<Value>> {
        match self.dict.get(key)? {
            Value::Array(items) => Some(items),
            other => {
                self.wrong_type(key, "an array", other);
                None
            }
        }
    }

    fn dictionary(&mut self, key: &str) -> Option<&'a Dictionary> {
        match self.dict.get(key)? {
            Value::Dictionary(d) => Some(d),
            other => {
                self.wrong_type(key, "a dictionary", other);
                None
            }
        }
    }

    fn wrong_type(&mut self, key: &str, expected: &str, found: &Value) {
        self.warnings.push(format!(
            "{key}: expected {expected}, found {}",
            type_name(found)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn xml(body: &str) -> Vec<u8> {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>{body}</dict></plist>"
        )
        .into_bytes()
    }

    #[test]
    fn reads_binary_and_xml_alike() {
        let source = xml(
            "<key>CFBundleIdentifier</key><string>com.example.a</string>\
             <key>NSLocationAlwaysUsageDescription</key><string>nav</string>\
             <key>NFCReaderUsageDescription</key><string>tags</string>",
        );
        let value = Value::from_reader_xml(Cursor::new(&source)).unwrap();
        let mut binary = Vec::new();
        value.to_writer_binary(&mut binary).unwrap();
        assert!(binary.starts_with(b"bplist00"));
        let from_xml = parse_info_plist(&source).unwrap();
        let from_binary = parse_info_plist(&binary).unwrap();
        assert_eq!(from_xml, from_binary);
        assert_eq!(from_xml.usage_descriptions.len(), 2);
        assert!(from_xml.usage_descriptions[0].deprecated);
        assert!(!from_xml.usage_descriptions[1].deprecated);
    }

    #[test]
    fn wrong_types_become_warnings() {
        let info = parse_info_plist(&xml("<key>CFBundleIdentifier</key><array/>\
             <key>CFBundleVersion</key><integer>42</integer>\
             <key>LSApplicationQueriesSchemes</key><array><string>a</string><true/></array>\
             <key>NSCameraUsageDescription</key><integer>1</integer>\
             <key>CFBundleURLTypes</key><string>x</string>"))
        .unwrap();
        assert_eq!(info.bundle_id, None);
        assert_eq!(info.version.as_deref(), Some("42"));
        assert_eq!(info.queries_schemes, ["a"]);
        assert_eq!(info.usage_descriptions[0].text, "");
        assert_eq!(
            info.warnings,
            [
                "CFBundleIdentifier: expected a string, found an array",
                "LSApplicationQueriesSchemes: expected an array of strings, found a boolean",
                "CFBundleURLTypes: expected an array, found a string",
                "NSCameraUsageDescription: expected a string, found an integer",
            ]
        );
    }

    #[test]
    fn root_must_be_a_dictionary() {
        let err = parse_info_plist(b"<plist version=\"1.0\"><array/></plist>").unwrap_err();
        assert_eq!(
            err.to_string(),
            "property list root is an array, expected a dictionary"
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let mut body = String::from("<key>k</key>");
        body.push_str(&"<array>".repeat(100_000));
        body.push_str(&"</array>".repeat(100_000));
        let err = parse_info_plist(&xml(&body)).unwrap_err();
        assert_eq!(err, PlistError::LimitExceeded("nesting depth limit (64)"));
    }

    #[test]
    fn size_limit_is_checked_before_parsing() {
        let big = vec![b' '; MAX_PLIST_BYTES + 1];
        assert!(matches!(
            parse_info_plist(&big),
            Err(PlistError::TooLarge { .. })
        ));
    }
}
