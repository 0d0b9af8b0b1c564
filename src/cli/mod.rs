//! The subcommands of the `disclose` binary, one file each; this module holds what they share:
//! global options, exit codes, where a report goes, colour and the one-line error text. The
//! library does the work; these files parse options, call it and print.
//!
//! Example: `disclose scan app.apk --policy policy.html --format sarif --out disclose.sarif`
//! runs [`scan::run`].

pub mod batch;
pub mod completions;
pub mod draft;
pub mod inspect;
pub mod merge;
pub mod policy;
pub mod scan;
pub mod signatures;
pub mod version;

use clap::builder::TypedValueParser as _;
use disclose::compare::finding::Severity;
use disclose::Analyzer;
use disclose::Error;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Exit code: a finding at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: bad input (a file that cannot be read, is not an app, passes a limit) or usage.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code: a batch stopped before every input was done; `--resume` continues it.
pub const EXIT_BATCH_STOPPED: u8 = 3;

/// Exit codes and examples, after the options in `disclose --help`.
pub const AFTER_HELP: &str = "\
Exit codes:
  0  no finding at or above --fail-on (always, with --fail-on none)
  1  a finding at or above --fail-on (scan, batch)
  2  bad input or usage: one line on stderr names the file and the problem
  3  batch stopped early (files over the time budget); --resume continues it

Examples:
  disclose inspect app.apk
  disclose scan app.apk --policy privacy.html
  disclose scan app.ipa --policy privacy.txt --format sarif --out disclose.sarif
  disclose scan app.apk --policy privacy.html --fail-on none --format html --out report.html
  cat app.apk | disclose inspect - --format json
  disclose batch apps/ --policies policies/ --out results.jsonl --shard 1/4
  disclose completions bash > ~/.local/share/bash-completion/completions/disclose";

/// Options every subcommand takes.
#[derive(clap::Args)]
pub struct Global {
    /// Extend or override the built-in signatures with the files in DIR.
    #[arg(long, global = true, value_name = "DIR")]
    pub signatures: Option<PathBuf>,
    /// Colour the text output: auto (a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces
    /// it), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Dotted package prefix of the app's own code besides its applicationId and manifest
    /// components (repeatable; also `first_party = [...]` in disclose.toml).
    #[arg(long = "first-party", global = true, value_name = "PREFIX")]
    pub first_party: Vec<String>,
}

/// `--color`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl Global {
    /// The analyzer for these options' signatures and first-party prefixes.
    pub fn analyzer(&self) -> Result<Analyzer, Error> {
        self.analyzer_with_first_party(&[])
    }

    /// Like [`Global::analyzer`], with more first-party prefixes (from `disclose.toml`).
    pub fn analyzer_with_first_party(&self, more: &[String]) -> Result<Analyzer, Error> {
        let mut analyzer = match &self.signatures {
            Some(dir) => Analyzer::with_signatures_dir(dir),
            None => Analyzer::builtin(),
        }?;
        analyzer.first_party = self.first_party.iter().chain(more).cloned().collect();
        Ok(analyzer)
    }

    /// Whether text written to standard output (`to_stdout`) or a file gets ANSI colours.
    pub fn color(&self, to_stdout: bool) -> bool {
        let env = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if env("NO_COLOR") => false,
            ColorChoice::Auto if env("CLICOLOR_FORCE") => true,
            ColorChoice::Auto => to_stdout && std::io::stdout().is_terminal(),
        }
    }
}

/// `--fail-on`: a severity, or `none` for report-only runs.
#[derive(Clone, Copy, Debug)]
pub struct FailOn(pub Option<Severity>);

/// `--fail-on` values, listed in usage errors and `--help`.
pub fn fail_on_parser() -> impl clap::builder::TypedValueParser<Value = FailOn> {
    clap::builder::PossibleValuesParser::new(["critical", "high", "medium", "low", "info", "none"])
        .map(|s| FailOn(s.parse::<Severity>().ok()))
}

/// Where a report goes: a file, or standard output.
pub struct Sink {
    name: PathBuf,
    out: Box<dyn Write>,
}

impl Sink {
    /// `out`, or standard output when `None`.
    pub fn open(out: Option<&Path>) -> Result<Sink, Error> {
        Ok(match out {
            Some(p) => Sink {
                name: p.to_path_buf(),
                out: Box::new(std::io::BufWriter::new(
                    std::fs::File::create(p).map_err(|e| Error::io(p, e))?,
                )),
            },
            None => Sink {
                name: PathBuf::from("standard output"),
                out: Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            },
        })
    }

    /// Run `write` on the sink and flush it; errors name the file.
    pub fn write_with(
        mut self,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Error> {
        write(&mut self.out)
            .and_then(|()| self.out.flush())
            .map_err(|e| Error::io(&self.name, e))
    }
}

/// An error as one line (messages from data files may hold newlines).
pub fn one_line(e: &Error) -> String {
    e.to_string().replace(['\n', '\r'], " ")
}

/// Whether `e` is a write to a closed pipe.
pub fn is_broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
}

/// The exit code for a report: 1 when a finding reached `--fail-on`.
pub fn exit_for(failed: bool) -> std::process::ExitCode {
    if failed {
        std::process::ExitCode::from(EXIT_FINDINGS)
    } else {
        std::process::ExitCode::SUCCESS
    }
}
