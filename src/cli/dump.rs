//! `dlayer dump`: the syntax tree in BuildKit's dump format or as JSON.

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use dlayer::syntax::{self, Dockerfile, LineIndex};

use super::{Status, input, render};

#[derive(Args, Debug)]
pub struct DumpArgs {
    /// Dockerfiles to dump; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DumpFormat::Buildkit)]
    format: DumpFormat,
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
    let with_headers = args.files.len() > 1;
    for path in &args.files {
        let input = match input::read(path) {
            Ok(input) => input,
            Err(message) => {
                eprintln!("dlayer: {message}");
                status = status.max(Status::Failure);
                continue;
            }
        };
        let dockerfile = syntax::parse_bytes(&input.bytes);
        let errors = dockerfile.syntax_errors();
        if !errors.is_empty() {
            render::syntax_errors(&input.name, &dockerfile.source, &errors);
            status = status.max(Status::Findings);
        }
        match args.format {
            DumpFormat::Buildkit => {
                if with_headers {
                    println!("==> {} <==", input.name);
                }
                // Like BuildKit, a file its parser rejects has no tree to print.
                if errors.is_empty() {
                    print!("{}", syntax::dump(&dockerfile));
                }
            }
            DumpFormat::Json => json_files.push(file_json(&input.name, &dockerfile)),
        }
    }
    if args.format == DumpFormat::Json {
        let document = json!({ "version": 1, "files": json_files });
        println!(
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
