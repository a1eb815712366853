//! DL3012 single-healthcheck: more than one HEALTHCHECK in a stage.
//!
//! Only the last HEALTHCHECK of a stage takes effect: every earlier one is reported at its
//! keyword.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use crate::rules::hadolint::instructions::overridden;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3012",
        name: "single-healthcheck",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "more than one HEALTHCHECK in a stage",
        doc: include_str!("../../../../rules/DL3012.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    overridden(context, &RULE.meta, Keyword::Healthcheck, out);
}
