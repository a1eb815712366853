//! `dlayer fix`: apply the fixes of the findings, in place, as a diff, or as a check.
//!
//! Exit codes: writing (or filtering standard input), 1 when findings at or above the failure
//! threshold remain after fixing (`--exit-zero`: 0), 2 on errors; `--diff`/`--check`, 1 when a
//! file would change, 2 on errors (a file with syntax errors cannot be fixed: an error). A
//! summary of the fixed and remaining findings goes to standard error, as ruff prints it.

use std::io::Write;
use std::ops::ControlFlow;

use clap::Args;

use dlayer::config;
use dlayer::fix::{Applied, FixOptions, Outcome, fix_bytes};
use dlayer::lint::LintOptions;
use dlayer::rules::{Applicability, Settings};
use dlayer::syntax::LineIndex;

use super::Status;
use super::limits;
use super::lint::{InputArgs, Job, collect_jobs, settings_of, settings_per_config};
use super::messages;
use super::output::{self, Stream, errln};
use super::parallel::Parallel;
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
    /// Exit 1 when findings at least this severe remain after fixing (`none`: never).
    #[arg(long, short = 't', value_enum)]
    failure_threshold: Option<super::lint::ThresholdArg>,
    /// Exit 0 even when findings remain (errors still exit 2).
    #[arg(long, alias = "no-fail")]
    exit_zero: bool,
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
    /// Rewrite the file as a layered stack: one multi-stage Dockerfile (`stages`, the default),
    /// one Dockerfile per layer plus docker-bake.hcl in `--out DIR` (`files`), or one image
    /// target per program plus compose.yaml in `--out DIR` (`services`).
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
    Unchanged(Fixed),
    Changed {
        original: String,
        fixed: String,
        summary: Fixed,
    },
    Failed {
        /// A file with syntax errors, rather than one that could not be read or configured.
        syntax_errors: bool,
        message: String,
    },
}

/// What fixing one file applied and left.
struct Fixed {
    applied: Vec<Applied>,
    /// The findings left, at or above the file's failure threshold.
    failing: usize,
    /// The findings left.
    remaining: usize,
    /// The findings left that `--unsafe-fixes` would fix.
    unsafe_fixable: usize,
    /// Fixes that were dropped (internal warnings).
    warnings: Vec<String>,
}

/// The totals the summary prints.
#[derive(Default)]
struct Totals {
    fixed: usize,
    remaining: usize,
    unsafe_fixable: usize,
    changed_files: usize,
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
        context_cache: Some(Default::default()),
        ..LintOptions::default()
    };
    let fix_options = FixOptions {
        unsafe_fixes: args.unsafe_fixes,
    };
    super::lint::warm_up();
    let mut status = Status::Clean;
    let mut totals = Totals::default();
    let mut stdout = std::io::stdout().lock();
    Parallel::per_file().for_each_in_order(
        &jobs,
        |_, job| fix_job(args, job, &options, &settings, fix_options),
        |job, result| {
            status = status.max(report(args, job, result, &mut totals, &mut stdout));
            ControlFlow::Continue(())
        },
    );
    print_summary(args, &totals);
    status
}

/// `Found 12 findings (9 fixed, 3 remaining).` and what `--unsafe-fixes` would add; with
/// `--diff`/`--check`, what would be fixed.
fn print_summary(args: &FixArgs, totals: &Totals) {
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    if args.diff || args.check {
        if totals.fixed > 0 {
            errln!(
                "Would fix {} in {} ({} would remain).",
                plural(totals.fixed, "finding"),
                plural(totals.changed_files, "file"),
                totals.remaining
            );
        } else {
            errln!(
                "No fixes to apply ({} remaining).",
                plural(totals.remaining, "finding")
            );
        }
    } else if totals.fixed + totals.remaining == 0 {
        errln!("No findings.");
    } else {
        errln!(
            "Found {} ({} fixed, {} remaining).",
            plural(totals.fixed + totals.remaining, "finding"),
            totals.fixed,
            totals.remaining
        );
    }
    if totals.unsafe_fixable > 0 {
        let (count, verb) = match totals.unsafe_fixable {
            1 => ("1 more finding".to_string(), "is"),
            n => (format!("{n} more findings"), "are"),
        };
        errln!("{count} {verb} fixable with the `--unsafe-fixes` option.");
    }
}

