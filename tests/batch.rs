//! `disclose batch` and `disclose merge` as a user runs them: a folder of real apps plus
//! corrupt files, `--fail-on`, `--resume` after a kill, shards as separate processes, merge.

mod support;
use support::disclose_command as disclose;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn run(args: &[&std::ffi::OsStr]) -> Output {
    disclose().args(args).output().expect("run disclose")
}

fn records(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .expect("results file")
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect()
}

fn file_of(rec: &Value) -> String {
    rec.pointer("/app/file")
        .or_else(|| rec.get("file"))
        .and_then(Value::as_str)
        .expect("record names its file")
        .to_string()
}

fn link(src: &Path, dst: &Path) {
    if std::os::unix::fs::symlink(src, dst).is_err() {
        fs::copy(src, dst).expect("copy input");
    }
}

/// A zip whose AndroidManifest.xml inflates 20 MiB of zeros from ~20 KB: over the ratio limit.
fn write_zip_bomb(path: &Path) {
    let mut zip = zip::ZipWriter::new(fs::File::create(path).expect("bomb file"));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("AndroidManifest.xml", opts).expect("entry");
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..20 {
        zip.write_all(&zeros).expect("zeros");
    }
    zip.finish().expect("finish");
}

/// Bad inputs: truncated zip, random bytes, zip bomb. Returns their names.
fn write_bad_files(dir: &Path) -> Vec<&'static str> {
    let demo = fs::read(support::repo_file("samples/demo.apk")).expect("demo.apk");
    fs::write(dir.join("truncated.apk"), &demo[..demo.len() / 2]).expect("truncated");
    let random: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    fs::write(dir.join("random.ipa"), random).expect("random");
    write_zip_bomb(&dir.join("bomb.apk"));
    vec!["truncated.apk", "random.ipa", "bomb.apk"]
}

