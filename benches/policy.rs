//! Policy reader speed: read + extract of a ~100 KB real-shaped policy (target: < 20 ms) and
//! of a 20 MB one, the size limit (target: < 2 s).
//!
//! The input is built from the checked-in test vocabulary and a synthetic policy that repeats
//! the structures real policies use (labelled SDK blocks, a Markdown table, prose with data
//! types and negations) up to 100 KB, so the bench runs without the shared corpus.
//! Run: `cargo bench --bench policy`.

// The allocator of the `disclose` binary (src/main.rs), so timings match the tool.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use criterion::{criterion_group, criterion_main, Criterion};
use disclose::policy::{extract, read_policy_bytes, PolicyVocabulary};
use disclose::signatures::schema::{SdkFile, TaxonomyFile};
use std::hint::black_box;

fn vocabulary() -> PolicyVocabulary {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let taxonomy =
        std::fs::read_to_string(root.join("signatures/taxonomy.toml")).expect("taxonomy");
    let taxonomy: TaxonomyFile = toml::from_str(&taxonomy).expect("taxonomy parses");
    let mut sdks: Vec<SdkFile> = Vec::new();
    for entry in std::fs::read_dir(root.join("tests/fixtures/policy/sdks"))
        .expect("fixtures")
        .flatten()
    {
        let text = std::fs::read_to_string(entry.path()).expect("fixture");
        sdks.push(toml::from_str(&text).expect("fixture parses"));
    }
    PolicyVocabulary::new(&taxonomy.types, &sdks).expect("vocabulary")
}

fn policy_of(size: usize) -> String {
    let block = "SDK名称： 高德地图SDK\n\n个人信息种类： 设备标识符（如Android ID、OAID、IMEI、MEID、IMSI、Serial），MAC地址、IP 地址、位置信息（如GPS、WLAN接入点）\n\n使用目的： 用户发布信息时定位位置\n\nSDK主体： 高德软件有限公司\n\n";
    let table = "| 第三方名称 | 使用目的 | 收集的信息 |\n|---|---|---|\n| 极光推送 | 消息推送 | 设备标识符、MAC地址 |\n| Bugly | 崩溃分析 | Android ID |\n\n";
    let prose = "我们不会收集您的通讯录，也不会读取您的通话记录。为了向您提供一键分享服务，我们的产品集成友盟+ u-share sdk，将收集您的设备标识信息（如imei/android id/idfa等）。We collect device attribute information (such as your hardware model, software installation list, IMEI, MAC, BSSID, IDFA), and we do not collect your contacts. 我们会申请摄像头权限和麦克风权限。\n";
    let mut text = String::from("隐私政策\n第三方SDK清单Android版:\n");
    while text.len() < size {
        text.push_str(block);
        text.push_str(table);
        text.push_str(prose);
    }
    text
}

fn bench(c: &mut Criterion) {
    let vocab = vocabulary();
    let text = policy_of(100 * 1024);
    c.bench_function("policy read+extract 100KB", |b| {
        b.iter(|| {
            let doc = read_policy_bytes("bench.txt", black_box(text.as_bytes())).expect("reads");
            black_box(extract(&doc, &vocab))
        })
    });
    // The size limit: issue 12 asks for under 2 s.
    let big = policy_of(20 * 1024 * 1024);
    let mut group = c.benchmark_group("policy-20MB");
    group.sample_size(10);
    group.bench_function("policy read+extract 20MB", |b| {
        b.iter(|| {
            let doc = read_policy_bytes("bench.txt", black_box(big.as_bytes())).expect("reads");
            black_box(extract(&doc, &vocab))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
