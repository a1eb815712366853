//! `dlayer fmt`: rewrite Dockerfiles in the canonical layout, or check or show what would change.

use std::io::Write;
use std::ops::ControlFlow;

use clap::Args;

use dlayer::format::{self, FormatError};
use dlayer::syntax::LineIndex;

use super::Status;
use super::fix::print_diff;
use super::lint::{InputArgs, Job, collect_jobs};
use super::messages;
use super::output::{self, Stream, errln};
use super::parallel::Parallel;
use super::replace::replace_file;

#[derive(Args, Debug)]
pub struct FmtArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Write nothing; exit 1 when a file is not formatted.
    #[arg(long)]
    check: bool,
    /// Print a unified diff of what would change and write nothing (exit 1 when there is one).
    #[arg(long)]
    diff: bool,
}

enum Outcome {
    Unchanged,
    Changed { original: String, formatted: String },
    Failed { message: String },
}

pub fn run(args: &FmtArgs) -> Status {
    let jobs = match collect_jobs(&args.input) {
        Ok(jobs) => jobs,
        Err(message) => {
            messages::error(&message);
            return Status::Failure;
        }
    };
    let mut status = Status::Clean;
    let (mut changed, mut unchanged) = (0, 0);
    let mut stdout = std::io::stdout().lock();
    Parallel::per_file().for_each_in_order(
        &jobs,
        |_, job| format_job(job),
        |job, outcome| {
            let file_status = report(args, job, outcome, &mut stdout);
            match file_status {
                Some(Status::Findings) | None => changed += 1,
                Some(Status::Clean) => unchanged += 1,
                Some(Status::Failure) => {}
            }
            status = status.max(file_status.unwrap_or(Status::Clean));
            ControlFlow::Continue(())
        },
    );
    if jobs.iter().all(|job| job.stdin.is_none()) {
        let verb = if args.check || args.diff {
            "would be formatted"
        } else {
            "formatted"
        };
        errln!("{changed} file(s) {verb}, {unchanged} already formatted");
    }
    status
}

fn format_job(job: &Job) -> Outcome {
    let config = match &job.config {
        Ok(config) => config.clone(),
        Err(message) => {
            return Outcome::Failed {
                message: job.message(message),
            };
        }
    };
    let options = config
        .as_ref()
        .and_then(|config| config.format.clone())
        .unwrap_or_default();
    let bytes = match job.bytes_or_message() {
        Ok(bytes) => bytes,
        Err(message) => return Outcome::Failed { message },
    };
    let Ok(source) = std::str::from_utf8(&bytes) else {
        return Outcome::Failed {
            message: format!("{}: not formatted: it is not valid UTF-8", job.shown),
        };
    };
    match format::format(source, &options) {
        Ok(formatted) if formatted == source => Outcome::Unchanged,
        Ok(formatted) => Outcome::Changed {
            original: source.to_string(),
            formatted,
        },
        Err(FormatError::Syntax(errors)) => {
            let index = LineIndex::new(source);
            let mut lines: Vec<String> = errors
                .iter()
                .map(|error| {
                    let at = index.position(source, error.span.start);
                    format!(
                        "{}:{}:{}: DL1000 {}",
                        job.shown, at.line, at.column, error.message
                    )
                })
                .collect();
            lines.push(format!(
                "{}: not formatted: it has syntax errors",
                job.shown
            ));
            Outcome::Failed {
                message: lines.join("\n"),
            }
        }
        Err(error) => Outcome::Failed {
            message: format!("{}: {error}; the file is left as it is", job.shown),
        },
    }
}

/// Reports one file; `Clean` unchanged, `Findings` would change (or changed: `None`),
/// `Failure` could not be formatted or written.
fn report(args: &FmtArgs, job: &Job, outcome: Outcome, stdout: &mut impl Write) -> Option<Status> {
    let from_stdin = job.stdin.is_some();
    let pass_through = from_stdin && !args.check && !args.diff;
    match outcome {
        Outcome::Failed { message } => {
            errln!("{message}");
            if pass_through {
                // A filter still passes its input through.
                output::check(
                    Stream::Stdout,
                    stdout.write_all(job.stdin.as_deref().unwrap_or_default()),
                );
            }
            Some(Status::Failure)
        }
        Outcome::Unchanged => {
            if pass_through {
                output::check(
                    Stream::Stdout,
                    stdout.write_all(job.stdin.as_deref().unwrap_or_default()),
                );
            }
            Some(Status::Clean)
        }
        Outcome::Changed {
            original,
            formatted,
        } => {
            if args.diff {
                print_diff(&job.shown, &original, &formatted, stdout);
            }
            if args.check {
                errln!("{}: would be formatted", job.shown);
            }
            if args.check || args.diff {
                return Some(Status::Findings);
            }
            if from_stdin {
                output::check(Stream::Stdout, stdout.write_all(formatted.as_bytes()));
                return None;
            }
            match replace_file(
                &job.path,
                &job.shown,
                original.as_bytes(),
                formatted.as_bytes(),
            ) {
                Ok(()) => None,
                Err(message) => {
                    messages::error(message);
                    Some(Status::Failure)
                }
            }
        }
    }
}
