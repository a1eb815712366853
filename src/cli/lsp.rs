//! `dlayer lsp`: the language server, on standard input and output.

use clap::Args;

use super::Status;
use super::messages;

#[derive(Args, Debug)]
pub struct LspArgs {
    /// Talk over standard input and output (the only transport; accepted because many
    /// clients pass it).
    #[arg(long)]
    stdio: bool,
}

pub fn run(args: &LspArgs) -> Status {
    let _ = args.stdio;
    match dlayer::lsp::run_stdio() {
        Ok(()) => Status::Clean,
        Err(message) => {
            messages::error(format!("lsp: {message}"));
            Status::Failure
        }
    }
}
