//! Shapes of issue 12 read on small documents written for each (tests/fixtures/policy/shapes/):
//! package names that name an SDK (in prose brackets and in a package column), and evidence
//! quotes that are the declaring sentence or table row, never the bare word.

mod support;

use disclose::policy::PolicyDeclarations;

use support::{policy_shape as shape, sdk_row_names as names};

fn id_of<'a>(found: &'a PolicyDeclarations, name_part: &str) -> Option<&'a str> {
    found
        .sdks
        .iter()
        .find(|s| s.name.contains(name_part))
        .unwrap_or_else(|| panic!("no row with {name_part}: {:?}", found.sdks))
        .id
        .as_deref()
}

#[test]
fn a_package_name_in_brackets_names_the_sdk() {
    let found = shape("packages.zh.txt");
    assert_eq!(id_of(&found, "某某分享组件"), Some("wechat-opensdk"));
    assert_eq!(id_of(&found, "甲乙定位"), Some("amap-location"));
    // A version number is not a package name: the row stays without an id.
    assert_eq!(id_of(&found, "丙丁统计"), None);
}

#[test]
fn a_package_column_names_the_sdk_of_its_row() {
    let found = shape("package-column.zh.md");
    assert_eq!(id_of(&found, "消息推送"), Some("jpush"));
    assert_eq!(id_of(&found, "崩溃上报"), Some("sentry"));
}

#[test]
fn declarations_quote_their_sentence_or_table_row() {
    let found = shape("quotes.en.md");
    let quote = |ty: &str| {
        found
            .data
            .iter()
            .find(|d| d.data_type == ty)
            .map(|d| d.text.quote.as_str())
            .unwrap_or_else(|| panic!("no {ty}: {:?}", found.data))
    };
    let sentence = "We collect your IMEI and your precise location to show nearby stores.";
    assert_eq!(quote("device.imei"), sentence);
    assert_eq!(quote("location.precise"), sentence);
    assert!(
        quote("network.ip").contains("IP address") && quote("network.ip").contains("fraud"),
        "the table row: {}",
        quote("network.ip")
    );
    let camera = found
        .permissions
        .iter()
        .find(|p| p.group == "camera")
        .unwrap_or_else(|| panic!("camera permission: {:?}", found.permissions));
    assert_eq!(camera.name, "camera");
    assert_eq!(
        camera.text.quote,
        "The app asks for the camera permission to scan receipts."
    );
}

#[test]
fn a_name_column_of_companies_gives_way_to_the_cell_that_names_the_sdk() {
    // Raw HTML table in Markdown: "功能类型 | 第三方名称": the SDK is in the first column.
    let found = shape("company-column.zh.md");
    let rows = names(&found);
    assert!(rows.contains(&"甲乙推送SDK"), "{rows:?}");
    assert_eq!(id_of(&found, "Bugly"), Some("tencent-bugly"));
    let bugly = found.sdks.iter().find(|s| s.name.contains("Bugly"));
    assert_eq!(
        bugly.and_then(|s| s.vendor.as_deref()),
        Some("深圳市腾讯计算机系统有限公司")
    );
    // No row is named after a company or "开源框架"; a row naming no SDK gives none.
    assert!(rows.iter().all(|n| !n.contains("有限公司")), "{rows:?}");
    assert!(
        rows.contains(&"OkHttp SDK") && !rows.contains(&"开源框架"),
        "{rows:?}"
    );
}

#[test]
fn label_lines_inside_a_table_cell_are_no_block_of_their_own() {
    let found = shape("cell-fields.zh.html");
    let rows = names(&found);
    assert!(rows.iter().all(|n| !n.contains("有限公司")), "{rows:?}");
    // "华为通道SDK" in a push row is Huawei's push SDK; the section heading is no row.
    assert_eq!(id_of(&found, "华为通道"), Some("huawei-push"));
    assert_eq!(id_of(&found, "小米通道"), Some("xiaomi-push"));
    assert!(!rows.contains(&"厂商通道SDK"), "{rows:?}");
}

