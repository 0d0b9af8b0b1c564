//! The `disclose` command line: parses arguments, calls the library, prints. Exit codes: 0 no
//! finding at or above `--fail-on`, 1 findings at or above it, 2 bad input or usage.

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use disclose::inspect::Analyzer;
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

fn analyzer(signatures: Option<&Path>) -> Result<Analyzer, disclose::Error> {
    match signatures {
        Some(dir) => Analyzer::with_signatures_dir(dir),
        None => Analyzer::builtin(),
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let sigs = cli.signatures.as_deref();
    match cli.command {
        Command::Inspect { app, format, out } => {
            let report = analyzer(sigs)?.inspect(&app)?;
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

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let _ = std::io::stdout().is_terminal();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let msg = format!("{e:#}").replace('\n', " ");
            eprintln!("disclose: {msg}");
            ExitCode::from(2)
        }
    }
}
