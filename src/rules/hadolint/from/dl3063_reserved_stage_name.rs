//! DL3063 reserved-stage-name: a stage named `scratch` or `context`.
//!
//! `scratch` already means the empty image and `context` is the name BuildKit gives the build
//! context in `--from=` and named contexts, so a stage with either name is ambiguous.
//! Reported at the name after `AS` (any case).

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3063",
        name: "reserved-stage-name",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "stage name is a reserved word (scratch, context)",
        doc: include_str!("../../../../rules/DL3063.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for syntax in context.instructions_of(Keyword::From) {
        let Arguments::Words(words) = &syntax.arguments else {
            continue;
        };
        if words.len() == 3 && words[1].text.eq_ignore_ascii_case("as") {
            let name = words[2].text.to_ascii_lowercase();
            if name == "scratch" || name == "context" {
                out.push(context.report(
                    &RULE.meta,
                    words[2].span,
                    format!("`{name}` is a reserved word: give the stage another name"),
                ));
            }
        }
    }
}
