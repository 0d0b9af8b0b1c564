//! Policy reader: the five real seed policies (golden JSON reviewed against the text, plus
//! explicit facts), the CA4P-483 corpus, and hostile input.
//!
//! Seeds and corpus live in `../shared` (absent for users: the tests skip). Set
//! `DISCLOSE_SHARED=/path/to/shared` when the repository is not beside it, and
//! `DISCLOSE_UPDATE_GOLDEN=1` to rewrite `tests/golden/policy/*.json` (then review the diff).

mod support;

use disclose::policy::{
    extract, read_policy_bytes, read_policy_file, Clarity, PolicyDeclarations, PolicyError,
    PolicyReport, PolicyVocabulary, SdkForm,
};
use disclose::signatures::schema::{SdkFile, TaxonomyFile};
use std::path::PathBuf;
use std::sync::OnceLock;

fn vocab() -> &'static PolicyVocabulary {
    static V: OnceLock<PolicyVocabulary> = OnceLock::new();
    V.get_or_init(|| {
        let taxonomy = std::fs::read_to_string(support::repo_file("signatures/taxonomy.toml"))
            .expect("taxonomy.toml");
        let taxonomy: TaxonomyFile = toml::from_str(&taxonomy).expect("taxonomy parses");
        let mut sdks: Vec<SdkFile> = Vec::new();
        let dir = support::repo_file("tests/fixtures/policy/sdks");
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("fixture sdks")
            .flatten()
            .map(|e| e.path())
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).expect("fixture readable");
            sdks.push(toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display())));
        }
        PolicyVocabulary::new(&taxonomy.types, &sdks).expect("vocabulary compiles")
    })
}

fn seed(name: &str) -> Option<(PolicyReport, PolicyDeclarations)> {
    let path = support::shared_file(&format!("seeds/{name}"))?;
    let doc = read_policy_file(&path).expect("seed reads");
    let found = extract(&doc, vocab());
    let mut report = PolicyReport::new(&doc, found.clone());
    report.file = name.to_string();
    Some((report, found))
}

/// Compares with (or with DISCLOSE_UPDATE_GOLDEN=1 rewrites) the reviewed golden file.
fn golden(name: &str, report: &PolicyReport) {
    let json = serde_json::to_string_pretty(report).expect("serialises") + "\n";
    let path = support::repo_file(&format!("tests/golden/policy/{name}.json"));
    if std::env::var_os("DISCLOSE_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, &json).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        json, want,
        "{name}: output differs from the reviewed golden file"
    );
}

fn ids(found: &PolicyDeclarations) -> Vec<Option<&str>> {
    found.sdks.iter().map(|s| s.id.as_deref()).collect()
}

const SEEDS: [&str; 5] = [
    "yunzhijia.zh.txt",
    "yunzhijia.en.txt",
    "mingyuan-yunzhushou.zh.txt",
    "yonyou-cloud.zh-en.txt",
    "cloud-storage-app.en.txt",
];

#[test]
fn seeds_match_reviewed_golden_files() {
    for name in SEEDS {
        let Some((report, _)) = seed(name) else {
            return;
        };
        golden(name, &report);
    }
}

