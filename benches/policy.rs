//! Policy reader speed: read + extract of a ~100 KB real-shaped policy (target: < 20 ms) and
//! of a 20 MB one, the size limit (target: < 2 s).
//!
//! The input is built from the checked-in test vocabulary and a synthetic policy that repeats
//! the structures real policies use (labelled SDK blocks, a Markdown table, prose with data
//! types and negations) up to 100 KB, so the bench runs without the shared corpus.
//! The 20 MB group also reads the other shape a policy at the limit takes: one SDK table
//! (Markdown pipe table and HTML `<table>`, real-shaped rows cycled).
//! A third group times each row reader on its own shape: the shape documents of
//! `tests/fixtures/policy/shapes` (pipe tables, tab- and comma-delimited rows, `、`
//! enumerations, list items, side-field records, HTML rowspans, English prose), each
//! repeated to 1 MB and read through the public entry (the readers are private).
//! Run: `cargo bench --bench policy` (one group: `cargo bench --bench policy -- readers`).

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
    let unit = [block, table, prose].concat();
    let mut text = String::from("隐私政策\n第三方SDK清单Android版:\n");
    // Up to `size`, not past it: 20 MiB is the reader's limit, one byte more is refused.
    while text.len() + unit.len() <= size {
        text.push_str(&unit);
    }
    text
}

/// SDK rows of a table (name, vendor, purpose, data types, link), real-shaped: the rows of
/// `scripts/measure-policy-speed.sh`.
const TABLE_ROWS: [[&str; 5]; 8] = [
    [
        "极光推送SDK",
        "深圳市和讯华谷信息技术有限公司",
        "消息推送",
        "设备标识符（IMEI、Android ID、OAID）、MAC地址、IP地址、网络类型",
        "https://www.jiguang.cn/license/privacy",
    ],
    [
        "友盟统计SDK",
        "友盟同欣（北京）科技有限公司",
        "统计分析",
        "设备信息（IMEI、IMSI、设备型号）、位置信息、应用列表",
        "https://www.umeng.com/page/policy",
    ],
    [
        "高德定位SDK",
        "高德软件有限公司",
        "定位",
        "位置信息（GPS、WLAN接入点、基站）、设备标识符",
        "https://lbs.amap.com/pages/privacy/",
    ],
    [
        "微信开放平台SDK（com.tencent.mm.opensdk）",
        "深圳市腾讯计算机系统有限公司",
        "微信登录、分享",
        "设备型号、操作系统版本、网络类型",
        "https://weixin.qq.com/",
    ],
    [
        "Bugly",
        "深圳市腾讯计算机系统有限公司",
        "崩溃分析",
        "设备型号、Android ID、系统版本、崩溃日志",
        "https://bugly.qq.com/",
    ],
    [
        "华为推送（HMS Push）",
        "华为软件技术有限公司",
        "消息推送",
        "AAID、应用信息、设备型号",
        "https://developer.huawei.com/",
    ],
    [
        "支付宝SDK",
        "支付宝（中国）网络技术有限公司",
        "支付",
        "设备标识符、网络信息、订单信息",
        "https://opendocs.alipay.com/",
    ],
    [
        "穿山甲广告SDK",
        "北京巨量引擎网络技术有限公司",
        "广告投放",
        "设备信息、IP地址、位置信息、应用列表",
        "https://www.csjplatform.com/privacy",
    ],
];

/// The other shape a policy at the size limit takes: one SDK table of `size` bytes at most,
/// a Markdown pipe table (`html` false) or an HTML `<table>`, its rows cycling [`TABLE_ROWS`].
fn sdk_table(html: bool, size: usize) -> String {
    let header = [
        "SDK名称",
        "第三方主体",
        "使用目的",
        "收集个人信息类型",
        "隐私政策链接",
    ];
    let row = |cells: &[&str]| {
        if html {
            format!("<tr><td>{}</td></tr>\n", cells.join("</td><td>"))
        } else {
            format!("| {} |\n", cells.join(" | "))
        }
    };
    let (mut text, tail) = if html {
        let head = format!("<tr><th>{}</th></tr>\n", header.join("</th><th>"));
        let open = "<html><body><h1>第三方SDK清单</h1><table>\n";
        (format!("{open}{head}"), "</table></body></html>\n")
    } else {
        let rule = "|---|---|---|---|---|\n";
        (format!("# 第三方SDK清单\n\n{}{rule}", row(&header)), "")
    };
    let rows: Vec<String> = TABLE_ROWS.iter().map(|r| row(r)).collect();
    for r in rows.iter().cycle() {
        if text.len() + r.len() + tail.len() > size {
            break;
        }
        text.push_str(r);
    }
    text.push_str(tail);
    text
}

/// `text` repeated to at least `size` bytes.
fn repeated(text: &str, size: usize) -> String {
    let mut out = String::with_capacity(size + text.len());
    while out.len() < size && !text.is_empty() {
        out.push_str(text);
    }
    out
}

/// The shape documents, one per row reader (file name, reader it exercises).
const SHAPES: &[(&str, &str)] = &[
    ("tab-table.zh.txt", "delimited"),
    ("comma-rows.zh.txt", "delimited"),
    ("prose-enumeration.zh.txt", "enumerations"),
    ("list-items.zh.txt", "prose"),
    ("side-fields.zh.txt", "records"),
    ("company-name-label.zh.md", "records"),
    ("bullets-bold.en.md", "pipes+markdown"),
    ("named-in-prose.en.md", "sentences"),
    ("rowspan.zh.html", "tables"),
    ("pipe-rowspan.zh.html", "pipes"),
];

fn bench_readers(c: &mut Criterion, vocab: &PolicyVocabulary) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy/shapes");
    let mut group = c.benchmark_group("readers");
    group.sample_size(10);
    for (file, reader) in SHAPES {
        let shape = std::fs::read_to_string(dir.join(file)).expect("shape fixture");
        let text = repeated(&shape, 1024 * 1024);
        group.bench_function(format!("{reader} {file} 1MB"), |b| {
            b.iter(|| {
                let doc = read_policy_bytes(file, black_box(text.as_bytes())).expect("reads");
                black_box(extract(&doc, vocab))
            })
        });
    }
    group.finish();
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
    let big = policy_of(disclose::policy::MAX_POLICY_BYTES as usize);
    let mut group = c.benchmark_group("policy-20MB");
    group.sample_size(10);
    group.bench_function("policy read+extract 20MB", |b| {
        b.iter(|| {
            let doc = read_policy_bytes("bench.txt", black_box(big.as_bytes())).expect("reads");
            black_box(extract(&doc, &vocab))
        })
    });
    // One SDK table filling the limit, as Markdown and as HTML.
    for (name, html) in [("table.md", false), ("table.html", true)] {
        let table = sdk_table(html, disclose::policy::MAX_POLICY_BYTES as usize);
        group.bench_function(format!("policy read+extract 20MB {name}"), |b| {
            b.iter(|| {
                let doc = read_policy_bytes(name, black_box(table.as_bytes())).expect("reads");
                black_box(extract(&doc, &vocab))
            })
        });
    }
    group.finish();
    bench_readers(c, &vocab);
}

criterion_group!(benches, bench);
criterion_main!(benches);
