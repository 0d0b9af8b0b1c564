//! `disclose inspect APP`: what an app or SDK package holds, as text, JSON or an HTML report
//! (the report of an app that has no policy to compare with).
//!
//! Example: `disclose inspect libWeiboSDK.a --format json`, `disclose inspect base.apk
//! split_config.arm64_v8a.apk`, `disclose inspect app.ipa --format html --out app.html`.

use super::{Global, Sink};
use disclose::report::{render_document, Document, RenderOptions, ReportFormat};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// APK, XAPK/APKS, AAB, IPA, or a vendor SDK package; `-` reads standard input. Several
    /// split APKs of one app (`base.apk split_config.arm64_v8a.apk …`) are read as one app.
    #[arg(required = true)]
    app: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = InspectFormat::Text)]
    format: InspectFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// `--format` of inspect: `html` is a self-contained report (app name and icon, SDKs, data the
/// code reaches, permissions) for an app without a policy.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum InspectFormat {
    Text,
    Json,
    Html,
}

/// `--format` of policy.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

impl From<TextOrJson> for ReportFormat {
    fn from(f: TextOrJson) -> Self {
        match f {
            TextOrJson::Text => ReportFormat::Text,
            TextOrJson::Json => ReportFormat::Json,
        }
    }
}

pub fn run(global: &Global, args: Args) -> Result<ExitCode, disclose::Error> {
    let analyzer = global.analyzer()?;
    let report = analyzer.inspect_splits(&args.app)?;
    let format = match args.format {
        InspectFormat::Html => ReportFormat::Html,
        InspectFormat::Text => ReportFormat::Text,
        InspectFormat::Json => ReportFormat::Json,
    };
    let document = Document::Inspect {
        report: &report,
        taxonomy: &analyzer.set.taxonomy,
    };
    Sink::open(args.out.as_deref())?
        .write_with(|w| render_document(document, format, RenderOptions::default(), w))?;
    Ok(ExitCode::SUCCESS)
}
