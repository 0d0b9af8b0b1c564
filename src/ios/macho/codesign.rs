//! The embedded code signature of a Mach-O image (`LC_CODE_SIGNATURE`): the signing identifier
//! and team of its code directory, and the entitlements the binary was signed with — what the
//! app may actually do (push, associated domains, app groups, HealthKit …), which can differ
//! from what its provisioning profile allows.
//!
//! Layout (all big-endian), from Apple's open-source `xnu` `cs_blobs.h`: a SuperBlob
//! (`0xfade0cc0`, length, count, then `count` × (slot type, offset)) indexing blobs that each
//! start with (magic, length). Slot 0 is the code directory (`0xfade0c02`), slot 5 the XML
//! entitlements plist (`0xfade7171`), slot 7 the DER entitlements (`0xfade7172`, noted, not
//! decoded: the XML blob holds the same keys). A blob that lies is skipped with a one-line
//! note in [`CodeSignature::problems`]; a bad signature never fails the rest of the image.
//!
//! ```no_run
//! let bytes = std::fs::read("Payload/App.app/App")?;
//! for slice in disclose::ios::macho::parse_macho(&bytes)?.slices {
//!     if let Some(e) = slice.code_signature.as_ref().and_then(|s| s.entitlements.as_ref()) {
//!         println!("{}: signed with {:?}", slice.arch, e.keys);
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::Serialize;

use super::bytes::Bytes;
use crate::ios::plist::parse_dictionary;
use crate::ios::provision::{entitlements_from_dictionary, Entitlements};

const SUPERBLOB_MAGIC: u32 = 0xfade_0cc0;
const CODE_DIRECTORY_MAGIC: u32 = 0xfade_0c02;
const ENTITLEMENTS_MAGIC: u32 = 0xfade_7171;
const DER_ENTITLEMENTS_MAGIC: u32 = 0xfade_7172;
const SLOT_CODE_DIRECTORY: u32 = 0;
const SLOT_ENTITLEMENTS: u32 = 5;
const SLOT_DER_ENTITLEMENTS: u32 = 7;
/// Real signatures index fewer than a dozen blobs (alternate code directories included).
const MAX_BLOBS: u32 = 256;
/// Largest entitlements plist read, in bytes (real ones are a few KB).
pub const MAX_ENTITLEMENTS_BYTES: usize = 1024 * 1024;
/// Code directory version that added the team id field.
const CD_VERSION_TEAM_ID: u32 = 0x0002_0200;

/// Why (part of) a code signature could not be read. `Display` is one line naming the place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeSignatureError {
    #[error("code signature at offset {offset} size {size} lies outside the image")]
    OutOfImage { offset: u64, size: u64 },
    #[error("code signature is not a SuperBlob (magic {magic:#010x})")]
    BadSuperBlob { magic: u32 },
    #[error(
        "code signature SuperBlob length or blob count ({count}) does not fit its {size} bytes"
    )]
    BadIndex { count: u32, size: u64 },
    #[error("code signature blob {index} (slot {slot:#x}) at offset {offset}: {problem}")]
    BadBlob {
        index: u32,
        slot: u32,
        offset: u32,
        problem: &'static str,
    },
    #[error("code signature entitlements: {0}")]
    Entitlements(String),
}

/// What the embedded signature of one slice says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CodeSignature {
    /// Signing identifier of the code directory (usually the bundle id).
    pub identifier: Option<String>,
    /// Team id of the code directory (signatures of version 0x20200 and later).
    pub team_id: Option<String>,
    /// The XML entitlements blob; `None` when the signature has none (ad-hoc signatures made
    /// by a linker, unsigned-entitlement builds).
    pub entitlements: Option<Entitlements>,
    /// A DER entitlements blob is present (iOS 15+ signatures); not decoded.
    pub der_entitlements: bool,
    /// Blobs that were skipped, one line each.
    pub problems: Vec<String>,
}

/// Reads the signature at `(dataoff, datasize)` of `LC_CODE_SIGNATURE` in `image`.
pub(crate) fn read(image: &[u8], (offset, size): (u64, u64)) -> CodeSignature {
    let mut sig = CodeSignature::default();
    if let Err(e) = read_into(image, offset, size, &mut sig) {
        sig.problems.push(e.to_string());
    }
    sig
}

