//! HC007 kernel-in-container: a kernel, boot loader, firmware or initramfs tooling is installed. (Placeholder check: being written.)

use crate::model::Layer;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC007",
        name: "kernel-in-container",
        severity: Severity::Error,
        family: Family::Heavy,
        layer: Some(Layer::Dev),
        fixable: false,
        summary: "a kernel, boot loader, firmware or initramfs tooling is installed",
        doc: include_str!("../../../rules/HC007.md"),
    },
    check,
};

fn check(_context: &LintContext<'_>, _out: &mut Vec<Diagnostic>) {}
