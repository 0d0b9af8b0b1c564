//! Normalised text with a map back to the original: NFKC (full-width → ASCII), Traditional →
//! Simplified Chinese, lower case, whitespace collapsed (kept as one space between two Latin
//! letters or digits, kept as one `\n` when the run holds a line break, dropped otherwise).

use pieces::PIECE_BYTES;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

mod pieces;

/// Text after normalisation; every byte knows the original byte range it came from.
///
/// The map is kept as runs, not per byte (a 20 MB policy would need 160 MB for two offsets a
/// byte): in an *identity* run every normalised character has the byte length of the
/// original character it came from (ASCII, Chinese, lower-casing), so byte `k` of the run is
/// original byte `original + k`; any other character (NFKC `，` → `,`, a collapsed
/// whitespace run) is a run of its own that maps as a whole to `original..end`.
#[derive(Debug, Clone, Default)]
pub struct NormalText {
    /// The normalised text matched against the vocabulary.
    pub text: String,
    /// Runs in text order (both normalised and original offsets increase).
    runs: Vec<Run>,
}

/// A run of normalised bytes starting at `normal` (see [`NormalText`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    normal: u32,
    original: u32,
    /// End of the original range of a non-identity run; unused for identity runs.
    end: u32,
    identity: bool,
}

impl NormalText {
    /// Normalises `original`; offsets in the result map back into it. A long text is
    /// normalised in pieces on the cores there are (the same result as in one piece).
    pub fn new(original: &str) -> Self {
        Self::in_pieces(original, PIECE_BYTES)
    }

    /// Normalises `original`, with the offset map when `keep_map` (a word or alias needs
    /// only the text). One pass over the characters; ASCII and CJK skip the general path.
    fn build(original: &str, keep_map: bool) -> Self {
        Self::build_after(original, keep_map, None)
    }

    /// [`NormalText::build`] of text that follows the character `prev` (no whitespace
    /// pending before it).
    fn build_after(original: &str, keep_map: bool, prev: Option<char>) -> Self {
        let mut out = Builder {
            normal: NormalText {
                text: String::with_capacity(original.len()),
                runs: Vec::new(),
            },
            keep_map,
            pending_space: None,
            prev,
        };
        let bytes = original.as_bytes();
        let mut pos = 0usize;
        while let Some(ch) = original.get(pos..).and_then(|rest| rest.chars().next()) {
            let end = pos + ch.len_utf8();
            if ch.is_ascii_graphic() {
                // A run of visible ASCII ("imei", "android_id"): the first character decides
                // the space before it; the rest are copied lower-cased, continuing its run.
                let run = bytes
                    .get(end..)
                    .and_then(|tail| tail.iter().position(|b| !b.is_ascii_graphic()))
                    .map_or(bytes.len(), |n| end + n);
                out.accept(ch.to_ascii_lowercase(), pos, end);
                out.extend_ascii(original.get(end..run).unwrap_or(""));
                pos = run;
                continue;
            }
            if ch.is_ascii() {
                out.accept(ch.to_ascii_lowercase(), pos, end);
            } else if is_cjk(ch) {
                out.accept(simplified(ch), pos, end);
            } else {
                for c in normalise_char(ch) {
                    out.accept(c, pos, end);
                }
            }
            pos = end;
        }
        out.finish()
    }

    /// Index of the run holding normalised byte `i` (`None` when there is no text).
    fn run_at(&self, i: usize) -> Option<usize> {
        let i = to_u32(i);
        self.runs.partition_point(|r| r.normal <= i).checked_sub(1)
    }

    /// First normalised byte after run `k`.
    fn run_end(&self, k: usize) -> usize {
        self.runs
            .get(k + 1)
            .map_or(self.text.len(), |r| r.normal as usize)
    }

