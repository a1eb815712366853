//! DL3021 copy-dest-not-dir: COPY with several sources to a destination without a trailing `/`.
//!
//! With more than one source, BuildKit requires the destination to be a directory written
//! with a trailing `/`. A destination given by a variable alone is not judged.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3021",
        name: "copy-dest-not-dir",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "COPY with several sources to a destination that does not end with `/`",
        doc: include_str!("../../../../rules/DL3021.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for instruction in context.instructions_of(Keyword::Copy) {
        let tokens = match &instruction.arguments {
            Arguments::Words(tokens) | Arguments::Exec(tokens) => tokens,
            _ => continue,
        };
        if tokens.len() <= 2 {
            continue;
        }
        let Some(destination) = tokens.last() else {
            continue;
        };
        let text = destination.text.as_str();
        let dynamic_only = text.starts_with('$') && !text.contains('/');
        if text.ends_with('/') || dynamic_only {
            continue;
        }
        out.push(context.report(
            &RULE.meta,
            destination.span,
            format!(
                "COPY has {} sources: end the destination `{text}` with `/`.",
                tokens.len() - 1
            ),
        ));
    }
}
