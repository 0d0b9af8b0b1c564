#![no_main]
//! Fuzzes the policy reader: any bytes, read as text, HTML or Markdown (chosen by the first
//! byte), then extracted against a small fixed vocabulary. Must never panic or hang.
use disclose::policy::{extract, read_policy_bytes, PolicyVocabulary};
use disclose::signatures::schema::{Aliases, DataTypeDef, Examples, SdkFile, SdkKind};
use std::sync::OnceLock;

fn data_type(id: &str, parent: Option<&str>, words: &[&str]) -> DataTypeDef {
    DataTypeDef {
        id: id.into(),
        parent: parent.map(Into::into),
        name_en: id.into(),
        name_zh: id.into(),
        en: words.iter().map(|w| w.to_string()).collect(),
        zh_hans: Vec::new(),
        zh_hant: Vec::new(),
        sensitive: false,
        description: None,
    }
}

fn sdk(id: &str, zh: &[&str], en: &[&str]) -> SdkFile {
    SdkFile {
        id: id.into(),
        kind: SdkKind::Sdk,
        name: id.into(),
        vendor: None,
        vendor_zh: Vec::new(),
        category: "utility".into(),
        country: None,
        aliases: Aliases { zh: zh.iter().map(|w| w.to_string()).collect(), en: en.iter().map(|w| w.to_string()).collect() },
        android: Default::default(),
        ios: Default::default(),
        data: Some(Vec::new()),
        data_undocumented: None,
        privacy_policy: None,
        website: None,
        sources: Vec::new(),
        license: None,
        notes: None,
        bundled_in: Vec::new(),
        bundled_only: Vec::new(),
        examples: Examples { must_match: Vec::new(), no_match: Vec::new() },
    }
}

fn vocab() -> &'static PolicyVocabulary {
    static V: OnceLock<PolicyVocabulary> = OnceLock::new();
    V.get_or_init(|| {
        let types = [
            data_type("device", None, &["设备信息", "device information"]),
            data_type("device.identifier", Some("device"), &["设备标识符", "device identifier"]),
            data_type("device.imei", Some("device.identifier"), &["imei", "国际移动设备识别码"]),
            data_type("device.mac", Some("device.identifier"), &["mac地址", "mac address"]),
            data_type("contacts", None, &["通讯录", "contacts"]),
            data_type("location", None, &["位置信息", "location information"]),
            data_type("location.precise", Some("location"), &["gps", "精确位置"]),
        ];
        let sdks = [
            sdk("amap", &["高德地图SDK"], &["AMap"]),
            sdk("umeng-share", &["友盟+U-Share"], &["U-Share SDK"]),
            sdk("jpush", &["极光推送"], &["JPush"]),
            sdk("huawei-push", &["华为推送"], &["Huawei Push"]),
        ];
        PolicyVocabulary::new(&types, &sdks).expect("vocabulary")
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let name = match data.first().map(|b| b % 3) {
        Some(0) => "f.html",
        Some(1) => "f.md",
        _ => "f.txt",
    };
    if let Ok(doc) = read_policy_bytes(name, data) {
        let _ = extract(&doc, vocab());
    }
});
