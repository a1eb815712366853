//! hadolint group B rules on their fixtures in `testdata/rules/<CODE>/`.
//!
//! In `*.bad.Dockerfile` the directory's rule must fire: its findings are snapshotted as
//! `line:col CODE severity message`, the span's text and the fix. In `*.good.Dockerfile` it
//! must not fire. Every fix is applied alone and must leave a file that parses and has one
//! finding fewer of that rule. DL3026 runs with trusted registries `docker.io` and
//! `*.corp.example.com`.

use std::fs;
use std::path::{Path, PathBuf};

use dlayer::model::{self, Options};
use dlayer::rules::{self, Diagnostic, Settings};
use dlayer::syntax::{self, Dockerfile, LineIndex};

const CODES: [&str; 23] = [
    "DL3018", "DL3019", "DL3020", "DL3021", "DL3022", "DL3023", "DL3024", "DL3025", "DL3026",
    "DL3027", "DL3028", "DL3029", "DL3030", "DL3032", "DL3033", "DL3034", "DL3035", "DL3036",
    "DL3037", "DL3038", "DL3040", "DL3041", "DL3042",
];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules")
}

fn fixtures(code: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(fixtures_dir().join(code))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".Dockerfile"))
        .collect();
    names.sort();
    names
}

fn settings() -> Settings {
    Settings {
        trusted_registries: vec!["docker.io".into(), "*.corp.example.com".into()],
        ..Settings::default()
    }
}

fn lint(source: &str, code: &str) -> (Dockerfile, Vec<Diagnostic>) {
    let dockerfile = syntax::parse_bytes(source.as_bytes());
    let built = model::build(&dockerfile, &Options::default());
    let found = rules::lint(&dockerfile, &built, &settings())
        .into_iter()
        .filter(|diagnostic| diagnostic.code == code)
        .collect();
    (dockerfile, found)
}

fn listing(source: &str, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(source);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let start = index.position(source, diagnostic.span.start);
        out.push_str(&format!(
            "{}:{} {} {} {}\n",
            start.line, start.column, diagnostic.code, diagnostic.severity, diagnostic.message
        ));
        for line in diagnostic.span.text(source).lines() {
            out.push_str(&format!("    | {line}\n"));
        }
        if let Some(fix) = &diagnostic.fix {
            out.push_str(&format!(
                "    fix ({:?}): {}\n",
                fix.applicability, fix.message
            ));
            for edit in &fix.edits {
                let at = index.position(source, edit.span.start);
                out.push_str(&format!(
                    "    edit {}:{} {:?} -> {:?}\n",
                    at.line,
                    at.column,
                    edit.span.text(source),
                    edit.replacement
                ));
            }
        }
    }
    out
}

fn apply(source: &str, diagnostic: &Diagnostic) -> String {
    let mut edits = diagnostic.fix.as_ref().unwrap().edits.clone();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.span.start));
    let mut fixed = source.to_string();
    for edit in edits {
        fixed.replace_range(edit.span.start..edit.span.end, &edit.replacement);
    }
    fixed
}

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
            let source = fs::read_to_string(fixtures_dir().join(code).join(name)).unwrap();
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
            let source = fs::read_to_string(fixtures_dir().join(code).join(name)).unwrap();
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
            let source = fs::read_to_string(fixtures_dir().join(code).join(name)).unwrap();
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
