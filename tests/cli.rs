//! The `disclose` command line as a release pipeline sees it: exit codes (0 nothing at or above
//! `--fail-on`, 1 findings at or above it, 2 bad input or usage with one stderr line naming the
//! file), baselines, `disclose.toml` suppressions, `inspect` and `policy` output.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn demo_app() -> PathBuf {
    support::repo_file("samples/demo.apk")
}

fn demo_policy() -> PathBuf {
    support::repo_file("samples/demo-policy.zh.txt")
}

fn disclose() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_disclose"));
    c.env("NO_COLOR", "1");
    c
}

fn scan(app: &Path, policy: &Path, extra: &[&str]) -> std::process::Output {
    disclose()
        .arg("scan")
        .arg(app)
        .arg("--policy")
        .arg(policy)
        .args(extra)
        .output()
        .expect("run disclose")
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const SUPPRESS_CONTRADICTION: &str = "[[suppress]]\nkind = \"contradiction\"\nsdk = \"app\"\ndata = \"clipboard\"\nreason = \"clipboard read only on paste, PRIV-7\"\nexpires = \"2099-12-31\"\n";

#[test]
fn findings_at_fail_on_exit_1() {
    let out = scan(&demo_app(), &demo_policy(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FAILED (--fail-on high)"), "{text}");
}

#[test]
fn nothing_at_fail_on_exits_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("quiet.toml");
    std::fs::write(&config, SUPPRESS_CONTRADICTION).expect("write");
    let out = scan(
        &demo_app(),
        &demo_policy(),
        &[
            "--fail-on",
            "critical",
            "--config",
            config.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("passed (--fail-on critical)"), "{text}");
    // Without the suppression the critical contradiction fails the same threshold.
    let out = scan(&demo_app(), &demo_policy(), &["--fail-on", "critical"]);
    assert_eq!(out.status.code(), Some(1));
}

/// Exit code 2 and exactly one line on stderr that names `name`.
fn assert_bad_input(out: &std::process::Output, name: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one stderr line: {err:?}");
    assert!(err.contains(name), "{err:?} names {name}");
    assert!(out.stdout.is_empty(), "no report on bad input");
}

#[test]
fn bad_input_and_usage_exit_2_with_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = |n: &str| dir.path().join(n);
    // Random bytes named .apk (deterministic "random": a xorshift stream).
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(p("noise.apk"), noise).expect("write");
    let demo = std::fs::read(demo_app()).expect("demo");
    std::fs::write(p("truncated.apk"), &demo[..demo.len() / 2]).expect("write");
    std::fs::write(p("broken.toml"), "[[suppress]\nkind = 1\n").expect("write");
    std::fs::write(
        p("no-reason.toml"),
        "[[suppress]]\nkind = \"undisclosed-sdk\"\nexpires = \"2099-01-01\"\n",
    )
    .expect("write");
    std::fs::write(
        p("inspect.json"),
        "{\"schema\":\"disclose.inspect/1\",\"findings\":[]}",
    )
    .expect("write");
    std::fs::write(p("not-json.json"), "<html></html>").expect("write");
    let policy = demo_policy();
    let app = demo_app();

    assert_bad_input(&scan(&p("noise.apk"), &policy, &[]), "noise.apk");
    assert_bad_input(&scan(&p("truncated.apk"), &policy, &[]), "truncated.apk");
    assert_bad_input(
        &scan(&app, &p("missing-policy.txt"), &[]),
        "missing-policy.txt",
    );
    assert_bad_input(&scan(&p("missing.apk"), &policy, &[]), "missing.apk");
    for file in ["broken.toml", "no-reason.toml"] {
        let f = p(file);
        assert_bad_input(
            &scan(&app, &policy, &["--config", f.to_str().expect("utf-8")]),
            file,
        );
    }
    for file in ["inspect.json", "not-json.json", "missing-baseline.json"] {
        let f = p(file);
        assert_bad_input(
            &scan(&app, &policy, &["--baseline", f.to_str().expect("utf-8")]),
            file,
        );
    }
    let out = disclose()
        .args(["inspect", p("noise.apk").to_str().expect("utf-8")])
        .output()
        .expect("run");
    assert_bad_input(&out, "noise.apk");
}

/// Exit code 2, nothing on stdout, and each of `wanted` somewhere in clap's full message.
fn assert_usage_error(out: &std::process::Output, wanted: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(out.stdout.is_empty(), "no report on a usage error");
    for w in wanted {
        assert!(err.contains(w), "{err:?} should contain {w:?}");
    }
}

#[test]
fn usage_errors_are_clap_messages_in_full() {
    let (app, policy) = (demo_app(), demo_policy());
    let no_policy = disclose().arg("scan").arg(&app).output().expect("run");
    assert_usage_error(&no_policy, &["--policy <FILE>", "Usage: disclose scan"]);
    let xml = scan(&app, &policy, &["--format", "xml"]);
    assert_usage_error(&xml, &["'xml'", "text, json, sarif, html, md"]);
    let severe = scan(&app, &policy, &["--fail-on", "severe"]);
    assert_usage_error(&severe, &["'severe'", "critical", "none"]);
    let bare = disclose().output().expect("run");
    assert_usage_error(&bare, &["Usage: disclose", "Commands:", "scan"]);
    let no_app = disclose().arg("scan").output().expect("run");
    assert_usage_error(&no_app, &["<APP>"]);
}

#[test]
fn endless_devices_and_fifos_end_with_one_line() {
    // /dev/zero as an app: no package starts with zeros, so it is refused at once.
    let out = disclose()
        .args(["inspect", "/dev/zero"])
        .output()
        .expect("run");
    assert_bad_input(&out, "/dev/zero");
    assert!(stderr(&out).contains("not an app"), "{}", stderr(&out));
    // As a policy it is read up to the policy byte cap, never to the end.
    let out = scan(&demo_app(), Path::new("/dev/zero"), &[]);
    assert_bad_input(&out, "/dev/zero");
    assert!(stderr(&out).contains("bytes"), "{}", stderr(&out));
    // A FIFO nobody writes to reads as empty instead of waiting forever.
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("app.apk");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let out = disclose()
        .arg("inspect")
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("run");
    assert_bad_input(&out, "app.apk");
    let out = disclose()
        .args(["policy", "--format", "json"])
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("run");
    assert!(out.status.code().is_some(), "finished");
}

#[test]
fn dash_reads_standard_input() {
    let app = std::fs::read(demo_app()).expect("demo");
    let out = disclose()
        .args(["inspect", "-", "--format", "json"])
        .write_stdin(app)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let from_stdin = json_of(&out);
    let from_file = json_of(
        &disclose()
            .arg("inspect")
            .arg(demo_app())
            .args(["--format", "json"])
            .output()
            .expect("run"),
    );
    assert_eq!(from_stdin["app"]["sha256"], from_file["app"]["sha256"]);
    assert_eq!(from_stdin["app"]["file"], "-");
    assert_eq!(from_stdin["sdks"], from_file["sdks"]);

    let policy = std::fs::read(demo_policy()).expect("policy");
    let out = disclose()
        .arg("scan")
        .arg(demo_app())
        .args(["--policy", "-", "--format", "json"])
        .write_stdin(policy)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let from_stdin = json_of(&out);
    let from_file = json_of(&scan(&demo_app(), &demo_policy(), &["--format", "json"]));
    assert_eq!(from_stdin["findings"], from_file["findings"]);
    let both = disclose()
        .args(["scan", "-", "--policy", "-"])
        .output()
        .expect("run");
    assert_bad_input(&both, "-");
}

#[test]
fn help_and_version_exit_0() {
    disclose().arg("--help").assert().success();
    disclose().arg("--version").assert().success();
}

#[test]
fn baseline_of_the_same_scan_reports_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path().join("baseline.json");
    let first = scan(
        &demo_app(),
        &demo_policy(),
        &["--write-baseline", base.to_str().expect("utf-8")],
    );
    assert_eq!(first.status.code(), Some(1));
    let base_doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&base).expect("baseline written"))
            .expect("json");
    assert_eq!(base_doc["schema"], "disclose.scan/1");
    let known = base_doc["findings"].as_array().map_or(0, Vec::len);
    assert!(known > 0);

    let again = scan(
        &demo_app(),
        &demo_policy(),
        &[
            "--baseline",
            base.to_str().expect("utf-8"),
            "--format",
            "json",
        ],
    );
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let doc = json_of(&again);
    assert_eq!(doc["findings"].as_array().map(Vec::len), Some(0));
    assert_eq!(doc["summary"]["baseline_known"], known);
    assert_eq!(doc["summary"]["failed"], false);
    // Hidden, not lost: every finding is listed as baselined, and the facts stay.
    assert_eq!(doc["baselined"].as_array().map(Vec::len), Some(known));
    assert_eq!(
        doc["summary"]["sdks_disclosed"],
        base_doc["summary"]["sdks_disclosed"]
    );
    let html = scan(
        &demo_app(),
        &demo_policy(),
        &[
            "--baseline",
            base.to_str().expect("utf-8"),
            "--format",
            "html",
        ],
    );
    let html = String::from_utf8_lossy(&html.stdout);
    assert!(html.contains("Already in the baseline"), "{html}");
    assert!(
        html.contains("<code>jpush</code>") && html.contains("class=\"no\">no</td>"),
        "an undisclosed SDK stays 'no' in the policy column"
    );
}

