//! HC012 multiple-services: CMD or ENTRYPOINT starts several long-running services. (Placeholder check: being written.)

use crate::model::Layer;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC012",
        name: "multiple-services",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::App),
        fixable: false,
        summary: "CMD or ENTRYPOINT starts several long-running services",
        doc: include_str!("../../../rules/HC012.md"),
    },
    check,
};

fn check(_context: &LintContext<'_>, _out: &mut Vec<Diagnostic>) {}
