//! The reporters on the demo app: golden output for every format, the JSON documents against
//! their schemas in `docs/`, SARIF against the official OASIS 2.1.0 schema and GitHub code
//! scanning's rules, the HTML in headless Chromium, Markdown escaping for PR comments.
//!
//! `DISCLOSE_BLESS=1 cargo test --release --test report` rewrites `tests/golden/scan/`; review
//! the diff by hand against `samples/android/SOURCES.md` and `samples/demo-policy.zh.txt`.

mod support;
use support::{chromium, disclose};

use disclose::compare::scan_report::ScanReport;
use disclose::report::{render, RenderOptions, ReportFormat};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const DEMO_APP: &str = "samples/demo.apk";
const DEMO_POLICY: &str = "samples/demo-policy.zh.txt";

fn demo_scan(format: &str) -> String {
    scan_against_demo_policy(DEMO_APP, format)
}

/// `disclose scan APP --policy DEMO_POLICY --format FORMAT`: exit 1 (the demo findings reach
/// `--fail-on high`), nothing on stderr; returns the report.
fn scan_against_demo_policy(app: &str, format: &str) -> String {
    let out = disclose(&["scan", app, "--policy", DEMO_POLICY, "--format", format]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "demo findings reach --fail-on high; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 report")
}

#[test]
fn every_report_names_the_tool_and_data_version() {
    let data = disclose::version::DataVersion::builtin();
    for format in ["json", "sarif", "html"] {
        let out = demo_scan(format);
        assert!(out.contains(disclose::version::TOOL_VERSION), "{format}");
        assert!(out.contains(&data.hash), "{format} names the data hash");
    }
    assert_eq!(data.hash.len(), 16);
    assert!(data.sdks > 100, "{data}");
}

fn check_golden(name: &str, actual: &str) {
    support::check_golden("tests/golden/scan", name, actual);
}

#[test]
fn demo_scan_matches_golden_in_every_format() {
    for (format, file) in [
        ("text", "demo.txt"),
        ("json", "demo.json"),
        ("sarif", "demo.sarif"),
        ("html", "demo.html"),
        ("md", "demo.md"),
    ] {
        let first = demo_scan(format);
        assert_eq!(
            first,
            demo_scan(format),
            "{format} output is not deterministic"
        );
        check_golden(file, &first);
    }
}

/// The demo IPA against the same policy: the iOS side of the report (arm64 call sites, Info.plist
/// permissions) in the two formats people diff, and severity by sensitivity on iOS too.
#[test]
fn demo_ipa_scan_matches_golden() {
    for (format, file) in [("text", "demo-ipa.txt"), ("json", "demo-ipa.json")] {
        let text = scan_against_demo_policy("samples/demo.ipa", format);
        check_golden(file, &text);
        if format == "json" {
            let doc: Value = serde_json::from_str(&text).expect("json");
            for f in doc["findings"].as_array().expect("findings") {
                let severity = f["severity"].as_str().unwrap_or("");
                match f["sensitivity"].as_str() {
                    Some("technical") => assert!(
                        !matches!(severity, "high" | "critical"),
                        "a technical data type is not high: {f}"
                    ),
                    Some("sensitive") if f["kind"] == "contradiction" => {
                        assert_eq!(severity, "critical", "{f}")
                    }
                    _ => {}
                }
            }
        }
    }
}