#[test]
fn a_baseline_for_another_app_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path().join("other-baseline.json");
    let written = scan(
        &demo_app(),
        &demo_policy(),
        &["--write-baseline", base.to_str().expect("utf-8")],
    );
    assert_eq!(written.status.code(), Some(1), "{}", stderr(&written));
    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&base).expect("baseline")).expect("json");
    doc["app"]["id"] = "com.example.other".into();
    std::fs::write(&base, doc.to_string()).expect("write");
    let out = scan(
        &demo_app(),
        &demo_policy(),
        &["--baseline", base.to_str().expect("utf-8")],
    );
    assert_bad_input(&out, "other-baseline.json");
    let err = stderr(&out);
    assert!(
        err.contains("com.example.other") && err.contains("com.example.disclosedemo"),
        "{err}"
    );
}

fn fingerprint(f: &Value) -> String {
    format!(
        "{}|{}|{}|{}",
        f["kind"].as_str().unwrap_or(""),
        f["owner"].as_str().unwrap_or(""),
        f["data"].as_str().unwrap_or(""),
        f["permission"].as_str().unwrap_or("")
    )
}

#[test]
fn baseline_from_an_older_policy_reports_only_new_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path().join("baseline.json");
    let old = scan(
        &demo_app(),
        &demo_policy(),
        &[
            "--write-baseline",
            base.to_str().expect("utf-8"),
            "--format",
            "json",
        ],
    );
    let old_doc = json_of(&old);
    // The new policy drops its JPush row: JPush becomes an undisclosed SDK.
    let text = std::fs::read_to_string(demo_policy()).expect("policy");
    let start = text.find("SDK名称：极光推送SDK").expect("jpush row");
    let end = start + text[start..].find("\n\n").expect("row end");
    let new_policy = dir.path().join("policy-v2.txt");
    std::fs::write(&new_policy, format!("{}{}", &text[..start], &text[end..])).expect("write");

    let full = json_of(&scan(&demo_app(), &new_policy, &["--format", "json"]));
    let out = scan(
        &demo_app(),
        &new_policy,
        &[
            "--baseline",
            base.to_str().expect("utf-8"),
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "the new finding is high");
    let doc = json_of(&out);
    let old_prints: Vec<String> = old_doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(fingerprint)
        .collect();
    let new: Vec<&Value> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .collect();
    assert!(new
        .iter()
        .any(|f| f["kind"] == "undisclosed-sdk" && f["owner"] == "jpush"));
    for f in &new {
        assert!(
            !old_prints.contains(&fingerprint(f)),
            "{f} was in the baseline"
        );
    }
    let all = full["findings"].as_array().map_or(0, Vec::len);
    assert_eq!(
        new.len() + doc["summary"]["baseline_known"].as_u64().unwrap_or(0) as usize,
        all
    );
}

