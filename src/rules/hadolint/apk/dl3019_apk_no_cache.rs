//! DL3019 apk-no-cache: `apk add` without `--no-cache` leaves the package index in the image.
//!
//! Accepted instead: a `RUN --mount=type=cache` (or `tmpfs`) on `/var/cache/apk`, and
//! `--no-network`, which fetches nothing to cache. The fix (safe) inserts `--no-cache` after
//! `add`.

use crate::rules::hadolint::commands::{has_option, head_span, insert_after, value};
use crate::rules::hadolint::package_operands::arguments;
use crate::rules::hadolint::runs::{has_cache_mount, runs_running};
use crate::rules::{Applicability, Diagnostic, Family, Fix, LintContext, Rule, RuleMeta, Severity};

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
    for run in runs_running(context, &["apk"]) {
        if has_cache_mount(run.syntax, &["/var/cache/apk"]) {
            continue;
        }
        for command in run.commands_of(&["apk"]) {
            let arguments = arguments(command);
            let Some(sub) = arguments.operands.first() else {
                continue;
            };
            if value(sub) != Some("add") || has_option(&arguments, &["no-cache", "no-network"]) {
                continue;
            }
            let mut diagnostic = context.report(
                &RULE.meta,
                head_span(command, sub),
                "Add `--no-cache` to `apk add` so the package index is not kept in the layer.",
            );
            if run.editable(command) {
                diagnostic.fix = Some(Fix {
                    message: "Add `--no-cache`".into(),
                    applicability: Applicability::Safe,
                    edits: vec![insert_after(sub, " --no-cache")],
                });
            }
            out.push(diagnostic);
        }
    }
}
