//! `disclose draft APP`: what the app should declare — the third-party SDK list and the app's
//! own collection — drafted from the evidence of an inspection (no policy needed).
//!
//! Example: `disclose draft app.apk --lang zh --format md -o sdk-list.md`.

use super::{Global, Sink};
use disclose::draft::wording::Lang;
use disclose::draft::{build, render, DraftFormat, DraftOptions, DraftSection};
use std::path::PathBuf;
use std::process::ExitCode;

/// Examples after the options in `disclose draft --help`.
const AFTER_HELP: &str = "\
Every draft says at the top that a human must review it; data marked \"vendor documents\" was
not observed in the app's code. The data-safety and privacy-manifest sections are not available
in this build.

Examples:
  disclose draft app.apk                                  the SDK list in Chinese, as Markdown
  disclose draft app.apk --lang en --format html -o draft.html
  disclose draft app.ipa --format csv --section sdk-list -o sdk-list.csv
  disclose draft app.apk --format json";

#[derive(clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// APK, XAPK/APKS or IPA; `-` reads standard input.
    app: PathBuf,
    /// Language of the draft.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
    #[arg(long, value_enum, default_value_t = FormatArg::Md)]
    format: FormatArg,
    /// Sections to write, in order (repeatable). Default: sdk-list and app-collection
    /// (with --format csv: sdk-list).
    #[arg(long, value_enum, value_name = "SECTION")]
    section: Vec<SectionArg>,
    /// Write the draft to FILE instead of standard output.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LangArg {
    Zh,
    En,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Md,
    Html,
    Csv,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SectionArg {
    SdkList,
    AppCollection,
    DataSafety,
    PrivacyManifest,
}

impl From<SectionArg> for DraftSection {
    fn from(s: SectionArg) -> Self {
        match s {
            SectionArg::SdkList => DraftSection::SdkList,
            SectionArg::AppCollection => DraftSection::AppCollection,
            SectionArg::DataSafety => DraftSection::DataSafety,
            SectionArg::PrivacyManifest => DraftSection::PrivacyManifest,
        }
    }
}

pub fn run(global: &Global, args: Args) -> Result<ExitCode, disclose::Error> {
    let format = match args.format {
        FormatArg::Md => DraftFormat::Md,
        FormatArg::Html => DraftFormat::Html,
        FormatArg::Csv => DraftFormat::Csv,
        FormatArg::Json => DraftFormat::Json,
    };
    let mut sections: Vec<DraftSection> = args.section.into_iter().map(Into::into).collect();
    if sections.is_empty() && format == DraftFormat::Csv {
        sections.push(DraftSection::SdkList);
    }
    let options = DraftOptions {
        lang: match args.lang {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        },
        sections,
    };
    let analyzer = global.analyzer()?;
    // Unavailable sections and option clashes fail before the app is read.
    let checked = disclose::draft::sections(&options)?;
    if format == DraftFormat::Csv && checked.len() != 1 {
        let asked: Vec<&str> = checked.iter().map(|s| s.as_str()).collect();
        return Err(disclose::draft::DraftError::CsvNeedsOneSection(asked.join(", ")).into());
    }
    let app = analyzer.inspect(&args.app)?;
    let draft = build(&analyzer, &app, &options)?;
    let mut text = Vec::new();
    render(&draft, &analyzer, format, &mut text)?;
    Sink::open(args.out.as_deref())?.write_with(|w| w.write_all(&text))?;
    Ok(ExitCode::SUCCESS)
}
