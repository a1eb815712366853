//! `dlayer dump` driven as a process: output, headers, stdin, exit codes, error rendering.

mod common;

use std::process::Output;

use common::dlayer;

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn dump_prints_buildkit_format() {
    let output = dlayer(&["dump", "testdata/syntax/flags.Dockerfile"], None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn several_files_get_headers() {
    let output = dlayer(
        &[
            "dump",
            "testdata/syntax/keywords.Dockerfile",
            "testdata/syntax/arg.Dockerfile",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.starts_with(
        "==> testdata/syntax/keywords.Dockerfile <==\n(from \"alpine\" \"AS\" \"Base\")\n"
    ));
    assert!(text.contains("==> testdata/syntax/arg.Dockerfile <==\n(arg \"VERSION=1.0\")\n"));
}

#[test]
fn dash_reads_standard_input() {
    let output = dlayer(&["dump", "-"], Some(b"FROM alpine\nENV A b\n"));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "(from \"alpine\")\n(env \"A\" \"b\" \"\")\n"
    );
}

#[test]
fn parse_errors_exit_1_with_positioned_messages() {
    let output = dlayer(&["dump", "testdata/syntax/errors.Dockerfile"], None);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "", "a rejected file has no tree");
    let errors = stderr(&output);
    assert!(
        errors.contains(
            "error: when using JSON array syntax, arrays must be comprised of strings only"
        )
    );
    assert!(
        errors.contains("testdata/syntax/errors.Dockerfile:2:15"),
        "{errors}"
    );
    assert!(
        errors.contains("CMD [ \"echo\", [ \"nested\" ] ]"),
        "the source line is shown: {errors}"
    );
    assert!(
        errors.contains("testdata/syntax/errors.Dockerfile:9:6"),
        "{errors}"
    );
}

#[test]
fn build_level_errors_are_still_dumped() {
    let output = dlayer(
        &["dump", "-"],
        Some(b"FROM alpine\nFRM x\nCOPY --frm=a b c\nONBUILD FROM x\n"),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "(from \"alpine\")\n(frm \"\")\n(copy [\"--frm=a\"] \"b\" \"c\")\n(onbuild (from \"x\"))\n"
    );
}

#[test]
fn unreadable_file_exits_2_and_others_still_run() {
    let output = dlayer(
        &[
            "dump",
            "testdata/does-not-exist",
            "testdata/syntax/arg.Dockerfile",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("dlayer: error: testdata/does-not-exist: No such file or directory")
    );
    assert!(stdout(&output).contains("(arg \"VERSION=1.0\")"));
}

#[test]
fn invalid_utf8_is_reported_with_its_offset() {
    let output = dlayer(&["dump", "testdata/syntax/invalid_utf8.Dockerfile"], None);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("invalid UTF-8 at byte offset 22"));
}

#[test]
fn json_format_carries_spans_and_positions() {
    let output = dlayer(
        &[
            "dump",
            "--format",
            "json",
            "testdata/syntax/heredocs.Dockerfile",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["version"], 1);
    let items = document["files"][0]["tree"]["items"].as_array().unwrap();
    let run = &items[1];
    assert_eq!(run["item"], "instruction");
    assert_eq!(run["kind"], "run");
    assert_eq!(run["start"], serde_json::json!({"line": 2, "column": 1}));
    assert_eq!(run["heredocs"][0]["name"], "EOF");
    assert_eq!(
        run["heredocs"][0]["marker"],
        serde_json::json!({"start": 16, "end": 21})
    );
}

#[test]
fn json_of_a_rejected_file_still_holds_its_tree() {
    let output = dlayer(
        &[
            "dump",
            "--format",
            "json",
            "testdata/syntax/errors.Dockerfile",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let items = document["files"][0]["tree"]["items"].as_array().unwrap();
    assert_eq!(items[1]["item"], "error");
    assert_eq!(items[2]["item"], "instruction");
}

#[test]
fn dump_model_prints_stages_instructions_and_packages() {
    let output = dlayer(
        &[
            "dump",
            "--model",
            "--build-arg",
            "BASE=ubuntu:24.04",
            "testdata/model/from_arg.Dockerfile",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let model: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(model["stages"][0]["base"]["raw"], "ubuntu:24.04");
    assert_eq!(model["stages"][0]["base"]["repository"], "ubuntu");
    assert_eq!(model["stages"][0]["base"]["tag"], "24.04");

    let output = dlayer(
        &["dump", "--model", "-"],
        Some(b"FROM debian:12\nWORKDIR /src\nRUN apt-get install -y nginx\n"),
    );
    let model: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let run = &model["stages"][0]["instructions"][1];
    assert_eq!(run["keyword"], "RUN");
    assert_eq!(run["line"], 3);
    assert_eq!(run["context"]["workdir"], "/src");
    assert_eq!(
        run["context"]["shell"],
        serde_json::json!(["/bin/sh", "-c"])
    );
    assert_eq!(run["commands"][0]["name"], "apt-get");
    assert_eq!(run["commands"][0]["column"], 5);
    let package = &run["packages"][0];
    assert_eq!(package["name"], "nginx");
    assert_eq!(package["action"], "install");
    assert_eq!(package["layer"], "runtime");
    assert_eq!(
        (package["line"].as_u64(), package["column"].as_u64()),
        (Some(3), Some(24))
    );
}

#[test]
fn bad_build_arg_is_a_usage_error() {
    let output = dlayer(
        &["dump", "--model", "--build-arg", "novalue", "-"],
        Some(b"FROM x\n"),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("NAME=VALUE"));
}
