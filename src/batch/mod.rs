//! `disclose batch`: many apps in one run, as fast as the disk and cores allow, with bounded
//! memory, one JSONL record per input flushed as it finishes, `--resume` after a crash, and
//! `--shard K/N` so a cluster scheduler can split the work (see `docs/batch.md`).
//!
//! How the work is bounded:
//! - at most `jobs` apps in flight: a dispatch pool of `jobs` threads each waits for one app,
//!   which runs in a separate work pool of `jobs` threads (the library's own `rayon::join`s run
//!   there too, so `--jobs 1` is truly one core);
//! - at most [`BatchOptions::max_bytes_in_flight`] bytes of input files at once
//!   ([`throttle::ByteBudget`]); the archive limits bound each app's inflated bytes;
//! - a time budget per file: when it passes, an error record names the limit and the dispatcher
//!   moves on. The app's work cannot be cancelled and keeps running as a "straggler"; at most
//!   `max(jobs, 2)` stragglers may exist: past that the batch stops starting new files and
//!   reports itself incomplete ([`BatchOutcome::stopped`]); `--resume` continues it.
//!
//! ```no_run
//! use disclose::batch::{run, BatchOptions};
//! let analyzer = std::sync::Arc::new(disclose::Analyzer::builtin()?);
//! let options = BatchOptions::new("apps/".into(), "results.jsonl".into());
//! let outcome = run(analyzer, &options, false)?;
//! println!("{} errors", outcome.tally.errors());
//! # Ok::<(), disclose::Error>(())
//! ```

pub mod dashboard;
pub mod inputs;
pub mod output;
pub mod summary;
pub mod throttle;

use crate::archive::sha256_file;
use crate::compare::finding::Severity;
use crate::declared::DataSafetyForm;
use crate::error::ErrorKind;
use crate::pipeline::Analyzer;
use crate::pipeline::{read_policies, scan_inspected, ScanOptions};
use crate::Error;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use inputs::{Input, Shard};
use output::{error_record, record_sha256, JsonlWriter};
use serde_json::Value;
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};
use summary::Tally;

/// The `note` of an inspect record written for an app without a policy.
pub const NO_POLICY: &str = "no-policy";

/// How to run a batch.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// A directory, one app, or a list file (paths, or CSV `path,policy`).
    pub input: PathBuf,
    /// The JSONL results file.
    pub out: PathBuf,
    /// `DIR/<package or bundle id>.{txt,html,md}`.
    pub policies: Option<PathBuf>,
    /// `DIR/<package id>.csv`: Play Data safety exports, checked with apps that have a policy.
    pub data_safety: Option<PathBuf>,
    pub resume: bool,
    pub shard: Option<Shard>,
    /// Apps in flight (and work threads); 0 = the number of cores.
    pub jobs: usize,
    /// Most bytes of input files processed at once (a larger file runs alone).
    pub max_bytes_in_flight: u64,
    /// Time budget per file.
    pub timeout: Duration,
    /// Findings at or above this make an app "failed"; `None` reports only.
    pub fail_on: Option<Severity>,
}

impl BatchOptions {
    /// Defaults: all cores, 256 MiB of input files at once, 300 s per file, fail on high.
    pub fn new(input: PathBuf, out: PathBuf) -> Self {
        BatchOptions {
            input,
            out,
            policies: None,
            data_safety: None,
            resume: false,
            shard: None,
            jobs: 0,
            max_bytes_in_flight: 256 << 20,
            timeout: Duration::from_secs(300),
            fail_on: Some(Severity::High),
        }
    }
}

/// What a batch did.
#[derive(Debug)]
pub struct BatchOutcome {
    /// Every record in the results file (including those read back by `--resume`).
    pub tally: Tally,
    /// Inputs of this shard.
    pub inputs: usize,
    /// Inputs skipped because the results file already had their sha256 (from an earlier run
    /// or an identical input earlier in this one).
    pub skipped: usize,
    /// Why the batch stopped before every input was done (too many stragglers).
    pub stopped: Option<String>,
    /// Inputs processed in this run and their bytes: what the progress rates (files/s, MB/s)
    /// count. Skipped inputs are in neither.
    pub processed: usize,
    pub processed_bytes: u64,
}

