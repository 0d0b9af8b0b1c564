//! Provisioning profiles (`embedded.mobileprovision`): the team that signed the app, what kind of
//! distribution it is for, and the entitlements it grants (push, associated domains, app groups,
//! HealthKit …), which say which capabilities the app can use.
//!
//! The file is a CMS (PKCS #7) signed-data envelope in DER whose content is an XML property
//! list. The signature is not checked (that is the device's job); the plist is found inside the
//! bytes by its `<?xml` / `<plist` start and `</plist>` end, so no ASN.1 parsing is needed. The
//! subject common names of the developer certificates are read from their DER with a bounded
//! search for the X.520 `commonName` attribute.
//!
//! ```
//! use disclose::ios::provision::parse_provision;
//! let mut der = vec![0x30, 0x80, 0x06, 0x09]; // start of a CMS envelope
//! der.extend_from_slice(br#"<?xml version="1.0"?><plist version="1.0"><dict>
//!   <key>TeamIdentifier</key><array><string>ABCDE12345</string></array>
//!   <key>Entitlements</key><dict><key>aps-environment</key><string>production</string></dict>
//! </dict></plist>"#);
//! der.extend_from_slice(&[0xa0, 0x82]);
//! let profile = parse_provision(&der)?;
//! assert_eq!(profile.team_ids, ["ABCDE12345"]);
//! assert_eq!(profile.entitlements.aps_environment.as_deref(), Some("production"));
//! # Ok::<(), disclose::ios::plist::PlistError>(())
//! ```

use memchr::memmem;
use plist::{Dictionary, Value};
use serde::Serialize;

use super::plist::{parse_dictionary, PlistError};

/// Largest provisioning profile accepted, in bytes (real ones are 8–100 KB).
pub const MAX_PROVISION_BYTES: usize = 4 * 1024 * 1024;

/// Entitlements granted by the profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Entitlements {
    /// `application-identifier` (`TEAMID.bundle.id`, may end in `*`).
    pub application_identifier: Option<String>,
    /// `aps-environment`: push notifications (`development` / `production`).
    pub aps_environment: Option<String>,
    /// `com.apple.developer.associated-domains` (`applinks:…`, `webcredentials:…`).
    pub associated_domains: Vec<String>,
    /// `com.apple.security.application-groups`.
    pub app_groups: Vec<String>,
    /// `com.apple.developer.healthkit` is true.
    pub healthkit: bool,
    /// `com.apple.developer.healthkit.access` (e.g. `health-records`).
    pub healthkit_access: Vec<String>,
    /// `get-task-allow`: a debugger may attach (development builds).
    pub get_task_allow: Option<bool>,
    /// `keychain-access-groups`.
    pub keychain_access_groups: Vec<String>,
    /// Every entitlement key, sorted, including the ones above.
    pub keys: Vec<String>,
}

/// The parts of a provisioning profile that matter for a privacy review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProvisioningProfile {
    /// `Name` of the profile.
    pub name: Option<String>,
    /// `AppIDName`.
    pub app_id_name: Option<String>,
    /// `UUID`.
    pub uuid: Option<String>,
    /// `TeamIdentifier`.
    pub team_ids: Vec<String>,
    /// `TeamName` (absent in old profiles; see [`Self::developer_certificates`]).
    pub team_name: Option<String>,
    /// `ApplicationIdentifierPrefix`.
    pub app_id_prefixes: Vec<String>,
    /// `Platform` (`iOS`, `xrOS` …).
    pub platforms: Vec<String>,
    /// `CreationDate`, RFC 3339.
    pub creation_date: Option<String>,
    /// `ExpirationDate`, RFC 3339.
    pub expiration_date: Option<String>,
    /// `ProvisionsAllDevices`: an enterprise (in-house) profile.
    pub provisions_all_devices: bool,
    /// Number of `ProvisionedDevices` (ad-hoc and development profiles).
    pub provisioned_devices: usize,
    /// Subject common names of `DeveloperCertificates` (`iPhone Distribution: Team Name`).
    pub developer_certificates: Vec<String>,
    pub entitlements: Entitlements,
}

