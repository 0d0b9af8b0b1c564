//! Vendor SDK packages vetted on their own (`disclose inspect` on a jar, aar, framework,
//! static library or .so): each real binary from the pinned npm packages is recognised as its
//! SDK, and its code's data use is reported.

mod support;

use disclose::model::{Grade, Platform};
use disclose::Analyzer;
use std::collections::BTreeSet;

#[test]
fn every_vendor_binary_is_recognised_as_its_sdk() {
    let analyzer = Analyzer::builtin().unwrap();
    let cases: &[(&str, &str, &str)] = &[
        ("cordova-plugin-bugly-sdk", "package/src/android/libs/bugly_crash_release.jar", "tencent-bugly"),
        ("cordova-plugin-bugly-sdk", "package/src/ios/Bugly.framework", "tencent-bugly"),
        ("cordova-plugin-qqsdk", "package/src/android/open_sdk_r5793.jar", "qq-connect"),
        ("cordova-plugin-qqsdk", "package/src/android/mta-sdk-1.6.2.jar", "tencent-mta"),
        ("cordova-plugin-qqsdk", "package/src/ios/TencentOpenAPI.framework", "qq-connect"),
        ("cordova-plugin-alipay-v2", "package/src/android/lib/alipaySdk-15.6.5-20190718211148.aar", "alipay"),
        ("cordova-plugin-alipay-v2", "package/src/ios/lib/AlipaySDK.framework", "alipay"),
        ("react-native-umeng-analytics", "package/ios/common_ios_1.4.2/normal/UMCommon.framework", "umeng-common"),
        ("react-native-umeng-analytics", "package/ios/analytics_ios_5.4.1/UMAnalytics.framework", "umeng-analytics"),
        ("cordova-plugin-facebook4", "package/src/ios/FBSDKCoreKit.framework", "facebook-analytics"),
        ("cordova-plugin-x5-tbs", "package/platforms/android/libs/tbs_sdk_thirdapp_v3.5.0.1004_43500_sharewithdownload_withoutGame_obfs_20170801_113025.jar", "tencent-tbs"),
        ("cordova-plugin-weibosdk", "package/src/android/libs/openDefault-4.3.6.aar", "weibo-sdk"),
        ("cordova-plugin-weibosdk", "package/src/android/libs/so/armeabi/libweibosdkcore.so", "weibo-sdk"),
        ("cordova-plugin-weibosdk", "package/src/ios/libWeiboSDK/libWeiboSDK.a", "weibo-sdk"),
        ("react-native-wechat", "package/android/libs/libammsdk.jar", "wechat-opensdk"),
        ("react-native-wechat", "package/ios/libWeChatSDK.a", "wechat-opensdk"),
    ];
    for (package, inner, sdk) in cases {
        let Some(path) = support::corpus_npm(package, inner) else {
            continue;
        };
        let r = analyzer
            .inspect(&path)
            .unwrap_or_else(|e| panic!("{inner}: {e}"));
        assert_eq!(r.app.platform, Platform::SdkPackage, "{inner}");
        let ids: BTreeSet<&str> = r.sdks.iter().map(|s| s.id.as_str()).collect();
        assert!(ids.contains(sdk), "{inner}: expected {sdk}, got {ids:?}");
        assert!(r.limits.is_empty(), "{inner}: {:?}", r.limits);
    }
}

#[test]
fn a_vendor_jar_reports_its_data_use_with_evidence() {
    let Some(path) = support::corpus_npm(
        "cordova-plugin-bugly-sdk",
        "package/src/android/libs/bugly_crash_release.jar",
    ) else {
        return;
    };
    let r = Analyzer::builtin().unwrap().inspect(&path).unwrap();
    let imei = r
        .data
        .iter()
        .find(|d| d.data_type == "device.imei" && d.by == "tencent-bugly")
        .expect("Bugly reads the IMEI");
    let ev = &imei.evidence[0];
    assert!(ev.file.ends_with(".class"), "{ev:?}");
    assert!(
        ev.location
            .as_deref()
            .unwrap()
            .starts_with("Lcom/tencent/bugly/"),
        "{ev:?}"
    );
    assert!(
        ev.detail.as_deref().unwrap().contains("TelephonyManager"),
        "{ev:?}"
    );
}

