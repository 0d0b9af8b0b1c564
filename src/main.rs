//! The `disclose` command line: parses arguments, hands each subcommand to its file in
//! `cli/`, prints the error and picks the exit code. Exit codes: 0 no finding at or above
//! `--fail-on`, 1 findings at or above it, 2 bad input or usage, 3 a batch stopped early (too
//! many files over the time budget; `--resume` continues it).

mod cli;

// The system allocator (no `#[global_allocator]`): mimalloc (sessions 6-8) parsed a vendor
// static library faster in its bench (benches/macho.rs, FBSDKCoreKit 5.0 → 2.8 ms), but whole
// processes took the same CPU time with either, while mimalloc kept freed memory committed
// for its 1 s purge delay: peak RSS 112 vs 93 MB on the 60-DEX input, 435 vs 274 MB on a
// 20 MB HTML policy (docs/performance.md, session 9).

use clap::{Parser, Subcommand};
use cli::Global;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "disclose",
    version = cli::version::SHORT,
    long_version = cli::version::long(),
    arg_required_else_help = true,
    about = "Find the personal data an Android or iOS app and its SDKs collect, and what its privacy policy does not disclose",
    after_help = cli::AFTER_HELP
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// What an app or SDK package holds that matters for privacy (no policy needed).
    Inspect(cli::inspect::Args),
    /// Compare an app with its privacy policy and report every undisclosed collection.
    Scan(cli::scan::Args),
    /// What a privacy policy declares: SDKs, data types, permissions, warnings.
    Policy(cli::policy::Args),
    /// Scan many apps (a directory, or a list file) into one JSONL file, one record per input.
    Batch(cli::batch::Args),
    /// Combine batch JSONL files into OUT: valid lines only, one record per input sha256.
    Merge(cli::merge::Args),
    /// Work with the signature data (SDKs, packers, API rules, taxonomy).
    Signatures(cli::signatures::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell) to standard output.
    Completions(cli::completions::Args),
    /// Print the manual page (roff) to standard output: `disclose man | man -l -`.
    Man,
    /// Draft what the app should declare (SDK list, the app's own collection) from evidence.
    Draft(cli::draft::Args),
}

fn run(cli: Cli) -> Result<ExitCode, disclose::Error> {
    let global = cli.global;
    match cli.command {
        Command::Inspect(args) => cli::inspect::run(&global, args),
        Command::Scan(args) => cli::scan::run(&global, args),
        Command::Policy(args) => cli::policy::run(&global, args),
        Command::Batch(args) => cli::batch::run(&global, args),
        Command::Merge(args) => cli::merge::run(args),
        Command::Signatures(args) => cli::signatures::run(&global, args),
        Command::Completions(args) => cli::completions::run::<Cli>(args),
        Command::Man => cli::completions::man::<Cli>(),
        Command::Draft(args) => cli::draft::run(&global, args),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap's whole message: what is wrong, the valid values, the usage line.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(cli::EXIT_BAD_INPUT)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        // A reader that went away (`disclose man | head`) is not an error worth a message.
        Err(e) if cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("disclose: {}", cli::one_line(&e));
            ExitCode::from(cli::EXIT_BAD_INPUT)
        }
    }
}
