//! `dlayer verify ORIGINAL REWRITTEN`: build both with the local Docker engine and compare
//! the images (packages, configuration, files, behaviour).

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, ValueEnum};

use dlayer::model::Catalog;
use dlayer::verify::{self, Failure, Inputs, Options, Report, Strictness};

use super::Status;
use super::messages;
use super::output::{out, outln};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum VerifyFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The Dockerfile as it was.
    original: PathBuf,
    /// The rewritten Dockerfile (a `dlayer fix --split` output, or any rewrite).
    rewritten: PathBuf,
    /// The rewritten file's production target (default: `prod` when it has one, else its last stage).
    #[arg(long, value_name = "STAGE")]
    target: Option<String>,
    /// The rewritten file's development target (default: `dev` when it has one).
    #[arg(long, value_name = "STAGE")]
    dev_target: Option<String>,
    /// The build context of both (default: the original's directory).
    #[arg(long, value_name = "DIR")]
    context: Option<PathBuf>,
    /// A build argument, as `docker build --build-arg NAME=VALUE`.
    #[arg(long = "build-arg", value_name = "NAME=VALUE", value_parser = super::parse_build_arg)]
    build_args: Vec<(String, String)>,
    #[arg(long, value_enum, default_value = "text")]
    format: VerifyFormat,
    /// Keep the images built (their tags are printed).
    #[arg(long)]
    keep_images: bool,
    /// Seconds the image's command runs before its state is compared.
    #[arg(long, value_name = "SECS", default_value_t = 8.0)]
    settle: f64,
}

pub fn run(args: &VerifyArgs) -> Status {
    for path in [&args.original, &args.rewritten] {
        if !path.is_file() {
            messages::error(format_args!("{}: no such file", path.display()));
            return Status::Failure;
        }
    }
    if !(args.settle.is_finite() && args.settle >= 0.0) {
        messages::error(format_args!(
            "--settle must be a number of seconds, got {}",
            args.settle
        ));
        return Status::Failure;
    }
    let inputs = Inputs {
        original: args.original.clone(),
        rewritten: args.rewritten.clone(),
        context: args
            .context
            .clone()
            .unwrap_or_else(|| directory_of(&args.original)),
        target: args.target.clone(),
        dev_target: args.dev_target.clone(),
        original_target: None,
        build_args: args.build_args.clone(),
    };
    let options = Options {
        keep_images: args.keep_images,
        settle: Duration::from_secs_f64(args.settle),
        strictness: Strictness::Layered,
    };
    let outcome = verify::verify(&inputs, &options, Catalog::builtin());
    let shown = format!("{} → {}", args.original.display(), args.rewritten.display());
    match (args.format, outcome) {
        (VerifyFormat::Json, Ok(report)) => {
            outln!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
            status_of(&report)
        }
        (VerifyFormat::Text, Ok(report)) => {
            out!("{}", report_text(&shown, &report));
            status_of(&report)
        }
        (format, Err(failure)) => {
            if format == VerifyFormat::Json {
                outln!("{}", failure_json(&failure));
            }
            messages::error(format_args!("{shown}: {failure}"));
            Status::Failure
        }
    }
}

/// A path's directory (`.` for a bare file name).
pub(super) fn directory_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn status_of(report: &Report) -> Status {
    if report.equivalent {
        Status::Clean
    } else {
        Status::Findings
    }
}

/// The differences, one per line (several lines for a behaviour with output), and a summary.
pub(super) fn report_text(shown: &str, report: &Report) -> String {
    let mut text = String::new();
    for difference in &report.differences {
        text.push_str(&format!(
            "{shown}: {}: {}\n",
            difference.kind, difference.message
        ));
    }
    let checked = &report.checked;
    let verdict = if report.equivalent {
        "equivalent".to_string()
    } else {
        format!("{} difference(s)", report.differences.len())
    };
    text.push_str(&format!(
        "{shown}: {verdict} ({} packages, {} paths, {} configuration fields{} compared; {} builder)\n",
        checked.packages,
        checked.files,
        checked.config_fields,
        if checked.behaviour { ", behaviour" } else { "" },
        report.builder,
    ));
    for image in &report.images {
        text.push_str(&format!("kept image {image}\n"));
    }
    text
}

fn failure_json(failure: &Failure) -> serde_json::Value {
    match failure {
        Failure::NoEngine(message) => serde_json::json!({"error": "no-engine", "message": message}),
        Failure::Build { which, log_tail } => {
            serde_json::json!({"error": "build", "which": which, "log_tail": log_tail})
        }
        Failure::Engine(message) => serde_json::json!({"error": "engine", "message": message}),
    }
}

/// `dlayer fix --verify`: builds the original and its rewrite (given as text, written to a
/// temporary file) and compares them. `Err` carries the lines that refuse the file and the
/// status: 1 for differences, 2 when nothing could be built or no engine answers.
pub(super) fn verify_rewrite(
    shown: &str,
    original_path: &Path,
    original: &str,
    rewritten: &str,
    args: &super::fix::FixArgs,
    strictness: Strictness,
) -> Result<(), (Status, String)> {
    let temporary = |text: &str| -> std::io::Result<tempfile::NamedTempFile> {
        let mut file = tempfile::Builder::new()
            .prefix("dlayer-verify-")
            .tempfile()?;
        std::io::Write::write_all(&mut file, text.as_bytes())?;
        Ok(file)
    };
    let files = temporary(original).and_then(|was| Ok((was, temporary(rewritten)?)));
    let (was, now) = files.map_err(|error| {
        (
            Status::Failure,
            format!("{shown}: cannot write a temporary file: {error}"),
        )
    })?;
    let target = args.target.as_deref();
    let inputs = Inputs {
        original: was.path().to_path_buf(),
        rewritten: now.path().to_path_buf(),
        context: directory_of(original_path),
        // A split's production target is its `prod` stage; a fix keeps the stage names.
        target: (strictness == Strictness::Same)
            .then(|| target.map(str::to_string))
            .flatten(),
        dev_target: None,
        original_target: target.map(str::to_string),
        build_args: args.build_args.clone(),
    };
    let options = Options {
        keep_images: false,
        settle: Duration::from_secs_f64(if args.settle.is_finite() {
            args.settle.max(0.0)
        } else {
            8.0
        }),
        strictness,
    };
    match verify::verify(&inputs, &options, Catalog::builtin()) {
        Ok(report) if report.equivalent => Ok(()),
        Ok(report) => Err((
            Status::Findings,
            format!(
                "{}{shown}: not written: the rewrite does not build an equivalent image",
                report_text(shown, &report)
            ),
        )),
        Err(failure) => Err((Status::Failure, format!("{shown}: not written: {failure}"))),
    }
}
