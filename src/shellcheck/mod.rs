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

use crate::model::Model;
use crate::rules::{Diagnostic, Severity};
use crate::syntax::Dockerfile;

pub use script::{Script, dialect, scripts};

/// The rule name of every ShellCheck finding.
pub const NAME: &str = "shellcheck";

/// Whether `code` is a ShellCheck code (`SC` and four digits).
pub fn is_code(code: &str) -> bool {
    code.len() == 6
        && code[..2].eq_ignore_ascii_case("SC")
        && code[2..].bytes().all(|byte| byte.is_ascii_digit())
}

/// A `shellcheck` executable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellCheck {
    program: PathBuf,
}

/// What ShellCheck found in one file, and what went wrong running it.
#[derive(Debug, Default)]
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    /// One message per script ShellCheck could not check (it failed, or its output was not
    /// what `--format=json1` promises).
    pub errors: Vec<String>,
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

    /// ShellCheck's findings on every script of the file, the scripts checked in parallel.
    pub fn check(&self, dockerfile: &Dockerfile, model: &Model) -> Checked {
        let scripts = scripts(dockerfile, model);
        let results: Vec<(usize, Result<Vec<process::Comment>, String>)> = scripts
            .par_iter()
            .enumerate()
            .map(|(index, script)| (index, process::run(&self.program, script)))
            .collect();
        let mut checked = Checked::default();
        for (index, result) in results {
            match result {
                Ok(comments) => checked.diagnostics.extend(
                    comments
                        .iter()
                        .filter_map(|comment| diagnostic(&scripts[index], comment)),
                ),
                Err(message) => checked.errors.push(message),
            }
        }
        checked
    }
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
        assert_eq!(interned_code(2086), Some("SC2086"));
        assert!(std::ptr::eq(
            interned_code(2086).unwrap(),
            interned_code(2086).unwrap()
        ));
        assert_eq!(interned_code(99), None);
    }

    #[test]
    fn a_missing_program_is_an_error_per_script_not_a_panic() {
        let dockerfile = crate::syntax::parse_bytes(b"FROM a\nRUN echo $x\n");
        let model = crate::model::build(&dockerfile, &crate::model::Options::default());
        let checked = ShellCheck::at("/nonexistent/shellcheck").check(&dockerfile, &model);
        assert!(checked.diagnostics.is_empty());
        assert_eq!(checked.errors.len(), 1);
        assert!(checked.errors[0].contains("/nonexistent/shellcheck"));
    }
}
