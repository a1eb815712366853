//! DL3061 instruction-before-from: an instruction other than ARG before the first FROM.
//!
//! Only parser directives, comments and ARG may come before the first FROM. Reported at the
//! keyword of each offending instruction.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3061",
        name: "instruction-before-from",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "instruction other than ARG before the first FROM",
        doc: include_str!("../../../../rules/DL3061.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for syntax in context.dockerfile.instructions() {
        match syntax.kind {
            Keyword::From => break,
            Keyword::Arg | Keyword::Unknown => {}
            _ => out.push(context.report(
                &RULE.meta,
                syntax.keyword.span,
                format!(
                    "`{}` comes before the first FROM, where only ARG is allowed",
                    syntax.keyword.text.to_ascii_uppercase()
                ),
            )),
        }
    }
}
