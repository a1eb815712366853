//! `dlayer fix --split`: rewrite each file as a layered stack, or refuse with the reason.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::Path;

use clap::ValueEnum;

use dlayer::model::Catalog;
use dlayer::stack::{self, Outcome, Refusal, SplitOptions};

use super::Status;
use super::fix::{FixArgs, print_diff};
use super::limits;
use super::lint::{Job, collect_jobs, settings_of, settings_per_config};
use super::messages;
use super::output::{self, Stream, err, errln};
use super::parallel::Parallel;
use super::replace::replace_file;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Layout {
    /// One multi-stage Dockerfile: os, runtime, ops, app, dev, prod.
    Stages,
    /// One Dockerfile per layer and a docker-bake.hcl, in `--out DIR`.
    Files,
    /// One image target per program the image starts (supervisord, `service x start`) and a
    /// compose.yaml wiring them, in `--out DIR`.
    Services,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

/// What happened to one file.
enum FileResult {
    Refused(Refusal),
    /// The report, and the text (for `--split=services`).
    Unchanged(Box<stack::Report>, String),
    /// The split, and the text it was made from.
    Split(Box<stack::Split>, String),
    /// The file cannot be read, or its configuration cannot be used.
    Failed(String),
}

pub fn run(args: &FixArgs) -> Status {
    let layout = args.split.unwrap_or(Layout::Stages);
    let mut jobs = match collect_jobs(&args.input) {
        Ok(jobs) => jobs,
        Err(message) => {
            messages::error(&message);
            return Status::Failure;
        }
    };
    if matches!(layout, Layout::Files | Layout::Services) {
        if let Err(message) = check_out_dir(args, layout, jobs.len()) {
            messages::error(&message);
            return Status::Failure;
        }
    }
    let settings = settings_per_config(&mut jobs);
    let options = SplitOptions {
        build_args: args.build_args.clone(),
        target: args.target.clone(),
    };
    let mut status = Status::Clean;
    let mut reports = Vec::new();
    let mut stdout = std::io::stdout().lock();
    // Each file's result is written as soon as it and those before it are done: memory holds
    // a window of splits (each with its source), not every file's.
    Parallel::per_file().for_each_in_order(
        &jobs,
        |_, job| {
            // A configuration that cannot be read fails the file, as it does for lint and fix.
            let settings = job
                .config
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|config| settings_of(config.as_deref(), &settings));
            match settings {
                Ok(settings) => {
                    let catalog = settings
                        .catalog
                        .as_ref()
                        .unwrap_or_else(|| Catalog::builtin());
                    split_job(job, &options, catalog)
                }
                Err(message) => FileResult::Failed(message),
            }
        },
        |job, result| {
            let (file_status, report) = write_result(args, layout, job, result, &mut stdout);
            status = status.max(file_status);
            reports.push(report);
            ControlFlow::Continue(())
        },
    );
    status.max(write_reports(args, &reports))
}

fn split_job(job: &Job, options: &SplitOptions, catalog: &Catalog) -> FileResult {
    let bytes = match job.bytes() {
        Ok(bytes) => bytes,
        Err(message) => return FileResult::Failed(message),
    };
    if let Some(reason) = limits::unknown_target(&bytes, options.target.as_deref()) {
        return FileResult::Failed(reason);
    }
    let Ok(source) = std::str::from_utf8(&bytes) else {
        return FileResult::Refused(Refusal {
            line: 1,
            reason: "the file is not valid UTF-8".into(),
        });
    };
    if let Some(refusal) = rejected_by_buildkit(source) {
        return FileResult::Refused(refusal);
    }
    match stack::split(source, &job.shown, options, catalog) {
        Ok(Outcome::Split(split)) => FileResult::Split(split, source.to_string()),
        Ok(Outcome::Unchanged(report)) => FileResult::Unchanged(report, source.to_string()),
        Err(refusal) => FileResult::Refused(refusal),
    }
}

/// A file BuildKit's parser rejects (a bad `# escape=`, a line over 64 KiB) is not split, as
/// `dump` and `fix` refuse it: its first error is the reason.
fn rejected_by_buildkit(source: &str) -> Option<Refusal> {
    let dockerfile = dlayer::syntax::parse(source);
    let errors = dockerfile.syntax_errors();
    let first = errors.first()?;
    let at = dockerfile.lines.position(source, first.span.start);
    Some(Refusal {
        line: at.line,
        reason: format!("BuildKit rejects it: {}", first.message),
    })
}

fn check_out_dir(args: &FixArgs, layout: Layout, inputs: usize) -> Result<(), String> {
    let flag = match layout {
        Layout::Services => "--split=services",
        _ => "--split=files",
    };
    let Some(out) = &args.out else {
        return Err(format!("{flag} needs --out DIR"));
    };
    if inputs != 1 {
        return Err(format!("{flag} takes exactly one Dockerfile"));
    }
    if out.exists() && !args.force {
        let mut entries =
            std::fs::read_dir(out).map_err(|e| format!("cannot read {}: {e}", out.display()))?;
        if entries.next().is_some() {
            return Err(format!(
                "{} is not empty (--force writes into it anyway)",
                out.display()
            ));
        }
    }
    Ok(())
}

