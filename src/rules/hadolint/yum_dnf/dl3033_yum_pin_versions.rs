//! DL3033 yum-pin-versions: `yum install` installs a package without pinning its version.
//!
//! A package is pinned as `name-version` (`httpd-2.4.57`, `httpd-2.4.57-1.el9`); a name
//! whose dashes lead to non-numeric parts (`java-1.8.0-openjdk`) is not a pin. Groups
//! (`groupinstall`, `group install`, `@group`), modules, local `.rpm` files, paths, URLs and
//! variables are not judged. Applies to `yum`.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3033",
        name: "yum-pin-versions",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "`yum install` of a package without a pinned version",
        doc: include_str!("../../../../rules/DL3033.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    super::report_unpinned_packages(context, out, &RULE.meta, &["yum"]);
}
