//! BK007 JSONArgsRecommended: CMD or ENTRYPOINT in shell form while the image has no SHELL.
//!
//! In shell form the command runs under `/bin/sh -c`, which becomes PID 1 and does not pass
//! signals on. A SHELL instruction in the stage (or a stage it is built FROM) says the shell is
//! wanted, so BuildKit stays silent then. HEALTHCHECK is not checked. hadolint's twin is
//! DL3025 (which also checks HEALTHCHECK CMD).

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword};

use super::stages::{chain, instructions};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK007",
        name: "JSONArgsRecommended",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
        doc: include_str!("../../../rules/BK007.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for stage in &context.model.stages {
        let inherited_shell = chain(context, stage)
            .iter()
            .skip(1)
            .flat_map(|base| instructions(context, base))
            .any(|instruction| instruction.kind == Keyword::Shell);
        let mut shell_set = inherited_shell;
        for instruction in instructions(context, stage) {
            match (&instruction.kind, &instruction.arguments) {
                (Keyword::Shell, _) => shell_set = true,
                (Keyword::Cmd | Keyword::Entrypoint, Arguments::Shell(command)) if !shell_set => {
                    out.push(context.report(
                        &RULE.meta,
                        command.span,
                        format!(
                            "JSON arguments recommended for {} to prevent unintended behavior \
                             related to OS signals",
                            instruction.kind.upper_name()
                        ),
                    ));
                }
                _ => {}
            }
        }
    }
}
