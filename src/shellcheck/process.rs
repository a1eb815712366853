//! Running `shellcheck` on one script: the script on standard input, `--format=json1` out.

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

/// ShellCheck's findings on `script`. ShellCheck exits 0 without findings and 1 with some;
/// anything else is an error.
pub fn run(program: &Path, script: &Script) -> Result<Vec<Comment>, String> {
    let failed = |what: String| format!("shellcheck ({}): {what}", program.display());
    let mut child = Command::new(program)
        .args([
            "--format=json1",
            // A .shellcheckrc found from the working directory would make results depend on
            // where dlayer runs.
            "--norc",
            "--shell",
            script.dialect,
            "--exclude",
            EXCLUDED,
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| failed(format!("cannot run it: {error}")))?;
    let stdin = child.stdin.take();
    let text = script.text.as_bytes();
    // Writing on another thread: a script larger than the pipe's buffer must not wait for
    // ShellCheck to read while ShellCheck waits for us to read its output. The pipe closes
    // when the thread ends, and ShellCheck sees the end of the script.
    let (written, output) = std::thread::scope(|scope| {
        let writer = scope.spawn(move || match stdin {
            Some(mut stdin) => stdin.write_all(text),
            None => Ok(()),
        });
        let output = child.wait_with_output();
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("writer thread panicked")));
        (written, output)
    });
    let output = output.map_err(|error| failed(error.to_string()))?;
    let (status, stdout, stderr) = (
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    if !matches!(status.code(), Some(0 | 1)) {
        let reason = stderr.lines().next().unwrap_or("").trim().to_string();
        return Err(failed(format!("exited with {status}: {reason}")));
    }
    written.map_err(|error| failed(format!("cannot write the script: {error}")))?;
    serde_json::from_str::<Output>(&stdout)
        .map(|output| output.comments)
        .map_err(|error| failed(format!("unexpected output: {error}")))
}
