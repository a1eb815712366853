//! BK020 ExposeProtoCasing: an EXPOSE protocol not in lower case (`80/TCP`).
//!
//! The fix (safe) lowercases the protocol: BuildKit lowercases it in the image configuration
//! anyway, so the image does not change. Offered for ports written without variables.

use std::cell::LazyCell;

use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::syntax::expand::Env;
use crate::syntax::{Arguments, Keyword, Span};

use super::stages::lexer;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK020",
        name: "ExposeProtoCasing",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "protocol in EXPOSE instruction should be lowercase",
        doc: include_str!("../../../rules/BK020.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for_each_port(context, |port, span, literal| {
        let Some((_, proto)) = port.split_once('/') else {
            return;
        };
        if proto == proto.to_lowercase() {
            return;
        }
        let mut diagnostic = context.report(
            &RULE.meta,
            span,
            format!("Defined protocol '{port}' in EXPOSE instruction should be lowercase"),
        );
        if literal {
            let slash = port.find('/').unwrap_or(port.len());
            diagnostic.fix = Some(Fix {
                message: format!("Write `{}`", port.to_lowercase()),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    span: Span::new(span.start + slash + 1, span.end),
                    replacement: proto.to_lowercase(),
                }],
            });
        }
        out.push(diagnostic);
    });
}

/// Calls `each(port, span, literal)` for every port every EXPOSE of a stage names, after
/// expansion: `literal` when the port is written as is at `span` (no variable, no quotes).
pub fn for_each_port(context: &LintContext<'_>, mut each: impl FnMut(&str, Span, bool)) {
    for expose in context.stage_instructions_of(Keyword::Expose) {
        let (stage, index) = (expose.stage, expose.index);
        let Arguments::Words(words) = &expose.syntax.arguments else {
            continue;
        };
        // The stage's values, read for a word with a `$` only: no other word uses one.
        let env = LazyCell::new(|| stage.variables_at(index));
        for word in words {
            let values: &dyn Env = if word.text.contains('$') { &*env } else { &() };
            let ports = lexer(context)
                .process_words(&word.text, values)
                .unwrap_or_else(|_| vec![word.text.clone()]);
            for port in ports {
                let literal = port == word.text && context.text(word.span) == word.text;
                each(&port, word.span, literal);
            }
        }
    }
}
