//! BK002 FromAsCasing: `FROM` and `AS` written in different cases (`FROM x as y`).
//!
//! Only an all-upper or all-lower `FROM` sets the expected case; a mixed-case `From` is left to
//! ConsistentInstructionCasing. The fix (safe) rewrites `AS` in the case of `FROM`.

use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::syntax::Keyword;

use super::stages::as_and_name;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK002",
        name: "FromAsCasing",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "the 'as' keyword should match the case of the 'from' keyword",
        doc: include_str!("../../../rules/BK002.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for from in context.instructions_of(Keyword::From) {
        let Some((as_word, _)) = as_and_name(from) else {
            continue;
        };
        let keyword = &from.keyword.text;
        let wanted = if *keyword == keyword.to_uppercase() {
            "AS"
        } else if *keyword == keyword.to_lowercase() {
            "as"
        } else {
            continue;
        };
        if as_word.text == wanted {
            continue;
        }
        let mut diagnostic = context.report(
            &RULE.meta,
            as_word.span,
            format!(
                "'{}' and '{}' keywords' casing do not match",
                as_word.text, keyword
            ),
        );
        if context.text(as_word.span) == as_word.text {
            diagnostic.fix = Some(Fix {
                message: format!("Write `{wanted}`"),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    span: as_word.span,
                    replacement: wanted.to_string(),
                }],
            });
        }
        out.push(diagnostic);
    }
}
