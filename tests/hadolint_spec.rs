//! hadolint 2.15.1's own spec assertions (`tests/data/hadolint_spec.tsv`, extracted from its
//! `test/` folder as data: a snippet, a code reported or not) run through dlayer's linter.
//! At least 99% must hold; a case dlayer deliberately differs on carries its reason in the
//! data file and must still differ (a passing excused case is stale).

use std::path::Path;

use dlayer::lint::{LintOptions, lint_bytes};
use dlayer::rules::Settings;

/// Share of the assertions that must hold.
const TARGET_PERCENT: f64 = 99.0;

/// What hadolint does on the snippet.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Expect {
    Reported,
    NotReported,
    Times(usize),
}

struct Case {
    line: usize,
    expect: Expect,
    code: String,
    settings: Settings,
    snippet: String,
    excuse: Option<String>,
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn settings(config: &str, line: usize) -> Settings {
    let mut settings = Settings::default();
    for setting in config.split(';').filter(|s| !s.is_empty() && *s != "-") {
        let (key, value) = setting.split_once('=').unwrap_or((setting, ""));
        match key {
            "label" => {
                let (name, kind) = value.split_once(':').expect("label=NAME:TYPE");
                settings.label_schema.insert(name.into(), kind.into());
            }
            "strict-labels" => settings.strict_labels = true,
            "trusted" => settings.trusted_registries.push(value.into()),
            _ => panic!("line {line}: unknown setting {setting:?}"),
        }
    }
    settings
}

fn cases() -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hadolint_spec.tsv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut cases = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        assert!(fields.len() >= 4, "line {}: too few fields", index + 1);
        let (expect, code) = parse_expect(fields[1])
            .unwrap_or_else(|| panic!("line {}: bad EXPECT {:?}", index + 1, fields[1]));
        cases.push(Case {
            line: index + 1,
            expect,
            code,
            settings: settings(fields[2], index + 1),
            snippet: unescape(fields[3]) + "\n",
            excuse: fields.get(4).map(|excuse| excuse.to_string()),
        });
    }
    cases
}

/// `+CODE`, `-CODE` or `=NCODE`.
fn parse_expect(field: &str) -> Option<(Expect, String)> {
    let (sign, rest) = field.split_at_checked(1)?;
    match sign {
        "+" => Some((Expect::Reported, rest.to_string())),
        "-" => Some((Expect::NotReported, rest.to_string())),
        "=" => {
            let digits = rest.find(|c: char| !c.is_ascii_digit())?;
            let times = rest[..digits].parse().ok()?;
            Some((Expect::Times(times), rest[digits..].to_string()))
        }
        _ => None,
    }
}

/// How many findings of the case's code dlayer reports on the snippet when that code is
/// selected (so that off-by-default rules run, as every rule does in hadolint).
fn reported(case: &Case) -> usize {
    let options = LintOptions {
        select: vec![case.code.clone()],
        ..LintOptions::default()
    };
    let linted = lint_bytes(
        case.snippet.as_bytes(),
        Path::new("Dockerfile"),
        &options,
        None,
        &case.settings,
    );
    linted
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == case.code)
        .count()
}

fn holds(case: &Case) -> bool {
    let found = reported(case);
    match case.expect {
        Expect::Reported => found > 0,
        Expect::NotReported => found == 0,
        Expect::Times(times) => found == times,
    }
}

#[test]
fn hadolint_spec_assertions_hold() {
    let cases = cases();
    let (mut held, mut failures, mut stale, mut excused) = (0, Vec::new(), Vec::new(), 0);
    for case in &cases {
        let holds = holds(case);
        let expectation = format!(
            "line {}: {:?} {} on {:?}",
            case.line, case.expect, case.code, case.snippet
        );
        match (&case.excuse, holds) {
            (None, true) => held += 1,
            (None, false) => failures.push(expectation),
            (Some(_), true) => stale.push(expectation),
            (Some(_), false) => excused += 1,
        }
    }
    let percent = 100.0 * held as f64 / cases.len() as f64;
    eprintln!(
        "{held} of {} hadolint spec assertions hold ({percent:.1}%); {excused} excused",
        cases.len()
    );
    assert!(
        stale.is_empty(),
        "excused cases that now hold (drop the excuse):\n{}",
        stale.join("\n")
    );
    assert!(
        failures.is_empty(),
        "{} unexcused failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        percent >= TARGET_PERCENT,
        "{percent:.1}% < {TARGET_PERCENT}%"
    );
    assert!(cases.len() >= 950, "only {} cases", cases.len());
}
