//! `disclose draft`: goldens on the demo APK and IPA (Chinese and English, Markdown, JSON, CSV,
//! HTML), the draft checked against the inspection it was built from (on the demos and on the
//! real Yosemite APK, skipped when the corpus is absent), the review notice at the top of every
//! format, RFC 4180 CSV, and the Data safety and privacy-manifest sections.
//!
//! `DISCLOSE_BLESS=1 cargo test --release --test draft` rewrites `tests/golden/draft/`; review
//! the diff by hand against `disclose inspect samples/demo.apk` and `samples/android/SOURCES.md`.

mod support;
use support::disclose;

use serde_json::Value;
use std::collections::BTreeSet;

const DEMO_APK: &str = "samples/demo.apk";
const DEMO_IPA: &str = "samples/demo.ipa";

fn draft(app: &str, extra: &[&str]) -> String {
    let mut args = vec!["draft", app];
    args.extend_from_slice(extra);
    let out = disclose(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "draft {app} {extra:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 draft")
}

fn check_golden(name: &str, actual: &str) {
    support::check_golden("tests/golden/draft", name, actual);
}

#[test]
fn demo_drafts_match_goldens() {
    for (app, lang, format, file) in [
        (DEMO_APK, "zh", "md", "demo-apk.zh.md"),
        (DEMO_APK, "en", "md", "demo-apk.en.md"),
        (DEMO_APK, "zh", "json", "demo-apk.zh.json"),
        (DEMO_APK, "en", "json", "demo-apk.en.json"),
        (DEMO_APK, "zh", "csv", "demo-apk.zh.csv"),
        (DEMO_APK, "en", "html", "demo-apk.en.html"),
        (DEMO_IPA, "zh", "md", "demo-ipa.zh.md"),
        (DEMO_IPA, "en", "json", "demo-ipa.en.json"),
    ] {
        let first = draft(app, &["--lang", lang, "--format", format]);
        assert_eq!(
            first,
            draft(app, &["--lang", lang, "--format", format]),
            "{file} is not deterministic"
        );
        check_golden(file, &first);
    }
}

