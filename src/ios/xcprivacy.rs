//! Privacy manifests (`PrivacyInfo.xcprivacy`): what an app or SDK declares to Apple about
//! tracking, the data types it collects and the "required reason" APIs it uses.
//!
//! The file is a property list (XML in practice, binary accepted) with four optional keys:
//! `NSPrivacyTracking`, `NSPrivacyTrackingDomains`, `NSPrivacyCollectedDataTypes` and
//! `NSPrivacyAccessedAPITypes`. Entries of the wrong type are skipped and recorded in
//! [`PrivacyManifest::warnings`]; only an unreadable plist is an error.
//!
//! ```
//! use disclose::ios::xcprivacy::parse_privacy_manifest;
//! let xml = br#"<plist version="1.0"><dict>
//!   <key>NSPrivacyTracking</key><false/>
//!   <key>NSPrivacyAccessedAPITypes</key><array><dict>
//!     <key>NSPrivacyAccessedAPIType</key><string>NSPrivacyAccessedAPICategoryUserDefaults</string>
//!     <key>NSPrivacyAccessedAPITypeReasons</key><array><string>CA92.1</string></array>
//!   </dict></array>
//! </dict></plist>"#;
//! let manifest = parse_privacy_manifest(xml)?;
//! assert_eq!(manifest.tracking, Some(false));
//! assert_eq!(manifest.accessed_api_types[0].reasons, ["CA92.1"]);
//! # Ok::<(), disclose::ios::plist::PlistError>(())
//! ```

use plist::{Dictionary, Value};
use serde::{Deserialize, Serialize};

use super::plist::{parse_dictionary, type_name, PlistError, MAX_PLIST_BYTES};

/// One `NSPrivacyCollectedDataTypes` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CollectedDataType {
    /// `NSPrivacyCollectedDataType`, e.g. `NSPrivacyCollectedDataTypePreciseLocation`.
    pub data_type: String,
    /// `NSPrivacyCollectedDataTypeLinked`: linked to the user's identity.
    pub linked: Option<bool>,
    /// `NSPrivacyCollectedDataTypeTracking`: used for tracking.
    pub tracking: Option<bool>,
    /// `NSPrivacyCollectedDataTypePurposes`, e.g. `NSPrivacyCollectedDataTypePurposeAnalytics`.
    pub purposes: Vec<String>,
}

/// One `NSPrivacyAccessedAPITypes` entry: a required-reason API category and the reason codes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccessedApiType {
    /// `NSPrivacyAccessedAPIType`, e.g. `NSPrivacyAccessedAPICategoryUserDefaults`.
    pub category: String,
    /// `NSPrivacyAccessedAPITypeReasons`, e.g. `CA92.1`.
    pub reasons: Vec<String>,
}

/// A parsed `PrivacyInfo.xcprivacy`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PrivacyManifest {
    /// `NSPrivacyTracking`; `None` when the key is absent.
    pub tracking: Option<bool>,
    /// `NSPrivacyTrackingDomains`.
    pub tracking_domains: Vec<String>,
    pub collected_data_types: Vec<CollectedDataType>,
    pub accessed_api_types: Vec<AccessedApiType>,
    /// Entries skipped because of their type (`"NSPrivacyTracking: expected a boolean, found a
    /// string"`).
    pub warnings: Vec<String>,
}

/// Reads a privacy manifest (at most [`MAX_PLIST_BYTES`]).
pub fn parse_privacy_manifest(bytes: &[u8]) -> Result<PrivacyManifest, PlistError> {
    let dict = parse_dictionary(bytes, MAX_PLIST_BYTES)?;
    let mut manifest = PrivacyManifest::default();
    let warnings = &mut manifest.warnings;
    manifest.tracking = boolean(&dict, "NSPrivacyTracking", warnings);
    manifest.tracking_domains = strings(&dict, "NSPrivacyTrackingDomains", warnings);
    for entry in dictionaries(&dict, "NSPrivacyCollectedDataTypes", warnings) {
        let Some(data_type) = string(entry, "NSPrivacyCollectedDataType", warnings) else {
            warnings.push("NSPrivacyCollectedDataTypes: entry without a data type".to_owned());
            continue;
        };
        manifest.collected_data_types.push(CollectedDataType {
            data_type,
            linked: boolean(entry, "NSPrivacyCollectedDataTypeLinked", warnings),
            tracking: boolean(entry, "NSPrivacyCollectedDataTypeTracking", warnings),
            purposes: strings(entry, "NSPrivacyCollectedDataTypePurposes", warnings),
        });
    }
    for entry in dictionaries(&dict, "NSPrivacyAccessedAPITypes", warnings) {
        let Some(category) = string(entry, "NSPrivacyAccessedAPIType", warnings) else {
            warnings.push("NSPrivacyAccessedAPITypes: entry without a category".to_owned());
            continue;
        };
        manifest.accessed_api_types.push(AccessedApiType {
            category,
            reasons: strings(entry, "NSPrivacyAccessedAPITypeReasons", warnings),
        });
    }
    Ok(manifest)
}

