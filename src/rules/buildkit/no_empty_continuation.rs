//! BK003 NoEmptyContinuation: an empty line inside a line continuation.
//!
//! BuildKit skips the empty line and goes on joining, so `RUN a \`, an empty line and `RUN b`
//! are one instruction; BuildKit warns that this will become an error. BuildKit reports the
//! instruction's last line; dlayer points at the empty lines. The fix (safe) deletes them:
//! BuildKit ignores them, so the instruction does not change.

use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK003",
        name: "NoEmptyContinuation",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "empty continuation lines will become errors in a future release",
        doc: include_str!("../../../rules/BK003.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for instruction in context.dockerfile.instructions() {
        let (Some(first), Some(last)) = (
            instruction.empty_continuation_lines.first(),
            instruction.empty_continuation_lines.last(),
        ) else {
            continue;
        };
        let mut diagnostic =
            context.report(&RULE.meta, first.cover(*last), "Empty continuation line");
        diagnostic.fix = Some(Fix {
            message: "Delete the empty continuation lines".into(),
            applicability: Applicability::Safe,
            edits: instruction
                .empty_continuation_lines
                .iter()
                .map(|line| Edit {
                    span: *line,
                    replacement: String::new(),
                })
                .collect(),
        });
        out.push(diagnostic);
    }
}
