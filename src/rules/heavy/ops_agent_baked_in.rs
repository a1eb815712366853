//! HC008 ops-agent-baked-in: a logging or monitoring agent is baked into the app image. (Placeholder check: being written.)

use crate::model::Layer;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC008",
        name: "ops-agent-baked-in",
        severity: Severity::Info,
        family: Family::Heavy,
        layer: Some(Layer::Ops),
        fixable: false,
        summary: "a logging or monitoring agent is baked into the app image",
        doc: include_str!("../../../rules/HC008.md"),
    },
    check,
};

fn check(_context: &LintContext<'_>, _out: &mut Vec<Diagnostic>) {}
