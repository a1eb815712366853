//! DL3049 label-missing: a label the schema requires is not set on the image.
//!
//! Reported once per missing label, at the FROM image of the stage that is built (the target,
//! else the last stage). Labels set in the stages it is built FROM count, since they are
//! inherited. Does nothing when the label schema is empty.

use std::collections::BTreeSet;

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::labels;
use crate::rules::hadolint::instructions::from_image_span;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3049",
        name: "label-missing",
        severity: Severity::Info,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "a label required by the label schema is missing",
        doc: include_str!("../../../../rules/DL3049.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let schema = &context.settings.label_schema;
    let stages = &context.model.stages;
    if schema.is_empty() {
        return;
    }
    let Some(target) = context.model.target.or(stages.len().checked_sub(1)) else {
        return;
    };
    let mut present = BTreeSet::new();
    let mut current = Some(target);
    while let Some(index) = current {
        for instruction in &stages[index].instructions {
            for (key, ..) in labels(context.syntax(instruction)) {
                present.insert(key);
            }
        }
        current = stages[index].base.stage.filter(|&parent| parent < index);
    }
    let span = from_image_span(context, &stages[target]);
    for key in schema.keys().filter(|key| !present.contains(*key)) {
        out.push(context.report(
            &RULE.meta,
            span,
            format!("the image lacks the label `{key}` that the label schema requires"),
        ));
    }
}
