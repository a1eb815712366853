//! `dlayer fmt` driven as a process: in-place writes, `--check`, `--diff`, standard input,
//! the `[format]` configuration, refusals.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;

use common::dlayer;

const INPUT: &str = "testdata/format/input.Dockerfile";

/// A directory holding `files`, removed when the returned guard is dropped.
fn scratch(name: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix(&format!("dlayer-fmt-{name}-"))
        .tempdir()
        .unwrap();
    for (name, contents) in files {
        fs::write(dir.path().join(name), contents).unwrap();
    }
    dir
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn formats_the_fixture_in_the_canonical_layout() {
    let output = dlayer(&["fmt", "--no-config", INPUT, "--diff"], None);
    assert_eq!(output.status.code(), Some(1));
    let input = fs::read(INPUT).unwrap();
    let formatted = dlayer(&["fmt", "--no-config", "-"], Some(&input));
    assert_eq!(formatted.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&formatted));
    // Formatting the result again changes nothing.
    let again = dlayer(
        &["fmt", "--no-config", "--check", "-"],
        Some(&formatted.stdout),
    );
    assert_eq!(again.status.code(), Some(0), "{again:?}");
}

#[test]
fn writes_in_place_keeping_the_mode_and_check_passes_afterwards() {
    let dir = scratch("inplace", &[("Dockerfile", "from alpine\nrun  echo hi\n")]);
    let path = dir.path().join("Dockerfile");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let file = path.to_str().unwrap();
    let check = dlayer(&["fmt", "--check", file], None);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stderr).contains("would be formatted"));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "from alpine\nrun  echo hi\n"
    );
    let diff = dlayer(&["fmt", "--diff", file], None);
    assert_eq!(diff.status.code(), Some(1));
    assert!(
        stdout(&diff).contains("+RUN echo hi\n"),
        "{}",
        stdout(&diff)
    );
    let write = dlayer(&["fmt", file], None);
    assert_eq!(write.status.code(), Some(0));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "FROM alpine\nRUN echo hi\n"
    );
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_eq!(
        dlayer(&["fmt", "--check", file], None).status.code(),
        Some(0)
    );
}

#[test]
fn the_format_section_of_dlayer_toml_is_honoured() {
    let dir = scratch(
        "config",
        &[
            (
                "dlayer.toml",
                "[format]\noperator-position = \"trailing\"\nsort-packages = true\nindent-width = 2\n",
            ),
            (
                "Dockerfile",
                "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y zlib1g curl \\\n    && true\n",
            ),
        ],
    );
    let file = dir.path().join("Dockerfile");
    let output = dlayer(&["fmt", file.to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        "FROM debian:12\nRUN apt-get update && \\\n  apt-get install -y curl zlib1g && \\\n  true\n"
    );
}

#[test]
fn an_unknown_format_key_is_an_error_with_its_position() {
    let dir = scratch(
        "badkey",
        &[
            ("dlayer.toml", "[format]\nindent = 4\n"),
            ("Dockerfile", "FROM alpine\n"),
        ],
    );
    let output = dlayer(
        &[
            "fmt",
            "--check",
            dir.path().join("Dockerfile").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("dlayer.toml:2:1") && stderr.contains("unknown key `indent`"),
        "{stderr}"
    );
}

#[test]
fn a_file_with_syntax_errors_is_left_alone_and_others_are_formatted() {
    let dir = scratch(
        "syntax",
        &[
            ("Dockerfile", "FROM alpine\nRUN <<EOF\necho\n"),
            ("Dockerfile.ok", "from alpine\n"),
        ],
    );
    let output = dlayer(&["fmt", "--no-config", dir.path().to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Dockerfile:2:5: DL1000") && stderr.contains("not formatted"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        "FROM alpine\nRUN <<EOF\necho\n"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("Dockerfile.ok")).unwrap(),
        "FROM alpine\n"
    );
}

#[test]
fn standard_input_is_passed_through_when_it_cannot_be_formatted() {
    let broken = b"FROM alpine\nRUN <<EOF\n";
    let output = dlayer(&["fmt", "--no-config", "-"], Some(broken));
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(output.stdout, broken);
}
