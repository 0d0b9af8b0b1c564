//! Matching cost against the number of signatures: every class name of a big app (20k
//! generated names shaped like a real APK's: app code, androidx, Kotlin, GMS, obfuscated
//! `a.b.c`, SDK packages, inner classes) and an alias search over a 100 KB policy text, each
//! against 50 and 2000 SDKs (and the built-in set when it holds any).
//!
//! Run: `cargo bench --bench signatures`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use disclose::signatures::{normalise_alias, Sdk, SdkMatcher, SignatureSet};

/// Small deterministic generator (no dependency).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: [&str; 16] = [
    "core", "util", "net", "ui", "data", "model", "view", "internal", "impl", "api", "base",
    "common", "widget", "cache", "io", "task",
];

fn vendor_prefix(k: usize) -> String {
    format!("com.vendor{k}.sdk")
}

/// One synthetic SDK with two package prefixes, a class prefix and three aliases.
fn synthetic_sdk(k: usize) -> Sdk {
    let text = format!(
        r#"id = "vendor{k}"
name = "Vendor{k} Push"
category = "push"
sources = ["https://example.com/{k}"]
[aliases]
zh = ["厂商{k}推送SDK"]
en = ["Vendor{k} Analytics"]
[android]
packages = ["{p}", "cn.vendor{k}.lib"]
[ios]
class_prefixes = ["VND{k}"]
[examples]
match = ["android:{p}.A"]
no_match = ["android:{p}x.A"]
"#,
        p = vendor_prefix(k)
    );
    let spec = toml::from_str(&text).expect("synthetic SDK parses");
    Sdk {
        origin: format!("bench/vendor{k}.toml"),
        spec,
    }
}

/// 20k dotted class names; SDK classes come from the first 50 vendors so every signature set
/// sees the same hits.
fn class_names(rng: &mut Lcg) -> Vec<String> {
    let roots = [
        "com.example.shop",
        "androidx.appcompat.widget",
        "androidx.recyclerview.widget",
        "kotlin.collections",
        "kotlinx.coroutines.internal",
        "com.google.android.gms.internal.measurement",
        "okhttp3.internal.http2",
        "com.tencent.smtt.sdk",
        "com.amap.api.location",
    ];
    (0..20_000)
        .map(|i| {
            let mut name = match rng.below(10) {
                0..=1 => vendor_prefix(rng.below(50)),
                2 => {
                    // obfuscated: a.b.c
                    let depth = 1 + rng.below(3);
                    (0..depth)
                        .map(|_| ((b'a' + rng.below(26) as u8) as char).to_string())
                        .collect::<Vec<_>>()
                        .join(".")
                }
                _ => roots[rng.below(roots.len())].to_string(),
            };
            for _ in 0..rng.below(3) {
                name.push('.');
                name.push_str(WORDS[rng.below(WORDS.len())]);
            }
            name.push_str(&format!(".Class{i}"));
            if rng.below(4) == 0 {
                name.push_str(&format!("${}", rng.below(5)));
            }
            name
        })
        .collect()
}

/// ~100 KB of policy-like text with some aliases of the first 50 vendors sprinkled in.
fn policy_text(rng: &mut Lcg) -> String {
    let filler = [
        "我们会收集您的设备信息、网络信息与位置信息，用于保障服务安全。",
        "We share device identifiers with our partners for analytics and crash reporting. ",
        "第三方SDK名称：",
        "Purpose: push notifications; data collected: IMEI, Android ID, OAID. ",
    ];
    let mut text = String::new();
    while text.len() < 100_000 {
        text.push_str(filler[rng.below(filler.len())]);
        if rng.below(8) == 0 {
            let k = rng.below(50);
            text.push_str(&if rng.below(2) == 0 {
                format!("厂商{k}推送SDK；")
            } else {
                format!("Vendor{k} Analytics, ")
            });
        }
    }
    normalise_alias(&text)
}

fn bench(c: &mut Criterion) {
    let mut rng = Lcg(42);
    let names = class_names(&mut rng);
    let descriptors: Vec<String> = names
        .iter()
        .map(|n| format!("L{};", n.replace('.', "/")))
        .collect();
    let text = policy_text(&mut rng);

    let mut sets: Vec<(String, Vec<Sdk>)> = [50usize, 2000]
        .iter()
        .map(|&n| (n.to_string(), (0..n).map(synthetic_sdk).collect()))
        .collect();
    if let Ok(set) = SignatureSet::builtin() {
        if !set.sdks.is_empty() {
            sets.push((format!("builtin-{}", set.sdks.len()), set.sdks));
        }
    }

    let mut group = c.benchmark_group("java_classes_20k");
    group.throughput(Throughput::Elements(names.len() as u64));
    for (label, sdks) in &sets {
        let matcher = SdkMatcher::new(sdks).expect("matcher builds");
        group.bench_with_input(BenchmarkId::new("dotted", label), &names, |b, names| {
            b.iter(|| {
                names
                    .iter()
                    .filter(|n| matcher.match_java_class(n).is_some())
                    .count()
            })
        });
        group.bench_with_input(
            BenchmarkId::new("descriptor", label),
            &descriptors,
            |b, ds| {
                b.iter(|| {
                    ds.iter()
                        .filter(|d| matcher.match_descriptor(d).is_some())
                        .count()
                })
            },
        );
    }
    group.finish();

    let mut group = c.benchmark_group("alias_search_100kb");
    group.throughput(Throughput::Bytes(text.len() as u64));
    for (label, sdks) in &sets {
        let matcher = SdkMatcher::new(sdks).expect("matcher builds");
        group.bench_with_input(BenchmarkId::from_parameter(label), &text, |b, text| {
            b.iter(|| black_box(matcher.match_alias(text)).len())
        });
    }
    group.finish();

    let mut group = c.benchmark_group("compile");
    for (label, sdks) in &sets {
        group.bench_with_input(BenchmarkId::from_parameter(label), sdks, |b, sdks| {
            b.iter(|| SdkMatcher::new(sdks).map(|m| m.package_prefix_count()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
