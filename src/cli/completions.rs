//! `disclose completions SHELL` and `disclose man`: a shell completion script (clap_complete)
//! and the manual page in roff (clap_mangen), both made from the same argument definitions, so
//! they never fall behind the options.
//!
//! Example: `disclose completions zsh > ~/.zfunc/_disclose`; `disclose man | man -l -`.

use clap::CommandFactory;
use disclose::Error;
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn run<C: CommandFactory>(args: Args) -> Result<ExitCode, Error> {
    let mut command = C::command();
    // Into memory first: clap_complete panics when its writer fails (a closed pipe, as in
    // `disclose completions bash | head`); a failed write here is an ordinary I/O error.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "disclose", &mut script);
    std::io::stdout()
        .lock()
        .write_all(&script)
        .map_err(|e| Error::io("standard output", e))?;
    Ok(ExitCode::SUCCESS)
}

pub fn man<C: CommandFactory>() -> Result<ExitCode, Error> {
    let page = clap_mangen::Man::new(C::command());
    let mut out = std::io::stdout().lock();
    page.render(&mut out)
        .map_err(|e| Error::io("standard output", e))?;
    Ok(ExitCode::SUCCESS)
}
