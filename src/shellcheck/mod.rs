//! ShellCheck on RUN scripts (`dlayer lint --shellcheck`): an external `shellcheck` binary
//! checks every shell-form RUN script, and each of its findings becomes a diagnostic at the
//! exact bytes of the Dockerfile it points at, across continuation lines and heredocs.
//!
//! What is checked and how follows hadolint (reference §4): the script is prefixed with a `#!`
//! line naming the stage's shell and an `export` line declaring the variables the RUN sees;
//! exec-form RUNs, non-POSIX shells and heredocs whose `#!` names another interpreter are
//! skipped; SC1090, SC1091 (sourcing files) and SC2187 (ash) are not reported. Unlike hadolint,
//! variables are declared without a value, so ShellCheck still asks for quotes around them.
//!
//! Findings have code `SC` + ShellCheck's number, rule name `shellcheck` (a selector that names
//! them all), ShellCheck's level as severity and ShellCheck's message.

mod process;
mod script;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;

use crate::rules::{Diagnostic, Severity};

pub use script::{Script, dialect, scripts};

/// The rule name of every ShellCheck finding.
pub const NAME: &str = "shellcheck";

/// Whether `code` is a ShellCheck code (`SC` and four digits).
pub fn is_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 6
        && bytes[..2].eq_ignore_ascii_case(b"SC")
        && bytes[2..].iter().all(u8::is_ascii_digit)
}

/// A `shellcheck` executable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellCheck {
    program: PathBuf,
}

impl ShellCheck {
    /// The program at `program`.
    pub fn at(program: impl Into<PathBuf>) -> ShellCheck {
        ShellCheck {
            program: program.into(),
        }
    }

    /// The first `shellcheck` executable on `PATH`, if there is one.
    pub fn on_path() -> Option<ShellCheck> {
        let path = std::env::var_os("PATH")?;
        let name = if cfg!(windows) {
            "shellcheck.exe"
        } else {
            "shellcheck"
        };
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| is_executable(candidate))
            .map(ShellCheck::at)
    }

    pub fn program(&self) -> &Path {
        &self.program
    }

    /// ShellCheck's findings on each of `scripts` (of one file or of many), in order: the
    /// scripts are checked by batches in parallel; a batch ShellCheck failed on gives each of
    /// its scripts the error.
    pub fn check_scripts(&self, scripts: &[&Script]) -> Vec<Result<Vec<Diagnostic>, String>> {
        let batches = batches(scripts);
        let results: Vec<Result<Vec<Vec<process::Comment>>, String>> = batches
            .par_iter()
            .map(|batch| {
                let members: Vec<&Script> = batch.iter().map(|&index| scripts[index]).collect();
                process::run(&self.program, members[0].dialect, &members)
            })
            .collect();
        let mut checked: Vec<Result<Vec<Diagnostic>, String>> =
            scripts.iter().map(|_| Ok(Vec::new())).collect();
        for (batch, result) in batches.iter().zip(results) {
            match result {
                Ok(per_script) => {
                    for (&index, comments) in batch.iter().zip(per_script) {
                        checked[index] = Ok(comments
                            .iter()
                            .filter_map(|comment| diagnostic(scripts[index], comment))
                            .collect());
                    }
                }
                Err(message) => {
                    for &index in batch {
                        checked[index] = Err(message.clone());
                    }
                }
            }
        }
        checked
    }
}

/// Scripts per ShellCheck process, at least: a process costs about as much as checking a
/// couple of typical RUN scripts, so a small file gets one process.
const MIN_BATCH: usize = 8;
/// Scripts per process, at most: many scripts (from many files) are cut into a few batches
/// per thread, so that a thread that drew short scripts takes another batch.
const MAX_BATCH: usize = 64;

