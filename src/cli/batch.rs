//! `disclose batch INPUT --out results.jsonl`: many apps, one JSONL record each, with a summary
//! on stderr (and optionally as JSON and CSV files).
//!
//! Example: `disclose batch apps/ --policies policies/ --out results.jsonl --shard 2/4`.

use super::{fail_on_parser, FailOn, Global, Sink};
use disclose::batch::inputs::Shard;
use disclose::batch::{run as run_batch, BatchOptions};
use disclose::report::json::write_value;
use disclose::Error;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Args {
    /// A directory (recursive: .apk .xapk .apks .apkm .aab .ipa; a folder's base.apk and
    /// split_*.apk are one app), one app, or a list file (one path per line, or CSV
    /// `path,policy` with an optional header).
    input: PathBuf,
    /// The JSONL results file (must be new or empty unless --resume).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Policies named `<package or bundle id>.{txt,html,md}`.
    #[arg(long, value_name = "DIR")]
    policies: Option<PathBuf>,
    /// Play Data safety CSV exports named `<package id>.csv`, checked with apps that have a
    /// policy (as `scan --data-safety`).
    #[arg(long, value_name = "DIR")]
    data_safety: Option<PathBuf>,
    /// Continue an interrupted run: skip inputs whose sha256 already has a record.
    #[arg(long)]
    resume: bool,
    /// Process only shard K of N (1-based: 1 <= K <= N), by a stable hash of the path.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Apps processed at once (default: the number of cores).
    #[arg(long, value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Also write the summary as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    summary: Option<PathBuf>,
    /// Also write one CSV row per input to FILE.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Also write an HTML dashboard of the whole results file to FILE, with a report per
    /// scanned app in the folder FILE's name + `-reports` beside it.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Exit 1 when an app has a finding at or above this severity; `none` never does.
    #[arg(long, default_value = "high", value_parser = fail_on_parser())]
    fail_on: FailOn,
    /// Time budget per file in seconds; a file over it becomes an error record.
    #[arg(long, value_name = "SECS", default_value_t = 300.0)]
    timeout: f64,
}

pub fn run(global: &Global, args: Args) -> Result<ExitCode, Error> {
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return Err(Error::Usage(
            "--timeout must be a positive number of seconds".into(),
        ));
    }
    if let Some(dir) = args.data_safety.as_deref().filter(|d| !d.is_dir()) {
        return Err(Error::Usage(format!(
            "--data-safety {}: not a directory of <package id>.csv files",
            dir.display()
        )));
    }
    let results = args.out.clone();
    let mut options = BatchOptions::new(args.input, args.out);
    options.policies = args.policies;
    options.data_safety = args.data_safety;
    options.resume = args.resume;
    options.shard = args.shard;
    options.jobs = args.jobs;
    options.fail_on = args.fail_on.0;
    options.timeout = std::time::Duration::from_secs_f64(args.timeout);
    let terminal = std::io::stderr().is_terminal();
    let outcome = run_batch(Arc::new(global.analyzer()?), &options, terminal)?;
    let report = outcome.tally.summary(20);
    if terminal {
        let _ = report.write_text(&mut std::io::stderr().lock());
    } else {
        eprintln!("{}", report.one_line());
    }
    if let Some(path) = &args.summary {
        Sink::open(Some(path))?.write_with(|w| write_value(&report, w))?;
    }
    if let Some(path) = &args.csv {
        Sink::open(Some(path))?.write_with(|w| outcome.tally.write_csv(w))?;
    }
    if let Some(path) = &args.html {
        let stats = disclose::batch::dashboard::write_dashboard(&results, path)?;
        eprintln!(
            "disclose: dashboard {} ({} per-app reports in {})",
            path.display(),
            stats.reports,
            stats.reports_dir.display()
        );
    }
    if let Some(why) = outcome.stopped {
        eprintln!("disclose: {why}");
        return Ok(ExitCode::from(super::EXIT_BATCH_STOPPED));
    }
    Ok(super::exit_for(outcome.tally.failed()))
}