fn wrong(key: &str, expected: &str, found: &Value, warnings: &mut Vec<String>) {
    warnings.push(format!(
        "{key}: expected {expected}, found {}",
        type_name(found)
    ));
}

fn boolean(dict: &Dictionary, key: &str, warnings: &mut Vec<String>) -> Option<bool> {
    match dict.get(key)? {
        Value::Boolean(b) => Some(*b),
        other => {
            wrong(key, "a boolean", other, warnings);
            None
        }
    }
}

fn string(dict: &Dictionary, key: &str, warnings: &mut Vec<String>) -> Option<String> {
    match dict.get(key)? {
        Value::String(s) => Some(s.clone()),
        other => {
            wrong(key, "a string", other, warnings);
            None
        }
    }
}

fn array<'a>(dict: &'a Dictionary, key: &str, warnings: &mut Vec<String>) -> &'a [Value] {
    match dict.get(key) {
        None => &[],
        Some(Value::Array(items)) => items,
        Some(other) => {
            wrong(key, "an array", other, warnings);
            &[]
        }
    }
}

fn strings(dict: &Dictionary, key: &str, warnings: &mut Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for item in array(dict, key, warnings) {
        match item {
            Value::String(s) => out.push(s.clone()),
            other => wrong(key, "strings", other, warnings),
        }
    }
    out
}

fn dictionaries<'a>(
    dict: &'a Dictionary,
    key: &str,
    warnings: &mut Vec<String>,
) -> Vec<&'a Dictionary> {
    let mut out = Vec::new();
    for item in array(dict, key, warnings) {
        match item {
            Value::Dictionary(d) => out.push(d),
            other => wrong(key, "dictionaries", other, warnings),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collected_types_keep_flags_and_purposes() {
        let xml = br#"<plist version="1.0"><dict>
          <key>NSPrivacyTracking</key><true/>
          <key>NSPrivacyTrackingDomains</key><array><string>t.example.com</string></array>
          <key>NSPrivacyCollectedDataTypes</key><array><dict>
            <key>NSPrivacyCollectedDataType</key><string>NSPrivacyCollectedDataTypeDeviceID</string>
            <key>NSPrivacyCollectedDataTypeLinked</key><false/>
            <key>NSPrivacyCollectedDataTypeTracking</key><true/>
            <key>NSPrivacyCollectedDataTypePurposes</key><array>
              <string>NSPrivacyCollectedDataTypePurposeThirdPartyAdvertising</string></array>
          </dict></array>
        </dict></plist>"#;
        let m = parse_privacy_manifest(xml).unwrap();
        assert_eq!(m.tracking, Some(true));
        assert_eq!(m.tracking_domains, ["t.example.com"]);
        assert_eq!(
            m.collected_data_types,
            [CollectedDataType {
                data_type: "NSPrivacyCollectedDataTypeDeviceID".into(),
                linked: Some(false),
                tracking: Some(true),
                purposes: vec!["NSPrivacyCollectedDataTypePurposeThirdPartyAdvertising".into()],
            }]
        );
        assert!(m.warnings.is_empty());
    }

    #[test]
    fn wrong_types_are_skipped_with_a_warning() {
        let xml = br#"<plist version="1.0"><dict>
          <key>NSPrivacyTracking</key><string>no</string>
          <key>NSPrivacyAccessedAPITypes</key><array><string>x</string><dict/></array>
        </dict></plist>"#;
        let m = parse_privacy_manifest(xml).unwrap();
        assert_eq!(m.tracking, None);
        assert!(m.accessed_api_types.is_empty());
        assert_eq!(
            m.warnings,
            [
                "NSPrivacyTracking: expected a boolean, found a string",
                "NSPrivacyAccessedAPITypes: expected dictionaries, found a string",
                "NSPrivacyAccessedAPITypes: entry without a category",
            ]
        );
    }
}
