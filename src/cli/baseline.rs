//! Adopting dlayer on a big project: `dlayer lint --write-baseline FILE` records today's
//! findings, `--baseline FILE` then reports only new ones, and `--add-ignore` writes an ignore
//! pragma above every finding instead.

use std::path::PathBuf;

use clap::Args;

use dlayer::fix::pragmas::add_ignores;
use dlayer::report::FileReport;
use dlayer::report::baseline::Baseline;

use super::Status;
use super::fix::write_atomically;
use super::lint::Job;

#[derive(Args, Debug)]
pub struct BaselineArgs {
    /// Report only the findings that are not in this baseline file (see --write-baseline).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write every current finding to this baseline file, then exit 0 (2 if a file could not
    /// be read).
    #[arg(long, value_name = "FILE", conflicts_with = "add_ignore")]
    write_baseline: Option<PathBuf>,
    /// Insert `# dlayer ignore=CODES` above every instruction with a finding (idempotent).
    #[arg(long)]
    add_ignore: bool,
}

impl BaselineArgs {
    /// Whether this run writes (a baseline or pragmas) instead of reporting.
    pub fn writes(&self) -> bool {
        self.write_baseline.is_some() || self.add_ignore
    }
}

/// Drops the findings `--baseline` accepts.
pub fn filter<'f>(
    args: &BaselineArgs,
    files: impl IntoIterator<Item = &'f mut FileReport>,
) -> Result<(), String> {
    let Some(path) = &args.baseline else {
        return Ok(());
    };
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read baseline {}: {error}", path.display()))?;
    let baseline = Baseline::parse(&text)
        .map_err(|error| format!("bad baseline {}: {error}", path.display()))?;
    baseline.filter(files);
    Ok(())
}

/// `--write-baseline` or `--add-ignore`, over the files as linted (and filtered).
pub fn write(args: &BaselineArgs, files: &[FileReport], jobs: &[Job]) -> Status {
    let unreadable = files.iter().any(|file| file.error.is_some());
    let mut status = if unreadable {
        Status::Failure
    } else {
        Status::Clean
    };
    for file in files.iter().filter(|file| file.error.is_some()) {
        eprintln!(
            "dlayer: {}: {}",
            file.path,
            file.error.as_deref().unwrap_or_default()
        );
    }
    if let Some(path) = &args.write_baseline {
        let baseline = Baseline::of(files);
        if let Err(error) = std::fs::write(path, baseline.to_json()) {
            eprintln!("dlayer: cannot write {}: {error}", path.display());
            return Status::Failure;
        }
        eprintln!(
            "dlayer: wrote {} findings to the baseline {}",
            baseline.findings.len(),
            path.display()
        );
    }
    if args.add_ignore {
        status = status.max(write_pragmas(files, jobs));
    }
    status
}

fn write_pragmas(files: &[FileReport], jobs: &[Job]) -> Status {
    let mut status = Status::Clean;
    let (mut pragmas, mut changed, mut left) = (0, 0, 0);
    for (file, job) in files.iter().zip(jobs) {
        if file.error.is_some() || file.diagnostics.is_empty() {
            continue;
        }
        if job.stdin.is_some() {
            eprintln!("dlayer: --add-ignore cannot rewrite standard input");
            status = Status::Failure;
            continue;
        }
        match add_ignores(&file.source, &file.diagnostics) {
            Ok(added) => {
                left += added.left;
                if added.pragmas == 0 {
                    continue;
                }
                if let Err(error) = write_atomically(&job.path, added.text.as_bytes()) {
                    eprintln!("dlayer: cannot write {}: {error}", file.path);
                    status = Status::Failure;
                    continue;
                }
                pragmas += added.pragmas;
                changed += 1;
            }
            Err(message) => {
                eprintln!("dlayer: {}: {message}", file.path);
                status = Status::Failure;
            }
        }
    }
    eprintln!("dlayer: {pragmas} ignore pragmas added or extended, {changed} files changed");
    if left > 0 {
        eprintln!(
            "dlayer: {left} findings cannot be ignored by a pragma (syntax errors, findings \
             outside instructions)"
        );
    }
    status
}