#[test]
fn every_good_app_gets_a_record_and_every_bad_file_an_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("apps");
    let nested = input.join("nested/deeper");
    fs::create_dir_all(&nested).expect("dirs");
    let mut good = Vec::new();
    for name in support::corpus_app_names() {
        let Some(app) = support::corpus_app(&name) else {
            continue;
        };
        link(&app, &input.join(&name));
        good.push(input.join(&name));
    }
    for name in ["demo.apk", "demo.ipa"] {
        link(
            &support::repo_file(&format!("samples/{name}")),
            &nested.join(name),
        );
        good.push(nested.join(name));
    }
    let encrypted = input.join("encrypted.ipa");
    link(
        &support::repo_file("tests/fixtures/batch/encrypted.ipa"),
        &encrypted,
    );
    good.push(encrypted.clone());
    fs::write(input.join("notes.txt"), "not an app").expect("non-app file");
    let bad: Vec<PathBuf> = write_bad_files(&input)
        .into_iter()
        .map(|n| input.join(n))
        .collect();
    let policies = tmp.path().join("policies");
    fs::create_dir(&policies).expect("policies dir");
    fs::copy(
        support::repo_file("samples/demo-policy.zh.txt"),
        policies.join("com.example.disclosedemo.txt"),
    )
    .expect("policy");

    let out = tmp.path().join("results.jsonl");
    let summary = tmp.path().join("summary.json");
    let csv = tmp.path().join("results.csv");
    let result = run(&[
        "batch".as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--policies".as_ref(),
        policies.as_os_str(),
        "--summary".as_ref(),
        summary.as_os_str(),
        "--csv".as_ref(),
        csv.as_os_str(),
        "--fail-on".as_ref(),
        "medium".as_ref(),
    ]);
    let recs = records(&out);
    let by_file: BTreeMap<String, &Value> = recs.iter().map(|r| (file_of(r), r)).collect();
    assert_eq!(recs.len(), good.len() + bad.len(), "one record per input");
    assert_eq!(by_file.len(), recs.len(), "no input twice");
    for path in &good {
        let rec = by_file[&path.display().to_string()];
        let schema = rec["schema"].as_str().unwrap_or("");
        assert!(
            schema == "disclose.scan/1" || schema == "disclose.inspect/1",
            "{}: {rec}",
            path.display()
        );
        if schema == "disclose.inspect/1" {
            assert_eq!(rec["note"], "no-policy");
        }
        assert_eq!(rec["app"]["sha256"].as_str().map(str::len), Some(64));
    }
    for path in &bad {
        let rec = by_file[&path.display().to_string()];
        assert_eq!(rec["schema"], "disclose.error/1", "{rec}");
        assert_eq!(rec["sha256"].as_str().map(str::len), Some(64));
        let error = rec["error"].as_str().unwrap_or("");
        assert!(error.starts_with(&path.display().to_string()), "{error}");
        assert!(!error.contains('\n'));
    }
    let bomb = by_file[&input.join("bomb.apk").display().to_string()];
    assert!(
        bomb["error"].as_str().unwrap_or("").contains("ratio limit"),
        "{bomb}"
    );
    assert_eq!(bomb["kind"], "limit-exceeded", "{bomb}");
    let random = by_file[&input.join("random.ipa").display().to_string()];
    assert_eq!(random["kind"], "not-an-app", "{random}");
    let locked = by_file[&encrypted.display().to_string()];
    assert!(
        locked["limits"]
            .as_array()
            .is_some_and(|ls| ls.iter().any(|l| l["kind"] == "encrypted")),
        "{locked}"
    );
    // The demo apps have the policy and so are scans; the exit code follows their findings.
    let demo = by_file[&nested.join("demo.apk").display().to_string()];
    assert_eq!(demo["schema"], "disclose.scan/1");
    let worst_medium = recs.iter().any(|r| {
        r["findings"].as_array().is_some_and(|fs| {
            fs.iter()
                .any(|f| matches!(f["severity"].as_str(), Some("medium" | "high" | "critical")))
        })
    });
    assert!(worst_medium, "the demo app has findings at medium or above");
    assert_eq!(result.status.code(), Some(1), "{result:?}");

    let summary: Value =
        serde_json::from_slice(&fs::read(&summary).expect("summary")).expect("json");
    assert_eq!(summary["records"].as_u64(), Some(recs.len() as u64));
    assert_eq!(summary["errors"].as_u64(), Some(bad.len() as u64));
    assert!(summary["failed_apps"].as_u64() >= Some(1));
    let csv = fs::read_to_string(&csv).expect("csv");
    assert_eq!(csv.lines().count(), recs.len() + 1, "{csv}");
    assert!(csv.starts_with("file,id,platform,policy,sdks,critical,high,medium,low,info,error\n"));
    // An app without a policy says so; the demo apps were compared with theirs.
    assert!(csv.lines().any(|l| l.contains(",none,")), "{csv}");
    assert!(csv.contains("com.example.disclosedemo.txt"), "{csv}");
    // Severities in severity order, in the JSON summary too.
    let summary_text = fs::read_to_string(tmp.path().join("summary.json")).expect("summary");
    let order: Vec<usize> = ["critical", "high", "medium", "low", "info"]
        .iter()
        .filter_map(|s| summary_text.find(&format!("\"{s}\"")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{summary_text}");

    // Same inputs without a finding at or above critical: exit 0. Only the demo folder, for speed.
    let out2 = tmp.path().join("critical.jsonl");
    let result = run(&[
        "batch".as_ref(),
        input.join("nested").as_os_str(),
        "--out".as_ref(),
        out2.as_os_str(),
        "--policies".as_ref(),
        policies.as_os_str(),
        "--fail-on".as_ref(),
        "critical".as_ref(),
    ]);
    let has_critical = records(&out2).iter().any(|r| {
        r["findings"]
            .as_array()
            .is_some_and(|fs| fs.iter().any(|f| f["severity"] == "critical"))
    });
    assert_eq!(
        result.status.code(),
        Some(i32::from(has_critical)),
        "{result:?}"
    );

    // The results file is never overwritten by accident.
    let again = run(&[
        "batch".as_ref(),
        input.join("nested").as_os_str(),
        "--out".as_ref(),
        out2.as_os_str(),
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--resume"));
}

/// Distinct small inputs (each a different sha256): bad files plus the small real apps.
fn small_inputs(dir: &Path, bad_copies: usize) -> usize {
    fs::create_dir_all(dir).expect("dir");
    let mut n = 0;
    for i in 0..bad_copies {
        fs::write(
            dir.join(format!("bad-{i:03}.apk")),
            format!("not a zip #{i}"),
        )
        .expect("bad");
        n += 1;
    }
    for name in ["demo.apk", "demo.ipa"] {
        link(
            &support::repo_file(&format!("samples/{name}")),
            &dir.join(name),
        );
        n += 1;
    }
    n
}

#[test]
fn resume_after_a_kill_finishes_without_duplicates() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    let total = small_inputs(&input, 20);
    // The last input (a FIFO is 0 bytes, and the largest go first) is a FIFO whose writer this
    // test holds open without writing: the first run blocks on it after every other record,
    // whatever the machine's speed, so the kill always lands mid-batch.
    let fifo = input.join("zz-wait.apk");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success(), "mkfifo");
    let writer = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&fifo)
        .expect("hold the FIFO open");
    let mut names: Vec<String> = fs::read_dir(&input)
        .expect("inputs")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let list = tmp.path().join("in.txt");
    let lines: Vec<String> = names.iter().map(|n| format!("in/{n}")).collect();
    fs::write(&list, lines.join("\n")).expect("list");
    let total = total + 1;
    let out = tmp.path().join("results.jsonl");
    let mut child = disclose()
        .args([
            "batch".as_ref(),
            list.as_os_str(),
            "--jobs".as_ref(),
            "1".as_ref(),
        ])
        .args(["--out".as_ref(), out.as_os_str()])
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    while fs::read_to_string(&out).map_or(0, |s| s.lines().count()) < total - 1 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "records before the FIFO were not written"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("kill");
    child.wait().expect("wait");
    drop(writer);
    let before = fs::read_to_string(&out).expect("partial results");
    assert_eq!(before.lines().count(), total - 1, "blocked on the FIFO");
    // A write cut short by the kill: --resume must cut it away.
    fs::OpenOptions::new()
        .append(true)
        .open(&out)
        .and_then(|mut f| f.write_all(b"{\"schema\":\"disclose.sc"))
        .expect("append partial line");

    // Without a writer the FIFO reads as empty: an error record, no hang.
    let result = run(&[
        "batch".as_ref(),
        list.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--resume".as_ref(),
    ]);
    assert!(result.status.code().is_some_and(|c| c <= 1), "{result:?}");
    let recs = records(&out);
    let files: BTreeSet<String> = recs.iter().map(file_of).collect();
    assert_eq!(files.len(), recs.len(), "no duplicates");
    assert_eq!(recs.len(), total, "every input once");
    assert!(fs::read_to_string(&out)
        .expect("results")
        .starts_with(&before));
}

