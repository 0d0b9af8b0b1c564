use clap::Parser;

#[derive(Parser)]
#[command(name = "disclose", version)]
struct Cli {}

fn main() {
    let _ = Cli::parse();
}
