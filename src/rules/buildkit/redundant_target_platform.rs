//! BK014 RedundantTargetPlatform: `FROM --platform=$TARGETPLATFORM`.
//!
//! A stage is built for the target platform anyway. The fix (safe) removes the flag: the
//! built image is the same. It is not offered when the file declares its own
//! `ARG TARGETPLATFORM` before the first FROM (the variable may then not be the target).
//! hadolint's twin is DL3065.

use std::cell::LazyCell;

use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::syntax::{Keyword, Span};

use super::stages::{from_env, lexer, meta_args};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK014",
        name: "RedundantTargetPlatform",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
        doc: include_str!("../../../rules/BK014.md"),
    },
    check,
};

const TARGETPLATFORM: &str = "TARGETPLATFORM";

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // Read for a `--platform` value with a `$` only (few FROMs have one).
    let env = LazyCell::new(|| from_env(context));
    let redeclared = LazyCell::new(|| {
        meta_args(context)
            .declared
            .iter()
            .any(|name| name == TARGETPLATFORM)
    });
    for from in context.instructions_of(Keyword::From) {
        for flag in &from.flags {
            let Some(value) = flag.value.as_deref().filter(|_| flag.name == "platform") else {
                continue;
            };
            // Only a `$` can name `TARGETPLATFORM`.
            if !value.contains('$') {
                continue;
            }
            let Ok(expansion) = lexer(context).process_word_with_matches(value, &*env) else {
                continue;
            };
            let only_target = expansion.unmatched.is_empty()
                && expansion.matched.len() == 1
                && expansion.matched.contains(TARGETPLATFORM);
            let target = crate::syntax::expand::Env::get(&*env, TARGETPLATFORM).unwrap_or_default();
            if !only_target || expansion.value != target {
                continue;
            }
            let mut diagnostic = context.report(
                &RULE.meta,
                flag.span,
                format!(
                    "Setting platform to predefined {value} in FROM is redundant as this is the \
                     default behavior"
                ),
            );
            if !*redeclared {
                diagnostic.fix = Some(Fix {
                    message: "Remove the `--platform` flag".into(),
                    applicability: Applicability::Safe,
                    edits: vec![Edit {
                        span: with_trailing_blanks(context, flag.span),
                        replacement: String::new(),
                    }],
                });
            }
            out.push(diagnostic);
        }
    }
}

/// `span` and the spaces or tabs after it.
fn with_trailing_blanks(context: &LintContext<'_>, span: Span) -> Span {
    let rest = &context.dockerfile.source[span.end..];
    let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    Span::new(span.start, span.end + blanks)
}