fn read_into(
    image: &[u8],
    offset: u64,
    size: u64,
    sig: &mut CodeSignature,
) -> Result<(), CodeSignatureError> {
    let whole = Bytes {
        data: image,
        little_endian: false,
    };
    let data = whole
        .slice(offset, size)
        .ok_or(CodeSignatureError::OutOfImage { offset, size })?;
    let b = Bytes {
        data,
        little_endian: false,
    };
    let magic = b.u32(0).unwrap_or(0);
    if magic != SUPERBLOB_MAGIC {
        return Err(CodeSignatureError::BadSuperBlob { magic });
    }
    let count = b.u32(8).unwrap_or(u32::MAX);
    // The SuperBlob length may be less than the padded LC_CODE_SIGNATURE size, never more.
    let length = u64::from(b.u32(4).unwrap_or(u32::MAX));
    if count > MAX_BLOBS || length > size || 12 + u64::from(count) * 8 > length {
        return Err(CodeSignatureError::BadIndex { count, size });
    }
    let blobs = Bytes {
        data: b.slice(0, length).unwrap_or_default(),
        little_endian: false,
    };
    for index in 0..count {
        let at = 12 + u64::from(index) * 8;
        let (slot, blob_offset) = (
            blobs.u32(at).unwrap_or(u32::MAX),
            blobs.u32(at + 4).unwrap_or(u32::MAX),
        );
        let bad = |problem| CodeSignatureError::BadBlob {
            index,
            slot,
            offset: blob_offset,
            problem,
        };
        let blob = match blob_at(blobs, blob_offset) {
            Ok(blob) => blob,
            Err(problem) => {
                sig.problems.push(bad(problem).to_string());
                continue;
            }
        };
        let blob_magic = blob.u32(0).unwrap_or(0);
        let result = match (slot, blob_magic) {
            (SLOT_CODE_DIRECTORY, CODE_DIRECTORY_MAGIC) => {
                read_code_directory(blob, sig).map_err(bad)
            }
            (SLOT_ENTITLEMENTS, ENTITLEMENTS_MAGIC) => read_entitlements(blob, sig),
            (SLOT_DER_ENTITLEMENTS, DER_ENTITLEMENTS_MAGIC) => {
                sig.der_entitlements = true;
                Ok(())
            }
            (SLOT_CODE_DIRECTORY | SLOT_ENTITLEMENTS | SLOT_DER_ENTITLEMENTS, _) => {
                Err(bad("the blob's magic does not match its slot"))
            }
            // Requirements, CMS signature, alternate code directories: not needed here.
            _ => Ok(()),
        };
        if let Err(e) = result {
            sig.problems.push(e.to_string());
        }
    }
    Ok(())
}

/// The blob at `offset` of the SuperBlob, cut to its own length.
fn blob_at(superblob: Bytes<'_>, offset: u32) -> Result<Bytes<'_>, &'static str> {
    let length = superblob
        .u32(u64::from(offset) + 4)
        .ok_or("blob header lies outside the SuperBlob")?;
    if length < 8 {
        return Err("blob length is below its 8-byte header");
    }
    let data = superblob
        .slice(u64::from(offset), u64::from(length))
        .ok_or("blob runs past the end of the SuperBlob")?;
    Ok(Bytes {
        data,
        little_endian: false,
    })
}

