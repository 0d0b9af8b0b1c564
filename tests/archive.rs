//! The archive layer against real apps (entry lists compared with Info-ZIP's zipinfo, every
//! entry read with its CRC checked), zips written by CPython's zipfile, and hostile zips built
//! byte by byte here.

mod support;

use disclose::archive::{
    open_package, open_package_bytes, sha256_file, Archive, ArchiveError, Entry, Limits,
    PackageKind,
};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// Real apps

const CORPUS_APPS: &[&str] = &[
    "Yosemite.apk",
    "appium-uiautomator2-server-v10.6.6.apk",
    "appium-uiautomator2-server-debug-androidTest.apk",
    "settings_apk-debug.apk",
    "ApiDemos-debug.apk",
    "app-uiautomator.apk",
];

const SHARED_APPS: &[&str] = &[
    "mobsf-diva.apk",
    "weibo-app-signatures.apk",
    "weibo-sdk-demo-3.1.4.apk",
    "mobsf-helloworld.ipa",
    "weibo-sdk-demo-2013.ipa",
];

/// A file of ../shared/corpus/apps; `DISCLOSE_SHARED` overrides where ../shared is (a git
/// worktree sits elsewhere).
fn shared_app(name: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DISCLOSE_SHARED") {
        let path = PathBuf::from(dir).join("corpus/apps").join(name);
        if path.is_file() {
            return Some(path);
        }
    }
    support::shared_file(&format!("corpus/apps/{name}"))
}

fn real_apps() -> Vec<PathBuf> {
    let corpus = CORPUS_APPS.iter().filter_map(|n| support::corpus_app(n));
    let shared = SHARED_APPS.iter().filter_map(|n| shared_app(n));
    corpus.chain(shared).collect()
}

/// One line of `zipinfo -l`: name, size, compressed size, method.
#[derive(Debug, PartialEq, Eq)]
struct Listed {
    name: String,
    size: u64,
    compressed: u64,
    deflated: bool,
}

/// Parse a golden `zipinfo -l` listing: a header line, one line per entry (nine fields, then
/// the name), a summary line.
fn parse_zipinfo(text: &str) -> (u64, Vec<Listed>) {
    let mut lines = text.lines();
    let header = lines.next().expect("header line");
    let count: u64 = header
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("entry count in header");
    let mut listed = Vec::new();
    for line in lines {
        let mut rest = line;
        let mut fields = Vec::new();
        for _ in 0..9 {
            rest = rest.trim_start();
            let end = rest.find(' ').unwrap_or(rest.len());
            fields.push(&rest[..end]);
            rest = &rest[end..];
        }
        // The summary line ("1183 files, ...") has no method field.
        let Ok(size) = fields[3].parse() else {
            continue;
        };
        let Ok(compressed) = fields[5].parse() else {
            continue;
        };
        listed.push(Listed {
            name: rest.strip_prefix(' ').unwrap_or(rest).to_owned(),
            size,
            compressed,
            deflated: fields[6].starts_with("def"),
        });
    }
    (count, listed)
}

fn golden_path(app: &Path) -> PathBuf {
    let name = app.file_name().unwrap().to_string_lossy();
    support::repo_file(&format!("tests/golden/archive/{name}.zipinfo"))
}

#[test]
fn real_apps_list_the_entries_zipinfo_lists() {
    let apps = real_apps();
    for app in &apps {
        let golden = std::fs::read_to_string(golden_path(app))
            .unwrap_or_else(|e| panic!("{}: no golden file ({e})", app.display()));
        let (count, listed) = parse_zipinfo(&golden);
        let archive = Archive::open(app, Limits::default())
            .unwrap_or_else(|e| panic!("{}: {e}", app.display()));
        let ours: Vec<Listed> = archive
            .entries()
            .iter()
            .map(|e| Listed {
                name: e.name.clone(),
                size: e.size,
                compressed: e.compressed_size,
                deflated: e.is_deflated(),
            })
            .collect();
        assert_eq!(ours.len() as u64, count, "{}", app.display());
        assert_eq!(ours, listed, "{}", app.display());
        assert_eq!(archive.file_size(), std::fs::metadata(app).unwrap().len());
        assert!(!archive.has_duplicates(), "{}", app.display());
    }
    eprintln!("compared {} real apps with zipinfo", apps.len());
}

