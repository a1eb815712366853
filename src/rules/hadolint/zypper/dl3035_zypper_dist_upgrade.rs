//! DL3035 zypper-dist-upgrade: `zypper dist-upgrade` (`dup`) in a build.
//!
//! A distribution upgrade inside a build makes the image depend on the day it was built;
//! use a newer base image instead.

use crate::rules::hadolint::package_operands::{arguments, call};
use crate::rules::hadolint::runs::runs_running;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3035",
        name: "zypper-dist-upgrade",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "`zypper dist-upgrade` used in a build",
        doc: include_str!("../../../../rules/DL3035.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs_running(context, &["zypper"]) {
        for command in run.commands_of(&["zypper"]) {
            let arguments = arguments(command);
            let Some(call) = call(&arguments) else {
                continue;
            };
            if matches!(&*call.subcommand, "dist-upgrade" | "dup") {
                out.push(context.report(
                    &RULE.meta,
                    call.word.span,
                    "Do not run `zypper dist-upgrade` in a build; start from a newer base image.",
                ));
            }
        }
    }
}
