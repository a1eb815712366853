//! `dlayer lint`, `dlayer rules` and `dlayer explain` driven as processes.

mod common;

use std::process::Output;

use common::dlayer;

const PROJECT: &str = "testdata/lint/project";

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// (path, code) of every finding of a JSON report.
fn findings(report: &serde_json::Value) -> Vec<(String, String)> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|file| {
            let path = file["path"].as_str().unwrap().to_string();
            file["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |d| (path.clone(), d["code"].as_str().unwrap().to_string()))
        })
        .collect()
}

fn paths(report: &serde_json::Value) -> Vec<String> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn directories_are_walked_gitignore_aware_and_sorted() {
    let output = dlayer(&["lint", "--format", "json", PROJECT], None);
    let report = json(&output);
    assert_eq!(
        paths(&report),
        [
            "testdata/lint/project/Dockerfile",
            "testdata/lint/project/app/Dockerfile.prod",
            "testdata/lint/project/app/api.dockerfile",
            "testdata/lint/project/hadolint/Dockerfile",
            "testdata/lint/project/nested/Dockerfile",
            "testdata/lint/project/pragmas/Dockerfile",
        ]
    );
    assert_eq!(output.status.code(), Some(1), "findings exit 1");
}

#[test]
fn heavy_findings_are_reported_with_positions() {
    let output = dlayer(
        &[
            "lint",
            "--format",
            "json",
            "testdata/lint/project/Dockerfile",
        ],
        None,
    );
    let report = json(&output);
    let codes: Vec<String> = findings(&report)
        .into_iter()
        .map(|(_, code)| code)
        .collect();
    for expected in ["HC001", "HC002", "HC006"] {
        assert!(
            codes.contains(&expected.to_string()),
            "{expected} missing: {codes:?}"
        );
    }
    let ssh = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "HC002" && d["start"]["line"] == 2)
        .expect("openssh-server flagged on line 2");
    assert_eq!(ssh["start"]["column"], 42);
    assert_eq!(ssh["layer"], "dev");
    assert_eq!(report["summary"]["files"], 1);
}

#[test]
fn config_discovery_and_hadolint_config() {
    let report = json(&dlayer(&["lint", "--format", "json", PROJECT], None));
    let found = findings(&report);
    let has = |path: &str, code: &str| found.iter().any(|(p, c)| p.ends_with(path) && c == code);
    assert!(
        !has("nested/Dockerfile", "HC006"),
        "nested/dlayer.toml ignores HC006"
    );
    assert!(
        !has("hadolint/Dockerfile", "HC004"),
        ".hadolint.yaml ignores HC004"
    );
    let no_config = json(&dlayer(
        &["lint", "--no-config", "--format", "json", PROJECT],
        None,
    ));
    let found = findings(&no_config);
    assert!(
        found
            .iter()
            .any(|(p, c)| p.ends_with("nested/Dockerfile") && c == "HC006")
    );
    assert!(
        found
            .iter()
            .any(|(p, c)| p.ends_with("hadolint/Dockerfile") && c == "HC004")
    );
}

#[test]
fn pragmas_silence_the_next_instruction_only() {
    let report = json(&dlayer(
        &[
            "lint",
            "--format",
            "json",
            "testdata/lint/project/pragmas/Dockerfile",
        ],
        None,
    ));
    let lines: Vec<(String, u64)> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(!lines.contains(&("HC002".into(), 3)), "{lines:?}");
    assert!(
        !lines
            .iter()
            .any(|(code, line)| code == "HC006" && *line == 5),
        "{lines:?}"
    );
    assert!(
        lines.contains(&("HC002".into(), 6)),
        "dropbear is not covered: {lines:?}"
    );
}

