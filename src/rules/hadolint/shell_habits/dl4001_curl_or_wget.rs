//! DL4001 curl-or-wget: a stage uses both `wget` and `curl`.
//!
//! Per stage (ONBUILD RUN triggers included): when both tools run, every use of the one that
//! appears second is reported at its command name, so the stage settles on one downloader.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Span;

use crate::rules::hadolint::runs::runs;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL4001",
        name: "curl-or-wget",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "both wget and curl used in one stage",
        doc: include_str!("../../../../rules/DL4001.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let runs = runs(context, true);
    for stage in &context.model.stages {
        let mut uses: Vec<(&str, Span)> = Vec::new();
        for run in runs.iter().filter(|run| std::ptr::eq(run.stage, stage)) {
            for command in run.commands.iter() {
                match command.program() {
                    Some("curl") => uses.push(("curl", command.name.span)),
                    Some("wget") => uses.push(("wget", command.name.span)),
                    _ => {}
                }
            }
        }
        let Some(&(first, _)) = uses.first() else {
            continue;
        };
        if uses.iter().all(|(tool, _)| *tool == first) {
            continue;
        }
        for (tool, span) in uses.iter().filter(|(tool, _)| *tool != first) {
            out.push(context.report(
                &RULE.meta,
                *span,
                format!(
                    "this stage already downloads with `{first}`: use it instead of `{tool}` \
                     and install one tool, not two"
                ),
            ));
        }
    }
}
