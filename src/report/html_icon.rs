//! The app's launcher icon in the HTML report's title, embedded as a `data:` URI so the report
//! stays one self-contained file (no network, prints the same).
//!
//! ```
//! use disclose::model::AppIcon;
//! use disclose::report::html_icon::icon_img;
//! let icon = AppIcon { file: "res/a.png".into(), media_type: "image/png".into(), bytes: b"ab".to_vec() };
//! assert_eq!(icon_img(Some(&icon)), "<img class=\"app-icon\" src=\"data:image/png;base64,YWI=\" alt=\"\" width=\"48\" height=\"48\"> ");
//! assert_eq!(icon_img(None), "");
//! ```

use crate::model::AppIcon;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// An `<img>` for the icon followed by a space, or nothing when the app has no bitmap icon.
/// Only the media types the reader accepts (`image/png`, `image/webp`, `image/jpeg`) are shown.
pub fn icon_img(icon: Option<&AppIcon>) -> String {
    let Some(icon) = icon.filter(|i| !i.bytes.is_empty()) else {
        return String::new();
    };
    if !matches!(
        icon.media_type.as_str(),
        "image/png" | "image/webp" | "image/jpeg"
    ) {
        return String::new();
    }
    format!(
        "<img class=\"app-icon\" src=\"data:{};base64,{}\" alt=\"\" width=\"48\" height=\"48\"> ",
        icon.media_type,
        base64(&icon.bytes)
    )
}

/// Standard base64 (RFC 4648 §4) with padding.
fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 0x3f) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn rfc4648_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected);
        }
    }
}
