//! HC004 cron-daemon: a cron daemon is installed or started. (Placeholder check: being written.)

use crate::model::Layer;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC004",
        name: "cron-daemon",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::Ops),
        fixable: false,
        summary: "a cron daemon is installed or started",
        doc: include_str!("../../../rules/HC004.md"),
    },
    check,
};

fn check(_context: &LintContext<'_>, _out: &mut Vec<Diagnostic>) {}
