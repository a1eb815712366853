//! Running `shellcheck` with `--format=json1` on a batch of scripts of one dialect: a single
//! script goes through standard input, several are written to a temporary directory and
//! checked by one process (ShellCheck's start-up costs more than checking a typical RUN).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde::Deserialize;

use super::Script;

/// Codes hadolint never reports, nor do we: sourced files cannot be followed from a
/// Dockerfile (SC1090, SC1091), and SC2187 is about ShellCheck's own ash support.
const EXCLUDED: &str = "SC1090,SC1091,SC2187";

/// One finding of ShellCheck's `json1` format (lines and columns 1-based, columns counting
/// characters with a tab as one; the end is exclusive).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    /// `-` for standard input, else the script's file name (`<index>.sh`).
    pub file: String,
    pub line: usize,
    pub end_line: usize,
    pub column: usize,
    pub end_column: usize,
    pub level: String,
    pub code: u32,
    pub message: String,
}

#[derive(Deserialize)]
struct Output {
    comments: Vec<Comment>,
}

/// ShellCheck's findings on each of `scripts` (all of `dialect`), in the same order.
pub fn run(
    program: &Path,
    dialect: &str,
    scripts: &[&Script],
) -> Result<Vec<Vec<Comment>>, String> {
    let failed = |what: String| format!("shellcheck ({}): {what}", program.display());
    let mut command = Command::new(program);
    command.args([
        "--format=json1",
        // A .shellcheckrc found from the working directory would make results depend on
        // where dlayer runs.
        "--norc",
        "--shell",
        dialect,
        "--exclude",
        EXCLUDED,
    ]);
    let comments = match scripts {
        [script] => {
            command.arg("-");
            run_with_input(command, Some(script.text.as_bytes())).map_err(failed)?
        }
        _ => {
            let dir = tempfile::Builder::new()
                .prefix("dlayer-shellcheck")
                .tempdir()
                .map_err(|error| failed(format!("cannot make a temporary directory: {error}")))?;
            for (index, script) in scripts.iter().enumerate() {
                std::fs::write(dir.path().join(file_name(index)), &script.text)
                    .map_err(|error| failed(format!("cannot write a script: {error}")))?;
            }
            command
                .current_dir(dir.path())
                .args((0..scripts.len()).map(file_name));
            run_with_input(command, None).map_err(failed)?
        }
    };
    let mut per_script: Vec<Vec<Comment>> = scripts.iter().map(|_| Vec::new()).collect();
    for comment in comments {
        let index = match scripts.len() {
            1 => Some(0),
            _ => comment
                .file
                .strip_suffix(".sh")
                .and_then(|stem| stem.parse::<usize>().ok()),
        };
        if let Some(found) = index.and_then(|index| per_script.get_mut(index)) {
            found.push(comment);
        }
    }
    Ok(per_script)
}

fn file_name(index: usize) -> String {
    format!("{index}.sh")
}

/// Runs `command` with `input` (if any) on its standard input and reads its comments.
/// ShellCheck exits 0 without findings and 1 with some; anything else is an error.
fn run_with_input(mut command: Command, input: Option<&[u8]>) -> Result<Vec<Comment>, String> {
    let mut child = command
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run it: {error}"))?;
    let stdin = child.stdin.take();
    // Writing on another thread: a script larger than the pipe's buffer must not wait for
    // ShellCheck to read while ShellCheck waits for us to read its output. The pipe closes
    // when the thread ends, and ShellCheck sees the end of the script.
    let (written, output) = std::thread::scope(|scope| {
        let writer = scope.spawn(move || match (stdin, input) {
            (Some(mut stdin), Some(input)) => stdin.write_all(input),
            _ => Ok(()),
        });
        let output = child.wait_with_output();
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("writer thread panicked")));
        (written, output)
    });
    let output = output.map_err(|error| error.to_string())?;
    if !matches!(output.status.code(), Some(0 | 1)) {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let reason = stderr.lines().next().unwrap_or("").trim().to_string();
        return Err(format!("exited with {}: {reason}", output.status));
    }
    written.map_err(|error| format!("cannot write the script: {error}"))?;
    serde_json::from_slice::<Output>(&output.stdout)
        .map(|output| output.comments)
        .map_err(|error| format!("unexpected output: {error}"))
}
