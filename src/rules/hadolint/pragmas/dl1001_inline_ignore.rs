//! DL1001 inline-ignore: an inline ignore pragma (off by default).
//!
//! A policy rule for teams that want no local suppressions: every `# hadolint ignore=…` and
//! `# dlayer ignore=…` comment is reported (`global ignore=` pragmas are not).

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Item;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL1001",
        name: "inline-ignore",
        severity: Severity::Info,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: false,
        summary: "inline ignore pragma used",
        doc: include_str!("../../../../rules/DL1001.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for item in &context.dockerfile.items {
        let Item::Comment(comment) = item else {
            continue;
        };
        let text = context.text(comment.text_span);
        let Some(body) = text.strip_prefix('#') else {
            continue;
        };
        let body = body.trim_start();
        // Most comments are prose: passed over at their first letter.
        if !matches!(body.as_bytes().first(), Some(b'h' | b'd')) {
            continue;
        }
        let Some(rest) = body
            .strip_prefix("hadolint")
            .or_else(|| body.strip_prefix("dlayer"))
        else {
            continue;
        };
        let rest = rest.trim_start();
        let inline = rest
            .strip_prefix("ignore")
            .is_some_and(|after| after.trim_start().starts_with('='));
        if inline {
            out.push(context.report(
                &RULE.meta,
                comment.text_span,
                "an inline ignore pragma hides a finding: fix it or ignore the rule in the \
                 configuration",
            ));
        }
    }
}
