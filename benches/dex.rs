//! DEX reader speed on a real app: parse and code index of Yosemite.apk's classes.dex and
//! classes2.dex (9.0 and 7.1 MB). Skips (with a message) when the corpus is missing.
//!
//! Run: `cargo bench --bench dex`. Compare with `time unzip -p Yosemite.apk classes.dex
//! classes2.dex > /dev/null` (what inflating the same bytes costs).

// Where the fetched real inputs are: the integration tests' helpers.
#[path = "../tests/support/mod.rs"]
mod support;
use std::process::Command;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use disclose::android::dex::DexFile;

fn bench(c: &mut Criterion) {
    let Some(apk) = support::corpus_app("Yosemite.apk") else {
        return;
    };
    let mut group = c.benchmark_group("dex");
    group.sample_size(10);
    for entry in ["classes.dex", "classes2.dex"] {
        let out = Command::new("unzip")
            .arg("-p")
            .arg(&apk)
            .arg(entry)
            .output();
        let Ok(out) = out else {
            eprintln!("SKIPPED: unzip is not installed");
            return;
        };
        let bytes = out.stdout;
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(format!("parse/yosemite/{entry}"), |b| {
            b.iter_batched(|| bytes.clone(), DexFile::parse, BatchSize::LargeInput)
        });
        let Ok(dex) = DexFile::parse(bytes.clone()) else {
            eprintln!("SKIPPED: {entry} does not parse");
            return;
        };
        group.bench_function(format!("code_index/yosemite/{entry}"), |b| {
            b.iter(|| dex.code_index())
        });
        group.bench_function(format!("code_index_single_thread/yosemite/{entry}"), |b| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build();
            match pool {
                Ok(pool) => b.iter(|| pool.install(|| dex.code_index())),
                Err(_) => b.iter(|| dex.code_index()),
            }
        });
        group.bench_function(format!("parse_and_index/yosemite/{entry}"), |b| {
            b.iter_batched(
                || bytes.clone(),
                |bytes| DexFile::parse(bytes).and_then(|dex| dex.code_index()),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
