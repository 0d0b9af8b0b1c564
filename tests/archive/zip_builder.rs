//! A byte-level zip writer for hostile test inputs: every field can be made to lie.

use std::io::Write;

pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(data);
    crc.sum()
}

pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

/// A raw deflate stream that inflates to `mib` MiB of zeros, built in O(output/1000): one
/// fully flushed 1 MiB block (self-contained, byte-aligned) repeated, then an empty final block.
pub fn zeros_bomb(mib: u64) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let mut block = Vec::with_capacity(64 << 10);
    Compress::new(Compression::best(), false)
        .compress_vec(&vec![0u8; 1 << 20], &mut block, FlushCompress::Full)
        .unwrap();
    let mut end = Vec::with_capacity(64);
    Compress::new(Compression::best(), false)
        .compress_vec(&[], &mut end, FlushCompress::Finish)
        .unwrap();
    let mut out = Vec::with_capacity(block.len() * mib as usize + end.len());
    for _ in 0..mib {
        out.extend_from_slice(&block);
    }
    out.extend_from_slice(&end);
    out
}

/// One entry as the builder writes it; fields can be set to lie.
#[derive(Clone)]
pub struct Item {
    pub name: String,
    /// Bytes written as the entry's data.
    pub payload: Vec<u8>,
    pub method: u16,
    /// Declared inflated size (the central directory's).
    pub size: u64,
    pub crc: u32,
    pub flags: u16,
    /// Local header fields that disagree with the central directory.
    pub local_name: Option<String>,
    pub local_extra: Vec<u8>,
    pub local_method: Option<u16>,
    pub local_sizes: Option<(u32, u32)>,
    /// A central-directory offset that points somewhere else.
    pub offset: Option<u64>,
}

pub fn stored(name: &str, data: &[u8]) -> Item {
    Item {
        name: name.into(),
        payload: data.to_vec(),
        method: 0,
        size: data.len() as u64,
        crc: crc32(data),
        flags: 0,
        local_name: None,
        local_extra: Vec::new(),
        local_method: None,
        local_sizes: None,
        offset: None,
    }
}

pub fn deflated(name: &str, data: &[u8]) -> Item {
    Item {
        payload: deflate(data),
        method: 8,
        ..stored(name, data)
    }
}

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub fn build_zip(items: &[Item]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut cd = Vec::new();
    for item in items {
        let offset = out.len() as u64;
        let csize = item.payload.len() as u64;
        let descriptor = item.flags & 8 != 0;
        let (local_c, local_u) = item.local_sizes.unwrap_or(if descriptor {
            (0, 0)
        } else {
            (csize as u32, item.size.min(u64::from(u32::MAX)) as u32)
        });
        let local_name = item.local_name.as_deref().unwrap_or(&item.name);
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, 20);
        u16le(&mut out, item.flags);
        u16le(&mut out, item.local_method.unwrap_or(item.method));
        u32le(&mut out, 0); // time, date
        u32le(&mut out, if descriptor { 0 } else { item.crc });
        u32le(&mut out, local_c);
        u32le(&mut out, local_u);
        u16le(&mut out, local_name.len() as u16);
        u16le(&mut out, item.local_extra.len() as u16);
        out.extend_from_slice(local_name.as_bytes());
        out.extend_from_slice(&item.local_extra);
        out.extend_from_slice(&item.payload);
        if descriptor {
            u32le(&mut out, 0x0807_4b50);
            u32le(&mut out, item.crc);
            u32le(&mut out, csize as u32);
            u32le(&mut out, item.size as u32);
        }

        let mut extra = Vec::new();
        let big_size = item.size > u64::from(u32::MAX);
        if big_size {
            u16le(&mut extra, 1);
            u16le(&mut extra, 8);
            extra.extend_from_slice(&item.size.to_le_bytes());
        }
        u32le(&mut cd, 0x0201_4b50);
        u16le(&mut cd, 0x0314);
        u16le(&mut cd, 20);
        u16le(&mut cd, item.flags);
        u16le(&mut cd, item.method);
        u32le(&mut cd, 0);
        u32le(&mut cd, item.crc);
        u32le(&mut cd, csize as u32);
        u32le(&mut cd, if big_size { u32::MAX } else { item.size as u32 });
        u16le(&mut cd, item.name.len() as u16);
        u16le(&mut cd, extra.len() as u16);
        u16le(&mut cd, 0); // comment
        u16le(&mut cd, 0); // disk
        u16le(&mut cd, 0); // internal attributes
        u32le(&mut cd, 0); // external attributes
        u32le(&mut cd, item.offset.unwrap_or(offset) as u32);
        cd.extend_from_slice(item.name.as_bytes());
        cd.extend_from_slice(&extra);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&cd);
    eocd(&mut out, items.len() as u16, cd.len() as u32, cd_offset);
    out
}

fn eocd(out: &mut Vec<u8>, count: u16, cd_size: u32, cd_offset: u32) {
    u32le(out, 0x0605_4b50);
    u32le(out, 0); // disk numbers
    u16le(out, count);
    u16le(out, count);
    u32le(out, cd_size);
    u32le(out, cd_offset);
    u16le(out, 0);
}
