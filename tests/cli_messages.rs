//! What dlayer says on bad input: one style, the path once, warnings with suggestions.

use std::fs;
use std::process::{Command, Output};

fn run(args: &[&str], dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dlayer"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_missing_path_is_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        &["lint", "--no-config", "--color", "never", "nope/Dockerfile"],
        dir.path(),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout.matches("nope/Dockerfile").count(), 1, "{stdout}");
    assert!(
        stdout.contains("nope/Dockerfile: No such file or directory"),
        "{stdout}"
    );
    assert!(stdout.contains("1 file could not be linted"), "{stdout}");
}

#[test]
fn unknown_rules_in_pragmas_and_selectors_are_warnings_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3\n# dlayer ignore=HC999\nCMD echo hi\n",
    )
    .unwrap();
    let output = run(
        &[
            "lint",
            "--no-config",
            "--select",
            "JSONArgsRecomended",
            "Dockerfile",
        ],
        dir.path(),
    );
    let text = stderr(&output);
    assert!(
        text.contains("dlayer: warning: unknown rule `JSONArgsRecomended` (did you mean `JSONArgsRecommended`?)"),
        "{text}"
    );
    assert!(
        text.contains("dlayer: warning: Dockerfile:2:1: unknown rule `HC999` (did you mean"),
        "{text}"
    );
}

#[test]
fn a_buildkit_check_name_selects_its_rule() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3\nCMD echo hi\n",
    )
    .unwrap();
    let output = run(
        &[
            "lint",
            "--no-config",
            "--format",
            "json",
            "--select",
            "JSONArgsRecommended",
            "Dockerfile",
        ],
        dir.path(),
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<&str> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["BK007"]);
}

#[test]
fn an_unknown_hadolint_key_is_a_warning_and_an_unknown_dlayer_key_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), "FROM alpine:3\n").unwrap();
    fs::write(
        dir.path().join(".hadolint.yaml"),
        "ignored: [DL3006]\nnew-key: 1\n",
    )
    .unwrap();
    let output = run(&["lint", "Dockerfile"], dir.path());
    let text = stderr(&output);
    assert_ne!(output.status.code(), Some(2), "the file is linted: {text}");
    assert!(
        text.contains("dlayer: warning: .hadolint.yaml:2:1: unknown key `new-key`"),
        "{text}"
    );
    fs::write(dir.path().join("dlayer.toml"), "new-key = 1\n").unwrap();
    let output = run(&["lint", "--format", "json", "Dockerfile"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        report.contains("dlayer.toml:1:1: unknown key `new-key`"),
        "{report}"
    );
}

#[test]
fn split_refuses_what_buildkit_rejects() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), "# escape=x\nFROM alpine:3\n").unwrap();
    let output = run(&["fix", "--split", "--no-config", "Dockerfile"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("not split: BuildKit rejects it: invalid escape token"));
}
