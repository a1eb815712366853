//! BuildKit's own build-check test cases (`dockerfile_check_test.go`), read from
//! `$DLAYER_BUILDKIT_CONFORMANCE/lint-checks/check_cases.json` (`.ci/run` points the variable
//! at `../shared/conformance/buildkit`): dlayer, selecting only BuildKit's checks, must give
//! exactly BuildKit's warnings (check name and line, and the message where the case has one)
//! on at least 85 of the 87 cases that need no registry.
//!
//! The data was extracted from the Go test file by regex; where the extraction left a Go
//! expression unevaluated (a `fmt.Appendf` template, a lost `.dockerignore`, a warning built
//! by a helper) the case is completed below from the Go source, each with its line there.
//! Expectations come from that data, never from dlayer's own output.

use std::fs;
use std::path::{Path, PathBuf};

use dlayer::lint::{LintOptions, lint_bytes};
use dlayer::rules::{Family, Settings, find_rule};
use dlayer::syntax::{self, Span};
use serde_json::Value;

const VARIABLE: &str = "DLAYER_BUILDKIT_CONFORMANCE";
/// Cases the lint test can only run against a registry (the pulled image's platform).
const NEEDS_REGISTRY: &str = "testBaseImagePlatformMismatch";
const REQUIRED: usize = 85;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Warning {
    rule: String,
    line: usize,
    /// BuildKit's `Detail` (the message), when the case states it.
    detail: Option<String>,
}

struct Case {
    label: String,
    dockerfile: String,
    dockerignore: Option<String>,
    build_args: Vec<(String, String)>,
    warnings: Vec<Warning>,
}

fn warning(rule: &str, line: usize, detail: &str) -> Warning {
    Warning {
        rule: rule.into(),
        line,
        detail: (!detail.is_empty()).then(|| detail.into()),
    }
}

