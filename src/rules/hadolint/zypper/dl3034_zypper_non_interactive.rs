//! DL3034 zypper-non-interactive: a zypper command that may prompt runs without `-n`.
//!
//! `install`/`in`, `remove`/`rm`, `source-install`/`si`, `patch`, `update`/`up` and
//! `dist-upgrade`/`dup` ask for confirmation unless zypper runs with `-n` /
//! `--non-interactive` (global) or the subcommand gets `-y` / `--no-confirm`.

use crate::rules::hadolint::commands::{has_option, head_span, head_text};
use crate::rules::hadolint::package_operands::{arguments, call};
use crate::rules::hadolint::runs::runs_running;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

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
    for run in runs_running(context, &["zypper"]) {
        for command in run.commands_of(&["zypper"]) {
            let arguments = arguments(command);
            let Some(call) = call(&arguments) else {
                continue;
            };
            if !PROMPTING.contains(&&*call.subcommand)
                || has_option(&arguments, &["n", "non-interactive", "y", "no-confirm"])
            {
                continue;
            }
            out.push(context.report(
                &RULE.meta,
                head_span(command, call.word),
                format!(
                    "`{}` may prompt: run zypper with `-n` (or give `-y`).",
                    head_text(command, &call.subcommand)
                ),
            ));
        }
    }
}
