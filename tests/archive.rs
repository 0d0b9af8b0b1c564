//! The archive layer against real apps (entry lists compared with Info-ZIP's zipinfo, every
//! entry read with its CRC checked), zips written by CPython's zipfile, and hostile zips built
//! byte by byte here.

mod support;

#[path = "archive/hostile.rs"]
mod hostile;
#[path = "archive/zip_builder.rs"]
mod zip_builder;

use zip_builder::{build_zip, crc32, deflated, stored, zeros_bomb, Item};

use disclose::archive::{
    open_package, open_package_bytes, sha256_file, Archive, ArchiveError, Limits, PackageKind,
};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// Real apps

const SHARED_APPS: &[&str] = &[
    "mobsf-diva.apk",
    "weibo-app-signatures.apk",
    "weibo-sdk-demo-3.1.4.apk",
    "mobsf-helloworld.ipa",
    "weibo-sdk-demo-2013.ipa",
];

fn real_apps() -> Vec<PathBuf> {
    let corpus = support::corpus_app_names()
        .into_iter()
        .filter_map(|n| support::corpus_app(&n));
    let shared = SHARED_APPS
        .iter()
        .filter_map(|n| support::shared_file(&format!("corpus/apps/{n}")));
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

fn open_bytes(bytes: Vec<u8>) -> Result<Archive, ArchiveError> {
    Archive::from_bytes("", bytes, Limits::default())
}

fn fixture(name: &str) -> PathBuf {
    support::repo_file(&format!("tests/fixtures/archive/{name}"))
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
            support::skipped("python3 is not installed");
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