#[test]
fn real_apps_read_every_entry_with_matching_crc_in_parallel() {
    for app in real_apps() {
        let archive = Archive::open(&app, Limits::default()).unwrap();
        let total: u64 = archive
            .entries()
            .par_iter()
            .map(|e| {
                let data = archive
                    .read(e)
                    .unwrap_or_else(|err| panic!("{}: {err}", app.display()));
                assert_eq!(data.len() as u64, e.size);
                assert_eq!(crc32(&data), e.crc32, "{} {}", app.display(), e.name);
                data.len() as u64
            })
            .sum();
        let declared: u64 = archive.entries().iter().map(|e| e.size).sum();
        assert_eq!(total, declared, "{}", app.display());
        assert_eq!(archive.bytes_read(), declared, "{}", app.display());
    }
}

#[test]
fn read_prefix_is_the_start_of_read() {
    for app in real_apps() {
        let archive = Archive::open(&app, Limits::default()).unwrap();
        for e in archive.entries().iter().filter(|e| e.size > 0).take(40) {
            let whole = archive.read(e).unwrap();
            let head = archive.read_prefix(e, 7).unwrap();
            assert_eq!(head, whole[..whole.len().min(7)], "{}", e.name);
        }
        if let Some(dex) = archive.entry("classes.dex") {
            assert_eq!(&archive.read_prefix(dex, 4).unwrap(), b"dex\n");
        }
    }
}

#[test]
fn a_plain_apk_is_one_unnamed_split() {
    let Some(app) = support::corpus_app("ApiDemos-debug.apk") else {
        return;
    };
    let package = open_package(&app, Limits::default()).unwrap();
    assert_eq!(package.kind, PackageKind::Plain);
    assert_eq!(package.splits.len(), 1);
    assert_eq!(package.splits[0].name, "");
    assert!(package.splits[0]
        .archive
        .entry("AndroidManifest.xml")
        .is_some());
}

#[test]
fn sha256_file_matches_the_pinned_corpus_hash() {
    let Some(app) = support::corpus_app("Yosemite.apk") else {
        return;
    };
    assert_eq!(
        sha256_file(&app).unwrap(),
        "f888b95773d505c1640493d0482ec3d9e5a87b8c3796ba63a2a65b7a87f108e1"
    );
}

#[test]
fn archive_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Archive>();
    check::<disclose::archive::AppPackage>();
}

// ---------------------------------------------------------------------------------------------
// A byte-level zip builder for hostile inputs

