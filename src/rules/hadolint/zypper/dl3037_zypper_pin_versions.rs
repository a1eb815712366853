//! DL3037 zypper-pin-versions: `zypper install` installs a package without a version.
//!
//! A package is pinned with `=`, `<`, `>`, `<=` or `>=` (`curl=8.0.1`, `curl>=8`). With
//! `-t`/`--type` other than `package` the operands are patterns, patches or products and are
//! not judged; nor are local `.rpm` files, paths, URLs and variables.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::dl3034_zypper_non_interactive::ZYPPER_VALUE_OPTIONS;
use crate::rules::hadolint::group_b_shared as shared;
use crate::rules::hadolint::package_operands;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3037",
        name: "zypper-pin-versions",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "`zypper install` of a package without a pinned version",
        doc: include_str!("../../../../rules/DL3037.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in shared::runs(context) {
        for command in shared::commands_of(&run, &["zypper"]) {
            let arguments = shared::split(command, ZYPPER_VALUE_OPTIONS);
            let Some(call) = shared::call(&arguments) else {
                continue;
            };
            if !matches!(call.subcommand.as_str(), "install" | "in") {
                continue;
            }
            let other_type = arguments.options.iter().any(|option| {
                matches!(option.name.as_str(), "t" | "type")
                    && option.value.as_deref() != Some("package")
            });
            if other_type {
                continue;
            }
            let operands = package_operands::expand(
                &run.variables,
                run.stage,
                run.index,
                command,
                &call.operands,
            );
            for operand in operands {
                let word = operand.word.as_ref();
                let Some(text) = shared::value(word) else {
                    continue;
                };
                if shared::is_path_or_file(text, &[".rpm"]) || text.contains(['=', '<', '>']) {
                    continue;
                }
                let through = operand.through_note();
                out.push(context.report(
                    &RULE.meta,
                    word.span,
                    format!("Pin the version of `{text}`{through}, e.g. `{text}=<version>`."),
                ));
            }
        }
    }
}
