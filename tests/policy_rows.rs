//! SDK rows in the shapes that session 12 reads (tests/fixtures/policy/shapes/): numbered
//! paragraphs that are list items, bold-label blocks in Markdown lists, Markdown published as text
//! in HTML, bare names in a list of SDKs, and generic words that name no SDK; and (session 13)
//! products named in prose, names joining several SDKs, components named inside another row,
//! and denials under a condition; and (session 14) generic heads, parties and data items that
//! name no SDK, names with nested brackets, bold-label bullets in HTML, vendor heads under a
//! category, parts under a sentence head, and a bare noun that ends a denied list.

mod support;

use support::{policy_shape as shape, sdk_row_names as names};

#[test]
fn a_paragraph_numbered_like_a_list_item_is_one() {
    // "1.2.1 “甲乙推送”：该SDK由“…”提供…" is a Markdown paragraph (no CommonMark list
    // marker), and so are "（4）戊己地图SDK：…" and "① 庚辛直播SDK：…".
    let found = shape("numbered-paragraphs.zh.md");
    let rows = names(&found);
    for sdk in [
        "甲乙推送",
        "丙丁认证",
        "友盟+",
        "戊己地图SDK",
        "庚辛直播SDK",
    ] {
        assert!(rows.contains(&sdk), "{sdk}: {rows:?}");
    }
    // A numbered section title is no row.
    assert!(rows.iter().all(|n| !n.contains("Cookie")), "{rows:?}");
    let umeng = found.sdks.iter().find(|s| s.name == "友盟+");
    assert!(umeng.is_some_and(|s| s.id.is_some()), "{:?}", found.sdks);
}

#[test]
fn bold_labels_in_a_markdown_list_make_a_block_of_an_unknown_name() {
    // "**使用目的：**推送消息": the closing `**` after "：" is no emphasis in CommonMark and
    // stays in the text before the label.
    let found = shape("bold-label-blocks.zh.md");
    let rows = names(&found);
    for sdk in ["甲乙推送", "丙丁一键登录", "戊己广告"] {
        assert!(rows.contains(&sdk), "{sdk}: {rows:?}");
    }
    let push = found.sdks.iter().find(|s| s.name == "甲乙推送");
    assert_eq!(push.and_then(|s| s.purpose.as_deref()), Some("推送消息"));
}

#[test]
fn unknown_names_in_a_list_of_sdks_are_rows() {
    let found = shape("name-list.en.md");
    let rows = names(&found);
    for sdk in ["Quokka", "Zebrafish Games", "Acme Metrics"] {
        assert!(rows.contains(&sdk), "{sdk}: {rows:?}");
    }
    // A paragraph that is only a known SDK's name heads the prose about it.
    let sentry = found.sdks.iter().find(|s| s.name == "Sentry");
    assert_eq!(
        sentry.and_then(|s| s.id.as_deref()),
        Some("sentry"),
        "{rows:?}"
    );
    // Lists with fewer than two known SDKs list something else.
    for other in [
        "Introduction",
        "Contact us",
        "Name",
        "Email address",
        "Crash logs",
    ] {
        assert!(!rows.contains(&other), "{other}: {rows:?}");
    }
}

#[test]
fn generic_words_before_an_sdk_word_name_no_sdk() {
    let found = shape("generic-sdk-words.zh.md");
    let rows = names(&found);
    assert_eq!(rows, vec!["甲乙统计SDK"], "{:?}", found.sdks);
}

#[test]
fn markdown_published_as_text_in_html_leaves_no_marks_in_names() {
    // An HTML page whose paragraphs are Markdown written as text ("**使用目的：** …").
    let found = shape("literal-markdown.zh.html");
    let rows = names(&found);
    assert!(rows.iter().all(|n| !n.contains('*')), "{rows:?}");
    assert!(rows.contains(&"甲乙语音合成 SDK"), "{rows:?}");
    let alipay = found.sdks.iter().find(|s| s.name.starts_with("Alipay"));
    assert_eq!(
        alipay.and_then(|s| s.id.as_deref()),
        Some("alipay"),
        "{rows:?}"
    );
}

