//! `disclose merge OUT INPUT...`: combine batch results files, one record per input sha256.
//!
//! Example: `disclose merge all.jsonl shard-1.jsonl shard-2.jsonl`.

use disclose::batch::output::merge;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The merged results file (refused if it exists and is not empty, unless --force).
    out: PathBuf,
    /// Batch results files (JSONL) to combine.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Replace OUT even if it already holds records.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> Result<ExitCode, disclose::Error> {
    let inputs: Vec<&Path> = args.inputs.iter().map(PathBuf::as_path).collect();
    let stats = merge(&args.out, &inputs, args.force)?;
    eprintln!("disclose merge: {stats}");
    Ok(ExitCode::SUCCESS)
}
