//! DL3066 user-not-numeric: USER names a user instead of a numeric UID.
//!
//! Kubernetes' `runAsNonRoot` and other admission checks can only verify a numeric UID; a name
//! has to be looked up in the image's `/etc/passwd`. Reported at the user part of `USER`
//! (the group after `:` may stay a name). Values from variables (`$APP_UID`) are not flagged.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword, Span};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3066",
        name: "user-not-numeric",
        severity: Severity::Info,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "USER is a name rather than a numeric UID",
        doc: include_str!("../../../../rules/DL3066.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for syntax in context.instructions_of(Keyword::User) {
        let Arguments::Text(token) = &syntax.arguments else {
            continue;
        };
        let user = token.text.split(':').next().unwrap_or("").trim();
        if user.is_empty() || user.contains('$') || user.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let source = context.text(token.span);
        let span = if source.starts_with(user) {
            Span::new(token.span.start, token.span.start + user.len())
        } else {
            token.span
        };
        out.push(context.report(
            &RULE.meta,
            span,
            format!("`USER {user}` names a user: use its numeric UID so that non-root checks can verify it"),
        ));
    }
}