fn load_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn inspect_json(app: &str) -> Value {
    let out = disclose(&["inspect", app, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("inspect json")
}

#[test]
fn scan_json_matches_the_documented_schema() {
    let schema = load_json(&support::repo_file("docs/disclose.scan.schema.json"));
    let doc: Value = serde_json::from_str(&demo_scan("json")).expect("json");
    support::assert_matches_schema(&schema, &doc, "demo scan");
    // The schema is not vacuous: an unknown kind and a missing field are rejected.
    let mut bad = doc.clone();
    bad["findings"][0]["kind"] = Value::from("made-up-kind");
    assert!(!jsonschema::is_valid(&schema, &bad));
    let mut bad = doc;
    bad["summary"]
        .as_object_mut()
        .expect("summary")
        .remove("failed");
    assert!(!jsonschema::is_valid(&schema, &bad));
}

#[test]
fn inspect_json_matches_the_documented_schema() {
    let schema = load_json(&support::repo_file("docs/disclose.inspect.schema.json"));
    support::assert_matches_schema(&schema, &inspect_json(DEMO_APP), "demo inspect");
    if let Some(app) = support::corpus_app("appium-uiautomator2-server-debug-androidTest.apk") {
        let doc = inspect_json(&app.display().to_string());
        support::assert_matches_schema(&schema, &doc, "inspect of a real corpus APK");
    }
}

/// The official OASIS schema, fetched by `scripts/fetch-sarif-schema.sh`.
fn sarif_schema() -> Option<Value> {
    let path = support::corpus_dir().join("schemas/sarif-schema-2.1.0.json");
    if path.is_file() {
        return Some(load_json(&path));
    }
    if std::env::var_os("DISCLOSE_REQUIRE_CORPUS").is_some() {
        panic!(
            "{} is missing and DISCLOSE_REQUIRE_CORPUS is set: run scripts/fetch-sarif-schema.sh",
            path.display()
        );
    }
    support::skipped(format!(
        "{} is missing (run scripts/fetch-sarif-schema.sh; it needs the package registry)",
        path.display()
    ));
    None
}

fn sarif_with_suppression() -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("disclose.toml");
    std::fs::write(
        &config,
        "[[suppress]]\nkind = \"undisclosed-sdk\"\nsdk = \"tencent-bugly\"\nreason = \"listed on the separate SDK page\"\nexpires = \"2099-12-31\"\n",
    )
    .expect("write config");
    let out = disclose(&[
        "scan",
        DEMO_APP,
        "--policy",
        DEMO_POLICY,
        "--format",
        "sarif",
        "--config",
        &config.display().to_string(),
    ]);
    serde_json::from_slice(&out.stdout).expect("sarif json")
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let plain: Value = serde_json::from_str(&demo_scan("sarif")).expect("sarif json");
    let suppressed = sarif_with_suppression();
    let Some(schema) = sarif_schema() else { return };
    assert_eq!(
        schema["id"],
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    );
    support::assert_matches_schema(&schema, &plain, "demo SARIF");
    support::assert_matches_schema(&schema, &suppressed, "demo SARIF with a suppression");
    let mut bad = plain;
    bad["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!jsonschema::is_valid(&schema, &bad), "schema not applied");
}

#[test]
fn sarif_follows_github_code_scanning_rules() {
    let log: Value = serde_json::from_str(&demo_scan("sarif")).expect("sarif json");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            r["ruleId"], rules[index]["id"],
            "ruleIndex points at ruleId"
        );
        assert!(matches!(
            r["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        assert!(r["partialFingerprints"]["disclose/v1"].is_string());
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], DEMO_APP, "relative uri");
        assert!(loc["region"]["startLine"].as_u64() >= Some(1));
        if let Some(rel) = r["relatedLocations"].as_array() {
            assert_eq!(
                rel[0]["physicalLocation"]["artifactLocation"]["uri"],
                DEMO_POLICY
            );
        }
    }
    for rule in rules {
        let sev: f64 = rule["properties"]["security-severity"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("security-severity is a number in a string");
        assert!((0.0..=10.0).contains(&sev));
        assert!(rule["help"]["text"].as_str().is_some_and(|t| t.len() > 40));
    }
    let mut prints: Vec<&str> = results
        .iter()
        .filter_map(|r| r["partialFingerprints"]["disclose/v1"].as_str())
        .collect();
    let n = prints.len();
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), n, "fingerprints are unique per result");
}

#[test]
fn sarif_carries_suppressions() {
    let log = sarif_with_suppression();
    let results = log["runs"][0]["results"].as_array().expect("results");
    let bugly: Vec<&Value> = results
        .iter()
        .filter(|r| r["ruleId"] == "undisclosed-sdk")
        .collect();
    assert_eq!(bugly.len(), 1);
    let s = &bugly[0]["suppressions"][0];
    assert_eq!(s["kind"], "external");
    assert_eq!(
        s["justification"],
        "listed on the separate SDK page (until 2099-12-31)"
    );
}

fn demo_report() -> ScanReport {
    let path = support::repo_file("tests/golden/scan/demo.json");
    serde_json::from_value(load_json(&path)).expect("golden json is a ScanReport")
}

