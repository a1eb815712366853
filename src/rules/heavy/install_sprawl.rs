//! HC010 install-sprawl: more separate OS-package-install RUNs in one stage than the limit. (Placeholder check: being written.)

use crate::model::Layer;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC010",
        name: "install-sprawl",
        severity: Severity::Info,
        family: Family::Heavy,
        layer: Some(Layer::Os),
        fixable: false,
        summary: "more separate OS-package-install RUNs in one stage than the limit",
        doc: include_str!("../../../rules/HC010.md"),
    },
    check,
};

fn check(_context: &LintContext<'_>, _out: &mut Vec<Diagnostic>) {}
