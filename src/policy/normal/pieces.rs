//! A long text normalised in pieces on the cores there are, with the same text and offset
//! map as one pass over it ([`NormalText::new`] of a 20 MB policy).
//!
//! ```text
//! "…IMEI、MAC |\n| Bugly | …"  →  pieces cut right after visible ASCII ("|", "a", ".")
//!                                  normalised in parallel, joined with shifted offsets
//! ```

use super::{to_u32, NormalText, Run};
use rayon::prelude::*;

impl NormalText {
    /// [`NormalText::new`] with pieces of about `piece_len` bytes. A piece starts right after
    /// visible ASCII ("a", "|", "."), where one pass over the whole text has no whitespace
    /// pending and the character before is that ASCII character, so each piece is
    /// normalised on its own from that state; the pieces are joined with their offsets
    /// shifted and a run that goes on across the seam merged as one pass merges it.
    pub(super) fn in_pieces(original: &str, piece_len: usize) -> Self {
        let cuts = piece_cuts(original.as_bytes(), piece_len);
        if cuts.len() <= 2 {
            return Self::build(original, true);
        }
        let bounds: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
        let pieces: Vec<NormalText> = bounds
            .par_iter()
            .map(|&(a, b)| {
                let prev = a
                    .checked_sub(1)
                    .and_then(|i| original.as_bytes().get(i))
                    .map(|&c| char::from(c.to_ascii_lowercase()));
                Self::build_after(original.get(a..b).unwrap_or(""), true, prev)
            })
            .collect();
        let mut out = NormalText {
            text: String::with_capacity(original.len()),
            runs: Vec::new(),
        };
        for (piece, &(a, _)) in pieces.into_iter().zip(&bounds) {
            out.append(piece, a);
        }
        out
    }

    /// Appends `piece`, the normalised text of the original from byte `original_at` on.
    fn append(&mut self, piece: NormalText, original_at: usize) {
        let (n, o) = (to_u32(self.text.len()), to_u32(original_at));
        self.text.push_str(&piece.text);
        let mut runs = piece.runs.into_iter().map(|r| Run {
            normal: r.normal.saturating_add(n),
            original: r.original.saturating_add(o),
            end: r.end.saturating_add(o),
            identity: r.identity,
        });
        if let Some(first) = runs.next() {
            if !self
                .runs
                .last()
                .is_some_and(|last| last.continued_by(&first))
            {
                self.runs.push(first);
            }
        }
        self.runs.extend(runs);
    }
}

/// Bytes of a piece of a long text normalised on its own ([`NormalText::new`]): a piece
/// takes a few milliseconds, and a text shorter than two pieces is done in one.
pub(super) const PIECE_BYTES: usize = 1 << 20;

/// Where the pieces of a text of `bytes` start and end (`0` and the length included): each
/// inner cut is the first byte after visible ASCII at least `piece_len` bytes after the cut
/// before it (a text without visible ASCII has one piece).
fn piece_cuts(bytes: &[u8], piece_len: usize) -> Vec<usize> {
    let mut cuts = vec![0];
    let mut from = piece_len.max(1);
    while from < bytes.len() {
        let after_ascii = bytes
            .get(from - 1..)
            .and_then(|tail| tail.iter().position(u8::is_ascii_graphic))
            .map(|i| from + i);
        match after_ascii {
            Some(cut) if cut < bytes.len() => {
                cuts.push(cut);
                from = cut + piece_len.max(1);
            }
            _ => break,
        }
    }
    cuts.push(bytes.len());
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_give_the_text_and_map_of_one_pass() {
        let samples = [
            "我們　使用 Ｆｉｒｅｂａｓｅ SDK，收集IMEI㈱\r\n\n  下一行 a  b\tc，，。",
            "| 极光推送 | 消息推送 | IMEI、MAC |\n|---|---|---|\n| Bugly | 崩溃 | Android ID |\n",
            "We  Collect your IMEI.\n\n  a b\u{a0}c ㈱㈱ ｆｕｌｌ ＷＩＤＴＨ — x\u{3000}\u{3000}y ",
            "",
            "abc",
            "   \n\n",
        ];
        let long = samples.concat().repeat(7);
        for text in samples.iter().copied().chain([long.as_str()]) {
            let whole = NormalText::build(text, true);
            for piece_len in 1..48 {
                let pieces = NormalText::in_pieces(text, piece_len);
                assert_eq!(pieces.text, whole.text, "{piece_len} {text:?}");
                assert_eq!(pieces.runs, whole.runs, "{piece_len} {text:?}");
            }
        }
        let cuts = piece_cuts(long.as_bytes(), 16);
        assert!(cuts.len() > 10 && cuts.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(piece_cuts("中文".as_bytes(), 1), vec![0, "中文".len()]);
    }
}
