//! Batch throughput: the same folder of real apps with one job and with one job per core.
//! Inputs: the small corpus apps (`scripts/fetch-corpus.sh`) repeated under different names,
//! or `samples/demo.apk` / `demo.ipa` when the corpus is absent.
//!
//! Run: `cargo bench --bench batch`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use disclose::batch::{run, BatchOptions};
use disclose::Analyzer;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn inputs(dir: &Path) -> u64 {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default()
        .join(".cache/disclose-corpus/apps");
    let mut sources: Vec<PathBuf> = ["settings_apk-debug.apk", "app-uiautomator.apk"]
        .iter()
        .map(|n| corpus.join(n))
        .filter(|p| p.is_file())
        .collect();
    if sources.is_empty() {
        sources = vec![root.join("samples/demo.apk"), root.join("samples/demo.ipa")];
    }
    let mut bytes = 0;
    for copy in 0..4 {
        for src in &sources {
            let name = src.file_name().map(|n| n.to_string_lossy().into_owned());
            let dst = dir.join(format!("{copy}-{}", name.unwrap_or_default()));
            if std::os::unix::fs::symlink(src, &dst).is_err() {
                let _ = std::fs::copy(src, &dst);
            }
            bytes += std::fs::metadata(src).map_or(0, |m| m.len());
        }
    }
    bytes
}

fn bench(c: &mut Criterion) {
    let Ok(analyzer) = Analyzer::builtin() else {
        return;
    };
    let analyzer = Arc::new(analyzer);
    let Ok(tmp) = tempfile::tempdir() else {
        return;
    };
    let input = tmp.path().join("apps");
    if std::fs::create_dir(&input).is_err() {
        return;
    }
    let bytes = inputs(&input);
    let out = tmp.path().join("results.jsonl");
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    for jobs in [1, 0] {
        let name = if jobs == 1 {
            "jobs-1"
        } else {
            "jobs-all-cores"
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                let _ = std::fs::remove_file(&out);
                let mut options = BatchOptions::new(input.clone(), out.clone());
                options.jobs = jobs;
                run(Arc::clone(&analyzer), &options, false).map(|o| o.tally.errors())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
