//! HC009 os-upgrade-in-build: the build upgrades the OS packages of its base image. (Placeholder check: being written.)

use crate::model::Layer;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC009",
        name: "os-upgrade-in-build",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::Os),
        fixable: false,
        summary: "the build upgrades the OS packages of its base image",
        doc: include_str!("../../../rules/HC009.md"),
    },
    check,
};

fn check(_context: &LintContext<'_>, _out: &mut Vec<Diagnostic>) {}
