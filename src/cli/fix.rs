//! `dlayer fix`: apply the fixes of the findings, in place, as a diff, or as a check.

use std::io::Write;

use clap::Args;
use rayon::prelude::*;

use dlayer::config;
use dlayer::fix::{Applied, FixOptions, Outcome, fix_bytes};
use dlayer::lint::LintOptions;
use dlayer::rules::Settings;
use dlayer::syntax::LineIndex;

use super::Status;
use super::limits;
use super::lint::{InputArgs, Job, collect_jobs, settings_of, settings_per_config};
use super::messages;
use super::output::{self, Stream, errln};
use super::replace::replace_file;

#[derive(Args, Debug)]
pub struct FixArgs {
    #[command(flatten)]
    pub(super) input: InputArgs,
    /// Print a unified diff of what would change and write nothing (exit 1 when there is one).
    #[arg(long, conflicts_with = "check")]
    pub(super) diff: bool,
    /// Write nothing; exit 1 when a file would change.
    #[arg(long)]
    pub(super) check: bool,
    /// Apply unsafe fixes too (they may change what the image contains).
    #[arg(long)]
    unsafe_fixes: bool,
    /// List the fixes applied, on standard error.
    #[arg(long)]
    show_fixes: bool,
    /// Only fix findings of these rules (codes, names or code prefixes).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    select: Vec<String>,
    /// Never fix findings of these rules.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    ignore: Vec<String>,
    /// The stage the build targets (decides which stages are shipped).
    #[arg(long, value_name = "STAGE")]
    pub(super) target: Option<String>,
    /// A build argument, as `docker build --build-arg NAME=VALUE`.
    #[arg(long = "build-arg", value_name = "NAME=VALUE", value_parser = super::parse_build_arg)]
    pub(super) build_args: Vec<(String, String)>,
    /// Rewrite the file as a layered stack: one multi-stage Dockerfile (`stages`, the default)
    /// or one Dockerfile per layer plus docker-bake.hcl in `--out DIR` (`files`).
    #[arg(long, value_enum, num_args = 0..=1, require_equals = true, default_missing_value = "stages", value_name = "LAYOUT")]
    pub(super) split: Option<super::split::Layout>,
    /// Build the original and the fixed file with the local Docker engine before writing;
    /// a file whose images differ is not written (the differences are listed).
    #[arg(long)]
    pub(super) verify: bool,
    /// `--verify`: seconds the image's command runs before its state is compared.
    #[arg(long, value_name = "SECS", default_value_t = 8.0, requires = "verify")]
    pub(super) settle: f64,
    /// `--split=files`: the directory to write the layer files into (empty or absent).
    #[arg(long, value_name = "DIR", requires = "split")]
    pub(super) out: Option<std::path::PathBuf>,
    /// `--split=files`: write into a directory that is not empty.
    #[arg(long, requires = "split")]
    pub(super) force: bool,
    /// `--split`: print the migration report on standard error, as text or JSON.
    #[arg(long, value_enum, value_name = "FORMAT", requires = "split")]
    pub(super) report: Option<super::split::ReportFormat>,
    /// `--split`: write the migration report (JSON) to this file.
    #[arg(long, value_name = "FILE", requires = "split")]
    pub(super) report_file: Option<std::path::PathBuf>,
}

/// What happened to one file.
enum FileOutcome {
    Unchanged,
    Changed {
        original: String,
        fixed: String,
        applied: Vec<Applied>,
    },
    Failed {
        status: Status,
        message: String,
    },
}

pub fn run(args: &FixArgs) -> Status {
    if args.split.is_some() {
        return super::split::run(args);
    }
    for selector in args.select.iter().chain(&args.ignore) {
        if let Err(message) = config::validate_selector(selector) {
            messages::warning(message);
        }
    }
    let mut jobs = match collect_jobs(&args.input) {
        Ok(jobs) => jobs,
        Err(message) => {
            messages::error(&message);
            return Status::Failure;
        }
    };
    let settings = settings_per_config(&mut jobs);
    let options = LintOptions {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        severity: Vec::new(),
        build_args: args.build_args.clone(),
        target: args.target.clone(),
        disable_ignore_pragma: false,
        // ShellCheck's findings carry no fixes.
        shellcheck: false,
        shellcheck_program: None,
        ..LintOptions::default()
    };
    let fix_options = FixOptions {
        unsafe_fixes: args.unsafe_fixes,
    };
    let results: Vec<FileOutcome> = jobs
        .par_iter()
        .map(|job| fix_job(job, &options, &settings, fix_options))
        .collect();
    let mut status = Status::Clean;
    let mut stdout = std::io::stdout().lock();
    for (job, result) in jobs.iter().zip(results) {
        status = status.max(report(args, job, result, &mut stdout));
    }
    status
}

