//! DL3024 duplicate-stage-name: two FROM instructions give their stage the same name.
//!
//! Names compare case-insensitively, as BuildKit stores them lowercased. The second and later
//! uses are flagged at their name.

use std::collections::HashMap;

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use crate::rules::hadolint::instructions::stage_alias;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3024",
        name: "duplicate-stage-name",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "FROM stage names must be unique",
        doc: include_str!("../../../../rules/DL3024.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // Each name and the line of the first stage given it.
    let mut first_line: HashMap<&str, usize> = HashMap::new();
    for stage in &context.model.stages {
        let Some(name) = &stage.name else {
            continue;
        };
        let Some(&line) = first_line.get(name.as_str()) else {
            first_line.insert(name, stage.line);
            continue;
        };
        if let Some(token) = stage_alias(context, stage) {
            out.push(context.report(
                &RULE.meta,
                token.span,
                format!(
                    "Stage name `{}` is already used by the stage on line {line}.",
                    token.text
                ),
            ));
        }
    }
}