/// Run the batch. Errors are usage errors or an unwritable results file; a bad input file is a
/// record, never an error.
pub fn run(
    analyzer: Arc<Analyzer>,
    options: &BatchOptions,
    progress: bool,
) -> Result<BatchOutcome, Error> {
    let mut inputs = inputs::collect(&options.input)?;
    if let Some(shard) = options.shard {
        inputs.retain(|i| shard.contains(&i.key));
    }
    let mut tally = Tally::new(options.fail_on);
    let mut done: HashSet<String> = HashSet::new();
    let file = if options.resume {
        output::open_resume(&options.out, |rec| {
            if let Some(rec) = rec {
                if let Some(sha) = record_sha256(&rec) {
                    done.insert(sha.to_string());
                }
                tally.add(&rec);
            }
        })?
    } else {
        output::create_fresh(&options.out)?
    };
    let jobs = if options.jobs == 0 {
        std::thread::available_parallelism().map_or(1, usize::from)
    } else {
        options.jobs
    };
    let pool = |name: &'static str| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .thread_name(move |i| format!("disclose-{name}-{i}"))
            .build()
            .map_err(|e| Error::Usage(format!("cannot start {jobs} threads: {e}")))
    };
    let tool = crate::version::ToolInfo::new(analyzer.data_version.clone());
    let tool = serde_json::to_value(tool).unwrap_or(Value::Null);
    let batch = Batch {
        analyzer,
        options,
        work: pool("work")?,
        budget: throttle::ByteBudget::new(options.max_bytes_in_flight),
        writer: JsonlWriter::new(file),
        tally: Mutex::new(tally),
        written: Mutex::new(done.clone()),
        done,
        stragglers: Arc::new(AtomicUsize::new(0)),
        max_stragglers: jobs.max(2),
        stop: AtomicBool::new(false),
        stopped: Mutex::new(None),
        write_error: Mutex::new(None),
        skipped: AtomicUsize::new(0),
        processed: AtomicUsize::new(0),
        bytes: AtomicU64::new(0),
        errors: AtomicUsize::new(0),
        started: Instant::now(),
        bar: progress_bar(progress, inputs.len()),
        tool,
    };
    // Largest inputs first, handed out one at a time from a shared cursor: a big app that
    // starts last would otherwise run alone at the end while the other workers idle.
    let mut order: Vec<(u64, usize)> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| (std::fs::metadata(&input.path).map_or(0, |m| m.len()), i))
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let cursor = AtomicUsize::new(0);
    pool("dispatch")?.install(|| {
        rayon::broadcast(|_| loop {
            let next = cursor.fetch_add(1, Ordering::Relaxed);
            let Some(input) = order.get(next).and_then(|&(_, i)| inputs.get(i)) else {
                break;
            };
            batch.dispatch(input);
        })
    });
    batch.bar.finish_and_clear();
    if let Some(e) = batch
        .write_error
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
    {
        return Err(Error::io(&options.out, e));
    }
    Ok(BatchOutcome {
        tally: batch
            .tally
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner),
        inputs: inputs.len(),
        skipped: batch.skipped.into_inner(),
        processed: batch.processed.into_inner(),
        processed_bytes: batch.bytes.into_inner(),
        stopped: batch
            .stopped
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner),
    })
}

fn progress_bar(visible: bool, len: usize) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} [{bar:30}] {pos}/{len} files, {msg}, ETA {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    // The rates replace this when the first input finishes or is skipped; until then the
    // first frame would read "0/2 files, , ETA".
    bar.set_message("starting");
    bar
}

/// The shared state of one run.
struct Batch<'a> {
    analyzer: Arc<Analyzer>,
    options: &'a BatchOptions,
    work: rayon::ThreadPool,
    budget: throttle::ByteBudget,
    writer: JsonlWriter,
    tally: Mutex<Tally>,
    done: HashSet<String>,
    stragglers: Arc<AtomicUsize>,
    max_stragglers: usize,
    stop: AtomicBool,
    stopped: Mutex<Option<String>>,
    write_error: Mutex<Option<std::io::Error>>,
    skipped: AtomicUsize,
    /// Inputs processed (not skipped), for the files/s rate.
    processed: AtomicUsize,
    /// The sha256 of every record in the results file: one record per input content.
    written: Mutex<HashSet<String>>,
    bytes: AtomicU64,
    errors: AtomicUsize,
    started: Instant,
    bar: ProgressBar,
    /// The `tool` field every record carries (tool and signature data versions).
    tool: Value,
}

/// Where a worker leaves its record for the dispatcher waiting on it.
enum Slot {
    Waiting,
    Done(Value),
    /// The dispatcher gave up (time budget); the worker is a straggler.
    Abandoned,
}

