//! DL3034 zypper-non-interactive: a zypper command that may prompt runs without `-n`.
//!
//! `install`/`in`, `remove`/`rm`, `source-install`/`si`, `patch`, `update`/`up` and
//! `dist-upgrade`/`dup` ask for confirmation unless zypper runs with `-n` /
//! `--non-interactive` (global) or the subcommand gets `-y` / `--no-confirm`.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use crate::rules::hadolint::group_b_shared as shared;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3034",
        name: "zypper-non-interactive",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "zypper install/remove/patch without `-n`/`-y`",
        doc: include_str!("../../../../rules/DL3034.md"),
    },
    check,
};

/// zypper options that take a value.
pub const ZYPPER_VALUE_OPTIONS: &[&str] = &[
    "r",
    "repo",
    "from",
    "R",
    "root",
    "t",
    "type",
    "c",
    "config",
    "D",
    "reposd-dir",
    "C",
    "cache-dir",
    "raw-cache-dir",
    "solv-cache-dir",
    "pkg-cache-dir",
    "installroot",
];

const PROMPTING: &[&str] = &[
    "install",
    "in",
    "remove",
    "rm",
    "source-install",
    "si",
    "patch",
    "update",
    "up",
    "dist-upgrade",
    "dup",
];

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in shared::runs(context) {
        for command in shared::commands_of(&run, &["zypper"]) {
            let arguments = shared::split(command, ZYPPER_VALUE_OPTIONS);
            let Some(call) = shared::call(&arguments) else {
                continue;
            };
            if !PROMPTING.contains(&call.subcommand.as_str())
                || shared::has_option(&arguments, &["n", "non-interactive", "y", "no-confirm"])
            {
                continue;
            }
            out.push(context.report(
                &RULE.meta,
                shared::head_span(command, call.word),
                format!(
                    "`{}` may prompt: run zypper with `-n` (or give `-y`).",
                    shared::head_text(command, &call.subcommand)
                ),
            ));
        }
    }
}
