//! DL4005 use-shell-instruction: a RUN replaces `/bin/sh` with `ln`.
//!
//! An `ln` whose target (last operand) is `/bin/sh` swaps the default shell behind
//! BuildKit's back; SHELL says it openly. Reported at the `/bin/sh` word. ONBUILD-aware.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use crate::rules::hadolint::commands::value;
use crate::rules::hadolint::runs::runs_running;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL4005",
        name: "use-shell-instruction",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "ln replaces /bin/sh; use SHELL to change the default shell",
        doc: include_str!("../../../../rules/DL4005.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs_running(context, &["ln"]) {
        for command in run.commands_of(&["ln"]) {
            let Some(target) = command.args.last() else {
                continue;
            };
            if value(target).map(|v| v.trim_end_matches('/')) == Some("/bin/sh") {
                out.push(context.report(
                    &RULE.meta,
                    target.span,
                    "linking over `/bin/sh` changes the shell of every later RUN silently: \
                     use the SHELL instruction",
                ));
            }
        }
    }
}