#[test]
fn field_labels_are_not_part_of_a_name_and_data_items_are_no_rows() {
    let found = shape("labels-in-names.zh.txt");
    let rows = names(&found);
    assert_eq!(
        rows.iter().filter(|n| n.contains("甲乙广告")).count(),
        1,
        "{rows:?}"
    );
    assert!(rows.contains(&"甲乙广告"), "{rows:?}");
    assert!(rows.contains(&"丙丁统计SDK"), "{rows:?}");
    for not_sdk in ["网卡", "sim卡", "浏览器插件", "软件工具开发包"] {
        assert!(
            rows.iter().all(|n| !n.contains(not_sdk)),
            "{not_sdk}: {rows:?}"
        );
    }
    assert!(rows.iter().any(|n| n.contains("闪验")), "{rows:?}");
}

#[test]
fn a_list_of_package_names_called_sdks_gives_one_row_per_package() {
    let found = shape("package-list.zh.txt");
    let rows = names(&found);
    for package in [
        "com.wireless.security",
        "com.example.cache",
        "com.example.common",
    ] {
        assert!(rows.contains(&package), "{package}: {rows:?}");
    }
    // Domain names in links are not packages.
    assert!(rows.iter().all(|n| !n.contains("www.")), "{rows:?}");
    assert_eq!(rows.len(), 3, "{rows:?}");
}

#[test]
fn a_heading_or_list_item_that_names_a_known_sdk_is_a_row() {
    let found = shape("heading-brand.en.md");
    assert_eq!(
        id_of(&found, "Visual Studio App Center"),
        Some("microsoft-visual-studio-app-center-analytics")
    );
    assert_eq!(id_of(&found, "One Signal"), Some("onesignal"));
    let rows = names(&found);
    assert!(rows.iter().all(|n| !n.contains("statistics")), "{rows:?}");
}

#[test]
fn the_services_own_sdk_a_definition_and_an_api_are_no_rows() {
    // "本隐私政策适用于…甲乙出行软件开发工具包（SDK）": the service's own SDK; "软件开发工具包
    // （缩写：SDK）" defines the word; "戊己广告API" is an API. The real rows stay.
    let found = shape("scope-and-definitions.zh.txt");
    let rows = names(&found);
    for not_sdk in ["甲乙出行", "缩写", "戊己广告"] {
        assert!(
            rows.iter().all(|n| !n.contains(not_sdk)),
            "{not_sdk}: {rows:?}"
        );
    }
    assert!(rows.iter().any(|n| n.contains("丙丁统计")), "{rows:?}");
    assert!(rows.iter().any(|n| n.contains("庚辛推送")), "{rows:?}");
}

#[test]
fn app_store_channel_sdks_and_a_vendor_in_a_location_row_have_ids() {
    let found = shape("channel-sdks.zh.txt");
    assert_eq!(id_of(&found, "华为联运"), Some("huawei-game-service"));
    assert_eq!(id_of(&found, "OPPO联运"), Some("oppo-game"));
    assert_eq!(id_of(&found, "vivo联运"), Some("vivo-union"));
    assert_eq!(id_of(&found, "小米联运"), Some("xiaomi-game"));
    assert_eq!(id_of(&found, "魅族联运"), Some("meizu-game"));
    assert_eq!(id_of(&found, "4399"), Some("m4399-operate"));
    assert_eq!(id_of(&found, "联想"), Some("lenovo-game"));
    assert_eq!(id_of(&found, "360"), Some("qihoo-game"));
    // "高德SDK" alone is a brand; in a row about location permission it is AMap location.
    assert_eq!(id_of(&found, "高德"), Some("amap-location"));
}