#[test]
fn shards_as_separate_processes_cover_every_input_once() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    let total = small_inputs(&input, 30);
    for n in [1usize, 3, 7] {
        let outs: Vec<PathBuf> = (0..n)
            .map(|k| tmp.path().join(format!("shard-{k}-of-{n}.jsonl")))
            .collect();
        let children: Vec<_> = outs
            .iter()
            .enumerate()
            .map(|(k, out)| {
                disclose()
                    .args([
                        "batch".as_ref(),
                        input.as_os_str(),
                        "--out".as_ref(),
                        out.as_os_str(),
                    ])
                    .args(["--shard", &format!("{}/{n}", k + 1)])
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("spawn shard")
            })
            .collect();
        for mut c in children {
            assert!(c.wait().expect("wait").code().is_some_and(|c| c <= 1));
        }
        let mut seen = BTreeMap::new();
        for out in &outs {
            for rec in records(out) {
                *seen.entry(file_of(&rec)).or_insert(0) += 1;
            }
        }
        assert_eq!(seen.len(), total, "N = {n}: every input");
        assert!(seen.values().all(|&c| c == 1), "N = {n}: exactly once");

        let merged = tmp.path().join(format!("merged-{n}.jsonl"));
        let mut args: Vec<&std::ffi::OsStr> = vec!["merge".as_ref(), merged.as_os_str()];
        args.extend(outs.iter().map(|p| p.as_os_str()));
        assert_eq!(run(&args).status.code(), Some(0));
        assert_eq!(records(&merged).len(), total);
    }
    // A shard out of range is a usage error.
    let bad = run(&[
        "batch".as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        tmp.path().join("x.jsonl").as_os_str(),
        "--shard".as_ref(),
        "0/3".as_ref(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("1-based"),
        "{bad:?}"
    );
}

#[test]
fn merge_dedupes_by_sha256_and_drops_broken_lines() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a = tmp.path().join("a.jsonl");
    let b = tmp.path().join("b.jsonl");
    let err = r#"{"schema":"disclose.error/1","file":"x.apk","sha256":"11","error":"x.apk: time budget exceeded"}"#;
    let app = r#"{"schema":"disclose.inspect/1","app":{"file":"x.apk","sha256":"11"},"note":"no-policy"}"#;
    let other =
        r#"{"schema":"disclose.error/1","file":"y.apk","sha256":"22","error":"y.apk: bad"}"#;
    fs::write(&a, format!("{err}\n{other}\nnot json\n")).expect("a");
    fs::write(&b, format!("{app}\n{other}\n{{\"schema\":\"disc")).expect("b");
    let out = tmp.path().join("merged.jsonl");
    let result = run(&[
        "merge".as_ref(),
        out.as_os_str(),
        a.as_os_str(),
        b.as_os_str(),
    ]);
    assert_eq!(result.status.code(), Some(0), "{result:?}");
    let recs = records(&out);
    assert_eq!(recs.len(), 2, "{recs:?}");
    // The app record wins over the error record for the same input.
    assert!(recs.iter().any(|r| r["schema"] == "disclose.inspect/1"));
    assert!(recs.iter().all(|r| r["sha256"] != "11"));

    // A forgotten OUT (`merge a b`) must not replace a's records.
    let a_before = fs::read(&a).expect("a");
    let forgot = run(&["merge".as_ref(), a.as_os_str(), b.as_os_str()]);
    assert_eq!(forgot.status.code(), Some(2), "{forgot:?}");
    assert!(String::from_utf8_lossy(&forgot.stderr).contains("--force"));
    assert_eq!(fs::read(&a).expect("a"), a_before, "a untouched");
    let forced = run(&[
        "merge".as_ref(),
        out.as_os_str(),
        a.as_os_str(),
        "--force".as_ref(),
    ]);
    assert_eq!(forced.status.code(), Some(0), "{forced:?}");
    assert_eq!(records(&out).len(), 2);
    assert!(String::from_utf8_lossy(&forced.stderr)
        .contains("2 records written, 0 duplicates and 1 invalid line dropped"));

    // An input with nothing but invalid lines is an error, not "0 records written".
    let junk = tmp.path().join("junk.jsonl");
    fs::write(&junk, "not json\nstill not\n").expect("junk");
    let none = run(&[
        "merge".as_ref(),
        tmp.path().join("new.jsonl").as_os_str(),
        junk.as_os_str(),
    ]);
    assert_eq!(none.status.code(), Some(2), "{none:?}");
    assert!(String::from_utf8_lossy(&none.stderr).contains("junk.jsonl"));
}

