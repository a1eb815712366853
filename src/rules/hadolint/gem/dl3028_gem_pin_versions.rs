//! DL3028 gem-pin-versions: `gem install` installs a gem without a version.
//!
//! A gem is pinned as `name:version` or by `-v`/`--version` on the command (which applies to
//! every gem it names). Local `.gem` files, paths and variables are not judged.

use crate::model::pins_version;
use crate::rules::hadolint::commands::{has_option, value};
use crate::rules::hadolint::package_operands::{arguments, call, is_path_or_file};
use crate::rules::hadolint::runs::runs;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3028",
        name: "gem-pin-versions",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "`gem install` of a gem without a pinned version",
        doc: include_str!("../../../../rules/DL3028.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs(context, true) {
        for command in run.commands_of(&["gem"]) {
            let arguments = arguments(command);
            let Some(call) = call(&arguments) else {
                continue;
            };
            if call.subcommand != "install" || has_option(&arguments, &["v", "version"]) {
                continue;
            }
            for word in &call.operands {
                let Some(text) = value(word) else {
                    continue;
                };
                if is_path_or_file(text, &[".gem"]) || pins_version("gem", text) {
                    continue;
                }
                out.push(context.report(
                    &RULE.meta,
                    word.span,
                    format!("Pin the version of gem `{text}`, e.g. `{text}:<version>` or `-v <version>`."),
                ));
            }
        }
    }
}