#[test]
fn suppressions_are_printed_in_every_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("c.toml");
    std::fs::write(&config, SUPPRESS_CONTRADICTION).expect("write");
    let c = config.to_str().expect("utf-8");
    let text = scan(&demo_app(), &demo_policy(), &["--config", c]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("suppressed by config"), "{text}");
    assert!(
        text.contains("clipboard read only on paste, PRIV-7 (until 2099-12-31)"),
        "{text}"
    );
    assert!(text.contains("1 suppressed"), "{text}");

    let doc = json_of(&scan(
        &demo_app(),
        &demo_policy(),
        &["--config", c, "--format", "json"],
    ));
    assert_eq!(doc["suppressed"][0]["kind"], "contradiction");
    assert_eq!(
        doc["suppressed"][0]["suppressed"]["reason"],
        "clipboard read only on paste, PRIV-7"
    );
    assert_eq!(doc["suppressed"][0]["suppressed"]["expires"], "2099-12-31");
    assert!(doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .all(|f| f["kind"] != "contradiction"));

    let sarif = json_of(&scan(
        &demo_app(),
        &demo_policy(),
        &["--config", c, "--format", "sarif"],
    ));
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let sup: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(sup.len(), 1);
    assert_eq!(sup[0]["ruleId"], "contradiction");

    for format in ["html", "md"] {
        let out = scan(
            &demo_app(),
            &demo_policy(),
            &["--config", c, "--format", format],
        );
        let body = String::from_utf8_lossy(&out.stdout);
        assert!(body.contains("PRIV-7"), "{format}: {body}");
        assert!(body.contains("2099-12-31"), "{format}");
    }
}