#[test]
fn list_file_with_policy_column_and_time_budget() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let list = tmp.path().join("list.csv");
    let demo = support::repo_file("samples/demo.apk");
    let policy = support::repo_file("samples/demo-policy.zh.txt");
    let missing = tmp.path().join("missing.apk");
    fs::write(
        &list,
        format!(
            "path,policy\n{},{}\n\"{}\",\n",
            demo.display(),
            policy.display(),
            missing.display()
        ),
    )
    .expect("list");
    let out = tmp.path().join("r.jsonl");
    let result = run(&[
        "batch".as_ref(),
        list.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--fail-on".as_ref(),
        "info".as_ref(),
    ]);
    let recs = records(&out);
    assert_eq!(recs.len(), 2);
    let scan = recs
        .iter()
        .find(|r| r["schema"] == "disclose.scan/1")
        .expect("scan record");
    assert_eq!(scan["policy"]["file"], policy.display().to_string());
    let gone = recs
        .iter()
        .find(|r| r["schema"] == "disclose.error/1")
        .expect("error record");
    assert!(
        gone.get("sha256").is_none(),
        "an unreadable file has no sha256"
    );
    assert_eq!(result.status.code(), Some(1), "{result:?}");

    // A budget far below what the app needs: an error record naming the limit.
    let Some(big) = support::corpus_app("Yosemite.apk") else {
        return;
    };
    let out = tmp.path().join("t.jsonl");
    let result = run(&[
        "batch".as_ref(),
        big.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--timeout".as_ref(),
        "0.001".as_ref(),
    ]);
    assert_eq!(result.status.code(), Some(0), "{result:?}");
    let recs = records(&out);
    assert_eq!(recs.len(), 1);
    assert!(
        recs[0]["error"]
            .as_str()
            .unwrap_or("")
            .contains("time budget"),
        "{:?}",
        recs[0]
    );
}

