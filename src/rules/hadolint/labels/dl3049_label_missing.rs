//! DL3049 label-missing: a label the schema requires is not set on the image.
//!
//! Every stage is judged, as hadolint does (each stage is an image `--target` can build):
//! a label counts when the stage sets it, inherits it from the stages it is built FROM, or
//! when a stage built FROM it or copying from it, directly or further on, has it (the stage is
//! then a step towards a labelled image). Reported once per missing label, at the FROM image
//! of the stage. Does nothing when the label schema is empty.

use std::collections::BTreeSet;

use crate::model::Source;
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
    if schema.is_empty() {
        return;
    }
    let stages = &context.model.stages;
    let present: Vec<BTreeSet<String>> = (0..stages.len())
        .map(|index| inherited_labels(context, index))
        .collect();
    let dependents = dependents(context);
    for (index, stage) in stages.iter().enumerate() {
        if stage.implicit {
            continue;
        }
        let span = from_image_span(context, stage);
        for key in schema.keys() {
            let covered = reachable(&dependents, index)
                .into_iter()
                .any(|other| present[other].contains(key));
            if !covered {
                out.push(context.report(
                    &RULE.meta,
                    span,
                    format!("the image lacks the label `{key}` that the label schema requires"),
                ));
            }
        }
    }
}

/// The labels stage `index` sets or inherits from the stages it is built FROM.
fn inherited_labels(context: &LintContext<'_>, index: usize) -> BTreeSet<String> {
    let stages = &context.model.stages;
    let mut present = BTreeSet::new();
    let mut current = Some(index);
    while let Some(index) = current {
        for instruction in &stages[index].instructions {
            for (key, ..) in labels(context.syntax(instruction)) {
                present.insert(key);
            }
        }
        current = stages[index].base.stage.filter(|&parent| parent < index);
    }
    present
}

/// For each stage, the stages built FROM it or copying from it.
fn dependents(context: &LintContext<'_>) -> Vec<Vec<usize>> {
    let stages = &context.model.stages;
    let mut dependents = vec![Vec::new(); stages.len()];
    for (index, stage) in stages.iter().enumerate() {
        let sources = stage
            .base
            .stage
            .into_iter()
            .chain(
                stage
                    .copies_from
                    .iter()
                    .filter_map(|edge| match edge.source {
                        Source::Stage { index } => Some(index),
                        Source::Image { .. } => None,
                    }),
            );
        for source in sources {
            if source != index && !dependents[source].contains(&index) {
                dependents[source].push(index);
            }
        }
    }
    dependents
}

/// Stage `start` and every stage that depends on it, transitively.
fn reachable(dependents: &[Vec<usize>], start: usize) -> Vec<usize> {
    let mut seen = vec![start];
    let mut next = 0;
    while let Some(&index) = seen.get(next) {
        next += 1;
        for &dependent in &dependents[index] {
            if !seen.contains(&dependent) {
                seen.push(dependent);
            }
        }
    }
    seen
}