#[test]
fn expired_suppressions_no_longer_apply_and_say_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("old.toml");
    std::fs::write(
        &config,
        SUPPRESS_CONTRADICTION.replace("2099-12-31", "2020-01-31"),
    )
    .expect("write");
    let out = scan(
        &demo_app(),
        &demo_policy(),
        &[
            "--config",
            config.to_str().expect("utf-8"),
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("expired on 2020-01-31"), "{err}");
    let doc = json_of(&out);
    assert_eq!(doc["suppressed"].as_array().map(Vec::len), Some(0));
    assert!(doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| f["kind"] == "contradiction"));
}

#[test]
fn disclose_toml_beside_the_app_is_picked_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = dir.path().join("demo.apk");
    std::fs::copy(demo_app(), &app).expect("copy");
    std::fs::write(dir.path().join("disclose.toml"), SUPPRESS_CONTRADICTION).expect("write");
    let doc = json_of(&scan(&app, &demo_policy(), &["--format", "json"]));
    assert_eq!(doc["summary"]["suppressed"], 1);
    // An explicit --config wins over the file beside the app.
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").expect("write");
    let doc = json_of(&scan(
        &app,
        &demo_policy(),
        &[
            "--format",
            "json",
            "--config",
            empty.to_str().expect("utf-8"),
        ],
    ));
    assert_eq!(doc["summary"]["suppressed"], 0);
}