#[test]
fn products_named_in_prose_with_a_purpose_are_rows() {
    // "We use Wombatlytics to understand…", "sent to Platypus Crash (platypus.example)",
    // "usage statistics using Numbat Insights (…)": no SDK word, link or list.
    let found = shape("prose-names.en.md");
    let rows = names(&found);
    for sdk in ["Wombatlytics", "Platypus Crash", "Numbat Insights"] {
        let row = found.sdks.iter().find(|s| s.name == sdk);
        assert!(row.is_some_and(|s| s.id.is_none()), "{sdk}: {rows:?}");
    }
    // No purpose (payments), a generic word, a denial, a possessive: no rows.
    for other in ["Cookies", "Stripe Lite", "Echidna Metrics", "Apple"] {
        assert!(rows.iter().all(|n| !n.contains(other)), "{other}: {rows:?}");
    }
    // The same in Chinese prose: a product called an analysis platform.
    let found = shape("prose-names.zh.md");
    let rows = names(&found);
    assert!(rows.contains(&"Wombat Center"), "{rows:?}");
    assert!(!rows.contains(&"Numbat Hub"), "{rows:?}");
}

#[test]
fn a_name_joining_several_sdks_is_one_row_per_sdk() {
    let found = shape("joined-names.zh.md");
    let ids: Vec<(&str, Option<&str>)> = found
        .sdks
        .iter()
        .map(|s| (s.name.as_str(), s.id.as_deref()))
        .collect();
    for (name, id) in [
        ("微信分享", "wechat-opensdk"),
        ("QQ分享", "qq-connect"),
        ("微博分享", "weibo-sdk"),
    ] {
        assert!(ids.contains(&(name, Some(id))), "{name}: {ids:?}");
    }
    // Parts that resolve to nothing stay one row as written.
    assert!(ids.iter().any(|(n, _)| *n == "甲乙/丙丁推送"), "{ids:?}");
}

#[test]
fn an_sdk_named_inside_another_row_is_linked_to_it() {
    let found = shape("components.zh.txt");
    let utdid = found.sdks.iter().find(|s| s.name.contains("utdid2"));
    assert_eq!(
        utdid.and_then(|s| s.part_of.as_deref()),
        Some("微信、支付宝SDK"),
        "{:?}",
        found.sdks
    );
    // Names of the item's own head are rows, not parts of it.
    for own in ["移动经理SDK", "社交金融SDK"] {
        let row = found.sdks.iter().find(|s| s.name == own);
        assert!(
            row.is_some_and(|s| s.part_of.is_none()),
            "{own}: {:?}",
            found.sdks
        );
    }
}

#[test]
fn a_denial_under_a_condition_is_conditional_and_declares_the_type() {
    let found = shape("conditional-denials.zh.txt");
    let entry = |ty: &str| found.data.iter().find(|d| d.data_type == ty && d.negated);
    let voice = entry("microphone");
    assert!(voice.is_some_and(|d| d.conditional), "{:?}", found.data);
    let contacts = entry("contacts");
    assert!(contacts.is_some_and(|d| !d.conditional), "{:?}", found.data);
    let location = found
        .data
        .iter()
        .find(|d| d.data_type.as_str().starts_with("location") && d.negated);
    assert!(location.is_some_and(|d| d.conditional), "{:?}", found.data);
    // Coverage: the conditional denial declares the type for the other case; the plain one
    // denies it.
    let set = disclose::signatures::SignatureSet::builtin().unwrap();
    use disclose::compare::coverage::{coverage, Coverage};
    assert!(coverage(&found, &set.taxonomy, "microphone").is_declared());
    assert!(matches!(
        coverage(&found, &set.taxonomy, "contacts"),
        Coverage::Denied(_)
    ));
}

