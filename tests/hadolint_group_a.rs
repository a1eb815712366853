//! hadolint group A rules on their fixtures in `testdata/rules/<CODE>/`.
//!
//! In `*.bad.Dockerfile` the directory's rule must fire: its findings are snapshotted as
//! `line:col CODE severity message`, the span's text and the fix. In `*.good.Dockerfile` it
//! must not fire. Every fix is applied alone and must leave a file that parses and has fewer
//! findings of that rule.

mod rule_fixtures;

use dlayer::rules::{self, Diagnostic, Settings};
use dlayer::syntax::Dockerfile;

use rule_fixtures::{apply, fixtures, listing, source};

fn lint(source: &str, code: &str) -> (Dockerfile, Vec<Diagnostic>) {
    rule_fixtures::lint(source, code, &Settings::default())
}

const CODES: [&str; 23] = [
    "DL1001", "DL3000", "DL3001", "DL3002", "DL3003", "DL3004", "DL3006", "DL3007", "DL3008",
    "DL3009", "DL3010", "DL3011", "DL3012", "DL3013", "DL3014", "DL3015", "DL3016", "DL4000",
    "DL4001", "DL4003", "DL4004", "DL4005", "DL4006",
];

#[test]
fn every_rule_is_registered_with_fixtures() {
    for code in CODES {
        let rule = rules::find_rule(code).unwrap_or_else(|| panic!("{code} is not registered"));
        assert!(
            rule.meta
                .doc
                .starts_with(&format!("# {code} {}", rule.meta.name))
        );
        let names = fixtures(code);
        assert!(
            names.iter().any(|n| n.contains(".bad.")),
            "{code}: no bad fixture"
        );
        assert!(
            names.iter().any(|n| n.contains(".good.")),
            "{code}: no good fixture"
        );
    }
}

#[test]
fn positives_match_their_snapshots() {
    for code in CODES {
        for name in fixtures(code).iter().filter(|n| n.contains(".bad.")) {
            let source = source(code, name);
            let (_, found) = lint(&source, code);
            assert!(!found.is_empty(), "{code}/{name}: {code} does not fire");
            let stem = name.trim_end_matches(".Dockerfile").replace('.', "_");
            insta::assert_snapshot!(format!("{code}_{stem}"), listing(&source, &found));
        }
    }
}

#[test]
fn negatives_are_clean() {
    for code in CODES {
        for name in fixtures(code).iter().filter(|n| n.contains(".good.")) {
            let source = source(code, name);
            let (_, found) = lint(&source, code);
            assert!(
                found.is_empty(),
                "{code}/{name}: unexpected findings\n{}",
                listing(&source, &found)
            );
        }
    }
}

#[test]
fn fixes_parse_and_remove_their_finding() {
    for code in CODES {
        for name in fixtures(code) {
            let source = source(code, &name);
            let (_, found) = lint(&source, code);
            for diagnostic in found.iter().filter(|d| d.fix.is_some()) {
                let fixed = apply(&source, diagnostic);
                let (dockerfile, after) = lint(&fixed, code);
                assert!(
                    dockerfile.syntax_errors().is_empty(),
                    "{code}/{name}: the fix breaks the file:\n{fixed}"
                );
                assert!(
                    after.len() < found.len(),
                    "{code}/{name}: the fix at {:?} does not remove its finding:\n{fixed}",
                    diagnostic.span
                );
            }
        }
    }
}

#[test]
fn dl1001_is_off_by_default() {
    let rule = rules::find_rule("DL1001").unwrap();
    assert!(!rule.meta.default_enabled);
}
