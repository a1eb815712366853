//! BK006 ReservedStageName: a stage named `scratch` or `context` (any case).
//!
//! `scratch` is the empty image and `context` the build context in `--from=`; a stage with
//! either name is ambiguous. Reported at the name. hadolint's twin is DL3063.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use super::stages::as_and_name;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK006",
        name: "ReservedStageName",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "reserved words should not be used as stage names",
        doc: include_str!("../../../rules/BK006.md"),
    },
    check,
};

const RESERVED: [&str; 2] = ["scratch", "context"];

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for from in context.instructions_of(Keyword::From) {
        let Some((_, name)) = as_and_name(from) else {
            continue;
        };
        let lower = name.text.to_lowercase();
        if RESERVED.contains(&lower.as_str()) {
            out.push(context.report(
                &RULE.meta,
                name.span,
                format!("Stage name should not use the same name as reserved stage {lower:?}"),
            ));
        }
    }
}