fn write_result(
    args: &FixArgs,
    layout: Layout,
    job: &Job,
    result: FileResult,
    stdout: &mut impl Write,
) -> (Status, serde_json::Value) {
    match result {
        FileResult::Failed(message) => {
            messages::error(format!("{}: {message}", job.shown));
            (
                Status::Failure,
                serde_json::json!({"file": job.shown, "outcome": "error", "reason": message}),
            )
        }
        FileResult::Refused(refusal) => refused(job, &refusal),
        FileResult::Unchanged(_, source) if layout == Layout::Services => {
            let options = SplitOptions {
                build_args: args.build_args.clone(),
                target: args.target.clone(),
            };
            let context = job.stdin.is_none().then(|| context_dir(job));
            let services = stack::services_unchanged(
                &source,
                &job.shown,
                &options,
                context.as_deref(),
                Catalog::builtin(),
            );
            services_result(args, job, services)
        }
        FileResult::Unchanged(report, _) => {
            if job.stdin.is_some() && layout == Layout::Stages && !args.diff && !args.check {
                output::check(
                    Stream::Stdout,
                    stdout.write_all(job.stdin.as_deref().unwrap_or_default()),
                );
            }
            if args.report != Some(ReportFormat::Json) {
                err!("{}", report.to_text());
            }
            (
                Status::Clean,
                serde_json::to_value(&report).unwrap_or_default(),
            )
        }
        FileResult::Split(split, original) => {
            if args.verify {
                if let Err((status, message)) = verify_split(args, job, &split, &original) {
                    errln!("{message}");
                    let report = serde_json::json!({
                        "file": job.shown, "outcome": "refused", "line": 1,
                        "reason": message, "verified": false,
                    });
                    if job.stdin.is_some() && layout == Layout::Stages && !args.diff && !args.check
                    {
                        output::check(
                            Stream::Stdout,
                            stdout.write_all(job.stdin.as_deref().unwrap_or_default()),
                        );
                    }
                    return (status, report);
                }
            }
            let status = match layout {
                Layout::Stages => write_stages(args, job, &split, &original, stdout),
                Layout::Files => write_files(args, job, &split),
                Layout::Services => {
                    let services = services_of(args, job, &split);
                    if services.is_err() {
                        return services_result(args, job, services);
                    }
                    services_result(args, job, services).0
                }
            };
            match args.report {
                Some(ReportFormat::Text) => err!("{}", split.report.to_text()),
                None if status != Status::Failure => errln!(
                    "{}: split into {}",
                    job.shown,
                    split.report.stages.join(" → ")
                ),
                _ => {}
            }
            (
                status,
                serde_json::to_value(&split.report).unwrap_or_default(),
            )
        }
    }
}

/// `--verify`: the original and the split's `prod` and `dev` targets built and compared.
fn verify_split(
    args: &FixArgs,
    job: &Job,
    split: &stack::Split,
    original: &str,
) -> Result<(), (Status, String)> {
    super::verify::verify_rewrite(
        &job.shown,
        &job.path,
        original,
        &split.stages,
        args,
        dlayer::verify::Strictness::Layered,
    )
}

fn write_stages(
    args: &FixArgs,
    job: &Job,
    split: &stack::Split,
    original: &str,
    stdout: &mut impl Write,
) -> Status {
    if args.diff {
        print_diff(&job.shown, original, &split.stages, stdout);
        return Status::Findings;
    }
    if args.check {
        errln!("{}: would be split", job.shown);
        return Status::Findings;
    }
    if job.stdin.is_some() {
        output::check(Stream::Stdout, stdout.write_all(split.stages.as_bytes()));
        return Status::Clean;
    }
    match replace_file(
        &job.path,
        &job.shown,
        original.as_bytes(),
        split.stages.as_bytes(),
    ) {
        Ok(()) => Status::Clean,
        Err(message) => {
            messages::error(message);
            Status::Failure
        }
    }
}

/// Writes a services layout, or reports its refusal.
fn services_result(
    args: &FixArgs,
    job: &Job,
    services: Result<stack::Services, Refusal>,
) -> (Status, serde_json::Value) {
    match services {
        Ok(services) => (
            write_services(args, job, &services),
            serde_json::json!({
                "file": job.shown, "outcome": "services",
                "services": serde_json::to_value(&services).unwrap_or_default(),
            }),
        ),
        Err(refusal) => refused(job, &refusal),
    }
}

/// A refused file: the reason with its line on standard error, and its report entry.
fn refused(job: &Job, refusal: &Refusal) -> (Status, serde_json::Value) {
    errln!(
        "{}:{}: not split: {}",
        job.shown,
        refusal.line,
        refusal.reason
    );
    (
        Status::Findings,
        serde_json::json!({
            "file": job.shown, "outcome": "refused",
            "line": refusal.line, "reason": refusal.reason,
        }),
    )
}