fn crc32(data: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(data);
    crc.sum()
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

/// A raw deflate stream that inflates to `mib` MiB of zeros, built in O(output/1000): one
/// fully flushed 1 MiB block (self-contained, byte-aligned) repeated, then an empty final block.
fn zeros_bomb(mib: u64) -> Vec<u8> {
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
struct Item {
    name: String,
    /// Bytes written as the entry's data.
    payload: Vec<u8>,
    method: u16,
    /// Declared inflated size (the central directory's).
    size: u64,
    crc: u32,
    flags: u16,
    /// Local header fields that disagree with the central directory.
    local_name: Option<String>,
    local_extra: Vec<u8>,
    local_method: Option<u16>,
    local_sizes: Option<(u32, u32)>,
    /// A central-directory offset that points somewhere else.
    offset: Option<u64>,
}

fn stored(name: &str, data: &[u8]) -> Item {
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

fn deflated(name: &str, data: &[u8]) -> Item {
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

fn build_zip(items: &[Item]) -> Vec<u8> {
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

fn open_bytes(bytes: Vec<u8>) -> Result<Archive, ArchiveError> {
    Archive::from_bytes("", bytes, Limits::default())
}

fn fixture(name: &str) -> PathBuf {
    support::repo_file(&format!("tests/fixtures/archive/{name}"))
}

// ---------------------------------------------------------------------------------------------
// Hostile inputs

#[test]
fn builder_zip_round_trips_and_unzip_agrees_when_installed() {
    let text = b"hello hello hello hello hello".repeat(20);
    let bytes = build_zip(&[stored("a.txt", b"abc"), deflated("b/c.txt", &text)]);
    let a = open_bytes(bytes.clone()).unwrap();
    assert_eq!(a.entries().len(), 2);
    assert_eq!(a.read(a.entry("a.txt").unwrap()).unwrap(), b"abc");
    assert_eq!(a.read(a.entry("b/c.txt").unwrap()).unwrap(), text);
    // Check the builder itself against Info-ZIP, so hostile variants start from a valid zip.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.zip");
    std::fs::write(&path, &bytes).unwrap();
    match std::process::Command::new("unzip")
        .arg("-tq")
        .arg(&path)
        .output()
    {
        Ok(o) => assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout)),
        Err(_) => eprintln!("SKIPPED: unzip is not installed"),
    }
}

#[test]
fn random_bytes_and_truncations_are_errors_not_panics() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut random = vec![0u8; 100_000];
    for b in random.iter_mut() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        *b = seed as u8;
    }
    assert!(matches!(open_bytes(random), Err(ArchiveError::NotZip)));
    assert!(matches!(open_bytes(Vec::new()), Err(ArchiveError::NotZip)));

    let text = b"truncate me ".repeat(100);
    let whole = build_zip(&[stored("a", b"x"), deflated("b", &text)]);
    for cut in 0..whole.len() {
        let short = whole[..cut].to_vec();
        if let Ok(a) = open_bytes(short) {
            for e in a.entries() {
                let _ = a.read(e);
            }
        }
    }
    // A zip cut after its central directory but before the end record is not a zip.
    let e = open_bytes(whole[..whole.len() - 22].to_vec()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "not a zip archive (no end of central directory record)"
    );
}

#[test]
fn truncated_real_apk_is_an_error() {
    let Some(app) = support::corpus_app("app-uiautomator.apk") else {
        return;
    };
    let bytes = std::fs::read(app).unwrap();
    let half = bytes[..bytes.len() / 2].to_vec();
    assert!(matches!(open_bytes(half), Err(ArchiveError::NotZip)));
}

#[test]
fn honest_ten_gib_zip_bomb_is_refused_by_ratio_before_inflating() {
    let mut bomb = Item {
        payload: zeros_bomb(10 * 1024),
        method: 8,
        size: 10 << 30,
        crc: 0,
        ..stored("assets/bomb.bin", b"")
    };
    bomb.local_sizes = Some((bomb.payload.len() as u32, u32::MAX));
    let a = open_bytes(build_zip(&[stored("ok", b"ok"), bomb])).unwrap();
    let entry = a.entry("assets/bomb.bin").unwrap();
    assert_eq!(entry.size, 10 << 30, "zip64 extra field read");
    let err = a.read(entry).unwrap_err();
    assert!(matches!(err, ArchiveError::RatioExceeded { .. }), "{err}");
    assert!(err.to_string().contains("assets/bomb.bin"), "{err}");
    assert!(err.to_string().contains("zip bomb"), "{err}");
    assert_eq!(a.bytes_read(), 0, "refused before allocating");
    // The first bytes are still there for sniffing, within the limits.
    assert_eq!(a.read_prefix(entry, 16).unwrap(), vec![0u8; 16]);
}

#[test]
fn zip_bomb_lying_about_its_size_stops_at_the_declared_size() {
    let bomb = Item {
        payload: zeros_bomb(1024),
        method: 8,
        size: 1 << 20,
        crc: crc32(&vec![0u8; 1 << 20]),
        ..stored("res/raw/zeros", b"")
    };
    let a = open_bytes(build_zip(&[bomb])).unwrap();
    let err = a.read(&a.entries()[0]).unwrap_err();
    assert!(
        matches!(err, ArchiveError::LongerThanDeclared { declared, .. } if declared == 1 << 20),
        "{err}"
    );
    assert!(err.to_string().contains("res/raw/zeros"));
    assert!(a.bytes_read() <= 1 << 20);
}

#[test]
fn a_declared_size_larger_than_the_data_costs_only_what_really_inflates() {
    // 1 MiB of incompressible bytes that declare 100 MiB (within every limit).
    let mut seed = 7u64;
    let noise: Vec<u8> = (0..1 << 20)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as u8
        })
        .collect();
    let mut liar = deflated("lib/arm64-v8a/libfake.so", &noise);
    liar.size = 100 << 20;
    let a = open_bytes(build_zip(&[liar])).unwrap();
    let err = a.read(&a.entries()[0]).unwrap_err();
    assert!(
        matches!(err, ArchiveError::SizeMismatch { actual, .. } if actual == 1 << 20),
        "{err}"
    );
    assert!(
        a.bytes_read() < 20 << 20,
        "allocated {} bytes",
        a.bytes_read()
    );
}

