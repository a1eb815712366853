//! HC006 dev-tools-in-production: editors, compilers, debuggers, network tools or VCS clients stay in a shipped stage. (Placeholder check: being written.)

use crate::model::Layer;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC006",
        name: "dev-tools-in-production",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::Dev),
        fixable: false,
        summary: "editors, compilers, debuggers, network tools or VCS clients stay in a shipped stage",
        doc: include_str!("../../../rules/HC006.md"),
    },
    check,
};

fn check(_context: &LintContext<'_>, _out: &mut Vec<Diagnostic>) {}
