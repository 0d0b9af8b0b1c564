//! Hostile zips built byte by byte: truncation, random bytes, zip bombs, lying headers,
//! bogus methods, duplicates, data descriptors, comments, limits.

use super::zip_builder::*;
use super::{open_bytes, support};
use disclose::archive::{Archive, ArchiveError, Entry, Limits};
use rayon::prelude::*;
use std::io::Write;

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