#[test]
fn per_entry_limit_bounds_a_permitted_ratio() {
    let limits = Limits {
        max_ratio: 5000,
        max_entry_size: 8 << 20,
        ..Limits::default()
    };
    let bomb = Item {
        payload: zeros_bomb(64),
        method: 8,
        size: 64 << 20,
        crc: 0,
        ..stored("big", b"")
    };
    let a = Archive::from_bytes("outer.apk", build_zip(&[bomb]), limits).unwrap();
    let err = a.read(&a.entries()[0]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "entry outer.apk!big: 67108864 bytes is over the per-entry limit of 8388608 bytes"
    );
    // A prefix read is capped by the per-entry limit too.
    let head = a.read_prefix(&a.entries()[0], usize::MAX).unwrap();
    assert_eq!(head.len(), 8 << 20);
}

#[test]
fn overlapping_entries_are_bounded_by_the_total_limit_across_threads() {
    // Fifield's non-overlapping-free bomb shape: many central-directory records pointing at the
    // same local data. Each inflates to 1 MiB; the archive may produce 10 MiB in all.
    let kernel = zeros_bomb(1);
    let crc = crc32(&vec![0u8; 1 << 20]);
    let items: Vec<Item> = (0..64)
        .map(|i| Item {
            payload: if i == 0 { kernel.clone() } else { Vec::new() },
            method: 8,
            size: 1 << 20,
            crc,
            offset: (i > 0).then_some(0),
            ..stored(&format!("k{i:02}"), b"")
        })
        .collect();
    let mut bytes = build_zip(&items);
    // Patch every record's compressed size to the kernel's length.
    patch_compressed_sizes(&mut bytes, kernel.len() as u32);
    let limits = Limits {
        max_total_size: 10 << 20,
        ..Limits::default()
    };
    let a = Archive::from_bytes("", bytes, limits).unwrap();
    let results: Vec<Result<Vec<u8>, ArchiveError>> =
        a.entries().par_iter().map(|e| a.read(e)).collect();
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert!((1..=10).contains(&ok), "{ok} reads succeeded");
    let err = results.into_iter().find_map(Result::err).unwrap();
    assert!(
        matches!(err, ArchiveError::TotalTooLarge { limit, .. } if limit == 10 << 20),
        "{err}"
    );
    assert!(err.to_string().starts_with("entry k"), "{err}");
}

