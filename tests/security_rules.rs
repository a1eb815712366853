//! The security rules (SEC001–SEC008) on their fixtures in `testdata/rules/SEC00N/`: in a
//! `.bad.` fixture every instruction under a `# expect` comment, and no other, has a finding of
//! the rule; a `.good.` fixture has none.

mod rule_fixtures;

use std::collections::BTreeSet;

use dlayer::rules::{RULES, Settings};
use dlayer::syntax::Dockerfile;
use rule_fixtures::{fixtures, lint, source};

/// Start lines of the instructions a finding is in.
fn flagged_lines(dockerfile: &Dockerfile, spans: &[dlayer::syntax::Span]) -> BTreeSet<usize> {
    spans
        .iter()
        .map(|span| {
            let instruction = dockerfile
                .instructions()
                .find(|instruction| instruction.span.contains(*span))
                .map_or(*span, |instruction| instruction.span);
            dockerfile.lines.line(instruction.start)
        })
        .collect()
}

fn expected_lines(dockerfile: &Dockerfile) -> BTreeSet<usize> {
    dockerfile
        .instructions()
        .filter(|instruction| instruction.preceding_comments.last() == Some("expect"))
        .map(|instruction| dockerfile.lines.line(instruction.span.start))
        .collect()
}

fn check(code: &str) {
    let names = fixtures(code);
    assert!(
        names.iter().any(|name| name.contains(".bad.")),
        "{code}: no bad fixture"
    );
    assert!(
        names.iter().any(|name| name.contains(".good.")),
        "{code}: no good fixture"
    );
    for name in names {
        let text = source(code, &name);
        let (dockerfile, found) = lint(&text, code, &Settings::default());
        let spans: Vec<_> = found.iter().map(|diagnostic| diagnostic.span).collect();
        let flagged = flagged_lines(&dockerfile, &spans);
        let expected = expected_lines(&dockerfile);
        assert_eq!(flagged, expected, "{code}/{name}: {found:#?}");
        if name.contains(".bad.") {
            assert!(!expected.is_empty(), "{code}/{name}: no `# expect`");
        }
    }
}

#[test]
fn tls_verification_disabled() {
    check("SEC001");
}

#[test]
fn package_signature_bypassed() {
    check("SEC002");
}

#[test]
fn remote_script_piped_to_shell() {
    check("SEC003");
}

#[test]
fn add_url_without_checksum() {
    check("SEC004");
}

#[test]
fn runs_as_root() {
    check("SEC005");
}

#[test]
fn world_writable_directory() {
    check("SEC006");
}

#[test]
fn sensitive_file_copied() {
    check("SEC007");
}

#[test]
fn secret_value_in_env_arg() {
    check("SEC008");
}

#[test]
fn security_docs_have_every_section() {
    for rule in RULES
        .iter()
        .filter(|rule| rule.meta.code.starts_with("SEC"))
    {
        let doc = rule.meta.doc;
        assert!(
            doc.starts_with(&format!("# {} {}\n", rule.meta.code, rule.meta.name)),
            "{}: title",
            rule.meta.code
        );
        for section in [
            "**What it flags.**",
            "**Why.**",
            "**Example.**",
            "**Fix.**",
            "**Fix safety.**",
            "**References.**",
        ] {
            assert!(doc.contains(section), "{}: no {section}", rule.meta.code);
        }
    }
}
