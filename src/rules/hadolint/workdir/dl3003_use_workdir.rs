//! DL3003 use-workdir: `cd` inside a RUN instead of `WORKDIR`.
//!
//! One finding per RUN, at its first `cd` command. A `cd` inside `sh -c '…'` counts too.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use crate::rules::hadolint::runs::runs;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3003",
        name: "use-workdir",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "cd in RUN instead of WORKDIR",
        doc: include_str!("../../../../rules/DL3003.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs(context, false) {
        if let Some(cd) = run
            .commands
            .iter()
            .find(|command| command.program() == Some("cd"))
        {
            out.push(context.report(
                &RULE.meta,
                cd.span,
                "use WORKDIR to change directory instead of `cd` in a RUN",
            ));
        }
    }
}
