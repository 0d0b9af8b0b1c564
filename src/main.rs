//! The `disclose` command line: parses arguments, calls the library, prints. Exit codes: 0 no
//! finding at or above `--fail-on`, 1 findings at or above it, 2 bad input or usage, 3 a batch
//! stopped early (too many files over the time budget; `--resume` continues it).

use anyhow::Context;

/// mimalloc instead of the system allocator: reading a vendor static library makes tens of
/// thousands of short-lived lists on two threads, and glibc's malloc was a third of that time
/// (benches/macho.rs: FBSDKCoreKit parse 5.0 → 2.8 ms on two cores).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand, ValueEnum};
use disclose::compare::baseline::Baseline;
use disclose::compare::finding::Severity;
use disclose::compare::run::{read_policy_documents, scan_app_with_policies, ScanOptions};
use disclose::compare::suppress::Config;
use disclose::inspect::Analyzer;
use disclose::report::{render, RenderOptions, ReportFormat};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "disclose",
    version,
    about = "Find the personal data an Android or iOS app and its SDKs collect, and what its privacy policy does not disclose"
)]
struct Cli {
    /// Extend or override the built-in signatures with the files in DIR.
    #[arg(long, global = true, value_name = "DIR")]
    signatures: Option<PathBuf>,
    /// Dotted package prefix of the app's own code besides its applicationId and manifest
    /// components (repeatable; also `first_party = [...]` in disclose.toml).
    #[arg(long = "first-party", global = true, value_name = "PREFIX")]
    first_party: Vec<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// What an app or SDK package holds that matters for privacy (no policy needed).
    Inspect {
        /// APK, XAPK/APKS, IPA, or a vendor SDK package.
        app: PathBuf,
        #[arg(long, value_enum, default_value_t = InspectFormat::Text)]
        format: InspectFormat,
        /// Write the report to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Compare an app with its privacy policy and report every undisclosed collection.
    Scan {
        /// APK, XAPK/APKS or IPA.
        app: PathBuf,
        /// The privacy policy (text, HTML or Markdown; UTF-8, UTF-16 or GBK); repeat for an
        /// SDK-list page or appendix; a folder stands for its files.
        #[arg(long, value_name = "FILE", required = true)]
        policy: Vec<PathBuf>,
        /// Output format; text on a terminal is coloured.
        #[arg(long, default_value = "text", value_parser = parse_format)]
        format: ReportFormat,
        /// Write the report to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Exit 1 when a finding is at or above this severity (critical, high, medium, low, info).
        #[arg(long, default_value = "high", value_parser = parse_severity)]
        fail_on: Severity,
        /// Report only findings not in this earlier `--format json` report.
        #[arg(long, value_name = "FILE")]
        baseline: Option<PathBuf>,
        /// Also write this scan as a baseline (JSON) to FILE.
        #[arg(long, value_name = "FILE")]
        write_baseline: Option<PathBuf>,
        /// Suppressions (default: disclose.toml next to the app, if present).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// What a privacy policy declares: SDKs, data types, permissions, warnings.
    Policy {
        /// The policy (text, HTML or Markdown; UTF-8, UTF-16 or GBK); several files (policy,
        /// SDK-list page, appendix) are read as one.
        #[arg(required = true)]
        file: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = InspectFormat::Text)]
        format: InspectFormat,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Scan many apps (a directory, or a list file) into one JSONL file, one record per input.
    Batch {
        /// A directory (recursive: .apk .xapk .apks .ipa), one app, or a list file (one path
        /// per line, or CSV `path,policy` with an optional header).
        input: PathBuf,
        /// The JSONL results file (must be new or empty unless --resume).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Policies named `<package or bundle id>.{txt,html,md}`, or a folder `<id>/` holding
        /// several documents of one policy (policy, SDK-list page, appendix).
        #[arg(long, value_name = "DIR")]
        policies: Option<PathBuf>,
        /// Continue an interrupted run: skip inputs whose sha256 already has a record.
        #[arg(long)]
        resume: bool,
        /// Process only shard K of N (K is 0-based: 0 <= K < N), by a stable hash of the path.
        #[arg(long, value_name = "K/N")]
        shard: Option<disclose::batch::inputs::Shard>,
        /// Apps processed at once (default: the number of cores).
        #[arg(long, value_name = "N", default_value_t = 0)]
        jobs: usize,
        /// Also write the summary as JSON to FILE.
        #[arg(long, value_name = "FILE")]
        summary: Option<PathBuf>,
        /// Also write one CSV row per input to FILE.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// Exit 1 when an app has a finding at or above this severity.
        #[arg(long, default_value = "high", value_parser = parse_severity)]
        fail_on: Severity,
        /// Time budget per file in seconds; a file over it becomes an error record.
        #[arg(long, value_name = "SECS", default_value_t = 300.0)]
        timeout: f64,
    },
    /// Combine batch JSONL files into OUT: valid lines only, one record per input sha256.
    Merge {
        out: PathBuf,
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Work with the signature data (SDKs, packers, API rules, taxonomy).
    Signatures {
        #[command(subcommand)]
        action: SignaturesAction,
    },
}

#[derive(Subcommand)]
enum SignaturesAction {
    /// List every SDK and packer: id, category, country, name.
    List,
    /// Show one SDK or packer file as loaded.
    Show { id: String },
    /// Check the data strictly (schema, ids, taxonomy references, overlapping prefixes).
    Validate,
    /// Run every must-match / must-not-match example against the compiled matchers.
    Test,
}

fn parse_format(s: &str) -> Result<ReportFormat, String> {
    s.parse()
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

#[derive(Clone, Copy, ValueEnum)]
enum InspectFormat {
    Text,
    Json,
}

/// Where a report goes: a file, or standard output.
fn sink(out: Option<&Path>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("{}: cannot create", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

fn analyzer(
    signatures: Option<&Path>,
    first_party: &[String],
) -> Result<Analyzer, disclose::Error> {
    let mut a = match signatures {
        Some(dir) => Analyzer::with_signatures_dir(dir),
        None => Analyzer::builtin(),
    }?;
    a.first_party = first_party.to_vec();
    Ok(a)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let sigs = cli.signatures.as_deref();
    let mut first_party = cli.first_party;
    match cli.command {
        Command::Inspect { app, format, out } => {
            let report = analyzer(sigs, &first_party)?.inspect(&app)?;
            let mut w = sink(out.as_deref())?;
            match format {
                InspectFormat::Json => {
                    serde_json::to_writer_pretty(&mut w, &report)?;
                    writeln!(w)?;
                }
                InspectFormat::Text => disclose::report::inspect_text::write(&report, &mut w)?,
            }
            w.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Scan {
            app,
            policy,
            format,
            out,
            fail_on,
            baseline,
            write_baseline,
            config,
        } => {
            let config = match config {
                Some(p) => Some(Config::load(&p)?),
                None => {
                    let beside = app.with_file_name("disclose.toml");
                    if beside.is_file() {
                        Some(Config::load(&beside)?)
                    } else {
                        None
                    }
                }
            };
            let baseline = baseline.map(|p| Baseline::load(&p)).transpose()?;
            let options = ScanOptions {
                fail_on: Some(fail_on),
                baseline,
                config,
            };
            if let Some(c) = &options.config {
                first_party.extend(c.first_party.iter().cloned());
            }
            let outcome =
                scan_app_with_policies(&analyzer(sigs, &first_party)?, &app, &policy, &options)?;
            for note in &outcome.notes {
                eprintln!("disclose: note: {note}");
            }
            if let Some(path) = write_baseline {
                let mut w = sink(Some(&path))?;
                render(
                    &outcome.report,
                    ReportFormat::Json,
                    RenderOptions::default(),
                    &mut w,
                )?;
                w.flush()?;
            }
            let color = out.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none();
            let mut w = sink(out.as_deref())?;
            render(&outcome.report, format, RenderOptions { color }, &mut w)?;
            w.flush()?;
            Ok(if outcome.report.summary.failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Policy { file, format, out } => {
            let analyzer = analyzer(sigs, &first_party)?;
            let (docs, declared, info) = read_policy_documents(&analyzer, &file)?;
            let mut w = sink(out.as_deref())?;
            match format {
                InspectFormat::Json => {
                    let report = disclose::policy::PolicyReport::merged(&docs, declared);
                    serde_json::to_writer_pretty(&mut w, &report)?;
                    writeln!(w)?;
                }
                InspectFormat::Text => {
                    disclose::report::policy_text::write(&info, &declared, &mut w)?
                }
            }
            w.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Batch {
            input,
            out,
            policies,
            resume,
            shard,
            jobs,
            summary,
            csv,
            fail_on,
            timeout,
        } => {
            if !(timeout.is_finite() && timeout > 0.0) {
                return Err(disclose::Error::Usage(
                    "--timeout must be a positive number of seconds".into(),
                )
                .into());
            }
            let mut options = disclose::batch::BatchOptions::new(input, out);
            options.policies = policies;
            options.resume = resume;
            options.shard = shard;
            options.jobs = jobs;
            options.fail_on = fail_on;
            options.timeout = std::time::Duration::from_secs_f64(timeout);
            let terminal = std::io::stderr().is_terminal();
            let outcome = disclose::batch::run(
                std::sync::Arc::new(analyzer(sigs, &first_party)?),
                &options,
                terminal,
            )?;
            let report = outcome.tally.summary(20);
            if terminal {
                report.write_text(&mut std::io::stderr().lock())?;
            } else {
                eprintln!("{}", report.one_line());
            }
            if let Some(path) = summary {
                let mut w = sink(Some(&path))?;
                serde_json::to_writer_pretty(&mut w, &report)?;
                writeln!(w)?;
                w.flush()?;
            }
            if let Some(path) = csv {
                outcome.tally.write_csv(&mut sink(Some(&path))?)?;
            }
            if let Some(why) = outcome.stopped {
                eprintln!("disclose: {why}");
                return Ok(ExitCode::from(3));
            }
            Ok(if outcome.tally.failed() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Merge { out, inputs } => {
            let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
            let stats = disclose::batch::output::merge(&out, &inputs)?;
            eprintln!(
                "disclose merge: {} records written, {} duplicates and {} invalid lines dropped",
                stats.kept, stats.duplicates, stats.invalid
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Signatures { action } => signatures(sigs, action),
    }
}

fn signatures(dir: Option<&Path>, action: SignaturesAction) -> anyhow::Result<ExitCode> {
    use disclose::signatures::SignatureSet;
    let set = match dir {
        Some(d) => SignatureSet::from_dir(d),
        None => SignatureSet::builtin(),
    }
    .map_err(|e| disclose::Error::Signatures(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    match action {
        SignaturesAction::List => {
            for s in set.sdks.iter().chain(&set.packers) {
                writeln!(
                    out,
                    "{:<36} {:<12} {:<3} {}",
                    s.spec.id,
                    s.spec.category,
                    s.spec.country.as_deref().unwrap_or("-"),
                    s.spec.name
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        SignaturesAction::Show { id } => {
            let sdk = set
                .sdks
                .iter()
                .chain(&set.packers)
                .find(|s| s.spec.id == id)
                .ok_or_else(|| {
                    disclose::Error::Usage(format!("no SDK or packer with id '{id}'"))
                })?;
            writeln!(out, "# {}", sdk.origin)?;
            writeln!(out, "{:#?}", sdk.spec)?;
            Ok(ExitCode::SUCCESS)
        }
        SignaturesAction::Validate => {
            let problems = set.validate();
            for p in &problems {
                writeln!(out, "{p}")?;
            }
            writeln!(
                out,
                "{} SDKs, {} packers, {} Android API rules, {} iOS API rules, {} permissions, {} plist keys, {} data types: {} problems",
                set.sdks.len(),
                set.packers.len(),
                set.android_apis.len(),
                set.ios_apis.len(),
                set.android_permissions.len(),
                set.ios_plist_keys.len(),
                set.taxonomy.len(),
                problems.len()
            )?;
            Ok(if problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        SignaturesAction::Test => {
            let failures = disclose::signatures::run_examples(&set);
            for f in &failures {
                writeln!(out, "{f}")?;
            }
            writeln!(out, "examples: {} failed", failures.len())?;
            Ok(if failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

/// An error and its causes as one line, without repeating a cause the message already contains
/// (io errors are shown in their own Display) or a doubled `FILE: FILE:` prefix.
fn error_line(e: &anyhow::Error) -> String {
    let mut msg = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !msg.contains(&c) {
            msg.push_str(": ");
            msg.push_str(&c);
        }
    }
    if let Some((head, rest)) = msg.split_once(": ") {
        if rest.strip_prefix(head).is_some_and(|r| r.starts_with(": ")) {
            msg = rest.to_string();
        }
    }
    msg.replace(['\n', '\r'], " ")
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            // Usage errors are one line on stderr, like every other error (CI logs stay tidy).
            let text = e.render().to_string();
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            eprintln!(
                "disclose: {}",
                first.strip_prefix("error: ").unwrap_or(first)
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("disclose: {}", error_line(&e));
            ExitCode::from(2)
        }
    }
}
