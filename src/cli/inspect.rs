//! `disclose inspect APP`: what an app or SDK package holds, as text or JSON.
//!
//! Example: `disclose inspect libWeiboSDK.a --format json`, `disclose inspect base.apk
//! split_config.arm64_v8a.apk`.

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
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// `--format` of inspect and policy.
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
    let report = global.analyzer()?.inspect_splits(&args.app)?;
    Sink::open(args.out.as_deref())?.write_with(|w| {
        render_document(
            Document::Inspect(&report),
            args.format.into(),
            RenderOptions::default(),
            w,
        )
    })?;
    Ok(ExitCode::SUCCESS)
}
