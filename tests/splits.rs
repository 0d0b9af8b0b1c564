//! Split APKs in every form a user meets them — several files (`disclose inspect base.apk
//! split_config.arm64_v8a.apk`), a folder of them, a zip of them without `toc.pb` /
//! `manifest.json`, a batch folder — give the same app as the `.apks` of the same splits.
//! Fixtures: `samples/demo.apk` (the base) and `tests/fixtures/splits/` (built by its
//! `build.sh` with aapt, zipalign, gcc and zip).

mod support;

use disclose::model::InspectReport;
use disclose::Analyzer;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| Analyzer::builtin().expect("built-in signatures load"))
}

fn fixture(name: &str) -> PathBuf {
    support::repo_file("tests/fixtures/splits").join(name)
}

/// A folder holding `base.apk` (the demo) and its arm64-v8a config split, as `adb pull` of an
/// installed app's paths gives them.
fn pulled_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        support::repo_file("samples/demo.apk"),
        dir.path().join("base.apk"),
    )
    .unwrap();
    std::fs::copy(
        fixture("split_config.arm64_v8a.apk"),
        dir.path().join("split_config.arm64_v8a.apk"),
    )
    .unwrap();
    dir
}

/// What must not depend on the form: app, SDKs, data, permissions, ABIs, native libraries and
/// defined classes.
fn app_facts(r: &InspectReport) -> Value {
    let details = r.details.as_ref().expect("details");
    let sdks: BTreeSet<(String, String)> = r
        .sdks
        .iter()
        .map(|s| (s.id.to_string(), format!("{:?}", s.grade)))
        .collect();
    let data: BTreeSet<(String, String, usize)> = r
        .data
        .iter()
        .map(|d| (d.data_type.to_string(), d.by.clone(), d.sites))
        .collect();
    let permissions: Vec<&str> = r.permissions.iter().map(|p| p.name.as_str()).collect();
    let libs: BTreeSet<String> = details["native_libs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| format!("{} {}", l["abi"], l["soname"]))
        .collect();
    serde_json::json!({
        "id": r.app.id, "version": r.app.version, "sdks": sdks, "data": data,
        "permissions": permissions, "abis": details["abis"], "native_libs": libs,
        "defined_classes": details["defined_classes"],
        "min_sdk": details["manifest"]["min_sdk"],
    })
}

#[test]
fn every_form_of_the_splits_is_the_same_app_as_the_apks() {
    let reference = analyzer().inspect(&fixture("demo.apks")).expect(".apks");
    let want = app_facts(&reference);
    assert_eq!(
        want["abis"],
        serde_json::json!(["arm64-v8a"]),
        "the config split is read"
    );

    let folder = pulled_folder();
    let files = vec![
        folder.path().join("base.apk"),
        folder.path().join("split_config.arm64_v8a.apk"),
    ];
    // Given in the other order, base.apk is still the base.
    let reversed: Vec<PathBuf> = files.iter().rev().cloned().collect();
    let forms = [
        ("several files", analyzer().inspect_splits(&files)),
        (
            "several files, split first",
            analyzer().inspect_splits(&reversed),
        ),
        ("a folder", analyzer().inspect(folder.path())),
        (
            "a zip without toc",
            analyzer().inspect(&fixture("demo-splits.zip")),
        ),
    ];
    for (form, report) in forms {
        let report = report.unwrap_or_else(|e| panic!("{form}: {e}"));
        assert_eq!(app_facts(&report), want, "{form}");
        let details = report.details.unwrap();
        assert_eq!(details["splits"].as_array().unwrap().len(), 2, "{form}");
    }
}

#[test]
fn splits_of_two_apps_are_an_error_naming_both_files() {
    let folder = pulled_folder();
    let other = folder.path().join("split_config.en.apk");
    std::fs::copy(fixture("other_split_config.en.apk"), &other).unwrap();
    let files = vec![folder.path().join("base.apk"), other];
    let e = analyzer().inspect_splits(&files).unwrap_err().to_string();
    assert!(!e.contains('\n'), "{e}");
    assert!(
        e.ends_with("parts of two apps: base.apk is com.example.disclosedemo, split_config.en.apk is com.example.other"),
        "{e}"
    );
    // The CLI: one line, exit 2.
    let run = Command::new(env!("CARGO_BIN_EXE_disclose"))
        .arg("inspect")
        .args(&files)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("split_config.en.apk"), "{stderr}");
}