/// Indices of `scripts` grouped by dialect (ShellCheck's `--shell` is per process) and cut
/// into batches of [`MIN_BATCH`] to [`MAX_BATCH`] scripts, about four per thread.
fn batches(scripts: &[&Script]) -> Vec<Vec<usize>> {
    let mut by_dialect: Vec<(&str, Vec<usize>)> = Vec::new();
    for (index, script) in scripts.iter().enumerate() {
        match by_dialect
            .iter_mut()
            .find(|(dialect, _)| *dialect == script.dialect)
        {
            Some((_, group)) => group.push(index),
            None => by_dialect.push((script.dialect, vec![index])),
        }
    }
    let threads = rayon::current_num_threads().max(1);
    by_dialect
        .into_iter()
        .flat_map(|(_, group)| {
            let size = group
                .len()
                .div_ceil(threads * 4)
                .clamp(MIN_BATCH, MAX_BATCH);
            group
                .chunks(size)
                .map(<[usize]>::to_vec)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .is_ok_and(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// The diagnostic for one ShellCheck comment; `None` for one about the prologue or with a
/// code that is not ShellCheck's shape.
fn diagnostic(script: &Script, comment: &process::Comment) -> Option<Diagnostic> {
    let span = script.span(
        comment.line,
        comment.column,
        comment.end_line,
        comment.end_column,
    )?;
    Some(Diagnostic {
        code: interned_code(comment.code)?,
        name: NAME,
        severity: match comment.level.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            _ => Severity::Style,
        },
        message: comment.message.clone(),
        span,
        layer: None,
        fix: None,
        twins: Vec::new(),
    })
}

/// `SC2086` for 2086, one string per code for the life of the process (diagnostic codes are
/// `&'static str`); `None` outside ShellCheck's four-digit range, which also bounds the table.
fn interned_code(code: u32) -> Option<&'static str> {
    static CODES: OnceLock<Mutex<HashMap<u32, &'static str>>> = OnceLock::new();
    if !(1000..=9999).contains(&code) {
        return None;
    }
    let mut codes = CODES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    Some(
        codes
            .entry(code)
            .or_insert_with(|| Box::leak(format!("SC{code}").into_boxed_str())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert!(is_code("SC2086"));
        assert!(is_code("sc1000"));
        assert!(!is_code("SC208"));
        assert!(!is_code("DL3008"));
        assert!(!is_code("SC20861"));
        assert!(!is_code("aé123"));
        assert_eq!(interned_code(2086), Some("SC2086"));
        assert!(std::ptr::eq(
            interned_code(2086).unwrap(),
            interned_code(2086).unwrap()
        ));
        assert_eq!(interned_code(99), None);
    }

    fn scripts_of(text: &str) -> Vec<Script> {
        let dockerfile = crate::syntax::parse_bytes(text.as_bytes());
        let model = crate::model::build(&dockerfile, &crate::model::Options::default());
        scripts(&dockerfile, &model)
    }

    #[test]
    fn a_missing_program_is_an_error_per_script_not_a_panic() {
        let scripts = scripts_of("FROM a\nRUN echo $x\nRUN echo $y\n");
        let checked = ShellCheck::at("/nonexistent/shellcheck")
            .check_scripts(&scripts.iter().collect::<Vec<_>>());
        assert_eq!(checked.len(), 2);
        for result in checked {
            assert!(result.unwrap_err().contains("/nonexistent/shellcheck"));
        }
    }

    #[test]
    fn batches_keep_one_dialect_and_every_script_once() {
        let mut text = String::from("FROM a\n");
        for index in 0..70 {
            text.push_str(&format!("RUN echo {index}\n"));
            if index == 30 {
                text.push_str("SHELL [\"/bin/bash\", \"-c\"]\n");
            }
        }
        let scripts = scripts_of(&text);
        let refs: Vec<&Script> = scripts.iter().collect();
        let batches = batches(&refs);
        let mut seen: Vec<usize> = batches.iter().flatten().copied().collect();
        seen.sort();
        assert_eq!(seen, (0..70).collect::<Vec<_>>());
        for batch in &batches {
            assert!(batch.len() <= MAX_BATCH);
            assert!(
                batch
                    .iter()
                    .all(|&i| refs[i].dialect == refs[batch[0]].dialect)
            );
        }
    }
}