fn inspect(app: &str) -> Value {
    let out = disclose(&["inspect", app, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "inspect {app}");
    serde_json::from_slice(&out.stdout).expect("inspect json")
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// Every row and item of the draft against the inspection: one row per present SDK not shipped
/// inside another present one; code marks exactly the SDK's observations, each with evidence
/// whose owner and type match; vendor marks exactly the vendor's documented types not observed;
/// the app section exactly the app-side observations.
fn check_against_inspection(app: &str) {
    let inspected = inspect(app);
    let draft: Value =
        serde_json::from_str(&draft(app, &["--format", "json"])).expect("draft json");
    let sdks = inspected["sdks"].as_array().expect("sdks");
    let present: BTreeSet<&str> = sdks
        .iter()
        .filter(|s| s["grade"] == "present")
        .filter_map(|s| s["id"].as_str())
        .collect();
    let rows = draft["sdk_list"]["rows"].as_array().expect("rows");
    let listed: BTreeSet<&str> = rows.iter().filter_map(|r| r["id"].as_str()).collect();
    let expected_rows: BTreeSet<&str> = sdks
        .iter()
        .filter(|s| s["grade"] == "present")
        .filter(|s| !s["part_of"].as_str().is_some_and(|p| present.contains(p)))
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(listed, expected_rows, "{app}: rows");
    let evidence = draft["evidence"].as_array().expect("evidence");
    let find_evidence = |id: &str| {
        evidence
            .iter()
            .find(|e| e["id"] == id)
            .unwrap_or_else(|| panic!("{app}: evidence {id} missing"))
    };
    for row in rows {
        let id = row["id"].as_str().expect("id");
        let mut owners: BTreeSet<String> = strings(&row["includes"]);
        owners.insert(id.to_string());
        let observed: BTreeSet<String> = inspected["data"]
            .as_array()
            .expect("data")
            .iter()
            .filter(|d| d["owner"] == "sdk" && owners.contains(d["by"].as_str().unwrap_or("")))
            .filter_map(|d| d["type"].as_str().map(str::to_string))
            .collect();
        let mut vendor = BTreeSet::new();
        for s in sdks
            .iter()
            .filter(|s| owners.contains(s["id"].as_str().unwrap_or("")))
        {
            vendor.extend(strings(&s["vendor_data"]));
        }
        let items = row["data"].as_array().expect("data items");
        let code: BTreeSet<String> = items
            .iter()
            .filter(|i| i["source"] != "vendor-documents")
            .filter_map(|i| i["type"].as_str().map(str::to_string))
            .collect();
        assert_eq!(code, observed, "{app} {id}: observed types");
        for item in items {
            let ty = item["type"].as_str().expect("type");
            let refs = strings(&item["evidence"]);
            match item["source"].as_str() {
                Some("vendor-documents") => {
                    assert!(
                        vendor.contains(ty) && !observed.contains(ty),
                        "{app} {id} {ty}"
                    );
                    assert!(
                        refs.is_empty(),
                        "{app} {id} {ty}: vendor rows have no evidence"
                    );
                }
                Some("code-and-vendor-documents") => {
                    assert!(vendor.contains(ty), "{app} {id} {ty}")
                }
                Some("code") => assert!(!vendor.contains(ty), "{app} {id} {ty}"),
                other => panic!("{app} {id} {ty}: source {other:?}"),
            }
            for r in &refs {
                let e = find_evidence(r);
                assert_eq!(e["type"], ty, "{app} {id}: {r}");
                assert!(
                    owners.contains(e["by"].as_str().unwrap_or("")),
                    "{app} {id}: {r}"
                );
                assert!(!e["places"].as_array().expect("places").is_empty(), "{r}");
            }
        }
        let vendor_only: BTreeSet<String> = vendor.difference(&observed).cloned().collect();
        let vendor_items: BTreeSet<String> = items
            .iter()
            .filter(|i| i["source"] == "vendor-documents")
            .filter_map(|i| i["type"].as_str().map(str::to_string))
            .collect();
        assert_eq!(
            vendor_items, vendor_only,
            "{app} {id}: vendor-documented types"
        );
    }
    let app_side: Vec<(String, String)> = inspected["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter(|d| matches!(d["owner"].as_str(), Some("app" | "library" | "unknown")))
        .map(|d| {
            (
                d["type"].as_str().unwrap_or("").into(),
                d["by"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    let drafted: Vec<(String, String)> = draft["app_collection"]["data"]
        .as_array()
        .expect("app data")
        .iter()
        .map(|d| {
            (
                d["type"].as_str().unwrap_or("").into(),
                d["by"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    assert_eq!(
        app_side.iter().collect::<BTreeSet<_>>(),
        drafted.iter().collect::<BTreeSet<_>>(),
        "{app}: app collection"
    );
    let requested: Vec<&str> = inspected["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    let drafted_perms: Vec<&str> = draft["app_collection"]["permissions"]
        .as_array()
        .expect("app permissions")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(requested, drafted_perms, "{app}: permissions");
}

#[test]
fn demo_drafts_agree_with_the_inspection() {
    check_against_inspection(DEMO_APK);
    check_against_inspection(DEMO_IPA);
}

#[test]
fn yosemite_draft_agrees_with_the_inspection() {
    let Some(path) = support::corpus_app("Yosemite.apk") else {
        return;
    };
    let path = path.to_string_lossy().into_owned();
    check_against_inspection(&path);
    let md = draft(&path, &["--lang", "zh"]);
    // Tencent TBS is the one SDK Yosemite ships; the zh list names it and its operator as
    // Chinese lists do.
    assert!(md.contains("| 腾讯TBS浏览服务"), "{md}");
    assert!(md.contains("深圳市腾讯计算机系统有限公司"), "{md}");
}

#[test]
fn every_format_starts_with_the_review_notice() {
    for (lang, words) in [("zh", "须由人工逐条审核"), ("en", "a human must review")] {
        for format in ["md", "html", "csv", "json"] {
            let out = draft(DEMO_APK, &["--lang", lang, "--format", format]);
            // Before any table: the first 1500 characters, or the HTML page before its sections.
            let head: String = match format {
                "html" => out.split("<section").next().unwrap_or("").to_string(),
                _ => out.chars().take(1500).collect(),
            };
            assert!(head.contains(words), "{lang} {format}: {head}");
        }
    }
}

/// RFC 4180 records (quoted fields may hold commas, quotes, line breaks).
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => assert_eq!(chars.next(), Some('\n'), "CR without LF"),
            (false, '\n') => panic!("bare LF outside quotes"),
            (false, c) => field.push(c),
        }
        if !quoted && c == '\r' {
            record.push(std::mem::take(&mut field));
            records.push(std::mem::take(&mut record));
        }
    }
    assert!(
        field.is_empty() && record.is_empty(),
        "last record ends with CRLF"
    );
    records
}

#[test]
fn csv_is_one_row_per_sdk_with_equal_field_counts() {
    let inspected = inspect(DEMO_APK);
    let present = inspected["sdks"]
        .as_array()
        .expect("sdks")
        .iter()
        .filter(|s| s["grade"] == "present" && s["part_of"].is_null())
        .count();
    for lang in ["zh", "en"] {
        let records = csv_records(&draft(DEMO_APK, &["--lang", lang, "--format", "csv"]));
        assert_eq!(
            records.len(),
            2 + present,
            "{lang}: notice, header, one row per SDK"
        );
        let width = records[1].len();
        assert!(
            records.iter().all(|r| r.len() == width),
            "{lang}: {records:?}"
        );
    }
    let records = csv_records(&draft(
        DEMO_APK,
        &["--format", "csv", "--section", "app-collection"],
    ));
    assert_eq!(records[1][0], "个人信息类型");
}

#[test]
fn data_safety_and_privacy_manifest_sections_come_from_their_checkers() {
    // Data safety: Play Console's import CSV, for Android apps only.
    let out = disclose(&[
        "draft",
        DEMO_APK,
        "--section",
        "data-safety",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let csv = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        csv.starts_with("Question ID (machine readable),Response ID (machine readable),"),
        "{csv}"
    );
    let out = disclose(&["draft", "samples/demo.ipa", "--section", "data-safety"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Android apps only"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(out.stdout.is_empty());

    // Privacy manifest: the required-reason categories the binaries use, for iOS only.
    let out = draft_privacy_manifest("samples/ios/required-reason.ipa", "json");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let plist = json["privacy_manifest"].as_str().expect("skeleton");
    for category in [
        "FileTimestamp",
        "SystemBootTime",
        "DiskSpace",
        "ActiveKeyboards",
        "UserDefaults",
    ] {
        assert!(
            plist.contains(&format!("NSPrivacyAccessedAPICategory{category}")),
            "{category}: {plist}"
        );
    }
    let out = draft_privacy_manifest(DEMO_APK, "md");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("iOS apps only"));
    let out = draft_privacy_manifest("samples/ios/required-reason.ipa", "csv");
    assert_eq!(out.status.code(), Some(2), "a plist is not a CSV table");
}

#[test]
fn csv_writes_one_section() {
    let out = disclose(&[
        "draft",
        DEMO_APK,
        "--format",
        "csv",
        "--section",
        "sdk-list",
        "--section",
        "app-collection",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = disclose(&["draft", "Cargo.toml"]);
    assert_eq!(out.status.code(), Some(2), "not an app");
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}

#[test]
fn out_file_gets_the_draft() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("draft.md");
    let file_arg = file.to_string_lossy().into_owned();
    let out = disclose(&["draft", DEMO_APK, "-o", &file_arg]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(&file).expect("draft written");
    assert_eq!(text, draft(DEMO_APK, &[]));
}

#[test]
fn draft_json_matches_the_documented_schema() {
    let text = std::fs::read_to_string(support::repo_file("docs/disclose.draft.schema.json"))
        .expect("draft schema");
    let schema: Value = serde_json::from_str(&text).expect("schema json");
    let mut docs = Vec::new();
    for (app, lang) in [(DEMO_APK, "zh"), (DEMO_APK, "en"), (DEMO_IPA, "en")] {
        docs.push((
            format!("{app} --lang {lang}"),
            draft(app, &["--lang", lang, "--format", "json"]),
        ));
    }
    for (app, section) in [(DEMO_APK, "data-safety"), (DEMO_IPA, "privacy-manifest")] {
        docs.push((
            format!("{app} --section {section}"),
            draft(app, &["--format", "json", "--section", section]),
        ));
    }
    if let Some(path) = support::corpus_app("Yosemite.apk") {
        let path = path.to_string_lossy().into_owned();
        docs.push((path.clone(), draft(&path, &["--format", "json"])));
    }
    for (what, text) in &docs {
        let doc: Value = serde_json::from_str(text).expect("draft json");
        support::assert_matches_schema(&schema, &doc, what);
    }
    // The schema is not vacuous: an unknown data source, a missing notice and an unknown
    // top-level field are rejected.
    let doc: Value = serde_json::from_str(&docs[0].1).expect("draft json");
    let mut bad = doc.clone();
    bad["sdk_list"]["rows"][0]["data"][0]["source"] = Value::from("rumour");
    assert!(!jsonschema::is_valid(&schema, &bad));
    let mut bad = doc.clone();
    bad.as_object_mut().expect("object").remove("notice");
    assert!(!jsonschema::is_valid(&schema, &bad));
    let mut bad = doc;
    bad["extra"] = Value::from(1);
    assert!(!jsonschema::is_valid(&schema, &bad));
}

/// `disclose draft APP --section privacy-manifest --format FORMAT`.
fn draft_privacy_manifest(app: &str, format: &str) -> std::process::Output {
    disclose(&[
        "draft",
        app,
        "--section",
        "privacy-manifest",
        "--format",
        format,
    ])
}
