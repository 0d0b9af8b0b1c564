//! Whole-pipeline speed: `inspect` (archive + manifest + every DEX + native libs + scanning and
//! attribution) and `scan` (inspect + policy + comparison) on the demo APK and, when the corpus
//! is present, Yosemite.apk; and the baseline every app pays anyway: inflating all its entries.
//! The issue targets: inspect within 1.5× of inflating the zip, scan at most 10 % over inspect.
//!
//! Run: `cargo bench --bench inspect`.

// Where the fetched real inputs are: the integration tests' helpers.
#[path = "../tests/support/mod.rs"]
mod support;

use criterion::{criterion_group, criterion_main, Criterion};
use disclose::archive::{Archive, Limits};
use disclose::pipeline::{scan_app, ScanOptions};
use disclose::Analyzer;
use std::path::PathBuf;

fn inflate_all(path: &std::path::Path) -> usize {
    let archive = Archive::open(path, Limits::default()).expect("real app opens");
    archive
        .entries()
        .iter()
        .map(|e| archive.read(e).map_or(0, |b| b.len()))
        .sum()
}

fn bench(c: &mut Criterion) {
    let analyzer = Analyzer::builtin().expect("built-in signatures");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let policy = root.join("samples/demo-policy.zh.txt");
    let mut apps = vec![("demo", root.join("samples/demo.apk"))];
    if let Some(p) = support::corpus_app("Yosemite.apk") {
        apps.push(("yosemite", p));
    }
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(10);
    for (name, path) in &apps {
        group.bench_function(format!("{name}/inflate-all-entries"), |b| {
            b.iter(|| inflate_all(path))
        });
        group.bench_function(format!("{name}/inspect"), |b| {
            b.iter(|| analyzer.inspect(path).expect("inspect"))
        });
        group.bench_function(format!("{name}/scan"), |b| {
            b.iter(|| scan_app(&analyzer, path, &policy, &ScanOptions::default()).expect("scan"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