fn fix_job(
    job: &Job,
    options: &LintOptions,
    settings: &std::collections::HashMap<std::path::PathBuf, Result<Settings, String>>,
    fix_options: FixOptions,
) -> FileOutcome {
    let failed = |status, message| FileOutcome::Failed { status, message };
    let config = match &job.config {
        Ok(config) => config.clone(),
        Err(message) => return failed(Status::Failure, job.message(message)),
    };
    let settings = match settings_of(config.as_deref(), settings) {
        Ok(settings) => settings,
        Err(message) => return failed(Status::Failure, job.message(&message)),
    };
    let bytes = match job.bytes_or_message() {
        Ok(bytes) => bytes,
        Err(message) => return failed(Status::Failure, message),
    };
    if let Some(reason) = limits::unknown_target(&bytes, options.target.as_deref()) {
        return failed(Status::Failure, job.message(&reason));
    }
    match fix_bytes(
        &bytes,
        &job.path,
        options,
        config.as_deref(),
        settings,
        fix_options,
    ) {
        Outcome::SyntaxErrors(errors) => {
            let source = String::from_utf8_lossy(&bytes);
            let index = LineIndex::new(&source);
            let lines: Vec<String> = errors
                .iter()
                .map(|error| {
                    let at = index.position(&source, error.span.start);
                    format!(
                        "{}:{}:{}: DL1000 {}",
                        job.shown, at.line, at.column, error.message
                    )
                })
                .collect();
            failed(
                Status::Findings,
                format!(
                    "{}\n{}: not fixed: it has syntax errors",
                    lines.join("\n"),
                    job.shown
                ),
            )
        }
        Outcome::Internal(message) => failed(
            Status::Findings,
            format!("{}: internal error: {message}", job.shown),
        ),
        Outcome::Fixed { text, applied } => {
            let original = String::from_utf8_lossy(&bytes).into_owned();
            if text == original {
                FileOutcome::Unchanged
            } else {
                FileOutcome::Changed {
                    original,
                    fixed: text,
                    applied,
                }
            }
        }
    }
}

fn report(args: &FixArgs, job: &Job, result: FileOutcome, stdout: &mut impl Write) -> Status {
    let from_stdin = job.stdin.is_some();
    match result {
        FileOutcome::Failed { status, message } => {
            errln!("{message}");
            if from_stdin && !args.diff && !args.check {
                // A filter must still pass its input through.
                output::check(
                    Stream::Stdout,
                    stdout.write_all(job.stdin.as_deref().unwrap_or_default()),
                );
            }
            status
        }
        FileOutcome::Unchanged => {
            if from_stdin && !args.diff && !args.check {
                output::check(
                    Stream::Stdout,
                    stdout.write_all(job.stdin.as_deref().unwrap_or_default()),
                );
            }
            Status::Clean
        }
        FileOutcome::Changed {
            original,
            fixed,
            applied,
        } => {
            if args.show_fixes {
                for fix in &applied {
                    errln!("{}:{}: {} {}", job.shown, fix.line, fix.code, fix.message);
                }
            }
            if args.verify {
                let verified = super::verify::verify_rewrite(
                    &job.shown,
                    &job.path,
                    &original,
                    &fixed,
                    args,
                    dlayer::verify::Strictness::Same,
                );
                if let Err((status, message)) = verified {
                    errln!("{message}");
                    if from_stdin && !args.diff && !args.check {
                        output::check(Stream::Stdout, stdout.write_all(original.as_bytes()));
                    }
                    return status;
                }
            }
            if args.diff {
                print_diff(&job.shown, &original, &fixed, stdout);
                return Status::Findings;
            }
            if args.check {
                errln!("{}: would apply {} fix(es)", job.shown, applied.len());
                return Status::Findings;
            }
            if from_stdin {
                output::check(Stream::Stdout, stdout.write_all(fixed.as_bytes()));
                return Status::Clean;
            }
            match replace_file(&job.path, &job.shown, original.as_bytes(), fixed.as_bytes()) {
                Ok(()) => {
                    errln!("{}: applied {} fix(es)", job.shown, applied.len());
                    Status::Clean
                }
                Err(message) => {
                    messages::error(message);
                    Status::Failure
                }
            }
        }
    }
}

/// A unified diff of a file's change, with `a/` and `b/` headers as git prints them.
pub(super) fn print_diff(shown: &str, original: &str, changed: &str, out: &mut impl Write) {
    let diff = similar::TextDiff::from_lines(original, changed);
    let shown = shown.trim_start_matches('/');
    output::check(
        Stream::Stdout,
        write!(
            out,
            "{}",
            diff.unified_diff()
                .header(&format!("a/{shown}"), &format!("b/{shown}"))
        ),
    );
}
