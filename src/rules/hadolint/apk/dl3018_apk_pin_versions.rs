//! DL3018 apk-pin-versions: `apk add` installs a package without pinning its version.
//!
//! Every package operand of `apk add` must carry a version constraint (`pkg=1.2.3-r0`,
//! `pkg~1.2`, `pkg>1`, `pkg<2`). The name given to `-t`/`--virtual`, repository values, local
//! `.apk` files, paths and URLs are not packages. A `$NAME` operand whose value is known
//! stands for the packages it holds: set by the script (`buildDeps='gcc make'`; reported where
//! the list names the package) or by ENV/ARG (reported at `$NAME`).

use crate::model::pins_version;
use crate::rules::hadolint::commands::value;
use crate::rules::hadolint::package_operands::{arguments, is_path_or_file};
use crate::rules::hadolint::package_operands::{pin_hint, report_unpinned};
use crate::rules::hadolint::runs::runs_running;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3018",
        name: "apk-pin-versions",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "`apk add` installs a package without a pinned version",
        doc: include_str!("../../../../rules/DL3018.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs_running(context, &["apk"]) {
        for command in run.commands_of(&["apk"]) {
            let arguments = arguments(command);
            let Some((sub, packages)) = arguments.operands.split_first() else {
                continue;
            };
            if value(sub) != Some("add") {
                continue;
            }
            report_unpinned(
                context,
                out,
                &RULE.meta,
                &run,
                command,
                packages,
                |text| is_path_or_file(text, &[".apk"]) || pins_version("apk", text),
                |text, through| pin_hint(text, " in `apk add`", through, "="),
            );
        }
    }
}
