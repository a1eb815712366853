//! The formats for grep, reviewdog and SonarQube, and `--statistics` with every format, driven
//! through the real binary. rdjson is validated against reviewdog's JSON schema
//! (`tests/data/rdjson-DiagnosticResult.schema.json`, see `tests/data/README.md`).

mod common;

use std::process::Output;

use common::dlayer;
use serde_json::Value;

const PROJECT: &str = "testdata/lint/project/Dockerfile";

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn lint(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut all = vec!["lint", "--no-config"];
    all.extend_from_slice(args);
    dlayer(&all, stdin)
}

/// A file with multibyte text before a finding, read from standard input.
const MULTIBYTE: &str =
    "FROM debian:12\nLABEL note=\"café ☕\"\nRUN echo \"ü\" && apt-get install -y vim\n";

#[test]
fn concise_is_one_line_per_finding() {
    let output = lint(&["-f", "concise", PROJECT], None);
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 10, "{stdout}");
    assert_eq!(
        lines[0],
        "testdata/lint/project/Dockerfile:1:6: HC001 the shipped image starts from `ubuntu:22.04`, \
         a general-purpose distribution: build on a minimal base such as `debian:12-slim`, \
         estimated 29 MB → 28 MB (os layer)"
    );
    for line in &lines {
        let mut parts = line.splitn(4, ':');
        assert_eq!(parts.next(), Some(PROJECT));
        assert!(parts.next().unwrap().parse::<usize>().is_ok(), "{line}");
        assert!(parts.next().unwrap().parse::<usize>().is_ok(), "{line}");
        let rest = parts.next().unwrap();
        let code = rest.trim_start().split(' ').next().unwrap();
        assert!(code.chars().all(|c| c.is_ascii_alphanumeric()), "{line}");
    }
    assert!(text(&output.stderr).is_empty());
}

#[test]
fn concise_columns_count_characters_and_unreadable_files_get_a_line() {
    let output = lint(
        &[
            "-f",
            "concise",
            "--select",
            "DL3015",
            "-",
            "missing/Dockerfile",
        ],
        Some(MULTIBYTE.as_bytes()),
    );
    assert_eq!(output.status.code(), Some(2));
    let stdout = text(&output.stdout);
    let column = "RUN echo \"ü\" && ".chars().count() + 1;
    assert!(
        stdout.contains(&format!("-:3:{column}: DL3015 ")),
        "{stdout}"
    );
    assert!(
        stdout.contains("missing/Dockerfile:1:1: unreadable cannot read missing/Dockerfile"),
        "{stdout}"
    );
}

