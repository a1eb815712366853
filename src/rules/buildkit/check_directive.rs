//! E002 invalid-check-directive: a `# check=` directive (or `BUILDKIT_DOCKERFILE_CHECK`
//! build argument) BuildKit cannot read: an option other than `skip`, `experimental` and
//! `error`, a part without `=`, or an `error=` that is not a boolean. BuildKit fails the
//! build; dlayer reports it and runs every check unskipped.

use crate::rules::suppress::CheckOptions;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Item, Span};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "E002",
        name: "invalid-check-directive",
        severity: Severity::Error,
        family: Family::Syntax,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "BuildKit cannot read the `# check=` directive",
        doc: include_str!("../../../rules/E002.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    if let Some(value) = &context.build.check {
        if let Err(message) = CheckOptions::parse(value) {
            out.push(context.report(
                &RULE.meta,
                Span::empty(0),
                format!("build argument BUILDKIT_DOCKERFILE_CHECK: {message}"),
            ));
        }
        return;
    }
    for item in &context.dockerfile.items {
        let Item::Directive(directive) = item else {
            continue;
        };
        if directive.name.text != "check" {
            continue;
        }
        if let Err(message) = CheckOptions::parse_comment_value(&directive.value.text) {
            out.push(context.report(&RULE.meta, directive.value.span, message));
        }
    }
}
