//! Modified UTF-8 (the JVM and DEX string encoding) to Rust strings.
//!
//! Modified UTF-8 differs from UTF-8 in two ways: U+0000 is written as the two bytes `C0 80`,
//! and characters outside the Basic Multilingual Plane are written as two 3-byte encoded UTF-16
//! surrogates. Plain ASCII (the vast majority of class, method and field names) is returned
//! borrowed; anything else is decoded through UTF-16, with unpaired surrogates (legal in Java
//! strings, not in Rust ones) replaced by U+FFFD.

use std::borrow::Cow;

/// Decodes `bytes` (without a terminator); `None` when they are not modified UTF-8.
pub(crate) fn decode(bytes: &[u8]) -> Option<Cow<'_, str>> {
    if bytes.iter().all(|&b| b != 0 && b < 0x80) {
        return std::str::from_utf8(bytes).ok().map(Cow::Borrowed);
    }
    let mut units: Vec<u16> = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    while let Some(&lead) = bytes.get(pos) {
        let cont = |i: usize| -> Option<u16> {
            let b = *bytes.get(pos + i)?;
            (b & 0xc0 == 0x80).then_some(u16::from(b & 0x3f))
        };
        match lead {
            0x01..=0x7f => {
                units.push(u16::from(lead));
                pos += 1;
            }
            0xc0..=0xdf => {
                units.push((u16::from(lead & 0x1f) << 6) | cont(1)?);
                pos += 2;
            }
            0xe0..=0xef => {
                units.push((u16::from(lead & 0x0f) << 12) | (cont(1)? << 6) | cont(2)?);
                pos += 3;
            }
            _ => return None,
        }
    }
    Some(Cow::Owned(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_borrowed() {
        assert!(matches!(
            decode(b"Lcom/foo/Bar;"),
            Some(Cow::Borrowed("Lcom/foo/Bar;"))
        ));
    }

    #[test]
    fn decodes_two_and_three_byte_forms_nul_and_surrogate_pairs() {
        // "é" (C3 A9), NUL as C0 80, "中" (E4 B8 AD), U+1F600 as the surrogates D83D DE00.
        let bytes = [
            0xc3, 0xa9, 0xc0, 0x80, 0xe4, 0xb8, 0xad, 0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80,
        ];
        assert_eq!(decode(&bytes).as_deref(), Some("é\u{0}中\u{1f600}"));
    }

    #[test]
    fn unpaired_surrogate_becomes_replacement_character() {
        assert_eq!(
            decode(&[0xed, 0xa0, 0xbd, b'a']).as_deref(),
            Some("\u{fffd}a")
        );
    }

    #[test]
    fn rejects_bad_bytes() {
        assert_eq!(decode(&[0x00]), None);
        assert_eq!(decode(&[0xc3]), None);
        assert_eq!(decode(&[0xe4, 0xb8, 0x41]), None);
        assert_eq!(decode(&[0xf0, 0x9f, 0x98, 0x80]), None);
    }
}
