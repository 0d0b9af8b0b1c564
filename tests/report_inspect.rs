//! The HTML report of an app without a policy (`disclose inspect APP --format html`) and
//! batch's dashboard linking to it; the app icon as a browser decodes it. The page is checked
//! against the JSON inspect report of the same app (every SDK, data type, permission and limit
//! shown) and against a reviewed golden (tests/golden/report/); Chromium (when installed)
//! renders it, prints it, and decodes the icon an Xcode-crushed PNG became.

mod support;
use support::{chromium, disclose};

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn inspect(app: &str, format: &str) -> String {
    let out = disclose(&["inspect", app, "--format", format]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{app}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn strings<'a>(json: &'a Value, list: &str, key: &str) -> Vec<&'a str> {
    json.get(list)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.get(key).and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default()
}

/// Every SDK, data type, permission and limit of the JSON report is on the page.
fn check_complete(app: &str, html: &str, json: &Value) {
    use disclose::report::html::escape;
    for (list, key) in [
        ("sdks", "id"),
        ("sdks", "name"),
        ("data", "type"),
        ("permissions", "name"),
        ("limits", "message"),
    ] {
        for value in strings(json, list, key) {
            assert!(
                html.contains(&escape(value)),
                "{app}: {list} {value} not shown"
            );
        }
    }
    // Data types by their readable names (the id beside them).
    let analyzer = disclose::Analyzer::builtin().expect("signatures");
    for id in strings(json, "data", "type") {
        let (name, _) = analyzer.set.taxonomy.names(id).expect("a known type");
        assert!(
            html.contains(&escape(name)),
            "{app}: data type {id} not named {name}"
        );
    }
    assert!(html.contains("no policy to compare with"), "{app}");
    assert!(!html.contains("<script"), "{app}: no script");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{app}: no network"
    );
    assert!(
        html.contains("<footer>disclose ") && html.contains(", signatures "),
        "{app}: versions in the footer"
    );
}

#[test]
fn inspect_html_shows_everything_the_json_report_has() {
    for (app, golden) in [
        ("samples/demo.apk", "inspect-demo-apk.html"),
        ("samples/demo.ipa", "inspect-demo-ipa.html"),
        (
            "tests/fixtures/android-resources/aapt2.apk",
            "inspect-aapt2-apk.html",
        ),
    ] {
        let html = inspect(app, "html");
        let json: Value = serde_json::from_str(&inspect(app, "json")).expect("json");
        check_complete(app, &html, &json);
        support::check_golden("tests/golden/report", golden, &html);
    }
    // The app name and icon from the package.
    let html = inspect("tests/fixtures/android-resources/aapt2.apk", "html");
    assert!(
        html.contains("<h1><img class=\"app-icon\" src=\"data:image/png;base64,"),
        "icon embedded"
    );
    assert!(html.contains("(Resource Demo)"), "app name shown");
}

#[test]
fn other_formats_of_inspect_are_refused_by_name() {
    let out = disclose(&["inspect", "samples/demo.apk", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("text") && stderr.contains("json") && stderr.contains("html"),
        "{stderr}"
    );
}

/// A batch over one app with a policy and one without: the dashboard links both, the second
/// to its inspect report.
#[test]
fn the_dashboard_links_an_inspect_report_for_an_app_without_a_policy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let apps = dir.path().join("apps");
    let policies = dir.path().join("policies");
    std::fs::create_dir_all(&apps).expect("apps");
    std::fs::create_dir_all(&policies).expect("policies");
    let repo = support::repo_file("");
    std::fs::copy(repo.join("samples/demo.apk"), apps.join("demo.apk")).expect("copy");
    std::fs::copy(
        repo.join("tests/fixtures/android-resources/aapt2.apk"),
        apps.join("resources.apk"),
    )
    .expect("copy");
    std::fs::copy(
        repo.join("samples/demo-policy.zh.txt"),
        policies.join("com.example.disclosedemo.txt"),
    )
    .expect("copy policy");
    let results = dir.path().join("results.jsonl");
    let dashboard = dir.path().join("dash.html");
    let out = support::batch_with_dashboard(&apps, &policies, &results, &dashboard);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&dashboard).expect("dashboard");
    let links: Vec<&str> = html
        .split("<a href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(links.len(), 2, "{links:?}");
    let pages: Vec<String> = links
        .iter()
        .map(|l| std::fs::read_to_string(dashboard.with_file_name(l)).expect("linked report"))
        .collect();
    let inspect_page = pages
        .iter()
        .find(|p| p.contains("no policy to compare with"))
        .expect("an inspect report for the app without a policy");
    assert!(inspect_page.contains("com.example.resources"));
    assert!(
        inspect_page.contains(", signatures "),
        "versions from the record"
    );
    assert!(
        pages.iter().any(|p| p.contains("id=\"matrix\"")),
        "a scan report for the app with a policy"
    );
}

