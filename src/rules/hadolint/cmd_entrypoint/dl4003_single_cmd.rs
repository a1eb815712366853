//! DL4003 single-cmd: more than one CMD in a stage.
//!
//! Only the last CMD of a stage takes effect: every earlier one is reported at its keyword.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use crate::rules::hadolint::instructions::overridden;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL4003",
        name: "single-cmd",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "more than one CMD in a stage",
        doc: include_str!("../../../../rules/DL4003.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    overridden(context, &RULE.meta, Keyword::Cmd, out);
}