/// Finds the XML plist inside a CMS envelope: from `<?xml` (or `<plist`) to the end of
/// `</plist>`. Returns the byte range.
pub fn embedded_plist_range(bytes: &[u8]) -> Option<std::ops::Range<usize>> {
    let start = memmem::find(bytes, b"<?xml").or_else(|| memmem::find(bytes, b"<plist"))?;
    let end_tag = b"</plist>";
    let tail = bytes.get(start..)?;
    let end = start + memmem::find(tail, end_tag)? + end_tag.len();
    Some(start..end)
}

/// Reads an `embedded.mobileprovision` (at most [`MAX_PROVISION_BYTES`]).
pub fn parse_provision(bytes: &[u8]) -> Result<ProvisioningProfile, PlistError> {
    if bytes.len() > MAX_PROVISION_BYTES {
        return Err(PlistError::TooLarge {
            size: bytes.len(),
            max: MAX_PROVISION_BYTES,
        });
    }
    let range = embedded_plist_range(bytes).ok_or(PlistError::NoEmbeddedPlist)?;
    let xml = bytes.get(range).ok_or(PlistError::NoEmbeddedPlist)?;
    let dict = parse_dictionary(xml, MAX_PROVISION_BYTES)?;
    let text = |key: &str| dict.get(key).and_then(Value::as_string).map(str::to_owned);
    let date = |key: &str| {
        dict.get(key)
            .and_then(Value::as_date)
            .map(|d| d.to_xml_format())
    };
    let developer_certificates = match dict.get("DeveloperCertificates") {
        Some(Value::Array(certs)) => certs
            .iter()
            .filter_map(Value::as_data)
            .filter_map(certificate_subject_common_name)
            .collect(),
        _ => Vec::new(),
    };
    Ok(ProvisioningProfile {
        name: text("Name"),
        app_id_name: text("AppIDName"),
        uuid: text("UUID"),
        team_ids: strings(&dict, "TeamIdentifier"),
        team_name: text("TeamName"),
        app_id_prefixes: strings(&dict, "ApplicationIdentifierPrefix"),
        platforms: strings(&dict, "Platform"),
        creation_date: date("CreationDate"),
        expiration_date: date("ExpirationDate"),
        provisions_all_devices: dict
            .get("ProvisionsAllDevices")
            .and_then(Value::as_boolean)
            .unwrap_or(false),
        provisioned_devices: dict
            .get("ProvisionedDevices")
            .and_then(Value::as_array)
            .map_or(0, Vec::len),
        developer_certificates,
        entitlements: dict
            .get("Entitlements")
            .and_then(Value::as_dictionary)
            .map(entitlements_from_dictionary)
            .unwrap_or_default(),
    })
}

/// The entitlements in a dictionary of entitlement keys (a profile's `Entitlements`, or the
/// entitlements blob of a code signature).
pub(crate) fn entitlements_from_dictionary(dict: &Dictionary) -> Entitlements {
    let mut keys: Vec<String> = dict.keys().cloned().collect();
    keys.sort();
    Entitlements {
        application_identifier: dict
            .get("application-identifier")
            .and_then(Value::as_string)
            .map(str::to_owned),
        aps_environment: dict
            .get("aps-environment")
            .and_then(Value::as_string)
            .map(str::to_owned),
        associated_domains: strings(dict, "com.apple.developer.associated-domains"),
        app_groups: strings(dict, "com.apple.security.application-groups"),
        healthkit: dict
            .get("com.apple.developer.healthkit")
            .and_then(Value::as_boolean)
            .unwrap_or(false),
        healthkit_access: strings(dict, "com.apple.developer.healthkit.access"),
        get_task_allow: dict.get("get-task-allow").and_then(Value::as_boolean),
        keychain_access_groups: strings(dict, "keychain-access-groups"),
        keys,
    }
}

