//! Archive layer speed on the largest real APK (Yosemite.apk, 24.6 MB, 1,183 entries, 58.8 MB
//! inflated): open (end record + central directory), and open + read every entry, on one
//! thread and on rayon's pool; beside it, `unzip -p Yosemite.apk > /dev/null` as a whole
//! process, the floor the project measures itself against. Skips quietly when the corpus file
//! is missing (scripts/fetch-corpus.sh fetches it).
//!
//! Run: `cargo bench --bench archive`

// Where the fetched real inputs are: the integration tests' helpers.
#[path = "../tests/support/mod.rs"]
mod support;

use criterion::{criterion_group, criterion_main, Criterion};
use disclose::archive::{Archive, Limits};
use rayon::prelude::*;
use std::hint::black_box;
use std::process::{Command, Stdio};

fn read_all_sequential(path: &std::path::Path) -> u64 {
    let a = Archive::open(path, Limits::default()).expect("open");
    a.entries()
        .iter()
        .map(|e| a.read(e).expect("read").len() as u64)
        .sum()
}

fn read_all_parallel(path: &std::path::Path) -> u64 {
    let a = Archive::open(path, Limits::default()).expect("open");
    a.entries()
        .par_iter()
        .map(|e| a.read(e).expect("read").len() as u64)
        .sum()
}

fn bench(c: &mut Criterion) {
    let Some(path) = support::corpus_app("Yosemite.apk") else {
        return;
    };
    let mut g = c.benchmark_group("archive/yosemite");
    g.sample_size(10);
    g.bench_function("open", |b| {
        b.iter(|| black_box(Archive::open(&path, Limits::default()).expect("open")))
    });
    g.bench_function("open_read_all_sequential", |b| {
        b.iter(|| black_box(read_all_sequential(&path)))
    });
    g.bench_function("open_read_all_parallel", |b| {
        b.iter(|| black_box(read_all_parallel(&path)))
    });
    let unzip_works = Command::new("unzip")
        .arg("-v")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if unzip_works {
        g.bench_function("unzip_p_process", |b| {
            b.iter(|| {
                let status = Command::new("unzip")
                    .arg("-p")
                    .arg(&path)
                    .stdout(Stdio::null())
                    .status()
                    .expect("unzip runs");
                black_box(status)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
