//! DL3050 label-not-in-schema: with `strict-labels`, a label the schema does not list.
//!
//! Reported at the key. Does nothing unless `strict_labels` is on and the schema is not empty.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::labels;
use crate::syntax::Keyword;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3050",
        name: "label-not-in-schema",
        severity: Severity::Info,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "label not listed in the label schema (strict labels)",
        doc: include_str!("../../../../rules/DL3050.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let schema = &context.settings.label_schema;
    if schema.is_empty() || !context.settings.strict_labels {
        return;
    }
    for syntax in context.instructions_of(Keyword::Label) {
        for (key, _, token, _) in labels(syntax) {
            if !schema.contains_key(&key) {
                out.push(context.report(
                    &RULE.meta,
                    token.span,
                    format!("label `{key}` is not in the label schema"),
                ));
            }
        }
    }
}