/// Completes a case from `dockerfile_check_test.go` where the extraction could not.
fn complete(test: &str, go_line: u64, case: &mut Case) {
    let multiple = |keyword: &str, line| {
        warning(
            "MultipleInstructionsDisallowed",
            line,
            &format!(
                "Multiple {keyword} instructions should not be used in the same stage because \
                 only the last one will be used"
            ),
        )
    };
    match (test, go_line) {
        // t.Run("dotfiles"): DockerIgnore `.*`.
        ("testCopyIgnoredFileContextRoot", 253) => case.dockerignore = Some("\n.*\n".into()),
        // t.Run("wildcard"): DockerIgnore `*`.
        ("testCopyIgnoredFileContextRoot", 262) => case.dockerignore = Some("\n*\n".into()),
        // UnixOrWindows("alpine", …), UnixOrWindows("env", …).
        ("testConsistentInstructionCasing", 748) => {
            case.dockerfile = "\nFROM alpine\nRUN <<'EOT'\nenv\nEOT\n".into()
        }
        // osName = "linux", baseImg = "busybox".
        ("testUndeclaredArg", 1038) => {
            case.dockerfile = "\nARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\nCOPY Dockerfile .\n\t".into()
        }
        ("testUndeclaredArg", 1061) => {
            case.dockerfile =
                "\nARG tag=latest\nFROM busybox:${tag}${version} AS b\nCOPY Dockerfile .\n".into()
        }
        // testUnmatchedVars: baseImg = "alpine".
        ("testUnmatchedVars", 1130) => {
            case.dockerfile =
                "\nFROM alpine AS base\nARG foo=Dockerfile\n\nFROM base\nCOPY $foo .\n".into()
        }
        ("testUnmatchedVars", 1138) => case.dockerfile = "\nFROM alpine\nRUN echo $PATH\n".into(),
        ("testUnmatchedVars", 1148) => {
            case.dockerfile =
                "\nFROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\n".into()
        }
        ("testUnmatchedVars", 1171) => {
            case.dockerfile = "\nFROM alpine\nARG DIR_BINARIES=binaries/\nARG DIR_ASSETS=assets/\nARG DIR_CONFIG=config/\nCOPY $DIR_ASSET .\n\t".into()
        }
        // hintStr is " (did you mean $PATH?)" on Unix.
        ("testUnmatchedVars", 1193) => {
            case.dockerfile = "\nFROM alpine\nENV PATH=$PAHT:/tmp/bin\n\t\t".into();
            case.warnings = vec![warning(
                "UndefinedVar",
                3,
                "Usage of undefined variable '$PAHT' (did you mean $PATH?)",
            )];
        }
        // makeLintWarning("ENTRYPOINT", 3), ("CMD", 5), ("HEALTHCHECK", 7).
        ("testMultipleInstructionsDisallowed", 1229) => {
            case.warnings = vec![
                multiple("ENTRYPOINT", 3),
                multiple("CMD", 5),
                multiple("HEALTHCHECK", 7),
            ]
        }
        ("testMultipleInstructionsDisallowed", 1252) => {
            case.warnings = vec![
                multiple("ENTRYPOINT", 3),
                multiple("CMD", 4),
                multiple("HEALTHCHECK", 5),
            ]
        }
        ("testRedundantTargetPlatform", 1374) => {
            case.warnings = vec![warning(
                "RedundantTargetPlatform",
                2,
                "Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the default behavior",
            )]
        }
        // testInvalidDefaultArgInFrom: baseImg = "busybox", build args as the Go test sets them.
        ("testInvalidDefaultArgInFrom", 1403) => {
            case.dockerfile = "\nARG VERSION\nFROM busybox:$VERSION\n".into();
            case.warnings = vec![warning(
                "InvalidDefaultArgInFrom",
                3,
                "Default value for ARG busybox:$VERSION results in empty or invalid base image name",
            )];
        }
        ("testInvalidDefaultArgInFrom", 1427) => {
            case.build_args = vec![("IMAGE".into(), "busybox:latest".into())]
        }
        ("testInvalidDefaultArgInFrom", 1454) => {
            case.build_args = vec![("SFX".into(), "box:latest".into())];
            case.warnings = vec![warning(
                "InvalidDefaultArgInFrom",
                3,
                "Default value for ARG busy${SFX} results in empty or invalid base image name",
            )];
        }
        ("testInvalidDefaultArgInFrom", 1480) => {
            case.dockerfile = "\nARG VERSION=\"latest\"\nFROM busybox:${VERSION}\n".into()
        }
        ("testInvalidDefaultArgInFrom", 1497 | 1514) => {
            case.build_args = vec![("BUSYBOX_VARIANT".into(), "-musl".into())]
        }
        _ => {}
    }
}

