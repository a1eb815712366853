//! Running the real `dlayer` binary from integration tests.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `dlayer ARGS` in the crate directory with `stdin` as its input.
pub fn dlayer(args: &[&str], stdin: Option<&[u8]>) -> Output {
    dlayer_with_path(args, stdin, None)
}

/// [`dlayer`] with `PATH` set to `path` (`None`: the test's own `PATH`).
pub fn dlayer_with_path(args: &[&str], stdin: Option<&[u8]>, path: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dlayer"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let mut child = command.spawn().expect("dlayer runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    // A run that fails early (a usage error) may exit before reading its input.
    if let Err(error) = input.write_all(stdin.unwrap_or_default()) {
        assert_eq!(
            error.kind(),
            std::io::ErrorKind::BrokenPipe,
            "writing stdin: {error}"
        );
    }
    drop(input);
    child.wait_with_output().expect("dlayer finishes")
}