/// Set the compressed-size field of every central-directory record.
fn patch_compressed_sizes(zip: &mut [u8], csize: u32) {
    let mut i = 0;
    while i + 46 <= zip.len() {
        if zip[i..i + 4] == [0x50, 0x4b, 0x01, 0x02] {
            zip[i + 20..i + 24].copy_from_slice(&csize.to_le_bytes());
        }
        i += 1;
    }
}

#[test]
fn entry_count_over_the_limit_is_refused() {
    let items: Vec<Item> = (0..50).map(|i| stored(&format!("f{i}"), b"x")).collect();
    let bytes = build_zip(&items);
    let limits = Limits {
        max_entries: 49,
        ..Limits::default()
    };
    let err = Archive::from_bytes("", bytes.clone(), limits).unwrap_err();
    assert_eq!(
        err.to_string(),
        "archive declares 50 entries, over the limit of 49"
    );
    assert_eq!(open_bytes(bytes).unwrap().entries().len(), 50);
}

#[test]
fn an_end_record_claiming_more_entries_than_the_directory_holds_is_malformed() {
    let mut bytes = build_zip(&[stored("a", b"x")]);
    let n = bytes.len();
    bytes[n - 12..n - 10].copy_from_slice(&60_000u16.to_le_bytes());
    let err = open_bytes(bytes).unwrap_err();
    assert!(matches!(err, ArchiveError::Malformed(_)), "{err}");
}

#[test]
fn local_header_that_disagrees_with_the_central_directory_is_read_as_android_does() {
    let text = b"the central directory is the truth ".repeat(30);
    let mut liar = deflated("classes.dex", &text);
    liar.local_name = Some("something/else/entirely.bin".into());
    liar.local_extra = vec![0xAA; 37]; // padding only the local header has
    liar.local_method = Some(0);
    liar.local_sizes = Some((1, 99_999));
    let a = open_bytes(build_zip(&[stored("first", b"1"), liar])).unwrap();
    let e = a.entry("classes.dex").unwrap();
    assert_eq!(e.method, 8);
    assert_eq!(a.read(e).unwrap(), text);
}

#[test]
fn bogus_compression_method_is_read_as_stored() {
    let data = b"dex\n035\0 pretend this is a dex file";
    let bogus = Item {
        method: 0x6c35,
        crc: 0xdead_beef, // not checked for a bogus method, as on Android
        ..stored("classes.dex", data)
    };
    let a = open_bytes(build_zip(&[bogus])).unwrap();
    let e = a.entry("classes.dex").unwrap();
    assert!(e.has_bogus_method());
    assert_eq!(a.read(e).unwrap(), data);
    assert_eq!(a.read_prefix(e, 4).unwrap(), b"dex\n");
}

#[test]
fn crc_mismatch_is_an_error_naming_the_entry() {
    let text = b"checksummed ".repeat(10);
    for mut item in [stored("s.txt", &text), deflated("d.txt", &text)] {
        item.crc ^= 1;
        let name = item.name.clone();
        let a = open_bytes(build_zip(&[item])).unwrap();
        let err = a.read(&a.entries()[0]).unwrap_err();
        assert!(matches!(err, ArchiveError::CrcMismatch { .. }), "{err}");
        assert!(err
            .to_string()
            .starts_with(&format!("entry {name}: CRC-32")));
    }
}

#[test]
fn corrupt_deflate_data_is_an_error_naming_the_entry() {
    let item = Item {
        payload: vec![0xff; 64],
        method: 8,
        size: 100,
        ..stored("broken.xml", b"")
    };
    let a = open_bytes(build_zip(&[item])).unwrap();
    let err = a.read(&a.entries()[0]).unwrap_err();
    assert!(matches!(err, ArchiveError::Inflate { .. }), "{err}");
    assert!(err.to_string().contains("broken.xml"));
}

