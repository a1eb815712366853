//! DL4004 single-entrypoint: more than one ENTRYPOINT in a stage.
//!
//! Only the last ENTRYPOINT of a stage takes effect: every earlier one is reported at its
//! keyword.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use crate::rules::hadolint::instructions::overridden;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL4004",
        name: "single-entrypoint",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "more than one ENTRYPOINT in a stage",
        doc: include_str!("../../../../rules/DL4004.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    overridden(context, &RULE.meta, Keyword::Entrypoint, out);
}