fn expected_warnings(case: &Value) -> Vec<Warning> {
    // `docker build --check` lints every stage: the subrequest's (unmarshal) warnings, where
    // the Go test distinguishes them from those of a build of the default target.
    let list = case
        .get("unmarshal_warnings")
        .or_else(|| case.get("warnings"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    list.iter()
        .filter_map(|w| {
            Some(Warning {
                rule: w.get("RuleName")?.as_str()?.to_string(),
                line: w.get("Line")?.as_u64()? as usize,
                detail: w.get("Detail").and_then(Value::as_str).map(String::from),
            })
        })
        .collect()
}

fn read_cases(dir: &Path) -> Vec<Case> {
    let path = dir.join("lint-checks/check_cases.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let data: Value = serde_json::from_str(&text).expect("check_cases.json is JSON");
    let mut cases = Vec::new();
    for case in data["cases"].as_array().expect("cases") {
        let test = case["test"].as_str().unwrap_or_default();
        if test == NEEDS_REGISTRY {
            continue;
        }
        let go_line = case["line_in_go_file"].as_u64().unwrap_or_default();
        let build_args = case
            .get("frontend_attrs")
            .and_then(Value::as_object)
            .map(|attrs| {
                attrs
                    .iter()
                    .filter_map(|(key, value)| {
                        Some((
                            key.strip_prefix("build-arg:")?.to_string(),
                            value.as_str()?.to_string(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut resolved = Case {
            label: format!("{test} (dockerfile_check_test.go:{go_line})"),
            dockerfile: case["dockerfile"].as_str().unwrap_or_default().to_string(),
            dockerignore: case["dockerignore"].as_str().map(String::from),
            build_args,
            warnings: expected_warnings(case),
        };
        complete(test, go_line, &mut resolved);
        cases.push(resolved);
    }
    cases
}

/// The line BuildKit reports a finding at: its instruction's first line, or its last for
/// NoEmptyContinuation (a parser warning placed where the instruction ends).
fn buildkit_line(dockerfile: &syntax::Dockerfile, rule: &str, span: Span) -> usize {
    let index = &dockerfile.lines;
    let instruction = dockerfile
        .items
        .iter()
        .map(|item| item.span())
        .find(|item| item.contains(span) && !(span.is_empty() && item.end == span.start));
    match instruction {
        Some(item) if rule == "NoEmptyContinuation" => {
            let end = Span::new(item.start, item.end.max(item.start + 1));
            let text = end
                .text(&dockerfile.source)
                .trim_end_matches(['\n', '\r', ' ', '\t']);
            index.end_line(Span::new(item.start, item.start + text.len().max(1)))
        }
        Some(item) => index.line(item.start),
        None => index.line(span.start),
    }
}

fn run_case(case: &Case, scratch: &Path) -> Vec<Warning> {
    let dir = scratch.join(case.label.replace([' ', '(', ')', ':', '.'], "_"));
    fs::create_dir_all(&dir).unwrap();
    let path: PathBuf = dir.join("Dockerfile");
    fs::write(&path, &case.dockerfile).unwrap();
    if let Some(ignore) = &case.dockerignore {
        fs::write(dir.join(".dockerignore"), ignore).unwrap();
    }
    let options = LintOptions {
        select: vec!["BK".into()],
        build_args: case.build_args.clone(),
        ..LintOptions::default()
    };
    let linted = lint_bytes(
        case.dockerfile.as_bytes(),
        &path,
        &options,
        None,
        &Settings::default(),
    );
    let dockerfile = syntax::parse(&case.dockerfile);
    let mut found: Vec<Warning> = linted
        .diagnostics
        .iter()
        .filter(|d| find_rule(d.code).is_some_and(|rule| rule.meta.family == Family::Buildkit))
        .map(|d| Warning {
            rule: d.name.to_string(),
            line: buildkit_line(&dockerfile, d.name, d.span),
            detail: Some(d.message.clone()),
        })
        .collect();
    found.sort();
    found
}

/// Equal in name and line, and in message where the case states one.
fn same(expected: &[Warning], found: &[Warning]) -> bool {
    let mut expected = expected.to_vec();
    expected.sort();
    expected.len() == found.len()
        && expected.iter().zip(found).all(|(want, got)| {
            want.rule == got.rule
                && want.line == got.line
                && want
                    .detail
                    .as_ref()
                    .is_none_or(|detail| Some(detail) == got.detail.as_ref())
        })
}

#[test]
#[ignore = "needs BuildKit's lint test cases: DLAYER_BUILDKIT_CONFORMANCE=../shared/conformance/buildkit (.ci/run sets it)"]
fn buildkit_lint_cases_give_buildkits_warnings() {
    let dir = PathBuf::from(std::env::var_os(VARIABLE).unwrap_or_else(|| {
        panic!("{VARIABLE} must point at ../shared/conformance/buildkit for this test")
    }));
    let cases = read_cases(&dir);
    assert_eq!(
        cases.len(),
        87,
        "BuildKit's lint cases that need no registry"
    );
    let scratch = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for case in &cases {
        let found = run_case(case, scratch.path());
        if !same(&case.warnings, &found) {
            failures.push(format!(
                "{}\n  expected {:?}\n  found    {:?}",
                case.label, case.warnings, found
            ));
        }
    }
    let passed = cases.len() - failures.len();
    println!(
        "BuildKit lint cases: {passed}/{} give BuildKit's warnings",
        cases.len()
    );
    for failure in &failures {
        println!("MISMATCH {failure}");
    }
    assert!(
        passed >= REQUIRED,
        "{passed}/{} cases match (at least {REQUIRED} required)",
        cases.len()
    );
}