#[test]
fn sizes_and_offsets_outside_the_file_are_errors() {
    let mut absurd = stored("absurd", b"abc");
    absurd.offset = Some(u64::from(u32::MAX - 1));
    let mut huge = stored("huge", b"abc");
    huge.size = u64::from(u32::MAX) - 1;
    let mut short = deflated("short", &b"short read ".repeat(50));
    short.size += 1;
    let a = open_bytes(build_zip(&[absurd, huge, short])).unwrap();
    let errors: Vec<String> = a
        .entries()
        .iter()
        .map(|e| a.read(e).unwrap_err().to_string())
        .collect();
    assert!(
        errors[0].starts_with("entry absurd: local header offset"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with("entry huge: inflated to 3 bytes"),
        "{}",
        errors[1]
    );
    assert!(
        errors[2].starts_with("entry short: inflated to 550 bytes"),
        "{}",
        errors[2]
    );
    for e in &errors {
        assert!(!e.contains('\n'), "one line: {e}");
    }
}

#[test]
fn central_directory_outside_the_file_is_malformed() {
    let mut bytes = build_zip(&[stored("a", b"x")]);
    let n = bytes.len();
    bytes[n - 6..n - 2].copy_from_slice(&0x7fff_0000u32.to_le_bytes());
    let err = open_bytes(bytes).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("malformed zip: central directory"),
        "{err}"
    );
}

#[test]
fn duplicate_names_first_wins_and_are_reported() {
    let a = open_bytes(build_zip(&[
        stored("classes.dex", b"first"),
        stored("b", b"b"),
        stored("classes.dex", b"second"),
        stored("classes.dex", b"third"),
    ]))
    .unwrap();
    assert!(a.has_duplicates());
    assert_eq!(a.duplicate_names(), vec!["classes.dex"]);
    assert_eq!(a.entries().len(), 4);
    assert_eq!(a.read(a.entry("classes.dex").unwrap()).unwrap(), b"first");
    assert!(a.entry("classes").is_none());
    assert!(a.entry("classes.dex2").is_none());
}

#[test]
fn data_descriptor_entries_use_the_central_directory_sizes() {
    let text = b"streamed ".repeat(100);
    let mut d = deflated("streamed.txt", &text);
    d.flags |= 8;
    let mut s = stored("streamed.bin", b"stored and streamed");
    s.flags |= 8;
    let a = open_bytes(build_zip(&[d, s])).unwrap();
    assert!(a.entries().iter().all(Entry::has_data_descriptor));
    assert_eq!(a.read(&a.entries()[0]).unwrap(), text);
    assert_eq!(a.read(&a.entries()[1]).unwrap(), b"stored and streamed");
}

#[test]
fn end_record_is_found_behind_a_long_comment_and_trailing_bytes() {
    let mut bytes = build_zip(&[stored("a", b"x")]);
    let n = bytes.len();
    let comment = vec![b'c'; 65_535];
    bytes[n - 2..].copy_from_slice(&(comment.len() as u16).to_le_bytes());
    bytes.extend_from_slice(&comment);
    assert_eq!(open_bytes(bytes.clone()).unwrap().entries().len(), 1);
    // A comment longer than what follows the record does not fit: that signature is skipped.
    bytes.truncate(n + 10);
    assert!(open_bytes(bytes).is_err());
}

#[test]
fn files_on_disk_read_the_same_as_bytes() {
    let text = b"on disk ".repeat(1000);
    let bytes = build_zip(&[deflated("x", &text), stored("y", b"yy")]);
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(&bytes).unwrap();
    let a = Archive::open(f.path(), Limits::default()).unwrap();
    assert_eq!(a.read(a.entry("x").unwrap()).unwrap(), text);
    assert_eq!(a.read_prefix(a.entry("x").unwrap(), 3).unwrap(), b"on ");
    assert_eq!(a.file_size(), bytes.len() as u64);
}

// ---------------------------------------------------------------------------------------------
// Zips written by CPython's zipfile (tests/fixtures/archive/make_fixtures.py)

