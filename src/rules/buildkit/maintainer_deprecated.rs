//! BK008 MaintainerDeprecated: the MAINTAINER instruction.
//!
//! MAINTAINER is deprecated; the OCI label `org.opencontainers.image.authors` says the same.
//! The fix rewrites `MAINTAINER text` as `LABEL org.opencontainers.image.authors="text"`. It is
//! unsafe: MAINTAINER sets the image's `Author` field, the label sets a label, so the image
//! configuration changes. hadolint's twin is DL4000.

use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::syntax::{Arguments, Instruction, Keyword};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK008",
        name: "MaintainerDeprecated",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "the MAINTAINER instruction is deprecated, use a label instead to define an image author",
        doc: include_str!("../../../rules/BK008.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for instruction in context.instructions_of(Keyword::Maintainer) {
        let mut diagnostic = context.report(
            &RULE.meta,
            instruction.keyword.span,
            "Maintainer instruction is deprecated in favor of using label",
        );
        diagnostic.fix = label_fix(context, instruction);
        out.push(diagnostic);
    }
}

/// `LABEL org.opencontainers.image.authors="…"`, for a one-line MAINTAINER.
fn label_fix(context: &LintContext<'_>, instruction: &Instruction) -> Option<Fix> {
    let Arguments::Text(author) = &instruction.arguments else {
        return None;
    };
    let span = instruction.keyword.span.cover(author.span);
    if context.text(span).contains('\n') || context.text(author.span) != author.text {
        return None;
    }
    let escape = context.dockerfile.escape;
    let mut value = String::new();
    for c in author.text.trim().chars() {
        if c == '"' || c == '$' || c == escape {
            value.push(escape);
        }
        value.push(c);
    }
    let keyword = if instruction.keyword.text == instruction.keyword.text.to_lowercase() {
        "label"
    } else {
        "LABEL"
    };
    Some(Fix {
        message: "Replace with `LABEL org.opencontainers.image.authors=…`".into(),
        applicability: Applicability::Unsafe,
        edits: vec![Edit {
            span,
            replacement: format!("{keyword} org.opencontainers.image.authors=\"{value}\""),
        }],
    })
}
