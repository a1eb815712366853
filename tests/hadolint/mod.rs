//! Every hadolint rule's fixture suite ([`check_fixtures`]), by topic.
//!
//! In `*.bad.Dockerfile` the directory's rule must fire: its findings are snapshotted as
//! `line:col CODE severity message`, the span's text and the fix with its edits. In
//! `*.good.Dockerfile` it must not fire. Every fix applied alone must leave a file that parses
//! and has fewer findings of that rule; all of them applied until nothing changes (unsafe ones
//! too) must leave a file that parses and has no fixable finding left, snapshotted as
//! `<CODE>_<fixture>_fixed`.

mod apk;
mod apt;
mod cmd_entrypoint;
mod copy_add;
mod env_arg;
mod expose;
mod from;
mod gem;
mod go;
mod healthcheck;
mod labels;
mod npm_yarn;
mod onbuild;
mod pip;
mod pragmas;
mod shell_habits;
mod user;
mod workdir;
mod yum_dnf;
mod zypper;

use dlayer::fix::{FixOptions, apply_pass};
use dlayer::rules::{self, Applicability, Diagnostic, Settings};

use crate::rule_fixtures::{apply, fixtures, lint, listing, source};

/// The snapshot `name` (`<CODE>_<fixture>`) in `tests/hadolint/snapshots/`.
fn assert_snapshot(name: &str, text: &str) {
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

/// Rule `code` is registered and documented, and behaves on its fixtures as the module says.
pub fn check_fixtures(code: &str, settings: &Settings) {
    let rule = rules::find_rule(code).unwrap_or_else(|| panic!("{code} is not registered"));
    assert!(
        rule.meta
            .doc
            .starts_with(&format!("# {code} {}", rule.meta.name)),
        "{code}: the doc does not start with its code and name"
    );
    let names = fixtures(code);
    for kind in [".bad.", ".good."] {
        assert!(
            names.iter().any(|name| name.contains(kind)),
            "{code}: no {kind} fixture"
        );
    }
    for name in &names {
        let source = source(code, name);
        let (_, found) = lint(&source, code, settings);
        match name.strip_suffix(".bad.Dockerfile") {
            Some(stem) => {
                assert!(!found.is_empty(), "{code}/{name}: {code} does not fire");
                assert_snapshot(&format!("{code}_{stem}"), &listing(&source, &found));
                check_each_fix(code, name, &source, &found, settings);
                check_all_fixes(code, stem, &source, settings);
            }
            None => assert!(
                found.is_empty(),
                "{code}/{name}: unexpected findings\n{}",
                listing(&source, &found)
            ),
        }
    }
}

fn check_each_fix(code: &str, name: &str, source: &str, found: &[Diagnostic], settings: &Settings) {
    for diagnostic in found.iter().filter(|d| d.fix.is_some()) {
        let fixed = apply(source, diagnostic);
        let (dockerfile, after) = lint(&fixed, code, settings);
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

fn is_applicable(diagnostic: &Diagnostic) -> bool {
    diagnostic
        .fix
        .as_ref()
        .is_some_and(|fix| fix.applicability != Applicability::DisplayOnly)
}

fn check_all_fixes(code: &str, stem: &str, source: &str, settings: &Settings) {
    let mut text = source.to_string();
    for _ in 0..10 {
        let (_, found) = lint(&text, code, settings);
        let (next, chosen) = apply_pass(&text, &found, FixOptions { unsafe_fixes: true });
        if chosen.is_empty() {
            break;
        }
        text = next;
        let dockerfile = dlayer::syntax::parse_bytes(text.as_bytes());
        assert!(
            dockerfile.syntax_errors().is_empty(),
            "{code}/{stem}: the fixes break the file:\n{text}"
        );
    }
    if text == source {
        return;
    }
    let (_, left) = lint(&text, code, settings);
    assert!(
        !left.iter().any(is_applicable),
        "{code}/{stem}: fixable findings left after fixing:\n{text}"
    );
    assert_snapshot(&format!("{code}_{stem}_fixed"), &text);
}