/// Identifier and team id of the (first) code directory.
fn read_code_directory(cd: Bytes<'_>, sig: &mut CodeSignature) -> Result<(), &'static str> {
    if sig.identifier.is_some() {
        return Ok(());
    }
    let version = cd.u32(8).ok_or("code directory too short")?;
    let ident_offset = cd.u32(20).ok_or("code directory too short")?;
    let string = |at: u32| {
        cd.cstr(u64::from(at), cd.data.len() as u64)
            .map(str::to_string)
    };
    sig.identifier = Some(
        string(ident_offset).ok_or("identifier is outside the blob, unterminated or not UTF-8")?,
    );
    if version >= CD_VERSION_TEAM_ID {
        let team_offset = cd
            .u32(48)
            .ok_or("code directory too short for its version")?;
        if team_offset != 0 {
            sig.team_id = Some(
                string(team_offset)
                    .ok_or("team id is outside the blob, unterminated or not UTF-8")?,
            );
        }
    }
    Ok(())
}

fn read_entitlements(blob: Bytes<'_>, sig: &mut CodeSignature) -> Result<(), CodeSignatureError> {
    let xml = blob.data.get(8..).unwrap_or_default();
    let dict = parse_dictionary(xml, MAX_ENTITLEMENTS_BYTES)
        .map_err(|e| CodeSignatureError::Entitlements(e.to_string()))?;
    sig.entitlements = Some(entitlements_from_dictionary(&dict));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A SuperBlob of `(slot, blob)` pairs.
    fn superblob(blobs: &[(u32, Vec<u8>)]) -> Vec<u8> {
        let header = 12 + 8 * blobs.len();
        let mut index: Vec<u8> = Vec::new();
        let mut body: Vec<u8> = Vec::new();
        for (slot, blob) in blobs {
            index.extend(slot.to_be_bytes());
            index.extend(((header + body.len()) as u32).to_be_bytes());
            body.extend(blob);
        }
        let mut out = SUPERBLOB_MAGIC.to_be_bytes().to_vec();
        out.extend(((header + body.len()) as u32).to_be_bytes());
        out.extend((blobs.len() as u32).to_be_bytes());
        out.extend(index);
        out.extend(body);
        out
    }

    fn blob(magic: u32, payload: &[u8]) -> Vec<u8> {
        let mut out = magic.to_be_bytes().to_vec();
        out.extend(((8 + payload.len()) as u32).to_be_bytes());
        out.extend(payload);
        out
    }

    fn code_directory(ident: &str, team: Option<&str>) -> Vec<u8> {
        let mut cd = vec![0u8; 52];
        let version: u32 = if team.is_some() { 0x20200 } else { 0x20001 };
        cd[0..4].copy_from_slice(&CODE_DIRECTORY_MAGIC.to_be_bytes());
        cd[8..12].copy_from_slice(&version.to_be_bytes());
        cd[20..24].copy_from_slice(&52u32.to_be_bytes());
        cd.extend(ident.as_bytes());
        cd.push(0);
        if let Some(team) = team {
            let at = cd.len() as u32;
            cd[48..52].copy_from_slice(&at.to_be_bytes());
            cd.extend(team.as_bytes());
            cd.push(0);
        }
        let len = cd.len() as u32;
        cd[4..8].copy_from_slice(&len.to_be_bytes());
        cd
    }

    fn read_all(sb: &[u8]) -> CodeSignature {
        read(sb, (0, sb.len() as u64))
    }

    #[test]
    fn reads_identifier_team_and_entitlements() {
        let plist = br#"<?xml version="1.0"?><plist version="1.0"><dict>
            <key>aps-environment</key><string>production</string>
            <key>com.apple.security.application-groups</key><array><string>group.a</string></array>
            </dict></plist>"#;
        let sb = superblob(&[
            (0, code_directory("com.example.app", Some("ABCDE12345"))),
            (5, blob(ENTITLEMENTS_MAGIC, plist)),
            (7, blob(DER_ENTITLEMENTS_MAGIC, &[0x70, 0x00])),
        ]);
        let sig = read_all(&sb);
        assert_eq!(sig.problems, Vec::<String>::new());
        assert_eq!(sig.identifier.as_deref(), Some("com.example.app"));
        assert_eq!(sig.team_id.as_deref(), Some("ABCDE12345"));
        assert!(sig.der_entitlements);
        let e = sig.entitlements.unwrap();
        assert_eq!(e.aps_environment.as_deref(), Some("production"));
        assert_eq!(e.app_groups, ["group.a"]);
    }

    #[test]
    fn lying_blobs_are_skipped_with_a_note() {
        let sb = superblob(&[
            (0, code_directory("id", None)),
            (5, blob(ENTITLEMENTS_MAGIC, b"<plist><dict><key>")),
            (7, blob(ENTITLEMENTS_MAGIC, b"")),
        ]);
        let sig = read_all(&sb);
        assert_eq!(sig.identifier.as_deref(), Some("id"));
        assert_eq!(sig.entitlements, None);
        assert_eq!(sig.problems.len(), 2, "{:?}", sig.problems);
        assert!(sig.problems[0].starts_with("code signature entitlements: "));
        assert!(sig.problems[1].contains("does not match its slot"));

        let mut bad_offset = superblob(&[(5, blob(ENTITLEMENTS_MAGIC, b""))]);
        bad_offset[16..20].copy_from_slice(&0xffff_fff0u32.to_be_bytes());
        assert_eq!(
            read_all(&bad_offset).problems,
            ["code signature blob 0 (slot 0x5) at offset 4294967280: blob header lies outside the SuperBlob"]
        );
        let mut short_blob = superblob(&[(5, blob(ENTITLEMENTS_MAGIC, b""))]);
        short_blob[24..28].copy_from_slice(&4u32.to_be_bytes());
        assert!(read_all(&short_blob).problems[0].ends_with("below its 8-byte header"));
    }

    #[test]
    fn a_bad_superblob_is_one_note() {
        assert_eq!(
            read(&[0; 4], (0, 16)).problems,
            ["code signature at offset 0 size 16 lies outside the image"]
        );
        assert_eq!(
            read_all(&[0; 16]).problems,
            ["code signature is not a SuperBlob (magic 0x00000000)"]
        );
        let mut sb = superblob(&[]);
        sb[8..12].copy_from_slice(&1000u32.to_be_bytes());
        assert_eq!(
            read_all(&sb).problems,
            ["code signature SuperBlob length or blob count (1000) does not fit its 12 bytes"]
        );
        assert_eq!(read_all(&superblob(&[])), CodeSignature::default());
    }
}
