//! HC011 toolchain-shipped: a shipped stage installs a toolchain and builds with it, with no builder stage. (Placeholder check: being written.)

use crate::model::Layer;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC011",
        name: "toolchain-shipped",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::Dev),
        fixable: false,
        summary: "a shipped stage installs a toolchain and builds with it, with no builder stage",
        doc: include_str!("../../../rules/HC011.md"),
    },
    check,
};

fn check(_context: &LintContext<'_>, _out: &mut Vec<Diagnostic>) {}
