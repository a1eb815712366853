//! DL3019 apk-no-cache: `apk add` without `--no-cache` leaves the package index in the image.
//!
//! Accepted instead: a `RUN --mount=type=cache` (or `tmpfs`) on `/var/cache/apk`, and
//! `--no-network`, which fetches nothing to cache. The fix (safe) inserts `--no-cache` after
//! `add`.

use crate::rules::{Applicability, Diagnostic, Family, Fix, LintContext, Rule, RuleMeta, Severity};

use super::dl3018_apk_pin_versions::APK_VALUE_OPTIONS;
use crate::rules::hadolint::group_b_shared as shared;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3019",
        name: "apk-no-cache",
        severity: Severity::Info,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "`apk add` without `--no-cache`",
        doc: include_str!("../../../../rules/DL3019.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in shared::runs(context) {
        if shared::has_cache_mount(run.syntax, &["/var/cache/apk"]) {
            continue;
        }
        for command in shared::commands_of(&run, &["apk"]) {
            let arguments = shared::split(command, APK_VALUE_OPTIONS);
            let Some(sub) = arguments.operands.first() else {
                continue;
            };
            if shared::value(sub) != Some("add")
                || shared::has_option(&arguments, &["no-cache", "no-network"])
            {
                continue;
            }
            let mut diagnostic = context.report(
                &RULE.meta,
                shared::head_span(command, sub),
                "Add `--no-cache` to `apk add` so the package index is not kept in the layer.",
            );
            if shared::editable(run.syntax, command) {
                diagnostic.fix = Some(Fix {
                    message: "Add `--no-cache`".into(),
                    applicability: Applicability::Safe,
                    edits: vec![shared::insert_after(sub, " --no-cache")],
                });
            }
            out.push(diagnostic);
        }
    }
}
