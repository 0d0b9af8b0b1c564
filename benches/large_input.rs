//! The huge-app input: `inspect` of the synthetic ~300 MB / 60-DEX APK that
//! `scripts/build-large-input.sh` builds from the corpus apps' real DEX files, native libraries
//! and assets, beside the floor every app pays anyway: inflating all its entries on one thread
//! (what `unzip -p APP > /dev/null` does). The target (issue 18): inspect within 1.0× of that
//! floor. Peak memory is measured per process, not here: see docs/performance.md.
//!
//! Skips (with a message) when the input has not been built. Run:
//! `scripts/build-large-input.sh && cargo bench --bench large_input`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use disclose::archive::{Archive, Limits};
use disclose::Analyzer;
use std::path::PathBuf;

/// `$DISCLOSE_LARGE_INPUT`, default `~/.cache/disclose-large/large-60dex.apk` (as the script).
fn large_input() -> Option<PathBuf> {
    let path = match std::env::var_os("DISCLOSE_LARGE_INPUT") {
        Some(p) => PathBuf::from(p),
        None => {
            PathBuf::from(std::env::var_os("HOME")?).join(".cache/disclose-large/large-60dex.apk")
        }
    };
    if path.is_file() {
        Some(path)
    } else {
        eprintln!(
            "SKIPPED: {} is missing (run scripts/build-large-input.sh)",
            path.display()
        );
        None
    }
}

/// Every entry inflated in turn on this thread; the bytes produced.
fn inflate_all_sequentially(path: &std::path::Path) -> u64 {
    let archive = Archive::open(path, Limits::default()).expect("large input opens");
    archive
        .entries()
        .iter()
        .map(|e| archive.read(e).map_or(0, |b| b.len() as u64))
        .sum()
}

fn bench(c: &mut Criterion) {
    let Some(path) = large_input() else {
        return;
    };
    let analyzer = Analyzer::builtin().expect("built-in signatures");
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    let mut group = c.benchmark_group("large_input");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(size));
    group.bench_function("inflate-all-entries-one-thread", |b| {
        b.iter(|| inflate_all_sequentially(&path))
    });
    group.bench_function("inspect", |b| {
        b.iter(|| analyzer.inspect(&path).expect("inspect"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