#[test]
fn yunzhijia_zh_lists_19_android_and_11_ios_sdks_with_their_data() {
    let Some((_, found)) = seed("yunzhijia.zh.txt") else {
        return;
    };
    let android: Vec<_> = found
        .sdks
        .iter()
        .filter(|s| s.platform.as_deref() == Some("android"))
        .collect();
    let ios: Vec<_> = found
        .sdks
        .iter()
        .filter(|s| s.platform.as_deref() == Some("ios"))
        .collect();
    assert_eq!((android.len(), ios.len(), found.sdks.len()), (19, 11, 30));
    assert!(found.sdks.iter().all(|s| s.form == SdkForm::Block));
    let amap = android.first().expect("first android row");
    assert_eq!(
        (amap.name.as_str(), amap.id.as_deref()),
        ("高德地图SDK", Some("amap"))
    );
    assert_eq!(amap.vendor.as_deref(), Some("高德软件有限公司"));
    for t in [
        "device.android_id",
        "device.oaid",
        "device.imei",
        "device.imsi",
        "device.serial",
        "device.mac",
        "network.ip",
        "location.precise",
        "network.bssid",
    ] {
        assert!(
            amap.data.iter().any(|d| d == t),
            "AMap row lacks {t}: {:?}",
            amap.data
        );
    }
    assert!(amap.text.quote.starts_with("高德地图SDK"));
    let weibo_ios = ios
        .iter()
        .find(|s| s.id.as_deref() == Some("weibo"))
        .expect("weibo on iOS");
    assert_eq!(
        weibo_ios.data,
        [
            "device.identifier",
            "device.idfv",
            "device.advertising_id",
            "device.mac",
            "network.bssid"
        ]
    );
    let want_android = [
        Some("amap"),
        Some("baidu-map"),
        Some("huawei-push"),
        Some("xiaomi-push"),
        Some("oppo-push"),
        Some("vivo-push"),
        Some("agora"),
        Some("iflytek"),
        Some("wechat"),
        Some("qq-connect"),
        Some("weibo"),
        Some("lebo"),
        Some("bugly"),
        Some("firebase-crashlytics"),
        None,
        Some("tencent-tbs"),
        Some("tencent-mars"),
        Some("shortcutbadger"),
        Some("bangcle"),
    ];
    assert_eq!(
        android.iter().map(|s| s.id.as_deref()).collect::<Vec<_>>(),
        want_android
    );
    assert_eq!(
        android.get(14).map(|s| s.name.as_str()),
        Some("数位SDK"),
        "unknown SDKs are kept with id null"
    );
}

#[test]
fn yunzhijia_en_single_line_yields_the_same_sdks() {
    let Some((_, en)) = seed("yunzhijia.en.txt") else {
        return;
    };
    let Some((_, zh)) = seed("yunzhijia.zh.txt") else {
        return;
    };
    let platform = |f: &PolicyDeclarations, p: &str| {
        f.sdks
            .iter()
            .filter(|s| s.platform.as_deref() == Some(p))
            .count()
    };
    // The English text lost the Huawei block (its Baidu row runs into "…Android000001050042021")
    // and repeats the Mars block in its place, so the Android list still has 19 rows.
    assert_eq!((platform(&en, "android"), platform(&en, "ios")), (19, 11));
    let mut en_ids: Vec<_> = ids(&en).into_iter().flatten().collect();
    let mut zh_ids: Vec<_> = ids(&zh).into_iter().flatten().collect();
    en_ids.sort();
    en_ids.dedup();
    zh_ids.sort();
    zh_ids.dedup();
    zh_ids.retain(|id| *id != "huawei-push");
    assert_eq!(en_ids, zh_ids);
    let xiaomi = en
        .sdks
        .iter()
        .find(|s| s.id.as_deref() == Some("xiaomi-push"))
        .expect("xiaomi row");
    assert_eq!(xiaomi.name, "Xiaomi PUSH SDKSDK");
    assert!(
        xiaomi.data.contains(&"device.imei".into())
            && xiaomi.data.contains(&"network.bssid".into())
    );
}

#[test]
fn mingyuan_flattened_table_yields_every_third_party() {
    let Some((_, found)) = seed("mingyuan-yunzhushou.zh.txt") else {
        return;
    };
    let names: Vec<&str> = found.sdks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "华为",
            "小米",
            "OPPO",
            "VIVO",
            "魅族",
            "极光",
            "微信支付",
            "支付宝",
            "高德地图",
            "百度地图",
            "微信",
            "科大讯飞",
            "萤石云",
            "腾讯云",
            "极光魔链SDK",
            "腾讯浏览服务SDK",
            "Bugly SDK"
        ]
    );
    assert!(
        found
            .sdks
            .iter()
            .all(|s| s.form == SdkForm::Table && s.id.is_some()),
        "{:?}",
        ids(&found)
    );
    let jpush = found.sdks.get(5).expect("jpush row");
    assert_eq!(
        (jpush.id.as_deref(), jpush.data.as_slice()),
        (Some("jpush"), &["device".into(), "device.mac".into()][..])
    );
    let xiaomi = found.sdks.get(1).expect("xiaomi row");
    assert!(
        xiaomi
            .purpose
            .as_deref()
            .is_some_and(|p| p.contains("通知信息推送")),
        "purpose carried from the merged cell"
    );
    let jmlink = found.sdks.get(14).expect("jmlink row");
    assert_eq!(
        jmlink.data,
        [
            "device",
            "network",
            "location",
            "apps.installed",
            "clipboard"
        ]
    );
    let bugly = found.sdks.get(16).expect("bugly row");
    assert_eq!(
        (bugly.id.as_deref(), bugly.data.as_slice()),
        (Some("bugly"), &["network.state".into()][..])
    );
}