/// The services layout of a split; the build context (the input's directory) is read for the
/// configuration files a COPY brings in.
fn services_of(
    args: &FixArgs,
    job: &Job,
    split: &stack::Split,
) -> Result<stack::Services, Refusal> {
    let options = SplitOptions {
        build_args: args.build_args.clone(),
        target: args.target.clone(),
    };
    let context_dir = job.stdin.is_none().then(|| context_dir(job));
    stack::services(split, &options, context_dir.as_deref(), Catalog::builtin())
}

/// The build context: the directory of the input (the current directory for standard input).
fn context_dir(job: &Job) -> std::path::PathBuf {
    match &job.stdin {
        Some(_) => std::path::PathBuf::from("."),
        None => match job.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        },
    }
}

/// `Dockerfile` (the stages and one target per service) and `compose.yaml`, in `--out`.
fn write_services(args: &FixArgs, job: &Job, services: &stack::Services) -> Status {
    let Some(out) = &args.out else {
        return Status::Failure;
    };
    let (out_abs, context_abs) = out_and_context(out, job);
    let dockerfile_from_context = match relative_path(&context_abs, &out_abs).as_str() {
        "." => "Dockerfile".to_string(),
        dir => format!("{dir}/Dockerfile"),
    };
    let compose = services.compose(
        &relative_path(&out_abs, &context_abs),
        &dockerfile_from_context,
    );
    let files = [
        ("Dockerfile".to_string(), services.dockerfile.clone()),
        ("compose.yaml".to_string(), compose),
    ];
    let status = write_out(args, out, &files);
    if status == Status::Clean {
        let names: Vec<&str> = services.services.iter().map(|s| s.name.as_str()).collect();
        errln!(
            "{}: services {} (compose.yaml)",
            job.shown,
            names.join(", ")
        );
        for note in &services.notes {
            errln!("  note: {note}");
        }
    }
    status
}

fn write_files(args: &FixArgs, job: &Job, split: &stack::Split) -> Status {
    let Some(out) = &args.out else {
        return Status::Failure;
    };
    // The bake file's paths are relative to its own directory.
    let (out_abs, context_abs) = out_and_context(out, job);
    let files = split.files(
        &relative_path(&out_abs, &context_abs),
        &relative_path(&context_abs, &out_abs),
    );
    write_out(args, out, &files)
}

/// `--out` and the build context, absolute (`--out` need not exist yet).
fn out_and_context(out: &Path, job: &Job) -> (std::path::PathBuf, std::path::PathBuf) {
    (absolute(out), absolute(&context_dir(job)))
}

/// `path` made absolute with symbolic links resolved: its longest existing ancestor
/// canonicalized, the rest appended.
fn absolute(path: &Path) -> std::path::PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut missing = Vec::new();
    let mut existing = path.as_path();
    loop {
        if let Ok(resolved) = std::fs::canonicalize(existing) {
            return missing
                .iter()
                .rev()
                .fold(resolved, |whole, part| whole.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return path,
        }
    }
}

/// Writes `files` into `out` (created when absent); `--check`/`--diff` only list them.
fn write_out(args: &FixArgs, out: &Path, files: &[(String, String)]) -> Status {
    if args.check || args.diff {
        for (name, _) in files {
            errln!("would write {}", out.join(name).display());
        }
        return Status::Findings;
    }
    if let Err(error) = std::fs::create_dir_all(out) {
        messages::error(format!(
            "cannot create {}: {}",
            out.display(),
            messages::io_error(&error)
        ));
        return Status::Failure;
    }
    for (name, content) in files {
        // File names are fixed by dlayer, never taken from the input.
        let path = out.join(name);
        if let Err(error) = write_new(&path, content.as_bytes()) {
            messages::error(format!(
                "cannot write {}: {}",
                path.display(),
                messages::io_error(&error)
            ));
            return Status::Failure;
        }
    }
    Status::Clean
}

/// `to` as a path relative to `from` (both absolute): `..`, `stack`, `../other/dir`, or `.`.
fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|part| part.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// Writes a layer file of `--out` (new, or replacing an earlier output under `--force`).
fn write_new(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let directory = path.parent().unwrap_or(Path::new("."));
    let mut temporary = tempfile::NamedTempFile::new_in(directory)?;
    temporary.write_all(contents)?;
    // A new file gets the usual mode of a source file (a temporary file is private: 0600).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temporary
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}

fn write_reports(args: &FixArgs, reports: &[serde_json::Value]) -> Status {
    let json = || serde_json::to_string_pretty(reports).unwrap_or_default();
    match args.report {
        Some(ReportFormat::Json) => errln!("{}", json()),
        Some(ReportFormat::Text) | None => {}
    }
    if let Some(path) = &args.report_file {
        if let Err(error) = std::fs::write(path, json() + "\n") {
            messages::error(format!(
                "cannot write {}: {}",
                path.display(),
                messages::io_error(&error)
            ));
            return Status::Failure;
        }
    }
    Status::Clean
}
