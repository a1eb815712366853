//! Command-line definitions; one module per subcommand.

mod baseline;
mod completions;
mod discover;
mod dump;
mod explain;
mod fix;
mod fmt;
mod graph;
mod input;
mod limits;
mod lint;
mod lsp;
mod manpages;
mod messages;
mod output;
mod parallel;
mod progress;
mod render;
mod replace;
mod rules;
mod split;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Lints Dockerfiles for heavy-container patterns and refactors them into layered stacks.
#[derive(Parser, Debug)]
#[command(name = "dlayer", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// The lint arguments are the big variant; the enum is built once per run.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
enum Command {
    /// Lint Dockerfiles: heavy-container rules and what BuildKit rejects.
    Lint(lint::LintArgs),
    /// Apply the fixes of the findings (in place, or as a diff or a check).
    Fix(fix::FixArgs),
    /// List every rule.
    Rules(rules::RulesArgs),
    /// Print a rule's documentation.
    Explain(explain::ExplainArgs),
    /// Print the syntax tree of Dockerfiles, as BuildKit's parser sees them.
    Dump(dump::DumpArgs),
    /// Rewrite Dockerfiles in the canonical layout (or check, or show a diff).
    Fmt(fmt::FmtArgs),
    /// Run the language server (LSP over standard input and output) for editors.
    Lsp(lsp::LspArgs),
    /// Draw the stages and, with --split, the layered stack (Graphviz dot or Mermaid).
    Graph(graph::GraphArgs),
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish.
    Completions(completions::CompletionsArgs),
    /// Write a man page per command to a directory.
    Manpages(manpages::ManpagesArgs),
    /// Build a Dockerfile and its rewrite with the local Docker engine and compare the images.
    Verify(verify::VerifyArgs),
}

/// `NAME=VALUE` of `--build-arg`.
fn parse_build_arg(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(format!("expected NAME=VALUE, got {text:?}")),
    }
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
        Command::Lint(args) => lint::run(&args),
        Command::Fix(args) => fix::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Dump(args) => dump::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Manpages(args) => manpages::run(&args),
        Command::Verify(args) => verify::run(&args),
    };
    // Buffered output that cannot be written is a failure, not a silent loss.
    output::flush_stdout();
    ExitCode::from(status as u8)
}