    /// [`NormalText::run_at`] searched from run `hint` (the run of a nearby byte before
    /// it): the next few runs are tried before a binary search. Same answer as `run_at`
    /// (run starts strictly increase, so one run holds `i`).
    fn run_at_from(&self, i: usize, hint: usize) -> Option<usize> {
        let at = to_u32(i);
        let holds = |k: usize| {
            self.runs.get(k).is_some_and(|r| r.normal <= at)
                && self.runs.get(k + 1).is_none_or(|r| r.normal > at)
        };
        (hint..hint + 4)
            .find(|&k| holds(k))
            .or_else(|| self.run_at(i))
    }

    /// Original range of the normalised character that holds byte `i` (clamped).
    fn char_range(&self, i: usize) -> (usize, usize) {
        self.char_range_in(i, self.run_at(i))
    }

    /// [`NormalText::char_range`] with the run `k` that holds byte `i`.
    fn char_range_in(&self, i: usize, k: Option<usize>) -> (usize, usize) {
        let Some(k) = k else {
            return (0, 0);
        };
        let Some(r) = self.runs.get(k) else {
            return (0, 0);
        };
        if !r.identity {
            return (r.original as usize, r.end as usize);
        }
        let mut a = i.min(self.text.len().saturating_sub(1));
        while a > 0 && !self.text.is_char_boundary(a) {
            a -= 1;
        }
        let mut b = a + 1;
        while b < self.text.len() && !self.text.is_char_boundary(b) {
            b += 1;
        }
        // Offsets inside an identity run map one to one; a run may start later in the
        // normalised text than in the original or earlier (decoding can shrink or grow it).
        let (normal, original) = (r.normal as usize, r.original as usize);
        (
            original + (a.max(normal) - normal),
            original + b.min(self.run_end(k)).saturating_sub(normal),
        )
    }

    /// The first normalised byte that comes from original byte `original` or after it.
    pub fn normal_offset(&self, original: usize) -> usize {
        let at = to_u32(original);
        let k = self.runs.partition_point(|r| r.original < at);
        if let Some(prev) = k
            .checked_sub(1)
            .and_then(|j| self.runs.get(j).map(|r| (j, r)))
        {
            let (j, r) = prev;
            if r.identity {
                let i = r.normal as usize + (original - r.original as usize);
                if i < self.run_end(j) {
                    let mut i = i;
                    while i < self.text.len() && !self.text.is_char_boundary(i) {
                        i += 1;
                    }
                    return i;
                }
            }
        }
        self.runs
            .get(k)
            .map_or(self.text.len(), |r| r.normal as usize)
    }

    /// [`NormalText::original_range`] for ranges met in text order (matches of a scan):
    /// `hint` holds the run of the last range's start, where the search for this one
    /// begins (start it at 0).
    pub fn original_range_after(
        &self,
        start: usize,
        end: usize,
        hint: &mut usize,
    ) -> (usize, usize) {
        if self.text.is_empty() {
            return (0, 0);
        }
        let last = self.text.len() - 1;
        let first = start.min(last);
        let k = self.run_at_from(first, *hint);
        if let Some(k) = k {
            *hint = k;
        }
        let (s, _) = self.char_range_in(first, k);
        let e_idx = end.saturating_sub(1).clamp(first, last);
        let (_, e) = self.char_range_in(e_idx, self.run_at_from(e_idx, *hint));
        (s, e.max(s))
    }

    /// The original byte range of the normalised byte range `start..end`.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        if self.text.is_empty() {
            return (0, 0);
        }
        let last = self.text.len() - 1;
        let (s, _) = self.char_range(start.min(last));
        let e_idx = end.saturating_sub(1).clamp(start.min(last), last);
        let (_, e) = self.char_range(e_idx);
        (s, e.max(s))
    }
}

/// [`NormalText::build`] in progress: the text so far, the whitespace run not yet written
/// (has a newline, original start, original end) and the last character written.
struct Builder {
    normal: NormalText,
    keep_map: bool,
    pending_space: Option<(bool, usize, usize)>,
    prev: Option<char>,
}

