//! PNG files as iOS apps ship them: Xcode "crushes" the PNGs it copies into an app (an
//! Apple-only `CgBI` chunk before `IHDR`, image data deflated without the zlib header and
//! checksum, pixels in BGRA order with the colour premultiplied by alpha). Browsers cannot show
//! such a file, so [`standard_png`] turns it into an ordinary PNG (RGBA, straight alpha, zlib
//! stream, fresh CRCs); a PNG that is not crushed is checked and passed through unchanged.
//!
//! Sizes are bounded before anything is inflated ([`MAX_PIXELS`]): the inflated image data is
//! read up to the exact size the header announces, never more.
//!
//! Format references: the PNG specification (ISO/IEC 15948, chunk layout, filter types 0–4,
//! CRC-32) and the published descriptions of Apple's `CgBI` variant (Xcode's `pngcrush -iphone`).
//!
//! ```
//! use disclose::ios::icon_png::{png_size, standard_png, PngError};
//! assert_eq!(standard_png(b"GIF89a"), Err(PngError::NotPng));
//! assert!(png_size(b"\x89PNG\r\n\x1a\n").is_err());
//! ```

use crate::bytes::array_at;
use flate2::read::DeflateDecoder;
use flate2::write::ZlibEncoder;
use flate2::{Compression, Crc};
use std::io::{Read, Write};

/// Most pixels (width × height) of an image that is converted: 2048 × 2048 (an app icon is
/// at most 1024 × 1024).
pub const MAX_PIXELS: u64 = 2048 * 2048;

const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// Why a PNG could not be read. `Display` is one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PngError {
    #[error("not a PNG file")]
    NotPng,
    #[error("PNG truncated at offset {offset}")]
    Truncated { offset: usize },
    #[error("PNG has no IHDR chunk first")]
    NoHeader,
    #[error("PNG image {width}x{height} is over the {MAX_PIXELS}-pixel limit or empty")]
    TooLarge { width: u32, height: u32 },
    #[error("crushed PNG with colour type {color_type}, bit depth {bit_depth}, interlace {interlace} is not supported")]
    Unsupported {
        color_type: u8,
        bit_depth: u8,
        interlace: u8,
    },
    #[error("crushed PNG image data could not be inflated: {0}")]
    Inflate(String),
    #[error("crushed PNG image data holds {got} bytes, the header announces {expected}")]
    DataLength { expected: usize, got: usize },
    #[error("crushed PNG row {row} has unknown filter type {filter}")]
    Filter { row: usize, filter: u8 },
}

/// The `IHDR` fields this module needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub width: u32,
    pub height: u32,
    pub bit_depth: u8,
    pub color_type: u8,
    pub interlace: u8,
}

/// One chunk: its type and data.
struct Chunk<'a> {
    kind: [u8; 4],
    data: &'a [u8],
}

/// The chunks after the signature, each length checked against the file; a missing `IEND`
/// is tolerated (the chunks before it are all there is).
fn chunks(bytes: &[u8]) -> Result<Vec<Chunk<'_>>, PngError> {
    if !bytes.starts_with(SIGNATURE) {
        return Err(PngError::NotPng);
    }
    let mut out = Vec::new();
    let mut pos = SIGNATURE.len();
    while pos < bytes.len() {
        let truncated = PngError::Truncated { offset: pos };
        let len = array_at::<4>(bytes, pos).ok_or(truncated.clone())?;
        let kind = array_at::<4>(bytes, pos + 4).ok_or(truncated.clone())?;
        let len = u32::from_be_bytes(len) as usize;
        let start = pos + 8;
        let end = start.checked_add(len).ok_or(truncated.clone())?;
        let data = bytes.get(start..end).ok_or(truncated.clone())?;
        // The CRC is not checked: a reader that shows an icon need not refuse a bad checksum.
        pos = end.checked_add(4).ok_or(truncated)?;
        if &kind == b"IEND" {
            break;
        }
        out.push(Chunk { kind, data });
    }
    Ok(out)
}