#[test]
fn yonyou_inline_umeng_share_and_each_missing_appendix_once() {
    let Some((_, found)) = seed("yonyou-cloud.zh-en.txt") else {
        return;
    };
    assert_eq!(found.sdks.len(), 1, "{:?}", ids(&found));
    let umeng = found.sdks.first().expect("umeng");
    assert_eq!(
        (umeng.id.as_deref(), umeng.form),
        (Some("umeng-share"), SdkForm::Inline)
    );
    assert_eq!(umeng.name, "友盟+ u-share sdk");
    for t in ["device.imei", "device.android_id", "device.advertising_id"] {
        assert!(umeng.data.iter().any(|d| d == t), "{:?}", umeng.data);
    }
    let appendix: Vec<_> = found
        .warnings
        .iter()
        .filter(|w| w.kind == disclose::policy::WarningKind::MissingAppendix)
        .collect();
    // 附件一 (permissions) and 附件二 (SDK list): one warning each, although the file repeats
    // both in Simplified, Traditional and English.
    assert_eq!(appendix.len(), 2, "{appendix:?}");
    assert!(appendix.iter().any(|w| w
        .text
        .as_ref()
        .is_some_and(|t| t.quote.starts_with("附件二"))));
}

#[test]
fn cloud_storage_prose_declares_data_types_and_no_sdk() {
    let Some((_, found)) = seed("cloud-storage-app.en.txt") else {
        return;
    };
    assert!(found.sdks.is_empty(), "{:?}", ids(&found));
    for t in [
        "device.imei",
        "device.mac",
        "network.bssid",
        "device.advertising_id",
        "apps.installed",
        "location.precise",
        "network.ip",
    ] {
        let d = found
            .data
            .iter()
            .find(|d| d.data_type == t && !d.negated)
            .unwrap_or_else(|| panic!("{t} not declared"));
        assert_ne!(d.clarity, Clarity::Vague);
    }
    let device = found
        .data
        .iter()
        .find(|d| d.data_type == "device")
        .expect("device information");
    // "device information (including hardware model, …, etc.)": an open list of examples.
    assert_eq!(device.clarity, Clarity::Enumerated);
    let imei = found
        .data
        .iter()
        .find(|d| d.data_type == "device.imei")
        .expect("imei");
    // The evidence is the sentence that declares it, not the bare word.
    assert!(
        imei.text.quote.contains("IMEI") && imei.text.quote.len() > "IMEI".len() + 20,
        "{:?}",
        imei.text
    );
    assert!(found.warnings.is_empty(), "{:?}", found.warnings);
}

#[test]
fn evidence_quotes_the_original_text_at_its_offsets() {
    for name in SEEDS {
        let Some(path) = support::shared_file(&format!("seeds/{name}")) else {
            return;
        };
        let original = std::fs::read_to_string(&path).expect("utf-8 seed");
        let Some((_, found)) = seed(name) else { return };
        let spans = found
            .sdks
            .iter()
            .map(|s| &s.text)
            .chain(found.data.iter().map(|d| &d.text))
            .chain(found.permissions.iter().map(|p| &p.text));
        for span in spans {
            let slice = original
                .get(span.start..span.end)
                .expect("span on char boundaries");
            assert!(
                slice.starts_with(span.quote.trim_end_matches('…')),
                "{name}: {span:?}"
            );
            let line = original
                .get(..span.start)
                .map(|h| h.matches('\n').count() + 1);
            assert_eq!(line, Some(span.line), "{name}: {span:?}");
        }
    }
}

fn declared(text: &str) -> PolicyDeclarations {
    let doc = read_policy_bytes("inline.txt", text.as_bytes()).expect("reads");
    extract(&doc, vocab())
}