#[test]
fn an_unwritable_results_file_ends_the_batch_and_resume_finishes_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    let total = small_inputs(&input, 40);
    let out = tmp.path().join("results.jsonl");
    // A 16 KiB file size limit (SIGXFSZ ignored, so the write fails with EFBIG as on a full
    // disk instead of killing the process): the batch fails after a few records.
    let limited = Command::new("sh")
        .args(["-c", "trap '' XFSZ; ulimit -f 32; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_disclose"))
        .args([
            "batch".as_ref(),
            input.as_os_str(),
            "--jobs".as_ref(),
            "1".as_ref(),
        ])
        .args(["--out".as_ref(), out.as_os_str()])
        .output()
        .expect("run with a file size limit");
    let err = String::from_utf8_lossy(&limited.stderr);
    assert_eq!(limited.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "one error line: {err}");
    assert!(err.contains("results.jsonl"), "{err}");
    let partial = fs::read_to_string(&out).expect("partial results");
    assert!(
        partial.is_empty() || partial.ends_with('\n'),
        "whole lines only"
    );
    let written = records(&out).len();
    assert!(
        written < total,
        "the limit stopped the batch ({written} of {total})"
    );

    let resumed = run(&[
        "batch".as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--resume".as_ref(),
    ]);
    assert!(resumed.status.code().is_some_and(|c| c <= 1), "{resumed:?}");
    let recs = records(&out);
    let files: BTreeSet<String> = recs.iter().map(file_of).collect();
    assert_eq!(recs.len(), total, "every input once");
    assert_eq!(files.len(), total, "no duplicates");

    // A full device: the first write fails, with one line naming it.
    let full = run(&[
        "batch".as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        "/dev/full".as_ref(),
    ]);
    let err = String::from_utf8_lossy(&full.stderr);
    assert_eq!(full.status.code(), Some(2), "{err}");
    assert!(err.contains("/dev/full"), "{err}");
}

#[test]
fn identical_inputs_get_one_record_with_or_without_resume() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).expect("dir");
    for name in ["a.apk", "b.apk", "c.apk"] {
        link(&support::repo_file("samples/demo.apk"), &input.join(name));
    }
    fs::write(input.join("bad.apk"), "not a zip").expect("bad");
    let fresh = tmp.path().join("fresh.jsonl");
    let first = run(&[
        "batch".as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        fresh.as_os_str(),
    ]);
    assert!(first.status.code().is_some_and(|c| c <= 1), "{first:?}");
    assert_eq!(records(&fresh).len(), 2, "one demo record and one error");
    let resumed = tmp.path().join("resumed.jsonl");
    fs::write(&resumed, "").expect("empty");
    let again = run(&[
        "batch".as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        resumed.as_os_str(),
        "--resume".as_ref(),
    ]);
    assert!(again.status.code().is_some_and(|c| c <= 1), "{again:?}");
    assert_eq!(records(&resumed).len(), 2);
    let line = String::from_utf8_lossy(&again.stderr);
    assert!(line.contains("2 records: 1 app ("), "plurals: {line}");
    assert!(line.contains("1 error;"), "plurals: {line}");
    for rec in records(&resumed) {
        assert_eq!(rec["tool"]["name"], "disclose", "{rec}");
        assert_eq!(
            rec["tool"]["signatures"]["hash"].as_str().map(str::len),
            Some(16)
        );
    }
}

#[test]
fn progress_rates_count_processed_inputs_only() {
    // Two inputs already have records; a resumed run processes only the third, and the rates
    // (files/s, MB/s) count that one input and its bytes, not the skipped ones.
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).expect("dir");
    link(
        &support::repo_file("samples/demo.apk"),
        &input.join("a.apk"),
    );
    link(
        &support::repo_file("samples/demo.ipa"),
        &input.join("b.ipa"),
    );
    let out = tmp.path().join("results.jsonl");
    let analyzer = std::sync::Arc::new(disclose::Analyzer::builtin().expect("analyzer"));
    let mut options = disclose::batch::BatchOptions::new(input.clone(), out.clone());
    options.jobs = 1;
    let first = disclose::batch::run(analyzer.clone(), &options, false).expect("first run");
    assert_eq!((first.processed, first.skipped), (2, 0));
    let third = support::repo_file("tests/fixtures/android-resources/aapt2.apk");
    link(&third, &input.join("c.apk"));
    options.resume = true;
    let resumed = disclose::batch::run(analyzer, &options, false).expect("resumed run");
    assert_eq!(
        resumed.skipped, 2,
        "the two inputs with records are skipped"
    );
    assert_eq!(
        resumed.processed, 1,
        "only the new input counts as processed"
    );
    let size = fs::metadata(&third).expect("size").len();
    assert_eq!(
        resumed.processed_bytes, size,
        "the rates count its bytes only"
    );
    assert_eq!(records(&out).len(), 3);
}