impl Builder {
    /// Takes one normalised character `c` that came from `original[start..end]`.
    #[inline]
    fn accept(&mut self, c: char, start: usize, end: usize) {
        if c.is_whitespace() {
            let nl = c == '\n';
            self.pending_space = Some(match self.pending_space {
                Some((had, s, _)) => (had || nl, s, end),
                None => (nl, start, end),
            });
            return;
        }
        if let Some((nl, s, e)) = self.pending_space.take() {
            if nl {
                self.push('\n', s, e);
            } else if self
                .prev
                .is_some_and(|p| p.is_ascii_alphanumeric() && c.is_ascii_alphanumeric())
            {
                self.push(' ', s, e);
            }
        }
        self.push(c, start, end);
        self.prev = Some(c);
    }

    /// Appends visible ASCII that directly follows the last character taken, in the
    /// original as in the normalised text (so it continues that character's identity run).
    fn extend_ascii(&mut self, ascii: &str) {
        let at = self.normal.text.len();
        self.normal.text.push_str(ascii);
        if let Some(tail) = self.normal.text.get_mut(at..) {
            tail.make_ascii_lowercase();
        }
        if let Some(last) = ascii.bytes().next_back() {
            self.prev = Some(char::from(last.to_ascii_lowercase()));
        }
    }

    fn finish(mut self) -> NormalText {
        if let Some((true, s, e)) = self.pending_space {
            self.push('\n', s, e);
        }
        self.normal
    }

    fn push(&mut self, c: char, start: usize, end: usize) {
        let at = self.normal.text.len();
        self.normal.text.push(c);
        if !self.keep_map {
            return;
        }
        let run = Run {
            normal: to_u32(at),
            original: to_u32(start),
            end: to_u32(end),
            identity: c.len_utf8() == end - start,
        };
        let runs = &mut self.normal.runs;
        if !runs.last().is_some_and(|last| last.continued_by(&run)) {
            runs.push(run);
        }
    }
}

impl Run {
    /// Whether `next`, the run of the character written right after this run, belongs to
    /// it (and is not a run of its own).
    fn continued_by(&self, next: &Run) -> bool {
        if next.identity {
            self.identity
                && self
                    .original
                    .checked_add(next.normal.wrapping_sub(self.normal))
                    == Some(next.original)
        } else {
            // More characters from one original character (NFKC "㈱" → "(株)").
            !self.identity && self.original == next.original && self.end == next.end
        }
    }
}

fn to_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// Normalises a word or alias the same way as a document (no offset map).
pub fn normalise_word(word: &str) -> String {
    let text = NormalText::build(word, false).text;
    match text.trim() {
        trimmed if trimmed.len() == text.len() => text,
        trimmed => trimmed.to_string(),
    }
}

