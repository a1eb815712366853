//! DL3051 label-empty: a label the schema lists is set to an empty value.
//!
//! Reported at the value (at the key when the value is absent). Does nothing when the label
//! schema is empty.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::labels;
use crate::syntax::Keyword;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3051",
        name: "label-empty",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "label of the label schema has an empty value",
        doc: include_str!("../../../../rules/DL3051.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let schema = &context.settings.label_schema;
    if schema.is_empty() {
        return;
    }
    for syntax in context.instructions_of(Keyword::Label) {
        for (key, value, key_token, value_token) in labels(syntax) {
            if schema.contains_key(&key) && value.trim().is_empty() {
                let span = if value_token.span.is_empty() {
                    key_token.span
                } else {
                    value_token.span
                };
                out.push(context.report(&RULE.meta, span, format!("label `{key}` is empty")));
            }
        }
    }
}
