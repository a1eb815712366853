//! DL3037 zypper-pin-versions: `zypper install` installs a package without a version.
//!
//! A package is pinned with `=`, `<`, `>`, `<=` or `>=` (`curl=8.0.1`, `curl>=8`). With
//! `-t`/`--type` other than `package` the operands are patterns, patches or products and are
//! not judged; nor are local `.rpm` files, paths, URLs and variables.

use crate::model::pins_version;
use crate::rules::hadolint::package_operands::{arguments, call, is_path_or_file};
use crate::rules::hadolint::package_operands::{pin_hint, report_unpinned};
use crate::rules::hadolint::runs::runs_running;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

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
    for run in runs_running(context, &["zypper"]) {
        for command in run.commands_of(&["zypper"]) {
            let arguments = arguments(command);
            let Some(call) = call(&arguments) else {
                continue;
            };
            if !matches!(&*call.subcommand, "install" | "in") {
                continue;
            }
            let other_type = arguments.options.iter().any(|option| {
                matches!(option.name.as_str(), "t" | "type")
                    && option.value.as_deref() != Some("package")
            });
            if other_type {
                continue;
            }
            report_unpinned(
                context,
                out,
                &RULE.meta,
                &run,
                command,
                &call.operands,
                |text| is_path_or_file(text, &[".rpm"]) || pins_version("zypper", text),
                |text, through| pin_hint(text, "", through, "="),
            );
        }
    }
}