/// The one character `c` normalises to as a word alone (what [`normalise_word`] makes of
/// it, without the string), or `None` when it gives none or several.
pub(crate) fn normalise_one(c: char) -> Option<char> {
    // Whitespace is collapsed and trimmed; two kept characters stay two.
    let mut kept = normalise_char(c).filter(|x| !x.is_whitespace());
    let first = kept.next()?;
    kept.next().is_none().then_some(first)
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

/// First and last character of the Traditional → Simplified table (CJK Unified Ideographs).
const TABLE_FIRST: char = '\u{4e00}';
const TABLE_LAST: char = '\u{9fff}';

/// Traditional → Simplified for one character (1:1 mappings only, so offsets stay exact).
/// The table is dense (one entry per ideograph), so a look-up is an index, not a hash.
fn simplified(c: char) -> char {
    static TABLE: OnceLock<Vec<char>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let chars: Vec<char> = (TABLE_FIRST..=TABLE_LAST).collect();
        let mut all = String::with_capacity(chars.len() * 4);
        for c in &chars {
            all.push(*c);
            all.push('\n');
        }
        let converted = zhconv::zhconv(&all, zhconv::Variant::ZhHans);
        let mut map = chars.clone();
        let pieces: Vec<&str> = converted.split('\n').collect();
        if pieces.len() >= chars.len() {
            for (slot, piece) in map.iter_mut().zip(pieces) {
                let mut it = piece.chars();
                if let (Some(s), None) = (it.next(), it.next()) {
                    *slot = s;
                }
            }
        }
        map
    });
    let index = (c as u32).wrapping_sub(TABLE_FIRST as u32) as usize;
    table.get(index).copied().unwrap_or(c)
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
        // Inside a character, at run edges and past the end.
        let at = n.text.find("设备").unwrap_or(0);
        assert_eq!(n.original_range(at + 1, at + 4), (0, 6));
        assert_eq!(n.normal_offset(3), n.text.find('备').unwrap_or(0));
        assert_eq!(n.normal_offset(src.len()), n.text.len());
        let we = n.text.find("we").unwrap_or(0);
        assert_eq!(n.normal_offset(src.find("We").unwrap_or(0)), we);
        assert_eq!(
            n.original_range(we - 1, we),
            (src.find('\n').unwrap_or(0), src.find("We").unwrap_or(0))
        );
    }

    #[test]
    fn ranges_in_text_order_map_as_one_by_one() {
        let src = "我們　使用 Ｆｉｒｅｂａｓｅ SDK，收集IMEI㈱\r\n\n  下一行 a  b\tc，，。";
        let n = NormalText::new(src);
        let mut hint = 0usize;
        for start in 0..=n.text.len() + 2 {
            for len in [0, 1, 2, 5, 40] {
                let want = n.original_range(start, start + len);
                assert_eq!(n.original_range_after(start, start + len, &mut hint), want);
            }
        }
        // A hint past the range (ranges out of order) still gives the same answer.
        let mut far = n.text.len();
        assert_eq!(
            n.original_range_after(0, 3, &mut far),
            n.original_range(0, 3)
        );
    }

    #[test]
    fn one_character_as_normalise_word() {
        let samples = (0u32..0x3000)
            .chain(0x3000..0x3100)
            .chain(0x4e00..0x4f00)
            .chain(0xfe00..0xff80)
            .chain([0x1f600, 0x2460, 0x3231]);
        for c in samples.filter_map(char::from_u32) {
            let word = normalise_word(&c.to_string());
            let mut chars = word.chars();
            let one = match (chars.next(), chars.next()) {
                (Some(x), None) => Some(x),
                _ => None,
            };
            assert_eq!(normalise_one(c), one, "{c:?} -> {word:?}");
        }
    }

    #[test]
    fn every_byte_maps_like_a_per_byte_table() {
        // The run map agrees with the plain definition: each normalised byte maps to the
        // original character (or whitespace run) it came from.
        let src = "我們　使用 Ｆｉｒｅｂａｓｅ SDK，收集IMEI㈱\r\n\n  下一行 a  b\tc";
        let n = NormalText::new(src);
        let mut expected: Vec<(usize, usize)> = Vec::new();
        let mut pending: Option<(bool, usize, usize)> = None;
        let mut prev: Option<char> = None;
        for (pos, ch) in src.char_indices() {
            let end = pos + ch.len_utf8();
            for c in normalise_char(ch) {
                if c.is_whitespace() {
                    let nl = c == '\n';
                    pending = Some(match pending {
                        Some((had, s, _)) => (had || nl, s, end),
                        None => (nl, pos, end),
                    });
                    continue;
                }
                if let Some((nl, s, e)) = pending.take() {
                    let kept = nl
                        || prev.is_some_and(|p| {
                            p.is_ascii_alphanumeric() && c.is_ascii_alphanumeric()
                        });
                    if kept {
                        expected.push((s, e));
                    }
                }
                for _ in 0..c.len_utf8() {
                    expected.push((pos, end));
                }
                prev = Some(c);
            }
        }
        for (i, want) in expected.iter().enumerate() {
            if n.text.is_char_boundary(i) {
                assert_eq!(
                    n.original_range(i, i + 1),
                    *want,
                    "byte {i} of {:?}",
                    n.text
                );
            }
        }
    }
}
