//! DL4000 maintainer-deprecated: the MAINTAINER instruction.
//!
//! MAINTAINER is deprecated; a `maintainer` label says the same. The fix (unsafe: MAINTAINER
//! sets the image's Author field, a label is another part of the configuration) rewrites
//! `MAINTAINER text` as `LABEL maintainer="text"` (quotes, backslashes and `$` escaped).

use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::syntax::{Arguments, Keyword};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL4000",
        name: "maintainer-deprecated",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "MAINTAINER is deprecated",
        doc: include_str!("../../../../rules/DL4000.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for instruction in context.instructions_of(Keyword::Maintainer) {
        let mut diagnostic = context.report(
            &RULE.meta,
            instruction.keyword.span,
            "MAINTAINER is deprecated: use `LABEL maintainer=\"…\"`",
        );
        if let Arguments::Text(token) = &instruction.arguments
            && context.dockerfile.escape == '\\'
            && instruction.continuation_comments.is_empty()
            && !context
                .text(instruction.keyword.span.cover(token.span))
                .contains('\n')
        {
            let mut value = String::new();
            for c in token.text.trim().chars() {
                if matches!(c, '"' | '\\' | '$') {
                    value.push('\\');
                }
                value.push(c);
            }
            diagnostic.fix = Some(Fix {
                message: "Replace with `LABEL maintainer=…`".into(),
                applicability: Applicability::Unsafe,
                edits: vec![Edit {
                    span: instruction.keyword.span.cover(token.span),
                    replacement: format!("LABEL maintainer=\"{value}\""),
                }],
            });
        }
        out.push(diagnostic);
    }
}
