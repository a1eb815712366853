//! DL3023 copy-from-own-stage: `COPY --from` names the stage the COPY is in.
//!
//! A stage cannot copy from itself, by name (any case) or by its index.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::copy_from_flags;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3023",
        name: "copy-from-own-stage",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "`COPY --from` references the stage it is in",
        doc: include_str!("../../../../rules/DL3023.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for stage in &context.model.stages {
        for (flag, value) in copy_from_flags(context, stage) {
            let own = stage.name.as_deref() == Some(value.to_lowercase().as_str())
                || value
                    .parse::<usize>()
                    .is_ok_and(|n| Some(n) == context.model.stage_number(stage));
            if own {
                out.push(context.report(
                    &RULE.meta,
                    flag.span,
                    format!(
                        "`--from={value}` is the current stage: a stage cannot copy from itself."
                    ),
                ));
            }
        }
    }
}