fn rendered(report: &ScanReport, format: ReportFormat) -> String {
    let mut out = Vec::new();
    render(report, format, RenderOptions::default(), &mut out).expect("render");
    String::from_utf8(out).expect("utf-8")
}

/// A report whose message, evidence and policy quote carry Markdown and HTML metacharacters.
fn hostile_report() -> ScanReport {
    let mut r = demo_report();
    let f = &mut r.findings[0];
    f.message = "a | b <script>alert(1)</script> `tick` *star* [link](x)".into();
    f.evidence[0].location = Some("Lx/y;->m(`|`)<init>\nnext line".into());
    if let Some(q) = &mut f.policy_text {
        q.quote = "we | never <b>collect</b> `x`".into();
    }
    r
}

#[test]
fn markdown_escapes_what_would_break_a_pr_comment() {
    let md = rendered(&hostile_report(), ReportFormat::Md);
    assert!(!md.contains("<script>"), "{md}");
    assert!(!md.contains("<b>"), "{md}");
    assert!(md.contains(r"a \| b \<script\>"), "{md}");
    assert!(md.contains(r"\`tick\`"), "{md}");
    // Evidence in a code span: no backtick inside, no line break, `|` and `<` left literal.
    let ev = md
        .lines()
        .find(|l| l.contains("Lx/y;"))
        .expect("evidence line");
    assert!(ev.starts_with("  - `") && ev.ends_with('`'), "{ev}");
    assert_eq!(ev.matches('`').count(), 2, "{ev}");
    assert!(ev.contains("<init> next line"), "{ev}");
    // Only the HTML the reporter means to emit: every other `<` is escaped or in a code span.
    for line in md.lines() {
        let t = line.trim();
        if t.starts_with("<details>") || t == "</details>" {
            continue;
        }
        let outside_code: String = t.split('`').step_by(2).collect();
        assert!(
            !outside_code.replace("\\<", "").contains('<'),
            "unescaped HTML: {line}"
        );
    }
}

#[test]
fn markdown_summary_table_is_well_formed() {
    let md = demo_scan("md");
    let table: Vec<&str> = md.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(table.len(), 7, "header, rule, 5 severities");
    assert!(table.iter().all(|l| l.matches('|').count() == 3));
    assert_eq!(
        md.matches("<details>").count(),
        md.matches("</details>").count()
    );
}

#[test]
fn html_escapes_everything_from_the_inputs() {
    let html = rendered(&hostile_report(), ReportFormat::Html);
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;b&gt;collect&lt;/b&gt;"));
}

/// Every `src=`, `href=`, `url(`, `@import` and `srcset`/`action`/`data=` attribute in the
/// page; none may leave the file. A URL printed as text (an SDK's privacy policy in a fix) is
/// content, not a reference: the browser loads nothing for it. Links to an anchor of the page
/// itself (`href="#…"`) stay in it.
fn external_references(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    for needle in [
        "src=", "href=", "url(", "@import", "srcset=", "action=", " data=", "<link", "<a ",
    ] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(needle) {
            let at = from + i;
            from = at + needle.len();
            if needle == "href=" && lower[from..].starts_with("\"#") {
                continue;
            }
            if needle == "<a " {
                // A link to an anchor of the page itself stays in it.
                let tag = lower[from..].split('>').next().unwrap_or("");
                if tag.matches("href=").count() == 1 && tag.contains("href=\"#") {
                    continue;
                }
            }
            found.push(html[at..(at + 60).min(html.len())].to_string());
        }
    }
    found
}

#[test]
fn html_is_one_self_contained_file() {
    let html = demo_scan("html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(external_references(&html), Vec::<String>::new());
    assert!(!html.contains("<script"), "no script needed");
    assert!(!html.contains("<link"), "styles are inline");
    // The detector is not blind.
    assert_eq!(
        external_references("<img src=\"https://x/a.png\">").len(),
        1,
        "src= found"
    );
    assert_eq!(
        external_references("<a href=\"//cdn.example/x\">").len(),
        2,
        "<a and href= both found"
    );
    assert_eq!(
        external_references("<a class=\"mk\" href=\"#obs-1\">C</a><a href=\"x.html\">x</a>").len(),
        2,
        "an in-page anchor stays in the file; a link to another page is found (<a and href=)"
    );
}

/// Width and height from a PNG's IHDR chunk, after checking the signature.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let sig = b"\x89PNG\r\n\x1a\n";
    if bytes.get(..8)? != sig || bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    let be = |r: std::ops::Range<usize>| -> Option<u32> {
        Some(u32::from_be_bytes(bytes.get(r)?.try_into().ok()?))
    };
    Some((be(16..20)?, be(20..24)?))
}

