//! DL3043 onbuild-forbidden-trigger: `ONBUILD ONBUILD`, `ONBUILD FROM` or `ONBUILD MAINTAINER`.
//!
//! These three instructions cannot be ONBUILD triggers; the builder rejects them when a child
//! image builds. Reported at the trigger's keyword.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3043",
        name: "onbuild-forbidden-trigger",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "ONBUILD trigger is ONBUILD, FROM or MAINTAINER",
        doc: include_str!("../../../../rules/DL3043.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for syntax in context.instructions_of(Keyword::Onbuild) {
        let Arguments::Onbuild(trigger) = &syntax.arguments else {
            continue;
        };
        if matches!(
            trigger.kind,
            Keyword::Onbuild | Keyword::From | Keyword::Maintainer
        ) {
            out.push(context.report(
                &RULE.meta,
                trigger.keyword.span,
                format!(
                    "`{}` cannot be an ONBUILD trigger",
                    trigger.keyword.text.to_ascii_uppercase()
                ),
            ));
        }
    }
}
