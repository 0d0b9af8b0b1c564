//! Fingerprint matching speed: the features of every class of Yosemite's DEX files (13,184
//! classes), and the fingerprint claim over all of them (every class offered, as if no package
//! name had matched: the worst case), beside the DEX code index the scan builds anyway.
//!
//! Run: `cargo bench --bench fingerprint`.

#[path = "../tests/support/mod.rs"]
mod support;

use criterion::{criterion_group, criterion_main, Criterion};
use disclose::android::dex::{CodeIndex, DexFile};
use disclose::archive::{Archive, Limits};
use disclose::fingerprint::features::DexFeatureReader;

fn bench(c: &mut Criterion) {
    let Some(path) = support::corpus_app("Yosemite.apk") else {
        return;
    };
    let archive = Archive::open(&path, Limits::default()).expect("real app opens");
    let dexes: Vec<(DexFile, CodeIndex)> = archive
        .entries()
        .iter()
        .filter(|e| e.name.starts_with("classes") && e.name.ends_with(".dex"))
        .map(|e| {
            let dex = DexFile::parse(archive.read(e).expect("entry reads")).expect("dex parses");
            let code = dex.code_index().expect("code index");
            (dex, code)
        })
        .collect();
    let index = disclose::fingerprint::builtin()
        .as_ref()
        .expect("built-in fingerprints");
    let mut group = c.benchmark_group("fingerprint");
    group.sample_size(10);
    group.bench_function("yosemite/code-index", |b| {
        b.iter(|| {
            dexes
                .iter()
                .map(|(d, _)| d.code_index().map_or(0, |c| c.classes.len()))
                .sum::<usize>()
        })
    });
    group.bench_function("yosemite/claim-all-classes", |b| {
        b.iter(|| {
            dexes
                .iter()
                .map(|(d, code)| disclose::fingerprint::claim(index, d, code, |_| true).len())
                .sum::<usize>()
        })
    });
    group.bench_function("yosemite/features-of-all-classes", |b| {
        b.iter(|| {
            let mut n = 0;
            for (d, code) in &dexes {
                let mut reader = DexFeatureReader::new(d);
                for class in &code.classes {
                    n += reader.class_features(class).map_or(0, |f| f.len());
                }
            }
            n
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