#[test]
fn generic_heads_parties_and_data_items_name_no_sdk() {
    let found = shape("generic-heads.zh.md");
    let rows = names(&found);
    for other in [
        "并可能在SDK",
        "内嵌SDK",
        "应用程序插件",
        "序号 SDK",
        "快递物流服务提供商",
        "第三方支付机构",
        "短信渠道合作方",
    ] {
        assert!(!rows.contains(&other), "{other}: {rows:?}");
    }
    // "OAID（替代IMEI）" in a list of data items is a data item; "OAID SDK" is the SDK.
    assert!(rows.iter().all(|n| !n.contains("替代")), "{rows:?}");
    let oaid = found.sdks.iter().find(|s| s.name == "OAID SDK");
    assert_eq!(
        oaid.and_then(|s| s.id.as_deref()),
        Some("msa-oaid"),
        "{rows:?}"
    );
    assert!(rows.contains(&"甲乙闪验SDK"), "{rows:?}");
}

#[test]
fn a_name_with_a_qualifier_and_a_bracketed_company_is_its_sdk() {
    for file in ["nested-brackets.zh.txt", "nested-brackets.en.md"] {
        let found = shape(file);
        let dcloud = found
            .sdks
            .iter()
            .find(|s| s.name.starts_with("DCloud uni-app"));
        assert_eq!(
            dcloud.and_then(|s| s.id.as_deref()),
            Some("dcloud-uniapp"),
            "{file}: {:?}",
            names(&found)
        );
        assert!(
            dcloud.is_some_and(|s| !s.name.contains("Heaven") && !s.name.contains("数字天堂")),
            "{file}: {:?}",
            names(&found)
        );
    }
}

#[test]
fn bold_labels_of_html_list_items_name_their_sdks() {
    let found = shape("html-bold-bullets.en.html");
    let ids: Vec<&str> = found.sdks.iter().filter_map(|s| s.id.as_deref()).collect();
    for id in ["appsflyer", "sentry"] {
        assert!(ids.contains(&id), "{id}: {:?}", names(&found));
    }
}

#[test]
fn vendor_heads_under_a_category_are_its_sdks() {
    // "3.6 消息推送" / "3.6.1 华为" + "用途：用于向华为手机用户推送消息".
    let found = shape("vendor-channel-heads.zh.html");
    let ids: Vec<&str> = found.sdks.iter().filter_map(|s| s.id.as_deref()).collect();
    for id in ["huawei-push", "xiaomi-push"] {
        assert!(ids.contains(&id), "{id}: {:?}", found.sdks);
    }
}

#[test]
fn sdks_named_after_a_sentence_head_are_parts_of_its_sdk() {
    let found = shape("sentence-head-parts.zh.txt");
    let part = |name: &str| {
        found
            .sdks
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.part_of.clone())
    };
    assert_eq!(
        part("丙丁colorOS SDK"),
        Some(Some("慧推SDK".to_string())),
        "{:?}",
        found.sdks
    );
    // An SDK the app itself integrates in the same item is its own row.
    assert_eq!(part("庚辛统计SDK"), Some(None), "{:?}", found.sdks);
}

#[test]
fn a_bare_noun_ending_a_denied_list_is_denied() {
    let found = shape("list-end-denials.en.md");
    let denied = |ty: &str| {
        found
            .data
            .iter()
            .any(|d| d.data_type.as_str() == ty && d.negated)
    };
    for ty in [
        "identity.name",
        "identity.email",
        "phone_number",
        "location",
    ] {
        assert!(denied(ty), "{ty}: {:?}", found.data);
    }
    // "a secure location" ends no list of data words: no location entry from it.
    assert!(
        found
            .data
            .iter()
            .filter(|d| d.data_type.as_str() == "location")
            .all(|d| d.negated),
        "{:?}",
        found.data
    );
}
