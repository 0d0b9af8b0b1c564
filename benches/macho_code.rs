//! Cost of decoding arm64 code for per-method attribution (src/ios/macho/code.rs) against the
//! floor of reading the file once.
//!
//! Input: the real FBSDKCoreKit static library (scripts/fetch-corpus.sh) linked into an arm64
//! dylib with ld64.lld 16 (`-all_load -undefined dynamic_lookup`), so a vendor's own compiled
//! code becomes a linked image (1.1k functions with references, 64k instructions). Needs
//! `llvm-lipo` (Debian llvm) and `ld64.lld-16` (Debian lld-16); skipped without them.
//! Run: `cargo bench --bench macho_code`.

// Where the fetched real inputs are: the integration tests' helpers.
#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use disclose::ios::macho;

fn linked_fbsdkcorekit(dir: &Path) -> Option<PathBuf> {
    let fat = support::corpus_npm(
        "cordova-plugin-facebook4",
        "package/src/ios/FBSDKCoreKit.framework/FBSDKCoreKit",
    )?;
    let thin = dir.join("FBSDKCoreKit-arm64.a");
    let out = dir.join("FBSDKCoreKit-arm64.dylib");
    let ok = fat.is_file()
        && Command::new("/usr/lib/llvm-14/bin/llvm-lipo")
            .arg("-thin")
            .arg("arm64")
            .arg(&fat)
            .arg("-output")
            .arg(&thin)
            .status()
            .is_ok_and(|s| s.success())
        && Command::new("ld64.lld-16")
            .args(["-arch", "arm64", "-platform_version", "ios", "12.0", "14.0"])
            .args(["-dylib", "-all_load", "-undefined", "dynamic_lookup", "-o"])
            .arg(&out)
            .arg(&thin)
            .status()
            .is_ok_and(|s| s.success());
    if ok {
        Some(out)
    } else {
        eprintln!("SKIPPED: needs the fetched corpus, llvm-lipo and ld64.lld-16");
        None
    }
}

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("disclose-bench-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    if let Some(path) = linked_fbsdkcorekit(&dir) {
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let mut group = c.benchmark_group("FBSDKCoreKit linked arm64");
        group.throughput(Throughput::Bytes(size));
        group.bench_function("read file once", |b| {
            b.iter(|| std::fs::read(&path).map(|v| v.len()).unwrap_or(0));
        });
        group.bench_function("read + parse incl. code references", |b| {
            b.iter(|| {
                let bytes = std::fs::read(&path).unwrap_or_default();
                macho::parse_macho(&bytes)
                    .map(|f| {
                        f.slices
                            .iter()
                            .filter_map(|s| s.code.as_ref())
                            .map(|c| c.functions.len())
                            .sum::<usize>()
                    })
                    .unwrap_or(0)
            });
        });
        group.finish();
    }
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