#[test]
fn a_file_that_is_no_apk_among_the_splits_is_named() {
    let folder = pulled_folder();
    let text = folder.path().join("notes.apk");
    std::fs::write(&text, b"not a zip").unwrap();
    let files = vec![folder.path().join("base.apk"), text];
    let e = analyzer().inspect_splits(&files).unwrap_err().to_string();
    assert!(e.contains("notes.apk"), "{e}");
    assert!(!e.contains('\n'), "{e}");
}

#[test]
fn the_cli_reads_several_files_as_one_app() {
    let folder = pulled_folder();
    let run = Command::new(env!("CARGO_BIN_EXE_disclose"))
        .args(["inspect", "--format", "json"])
        .arg(folder.path().join("base.apk"))
        .arg(folder.path().join("split_config.arm64_v8a.apk"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["app"]["id"], "com.example.disclosedemo");
    assert_eq!(report["details"]["abis"], serde_json::json!(["arm64-v8a"]));
    assert!(report["app"]["file"].as_str().unwrap().contains(" + "));
}

#[test]
fn a_batch_folder_of_splits_is_one_record() {
    let root = tempfile::tempdir().unwrap();
    let apps = root.path().join("apps");
    std::fs::create_dir(&apps).unwrap();
    let pulled = pulled_folder();
    let app_dir = apps.join("demo");
    std::fs::create_dir(&app_dir).unwrap();
    for name in ["base.apk", "split_config.arm64_v8a.apk"] {
        std::fs::copy(pulled.path().join(name), app_dir.join(name)).unwrap();
    }
    std::fs::copy(fixture("demo.apks"), apps.join("demo.apks")).unwrap();
    let records = batch_records(&apps);
    assert_eq!(records.len(), 2, "{records:#?}");
    let abis: Vec<&Value> = records
        .iter()
        .map(|r| r.pointer("/details/abis").unwrap_or(&Value::Null))
        .collect();
    for a in abis {
        assert_eq!(a, &serde_json::json!(["arm64-v8a"]), "{records:#?}");
    }
}

/// Copies `files` (repository paths) into a new folder under the names given.
fn folder_of(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (from, to) in files {
        std::fs::copy(support::repo_file(from), dir.path().join(to)).unwrap();
    }
    dir
}

/// The records of `disclose batch DIR`.
fn batch_records(dir: &std::path::Path) -> Vec<Value> {
    let out = dir.parent().unwrap().join("results.jsonl");
    let run = Command::new(env!("CARGO_BIN_EXE_disclose"))
        .arg("batch")
        .arg(dir)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.code() != Some(2),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A device pull names the base by its package (`com.x-1.apk`), not `base.apk`: the manifests
/// group the files. Another app's APK in the same folder stays a record of its own, and a
/// split of a third app whose base is absent joins nobody.
#[test]
fn a_batch_folder_groups_splits_by_their_manifest_package() {
    let root = tempfile::tempdir().unwrap();
    let pull = root.path().join("pull");
    std::fs::create_dir(&pull).unwrap();
    for (from, to) in [
        ("samples/demo.apk", "com.example.disclosedemo-1.apk"),
        (
            "tests/fixtures/splits/split_config.arm64_v8a.apk",
            "split_config.arm64_v8a.apk",
        ),
        ("tests/fixtures/owners/owners.apk", "zz-other-app.apk"),
        (
            "tests/fixtures/splits/other_split_config.en.apk",
            "split_config.en.apk",
        ),
    ] {
        std::fs::copy(support::repo_file(from), pull.join(to)).unwrap();
    }
    let records = batch_records(&pull);
    assert_eq!(records.len(), 3, "{records:#?}");
    let by_file = |name: &str| {
        records
            .iter()
            .find(|r| {
                r.pointer("/app/file")
                    .or_else(|| r.pointer("/file"))
                    .or_else(|| r.pointer("/input"))
                    .and_then(Value::as_str)
                    .is_some_and(|f| f.contains(name))
            })
            .unwrap_or_else(|| panic!("no record for {name}: {records:#?}"))
    };
    let demo = by_file("com.example.disclosedemo-1.apk");
    assert_eq!(demo.pointer("/app/id").unwrap(), "com.example.disclosedemo");
    assert_eq!(
        demo.pointer("/details/abis").unwrap(),
        &serde_json::json!(["arm64-v8a"]),
        "the config split joined its base"
    );
    assert_eq!(
        demo.pointer("/details/splits")
            .and_then(Value::as_array)
            .map(Vec::len),
        Some(2)
    );
    let other = by_file("zz-other-app.apk");
    assert_eq!(
        other.pointer("/app/id").unwrap(),
        "com.example.ownerdemo.app"
    );
    assert_eq!(
        other
            .pointer("/details/splits")
            .and_then(Value::as_array)
            .map(Vec::len),
        Some(1),
        "{other:#?}"
    );
}

/// `disclose inspect FOLDER`: the demo's base and config split beside an unrelated app and a
/// stray split of a third app read as the demo with its one split.
#[test]
fn a_folder_is_the_app_whose_splits_it_holds() {
    let want = app_facts(&analyzer().inspect(&fixture("demo.apks")).expect(".apks"));
    let folder = folder_of(&[
        ("samples/demo.apk", "com.example.disclosedemo-1.apk"),
        (
            "tests/fixtures/splits/split_config.arm64_v8a.apk",
            "split_config.arm64_v8a.apk",
        ),
        ("tests/fixtures/owners/owners.apk", "other.apk"),
        (
            "tests/fixtures/splits/other_split_config.en.apk",
            "split_config.en.apk",
        ),
    ]);
    let report = analyzer().inspect(folder.path()).unwrap();
    assert_eq!(app_facts(&report), want);
    let details = report.details.unwrap();
    assert_eq!(details["splits"].as_array().unwrap().len(), 2);
}

/// A vendor's SDK folder: a demo APK beside docs and SDK packages is no split set (nothing in
/// it has a split manifest), so the folder is not read as the demo app but as the vendor's
/// packages (here one that cannot be read, which is a limit naming it); nor are two apps.
#[test]
fn a_vendor_folder_with_a_demo_apk_is_no_split_set() {
    let vendor = folder_of(&[
        ("samples/demo.apk", "SDK-Demo.apk"),
        ("samples/demo-policy.zh.txt", "README.txt"),
    ]);
    std::fs::write(vendor.path().join("sdk.jar"), b"PK\x05\x06").unwrap();
    let r = analyzer().inspect(vendor.path()).unwrap();
    assert_eq!(r.app.platform, disclose::model::Platform::SdkPackage);
    assert_ne!(r.app.id.as_deref(), Some("com.example.disclosedemo"));
    assert!(
        r.limits
            .iter()
            .any(|l| l.evidence.first().is_some_and(|e| e.file == "sdk.jar")),
        "{:#?}",
        r.limits
    );
    let details = r.details.unwrap();
    assert_eq!(
        details["apps_not_read"],
        serde_json::json!(["SDK-Demo.apk"])
    );
    let two_apps = folder_of(&[
        ("samples/demo.apk", "demo.apk"),
        ("tests/fixtures/owners/owners.apk", "owners.apk"),
    ]);
    let e = analyzer().inspect(two_apps.path()).unwrap_err().to_string();
    assert!(!e.contains("parts of two apps"), "{e}");
    // A lone APK in a folder of its own is still that app.
    let alone = folder_of(&[("samples/demo.apk", "base.apk")]);
    let r = analyzer().inspect(alone.path()).unwrap();
    assert_eq!(r.app.id.as_deref(), Some("com.example.disclosedemo"));
}

/// A real vendor folder (the Weibo SDK's Android folder of a Cordova plugin: `libs/` with the
/// SDK's AAR and its native library) with a demo APK beside it: the packages are read, each
/// piece of evidence names the package inside the folder, the demo app is left out.
#[test]
fn a_vendor_folder_reads_its_jars_aars_and_native_libraries() {
    let (Some(aar), Some(so)) = (
        support::corpus_npm(
            "cordova-plugin-weibosdk",
            "package/src/android/libs/openDefault-4.3.6.aar",
        ),
        support::corpus_npm(
            "cordova-plugin-weibosdk",
            "package/src/android/libs/so/armeabi/libweibosdkcore.so",
        ),
    ) else {
        return;
    };
    let vendor = tempfile::tempdir().unwrap();
    let libs = vendor.path().join("libs");
    std::fs::create_dir_all(libs.join("armeabi")).unwrap();
    std::fs::copy(&aar, libs.join("openDefault-4.3.6.aar")).unwrap();
    std::fs::copy(&so, libs.join("armeabi/libweibosdkcore.so")).unwrap();
    std::fs::copy(
        support::repo_file("samples/demo.apk"),
        vendor.path().join("WeiboDemo.apk"),
    )
    .unwrap();
    let r = analyzer().inspect(vendor.path()).unwrap();
    let alone = analyzer().inspect(&aar).unwrap();
    let weibo = r
        .sdks
        .iter()
        .find(|s| s.id == "weibo-sdk")
        .unwrap_or_else(|| panic!("{:#?}", r.sdks));
    let weibo_alone = alone.sdks.iter().find(|s| s.id == "weibo-sdk").unwrap();
    assert_eq!(
        weibo.classes, weibo_alone.classes,
        "the .so adds no classes"
    );
    let files: BTreeSet<&str> = weibo.evidence.iter().map(|e| e.file.as_str()).collect();
    assert!(
        files
            .iter()
            .all(|f| f.starts_with("libs/openDefault-4.3.6.aar!")
                || *f == "libs/armeabi/libweibosdkcore.so"),
        "{files:?}"
    );
    // The demo app's SDKs (AMap, JPush …) are not the vendor's.
    let demo = analyzer()
        .inspect(&support::repo_file("samples/demo.apk"))
        .unwrap();
    for s in &demo.sdks {
        if s.id != "weibo-sdk" {
            assert!(
                r.sdks.iter().all(|x| x.id != s.id),
                "{} came from the demo",
                s.id
            );
        }
    }
    let alone_data: BTreeSet<(String, String)> = alone
        .data
        .iter()
        .map(|d| (d.data_type.to_string(), d.by.clone()))
        .collect();
    let data: BTreeSet<(String, String)> = r
        .data
        .iter()
        .map(|d| (d.data_type.to_string(), d.by.clone()))
        .collect();
    assert_eq!(data, alone_data);
    assert_eq!(
        r.details.unwrap()["apps_not_read"],
        serde_json::json!(["WeiboDemo.apk"])
    );
}

/// A cross-platform plugin's folder holds both platforms' SDK code: the Weibo SDK's Cordova
/// plugin has `src/ios/libWeiboSDK/libWeiboSDK.a` beside `src/android/libs/openDefault-4.3.6.aar`
/// (and its `.so`). Both are read: the report has what the iOS folder and the Android folder
/// each give alone (was: only the iOS code, the AAR unread).
#[test]
fn a_plugin_folder_with_ios_and_android_code_reads_both() {
    let Some(plugin) = support::corpus_npm("cordova-plugin-weibosdk", "package") else {
        return;
    };
    let r = analyzer().inspect(&plugin).unwrap();
    let ios = analyzer().inspect(&plugin.join("src/ios")).unwrap();
    let android = analyzer().inspect(&plugin.join("src/android")).unwrap();
    let ids = |r: &InspectReport| -> BTreeSet<String> {
        r.sdks.iter().map(|s| s.id.to_string()).collect()
    };
    let data = |r: &InspectReport| -> BTreeSet<(String, String)> {
        r.data
            .iter()
            .map(|d| (d.data_type.to_string(), d.by.clone()))
            .collect()
    };
    assert!(!ids(&ios).is_empty() && !ids(&android).is_empty());
    assert_eq!(ids(&r), &ids(&ios) | &ids(&android));
    assert_eq!(data(&r), &data(&ios) | &data(&android));
    let weibo_classes = |p: &InspectReport| {
        p.sdks
            .iter()
            .find(|s| s.id == "weibo-sdk")
            .map_or(0, |s| s.classes)
    };
    assert_eq!(
        weibo_classes(&r),
        weibo_classes(&ios) + weibo_classes(&android)
    );
    // Evidence names each part's file inside the plugin folder.
    let files: BTreeSet<&str> = r
        .sdks
        .iter()
        .flat_map(|s| s.evidence.iter().map(|e| e.file.as_str()))
        .chain(
            r.data
                .iter()
                .flat_map(|d| d.evidence.iter().map(|e| e.file.as_str())),
        )
        .collect();
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("package/src/android/libs/openDefault-4.3.6.aar!")),
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("package/src/ios/libWeiboSDK/libWeiboSDK.a")),
        "{files:?}"
    );
    let details = r.details.unwrap();
    assert_eq!(details["kind"], "ios-and-jvm-folder");
    assert_eq!(details["jvm"]["kind"], "jvm-folder");
}
