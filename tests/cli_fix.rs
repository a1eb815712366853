//! `dlayer fix` driven as a process: diff, check, in-place writes, stdin, refusals.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;

use common::dlayer;

const UPGRADE: &str = "FROM debian:12\nRUN apt-get update && apt-get upgrade -y && apt-get install -y --no-install-recommends curl\r\nCMD [\"curl\"]\n";
const FIXED: &str = "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\r\nCMD [\"curl\"]\n";

/// A Dockerfile holding `contents` in a directory of its own, removed when the returned guard
/// is dropped.
fn scratch(name: &str, contents: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::Builder::new()
        .prefix(&format!("dlayer-fix-{name}-"))
        .tempdir()
        .unwrap();
    let path = dir.path().join("Dockerfile");
    fs::write(&path, contents).unwrap();
    (dir, path)
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let (_dir, path) = scratch("diff", UPGRADE);
    let output = dlayer(
        &[
            "fix",
            "--no-config",
            "--diff",
            "--unsafe-fixes",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8(output.stdout).unwrap();
    assert!(
        diff.contains("\n-FROM debian:12\n") && diff.contains("\n+FROM debian:12-slim\n"),
        "{diff}"
    );
    assert!(
        diff.contains("+RUN apt-get update && apt-get install -y"),
        "{diff}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), UPGRADE);
}

#[test]
fn check_exits_1_only_when_something_would_change() {
    let (_dir, path) = scratch("check", UPGRADE);
    let file = path.to_str().unwrap();
    // Both fixes are unsafe: without --unsafe-fixes nothing would change.
    assert_eq!(
        dlayer(
            &["fix", "--no-config", "--select", "HC", "--check", file],
            None
        )
        .status
        .code(),
        Some(0)
    );
    assert_eq!(
        dlayer(
            &[
                "fix",
                "--no-config",
                "--select",
                "HC",
                "--check",
                "--unsafe-fixes",
                file
            ],
            None
        )
        .status
        .code(),
        Some(1)
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), UPGRADE);
}

#[test]
fn in_place_keeps_mode_and_line_endings_and_is_idempotent() {
    let (_dir, path) = scratch("inplace", UPGRADE);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let file = path.to_str().unwrap();
    let output = dlayer(
        &[
            "fix",
            "--no-config",
            "--select",
            "HC",
            "--unsafe-fixes",
            "--show-fixes",
            file,
        ],
        None,
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
    let shown = String::from_utf8(output.stderr).unwrap();
    assert!(
        shown.contains(":2: HC009 Remove `apt-get upgrade -y`"),
        "{shown}"
    );
    let again = dlayer(
        &[
            "fix",
            "--no-config",
            "--select",
            "HC",
            "--unsafe-fixes",
            "--check",
            file,
        ],
        None,
    );
    assert_eq!(
        again.status.code(),
        Some(0),
        "a fixed file has nothing left to fix"
    );
}

#[test]
fn stdin_writes_the_result_to_stdout() {
    let output = dlayer(
        &[
            "fix",
            "--no-config",
            "--select",
            "HC",
            "--unsafe-fixes",
            "-",
        ],
        Some(UPGRADE.as_bytes()),
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), FIXED);
    let only = dlayer(
        &[
            "fix",
            "--no-config",
            "--unsafe-fixes",
            "--select",
            "HC009",
            "-",
        ],
        Some(UPGRADE.as_bytes()),
    );
    assert!(
        String::from_utf8(only.stdout)
            .unwrap()
            .starts_with("FROM debian:12\n"),
        "--select limits the fixes"
    );
}

#[test]
fn files_with_syntax_errors_are_not_fixed() {
    let broken = "FROM debian:12\nRUN apt-get upgrade -y\nCMD [\"a\", [1]]\n";
    let (_dir, path) = scratch("broken", broken);
    let output = dlayer(
        &[
            "fix",
            "--no-config",
            "--unsafe-fixes",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    let errors = String::from_utf8(output.stderr).unwrap();
    assert!(errors.contains(":3:11: DL1000"), "{errors}");
    assert!(errors.contains("not fixed"), "{errors}");
    assert_eq!(fs::read_to_string(&path).unwrap(), broken);
}

#[test]
fn a_missing_file_exits_2() {
    let output = dlayer(
        &[
            "fix",
            "--no-config",
            "--select",
            "HC",
            "testdata/does-not-exist/Dockerfile",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
}

/// Two findings with safe fixes (DL3020, DL3059) and findings no safe fix removes (HC001's base,
/// SEC005's root user).
const MIXED: &str = "FROM debian:12\nADD app.txt /app/\nRUN echo one\nRUN echo two\n";

#[test]
fn writing_exits_1_while_findings_remain_and_prints_the_summary() {
    let (_dir, path) = scratch("summary", MIXED);
    let file = path.to_str().unwrap();
    let output = dlayer(&["fix", "--no-config", file], None);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("(2 fixed, "), "{stderr}");
    assert!(stderr.contains("remaining)."), "{stderr}");
    assert!(fs::read_to_string(&path).unwrap().contains("COPY app.txt"));
    // Nothing left to fix: --exit-zero, or a threshold above what remains, exits 0.
    let output = dlayer(&["fix", "--no-config", "--exit-zero", file], None);
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("(0 fixed, "), "{stderr}");
    let output = dlayer(&["fix", "--no-config", "-t", "error", file], None);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn check_and_diff_exit_1_only_with_a_diff_and_2_on_errors() {
    let fixed = "FROM debian:12\nCOPY app.txt /app/\nRUN echo one && \\\n    echo two\n";
    let (_dir, path) = scratch("check-clean", fixed);
    let file = path.to_str().unwrap();
    for mode in ["--check", "--diff"] {
        let output = dlayer(&["fix", "--no-config", mode, file], None);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{mode}: findings remain, no diff"
        );
        assert!(output.stdout.is_empty());
    }
    let (_broken_dir, broken) = scratch("check-broken", "FROM debian:12\nRUN <<EOF\necho\n");
    for mode in ["--check", "--diff"] {
        let output = dlayer(
            &["fix", "--no-config", mode, broken.to_str().unwrap()],
            None,
        );
        assert_eq!(output.status.code(), Some(2), "{mode}: syntax errors");
    }
    let missing = dlayer(
        &["fix", "--no-config", "--check", "/nonexistent/Dockerfile"],
        None,
    );
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn a_run_that_does_not_parse_gets_no_shell_fix_and_the_others_apply() {
    let source = "FROM debian:12\nADD app.txt /app/\nRUN apt-get update && apt-get install -y curl; && echo done\n";
    let (_dir, path) = scratch("opaque", source);
    let output = dlayer(
        &["fix", "--no-config", "--diff", path.to_str().unwrap()],
        None,
    );
    let diff = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(diff.contains("+COPY app.txt /app/"), "{diff}");
    assert!(!diff.contains("lists"), "{diff}");
    assert!(!stderr.contains("internal"), "{stderr}");
}