impl Batch<'_> {
    /// Process one input and write its record (runs on a dispatch thread).
    fn dispatch(&self, input: &Input) {
        if self.stop.load(Ordering::Relaxed) {
            return;
        }
        let running = self.stragglers.load(Ordering::Relaxed);
        if running >= self.max_stragglers {
            self.stop.store(true, Ordering::Relaxed);
            let mut stopped = self.stopped.lock().unwrap_or_else(PoisonError::into_inner);
            stopped.get_or_insert_with(|| format!(
                "stopped early: {running} files passed the time budget and are still being processed; rerun with --resume to continue"
            ));
            return;
        }
        let size = std::fs::metadata(&input.path).map_or(0, |m| m.len());
        let _permit = self.budget.acquire(size);
        if !self.done.is_empty() {
            if let Some(sha) = input_sha256(input) {
                if self.done.contains(&sha) {
                    self.skip();
                    return;
                }
            }
        }
        let mut record = self.process_with_budget(input);
        if let Some(fields) = record.as_object_mut() {
            fields.entry("tool").or_insert_with(|| self.tool.clone());
        }
        // One record per sha256, as `--resume` does: a copy of an input already written in
        // this run is skipped too (whichever copy finishes first is recorded).
        if let Some(sha) = record_sha256(&record) {
            let mut written = self.written.lock().unwrap_or_else(PoisonError::into_inner);
            if !written.insert(sha.to_string()) {
                drop(written);
                self.skip();
                return;
            }
        }
        if let Err(e) = self.writer.write(&record) {
            self.stop.store(true, Ordering::Relaxed);
            let mut slot = self
                .write_error
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            slot.get_or_insert(e);
            return;
        }
        if record.get("schema").and_then(Value::as_str) == Some(output::ERROR_SCHEMA) {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        self.tally
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .add(&record);
        let bytes = self.bytes.fetch_add(size, Ordering::Relaxed) + size;
        let files = self.processed.fetch_add(1, Ordering::Relaxed) + 1;
        self.bar.inc(1);
        self.show_rates(bytes, files);
    }

    /// An input left out (its sha256 already has a record): it leaves the bar's length and
    /// the rates, which count processed inputs only.
    fn skip(&self) {
        self.skipped.fetch_add(1, Ordering::Relaxed);
        self.bar.dec_length(1);
        let bytes = self.bytes.load(Ordering::Relaxed);
        self.show_rates(bytes, self.processed.load(Ordering::Relaxed));
    }

    fn show_rates(&self, bytes: u64, files: usize) {
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let skipped = self.skipped.load(Ordering::Relaxed);
        let mut message = format!(
            "{:.1} files/s, {:.1} MB/s, {}",
            files as f64 / secs,
            bytes as f64 / secs / 1e6,
            crate::report::counted(self.errors.load(Ordering::Relaxed), "error")
        );
        if skipped > 0 {
            message.push_str(&format!(", {skipped} skipped"));
        }
        self.bar.set_message(message);
    }

    /// Run [`process_one`] on the work pool and wait for it at most the time budget.
    fn process_with_budget(&self, input: &Input) -> Value {
        let slot = Arc::new((Mutex::new(Slot::Waiting), Condvar::new()));
        let worker_slot = Arc::clone(&slot);
        let analyzer = Arc::clone(&self.analyzer);
        let stragglers = Arc::clone(&self.stragglers);
        let input_owned = input.clone();
        let policies = self.options.policies.clone();
        let data_safety = self.options.data_safety.clone();
        let fail_on = self.options.fail_on;
        self.work.spawn(move || {
            // The one place the crate catches a panic. The library never panics on input by
            // design, but a batch of ten thousand apps must not lose every later record to one
            // bug; and a panic in a rayon `spawn` would abort the whole process. So a panic here
            // becomes this file's error record and the batch goes on.
            let record = catch_unwind(AssertUnwindSafe(|| {
                let dirs = LookupDirs {
                    policies: policies.as_deref(),
                    data_safety: data_safety.as_deref(),
                };
                process_one(&analyzer, &input_owned, dirs, fail_on)
            }))
            .unwrap_or_else(|payload| {
                let what = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                let message = format!(
                    "{}: internal error (panic: {}); please report it",
                    input_owned.path.display(),
                    what.replace('\n', " ")
                );
                error_record(
                    &input_owned.path,
                    input_sha256(&input_owned),
                    ErrorKind::Internal,
                    &message,
                )
            });
            let (lock, ready) = &*worker_slot;
            let mut state = lock.lock().unwrap_or_else(PoisonError::into_inner);
            if matches!(*state, Slot::Abandoned) {
                stragglers.fetch_sub(1, Ordering::Relaxed);
            } else {
                *state = Slot::Done(record);
                ready.notify_one();
            }
        });
        let (lock, ready) = &*slot;
        let state = lock.lock().unwrap_or_else(PoisonError::into_inner);
        let (mut state, _) = ready
            .wait_timeout_while(state, self.options.timeout, |s| matches!(s, Slot::Waiting))
            .unwrap_or_else(PoisonError::into_inner);
        match std::mem::replace(&mut *state, Slot::Abandoned) {
            Slot::Done(record) => record,
            Slot::Waiting | Slot::Abandoned => {
                self.stragglers.fetch_add(1, Ordering::Relaxed);
                drop(state);
                let message = format!(
                    "{}: time budget exceeded: still running after {} s (--timeout)",
                    input.path.display(),
                    self.options.timeout.as_secs_f64()
                );
                error_record(
                    &input.path,
                    input_sha256(input),
                    ErrorKind::LimitExceeded,
                    &message,
                )
            }
        }
    }
}

