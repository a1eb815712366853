//! DL3038 dnf-assume-yes: `dnf install` without `-y`/`--assumeyes`.
//!
//! Without it the install waits for a confirmation a build cannot give. Applies to
//! `install`, `groupinstall`, `localinstall` and `group install` of `dnf`, `microdnf`, `dnf5`.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3038",
        name: "dnf-assume-yes",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "`dnf install` without `-y`",
        doc: include_str!("../../../../rules/DL3038.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    super::report_install_without_yes(context, out, &RULE.meta, &["dnf", "microdnf", "dnf5"]);
}