#[test]
fn negation_is_sentence_scoped() {
    let found = declared("隐私政策\n我们不会收集您的通讯录，也不会读取您的通话记录。我们会收集您的IMEI。\nWe do not collect your contacts unless you share them. We collect your GPS location.");
    let get = |t: &str| {
        found
            .data
            .iter()
            .filter(|d| d.data_type == t)
            .map(|d| d.negated)
            .collect::<Vec<_>>()
    };
    assert_eq!(get("contacts"), [true]);
    assert_eq!(get("call_log"), [true]);
    assert_eq!(get("device.imei"), [false]);
    assert_eq!(get("location.precise"), [false]);
}

#[test]
fn permissions_map_to_groups() {
    let found = declared("隐私政策：为实现扫码功能，我们会申请摄像头权限；语音输入需要麦克风权限。We ask for permission to access your calendar.");
    let groups: Vec<_> = found
        .permissions
        .iter()
        .map(|p| (p.name.as_str(), p.group.as_str()))
        .collect();
    assert_eq!(
        groups,
        [
            ("摄像头", "camera"),
            ("麦克风", "microphone"),
            ("calendar", "calendar")
        ]
    );
}

#[test]
fn html_tables_headings_and_platforms() {
    let html = r#"<html><head><script>var imei = 1;</script><style>.x{}</style></head><body><nav>菜单 通讯录</nav>
<h2>第三方SDK清单（iOS版）</h2>
<table><tr><th>SDK名称</th><th>SDK提供方</th><th>收集个人信息类型</th><th>隐私政策链接</th></tr>
<tr><td>高德定位SDK</td><td>高德软件有限公司</td><td>精确位置、<b>IDFA</b></td><td>https://lbs.amap.com</td></tr>
<tr><td>某某统计SDK</td><td>某某公司</td><td>设备信息</td><td></td></tr></table>
<p>本隐私政策说明我们如何处理个人信息。</p></body></html>"#;
    let doc = read_policy_bytes("p.html", html.as_bytes()).expect("reads");
    assert!(
        !doc.text.contains("var imei") && !doc.text.contains("菜单"),
        "script and nav dropped"
    );
    assert_eq!(doc.headings.len(), 1);
    let found = extract(&doc, vocab());
    assert_eq!(found.sdks.len(), 2, "{:?}", found.sdks);
    let amap = found.sdks.first().expect("row");
    assert_eq!(
        (
            amap.id.as_deref(),
            amap.platform.as_deref(),
            amap.vendor.as_deref()
        ),
        (Some("amap"), Some("ios"), Some("高德软件有限公司"))
    );
    assert_eq!(amap.data, ["location.precise", "device.advertising_id"]);
    assert_eq!(
        found.sdks.get(1).map(|s| (
            s.id.as_deref().map(str::to_string),
            s.data.iter().map(|d| d.to_string()).collect::<Vec<_>>()
        )),
        Some((None, vec!["device".to_string()]))
    );
}

#[test]
fn markdown_tables() {
    let md = "# 隐私政策\n\n| 第三方名称 | 使用目的 | 收集的信息 |\n|---|---|---|\n| 极光推送 | 消息推送 | 设备标识符、MAC地址 |\n| Bugly | 崩溃分析 | Android ID |\n";
    let doc = read_policy_bytes("p.md", md.as_bytes()).expect("reads");
    let found = extract(&doc, vocab());
    let rows: Vec<_> = found
        .sdks
        .iter()
        .map(|s| {
            let data: Vec<String> = s.data.iter().map(|d| d.to_string()).collect();
            (s.id.as_deref(), data, s.purpose.as_deref())
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                Some("jpush"),
                vec!["device.identifier".to_string(), "device.mac".to_string()],
                Some("消息推送")
            ),
            (
                Some("bugly"),
                vec!["device.android_id".to_string()],
                Some("崩溃分析")
            ),
        ]
    );
}

