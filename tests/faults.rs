//! The command line under faults: closed pipes, full disks, files changed behind its back,
//! symlinks, hard links, owners, special files, huge files, empty directories.

mod common;

use std::fs;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dlayer"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    command
}

/// A Dockerfile of `lines` RUN lines (each a finding or two, and a long dump).
fn big_dockerfile(dir: &Path, lines: usize) -> String {
    let mut text = String::from("FROM debian:bookworm\n");
    for i in 0..lines {
        text.push_str(&format!("RUN apt-get install -y package{i}\n"));
    }
    let path = dir.join("Dockerfile");
    fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// Runs `args` with standard output a pipe whose reading end is already closed: the run must
/// end as `cat` does (killed by SIGPIPE, nothing on standard error).
fn assert_quiet_on_closed_pipe(args: &[&str]) {
    let mut ends = [0; 2];
    // SAFETY: `pipe` fills the two descriptors, each then owned exactly once.
    let (read, write) = unsafe {
        assert_eq!(libc::pipe(ends.as_mut_ptr()), 0);
        (OwnedFd::from_raw_fd(ends[0]), OwnedFd::from_raw_fd(ends[1]))
    };
    drop(read);
    let output = command(args)
        .stdin(Stdio::null())
        .stdout(Stdio::from(write))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.signal(), Some(libc::SIGPIPE), "{args:?}: {stderr}");
    assert_eq!(stderr, "", "{args:?}");
}

#[test]
fn closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_dockerfile(dir.path(), 200);
    assert_quiet_on_closed_pipe(&["rules"]);
    assert_quiet_on_closed_pipe(&["dump", &big]);
    assert_quiet_on_closed_pipe(&["dump", "--format", "json", &big]);
    assert_quiet_on_closed_pipe(&["lint", "--color", "never", &big]);
    assert_quiet_on_closed_pipe(&["lint", "--format", "json", &big]);
}

/// Runs `args` with `stream` (1 or 2) going to /dev/full: exit 2, never a panic.
fn run_into_dev_full(args: &[&str], stdin: &[u8], stream: u8) -> std::process::Output {
    let full = || Stdio::from(fs::File::create("/dev/full").unwrap());
    let mut command = command(args);
    command.stdin(Stdio::piped());
    if stream == 1 {
        command.stdout(full()).stderr(Stdio::piped());
    } else {
        command.stdout(Stdio::piped()).stderr(full());
    }
    let mut child = command.spawn().unwrap();
    use std::io::Write;
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn full_disk_is_exit_2_with_a_message() {
    let dockerfile = b"FROM debian:bookworm\nRUN apt-get install -y curl\n";
    for args in [
        &["fix", "-"][..],
        &["fix", "--split", "-"],
        &["fmt", "-"],
        &["lint", "-"],
        &["lint", "--format", "json", "-"],
        &["dump", "-"],
        &["rules"],
    ] {
        let output = run_into_dev_full(args, dockerfile, 1);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("dlayer: error: cannot write standard output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
    for args in [
        &["fix", "--split", "--report", "json", "-"][..],
        &["fix", "--show-fixes", "-"],
    ] {
        let output = run_into_dev_full(args, dockerfile, 2);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}
