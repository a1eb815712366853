//! DL3018 apk-pin-versions: `apk add` installs a package without pinning its version.
//!
//! Every package operand of `apk add` must carry a version constraint (`pkg=1.2.3-r0`,
//! `pkg~1.2`, `pkg>1`, `pkg<2`). The name given to `-t`/`--virtual`, repository values, local
//! `.apk` files, paths and URLs are not packages. A `$NAME` operand whose value is known
//! stands for the packages it holds: set by the script (`buildDeps='gcc make'`; reported where
//! the list names the package) or by ENV/ARG (reported at `$NAME`).

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use crate::rules::hadolint::group_b_shared as shared;
use crate::rules::hadolint::package_operands;

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

/// apk options that take a value.
pub const APK_VALUE_OPTIONS: &[&str] = &[
    "t",
    "virtual",
    "X",
    "repository",
    "p",
    "root",
    "arch",
    "keys-dir",
    "cache-dir",
    "repositories-file",
    "cache-max-age",
    "timeout",
];

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in shared::runs(context) {
        for command in shared::commands_of(&run, &["apk"]) {
            let arguments = shared::split(command, APK_VALUE_OPTIONS);
            let Some((sub, packages)) = arguments.operands.split_first() else {
                continue;
            };
            if shared::value(sub) != Some("add") {
                continue;
            }
            let operands =
                package_operands::expand(&run.variables, run.stage, run.index, command, packages);
            for operand in operands {
                let word = operand.word.as_ref();
                let Some(text) = shared::value(word) else {
                    continue;
                };
                if shared::is_path_or_file(text, &[".apk"]) || text.contains(['=', '~', '<', '>']) {
                    continue;
                }
                let through = operand.through_note();
                out.push(context.report(
                    &RULE.meta,
                    word.span,
                    format!(
                        "Pin the version of `{text}` in `apk add`{through}, e.g. `{text}=<version>`."
                    ),
                ));
            }
        }
    }
}