fn fix_job(
    args: &FixArgs,
    job: &Job,
    options: &LintOptions,
    settings: &std::collections::HashMap<std::path::PathBuf, Result<Settings, String>>,
    fix_options: FixOptions,
) -> FileOutcome {
    let failed = |syntax_errors, message| FileOutcome::Failed {
        syntax_errors,
        message,
    };
    let config = match &job.config {
        Ok(config) => config.clone(),
        Err(message) => return failed(false, job.message(message)),
    };
    let settings = match settings_of(config.as_deref(), settings) {
        Ok(settings) => settings,
        Err(message) => return failed(false, job.message(&message)),
    };
    let bytes = match job.bytes_or_message() {
        Ok(bytes) => bytes,
        Err(message) => return failed(false, message),
    };
    if let Some(reason) = limits::unknown_target(&bytes, options.target.as_deref()) {
        return failed(false, job.message(&reason));
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
                true,
                format!(
                    "{}\n{}: not fixed: it has syntax errors",
                    lines.join("\n"),
                    job.shown
                ),
            )
        }
        Outcome::Fixed {
            text,
            applied,
            remaining,
            warnings,
        } => {
            let no_fail = config.as_ref().and_then(|c| c.no_fail).unwrap_or(false);
            let threshold = super::lint::threshold_of(args.failure_threshold, config.as_deref())
                .filter(|_| !no_fail);
            let summary = Fixed {
                applied,
                failing: remaining
                    .iter()
                    .filter(|d| threshold.is_some_and(|t| d.severity >= t))
                    .count(),
                remaining: remaining.len(),
                unsafe_fixable: if fix_options.unsafe_fixes {
                    0
                } else {
                    remaining
                        .iter()
                        .filter(|d| {
                            d.fix.as_ref().is_some_and(|fix| {
                                fix.applicability == Applicability::Unsafe && !fix.edits.is_empty()
                            })
                        })
                        .count()
                },
                warnings,
            };
            let original = String::from_utf8_lossy(&bytes).into_owned();
            if text == original {
                FileOutcome::Unchanged(summary)
            } else {
                FileOutcome::Changed {
                    original,
                    fixed: text,
                    summary,
                }
            }
        }
    }
}

fn report(
    args: &FixArgs,
    job: &Job,
    result: FileOutcome,
    totals: &mut Totals,
    stdout: &mut impl Write,
) -> Status {
    let from_stdin = job.stdin.is_some();
    let preview = args.diff || args.check;
    let pass_input_through = |stdout: &mut dyn Write| {
        if from_stdin && !preview {
            // A filter must still pass its input through.
            output::check(
                Stream::Stdout,
                stdout.write_all(job.stdin.as_deref().unwrap_or_default()),
            );
        }
    };
    match result {
        FileOutcome::Failed {
            syntax_errors,
            message,
        } => {
            errln!("{message}");
            pass_input_through(stdout);
            if syntax_errors && !preview {
                // Its DL1000 errors remain.
                totals.remaining += 1;
                return remaining_status(args, 1);
            }
            Status::Failure
        }
        FileOutcome::Unchanged(summary) => {
            warn(job, &summary);
            pass_input_through(stdout);
            totals.remaining += summary.remaining;
            totals.unsafe_fixable += summary.unsafe_fixable;
            if preview {
                Status::Clean
            } else {
                remaining_status(args, summary.failing)
            }
        }
        FileOutcome::Changed {
            original,
            fixed,
            summary,
        } => {
            warn(job, &summary);
            if args.show_fixes {
                for fix in &summary.applied {
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
                    if from_stdin && !preview {
                        output::check(Stream::Stdout, stdout.write_all(original.as_bytes()));
                    }
                    return status;
                }
            }
            totals.remaining += summary.remaining;
            totals.unsafe_fixable += summary.unsafe_fixable;
            if args.diff {
                print_diff(&job.shown, &original, &fixed, stdout);
                totals.fixed += summary.applied.len();
                totals.changed_files += 1;
                return Status::Findings;
            }
            if args.check {
                errln!(
                    "{}: would apply {} fix(es)",
                    job.shown,
                    summary.applied.len()
                );
                totals.fixed += summary.applied.len();
                totals.changed_files += 1;
                return Status::Findings;
            }
            if from_stdin {
                output::check(Stream::Stdout, stdout.write_all(fixed.as_bytes()));
            } else if let Err(message) =
                replace_file(&job.path, &job.shown, original.as_bytes(), fixed.as_bytes())
            {
                messages::error(message);
                return Status::Failure;
            } else {
                errln!("{}: applied {} fix(es)", job.shown, summary.applied.len());
            }
            totals.fixed += summary.applied.len();
            totals.changed_files += 1;
            remaining_status(args, summary.failing)
        }
    }
}

/// The internal warnings of the fixes that were dropped.
fn warn(job: &Job, summary: &Fixed) {
    for warning in &summary.warnings {
        errln!("{}: internal warning: {warning}", job.shown);
    }
}

/// 1 when findings at or above the failure threshold remain, unless `--exit-zero`.
fn remaining_status(args: &FixArgs, failing: usize) -> Status {
    if failing > 0 && !args.exit_zero {
        Status::Findings
    } else {
        Status::Clean
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
