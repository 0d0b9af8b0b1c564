//! Normalised text with a map back to the original: NFKC (full-width → ASCII), Traditional →
//! Simplified Chinese, lower case, whitespace collapsed (kept as one space between two Latin
//! letters or digits, kept as one `\n` when the run holds a line break, dropped otherwise).

use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// Text after normalisation; every byte knows the original byte range it came from.
#[derive(Debug, Clone, Default)]
pub struct NormalText {
    /// The normalised text matched against the vocabulary.
    pub text: String,
    /// For each byte of `text`: start of the original character it came from.
    starts: Vec<u32>,
    /// For each byte of `text`: end of the original character it came from.
    ends: Vec<u32>,
}

impl NormalText {
    /// Normalises `original`; offsets in the result map back into it.
    pub fn new(original: &str) -> Self {
        let mut out = NormalText {
            text: String::with_capacity(original.len()),
            starts: Vec::with_capacity(original.len()),
            ends: Vec::with_capacity(original.len()),
        };
        let mut pending_space: Option<(bool, usize, usize)> = None; // (has newline, start, end)
        let mut prev: Option<char> = None;
        let mut buf = [0u8; 4];
        for (pos, ch) in original.char_indices() {
            let end = pos + ch.len_utf8();
            for c in normalise_char(ch) {
                if c.is_whitespace() {
                    let nl = c == '\n';
                    pending_space = Some(match pending_space {
                        Some((had, s, _)) => (had || nl, s, end),
                        None => (nl, pos, end),
                    });
                    continue;
                }
                if let Some((nl, s, e)) = pending_space.take() {
                    if nl {
                        out.push('\n', s, e, &mut buf);
                    } else if prev
                        .is_some_and(|p| p.is_ascii_alphanumeric() && c.is_ascii_alphanumeric())
                    {
                        out.push(' ', s, e, &mut buf);
                    }
                }
                out.push(c, pos, end, &mut buf);
                prev = Some(c);
            }
        }
        if let Some((true, s, e)) = pending_space {
            out.push('\n', s, e, &mut buf);
        }
        out
    }

    fn push(&mut self, c: char, start: usize, end: usize, buf: &mut [u8; 4]) {
        let encoded = c.encode_utf8(buf);
        self.text.push_str(encoded);
        let (s, e) = (to_u32(start), to_u32(end));
        for _ in 0..encoded.len() {
            self.starts.push(s);
            self.ends.push(e);
        }
    }

    /// The first normalised byte that comes from original byte `original` or after it.
    pub fn normal_offset(&self, original: usize) -> usize {
        let at = to_u32(original);
        self.starts.partition_point(|&s| s < at)
    }

    /// The original byte range of the normalised byte range `start..end`.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        if self.starts.is_empty() {
            return (0, 0);
        }
        let last = self.starts.len() - 1;
        let s = self.starts.get(start.min(last)).copied().unwrap_or(0) as usize;
        let e_idx = end.saturating_sub(1).clamp(start.min(last), last);
        let e = self.ends.get(e_idx).copied().unwrap_or(0) as usize;
        (s, e.max(s))
    }
}

fn to_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// Normalises a word or alias the same way as a document (no offset map).
pub fn normalise_word(word: &str) -> String {
    NormalText::new(word).text.trim().to_string()
}

/// Normalised characters for one original character.
fn normalise_char(ch: char) -> impl Iterator<Item = char> {
    let mut small: [char; 4] = ['\0'; 4];
    let mut n = 0usize;
    let put = |c: char, small: &mut [char; 4], n: &mut usize| {
        if *n < small.len() {
            if let Some(slot) = small.get_mut(*n) {
                *slot = c;
            }
            *n += 1;
        }
    };
    if ch.is_ascii() {
        put(ch.to_ascii_lowercase(), &mut small, &mut n);
    } else if is_cjk(ch) {
        put(simplified(ch), &mut small, &mut n);
    } else {
        for c in std::iter::once(ch).nfkc() {
            let c = if is_cjk(c) { simplified(c) } else { c };
            for l in c.to_lowercase() {
                put(l, &mut small, &mut n);
            }
        }
    }
    small.into_iter().take(n)
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// Traditional → Simplified for one character (1:1 mappings only, so offsets stay exact).
fn simplified(c: char) -> char {
    static TABLE: OnceLock<HashMap<char, char>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut all = String::with_capacity(21_000 * 4);
        let chars: Vec<char> = ('\u{4e00}'..='\u{9fff}').collect();
        for c in &chars {
            all.push(*c);
            all.push('\n');
        }
        let converted = zhconv::zhconv(&all, zhconv::Variant::ZhHans);
        let mut map = HashMap::new();
        let pieces: Vec<&str> = converted.split('\n').collect();
        if pieces.len() >= chars.len() {
            for (orig, piece) in chars.iter().zip(pieces) {
                let mut it = piece.chars();
                if let (Some(s), None) = (it.next(), it.next()) {
                    if s != *orig {
                        map.insert(*orig, s);
                    }
                }
            }
        }
        map
    });
    table.get(&c).copied().unwrap_or(c)
}

/// `text[a..b]` widened outwards to the nearest char boundaries (`""` if out of range): for
/// context windows around a match whose edges were computed in bytes.
pub(crate) fn snapped(text: &str, a: usize, b: usize) -> &str {
    let mut a = a.min(text.len());
    while a > 0 && !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = b.min(text.len());
    while b < text.len() && !text.is_char_boundary(b) {
        b += 1;
    }
    text.get(a..b).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_back_to_original() {
        let src = "設備ＩＭＥＩ，MAC 地址\n\n We  Collect";
        let n = NormalText::new(src);
        assert_eq!(n.text, "设备imei,mac地址\nwe collect");
        assert_eq!(
            NormalText::new("友盟+ u-share sdk: (a, b)").text,
            "友盟+u-share sdk:(a,b)"
        );
        let at = n.text.find("mac地址").unwrap_or(0);
        let (s, e) = n.original_range(at, at + "mac地址".len());
        assert_eq!(&src[s..e], "MAC 地址");
        let at = n.text.find("imei").unwrap_or(0);
        let (s, e) = n.original_range(at, at + 4);
        assert_eq!(&src[s..e], "ＩＭＥＩ");
    }
}
