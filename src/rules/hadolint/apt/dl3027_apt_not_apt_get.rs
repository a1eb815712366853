//! DL3027 apt-not-apt-get: `apt` in a RUN; its interface is for humans and not stable.
//!
//! Use `apt-get` (or `apt-cache` for queries) in scripts. The fix (safe) renames the command
//! when its subcommand has the same meaning in `apt-get` (`install`, `remove`, `update`, …)
//! or `apt-cache` (`search`, `show`, `policy`, …). `apt upgrade` also installs new
//! dependencies, unlike `apt-get upgrade`: its fix is unsafe. Other subcommands get no fix.

use crate::rules::hadolint::commands::value;
use crate::rules::hadolint::package_operands::arguments;
use crate::rules::hadolint::runs::runs_running;
use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3027",
        name: "apt-not-apt-get",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "`apt` used in a RUN; use `apt-get` or `apt-cache`",
        doc: include_str!("../../../../rules/DL3027.md"),
    },
    check,
};

/// The replacement program for a subcommand, and whether the rename is safe.
fn replacement(subcommand: &str) -> Option<(&'static str, Applicability)> {
    match subcommand {
        "install" | "reinstall" | "remove" | "purge" | "autoremove" | "update" | "clean"
        | "autoclean" | "dist-upgrade" | "source" | "build-dep" | "download" | "satisfy"
        | "autopurge" => Some(("apt-get", Applicability::Safe)),
        "full-upgrade" | "upgrade" => Some(("apt-get", Applicability::Unsafe)),
        "search" | "show" | "showsrc" | "policy" | "depends" | "rdepends" | "showpkg"
        | "madison" => Some(("apt-cache", Applicability::Safe)),
        _ => None,
    }
}

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs_running(context, &["apt"]) {
        for command in run.commands_of(&["apt"]) {
            let arguments = arguments(command);
            let subcommand = arguments.operands.first().and_then(|word| value(word));
            let mut diagnostic = context.report(
                &RULE.meta,
                command.name.span,
                "`apt` is meant for interactive use: use `apt-get` or `apt-cache` in a build.",
            );
            let fix = subcommand.and_then(replacement);
            if let Some((program, applicability)) = fix
                && run.editable(command)
                && command.name.value() == Some("apt")
            {
                let (program, subcommand) = match (subcommand, program) {
                    (Some("full-upgrade"), _) => (program, Some("dist-upgrade")),
                    _ => (program, None),
                };
                let mut edits = vec![Edit {
                    span: command.name.span,
                    replacement: program.into(),
                }];
                if let (Some(subcommand), Some(word)) = (subcommand, arguments.operands.first()) {
                    edits.push(Edit {
                        span: word.span,
                        replacement: subcommand.into(),
                    });
                }
                diagnostic.fix = Some(Fix {
                    message: format!("Use `{program}`"),
                    applicability,
                    edits,
                });
            }
            out.push(diagnostic);
        }
    }
}
