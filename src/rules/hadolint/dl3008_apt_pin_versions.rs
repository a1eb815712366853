//! DL3008 apt-pin-versions: `apt-get install` of a package without a `=version` pin.
//!
//! Every static package operand of `apt-get install` that has no `=` is reported at the
//! package word. Local `.deb` files and paths, operands with a `/release` suffix and words
//! built from variables (`$PKGS`) are not packages this rule can judge. ONBUILD-aware.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::group_a_shared::{Apt, runs, value};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3008",
        name: "apt-pin-versions",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "apt-get install of a package without a pinned version",
        doc: include_str!("../../../rules/DL3008.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs(context, true) {
        for command in run.commands.iter() {
            let Some(apt) = Apt::parse(command) else {
                continue;
            };
            if !apt.is("install") {
                continue;
            }
            for word in &apt.operands {
                let Some(package) = value(word) else {
                    continue;
                };
                if is_pinned_or_not_a_name(package) {
                    continue;
                }
                out.push(context.report(
                    &RULE.meta,
                    word.span,
                    format!(
                        "pin the version of `{package}` (`{package}=<version>`) so rebuilds \
                         install the same package"
                    ),
                ));
            }
        }
    }
}

fn is_pinned_or_not_a_name(package: &str) -> bool {
    package.is_empty()
        || package.contains('=')
        || package.contains('/')
        || package.ends_with(".deb")
}
