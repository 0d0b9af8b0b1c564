//! The built-in SDK alias vocabulary against SDK names as real Chinese and English policy lists
//! write them (names seen in CA4P-483, the policies-real set and the seeds; see
//! `signatures/sdks/UNMAPPED.md` for the names left unmapped on purpose).
//!
//! `alias:` examples in the SDK files only check that a text is one alias of an SDK; these tests
//! go through the policy reader's resolver (longest alias in the name, "SDK" stripped), which is
//! what `disclose policy` and `disclose scan` use.

use disclose::policy::{normalise_word, PolicyVocabulary};
use disclose::signatures::schema::SdkFile;
use disclose::Analyzer;
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| Analyzer::builtin().expect("built-in signatures load"))
}

fn vocab() -> &'static PolicyVocabulary {
    analyzer().vocabulary().expect("vocabulary compiles")
}

/// Every SDK's name and each of its zh and en aliases, with the SDK.
fn written_names() -> impl Iterator<Item = (&'static SdkFile, &'static String)> {
    analyzer().set.sdks.iter().flat_map(|sdk| {
        let spec = &sdk.spec;
        std::iter::once(&spec.name)
            .chain(&spec.aliases.zh)
            .chain(&spec.aliases.en)
            .map(move |name| (spec, name))
    })
}

