//! Adopting dlayer on an existing project, driven through the binary on files in a temporary
//! directory: `--write-baseline`, `--baseline` (line moves keep findings known, new ones are
//! reported), and `--add-ignore` (pragmas that silence every finding, idempotent, files that
//! still parse).

use std::path::Path;
use std::process::{Command, Output};

const PROJECT: &str = include_str!("../testdata/lint/project/Dockerfile");

fn dlayer_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dlayer"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("dlayer runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_baseline_hides_known_findings_and_reports_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), PROJECT).unwrap();
    let written = dlayer_in(
        dir.path(),
        &["lint", "--no-config", "--write-baseline", "base.json"],
    );
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    assert!(stderr(&written).contains("wrote 10 findings"));
    assert!(stdout(&written).is_empty());

    let known = dlayer_in(
        dir.path(),
        &["lint", "--no-config", "--baseline", "base.json"],
    );
    assert_eq!(known.status.code(), Some(0), "{}", stdout(&known));

    // Lines moved down, one instruction added: only its findings are new.
    let moved = format!("# a comment\n\n{PROJECT}RUN apt-get install -y curl\n");
    std::fs::write(dir.path().join("Dockerfile"), moved).unwrap();
    let new = dlayer_in(
        dir.path(),
        &[
            "lint",
            "--no-config",
            "-f",
            "concise",
            "--baseline",
            "base.json",
        ],
    );
    assert_eq!(new.status.code(), Some(1));
    let lines: Vec<String> = stdout(&new).lines().map(String::from).collect();
    assert!(
        !lines.is_empty() && lines.iter().all(|line| line.starts_with("Dockerfile:7:")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line.contains("DL3008") && line.contains("curl"))
    );

    // A bad baseline is a usage error naming the file.
    std::fs::write(dir.path().join("bad.json"), "{\"findings\": 3}").unwrap();
    let bad = dlayer_in(
        dir.path(),
        &["lint", "--no-config", "--baseline", "bad.json"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("bad baseline bad.json"),
        "{}",
        stderr(&bad)
    );
    let missing = dlayer_in(
        dir.path(),
        &["lint", "--no-config", "--baseline", "none.json"],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read baseline none.json"));
}

#[test]
fn add_ignore_silences_every_finding_idempotently() {
    let dir = tempfile::tempdir().unwrap();
    let source = "# syntax=docker/dockerfile:1\nFROM ubuntu:22.04\n  RUN apt-get update \\\n    # the tools\n    && apt-get install -y openssh-server vim\n# dlayer ignore=HC002 -- reviewed\nEXPOSE 22\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n";
    std::fs::write(dir.path().join("Dockerfile"), source).unwrap();
    let before = dlayer_in(dir.path(), &["lint", "--no-config", "-f", "concise"]);
    assert_eq!(before.status.code(), Some(1));

    let added = dlayer_in(dir.path(), &["lint", "--no-config", "--add-ignore"]);
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
    let text = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert!(
        text.starts_with("# syntax=docker/dockerfile:1\n# dlayer ignore=HC001,SEC005\nFROM"),
        "{text}"
    );
    assert!(
        text.contains("\n  # dlayer ignore="),
        "indented like its instruction: {text}"
    );
    assert!(
        text.contains("# dlayer ignore=HC002 -- reviewed\nEXPOSE 22"),
        "{text}"
    );

    let after = dlayer_in(dir.path(), &["lint", "--no-config", "-f", "concise"]);
    assert_eq!(after.status.code(), Some(0), "{}", stdout(&after));
    // BuildKit's parse is unchanged: the same instructions.
    let dump = |file: &str| stdout(&dlayer_in(dir.path(), &["dump", file]));
    std::fs::write(dir.path().join("original.Dockerfile"), source).unwrap();
    assert_eq!(dump("Dockerfile"), dump("original.Dockerfile"));

    let again = dlayer_in(
        dir.path(),
        &["lint", "--no-config", "--add-ignore", "Dockerfile"],
    );
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        text
    );
    assert!(stderr(&again).contains("0 ignore pragmas added"));
}

#[test]
fn add_ignore_refuses_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_dlayer"))
        .args(["lint", "--no-config", "--add-ignore", "-"])
        .current_dir(dir.path())
        .stdin(
            std::fs::File::open(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/testdata/lint/project/Dockerfile"
            ))
            .unwrap(),
        )
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot rewrite standard input"));
}
