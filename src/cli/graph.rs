//! `dlayer graph FILE`: the stages of a Dockerfile and, with `--split`, the layered stack its
//! target would become, as Graphviz dot or Mermaid on standard output.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use dlayer::graph::{self, dot, mermaid};
use dlayer::model::{self, Catalog};
use dlayer::syntax;

use super::Status;
use super::input;
use super::messages;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz dot (`dlayer graph FILE | dot -Tsvg > stack.svg`).
    Dot,
    /// A Mermaid flowchart (renders in GitHub and GitLab Markdown).
    Mermaid,
}

#[derive(Args, Debug)]
pub struct GraphArgs {
    /// The Dockerfile (`-`: standard input).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = GraphFormat::Dot)]
    format: GraphFormat,
    /// Also draw the layered stack `dlayer fix --split` would make of the target stage: each
    /// instruction in its layer, with the catalog's estimated sizes.
    #[arg(long)]
    split: bool,
    /// The stage the build targets (default: the last one).
    #[arg(long, value_name = "STAGE")]
    target: Option<String>,
    /// A build argument, as `docker build --build-arg NAME=VALUE`.
    #[arg(long = "build-arg", value_name = "NAME=VALUE", value_parser = super::parse_build_arg)]
    build_args: Vec<(String, String)>,
}

pub fn run(args: &GraphArgs) -> Status {
    let input = match input::read(&args.file.to_string_lossy()) {
        Ok(input) => input,
        Err(message) => {
            messages::error(message);
            return Status::Failure;
        }
    };
    let dockerfile = syntax::parse_bytes(&input.bytes);
    if let Some(error) = dockerfile.syntax_errors().first() {
        let position = dockerfile
            .lines
            .position(&dockerfile.source, error.span.start);
        messages::warning(format!(
            "{}:{}:{}: {} (the graph is drawn from what parses)",
            input.name, position.line, position.column, error.message
        ));
    }
    let catalog = Catalog::builtin();
    let options = model::Options {
        build_args: args.build_args.clone(),
        target: args.target.clone(),
        command_views: false,
        ..model::Options::default()
    };
    let model = model::build_with(&dockerfile, &options, catalog);
    if let Some(error) = &model.target_error {
        messages::error(format!("{}: {error}", input.name));
        return Status::Failure;
    }
    let graph = graph::build(&dockerfile, &model, catalog, args.split);
    let text = match args.format {
        GraphFormat::Dot => dot::render(&graph, &input.name),
        GraphFormat::Mermaid => mermaid::render(&graph),
    };
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Status::Clean,
        Err(error) => {
            messages::error(format!(
                "cannot write the graph: {}",
                messages::io_error(&error)
            ));
            Status::Failure
        }
    }
}