fn header(chunks: &[Chunk<'_>]) -> Result<Header, PngError> {
    let ihdr = chunks
        .iter()
        .find(|c| &c.kind != b"CgBI")
        .filter(|c| &c.kind == b"IHDR" && c.data.len() == 13)
        .ok_or(PngError::NoHeader)?;
    let d = ihdr.data;
    let header = Header {
        width: u32::from_be_bytes([d[0], d[1], d[2], d[3]]),
        height: u32::from_be_bytes([d[4], d[5], d[6], d[7]]),
        bit_depth: d[8],
        color_type: d[9],
        interlace: d[12],
    };
    let pixels = u64::from(header.width) * u64::from(header.height);
    if pixels == 0 || pixels > MAX_PIXELS {
        return Err(PngError::TooLarge {
            width: header.width,
            height: header.height,
        });
    }
    Ok(header)
}

/// Width and height from the header of a (crushed or standard) PNG.
pub fn png_size(bytes: &[u8]) -> Result<(u32, u32), PngError> {
    let h = header(&chunks(bytes)?)?;
    Ok((h.width, h.height))
}

/// Whether `bytes` is an Xcode-crushed PNG (a `CgBI` chunk before `IHDR`).
pub fn is_crushed(bytes: &[u8]) -> bool {
    bytes.starts_with(SIGNATURE) && bytes.get(12..16) == Some(b"CgBI")
}

/// A PNG any browser shows: a crushed PNG converted, a standard one returned as it is (after
/// its header was checked).
pub fn standard_png(bytes: &[u8]) -> Result<Vec<u8>, PngError> {
    let chunks = chunks(bytes)?;
    let header = header(&chunks)?;
    if !is_crushed(bytes) {
        return Ok(bytes.to_vec());
    }
    let channels = match (header.color_type, header.bit_depth, header.interlace) {
        (6, 8, 0) => 4,
        (2, 8, 0) => 3,
        _ => {
            return Err(PngError::Unsupported {
                color_type: header.color_type,
                bit_depth: header.bit_depth,
                interlace: header.interlace,
            })
        }
    };
    let idat: Vec<u8> = chunks
        .iter()
        .filter(|c| &c.kind == b"IDAT")
        .flat_map(|c| c.data.iter().copied())
        .collect();
    let width = header.width as usize;
    let height = header.height as usize;
    let row_bytes = width * channels;
    let mut filtered = inflate_exact(&idat, height * (row_bytes + 1))?;
    let pixels = unfilter(&mut filtered, row_bytes, channels)?;
    let mut rows = Vec::with_capacity(filtered.len());
    for row in pixels.chunks_exact(row_bytes) {
        rows.push(0); // filter type None
        for px in row.chunks_exact(channels) {
            rows.extend_from_slice(&straight_rgba(px));
        }
    }
    encode(&header, &rows)
}

/// Raw-deflate `data` into exactly `expected` bytes; fewer or more is an error.
fn inflate_exact(data: &[u8], expected: usize) -> Result<Vec<u8>, PngError> {
    let mut out = Vec::with_capacity(expected);
    DeflateDecoder::new(data)
        .take(expected as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| PngError::Inflate(e.to_string()))?;
    if out.len() != expected {
        return Err(PngError::DataLength {
            expected,
            got: out.len(),
        });
    }
    Ok(out)
}

/// Undo the per-row filters in place; returns the pixel bytes without the filter-type bytes.
fn unfilter(data: &mut [u8], row_bytes: usize, bpp: usize) -> Result<Vec<u8>, PngError> {
    let mut pixels = Vec::with_capacity(data.len());
    let mut prior = vec![0u8; row_bytes];
    for (row, line) in data.chunks_exact_mut(row_bytes + 1).enumerate() {
        let filter = line[0];
        let cur = &mut line[1..];
        for i in 0..row_bytes {
            let left = if i >= bpp { cur[i - bpp] } else { 0 };
            let up = prior[i];
            let up_left = if i >= bpp { prior[i - bpp] } else { 0 };
            let predictor = match filter {
                0 => 0,
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                4 => paeth(left, up, up_left),
                _ => return Err(PngError::Filter { row, filter }),
            };
            cur[i] = cur[i].wrapping_add(predictor);
        }
        prior.copy_from_slice(cur);
        pixels.extend_from_slice(cur);
    }
    Ok(pixels)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// One crushed pixel (BGRA premultiplied, or BGR) as RGBA / RGB with straight alpha.
fn straight_rgba(px: &[u8]) -> Vec<u8> {
    let (b, g, r) = (px[0], px[1], px[2]);
    match px.get(3) {
        None => vec![r, g, b],
        Some(&0) => vec![0, 0, 0, 0],
        Some(&a) => {
            let un =
                |c: u8| ((u32::from(c) * 255 + u32::from(a) / 2) / u32::from(a)).min(255) as u8;
            vec![un(r), un(g), un(b), a]
        }
    }
}

/// A standard PNG of `header`'s size and colour type holding `rows` (filter bytes included).
fn encode(header: &Header, rows: &[u8]) -> Result<Vec<u8>, PngError> {
    let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
    z.write_all(rows)
        .map_err(|e| PngError::Inflate(e.to_string()))?;
    let idat = z.finish().map_err(|e| PngError::Inflate(e.to_string()))?;
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&header.width.to_be_bytes());
    ihdr.extend_from_slice(&header.height.to_be_bytes());
    ihdr.extend_from_slice(&[header.bit_depth, header.color_type, 0, 0, 0]);
    let mut out = SIGNATURE.to_vec();
    for (kind, data) in [
        (b"IHDR", &ihdr[..]),
        (b"IDAT", &idat[..]),
        (b"IEND", &[][..]),
    ] {
        write_chunk(&mut out, kind, data);
    }
    Ok(out)
}

fn write_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::ZlibDecoder;

    /// A crushed PNG built from RGBA rows by the published recipe (for tests and the fuzz seed):
    /// premultiply, swap to BGRA, filter type Sub on every row, raw deflate, `CgBI` chunk first.
    fn crush_for_tests(width: u32, height: u32, rgba: &[u8]) -> Vec<u8> {
        use flate2::write::DeflateEncoder;
        let mut rows = Vec::new();
        for row in rgba.chunks_exact(width as usize * 4) {
            rows.push(1);
            let mut prev = [0u8; 4];
            for px in row.chunks_exact(4) {
                let a = u32::from(px[3]);
                let pre = |c: u8| ((u32::from(c) * a + 127) / 255) as u8;
                let bgra = [pre(px[2]), pre(px[1]), pre(px[0]), px[3]];
                for i in 0..4 {
                    rows.push(bgra[i].wrapping_sub(prev[i]));
                }
                prev = bgra;
            }
        }
        let mut z = DeflateEncoder::new(Vec::new(), Compression::default());
        z.write_all(&rows).unwrap();
        let idat = z.finish().unwrap();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        let mut out = SIGNATURE.to_vec();
        write_chunk(&mut out, b"CgBI", &[0x50, 0x00, 0x20, 0x02]);
        write_chunk(&mut out, b"IHDR", &ihdr);
        write_chunk(&mut out, b"IDAT", &idat);
        write_chunk(&mut out, b"IEND", &[]);
        out
    }

    /// Inflate a standard PNG's image data (zlib) and drop the filter bytes (all None here).
    fn rgba_of(png: &[u8]) -> Vec<u8> {
        let chunks = chunks(png).unwrap();
        let h = header(&chunks).unwrap();
        let idat: Vec<u8> = chunks
            .iter()
            .filter(|c| &c.kind == b"IDAT")
            .flat_map(|c| c.data.to_vec())
            .collect();
        let mut raw = Vec::new();
        ZlibDecoder::new(&idat[..]).read_to_end(&mut raw).unwrap();
        raw.chunks_exact(h.width as usize * 4 + 1)
            .flat_map(|r| {
                assert_eq!(r[0], 0);
                r[1..].to_vec()
            })
            .collect()
    }

    #[test]
    fn crushed_round_trip_restores_rgba_and_straight_alpha() {
        // Opaque red, half-transparent green, transparent, opaque blue-ish.
        let rgba = [255, 0, 0, 255, 0, 200, 0, 128, 9, 9, 9, 0, 10, 20, 250, 255];
        let crushed = crush_for_tests(2, 2, &rgba);
        assert!(is_crushed(&crushed));
        let png = standard_png(&crushed).unwrap();
        assert!(!is_crushed(&png));
        assert_eq!(png_size(&png), Ok((2, 2)));
        let got = rgba_of(&png);
        assert_eq!(&got[..4], &[255, 0, 0, 255]);
        assert!((i16::from(got[5]) - 200).abs() <= 2, "green {}", got[5]);
        assert_eq!(got[7], 128);
        assert_eq!(&got[8..12], &[0, 0, 0, 0]);
        assert_eq!(&got[12..], &[10, 20, 250, 255]);
        // Every CRC of the output is right.
        let mut pos = 8;
        while pos < png.len() {
            let len = u32::from_be_bytes(array_at::<4>(&png, pos).unwrap()) as usize;
            let mut crc = Crc::new();
            crc.update(&png[pos + 4..pos + 8 + len]);
            let stored = u32::from_be_bytes(array_at::<4>(&png, pos + 8 + len).unwrap());
            assert_eq!(crc.sum(), stored);
            pos += 12 + len;
        }
    }

    #[test]
    fn standard_png_passes_through_and_bad_ones_are_errors() {
        let png = standard_png(&crush_for_tests(1, 1, &[1, 2, 3, 255])).unwrap();
        assert_eq!(standard_png(&png).unwrap(), png);
        assert_eq!(
            standard_png(&png[..20]),
            Err(PngError::Truncated { offset: 8 })
        );
        let mut huge = crush_for_tests(1, 1, &[1, 2, 3, 255]);
        huge[32..36].copy_from_slice(&100_000u32.to_be_bytes()); // IHDR width
        huge[36..40].copy_from_slice(&100u32.to_be_bytes()); // and height: 10 M pixels
        assert!(matches!(
            standard_png(&huge),
            Err(PngError::TooLarge { width: 100_000, .. })
        ));
        let mut short = crush_for_tests(2, 2, &[0; 16]);
        short[36..40].copy_from_slice(&3u32.to_be_bytes()); // IHDR height 3, data for 2
        assert!(matches!(
            standard_png(&short),
            Err(PngError::DataLength { .. })
        ));
    }
}
