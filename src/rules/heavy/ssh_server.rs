//! HC002 ssh-server: an SSH server is installed, prepared, exposed or started. (Placeholder check: being written.)

use crate::model::Layer;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC002",
        name: "ssh-server",
        severity: Severity::Error,
        family: Family::Heavy,
        layer: Some(Layer::Dev),
        fixable: false,
        summary: "an SSH server is installed, prepared, exposed or started",
        doc: include_str!("../../../rules/HC002.md"),
    },
    check,
};

fn check(_context: &LintContext<'_>, _out: &mut Vec<Diagnostic>) {}