#[test]
fn selection_severity_and_threshold() {
    let file = "testdata/lint/project/Dockerfile";
    let only = json(&dlayer(
        &["lint", "--format", "json", "--select", "ssh-server", file],
        None,
    ));
    assert!(findings(&only).iter().all(|(_, code)| code == "HC002"));
    let ignored = json(&dlayer(
        &["lint", "--format", "json", "--ignore", "HC", file],
        None,
    ));
    assert!(
        findings(&ignored)
            .iter()
            .all(|(_, code)| !code.starts_with("HC"))
    );
    let relevel = json(&dlayer(
        &[
            "lint", "--format", "json", "--select", "HC002", "--info", "HC002", file,
        ],
        None,
    ));
    assert!(
        relevel["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["severity"] == "info")
    );
    let output = dlayer(
        &[
            "lint", "--select", "HC002", "--info", "HC002", "-t", "warning", file,
        ],
        None,
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "info findings under a warning threshold"
    );
    let output = dlayer(&["lint", "--no-fail", file], None);
    assert_eq!(output.status.code(), Some(0));
    let output = dlayer(&["lint", "--exit-zero", file], None);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_missing_file_among_good_ones_exits_2_and_the_rest_is_linted() {
    let output = dlayer(
        &[
            "lint",
            "--format",
            "json",
            "testdata/lint/missing.Dockerfile",
            "testdata/lint/project/Dockerfile",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let report = json(&output);
    let missing = &report["files"][0];
    assert!(
        missing["error"]
            .as_str()
            .unwrap()
            .contains("No such file or directory")
    );
    assert!(
        !findings(&report).is_empty(),
        "the good file is still linted"
    );
}

#[test]
fn stdin_with_a_filename() {
    let output = dlayer(
        &["lint", "--format", "json", "--stdin-filename", "testdata/lint/project/nested/Dockerfile", "-"],
        Some(b"FROM debian:12-slim\nRUN apt-get install -y --no-install-recommends vim openssh-server\n"),
    );
    let report = json(&output);
    assert_eq!(paths(&report), ["testdata/lint/project/nested/Dockerfile"]);
    let codes: Vec<String> = findings(&report).into_iter().map(|(_, c)| c).collect();
    assert!(codes.contains(&"HC002".to_string()));
    assert!(
        !codes.contains(&"HC006".to_string()),
        "the stdin name finds nested/dlayer.toml"
    );
}

#[test]
fn syntax_errors_are_findings_and_the_rest_is_still_linted() {
    let output = dlayer(
        &["lint", "--format", "json", "-"],
        Some(b"FROM ubuntu:22.04\nCMD [\"a\", [1]]\nRUN apt-get install -y openssh-server\n"),
    );
    let codes: Vec<String> = findings(&json(&output))
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    assert!(codes.contains(&"DL1000".to_string()), "{codes:?}");
    assert!(codes.contains(&"HC002".to_string()), "{codes:?}");
    let ignored = dlayer(
        &["lint", "--format", "json", "--ignore", "DL1000", "-"],
        Some(b"FROM a\nCMD [1]\n"),
    );
    assert!(
        findings(&json(&ignored)).iter().any(|(_, c)| c == "DL1000"),
        "DL1000 cannot be ignored"
    );
}

#[test]
fn output_file_and_formats() {
    let dir = std::env::temp_dir().join(format!("dlayer-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("report.sarif");
    let output = dlayer(
        &[
            "lint",
            "--format",
            "sarif",
            "--output",
            out.to_str().unwrap(),
            "testdata/lint/project/Dockerfile",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let sarif: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    for format in ["tty", "checkstyle", "gitlab", "github", "junit"] {
        let output = dlayer(
            &[
                "lint",
                "--format",
                format,
                "--color",
                "never",
                "testdata/lint/project/Dockerfile",
            ],
            None,
        );
        assert_eq!(output.status.code(), Some(1), "{format}");
        assert!(
            String::from_utf8(output.stdout).unwrap().contains("HC002"),
            "{format}"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn rules_and_explain() {
    let output = dlayer(&["rules", "--format", "json"], None);
    let rules = json(&output);
    let codes: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    for code in ["DL1000", "E001", "HC001", "HC012"] {
        assert!(codes.contains(&code), "{code}");
    }
    let explain = dlayer(&["explain", "ssh-server"], None);
    assert_eq!(explain.status.code(), Some(0));
    assert!(
        String::from_utf8(explain.stdout)
            .unwrap()
            .starts_with("# HC002")
    );
    assert_eq!(dlayer(&["explain", "HC999"], None).status.code(), Some(2));
    let explain = dlayer(&["explain", "sc2086"], None);
    assert_eq!(explain.status.code(), Some(0));
    assert!(
        String::from_utf8(explain.stdout)
            .unwrap()
            .contains("https://www.shellcheck.net/wiki/SC2086")
    );
}

#[test]
fn bad_config_is_an_error_with_its_position() {
    let dir = std::env::temp_dir().join(format!("dlayer-cfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("dlayer.toml"),
        "ignore = [\"HC006\"]\nunknown-key = 1\n",
    )
    .unwrap();
    std::fs::write(dir.join("Dockerfile"), "FROM scratch\n").unwrap();
    let output = dlayer(&["lint", dir.to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(2));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(all.contains("dlayer.toml:2:1"), "{all}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn hadolint_interface_flags_and_environment() {
    let file = "testdata/lint/project/pragmas/Dockerfile";
    let count = |output: &Output, code: &str| {
        findings(&json(output))
            .iter()
            .filter(|(_, c)| c == code)
            .count()
    };
    let normal = dlayer(&["lint", "-f", "json", file], None);
    let disabled = dlayer(
        &["lint", "-f", "json", "--disable-ignore-pragma", file],
        None,
    );
    assert_eq!(
        count(&normal, "HC002") + 1,
        count(&disabled, "HC002"),
        "the pragma stops applying"
    );
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_dlayer"));
    let output = command
        .args(["lint", "-f", "json", "testdata/lint/project/Dockerfile"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("HADOLINT_IGNORE", "HC002,HC006")
        .output()
        .unwrap();
    let codes: Vec<String> = findings(&json(&output))
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    assert!(
        !codes.iter().any(|c| c == "HC002" || c == "HC006"),
        "{codes:?}"
    );
    let bad = dlayer(&["lint", "--require-label", "maintainer:bogus", file], None);
    assert_eq!(bad.status.code(), Some(2));
    let good = dlayer(
        &[
            "lint",
            "--require-label",
            "maintainer:email",
            "--trusted-registry",
            "docker.io",
            "--strict-labels",
            file,
        ],
        None,
    );
    assert_ne!(good.status.code(), Some(2));
}

#[test]
fn off_by_default_rules_need_their_code() {
    let file = "testdata/lint/project/app/Dockerfile.prod";
    let codes = |args: &[&str]| -> Vec<String> {
        findings(&json(&dlayer(args, None)))
            .into_iter()
            .map(|(_, c)| c)
            .collect()
    };
    assert!(!codes(&["lint", "-f", "json", file]).contains(&"DL3057".to_string()));
    assert!(
        !codes(&["lint", "-f", "json", "--select", "DL", file]).contains(&"DL3057".to_string())
    );
    assert!(
        codes(&["lint", "-f", "json", "--select", "DL3057", file]).contains(&"DL3057".to_string())
    );
    assert!(
        codes(&[
            "lint",
            "-f",
            "json",
            "--select",
            "healthcheck-missing",
            file
        ])
        .contains(&"DL3057".to_string())
    );
}
