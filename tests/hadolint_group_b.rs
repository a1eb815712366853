//! hadolint group B rules on their fixtures in `testdata/rules/<CODE>/`.
//!
//! In `*.bad.Dockerfile` the directory's rule must fire: its findings are snapshotted as
//! `line:col CODE severity message`, the span's text and the fix. In `*.good.Dockerfile` it
//! must not fire. Every fix is applied alone and must leave a file that parses and has one
//! finding fewer of that rule. DL3026 runs with trusted registries `docker.io` and
//! `*.corp.example.com`.

mod rule_fixtures;

use dlayer::rules::{self, Diagnostic, Settings};
use dlayer::syntax::Dockerfile;

use rule_fixtures::{apply, fixtures, listing, source};

fn settings() -> Settings {
    Settings {
        trusted_registries: vec!["docker.io".into(), "*.corp.example.com".into()],
        ..Settings::default()
    }
}

fn lint(source: &str, code: &str) -> (Dockerfile, Vec<Diagnostic>) {
    rule_fixtures::lint(source, code, &settings())
}

const CODES: [&str; 23] = [
    "DL3018", "DL3019", "DL3020", "DL3021", "DL3022", "DL3023", "DL3024", "DL3025", "DL3026",
    "DL3027", "DL3028", "DL3029", "DL3030", "DL3032", "DL3033", "DL3034", "DL3035", "DL3036",
    "DL3037", "DL3038", "DL3040", "DL3041", "DL3042",
];

#[test]
fn every_rule_has_fixtures_and_is_registered() {
    for code in CODES {
        let names = fixtures(code);
        assert!(
            names.iter().any(|n| n.contains(".bad.")),
            "{code}: no bad fixture"
        );
        assert!(
            names.iter().any(|n| n.contains(".good.")),
            "{code}: no good fixture"
        );
        let rule = rules::find_rule(code).unwrap_or_else(|| panic!("{code} not registered"));
        assert!(!rule.meta.doc.trim().is_empty());
    }
}

#[test]
fn bad_fixtures_fire_and_match_snapshots() {
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
fn good_fixtures_do_not_fire() {
    for code in CODES {
        for name in fixtures(code).iter().filter(|n| n.contains(".good.")) {
            let source = source(code, name);
            let (_, found) = lint(&source, code);
            assert!(
                found.is_empty(),
                "{code}/{name}: unexpected findings:\n{}",
                listing(&source, &found)
            );
        }
    }
}

#[test]
fn fixes_parse_and_remove_their_finding() {
    for code in CODES {
        for name in fixtures(code).iter().filter(|n| n.contains(".bad.")) {
            let source = source(code, name);
            let (_, found) = lint(&source, code);
            for diagnostic in found.iter().filter(|d| d.fix.is_some()) {
                let fixed = apply(&source, diagnostic);
                let (dockerfile, after) = lint(&fixed, code);
                assert!(
                    dockerfile.syntax_errors().is_empty(),
                    "{code}/{name}: fix breaks the parse:\n{fixed}"
                );
                assert_eq!(
                    after.len() + 1,
                    found.len(),
                    "{code}/{name}: fix `{}` did not remove its finding:\n{fixed}",
                    diagnostic.fix.as_ref().unwrap().message
                );
            }
        }
    }
}

#[test]
fn spans_point_at_the_offending_word() {
    let source = "FROM alpine:3.20\nRUN apk add curl\n";
    let (_, found) = lint(source, "DL3018");
    assert_eq!(found[0].span.text(source), "curl");
    let (_, found) = lint(source, "DL3019");
    assert_eq!(found[0].span.text(source), "apk add");
    let source = "FROM a:1 AS x\nCOPY --from=x /a /b\n";
    let (_, found) = lint(source, "DL3023");
    assert_eq!(found[0].span.text(source), "--from=x");
}