#[test]
fn a_brand_after_a_mention_cue_with_its_link_is_a_row() {
    let found = shape("brand-prose.en.md");
    let rows = names(&found);
    assert!(rows.contains(&"Quokkalytics"), "{rows:?}");
    assert!(rows.contains(&"Wombat analytics"), "{rows:?}");
    assert_eq!(id_of(&found, "Quokkalytics"), None);
    assert_eq!(id_of(&found, "Sentry"), Some("sentry"));
    // A platform, a server of one's own and "nobody" are no rows.
    for not_sdk in ["Android", "Nextcloud", "nobody"] {
        assert!(
            rows.iter().all(|n| !n.contains(not_sdk)),
            "{not_sdk}: {rows:?}"
        );
    }
}

/// The row named `name`, with its id and vendor.
fn row<'a>(found: &'a PolicyDeclarations, name: &str) -> (Option<&'a str>, Option<&'a str>) {
    let sdk = found
        .sdks
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no row {name}: {:?}", names(found)));
    (sdk.id.as_deref(), sdk.vendor.as_deref())
}

#[test]
fn a_product_column_names_the_sdks_and_the_company_column_their_vendors() {
    // "第三方公司名称 | 产品/类型 | 共享信息名称 | …": the header names no SDK column; the
    // product column names known SDKs in most rows, so it is the name column.
    for file in ["product-column.zh.txt", "product-column.zh.html"] {
        let found = shape(file);
        let rows = names(&found);
        assert!(
            rows.iter().all(|n| !n.contains("有限公司")),
            "{file}: {rows:?}"
        );
        let youlianghui = rows
            .iter()
            .find(|n| n.starts_with("腾讯优量汇"))
            .unwrap_or_else(|| panic!("{file}: no 腾讯优量汇 row: {rows:?}"));
        let (id, vendor) = row(&found, youlianghui);
        assert_eq!(id, Some("tencent-gdt"), "{file}");
        assert!(
            vendor.is_some_and(|v| v.starts_with("腾讯科技") || v.starts_with("深圳市腾讯")),
            "{file}: vendor {vendor:?}"
        );
        // An SDK we do not know stays a row without an id, its company as vendor.
        let unknown = rows
            .iter()
            .find(|n| n.starts_with("甲乙"))
            .unwrap_or_else(|| panic!("{file}: no 甲乙 row: {rows:?}"));
        let (id, vendor) = row(&found, unknown);
        assert_eq!(id, None, "{file}");
        assert!(
            vendor.is_some_and(|v| v.contains("甲乙")),
            "{file}: {vendor:?}"
        );
    }
}

#[test]
fn a_pipe_table_right_after_a_line_of_text_is_a_table() {
    // A table right after a line of text is a table; under a list item without indentation
    // the Markdown parser keeps it as the item's text. Its rows are SDK rows either way.
    let found = shape("paragraph-table.en.md");
    let rows = names(&found);
    assert_eq!(
        row(&found, "Google AdMob").0,
        Some("google-admob"),
        "{rows:?}"
    );
    assert_eq!(
        row(&found, "Firebase Crashlytics").0,
        Some("firebase-crashlytics")
    );
    assert_eq!(row(&found, "Quokka Insights").0, None);
    // The same inside a tight list item (no paragraph of its own).
    assert!(rows.contains(&"Bugsnag"), "{rows:?}");
    assert!(!rows.iter().any(|n| n.contains("Purpose")), "{rows:?}");
}

#[test]
fn in_a_flattened_table_the_company_before_the_name_is_its_vendor() {
    // "第三方公司名称 SDK名称 涉及个人信息 …" written as space-separated lines.
    let found = shape("flattened-vendor.zh.txt");
    let (id, vendor) = row(&found, "荣耀推送SDK");
    assert_eq!(id, Some("honor-push"));
    assert_eq!(vendor, Some("深圳荣耀软件技术有限公司"));
    let (id, vendor) = row(&found, "甲乙推送SDK");
    assert_eq!(id, None);
    assert_eq!(vendor, Some("广州甲乙信息技术有限公司"));
}

