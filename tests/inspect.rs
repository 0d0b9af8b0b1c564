//! `disclose inspect` on real apps (fetched, pinned) and on the demo apps built with the real
//! Android and Apple-format toolchains: the SDKs, data types and owners their sources put in.

mod support;

use disclose::model::{InspectReport, LimitKind};
use disclose::Analyzer;
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| Analyzer::builtin().expect("built-in signatures load"))
}

/// The SDKs graded present (referenced-only ones are listed but not in the app's code).
fn sdk_ids(r: &InspectReport) -> BTreeSet<&str> {
    r.sdks
        .iter()
        .filter(|s| s.grade == disclose::model::Grade::Present)
        .map(|s| s.id.as_str())
        .collect()
}

fn pairs(r: &InspectReport) -> BTreeSet<(&str, &str)> {
    r.data
        .iter()
        .map(|d| (d.data_type.as_str(), d.by.as_str()))
        .collect()
}

#[test]
fn demo_apk_shows_exactly_the_sdks_and_owners_of_its_sources() {
    let r = analyzer()
        .inspect(&support::repo_file("samples/demo.apk"))
        .unwrap();
    assert_eq!(r.app.id.as_deref(), Some("com.example.disclosedemo"));
    assert_eq!(r.app.version.as_deref(), Some("1.2.0"));
    assert_eq!(
        sdk_ids(&r),
        BTreeSet::from(["amap-location", "jpush", "tencent-bugly", "umeng-common"])
    );
    // The AMap API key in the manifest names AMap's map SDK, whose code is not in the app.
    let referenced: Vec<&str> = r
        .sdks
        .iter()
        .filter(|s| s.grade == disclose::model::Grade::Referenced)
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(referenced, ["amap-map"]);
    let got = pairs(&r);
    // samples/android/SOURCES.md, one row per call site.
    for expected in [
        ("device.imei", "app"),
        ("device.android_id", "app"),
        ("device.mac", "app"),
        ("apps.installed", "app"),
        ("location.precise", "app"),
        ("clipboard", "app"),
        ("device.imei", "umeng-common"),
        ("device.android_id", "umeng-common"),
        ("device.mac", "umeng-common"),
        ("location.precise", "amap-location"),
        ("network.bssid", "amap-location"),
        ("device.imei", "jpush"),
        ("apps.installed", "jpush"),
        ("device.serial", "tencent-bugly"),
        ("apps.running", "tencent-bugly"),
    ] {
        assert!(got.contains(&expected), "missing {expected:?} in {got:?}");
    }
    // Nobody else reaches for anything, and no code is unattributed.
    assert!(got.iter().all(|(_, by)| *by != "unknown"), "{got:?}");
    // Evidence names the dex, the class->method and the rule.
    let imei_app = r
        .data
        .iter()
        .find(|d| d.data_type == "device.imei" && d.by == "app")
        .unwrap();
    let ev = &imei_app.evidence[0];
    assert_eq!(ev.file, "classes.dex");
    assert!(ev
        .location
        .as_deref()
        .unwrap()
        .starts_with("Lcom/example/disclosedemo/DeviceInfo;->deviceId("));
    assert_eq!(ev.rule.as_deref(), Some("telephony-get-device-id"));
    // Permissions carry protection level and data types from the permission table.
    let phone = r
        .permissions
        .iter()
        .find(|p| p.name == "android.permission.READ_PHONE_STATE")
        .unwrap();
    assert_eq!(phone.protection.as_deref(), Some("dangerous"));
    assert!(phone.data.iter().any(|d| d == "device.imei"));
    assert!(r.limits.is_empty(), "{:?}", r.limits);
}

#[test]
fn demo_ipa_shows_its_sdks_usage_keys_and_framework_owner() {
    let r = analyzer()
        .inspect(&support::repo_file("samples/demo.ipa"))
        .unwrap();
    assert_eq!(r.app.id.as_deref(), Some("com.example.disclosedemo"));
    let ids = sdk_ids(&r);
    for id in ["jpush", "umeng-common", "amap-location", "tencent-bugly"] {
        assert!(ids.contains(id), "missing {id} in {ids:?}");
    }
    let keys: BTreeSet<&str> = r.permissions.iter().map(|p| p.name.as_str()).collect();
    assert!(keys.contains("NSUserTrackingUsageDescription"), "{keys:?}");
    assert!(keys.contains("NSCameraUsageDescription"), "{keys:?}");
    let got = pairs(&r);
    // Every (data, owner) pair of samples/ios/SOURCES.md: the main binary mixes app and SDK
    // classes, and each call is attributed to the class whose method makes it.
    let expected = [
        ("clipboard", "app"),
        ("network.carrier", "app"),
        ("device.advertising_id", "jpush"),
        ("device.idfv", "umeng-common"),
        ("network.ssid", "umeng-common"),
        ("network.bssid", "umeng-common"),
        ("location.precise", "amap-location"),
        ("device.idfv", "tencent-bugly"),
        ("network.ip", "tencent-bugly"),
        // The embedded framework's own code is attributed to its SDK: AMapFoundationKit, the
        // base every AMap iOS SDK ships (here with AMap location, no map).
        ("device.idfv", "amap-foundation"),
    ];
    for pair in expected {
        assert!(got.contains(&pair), "missing {pair:?} in {got:?}");
    }
    // Nothing is left to nobody, and the app's call of AMapLocationManager's
    // startUpdatingLocation is not the app using CLLocationManager.
    assert!(got.iter().all(|(_, by)| *by != "unknown"), "{got:?}");
    assert!(!got.contains(&("location.precise", "app")), "{got:?}");
    // Evidence names the method and the slice.
    let idfa = r
        .data
        .iter()
        .find(|d| d.data_type == "device.advertising_id" && d.by == "jpush")
        .unwrap();
    let ev = &idfa.evidence[0];
    assert_eq!(
        ev.location.as_deref(),
        Some("+[JPUSHService advertisingId]")
    );
    assert_eq!(
        ev.detail.as_deref(),
        Some("arm64 selector advertisingIdentifier")
    );
}