/// Where [`process_one`] looks for an app's policy and Data safety form, by its id.
#[derive(Debug, Clone, Copy, Default)]
pub struct LookupDirs<'a> {
    /// `DIR/<id>/` or `DIR/<id>.{txt,html,md}` ([`find_policy`]).
    pub policies: Option<&'a Path>,
    /// `DIR/<id>.csv` ([`find_data_safety`]).
    pub data_safety: Option<&'a Path>,
}

/// The record for one input: a scan when it has a policy (checked against its Data safety
/// form too when `dirs` finds one), an inspect record with the `no-policy` note when not, an
/// error record when the app, its policy or its form cannot be read.
pub fn process_one(
    analyzer: &Analyzer,
    input: &Input,
    dirs: LookupDirs<'_>,
    fail_on: Option<Severity>,
) -> Value {
    let policies = dirs.policies;
    let inspected = if input.splits.is_empty() {
        analyzer.inspect(&input.path)
    } else {
        analyzer.inspect_splits(&input.files())
    };
    let report = match inspected {
        Ok(r) => r,
        Err(e) => {
            let sha = input_sha256(input);
            return error_record(&input.path, sha, e.kind(), &e.to_string());
        }
    };
    let sha = report.app.sha256.clone();
    let policy = input.policy.clone().or_else(|| {
        let dir = policies?;
        find_policy(dir, report.app.id.as_deref()?)
    });
    let policy = policy.map(|p| vec![p]);
    let value = match policy {
        None => serde_json::to_value(&report).map(|mut v| {
            if let Some(obj) = v.as_object_mut() {
                obj.insert("note".into(), NO_POLICY.into());
            }
            v
        }),
        Some(p) => match read_policies(analyzer, &p) {
            Ok((declared, info)) => {
                let form = dirs
                    .data_safety
                    .zip(report.app.id.as_deref())
                    .and_then(|(dir, id)| find_data_safety(dir, id))
                    .map(|path| DataSafetyForm::read(&path, &analyzer.set.data_safety))
                    .transpose();
                let data_safety = match form {
                    Ok(form) => form,
                    Err(e) => {
                        return error_record(&input.path, Some(sha), e.kind(), &e.to_string())
                    }
                };
                let options = ScanOptions {
                    fail_on,
                    data_safety,
                    ..ScanOptions::default()
                };
                let outcome = scan_inspected(analyzer, report, &declared, info, &options);
                serde_json::to_value(&outcome.report)
            }
            Err(e) => return error_record(&input.path, Some(sha), e.kind(), &e.to_string()),
        },
    };
    value.unwrap_or_else(|e| {
        let message = format!("{}: cannot serialise the record: {e}", input.path.display());
        error_record(&input.path, Some(sha), ErrorKind::Internal, &message)
    })
}

/// The sha256 of a regular input file (of a set of split files, the set's: see
/// [`crate::archive::sha256_of_split_files`]); `None` for a stream (a FIFO can be read only
/// once, and opening one without a writer would wait forever) or an unreadable file.
fn input_sha256(input: &Input) -> Option<String> {
    if !input.splits.is_empty() {
        return crate::archive::sha256_of_split_files(&input.files()).ok();
    }
    let path = &input.path;
    match crate::input::kind(path) {
        Ok(crate::input::InputKind::Regular) => sha256_file(path).ok(),
        _ => None,
    }
}

/// `DIR/<id>.csv`, the app's Play Data safety export, when it exists; ids with path
/// characters never match.
pub fn find_data_safety(dir: &Path, id: &str) -> Option<PathBuf> {
    let safe = !id.is_empty()
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    let path = dir.join(format!("{id}.csv"));
    (safe && path.is_file()).then_some(path)
}

/// `DIR/<id>/` (a folder per app: policy, SDK-list page, appendices, all read as one), else
/// `DIR/<id>.txt`, `.html` or `.md`, the first that exists; ids with path characters never
/// match.
pub fn find_policy(dir: &Path, id: &str) -> Option<PathBuf> {
    let safe = !id.is_empty()
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if !safe {
        return None;
    }
    let folder = dir.join(id);
    if folder.is_dir() {
        return Some(folder);
    }
    ["txt", "html", "md"]
        .iter()
        .map(|ext| dir.join(format!("{id}.{ext}")))
        .find(|p| p.is_file())
}
