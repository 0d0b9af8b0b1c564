//! Mach-O / static-library reading speed against the floor of reading the file once.
//!
//! The largest real vendor framework binary in the corpus is FBSDKCoreKit (22.7 MB, a fat file
//! of four `ar` archives, 71 objects each); Bugly (10.5 MB, fat, five archs) is the second
//! input. `inspect` reads a fat binary slice by slice and parses each slice while the next is
//! read (`fat_reader`); the in-memory parse of the whole file is measured too. Run:
//! `cargo bench --bench macho` (needs scripts/fetch-corpus.sh).

// Where the fetched real inputs are: the integration tests' helpers.
#[path = "../tests/support/mod.rs"]
mod support;

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use disclose::ios::{ar, fat_reader, macho};

fn bench(c: &mut Criterion) {
    let inputs = [
        (
            "FBSDKCoreKit",
            "cordova-plugin-facebook4",
            "package/src/ios/FBSDKCoreKit.framework/FBSDKCoreKit",
        ),
        (
            "Bugly",
            "cordova-plugin-bugly-sdk",
            "package/src/ios/Bugly.framework/Bugly",
        ),
    ];
    for (name, package, inner) in inputs {
        let Some(path) = support::corpus_npm(package, inner) else {
            continue;
        };
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(size));
        group.sample_size(20);
        group.bench_function("read file once", |b| {
            b.iter(|| std::fs::read(&path).map(|v| v.len()).unwrap_or(0));
        });
        group.bench_function(
            "read + parse, each slice while the next is read (inspect)",
            |b| {
                b.iter(|| {
                    let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                    std::fs::File::open(&path)
                        .ok()
                        .and_then(|f| fat_reader::read_binary(f, len, &mut |_| {}).ok())
                        .map_or(0, |slices| slices.len())
                });
            },
        );
        group.bench_function("read whole, then parse every slice and member", |b| {
            b.iter(|| {
                let bytes = std::fs::read(&path).unwrap_or_default();
                ar::parse_static_library(&bytes)
                    .map(|libs| libs.len())
                    .unwrap_or(0)
            });
        });
        group.finish();
    }
    let fixture =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/macho/chained/App");
    if let Ok(bytes) = std::fs::read(fixture) {
        c.bench_function("chained-fixups fixture parse", |b| {
            b.iter(|| {
                macho::parse_macho(&bytes)
                    .map(|f| f.slices.len())
                    .unwrap_or(0)
            });
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