#[test]
fn html_renders_in_headless_chromium() {
    let html = demo_scan("html");
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("demo.html");
    std::fs::write(&page, &html).expect("write html");
    let shot = std::env::var_os("DISCLOSE_SCREENSHOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.path().join("demo.png"));
    let profile = dir.path().join("profile");
    let status = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1280,2000")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(
        status.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert_eq!(
        png_size(&png),
        Some((1280, 2000)),
        "a PNG of the window size"
    );
    // A blank 1280×2000 page compresses to a few kB; text, cards and tables make it far larger.
    assert!(
        png.len() > 40_000,
        "screenshot looks blank: {} bytes",
        png.len()
    );
}

#[test]
fn png_size_reads_ihdr_and_rejects_other_bytes() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend_from_slice(&1280u32.to_be_bytes());
    png.extend_from_slice(&2000u32.to_be_bytes());
    assert_eq!(png_size(&png), Some((1280, 2000)));
    assert_eq!(png_size(b"GIF89a"), None);
    assert_eq!(png_size(&png[..20]), None);
}

/// Severity follows the data type's sensitivity (docs/output.md, "Severity"): a technical type
/// (network state, device model) is never high; a sensitive or restricted type the policy does
/// not declare or denies (installed apps, clipboard, SMS, IMEI) is high or critical.
#[test]
fn demo_severities_follow_sensitivity() {
    let doc: Value = serde_json::from_str(&demo_scan("json")).expect("json");
    let findings = doc["findings"].as_array().expect("findings");
    let mut checked = 0;
    for f in findings {
        let severity = f["severity"].as_str().unwrap_or_default();
        let high = matches!(severity, "high" | "critical");
        match (f["sensitivity"].as_str(), f["kind"].as_str()) {
            (Some("technical"), _) => assert!(!high, "{f}"),
            (
                Some("sensitive" | "restricted"),
                Some("undisclosed-data" | "undisclosed-permission" | "contradiction"),
            ) => assert!(high, "{f}"),
            _ => continue,
        }
        checked += 1;
    }
    assert!(
        checked >= 4,
        "the demo has technical and restricted findings"
    );
}

/// Every finding carries a fix in the policy's language with every placeholder filled.
#[test]
fn every_demo_finding_has_a_fix() {
    let doc: Value = serde_json::from_str(&demo_scan("json")).expect("json");
    for f in doc["findings"].as_array().expect("findings") {
        let fix = f["fix"].as_str().unwrap_or_default();
        assert!(
            fix.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{f}"
        );
        assert!(!fix.contains('{') && !fix.contains('…'), "{fix}");
    }
    let sarif: Value = serde_json::from_str(&demo_scan("sarif")).expect("sarif");
    for r in sarif["runs"][0]["results"].as_array().expect("results") {
        assert!(
            r["message"]["text"]
                .as_str()
                .unwrap_or_default()
                .contains(". Fix: "),
            "{r}"
        );
    }
}

/// Text and HTML lead with the summary: counts by owner and the three most serious findings,
/// before the first owner's details.
#[test]
fn text_and_html_lead_with_a_one_screen_summary() {
    let text = demo_scan("text");
    let summary = text.find("SUMMARY").expect("summary");
    let details = text.find("\nthe app's own code\n").expect("details");
    assert!(summary < details, "{text}");
    let head = &text[summary..details];
    assert!(head.lines().count() <= 24, "one screen: {head}");
    assert!(head.contains("1. CRITICAL contradiction"), "{head}");
    assert!(
        head.contains("\n  3. ") && !head.contains("\n  4. "),
        "{head}"
    );
    let html = demo_scan("html");
    let summary = html.find("<section class=\"summary\">").expect("summary");
    let details = html.find("<section><h2>").expect("owner sections");
    assert!(summary < details);
    assert_eq!(html[summary..details].matches("<li>").count(), 3);
}
