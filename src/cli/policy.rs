//! `disclose policy FILE...`: what a privacy policy declares, as text or JSON.
//!
//! Example: `disclose policy privacy.html --format json`.

use super::inspect::TextOrJson;
use super::{Global, Sink};
use disclose::pipeline::read_policy_documents;
use disclose::policy::PolicyReport;
use disclose::report::{render_document, Document, RenderOptions};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The policy (text, HTML or Markdown; UTF-8, UTF-16 or GBK); `-` reads standard input.
    /// Several files (policy, SDK-list page, appendix) are read as one.
    #[arg(required = true)]
    file: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(global: &Global, args: Args) -> Result<ExitCode, disclose::Error> {
    let analyzer = global.analyzer()?;
    let (docs, declared, info) = read_policy_documents(&analyzer, &args.file)?;
    let report = PolicyReport::merged(&docs, declared)
        .ok_or_else(|| disclose::Error::Usage("policy: no policy document was read".into()))?;
    Sink::open(args.out.as_deref())?.write_with(|w| {
        render_document(
            Document::Policy {
                report: &report,
                info: &info,
            },
            args.format.into(),
            RenderOptions::default(),
            w,
        )
    })?;
    Ok(ExitCode::SUCCESS)
}