#[test]
fn sdks_named_in_a_permission_or_in_another_sdks_purpose_are_no_rows() {
    // "拒绝授权后，某某SDK相关功能将无法使用", "调用目的：…使用某某插件…" describe permissions;
    // "HMS-Core SDK…用于完善某某登录SDK、某某支付SDK等功能" says what HMS-Core serves.
    let found = shape("aside.zh.txt");
    let rows = names(&found);
    for aside in ["丙丁生活平台", "戊己直播插件", "庚辛登录", "壬癸支付"] {
        assert!(rows.iter().all(|n| !n.contains(aside)), "{aside}: {rows:?}");
    }
    // A purpose clause ends at its comma: the next SDK is a row of its own.
    for sdk in ["HMS-Core SDK", "甲乙推送SDK", "子丑统计SDK"] {
        assert!(rows.contains(&sdk), "{sdk}: {rows:?}");
    }
}

#[test]
fn a_variant_spelling_and_the_full_name_in_the_rows_text_give_the_id() {
    // "登陆" for "登录": the alias 极光一键登录 (jverification), not the vendor's push SDK.
    let found = shape("variant-spelling.zh.txt");
    assert_eq!(row(&found, "极光一键登陆SDK").0, Some("jverification"));
    // "（9）统一认证SDK：…我们使用了中国移动统一认证SDK": the row's text names it in full.
    assert_eq!(row(&found, "统一认证SDK").0, Some("cmic-auth"));
}

#[test]
fn a_table_written_one_cell_per_line_with_closing_pipes_is_a_table() {
    // "第三方公司名称 |\n产品/类型 |\n…": every cell closes with " |", the empty link cell
    // is "|"; the product column names the SDKs, the company column their vendors.
    let found = shape("vertical-pipes.zh.txt");
    let (id, vendor) = row(&found, "华为推送SDK");
    assert_eq!(id, Some("huawei-push"));
    assert_eq!(vendor, Some("华为终端有限公司"));
    let (id, vendor) = row(&found, "甲乙统计SDK");
    assert_eq!(id, None);
    assert_eq!(vendor, Some("北京甲乙科技有限公司"));
    assert!(found
        .sdks
        .iter()
        .all(|s| s.form == disclose::policy::SdkForm::Table));
}

#[test]
fn a_company_before_a_product_gives_no_id_of_its_own() {
    // "北京火山引擎科技有限公司 流式语音识别SDK": 火山引擎 is the vendor's alias (of its
    // analytics SDK); the product named after it is another SDK, unknown to us.
    let found = shape("vendor-product.zh.txt");
    let rows = names(&found);
    let asr = rows
        .iter()
        .find(|n| n.contains("流式语音识别SDK"))
        .unwrap_or_else(|| panic!("no row: {rows:?}"));
    assert_eq!(row(&found, asr).0, None);
    // Nor is the alias inside the company's name a row of its own.
    assert!(
        found
            .sdks
            .iter()
            .all(|s| s.id.as_deref() != Some("volcengine-applog")),
        "{rows:?}"
    );
    let honor = rows
        .iter()
        .find(|n| n.contains("荣耀推送SDK"))
        .unwrap_or_else(|| panic!("no row: {rows:?}"));
    assert_eq!(row(&found, honor).0, Some("honor-push"));
}

#[test]
fn a_list_head_whose_brackets_name_the_sdks_is_no_row_of_its_own() {
    // "（3）PUSH SDK(华为、小米、…、个推)": the brackets are the rows, the head a category.
    let found = shape("bracket-heads.zh.txt");
    let rows = names(&found);
    assert!(!rows.contains(&"PUSH SDK"), "{rows:?}");
    assert!(!rows.contains(&"站外分享SDK"), "{rows:?}");
    assert_eq!(row(&found, "个推").0, Some("getui-push"));
    assert_eq!(row(&found, "手机QQ").0, Some("qq-connect"));
    assert_eq!(row(&found, "华为").0, Some("huawei-push"));
    // A head without brackets stays a row, known or not.
    assert_eq!(row(&found, "支付宝SDK").0, Some("alipay"));
    assert_eq!(row(&found, "甲乙畅联SDK").0, None);
}
