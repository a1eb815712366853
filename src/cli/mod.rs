//! Command-line definitions; one module per subcommand.

mod dump;
mod input;
mod render;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Lints Dockerfiles for heavy-container patterns and refactors them into layered stacks.
#[derive(Parser, Debug)]
#[command(name = "dlayer", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the syntax tree of Dockerfiles, as BuildKit's parser sees them.
    Dump(dump::DumpArgs),
}

/// Process exit status: 0 clean, 1 findings or syntax errors, 2 usage or I/O errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Clean = 0,
    Findings = 1,
    Failure = 2,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Dump(args) => dump::run(&args),
    };
    ExitCode::from(status as u8)
}
