//! `disclose scan APP --policy FILE...`: compare an app with its policy and print the report;
//! exit 1 when a finding reaches `--fail-on`.
//!
//! Example: `disclose scan app.apk --policy privacy.html --baseline last.json --format sarif`;
//! `--data-safety data_safety.csv` also checks the app against its Play Data safety form.

use super::{fail_on_parser, FailOn, Global, Sink};
use clap::builder::TypedValueParser as _;
use disclose::compare::baseline::Baseline;
use disclose::compare::suppress::Config;
use disclose::declared::DataSafetyForm;
use disclose::input::is_stdin;
use disclose::pipeline::{scan_splits_with_policies, ScanOptions};
use disclose::report::{render_document, Document, RenderOptions, ReportFormat};
use disclose::Error;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// APK, XAPK/APKS, AAB or IPA; `-` reads standard input. Several split APKs of one app
    /// (`base.apk split_config.arm64_v8a.apk …`) are read as one app.
    #[arg(required = true)]
    app: Vec<PathBuf>,
    /// The privacy policy (text, HTML or Markdown; UTF-8, UTF-16 or GBK); `-` reads standard
    /// input. Repeat for an SDK-list page or appendix; a folder stands for its files.
    #[arg(long, value_name = "FILE", required = true)]
    policy: Vec<PathBuf>,
    /// Output format; text on a terminal is coloured (see --color).
    #[arg(long, default_value = "text", value_parser = format_parser())]
    format: ReportFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this severity; `none` always exits 0.
    #[arg(long, default_value = "high", value_parser = fail_on_parser())]
    fail_on: FailOn,
    /// Hide findings already in this earlier `--format json` report of the same app (they are
    /// listed as `baselined`).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Also write this scan as a baseline (JSON) to FILE.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Suppressions (default: disclose.toml next to the app, if present).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Also check Google Play's Data safety form: the CSV Play Console exports
    /// (App content > Data safety > Export to CSV).
    #[arg(long, value_name = "FILE")]
    data_safety: Option<PathBuf>,
    /// Text format: print each finding's fix (the other formats always include it).
    #[arg(long, short = 'v')]
    verbose: bool,
}

/// `--format` for scan: the valid values are listed in usage errors and `--help`.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = ReportFormat> {
    clap::builder::PossibleValuesParser::new(ReportFormat::ALL.map(ReportFormat::name))
        .try_map(|s| s.parse::<ReportFormat>())
}

pub fn run(global: &Global, args: Args) -> Result<ExitCode, Error> {
    let stdin_reads = args.app.iter().filter(|p| is_stdin(p)).count()
        + args.policy.iter().filter(|p| is_stdin(p)).count();
    if stdin_reads > 1 {
        return Err(Error::Usage(
            "-: standard input can be read once: the app or one policy document".into(),
        ));
    }
    if args.data_safety.as_deref().is_some_and(is_stdin) && stdin_reads > 0 {
        return Err(Error::Usage(
            "-: standard input can be read once: the app, one policy document or the Data safety CSV".into(),
        ));
    }
    let mut options = ScanOptions {
        fail_on: args.fail_on.0,
        baseline: args.baseline.as_deref().map(Baseline::load).transpose()?,
        config: Config::for_app(args.config.as_deref(), first_app(&args.app)?)?,
        data_safety: None,
    };
    let first_party = options
        .config
        .as_ref()
        .map(|c| c.first_party.clone())
        .unwrap_or_default();
    let analyzer = global.analyzer_with_first_party(&first_party)?;
    if let Some(path) = &args.data_safety {
        options.data_safety = Some(DataSafetyForm::read(path, &analyzer.set.data_safety)?);
    }
    let outcome = scan_splits_with_policies(&analyzer, &args.app, &args.policy, &options)?;
    for note in &outcome.notes {
        eprintln!("disclose: note: {note}");
    }
    let document = Document::Scan(&outcome.report);
    if let Some(path) = &args.write_baseline {
        Sink::open(Some(path))?.write_with(|w| {
            render_document(document, ReportFormat::Json, RenderOptions::default(), w)
        })?;
    }
    let color = global.color(args.out.is_none());
    Sink::open(args.out.as_deref())?.write_with(|w| {
        let options = RenderOptions {
            color,
            verbose: args.verbose,
        };
        render_document(document, args.format, options, w)
    })?;
    Ok(super::exit_for(outcome.report.summary.failed))
}

/// The first app path (clap requires one; the config is looked up beside it).
fn first_app(apps: &[PathBuf]) -> Result<&std::path::Path, Error> {
    apps.first()
        .map(PathBuf::as_path)
        .ok_or_else(|| Error::Usage("an app to scan is required".into()))
}
