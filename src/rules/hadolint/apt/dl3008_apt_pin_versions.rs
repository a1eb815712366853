//! DL3008 apt-pin-versions: `apt-get install` of a package without a `=version` pin.
//!
//! Every static package operand of `apt-get install` that has no `=` is reported at the
//! package word. Local `.deb` files and paths, operands with a `/release` suffix and words
//! built from variables (`$PKGS`) are not packages this rule can judge, unless the variable's
//! value is known: set by the script (`buildDeps='gcc make'`; reported where the list names
//! the package) or by ENV/ARG (reported at `$PKGS`). ONBUILD-aware.

use crate::model::pins_version;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::Apt;
use crate::rules::hadolint::package_operands::report_unpinned;
use crate::rules::hadolint::runs::runs_running;

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
        doc: include_str!("../../../../rules/DL3008.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs_running(context, &["apt-get"]) {
        for command in run.commands_of(&["apt-get"]) {
            let Some(operands) = Apt::install_operands(command) else {
                continue;
            };
            report_unpinned(
                context,
                out,
                &RULE.meta,
                &run,
                command,
                &operands,
                is_pinned_or_not_a_name,
                |package, through| {
                    crate::rules::message(&[
                        "pin the version of `",
                        package,
                        "`",
                        through,
                        " (`",
                        package,
                        "=<version>`) so rebuilds install the same package",
                    ])
                },
            );
        }
    }
}

/// A pinned package, or an operand that names no package to pin: a release (`curl/bookworm`),
/// a `.deb` file.
fn is_pinned_or_not_a_name(package: &str) -> bool {
    package.is_empty()
        || pins_version("apt-get", package)
        || package.contains('/')
        || package.ends_with(".deb")
}
