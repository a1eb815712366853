//! DL3057 healthcheck-missing: the image has no HEALTHCHECK (off by default).
//!
//! Without a HEALTHCHECK, Docker only knows whether the main process runs, not whether it
//! works. Reported once, at the FROM image of the stage that is built (the target, else the
//! last stage), when neither it nor the stages it is built FROM declare a HEALTHCHECK
//! (`HEALTHCHECK NONE` counts as a decision). A base image's own HEALTHCHECK cannot be seen.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use crate::rules::hadolint::instructions::from_image_span;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3057",
        name: "healthcheck-missing",
        severity: Severity::Info,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: false,
        summary: "the image declares no HEALTHCHECK",
        doc: include_str!("../../../../rules/DL3057.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let stages = &context.model.stages;
    let Some(target) = context.model.target.or(stages.len().checked_sub(1)) else {
        return;
    };
    // The stages with a HEALTHCHECK, ascending (they are listed stage by stage): most files
    // have none, and no stage's instructions are read.
    let mut with_healthcheck: Vec<usize> = context
        .stage_instructions_of(Keyword::Healthcheck)
        .map(|healthcheck| healthcheck.stage.index)
        .collect();
    with_healthcheck.dedup();
    let mut current = Some(target);
    while let Some(index) = current {
        if with_healthcheck.binary_search(&index).is_ok() {
            return;
        }
        current = stages[index].base.stage.filter(|&parent| parent < index);
    }
    let span = from_image_span(context, &stages[target]);
    out.push(context.report(
        &RULE.meta,
        span,
        "the image has no HEALTHCHECK: add one so the runtime can tell when the service stops \
         working",
    ));
}
