//! The HTML scan report and the batch dashboard, opened in a real browser: headless Chromium
//! takes a screenshot and prints each page to PDF, and `pdftotext` (poppler) reads the PDF back,
//! which must hold every piece of evidence the JSON report has for a finding, every observation
//! site the report lists, and every policy quote. Skips (with a line in the skip log) when
//! chromium or pdftotext is missing. `DISCLOSE_SCREENSHOT_DIR=DIR` keeps the PNGs and PDFs.

mod support;
use support::disclose;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const DEMO_POLICY: &str = "samples/demo-policy.zh.txt";

/// `disclose scan APP --policy POLICY --format FORMAT` (the demo apps exit 1: they have high
/// findings).
fn scan(app: &str, format: &str) -> String {
    let out = disclose(&["scan", app, "--policy", DEMO_POLICY, "--format", format]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{app}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 report")
}

struct Browser {
    chromium: PathBuf,
    pdftotext: PathBuf,
    dir: tempfile::TempDir,
}

impl Browser {
    fn find() -> Option<Browser> {
        let chromium = support::chromium()?;
        let pdftotext =
            support::installed_tool(&["pdftotext"], "apt-get install -y poppler-utils")?;
        Some(Browser {
            chromium,
            pdftotext,
            dir: tempfile::tempdir().expect("tempdir"),
        })
    }

    /// Where a screenshot or PDF goes: `DISCLOSE_SCREENSHOT_DIR` when set (to look at them).
    fn output(&self, name: &str) -> PathBuf {
        match std::env::var_os("DISCLOSE_SCREENSHOT_DIR") {
            Some(dir) => {
                std::fs::create_dir_all(&dir).expect("screenshot dir");
                PathBuf::from(dir).join(name)
            }
            None => self.dir.path().join(name),
        }
    }

    fn run(&self, page: &Path, what: &str) -> Vec<u8> {
        self.run_url(&format!("file://{}", page.display()), what)
    }

    /// Run chromium on `url` with the action `what`; its standard output.
    fn run_url(&self, url: &str, what: &str) -> Vec<u8> {
        let profile = tempfile::tempdir_in(self.dir.path()).expect("profile dir");
        let out = Command::new(&self.chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--no-pdf-header-footer",
                "--window-size=1280,2400",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(what)
            .arg(url)
            .output()
            .expect("run chromium");
        assert!(
            out.status.success(),
            "chromium {what} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// Screenshot `page` (a PNG of the window) and check it is not blank.
    fn screenshot(&self, page: &Path, name: &str) {
        let png = self.output(&format!("{name}.png"));
        let _ = self.run(page, &format!("--screenshot={}", png.display()));
        let bytes = std::fs::read(&png).expect("screenshot written");
        assert_eq!(bytes.get(..8), Some(&b"\x89PNG\r\n\x1a\n"[..]), "a PNG");
        // A blank 1280×2400 page compresses to a few kB; text, tables and charts are far larger.
        assert!(
            bytes.len() > 40_000,
            "{name}: screenshot looks blank ({} bytes)",
            bytes.len()
        );
    }

    /// Print `page` to PDF and return the PDF's text.
    fn printed_text(&self, page: &Path, name: &str) -> String {
        let pdf = self.output(&format!("{name}.pdf"));
        let _ = self.run(page, &format!("--print-to-pdf={}", pdf.display()));
        let out = Command::new(&self.pdftotext)
            .args(["-enc", "UTF-8"])
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("run pdftotext");
        assert!(
            out.status.success(),
            "pdftotext failed on {}",
            pdf.display()
        );
        String::from_utf8(out.stdout).expect("utf-8 text")
    }
}

/// Text without whitespace and hyphens: a PDF breaks long lines wherever the page ends, and
/// `pdftotext` joins a word broken after a hyphen without it (`get-\nscan` → `getscan`).
fn squeezed(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

/// The evidence line as the report prints it (`file: location → detail [rule]`).
fn evidence_line(ev: &Value) -> String {
    let s = |k: &str| ev.get(k).and_then(Value::as_str);
    let mut line = s("file").unwrap_or("").to_string();
    if let Some(loc) = s("location") {
        line.push_str(&format!(": {loc}"));
    }
    if let Some(detail) = s("detail") {
        line.push_str(&format!(" → {detail}"));
    }
    if let Some(rule) = s("rule") {
        line.push_str(&format!(" [{rule}]"));
    }
    line
}

/// Every piece of evidence the report must show: each finding's evidence (the first 50, as
/// the HTML lists them) and policy quote, each observation's first 25 sites, each declaration's
/// quote.
fn expected_evidence(report: &Value) -> BTreeSet<String> {
    let list = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let mut want = BTreeSet::new();
    for f in list(report, "findings") {
        for ev in list(&f, "evidence").iter().take(50) {
            want.insert(evidence_line(ev));
        }
        if let Some(q) = f.pointer("/policy_text/quote").and_then(Value::as_str) {
            want.insert(q.to_string());
        }
    }
    let context = report.get("context").cloned().unwrap_or(Value::Null);
    for obs in list(&context, "data") {
        for ev in list(&obs, "evidence").iter().take(25) {
            want.insert(evidence_line(ev));
        }
    }
    for d in list(&context, "declarations") {
        if let Some(q) = d.pointer("/quote/quote").and_then(Value::as_str) {
            want.insert(q.to_string());
        }
    }
    want
}

/// Every `href="#x"` of a page has an element with `id="x"`.
fn assert_anchors_resolve(html: &str, what: &str) {
    let mut missing = Vec::new();
    for part in html.split("href=\"#").skip(1) {
        let target = part.split('"').next().unwrap_or("");
        if !html.contains(&format!("id=\"{target}\"")) {
            missing.push(target.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "{what}: links to missing anchors {missing:?}"
    );
}

fn check_scan_report(app: &str, name: &str) {
    let html = scan(app, "html");
    let json: Value = serde_json::from_str(&scan(app, "json")).expect("json report");
    for section in [
        "id=\"matrix\"",
        "id=\"permissions\"",
        "id=\"declared\"",
        "id=\"evidence\"",
    ] {
        assert!(html.contains(section), "{app}: no {section} section");
    }
    assert_anchors_resolve(&html, app);
    // Readable names, not only ids, in the matrix header.
    let names = json
        .pointer("/context/data_names")
        .and_then(Value::as_object)
        .expect("data names");
    assert!(!names.is_empty(), "{app}: no data-type names");
    for name in names.values().filter_map(Value::as_str) {
        assert!(
            html.contains(&disclose::report::html::escape(name)),
            "{app}: data-type name {name} not shown"
        );
    }
    let Some(browser) = Browser::find() else {
        return;
    };
    let page = browser.dir.path().join(format!("{name}.html"));
    std::fs::write(&page, &html).expect("write page");
    browser.screenshot(&page, name);
    let text = squeezed(&browser.printed_text(&page, name));
    let want = expected_evidence(&json);
    assert!(want.len() > 5, "{app}: the report has evidence to look for");
    let lost: Vec<&String> = want
        .iter()
        .filter(|w| !text.contains(&squeezed(w)))
        .collect();
    assert!(
        lost.is_empty(),
        "{app}: the printed report lacks {} of {} pieces of evidence, e.g. {:?}",
        lost.len(),
        want.len(),
        lost.iter().take(5).collect::<Vec<_>>()
    );
}

#[test]
fn android_report_prints_every_piece_of_evidence() {
    check_scan_report("samples/demo.apk", "demo-apk");
}

#[test]
fn ios_report_prints_every_piece_of_evidence() {
    check_scan_report("samples/demo.ipa", "demo-ipa");
}

/// A batch over the demo apps, a real corpus app (when fetched) and a broken file, with
/// policies for the demo apps only: the dashboard counts them, links to each scanned app's
/// report, and renders and prints in Chromium.
#[test]
fn batch_dashboard_counts_links_and_renders() {
    let dir = tempfile::tempdir().expect("tempdir");
    let apps = dir.path().join("apps");
    let policies = dir.path().join("policies");
    std::fs::create_dir_all(&apps).expect("apps dir");
    std::fs::create_dir_all(&policies).expect("policies dir");
    let repo = support::repo_file("");
    // Both demo apps are `com.example.disclosedemo`.
    for app in ["demo.apk", "demo.ipa"] {
        std::fs::copy(repo.join("samples").join(app), apps.join(app)).expect("copy app");
    }
    std::fs::copy(
        repo.join(DEMO_POLICY),
        policies.join("com.example.disclosedemo.txt"),
    )
    .expect("copy policy");
    let mut expected_apps = 2;
    if let Some(real) = support::corpus_app("ApiDemos-debug.apk") {
        std::fs::copy(real, apps.join("ApiDemos-debug.apk")).expect("copy corpus app");
        expected_apps += 1;
    }
    std::fs::write(apps.join("broken.apk"), b"PK\x03\x04 not really a zip").expect("broken app");
    let results = dir.path().join("results.jsonl");
    let dashboard = dir.path().join("out").join("dash.html");
    std::fs::create_dir_all(dashboard.parent().expect("parent")).expect("out dir");
    let out = support::batch_with_dashboard(&apps, &policies, &results, &dashboard);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let html = std::fs::read_to_string(&dashboard).expect("dashboard written");
    let records: Vec<Value> = std::fs::read_to_string(&results)
        .expect("results")
        .lines()
        .map(|l| serde_json::from_str(l).expect("record"))
        .collect();
    assert_eq!(records.len(), expected_apps + 1, "one record per input");
    assert_eq!(
        html.matches("<tr><td data-v=").count(),
        records.len(),
        "one row per record"
    );
    // Every scanned app's report exists where the dashboard links it.
    let links: Vec<&str> = html
        .split("<a href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let scanned = records
        .iter()
        .filter(|r| r.get("findings").is_some())
        .count();
    assert_eq!(scanned, 2, "the two demo apps have a policy");
    // An app without a policy (the corpus app) links to its inspect report.
    let without_policy = records
        .iter()
        .filter(|r| r.get("note").and_then(Value::as_str) == Some("no-policy"))
        .count();
    assert_eq!(links.len(), scanned + without_policy, "{links:?}");
    let mut full_reports = 0;
    for link in &links {
        let report = dashboard.with_file_name(link);
        let page = std::fs::read_to_string(&report).unwrap_or_else(|e| panic!("{link}: {e}"));
        if page.contains("id=\"matrix\"") {
            full_reports += 1;
        } else {
            assert!(
                page.contains("no policy to compare with"),
                "{link}: a report"
            );
        }
    }
    assert_eq!(full_reports, scanned, "a full report per scanned app");
    for must in [
        "Most common SDKs",
        "Data types by SDK category",
        "broken.apk",
        "<svg",
    ] {
        assert!(html.contains(must), "dashboard lacks {must}");
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no network"
    );
    let Some(browser) = Browser::find() else {
        return;
    };
    // `#sort=4` runs the page's sort on column 4 (undisclosed SDKs), ascending: the rows come
    // in the results file's order, here largest apps (most undisclosed SDKs) first.
    let url = format!("file://{}#sort=4", dashboard.display());
    let dom = String::from_utf8(browser.run_url(&url, "--dump-dom")).expect("utf-8 DOM");
    let column: Vec<f64> = dom
        .split("<tr><td data-v=")
        .skip(1)
        .filter_map(|row| {
            row.split("data-v=\"")
                .nth(4)?
                .split('"')
                .next()?
                .parse()
                .ok()
        })
        .collect();
    assert_eq!(column.len(), records.len(), "every row sorted: {dom}");
    assert!(
        column.windows(2).all(|w| w[0] <= w[1]) && column.first() < column.last(),
        "rows in ascending order of undisclosed SDKs: {column:?}"
    );
    browser.screenshot(&dashboard, "dashboard");
    let text = browser.printed_text(&dashboard, "dashboard");
    for r in &records {
        let file = r
            .pointer("/app/file")
            .or_else(|| r.get("file"))
            .and_then(Value::as_str)
            .unwrap_or("");
        assert!(
            squeezed(&text).contains(&squeezed(file)),
            "printed dashboard lacks {file}"
        );
    }
}
