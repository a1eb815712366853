//! DL4001 curl-or-wget: a stage uses both `wget` and `curl`.
//!
//! Per stage (ONBUILD RUN triggers included): a RUN that uses one tool after the other one ran
//! earlier in the stage is reported at that use (once per RUN, as hadolint counts), so the
//! stage settles on one downloader.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Span;

use crate::rules::hadolint::runs::{Run, runs_running};

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
    // Only the RUNs that run one of the tools (most run neither) are read.
    let runs: Vec<Run> = runs_running(context, &["curl", "wget"]).collect();
    for stage in &context.model.stages {
        let mut seen: Vec<&str> = Vec::new();
        for run in runs.iter().filter(|run| std::ptr::eq(run.stage, stage)) {
            // One finding per RUN: its first use of a tool after the other one was used.
            let mut reported = false;
            for command in run.commands_of(&["curl", "wget"]) {
                let (tool, other) = match command.program() {
                    Some("curl") => ("curl", "wget"),
                    Some("wget") => ("wget", "curl"),
                    _ => continue,
                };
                if !reported && seen.contains(&other) {
                    reported = true;
                    out.push(report(context, command.name.span, tool, other));
                }
                if !seen.contains(&tool) {
                    seen.push(tool);
                }
            }
        }
    }
}

fn report(context: &LintContext<'_>, span: Span, tool: &str, other: &str) -> Diagnostic {
    context.report(
        &RULE.meta,
        span,
        format!(
            "this stage already downloads with `{other}`: use it instead of `{tool}` and \
             install one tool, not two"
        ),
    )
}
