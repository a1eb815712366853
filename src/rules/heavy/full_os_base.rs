//! HC001 full-os-base: the shipped image starts from a full OS or full language image that has a lighter variant. (Placeholder check: being written.)

use crate::model::Layer;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC001",
        name: "full-os-base",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::Os),
        fixable: false,
        summary: "the shipped image starts from a full OS or full language image that has a lighter variant",
        doc: include_str!("../../../rules/HC001.md"),
    },
    check,
};

fn check(_context: &LintContext<'_>, _out: &mut Vec<Diagnostic>) {}
