//! HC005 runtime-config-management: a configuration-management agent runs at container start or stays installed. (Placeholder check: being written.)

use crate::model::Layer;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC005",
        name: "runtime-config-management",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::Ops),
        fixable: false,
        summary: "a configuration-management agent runs at container start or stays installed",
        doc: include_str!("../../../rules/HC005.md"),
    },
    check,
};

fn check(_context: &LintContext<'_>, _out: &mut Vec<Diagnostic>) {}