#[test]
fn an_aar_reports_the_permissions_its_manifest_adds() {
    let Some(path) = support::corpus_npm(
        "cordova-plugin-alipay-v2",
        "package/src/android/lib/alipaySdk-15.6.5-20190718211148.aar",
    ) else {
        return;
    };
    let r = Analyzer::builtin().unwrap().inspect(&path).unwrap();
    let names: BTreeSet<&str> = r.permissions.iter().map(|p| p.name.as_str()).collect();
    // The AAR's text AndroidManifest.xml (as `unzip -p` shows it) declares exactly these.
    let want: BTreeSet<&str> = [
        "android.permission.INTERNET",
        "android.permission.ACCESS_NETWORK_STATE",
        "android.permission.ACCESS_WIFI_STATE",
    ]
    .into();
    assert_eq!(names, want);
    let wifi = r
        .permissions
        .iter()
        .find(|p| p.name == "android.permission.ACCESS_WIFI_STATE")
        .expect("wifi state");
    assert_eq!(wifi.evidence[0].file, "AndroidManifest.xml");
    // A jar has no manifest and so no permissions.
    if let Some(jar) = support::corpus_npm(
        "cordova-plugin-bugly-sdk",
        "package/src/android/libs/bugly_crash_release.jar",
    ) {
        let r = Analyzer::builtin().unwrap().inspect(&jar).unwrap();
        assert!(r.permissions.is_empty(), "{:?}", r.permissions);
    }
}

/// MTA ships inside the WeChat SDK (`com.tencent.wxop.stat` in the Android jar, `WXOMTA*` in
/// the iOS static library, `jar tf` / `nm` list them): it is present there and part of the
/// WeChat SDK, while the standalone MTA jar of the QQ plugin is MTA on its own.
#[test]
fn mta_is_part_of_the_wechat_sdk_only_as_the_copy_it_ships() {
    let analyzer = Analyzer::builtin().unwrap();
    for (package, inner, part_of) in [
        (
            "react-native-wechat",
            "package/android/libs/libammsdk.jar",
            Some("wechat-opensdk"),
        ),
        (
            "react-native-wechat",
            "package/ios/libWeChatSDK.a",
            Some("wechat-opensdk"),
        ),
        (
            "cordova-plugin-qqsdk",
            "package/src/android/mta-sdk-1.6.2.jar",
            None,
        ),
    ] {
        let Some(path) = support::corpus_npm(package, inner) else {
            continue;
        };
        let r = analyzer.inspect(&path).unwrap();
        let mta = r
            .sdks
            .iter()
            .find(|s| s.id == "tencent-mta")
            .unwrap_or_else(|| panic!("{inner}: no MTA in {:?}", r.sdks));
        assert_eq!(mta.grade, Grade::Present, "{inner}");
        assert_eq!(mta.part_of.as_deref(), part_of, "{inner}");
    }
}

/// The React Native wrapper AAR only calls Umeng (its 3 classes reference MobclickAgent); the
/// Umeng SDK itself is not bundled, so no Umeng SDK is present.
#[test]
fn a_wrapper_that_only_calls_an_sdk_does_not_contain_it() {
    let Some(path) = support::corpus_npm(
        "react-native-umeng-analytics",
        "package/android/build/outputs/aar/react-native-umeng-analytics-release.aar",
    ) else {
        return;
    };
    let r = Analyzer::builtin().unwrap().inspect(&path).unwrap();
    let present: Vec<&str> = r
        .sdks
        .iter()
        .filter(|s| s.grade == Grade::Present)
        .map(|s| s.id.as_str())
        .collect();
    assert!(present.is_empty(), "{present:?}");
}