fn rdjson_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("data/rdjson-DiagnosticResult.schema.json")).unwrap();
    jsonschema::validator_for(&schema).expect("reviewdog's schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, value: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|error| format!("{error} at {}", error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn rdjson_follows_reviewdogs_schema_with_byte_columns_and_suggestions() {
    let validator = rdjson_validator();
    let output = lint(&["-f", "rdjson", PROJECT], None);
    assert_eq!(output.status.code(), Some(1));
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_valid(&validator, &result);
    assert_eq!(result["source"]["name"], "dlayer");
    let diagnostics = result["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 10);
    let recommends = diagnostics
        .iter()
        .find(|d| d["code"]["value"] == "DL3015")
        .unwrap();
    assert_eq!(recommends["severity"], "INFO");
    let suggestion = &recommends["suggestions"][0];
    assert!(
        suggestion["text"]
            .as_str()
            .unwrap()
            .contains("--no-install-recommends"),
        "{suggestion}"
    );
    // The validator does reject a wrong severity.
    let mut broken = result.clone();
    broken["diagnostics"][0]["severity"] = "FATAL".into();
    assert!(!validator.is_valid(&broken));

    // Columns count UTF-8 bytes on multibyte lines; an unreadable file has no range.
    let output = lint(
        &[
            "-f",
            "rdjson",
            "--select",
            "DL3015",
            "-",
            "missing/Dockerfile",
        ],
        Some(MULTIBYTE.as_bytes()),
    );
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_valid(&validator, &result);
    let start = &result["diagnostics"][0]["location"]["range"]["start"];
    assert_eq!(start["line"], 3);
    assert_eq!(start["column"], "RUN echo \"ü\" && ".len() + 1);
    let unreadable = &result["diagnostics"][1];
    assert_eq!(unreadable["code"]["value"], "unreadable");
    assert_eq!(unreadable["severity"], "ERROR");
    assert!(unreadable["location"].get("range").is_none());
}

#[test]
fn sonarqube_generic_issues() {
    let output = lint(&["-f", "sonarqube", PROJECT, "missing/Dockerfile"], None);
    assert_eq!(output.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules = report["rules"].as_array().unwrap();
    let issues = report["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 11);
    let mut ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), rules.len(), "each rule once");
    for rule in rules {
        for field in [
            "id",
            "name",
            "description",
            "engineId",
            "cleanCodeAttribute",
        ] {
            assert!(rule[field].is_string(), "{field} in {rule}");
        }
        let impact = &rule["impacts"][0];
        assert!(
            ["MAINTAINABILITY", "RELIABILITY", "SECURITY"]
                .contains(&impact["softwareQuality"].as_str().unwrap())
        );
        assert!(["HIGH", "MEDIUM", "LOW"].contains(&impact["severity"].as_str().unwrap()));
    }
    for issue in issues {
        assert!(ids.contains(&issue["ruleId"].as_str().unwrap()), "{issue}");
        let location = &issue["primaryLocation"];
        assert!(location["message"].is_string() && location["filePath"].is_string());
        assert!(location["textRange"]["startLine"].as_u64().unwrap() >= 1);
    }
    let root = issues.iter().find(|i| i["ruleId"] == "SEC005").unwrap();
    assert_eq!(
        root["primaryLocation"]["textRange"],
        serde_json::json!({"startLine": 1, "startColumn": 5, "endLine": 1, "endColumn": 17})
    );
    let sec = rules.iter().find(|r| r["id"] == "SEC005").unwrap();
    assert_eq!(sec["impacts"][0]["softwareQuality"], "SECURITY");
    assert!(
        issues.iter().any(|i| i["ruleId"] == "unreadable"
            && i["primaryLocation"]["filePath"] == "missing/Dockerfile")
    );
}

const TABLE_ROW: &str = "3  HC002   ssh-server";

#[test]
fn statistics_go_to_standard_error_with_every_machine_format() {
    for format in [
        "json",
        "sarif",
        "checkstyle",
        "gitlab",
        "github",
        "junit",
        "concise",
        "rdjson",
        "sonarqube",
    ] {
        let plain = lint(&["-f", format, PROJECT], None);
        let with = lint(&["-f", format, "--statistics", PROJECT], None);
        assert_eq!(with.status.code(), Some(1), "{format}");
        assert_eq!(
            plain.stdout, with.stdout,
            "{format}: the report is unchanged"
        );
        let stderr = text(&with.stderr);
        assert!(stderr.contains(TABLE_ROW), "{format}: {stderr}");
        assert!(
            stderr.contains("1  SEC005  runs-as-root"),
            "{format}: {stderr}"
        );
    }
}

#[test]
fn statistics_alone_and_with_the_terminal_format() {
    let output = lint(&["--statistics", "--color", "never", PROJECT], None);
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert!(stdout.contains(TABLE_ROW), "{stdout}");
    assert!(text(&output.stderr).is_empty());
    // Clean input: no table, no noise on standard error.
    let clean = lint(
        &["-f", "json", "--statistics", "-"],
        Some(b"FROM scratch\nCOPY app /app\nUSER 1000\nCMD [\"/app\"]\n"),
    );
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stdout));
    assert!(text(&clean.stderr).is_empty());
}