/// `width height opaque-pixels` of each `data:` PNG as Chromium decodes it (0 0 0 when it
/// cannot), from a page that draws them on a canvas.
fn decoded_by_chromium(browser: &Path, pngs: &[&[u8]]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut page = String::from("<!DOCTYPE html><html><body>");
    for png in pngs {
        page.push_str(&format!(
            "<img src=\"data:image/png;base64,{}\">",
            base64(png)
        ));
    }
    page.push_str(
        "<pre id=\"out\"></pre><script>window.onload=function(){var o=[];\
         document.querySelectorAll('img').forEach(function(i){var w=i.naturalWidth,h=i.naturalHeight,n=0;\
         if(w&&h){var c=document.createElement('canvas');c.width=w;c.height=h;var x=c.getContext('2d');\
         x.drawImage(i,0,0);var d=x.getImageData(0,0,w,h).data;for(var k=3;k<d.length;k+=4)if(d[k]>0)n++}\
         o.push(w+' '+h+' '+n)});document.getElementById('out').textContent=o.join('|')}</script></body></html>",
    );
    let file = dir.path().join("icons.html");
    std::fs::write(&file, page).expect("page");
    let profile = tempfile::tempdir().expect("profile");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&out.stdout);
    let text = dom
        .split("<pre id=\"out\">")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .unwrap_or("");
    text.split('|').map(str::to_string).collect()
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                char::from(A[((n >> (18 - 6 * i)) & 63) as usize])
            } else {
                '='
            });
        }
    }
    out
}

/// Chromium cannot decode the crushed PNGs of a real iOS bundle; it decodes what they became,
/// at the same size, with visible pixels.
#[test]
fn chromium_decodes_the_converted_crushed_icons() {
    let dir = support::corpus_npm(
        "cordova-plugin-qqsdk",
        "package/src/ios/TencentOpenApi_IOS_Bundle.bundle",
    );
    let Some(dir) = dir else { return };
    let Some(browser) = chromium() else { return };
    for name in ["qqicon.png", "success.png", "error.png"] {
        let crushed = std::fs::read(dir.join(name)).expect("read");
        let png = disclose::ios::icon_png::standard_png(&crushed).expect("converts");
        let (w, h) = disclose::ios::icon_png::png_size(&crushed).expect("size");
        let got = decoded_by_chromium(&browser, &[&crushed, &png]);
        assert_eq!(got.len(), 2, "{name}: {got:?}");
        assert_eq!(
            got[0], "0 0 0",
            "{name}: Chromium cannot show a crushed PNG"
        );
        let parts: Vec<u64> = got[1].split(' ').filter_map(|p| p.parse().ok()).collect();
        assert_eq!(parts[..2], [u64::from(w), u64::from(h)], "{name}: {got:?}");
        assert!(parts[2] > 0, "{name}: visible pixels");
    }
}

#[test]
fn the_library_renders_the_same_inspect_page_as_the_command() {
    // `render_document` names data types and the versions as `disclose inspect --format html`.
    let analyzer = disclose::Analyzer::builtin().expect("signatures");
    let app = support::repo_file("samples/demo.apk");
    let report = analyzer.inspect(&app).expect("inspect");
    let document = disclose::Document::Inspect {
        report: &report,
        taxonomy: &analyzer.set.taxonomy,
    };
    let mut page = Vec::new();
    disclose::render_document(
        document,
        disclose::ReportFormat::Html,
        disclose::RenderOptions::default(),
        &mut page,
    )
    .expect("render");
    let page = String::from_utf8(page).expect("utf-8");
    let (name, _) = analyzer
        .set
        .taxonomy
        .names("device.android_id")
        .expect("a known type");
    assert!(page.contains(name), "readable data-type names");
    assert!(
        page.contains(&analyzer.data_version.to_string()),
        "the signature data version in the footer"
    );
    let cli = inspect("samples/demo.apk", "html");
    // The command names the app by the path it was given; otherwise the pages are the same.
    let relative = page.replace(&app.display().to_string(), "samples/demo.apk");
    assert_eq!(relative, cli);
}
