//! BuildKit's shell-lexer tables (`frontend/dockerfile/shell`), driven the
//! way `lex_test.go` drives them:
//!
//! * `envVarTest`: `ProcessWord` with `\` as escape and a fixed environment;
//!   `A` lines run on both platforms, `U` on Unix, `W` on Windows.
//! * `wordsTest`: `ProcessWords` with `\`; `ENV k=v` lines add to the
//!   environment. `lex_test.go` also loops over a second mode (raw quotes,
//!   unset variables kept), but it reuses the already exhausted file reader,
//!   so only the plain mode ever runs; the expectations are for that mode.
//! * `process_with_matches.json`: `ProcessWordWithMatches` with `\`. One
//!   case lost its environment in the extraction; see [`EXTRACTION_FIXES`].

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use dlayer::syntax::expand::{Lexer, Platform};

/// Environments the JSON extraction dropped, as `lex_test.go` defines them:
/// (input, key, value). The extractor probably took the `{}` inside the Go
/// map literal's value for an empty map.
const EXTRACTION_FIXES: &[(&str, &str, &str)] =
    &[(r"${FOO#()[]{\}^$.\*\?|\\}", "FOO", r"()[]{}^$.*?|\x")];

/// How many cases passed, and a description of each failure.
pub struct Report {
    pub passed: usize,
    pub failures: Vec<String>,
}

impl Report {
    fn check(&mut self, ok: bool, failure: impl FnOnce() -> String) {
        if ok {
            self.passed += 1;
        } else {
            self.failures.push(failure());
        }
    }
}

/// Runs every case under `dir/shell-lex`.
pub fn run(dir: &Path) -> Report {
    let dir = dir.join("shell-lex");
    let mut report = Report {
        passed: 0,
        failures: Vec::new(),
    };
    for (file, check) in [
        ("envVarTest", env_var_cases as fn(&str, &mut Report)),
        ("wordsTest", words_cases),
        ("process_with_matches.json", match_cases),
    ] {
        match fs::read_to_string(dir.join(file)) {
            Ok(text) => check(&text, &mut report),
            Err(error) => report.failures.push(format!("{file}: {error}")),
        }
    }
    report
}

fn pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect()
}

/// `KEY=VALUE`, or `KEY` alone with an empty value, as BuildKit splits them.
fn env_entry(entry: &str) -> (String, String) {
    let (key, value) = entry.split_once('=').unwrap_or((entry, ""));
    (key.to_owned(), value.to_owned())
}

fn env_var_cases(text: &str, report: &mut Report) {
    let env = pairs([
        ("PWD", "/home"),
        ("SHELL", "bash"),
        ("KOREAN", "한국어"),
        ("NULL", ""),
    ]);
    for (number, line) in text.lines().enumerate().map(|(i, line)| (i + 1, line)) {
        // As in lex_test.go: comments are recognised before trimming.
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let line = line.trim();
        let columns: Vec<&str> = line.split('|').map(str::trim).collect();
        let [platform, input, expected] = columns[..] else {
            report
                .failures
                .push(format!("envVarTest:{number}: not 3 columns: {line:?}"));
            continue;
        };
        let platforms: &[Platform] = match platform {
            "A" => &[Platform::Unix, Platform::Windows],
            "U" => &[Platform::Unix],
            "W" => &[Platform::Windows],
            _ => {
                report
                    .failures
                    .push(format!("envVarTest:{number}: bad platform {platform:?}"));
                continue;
            }
        };
        for &platform in platforms {
            let lexer = Lexer {
                platform,
                ..Lexer::new('\\')
            };
            let actual = lexer.process_word(input, &env);
            let ok = match &actual {
                Ok(word) => expected != "error" && word == expected,
                Err(_) => expected == "error",
            };
            report.check(ok, || {
                format!(
                    "envVarTest:{number} {platform:?} {input:?}: want {expected:?}, got {actual:?}"
                )
            });
        }
    }
}

fn words_cases(text: &str, report: &mut Report) {
    let lexer = Lexer::new('\\');
    let mut env: Vec<(String, String)> = Vec::new();
    for (number, line) in text.lines().enumerate().map(|(i, line)| (i + 1, line)) {
        if line.starts_with('#') {
            continue;
        }
        if let Some(entry) = line.strip_prefix("ENV ") {
            env.push(env_entry(entry.trim_start_matches(' ')));
            continue;
        }
        let Some((input, expected)) = line.split_once('|').filter(|(_, rest)| !rest.contains('|'))
        else {
            report
                .failures
                .push(format!("wordsTest:{number}: not exactly one '|': {line:?}"));
            continue;
        };
        let input = input.trim();
        // Only the left of the expectation is trimmed: trailing spaces matter.
        let expected: Vec<&str> = expected.trim_start_matches(' ').split(',').collect();
        let actual = lexer
            .process_words(input, &env)
            .unwrap_or_else(|_| vec!["error".to_owned()]);
        report.check(actual == expected, || {
            format!("wordsTest:{number} {input:?}: want {expected:?}, got {actual:?}")
        });
    }
}

fn match_cases(text: &str, report: &mut Report) {
    let data: serde_json::Value = match serde_json::from_str(text) {
        Ok(data) => data,
        Err(error) => {
            report
                .failures
                .push(format!("process_with_matches.json: {error}"));
            return;
        }
    };
    let lexer = Lexer::new('\\');
    let cases = data["cases"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if cases.is_empty() {
        report
            .failures
            .push("process_with_matches.json: no cases".to_owned());
    }
    for case in cases {
        let input = case["input"].as_str().unwrap_or_default();
        let mut env: Vec<(String, String)> = case["envs"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(key, value)| (key.clone(), value.as_str().unwrap_or_default().to_owned()))
            .collect();
        let dropped = EXTRACTION_FIXES
            .iter()
            .filter(|(fixed, ..)| *fixed == input);
        if env.is_empty() {
            env.extend(dropped.map(|&(_, key, value)| (key.to_owned(), value.to_owned())));
        }
        let names = |field: &str| -> BTreeSet<String> {
            case[field]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|name| name.as_str())
                .map(str::to_owned)
                .collect()
        };
        let actual = lexer.process_word_with_matches(input, &env);
        let ok = match &actual {
            _ if case["expected_error"].as_bool() == Some(true) => actual.is_err(),
            Ok(expansion) => {
                case["expected"].as_str() == Some(expansion.value.as_str())
                    && expansion.matched == names("matches")
                    && expansion.unmatched == names("unmatched")
            }
            Err(_) => false,
        };
        report.check(ok, || {
            format!("process_with_matches {input:?}: want {case}, got {actual:?}")
        });
    }
}
