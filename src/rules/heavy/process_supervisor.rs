//! HC003 process-supervisor: a process supervisor or init system runs as the main process. (Placeholder check: being written.)

use crate::model::Layer;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC003",
        name: "process-supervisor",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::Runtime),
        fixable: false,
        summary: "a process supervisor or init system runs as the main process",
        doc: include_str!("../../../rules/HC003.md"),
    },
    check,
};

fn check(_context: &LintContext<'_>, _out: &mut Vec<Diagnostic>) {}