/// An array of strings (non-strings skipped), or a lone string (some keys, such as
/// `com.apple.developer.associated-domains` set to `*`, are strings).
fn strings(dict: &Dictionary, key: &str) -> Vec<String> {
    match dict.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_string)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The subject common name of a DER X.509 certificate: the last `commonName` attribute
/// (OID 2.5.4.3) before the subject public key info. The issuer's name comes first in
/// `TBSCertificate`, the subject's second, so the second match is the subject's.
fn certificate_subject_common_name(der: &[u8]) -> Option<String> {
    const CN_OID: &[u8] = &[0x06, 0x03, 0x55, 0x04, 0x03];
    let mut names = memmem::find_iter(der, CN_OID).filter_map(|at| {
        let value_at = at + CN_OID.len();
        let tag = *der.get(value_at)?;
        // UTF8String, PrintableString, T61String, IA5String, BMPString are not all worth it:
        // the certificates Apple issues use UTF8String or PrintableString.
        if !matches!(tag, 0x0c | 0x13 | 0x16) {
            return None;
        }
        let (len, header) = der_length(der.get(value_at + 1..)?)?;
        let start = value_at + 1 + header;
        let bytes = der.get(start..start.checked_add(len)?)?;
        Some(String::from_utf8_lossy(bytes).into_owned())
    });
    let first = names.next()?;
    Some(names.next().unwrap_or(first))
}

/// A DER length: (length, bytes used). Only short form and one- or two-byte long forms.
fn der_length(bytes: &[u8]) -> Option<(usize, usize)> {
    match *bytes.first()? {
        n @ 0..=0x7f => Some((usize::from(n), 1)),
        0x81 => Some((usize::from(*bytes.get(1)?), 2)),
        0x82 => Some((
            usize::from(u16::from_be_bytes([*bytes.get(1)?, *bytes.get(2)?])),
            3,
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_plist_between_binary_bytes() {
        let mut bytes = vec![0x30, 0x82, 0x01, 0x00, b'<', 0xff];
        bytes.extend_from_slice(
            b"<?xml version=\"1.0\"?><plist><dict><key>Name</key><string>p</string></dict></plist>",
        );
        bytes.extend_from_slice(&[0x00, 0x31, b'<']);
        let profile = parse_provision(&bytes).unwrap();
        assert_eq!(profile.name.as_deref(), Some("p"));
    }

    #[test]
    fn missing_or_unterminated_plist_is_an_error() {
        assert_eq!(
            parse_provision(&[0x30, 0x80, 1, 2, 3]).unwrap_err(),
            PlistError::NoEmbeddedPlist
        );
        assert_eq!(
            parse_provision(b"\x30\x80<?xml version=\"1.0\"?><plist><dict>").unwrap_err(),
            PlistError::NoEmbeddedPlist
        );
    }

    #[test]
    fn entitlements_are_read() {
        let xml = br#"<?xml version="1.0"?><plist version="1.0"><dict>
          <key>ProvisionedDevices</key><array><string>a</string><string>b</string></array>
          <key>Entitlements</key><dict>
            <key>com.apple.developer.associated-domains</key><array><string>applinks:example.com</string></array>
            <key>com.apple.security.application-groups</key><array><string>group.example</string></array>
            <key>com.apple.developer.healthkit</key><true/>
            <key>get-task-allow</key><true/>
          </dict></dict></plist>"#;
        let profile = parse_provision(xml).unwrap();
        assert_eq!(profile.provisioned_devices, 2);
        let e = profile.entitlements;
        assert_eq!(e.associated_domains, ["applinks:example.com"]);
        assert_eq!(e.app_groups, ["group.example"]);
        assert!(e.healthkit);
        assert_eq!(e.get_task_allow, Some(true));
        assert_eq!(e.keys.len(), 4);
    }

    #[test]
    fn common_name_reader_is_bounded() {
        assert_eq!(
            certificate_subject_common_name(&[0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x7f, b'a']),
            None
        );
        let one = [0x06, 0x03, 0x55, 0x04, 0x03, 0x13, 0x02, b'h', b'i'];
        assert_eq!(certificate_subject_common_name(&one).as_deref(), Some("hi"));
    }
}
