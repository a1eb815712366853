//! BK001 StageNameCasing: a stage name with upper-case letters.
//!
//! BuildKit lowercases stage names, so `AS Build` and `--from=build` name the same stage; a
//! lower-case name says what BuildKit sees. Reported at the name; the fix (safe) lowercases it,
//! which changes nothing BuildKit builds.

use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::syntax::Keyword;

use super::stages::as_and_name;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK001",
        name: "StageNameCasing",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "stage names should be lowercase",
        doc: include_str!("../../../rules/BK001.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for from in context.instructions_of(Keyword::From) {
        let Some((_, name)) = as_and_name(from) else {
            continue;
        };
        let lower = name.text.to_lowercase();
        if lower == name.text {
            continue;
        }
        let mut diagnostic = context.report(
            &RULE.meta,
            name.span,
            format!("Stage name '{}' should be lowercase", name.text),
        );
        if context.text(name.span) == name.text {
            diagnostic.fix = Some(Fix {
                message: format!("Rename the stage `{lower}`"),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    span: name.span,
                    replacement: lower,
                }],
            });
        }
        out.push(diagnostic);
    }
}