#[test]
fn yosemite_shows_tbs_and_no_merely_referenced_sdk() {
    let Some(path) = support::corpus_app("Yosemite.apk") else {
        return;
    };
    let r = analyzer().inspect(&path).unwrap();
    assert_eq!(r.app.id.as_deref(), Some("com.netease.nie.yosemite"));
    assert_eq!(sdk_ids(&r), BTreeSet::from(["tencent-tbs"]));
    let tbs = &r.sdks[0];
    // 381 under com.tencent.smtt plus TBS's video interfaces under com.tencent.tbs.
    assert_eq!(tbs.classes, 383);
    let details = r.details.as_ref().unwrap();
    assert_eq!(details["defined_classes"], 13_184);
    // Device-id, MAC/SSID and location call sites (androguard counts 9, 21 and 6).
    let sites = |types: &[&str]| -> usize {
        r.data
            .iter()
            .filter(|d| types.contains(&d.data_type.as_str()))
            .map(|d| d.sites)
            .sum()
    };
    let device_id = sites(&["device.imei", "device.imsi", "device.iccid", "phone_number"]);
    let mac_ssid = sites(&["device.mac", "network.ssid", "network.bssid"]);
    let location = sites(&[
        "location.precise",
        "location.coarse",
        "location",
        "location.cell",
    ]);
    eprintln!(
        "Yosemite call sites: device id {device_id}, MAC/SSID {mac_ssid}, location {location}"
    );
    assert!((5..=20).contains(&device_id), "{device_id}");
    assert!(mac_ssid >= 5, "{mac_ssid}");
    assert!(location >= 3, "{location}");
}

#[test]
fn apidemos_has_no_third_party_sdk() {
    let Some(path) = support::corpus_app("ApiDemos-debug.apk") else {
        return;
    };
    let r = analyzer().inspect(&path).unwrap();
    assert!(r.sdks.is_empty(), "{:?}", sdk_ids(&r));
}

#[test]
fn appium_settings_shows_play_services_location_and_only_crumbs_of_auth() {
    let Some(path) = support::corpus_app("settings_apk-debug.apk") else {
        return;
    };
    let r = analyzer().inspect(&path).unwrap();
    let ids = sdk_ids(&r);
    assert!(ids.contains("google-play-services-location"), "{ids:?}");
    // Sign-In's value classes ship inside Play services base (issue 13): referenced only.
    assert!(!ids.contains("google-sign-in"), "{ids:?}");
    assert!(r.sdks.iter().any(|s| s.id == "google-sign-in"));
}

#[test]
fn every_real_app_inspects() {
    for name in support::corpus_app_names() {
        let Some(path) = support::corpus_app(&name) else {
            continue;
        };
        let r = analyzer().inspect(&path).unwrap();
        assert!(r.app.id.is_some(), "{name}");
        assert!(
            !r.limits.iter().any(|l| l.kind == LimitKind::Packed),
            "{name}: {:?}",
            r.limits
        );
    }
    for rel in [
        "corpus/apps/weibo-sdk-demo-3.1.4.apk",
        "corpus/apps/weibo-app-signatures.apk",
        "corpus/apps/mobsf-diva.apk",
        "corpus/apps/weibo-sdk-demo-2013.ipa",
        "corpus/apps/mobsf-helloworld.ipa",
    ] {
        let Some(path) = support::shared_file(rel) else {
            continue;
        };
        let r = analyzer().inspect(&path).unwrap();
        if rel.contains("weibo-sdk-demo") {
            assert!(sdk_ids(&r).contains("weibo-sdk"), "{rel}");
        }
    }
}

#[test]
fn bad_input_is_one_line_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.apk");
    std::fs::write(&junk, b"this is not a zip archive at all, just text").unwrap();
    let e = analyzer().inspect(&junk).unwrap_err().to_string();
    assert!(e.starts_with(&junk.display().to_string()), "{e}");
    assert!(!e.contains('\n'), "{e}");
    let truncated = dir.path().join("truncated.apk");
    let demo = std::fs::read(support::repo_file("samples/demo.apk")).unwrap();
    std::fs::write(&truncated, &demo[..demo.len() / 2]).unwrap();
    let e = analyzer().inspect(&truncated).unwrap_err().to_string();
    assert!(e.contains("truncated.apk"), "{e}");
}
