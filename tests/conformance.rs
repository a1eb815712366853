//! BuildKit's own parser test data, read from `$DLAYER_BUILDKIT_CONFORMANCE`
//! (`.ci/run` points it at `../shared/conformance/buildkit`).
//!
//! Every expectation comes from the data files, never from dlayer's own output.

#[path = "conformance/shell_lex.rs"]
mod shell_lex;

use std::fs;
use std::path::{Path, PathBuf};

use dlayer::syntax::{self, Item, LineIndex};

const VARIABLE: &str = "DLAYER_BUILDKIT_CONFORMANCE";

/// The data directory (these tests are ignored unless run with it).
fn data_dir() -> Option<PathBuf> {
    let Some(dir) = std::env::var_os(VARIABLE) else {
        panic!("{VARIABLE} is not set: BuildKit's parser test data is needed (.ci/run sets it)");
    };
    let dir = PathBuf::from(dir);
    assert!(
        dir.is_dir(),
        "{VARIABLE}={} is not a directory",
        dir.display()
    );
    Some(dir)
}

fn case_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    cases
}

fn parse_file(path: &Path) -> syntax::Dockerfile {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    syntax::parse_bytes(&bytes)
}

#[test]
#[ignore = "needs BuildKit's parser test data: DLAYER_BUILDKIT_CONFORMANCE=../shared/conformance/buildkit (.ci/run sets it)"]
fn positive_cases_dump_exactly_like_buildkit() {
    let Some(dir) = data_dir() else { return };
    let cases = case_dirs(&dir.join("positive"));
    let mut failures = Vec::new();
    for case in &cases {
        let dockerfile = parse_file(&case.join("Dockerfile"));
        let expected = fs::read_to_string(case.join("result")).unwrap();
        let errors = dockerfile.syntax_errors();
        let actual = syntax::dump(&dockerfile);
        if !errors.is_empty() || actual != expected {
            failures.push(format!(
                "{}: errors {errors:?}\n--- expected\n{expected}--- actual\n{actual}",
                case.display()
            ));
        }
    }
    println!(
        "positive: {}/{} equal",
        cases.len() - failures.len(),
        cases.len()
    );
    assert_eq!(cases.len(), 33, "expected BuildKit's 33 positive cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
#[ignore = "needs BuildKit's parser test data: DLAYER_BUILDKIT_CONFORMANCE=../shared/conformance/buildkit (.ci/run sets it)"]
fn negative_cases_are_rejected() {
    let Some(dir) = data_dir() else { return };
    let cases = case_dirs(&dir.join("negative"));
    let accepted: Vec<_> = cases
        .iter()
        .filter(|case| {
            parse_file(&case.join("Dockerfile"))
                .syntax_errors()
                .is_empty()
        })
        .collect();
    println!(
        "negative: {}/{} rejected",
        cases.len() - accepted.len(),
        cases.len()
    );
    assert_eq!(cases.len(), 4, "expected BuildKit's 4 negative cases");
    assert!(accepted.is_empty(), "accepted: {accepted:?}");
}

#[test]
#[ignore = "needs BuildKit's parser test data: DLAYER_BUILDKIT_CONFORMANCE=../shared/conformance/buildkit (.ci/run sets it)"]
fn line_info_matches() {
    let Some(dir) = data_dir() else { return };
    let dockerfile = parse_file(&dir.join("line-info/Dockerfile"));
    let index = LineIndex::new(&dockerfile.source);
    let lines: Vec<(usize, usize)> = dockerfile
        .instructions()
        .map(|i| (index.line(i.span.start), index.end_line(i.span)))
        .collect();
    // From BuildKit's testfile-line test: root (5,31), children (5,5) (11,12) (17,31).
    assert_eq!(lines, vec![(5, 5), (11, 12), (17, 31)]);
    let root = (lines[0].0, lines[lines.len() - 1].1);
    assert_eq!(root, (5, 31));
    println!("line-info: root and 3 children match");
}

#[test]
#[ignore = "needs BuildKit's parser test data: DLAYER_BUILDKIT_CONFORMANCE=../shared/conformance/buildkit (.ci/run sets it)"]
fn heredocs_match_buildkit() {
    let Some(dir) = data_dir() else { return };
    let dockerfile = parse_file(&dir.join("heredoc/Dockerfile"));
    let expected: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("heredoc/expected.json")).unwrap())
            .unwrap();
    let expected = expected["expected"].as_array().unwrap();
    assert!(
        dockerfile.syntax_errors().is_empty(),
        "{:?}",
        dockerfile.syntax_errors()
    );
    let children: Vec<_> = dockerfile.instructions().skip(1).collect();
    assert_eq!(
        children.len(),
        expected.len(),
        "number of instructions after FROM"
    );
    let mut compared = 0;
    for (i, (instruction, want)) in children.iter().zip(expected).enumerate() {
        let actual: Vec<serde_json::Value> = instruction
            .heredocs
            .iter()
            .map(|h| {
                serde_json::json!({
                    "Name": h.name, "Content": h.content, "Expand": h.expand,
                    "Chomp": h.chomp, "FileDescriptor": h.file_descriptor,
                })
            })
            .collect();
        let want = if want.is_null() {
            Vec::new()
        } else {
            want.as_array().unwrap().clone()
        };
        assert_eq!(actual, want, "child {} ({})", i + 1, instruction.original);
        compared += 1;
    }
    println!("heredoc: {compared}/{} children match", expected.len());
}

#[test]
#[ignore = "needs BuildKit's parser test data: DLAYER_BUILDKIT_CONFORMANCE=../shared/conformance/buildkit (.ci/run sets it)"]
fn shell_lex_tables_pass() {
    let Some(dir) = data_dir() else { return };
    let report = shell_lex::run(&dir);
    println!(
        "shell-lex: {} passed, {} failed",
        report.passed,
        report.failures.len()
    );
    assert!(report.passed > 0, "no shell-lex case ran");
    assert!(report.failures.is_empty(), "{}", report.failures.join("\n"));
}

#[test]
#[ignore = "needs BuildKit's parser test data: DLAYER_BUILDKIT_CONFORMANCE=../shared/conformance/buildkit (.ci/run sets it)"]
fn integration_corpus_parses_without_error_nodes() {
    let Some(dir) = data_dir() else { return };
    let mut files: Vec<PathBuf> = fs::read_dir(dir.join("integration-corpus"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "Dockerfile"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for file in &files {
        let dockerfile = parse_file(file);
        let errors: Vec<_> = dockerfile
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Error(node) => Some(node.error.message.clone()),
                _ => None,
            })
            .collect();
        if !errors.is_empty() {
            failures.push(format!("{}: {errors:?}", file.display()));
        }
        assert_eq!(
            dockerfile.print().as_bytes(),
            fs::read(file).unwrap(),
            "{}",
            file.display()
        );
    }
    println!(
        "integration-corpus: {}/{} without error nodes",
        files.len() - failures.len(),
        files.len()
    );
    assert_eq!(files.len(), 252, "expected 252 integration Dockerfiles");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