#[test]
fn out_writes_the_report_to_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("r.sarif");
    let out = scan(
        &demo_app(),
        &demo_policy(),
        &["--format", "sarif", "--out", file.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let log: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("json");
    assert_eq!(log["version"], "2.1.0");
}

#[test]
fn inspect_json_has_the_inspect_schema_id() {
    let out = disclose()
        .args(["inspect", "--format", "json"])
        .arg(demo_app())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json_of(&out);
    assert_eq!(doc["schema"], "disclose.inspect/1");
    assert_eq!(doc["app"]["id"], "com.example.disclosedemo");
    // Like every report, it names the tool and signature data versions it came from.
    let data = disclose::version::DataVersion::builtin();
    assert_eq!(doc["tool"]["name"], "disclose");
    assert_eq!(doc["tool"]["version"], disclose::version::TOOL_VERSION);
    assert_eq!(doc["tool"]["signatures"]["hash"], data.hash.as_str());
    assert_eq!(doc["tool"]["signatures"]["sdks"], data.sdks);
}

#[test]
fn policy_command_reads_a_seed() {
    let Some(seed) = support::shared_file("seeds/yunzhijia.zh.txt") else {
        return;
    };
    let out = disclose().arg("policy").arg(&seed).output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("sdks ("), "{text}");
    assert!(text.contains("sha256"), "{text}");
    let out = disclose()
        .args(["policy", "--format", "json"])
        .arg(&seed)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let doc = json_of(&out);
    assert_eq!(doc["schema"], "disclose.policy/1");
    assert!(
        doc["sdks"].as_array().is_some_and(|s| s.len() >= 10),
        "{doc}"
    );
    assert!(doc["data"].as_array().is_some_and(|d| !d.is_empty()));
}

#[test]
fn suppressions_naming_unknown_sdks_are_errors_and_unmatched_ones_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let typo = dir.path().join("typo.toml");
    std::fs::write(
        &typo,
        SUPPRESS_CONTRADICTION.replace("sdk = \"app\"", "sdk = \"jpushh\""),
    )
    .expect("write");
    let out = scan(
        &demo_app(),
        &demo_policy(),
        &["--config", typo.to_str().expect("utf-8")],
    );
    assert_bad_input(&out, "typo.toml");
    assert!(
        stderr(&out).contains("unknown SDK id 'jpushh'"),
        "{}",
        stderr(&out)
    );
    let data = dir.path().join("data.toml");
    std::fs::write(
        &data,
        SUPPRESS_CONTRADICTION.replace("data = \"clipboard\"", "data = \"clipbored\""),
    )
    .expect("write");
    let out = scan(
        &demo_app(),
        &demo_policy(),
        &["--config", data.to_str().expect("utf-8")],
    );
    assert_bad_input(&out, "data.toml");
    // Known ids, but nothing to silence: the scan runs and says so.
    let stale = dir.path().join("stale.toml");
    std::fs::write(
        &stale,
        format!("{SUPPRESS_CONTRADICTION}[[suppress]]\nkind = \"contradiction\"\nsdk = \"jpush\"\nreason = \"r\"\nexpires = \"2099-01-01\"\n"),
    )
    .expect("write");
    let out = scan(
        &demo_app(),
        &demo_policy(),
        &["--config", stale.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("suppress #2 (contradiction, jpush) matched no finding"),
        "{err}"
    );
    assert!(!err.contains("suppress #1"), "#1 matched: {err}");
}

#[test]
fn output_to_a_closed_pipe_ends_quietly() {
    // `disclose completions bash | head -1`: the reader is gone before the output is written.
    // The write fails with a broken pipe, which ends the command quietly (no panic).
    let demo = demo_app();
    let demo = demo.to_str().expect("utf-8 path");
    for args in [
        &["completions", "bash"][..],
        &["man"][..],
        &["inspect", demo, "--format", "json"][..],
    ] {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = support::disclose_command()
            .args(args)
            .stdout(writer)
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

#[test]
fn completions_man_page_and_version() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = disclose()
            .args(["completions", shell])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(
            script.contains("disclose") && script.contains("fail-on"),
            "{shell}"
        );
    }
    let man = disclose().arg("man").output().expect("run");
    assert_eq!(man.status.code(), Some(0));
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(
        page.starts_with(".ie") && page.contains(".TH disclose 1"),
        "{page}"
    );
    let version = disclose().arg("--version").output().expect("run");
    let text = String::from_utf8_lossy(&version.stdout);
    let data = disclose::version::DataVersion::builtin();
    assert!(text.contains(disclose::version::TOOL_VERSION), "{text}");
    assert!(text.contains(&data.to_string()), "{text}");
    let help = disclose().arg("--help").output().expect("run");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("Exit codes:") && help.contains("Examples:"),
        "{help}"
    );
}

