//! `dlayer dump`: the syntax tree in BuildKit's dump format or as JSON.

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use dlayer::model;
use dlayer::syntax::{self, Dockerfile, LineIndex};

use super::messages;
use super::output::{out, outln};
use super::{Status, input, limits, render};

#[derive(Args, Debug)]
pub struct DumpArgs {
    /// Dockerfiles to dump; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// Output format of the syntax tree.
    #[arg(long, value_enum, default_value_t = DumpFormat::Buildkit)]
    format: DumpFormat,
    /// Print the semantic model as JSON instead: stages, contexts, commands, packages, layers.
    #[arg(long)]
    model: bool,
    /// A build argument for the model, as `docker build --build-arg NAME=VALUE`.
    #[arg(long = "build-arg", value_name = "NAME=VALUE", value_parser = super::parse_build_arg)]
    build_args: Vec<(String, String)>,
    /// The stage the model treats as the build target (default: the last one).
    #[arg(long)]
    target: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DumpFormat {
    /// BuildKit's `Node.Dump()` s-expressions, one line per instruction.
    Buildkit,
    /// The lossless syntax tree with byte spans and line/column positions.
    Json,
}

pub fn run(args: &DumpArgs) -> Status {
    let mut status = Status::Clean;
    let mut json_files = Vec::new();
    let mut models = Vec::new();
    let with_headers = args.files.len() > 1;
    for path in &args.files {
        let input = match input::read(path) {
            Ok(input) => input,
            Err(message) => {
                messages::error(&message);
                status = status.max(Status::Failure);
                continue;
            }
        };
        if let Some(reason) = limits::unknown_target(&input.bytes, args.target.as_deref()) {
            messages::error(format!("{}: {reason}", input.name));
            status = status.max(Status::Failure);
            continue;
        }
        let dockerfile = syntax::parse_bytes(&input.bytes);
        let errors = dockerfile.syntax_errors();
        if !errors.is_empty() {
            render::syntax_errors(&input.name, &dockerfile.source, &errors);
            status = status.max(Status::Findings);
        }
        if args.model {
            let options = model::Options {
                build_args: args.build_args.clone(),
                target: args.target.clone(),
                ..model::Options::default()
            };
            let built = model::build(&dockerfile, &options);
            let mut value = serde_json::to_value(&built).expect("the model serializes");
            value["path"] = json!(input.name);
            value["version"] = json!(1);
            models.push(value);
            continue;
        }
        match args.format {
            DumpFormat::Buildkit => {
                if with_headers {
                    outln!("==> {} <==", input.name);
                }
                // Like BuildKit, a file its parser rejects has no tree to print.
                if errors.is_empty() {
                    out!("{}", syntax::dump(&dockerfile));
                }
            }
            DumpFormat::Json => json_files.push(file_json(&input.name, &dockerfile)),
        }
    }
    if args.model {
        let document = match models.len() {
            1 => models.remove(0),
            _ => Value::Array(models),
        };
        outln!(
            "{}",
            serde_json::to_string_pretty(&document).expect("JSON values serialize")
        );
        return status;
    }
    if args.format == DumpFormat::Json {
        let document = json!({ "version": 1, "files": json_files });
        outln!(
            "{}",
            serde_json::to_string_pretty(&document).expect("JSON values serialize")
        );
    }
    status
}

/// One file's tree; every top-level item also gets its start and end line/column.
fn file_json(name: &str, dockerfile: &Dockerfile) -> Value {
    let index = LineIndex::new(&dockerfile.source);
    let position = |offset| {
        serde_json::to_value(index.position(&dockerfile.source, offset)).expect("serializable")
    };
    let mut tree = serde_json::to_value(dockerfile).expect("the tree serializes");
    if let Some(items) = tree.get_mut("items").and_then(Value::as_array_mut) {
        for (value, item) in items.iter_mut().zip(&dockerfile.items) {
            let span = item.span();
            value["start"] = position(span.start);
            value["end"] = position(span.end);
        }
    }
    json!({ "path": name, "tree": tree })
}
