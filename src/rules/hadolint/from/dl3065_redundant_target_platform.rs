//! DL3065 redundant-target-platform: `FROM --platform=$TARGETPLATFORM`.
//!
//! A stage is built for the target platform by default, so naming `$TARGETPLATFORM` (or
//! `${TARGETPLATFORM}`) adds nothing. Reported at the flag.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3065",
        name: "redundant-target-platform",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "FROM --platform=$TARGETPLATFORM is the default",
        doc: include_str!("../../../../rules/DL3065.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for syntax in context.instructions_of(Keyword::From) {
        for flag in &syntax.flags {
            let value = flag
                .value
                .as_deref()
                .unwrap_or("")
                .trim_matches(['"', '\'']);
            if flag.name.eq_ignore_ascii_case("platform")
                && matches!(value, "$TARGETPLATFORM" | "${TARGETPLATFORM}")
            {
                out.push(context.report(
                    &RULE.meta,
                    flag.span,
                    format!(
                        "`{}` is what FROM does anyway: drop the flag",
                        context.text(flag.span)
                    ),
                ));
            }
        }
    }
}