#[test]
fn product_names_from_real_lists_resolve_to_their_sdk() {
    let cases = [
        ("极光JPUSH", "jpush"),
        ("腾讯Bugly", "tencent-bugly"),
        ("阿里设备标识SDK", "alibaba-utdid"),
        ("移动一键登录", "cmic-auth"),
        ("QQ（腾讯移动开放平台 SDK）", "qq-connect"),
        ("腾讯互联SDK", "qq-connect"),
        ("友盟+", "umeng-common"),
        ("友盟移动统计SDK", "umeng-analytics"),
        ("Google Analytics for Firebase", "google-firebase-analytics"),
        ("Firebase Analytics", "google-firebase-analytics"),
        ("AdMob", "google-admob"),
        ("HMS Core", "huawei-hms-core"),
        ("HMS-Core SDK", "huawei-hms-core"),
        ("华为帐号SDK", "huawei-account"),
        ("个推推送平台SDK", "getui-push"),
        ("TalkingData", "talkingdata"),
        ("穿山甲", "pangle-csj"),
        ("今日头条广告SDK", "pangle-csj"),
        ("高德开放平台定位SDK", "amap-location"),
        ("高德3D地图SDK", "amap-map"),
        ("百度网盟SDK", "baidu-mobads"),
        ("腾讯云人脸核身SDK", "tencent-faceid"),
        ("腾讯云通信", "tencent-im"),
        ("腾讯云语音SDK", "tencent-gme"),
        ("财付通SDK", "wechat-opensdk"),
        ("UC啄木鸟", "yueying-crash-sdk"),
        ("极验SDK", "geetest"),
        ("智齿客服SDK", "sobot"),
        ("阿里云实人认证SDK", "aliyun-cloudauth"),
        ("Facebook Login", "facebook-login"),
        ("Unity Ads", "unity3d-ads"),
        // 渠道 / 联运 name the app store's channel SDK of a game, which has its own file.
        ("小米渠道SDK", "xiaomi-game"),
        ("华为联运SDK", "huawei-game-service"),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(name, want)| {
            let got = vocab().sdk_id_for(name);
            (got != Some(*want)).then(|| format!("{name}: want {want}, got {got:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn brand_and_generic_names_name_no_single_sdk() {
    // A game's channel list writes 小米SDK for the store's login/payment SDK, a push list the
    // same words for push: the row's context decides, not the alias (with 渠道 / 联运 the name is
    // the channel SDK: see above). Generic words name no vendor.
    let names = [
        "小米SDK",
        "华为 SDK",
        "OPPO SDK",
        "VIVO SDK",
        "魅族SDK",
        "腾讯SDK",
        "百度SDK",
        "中国移动SDK",
        "中国移动插码SDK",
        "东方头条广告SDK",
        "推送SDK",
        "地图SDK",
        "统计SDK",
        "人脸识别SDK",
        "验证码SDK",
    ];
    let resolved: Vec<String> = names
        .iter()
        .filter_map(|n| vocab().sdk_id_for(n).map(|id| format!("{n} -> {id}")))
        .collect();
    assert!(resolved.is_empty(), "{resolved:#?}");
}

#[test]
fn no_alias_is_given_to_two_sdks() {
    // The policy reader keeps the first SDK of a shared alias and drops the others silently.
    let mut owner: BTreeMap<String, &str> = BTreeMap::new();
    let mut shared = Vec::new();
    for (spec, alias) in written_names() {
        let n = normalise_word(alias);
        match owner.get(&n) {
            Some(other) if *other != spec.id => {
                shared.push(format!("{alias:?}: {other} and {}", spec.id))
            }
            _ => {
                owner.insert(n, &spec.id);
            }
        }
    }
    assert!(shared.is_empty(), "{shared:#?}");
}

#[test]
fn every_name_and_alias_resolves_to_its_own_sdk() {
    // An alias is shadowed when another SDK's alias overlaps it and wins (the reader keeps the
    // leftmost non-overlapping hits, then the longest).
    let mut shadowed = Vec::new();
    for (spec, alias) in written_names() {
        let got = vocab().sdk_id_for(alias);
        if got != Some(spec.id.as_str()) {
            shadowed.push(format!("{alias:?} of {} resolves to {got:?}", spec.id));
        }
    }
    assert!(shadowed.is_empty(), "{shadowed:#?}");
}

/// The SDK ids of the rows `disclose policy` reads from a small text policy.
fn ids_read_from(text: &str) -> Vec<String> {
    let doc = disclose::policy::read_policy_bytes("p.txt", text.as_bytes()).expect("reads");
    disclose::policy::extract(&doc, vocab())
        .sdks
        .iter()
        .filter_map(|s| s.id.as_ref().map(|id| id.to_string()))
        .collect()
}

#[test]
fn an_alias_whose_last_character_begins_a_data_or_category_word_is_no_mention() {
    // 易信 is the middle of 交易信息 (交易 + 信息), 个推 of 一个推送 (一个 + 推送): the words of the
    // language files (data items, category words) that begin at the alias's last character.
    for text in [
        "我们会收集您的订单号、交易信息和支付金额，用于完成支付。",
        "当您成为会员时，我们会收集成为会员的交易信息。",
        "我们会使用一个推送通道向您发送服务通知。",
    ] {
        let ids = ids_read_from(text);
        assert!(
            !ids.iter().any(|id| id == "yixin-sdk" || id == "getui-push"),
            "{text}: {ids:?}"
        );
    }
    // The same aliases standing on their own still name their SDK.
    for (text, id) in [
        ("我们集成了易信SDK，用于分享内容至易信。", "yixin-sdk"),
        ("我们集成了个推推送SDK，用于向您推送消息。", "getui-push"),
        ("第三方SDK：个推。使用目的：消息推送。", "getui-push"),
    ] {
        let ids = ids_read_from(text);
        assert!(ids.iter().any(|i| i == id), "{text}: {ids:?}");
    }
}

#[test]
fn a_latin_name_cut_at_a_line_break_is_joined_with_the_next_word_of_its_row() {
    // CA4P 0506 hard-wraps "Talking\ndata" inside a record; the record's name is "Talking".
    let text = "技术支持类合作方收集的相关信息具体如下： 第三方SDK名称：Talking\ndata 公司全称：北京腾云天下科技有限公司 使用目的：数据统计及分析 收集数据类型：设备信息；唯一设备识别码\n";
    let ids = ids_read_from(text);
    assert!(ids.iter().any(|i| i == "talkingdata"), "{ids:?}");
    // A Latin name followed by an ordinary word stays what it is.
    let ids = ids_read_from(
        "第三方SDK名称：Quokka\nanalytics 公司全称：某某科技有限公司 使用目的：统计\n",
    );
    assert!(ids.is_empty(), "{ids:?}");
}

#[test]
fn a_generic_name_takes_the_one_sdk_of_its_vendor_cell_that_shares_a_word() {
    // ids-heldout's rows: a product name no alias knows, the vendor in its own column.
    let table = "| SDK名称 | 第三方公司名称 | 使用目的 | 收集个人信息 |\n\
                 | --- | --- | --- | --- |\n\
                 | 号码认证SDK | 中移互联网有限公司 | 本机号码一键登录 | 手机号码、网络类型 |\n\
                 | 手机号一键登录SDK | 中国联合网络通信有限公司 | 本机号码一键登录 | 手机号码 |\n\
                 | 消息推送 | 每日互动股份有限公司 | 向您推送消息 | 设备标识符 |\n";
    let ids = ids_read_from_markdown(table);
    for id in ["cmic-auth", "unicom-auth", "getui-push"] {
        assert!(ids.iter().any(|i| i == id), "{id}: {ids:?}");
    }
    // A name every SDK of the vendor shares, a vendor no SDK file names, or a name that is
    // only the vendor's brand (policies-real zh/28's store rows) gives no id.
    let table = "| SDK名称 | 第三方公司名称 | 使用目的 | 收集个人信息 |\n\
                 | --- | --- | --- | --- |\n\
                 | 百度SDK | 北京百度网讯科技有限公司 | 提供服务 | 设备标识符 |\n\
                 | 号码认证SDK | 某某信息技术有限公司 | 本机号码一键登录 | 手机号码 |\n\
                 | 九游 | 广州爱九游信息技术有限公司 | 提供登录、支付 | 设备信息 |\n";
    let ids = ids_read_from_markdown(table);
    assert!(ids.is_empty(), "{ids:?}");
}

/// The SDK ids of the rows `disclose policy` reads from a small Markdown policy.
fn ids_read_from_markdown(text: &str) -> Vec<String> {
    let doc = disclose::policy::read_policy_bytes("p.md", text.as_bytes()).expect("reads");
    disclose::policy::extract(&doc, vocab())
        .sdks
        .iter()
        .filter_map(|s| s.id.as_ref().map(|id| id.to_string()))
        .collect()
}

/// Name → id of the rows `disclose policy` reads from a small policy (`p.md` or `p.txt`).
fn rows_read_from(file: &str, text: &str) -> Vec<(String, Option<String>)> {
    let doc = disclose::policy::read_policy_bytes(file, text.as_bytes()).expect("reads");
    disclose::policy::extract(&doc, vocab())
        .sdks
        .iter()
        .map(|s| (s.name.clone(), s.id.as_ref().map(|id| id.to_string())))
        .collect()
}

/// The id of the row named `name`, or a message saying what was read instead.
fn id_of(rows: &[(String, Option<String>)], name: &str) -> Result<Option<String>, String> {
    rows.iter()
        .find(|(n, _)| n == name)
        .map(|(_, id)| id.clone())
        .ok_or_else(|| format!("no row {name:?} in {rows:?}"))
}

#[test]
fn a_vendor_with_several_sdks_gives_the_one_its_kind_words_or_category_pick() {
    // s13's rows: a Latin kind word (HTTPDNS, named by other vendors' SDKs too) and a kind
    // word no SDK of the vendor is named with, whose category (SenseTime's one file, `auth`)
    // is the category of the other vendors' SDKs named with it (OCR, 识别).
    let table = "| SDK名称 | 第三方公司名称 | 使用目的 | 收集个人信息 |\n\
                 | --- | --- | --- | --- |\n\
                 | HTTPDNS-android | 杭州阿里云计算有限公司 | 域名解析 | IP地址 |\n\
                 | OCR识别SDK | 北京市商汤科技开发有限公司 | 身份证识别 | 摄像头 |\n\
                 | 统计SDK | 北京市商汤科技开发有限公司 | 统计分析 | 设备信息 |\n";
    let rows = rows_read_from("p.md", table);
    assert_eq!(
        id_of(&rows, "HTTPDNS-android"),
        Ok(Some("aliyun-httpdns".into()))
    );
    assert_eq!(id_of(&rows, "OCR识别SDK"), Ok(Some("sensetime".into())));
    // No SDK of the vendor is an analytics SDK: no id.
    assert_eq!(id_of(&rows, "统计SDK"), Ok(None));
}

#[test]
fn a_generic_name_takes_the_sdk_of_the_vendor_its_own_sentence_names() {
    // s13 CCB's numbered items: the vendor is written in the item's sentence, not a cell.
    let text = "8）OCR识别SDK：为了向您提供证件及银行卡快速识别服务，我行使用北京市商汤科技开发有限公司的OCR识别SDK，获取您的摄像头权限。\n\
                12）语音导航SDK：为了向您提供语音交互服务，我行使用科大讯飞公司的语音导航SDK，需要获取您的麦克风和录音权限。\n\
                13）人脸识别SDK：为了向您提供人脸识别服务，我行使用了科大讯飞公司与商汤公司的人脸识别SDK，获取您的摄像头权限。\n";
    let rows = rows_read_from("p.txt", text);
    assert_eq!(id_of(&rows, "OCR识别SDK"), Ok(Some("sensetime".into())));
    assert_eq!(id_of(&rows, "语音导航SDK"), Ok(Some("iflytek-msc".into())));
    // Two companies in the sentence: no vendor, no id.
    assert_eq!(id_of(&rows, "人脸识别SDK"), Ok(None));
}

#[test]
fn a_package_name_resolves_through_its_words_without_the_framework() {
    // Flutter and React Native lists name the package that wraps the SDK.
    let table = "| SDK名称 | 第三方公司名称 | 使用目的 |\n\
                 | --- | --- | --- |\n\
                 | `google_sign_in` | Google LLC | 谷歌账号登录 |\n\
                 | @react-native-firebase/analytics | Google LLC | 统计分析 |\n\
                 | react-native-amap-geolocation | 高德软件有限公司 | 定位 |\n";
    let rows = rows_read_from("p.md", table);
    assert_eq!(
        id_of(&rows, "`google_sign_in`"),
        Ok(Some("google-sign-in".into()))
    );
    assert_eq!(
        id_of(&rows, "@react-native-firebase/analytics"),
        Ok(Some("google-firebase-analytics".into()))
    );
    assert_eq!(
        id_of(&rows, "react-native-amap-geolocation"),
        Ok(Some("amap-location".into()))
    );
}

#[test]
fn a_brand_in_brackets_takes_the_category_of_its_row() {
    // s13 Tandem: "Meta (Facebook) SDK (Ad Attribution): … our advertising campaigns".
    let html = "<ul><li><strong>Meta (Facebook) SDK (Ad Attribution):</strong> Collects your GAID \
                and app events to measure the effectiveness of our advertising campaigns.</li></ul>";
    let rows = rows_read_from("p.html", html);
    assert_eq!(
        id_of(&rows, "Meta (Facebook) SDK"),
        Ok(Some("facebook-ads".into()))
    );
    // A bracket that is not one or two Latin words completes nothing.
    let rows = rows_read_from(
        "p.html",
        "<ul><li><strong>Quokka SDK (by the Acme Corp):</strong> measures our advertising.</li></ul>",
    );
    assert!(rows.iter().all(|(_, id)| id.is_none()), "{rows:?}");
}

#[test]
fn an_unknown_product_whose_name_ends_with_a_known_one_word_alias_keeps_no_id() {
    // "Metrics" is an alias (Dropwizard Metrics); "Quokka Metrics" is another product.
    let rows = rows_read_from(
        "p.md",
        "We use Quokka Metrics to collect anonymous usage statistics.\n\n\
         We use Yandex AppMetrica to collect usage statistics.\n",
    );
    assert!(
        !rows.iter().any(|(_, id)| id.as_deref() == Some("metrics")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|(_, id)| id.as_deref() == Some("appmetrica")),
        "{rows:?}"
    );
    assert_eq!(vocab().sdk_id_for("Quokka Metrics"), None);
    assert_eq!(vocab().sdk_id_for("Quokka Metrics SDK"), None);
    // A word of the SDK's own name or vendor before the alias keeps it ("Tencent Bugly").
    assert_eq!(vocab().sdk_id_for("Tencent Bugly"), Some("tencent-bugly"));
}

#[test]
fn names_of_the_s13_alias_gaps_resolve() {
    for (name, want) in [
        ("OPUSH SDK", "oppo-push"),
        ("华为游戏 SDK", "huawei-game-service"),
        ("小米游戏服务", "xiaomi-game"),
        (
            "Microsoft AppCenter",
            "microsoft-visual-studio-app-center-analytics",
        ),
    ] {
        assert_eq!(vocab().sdk_id_for(name), Some(want), "{name}");
    }
}