#[test]
fn encodings_gbk_utf16_and_traditional() {
    let text = "隱私政策：我們會收集您的設備識別碼和MAC地址。";
    let found = declared(text);
    assert!(found.data.iter().any(|d| d.data_type == "device.mac"));
    assert!(found
        .data
        .iter()
        .any(|d| d.data_type == "device.identifier" && d.text.quote == text));
    let simplified = "隐私政策：我们会收集您的应用安装列表。";
    let (gbk, _, _) = encoding_rs::GBK.encode(simplified);
    let doc = read_policy_bytes("gbk.txt", &gbk).expect("gbk reads");
    assert_eq!((doc.encoding, doc.text.as_str()), ("GB18030", simplified));
    assert!(extract(&doc, vocab())
        .data
        .iter()
        .any(|d| d.data_type == "apps.installed"));
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(simplified.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let doc = read_policy_bytes("u16.txt", &utf16).expect("utf-16 reads");
    assert_eq!(doc.text, simplified);
}

#[test]
fn bad_input_is_an_error_or_a_warning_never_a_panic() {
    // Binary junk.
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let err = read_policy_bytes("junk.bin", &junk).expect_err("binary rejected");
    assert!(matches!(err, PolicyError::NotText { .. }), "{err}");
    assert!(!err.to_string().contains('\n') && err.to_string().starts_with("junk.bin"));
    // 50 MB.
    let big = vec![b'a'; 50 * 1024 * 1024];
    let err = read_policy_bytes("big.txt", &big).expect_err("too large");
    assert!(matches!(err, PolicyError::TooLarge { .. }), "{err}");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.txt");
    std::fs::write(&path, &big).expect("write");
    assert!(matches!(
        read_policy_file(&path),
        Err(PolicyError::TooLarge { .. })
    ));
    // Invalid UTF-8 that is not GB18030 either: decoded lossily, with a warning.
    let mut bad = "Privacy policy: we collect your IMEI. "
        .repeat(20)
        .into_bytes();
    bad.extend([0xFF, 0xFF, b' ', b'x']);
    let doc = read_policy_bytes("bad.txt", &bad).expect("lossy decode");
    let found = extract(&doc, vocab());
    assert!(found
        .warnings
        .iter()
        .any(|w| w.kind == disclose::policy::WarningKind::Decoding));
    assert!(found.data.iter().any(|d| d.data_type == "device.imei"));
    // PDF.
    assert!(matches!(
        read_policy_bytes("p.pdf", b"%PDF-1.7 ..."),
        Err(PolicyError::Pdf { .. })
    ));
    // Empty and not a policy.
    let empty = extract(
        &read_policy_bytes("e.txt", b"  \n ").expect("reads"),
        vocab(),
    );
    assert_eq!(empty.warnings.first().map(|w| w.kind.code()), Some("empty"));
    let recipe = extract(
        &read_policy_bytes(
            "r.txt",
            "Mix flour and water. Bake for 20 minutes.".as_bytes(),
        )
        .expect("reads"),
        vocab(),
    );
    assert_eq!(
        recipe.warnings.first().map(|w| w.kind.code()),
        Some("not-a-policy")
    );
}

#[test]
fn html_nested_10000_deep_does_not_overflow() {
    for tag in ["div", "b", "table", "span"] {
        let mut html = String::from("<html><body><p>隐私政策：我们收集IMEI。</p>");
        for _ in 0..10_000 {
            html.push_str(&format!("<{tag}>"));
        }
        html.push_str("我们收集MAC地址");
        let doc = read_policy_bytes("deep.html", html.as_bytes()).expect("reads");
        let found = extract(&doc, vocab());
        assert!(
            found.data.iter().any(|d| d.data_type == "device.imei"),
            "{tag}"
        );
    }
}

#[test]
fn ca4p_483_policies_all_parse() {
    let Some(dir) = support::shared_file("corpus/policies/ca4p-483") else {
        return;
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 483, "{} policies", paths.len());
    let (mut with_list, mut rows, mut mapped) = (0usize, 0usize, 0usize);
    let mut unmapped: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for p in &paths {
        let doc = read_policy_file(p).unwrap_or_else(|e| panic!("{e}"));
        let found = extract(&doc, vocab());
        let listed: Vec<_> = found
            .sdks
            .iter()
            .filter(|s| s.form != SdkForm::Inline)
            .collect();
        if !listed.is_empty() {
            with_list += 1;
        }
        rows += listed.len();
        for s in listed {
            match &s.id {
                Some(_) => mapped += 1,
                None => *unmapped.entry(s.name.to_lowercase()).or_default() += 1,
            }
        }
    }
    let mut top: Vec<_> = unmapped.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    eprintln!(
        "CA4P-483: {} policies, {with_list} with an SDK list, {rows} rows, {mapped} mapped",
        paths.len()
    );
    for (name, n) in top.iter().take(40) {
        eprintln!("  unmapped {n:4}  {name}");
    }
}