#[test]
fn color_follows_the_flag_and_the_environment() {
    let has_ansi = |out: &std::process::Output| out.stdout.contains(&0x1b);
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_disclose"));
        c.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            c.env(k, v);
        }
        c.arg("scan")
            .arg(demo_app())
            .arg("--policy")
            .arg(demo_policy())
            .args(args)
            .output()
            .expect("run")
    };
    assert!(!has_ansi(&run(&[], &[])), "not a terminal: no colour");
    assert!(has_ansi(&run(&["--color", "always"], &[])));
    assert!(has_ansi(&run(&[], &[("CLICOLOR_FORCE", "1")])));
    assert!(!has_ansi(&run(
        &[],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    )));
    assert!(!has_ansi(&run(
        &["--color", "never"],
        &[("CLICOLOR_FORCE", "1")]
    )));
    assert_eq!(run(&["--fail-on", "none"], &[]).status.code(), Some(0));
}

#[test]
fn signatures_show_prints_toml_or_json_and_test_counts_examples() {
    let toml = disclose()
        .args(["signatures", "show", "jpush"])
        .output()
        .expect("run");
    assert_eq!(toml.status.code(), Some(0));
    let text = String::from_utf8_lossy(&toml.stdout);
    assert!(text.contains("id = \"jpush\""), "{text}");
    assert!(!text.contains("SdkFile {"), "not a debug struct: {text}");
    let json = disclose()
        .args(["signatures", "show", "jpush", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(json_of(&json)["id"], "jpush");
    let test = disclose()
        .args(["signatures", "test"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&test.stdout);
    let last = text.lines().last().unwrap_or("");
    let ran: usize = last
        .strip_prefix("examples: ")
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(ran > 100, "{last}");
    assert!(last.ends_with("run, 0 failed"), "{last}");
}

#[test]
fn sensitivity_overrides_re_rate_findings_and_bad_ones_are_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("levels.toml");
    // The clipboard contradiction is critical because the clipboard is `restricted`; moved to
    // `technical`, the same contradiction is medium and no longer fails `--fail-on high`.
    std::fs::write(&config, "[sensitivity]\n\"clipboard\" = \"technical\"\n").expect("write");
    let with = |extra: &[&str]| {
        let mut args = vec!["--config", config.to_str().expect("utf-8")];
        args.extend_from_slice(extra);
        scan(&demo_app(), &demo_policy(), &args)
    };
    let doc = json_of(&with(&["--format", "json"]));
    let clipboard = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["kind"] == "contradiction" && f["data"] == "clipboard")
        .expect("clipboard contradiction");
    assert_eq!(clipboard["severity"], "medium");
    assert_eq!(clipboard["sensitivity"], "technical");
    assert_eq!(with(&["--fail-on", "critical"]).status.code(), Some(0));

    for (text, wanted) in [
        (
            "[sensitivity]\n\"clipbord\" = \"technical\"\n",
            "unknown data type 'clipbord'",
        ),
        (
            "[sensitivity]\n\"clipboard\" = \"secret\"\n",
            "unknown variant",
        ),
    ] {
        std::fs::write(&config, text).expect("write");
        let out = with(&[]);
        assert_bad_input(&out, "levels.toml");
        assert!(stderr(&out).contains(wanted), "{}", stderr(&out));
    }
}

#[test]
fn verbose_text_prints_a_fix_for_every_finding() {
    let quiet = scan(&demo_app(), &demo_policy(), &[]);
    let quiet = String::from_utf8_lossy(&quiet.stdout);
    assert!(!quiet.contains("fix: "), "{quiet}");
    let doc = json_of(&scan(&demo_app(), &demo_policy(), &["--format", "json"]));
    let findings = doc["findings"].as_array().expect("findings").len();
    let out = scan(&demo_app(), &demo_policy(), &["--verbose"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let fixes: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("fix: "))
        .collect();
    assert_eq!(fixes.len(), findings, "{text}");
    // The demo policy is Chinese, so the fixes are too, with every placeholder filled.
    for fix in fixes {
        assert!(
            fix.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{fix}"
        );
        assert!(!fix.contains('{'), "{fix}");
    }
}