#[test]
fn python_plain_zip() {
    let a = Archive::open(&fixture("python-plain.zip"), Limits::default()).unwrap();
    let names: Vec<&str> = a.entries().iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["dir/", "dir/stored.txt", "dir/deflated.txt"]);
    assert!(a.entries()[0].is_dir());
    assert_eq!(
        a.read(a.entry("dir/deflated.txt").unwrap()).unwrap(),
        b"disclose archive fixture\n".repeat(200)
    );
    assert_eq!(
        a.read(a.entry("dir/stored.txt").unwrap()).unwrap(),
        b"stored bytes\n"
    );
}

#[test]
fn python_zip64_zip() {
    let a = Archive::open(&fixture("python-zip64.zip"), Limits::default()).unwrap();
    let names: Vec<&str> = a.entries().iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["a.txt", "b.bin", "c/d.txt"]);
    for e in a.entries() {
        let mut want = b"disclose archive fixture\n".repeat(200);
        want.extend_from_slice(e.name.as_bytes());
        assert_eq!(a.read(e).unwrap(), want, "{}", e.name);
    }
    assert_eq!(a.entries()[2].local_header_offset(), 5177);
}

#[test]
fn python_data_descriptor_zip() {
    let a = Archive::open(&fixture("python-data-descriptor.zip"), Limits::default()).unwrap();
    assert_eq!(a.entries().len(), 2);
    for e in a.entries() {
        assert!(e.has_data_descriptor(), "{}", e.name);
        let mut want = b"disclose archive fixture\n".repeat(200);
        want.extend_from_slice(e.name.as_bytes());
        assert_eq!(a.read(e).unwrap(), want);
    }
}

#[test]
fn python_duplicate_zip() {
    let a = Archive::open(&fixture("python-duplicate.zip"), Limits::default()).unwrap();
    assert_eq!(a.duplicate_names(), ["classes.dex"]);
    assert_eq!(a.read(a.entry("classes.dex").unwrap()).unwrap(), b"first");
    assert_eq!(a.read(&a.entries()[2]).unwrap(), b"second!");
}

// ---------------------------------------------------------------------------------------------
// Bundles of split APKs

fn tiny_apk(label: &str) -> Vec<u8> {
    build_zip(&[
        deflated(
            "AndroidManifest.xml",
            format!("manifest of {label}").as_bytes(),
        ),
        deflated("classes.dex", format!("dex of {label}").as_bytes()),
    ])
}

#[test]
fn xapk_splits_open_stored_in_place_and_deflated_in_memory() {
    let base = tiny_apk("base");
    let config = tiny_apk("config");
    let bytes = build_zip(&[
        stored("icon.png", b"png"),
        deflated("split_config.arm64_v8a.apk", &config),
        stored("base.apk", &base),
        deflated("manifest.json", br#"{"package_name":"com.example"}"#),
    ]);
    let package = open_package_bytes("app.xapk", bytes, Limits::default()).unwrap();
    assert_eq!(package.kind, PackageKind::Xapk);
    let names: Vec<&str> = package.splits.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["base.apk", "split_config.arm64_v8a.apk"]);
    let (manifest_name, manifest) = package.manifest.as_ref().unwrap();
    assert_eq!(manifest_name, "manifest.json");
    assert!(manifest.starts_with(b"{\"package_name\""));
    for (split, label) in package.splits.iter().zip(["base", "config"]) {
        let a = &split.archive;
        assert_eq!(
            a.read(a.entry("classes.dex").unwrap()).unwrap(),
            format!("dex of {label}").as_bytes()
        );
    }
    assert_eq!(package.splits[0].archive.file_size(), base.len() as u64);
}

