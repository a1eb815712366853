//! Adopting dlayer on a big project: `dlayer lint --write-baseline FILE` records today's
//! findings, `--baseline FILE` then reports only new ones, and `--add-ignore` writes an ignore
//! pragma above every finding instead.

use std::path::PathBuf;

use clap::Args;

use dlayer::fix::pragmas::add_ignores;
use dlayer::report::FileReport;
use dlayer::report::baseline::{self, Baseline, Entry, Matcher};

use super::Status;
use super::lint::Job;
use super::messages;
use super::replace::replace_file;

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

/// What this run does about adoption: filter by a baseline, or write one, or write pragmas.
pub struct Adoption<'a> {
    args: &'a BaselineArgs,
    matcher: Option<Matcher>,
    entries: Vec<Entry>,
    status: Status,
    /// `--add-ignore`: pragmas written, files changed, findings that cannot take a pragma.
    pragmas: usize,
    changed: usize,
    left: usize,
}

impl<'a> Adoption<'a> {
    /// Reads `--baseline` when given.
    pub fn new(args: &'a BaselineArgs) -> Result<Adoption<'a>, String> {
        let matcher = match &args.baseline {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|error| {
                    format!(
                        "cannot read baseline {}: {}",
                        path.display(),
                        messages::io_error(&error)
                    )
                })?;
                let baseline = Baseline::parse(&text)
                    .map_err(|error| format!("bad baseline {}: {error}", path.display()))?;
                Some(baseline.matcher())
            }
            None => None,
        };
        Ok(Adoption {
            args,
            matcher,
            entries: Vec::new(),
            status: Status::Clean,
            pragmas: 0,
            changed: 0,
            left: 0,
        })
    }

    /// Whether this run writes (a baseline or pragmas) instead of reporting.
    pub fn writes(&self) -> bool {
        self.args.write_baseline.is_some() || self.args.add_ignore
    }

    /// Drops the findings `--baseline` accepts.
    pub fn filter(&mut self, file: &mut FileReport) {
        if let Some(matcher) = &mut self.matcher {
            matcher.filter(file);
        }
    }

    /// Takes one linted file in a writing run.
    pub fn take(&mut self, file: &FileReport, job: &Job) {
        if let Some(error) = &file.error {
            messages::error(job.message(error));
            self.status = Status::Failure;
            return;
        }
        if self.args.write_baseline.is_some() {
            self.entries.extend(baseline::entries(file));
        }
        if self.args.add_ignore && !file.diagnostics.is_empty() {
            self.add_pragmas(file, job);
        }
    }

    fn add_pragmas(&mut self, file: &FileReport, job: &Job) {
        if job.stdin.is_some() {
            messages::error("--add-ignore cannot rewrite standard input");
            self.status = Status::Failure;
            return;
        }
        let added = match add_ignores(&file.source, &file.diagnostics) {
            Ok(added) => added,
            Err(reason) => {
                messages::error(job.message(&reason));
                self.status = Status::Failure;
                return;
            }
        };
        self.left += added.left;
        if added.pragmas == 0 {
            return;
        }
        let written = replace_file(
            &job.path,
            &job.shown,
            file.source.as_bytes(),
            added.text.as_bytes(),
        );
        match written {
            Ok(()) => {
                self.pragmas += added.pragmas;
                self.changed += 1;
            }
            Err(message) => {
                messages::error(message);
                self.status = Status::Failure;
            }
        }
    }

    /// Writes the baseline and says what was done.
    pub fn finish(self) -> Status {
        let status = self.status;
        if let Some(path) = &self.args.write_baseline {
            let count = self.entries.len();
            let baseline = Baseline {
                dlayer_baseline: baseline::VERSION,
                findings: self.entries,
            };
            if let Err(error) = std::fs::write(path, baseline.to_json()) {
                messages::error(format!(
                    "cannot write {}: {}",
                    path.display(),
                    messages::io_error(&error)
                ));
                return Status::Failure;
            }
            eprintln!(
                "dlayer: wrote {count} findings to the baseline {}",
                path.display()
            );
        }
        if self.args.add_ignore {
            eprintln!(
                "dlayer: {} ignore pragmas added or extended, {} files changed",
                self.pragmas, self.changed
            );
            if self.left > 0 {
                messages::warning(format!(
                    "{} findings cannot be ignored by a pragma (syntax errors, findings outside \
                     instructions)",
                    self.left
                ));
            }
        }
        status
    }
}