#[test]
fn apks_prefers_splits_over_standalones() {
    let bytes = build_zip(&[
        stored("toc.pb", b"\x0a\x00"),
        stored(
            "standalones/standalone-arm64_v8a.apk",
            &tiny_apk("standalone"),
        ),
        stored("splits/config.en.apk", &tiny_apk("en")),
        stored("splits/base-master.apk", &tiny_apk("base")),
    ]);
    let package = open_package_bytes("", bytes, Limits::default()).unwrap();
    assert_eq!(package.kind, PackageKind::Apks);
    let names: Vec<&str> = package.splits.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["splits/base-master.apk", "splits/config.en.apk"]);
}

#[test]
fn a_zip_bomb_inside_a_split_names_the_split_and_shares_the_budget() {
    let inner = build_zip(&[Item {
        payload: zeros_bomb(64),
        method: 8,
        size: 1 << 20,
        crc: 0,
        ..stored("assets/z", b"")
    }]);
    let bytes = build_zip(&[
        stored("manifest.json", b"{}"),
        deflated("base.apk", &tiny_apk("base")),
        deflated("split_x.apk", &inner),
    ]);
    let package = open_package_bytes("", bytes, Limits::default()).unwrap();
    let split = &package.splits[1].archive;
    let err = split.read(&split.entries()[0]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "entry split_x.apk!assets/z: inflates past the 1048576 bytes the central directory declares"
    );
    // The outer archive's budget counted the inflated splits and the inner read.
    assert!(package.splits[0].archive.bytes_read() >= (inner.len() + (1 << 20)) as u64);
}

#[test]
fn a_broken_split_is_an_error_naming_it() {
    let bytes = build_zip(&[
        stored("manifest.json", b"{}"),
        stored("base.apk", b"this is not a zip"),
    ]);
    let err = open_package_bytes("", bytes, Limits::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "split base.apk: not a zip archive (no end of central directory record)"
    );
}

/// An .xapk and an .apks written by CPython's zipfile from two small real APKs, at test time
/// (the real APKs are not ours to commit).
#[test]
fn python_built_bundles_of_real_apks() {
    let (Some(one), Some(two)) = (
        support::corpus_app("appium-uiautomator2-server-debug-androidTest.apk"),
        support::corpus_app("app-uiautomator.apk"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let xapk = dir.path().join("app.xapk");
    let apks = dir.path().join("app.apks");
    let script = r#"
import sys, zipfile
one, two, xapk, apks = sys.argv[1:5]
with zipfile.ZipFile(xapk, "w") as z:
    z.write(one, "base.apk", compress_type=zipfile.ZIP_STORED)
    z.write(two, "split_config.xxhdpi.apk", compress_type=zipfile.ZIP_DEFLATED)
    z.writestr("manifest.json", '{"package_name": "io.appium.uiautomator2.server.test"}')
    z.writestr("icon.png", b"not really a png")
with zipfile.ZipFile(apks, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("toc.pb", b"\x0a\x02\x08\x01")
    z.write(two, "splits/config.en.apk")
    z.write(one, "splits/base-master.apk", compress_type=zipfile.ZIP_STORED)
"#;
    let ran = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args([&one, &two, &xapk, &apks])
        .status();
    match ran {
        Ok(s) => assert!(s.success(), "python3 failed"),
        Err(_) => {
            eprintln!("SKIPPED: python3 is not installed");
            return;
        }
    }
    for (path, kind, base, other) in [
        (
            &xapk,
            PackageKind::Xapk,
            "base.apk",
            "split_config.xxhdpi.apk",
        ),
        (
            &apks,
            PackageKind::Apks,
            "splits/base-master.apk",
            "splits/config.en.apk",
        ),
    ] {
        let package = open_package(path, Limits::default()).unwrap();
        assert_eq!(package.kind, kind);
        let names: Vec<&str> = package.splits.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, [base, other]);
        for (split, real) in package.splits.iter().zip([&one, &two]) {
            let direct = Archive::open(real, Limits::default()).unwrap();
            assert_eq!(split.archive.entries(), direct.entries());
            for e in split.archive.entries() {
                assert_eq!(split.archive.read(e).unwrap(), direct.read(e).unwrap());
            }
        }
    }
}
