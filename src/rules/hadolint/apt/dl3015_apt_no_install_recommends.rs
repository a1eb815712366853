//! DL3015 apt-no-install-recommends: `apt-get install` without `--no-install-recommends`.
//!
//! Accepted: `--no-install-recommends`, `--install-recommends=no|false`, and
//! `-o APT::Install-Recommends=false|0`. The finding spans `apt-get install`; the fix (unsafe:
//! the recommended packages are no longer installed)
//! inserts ` --no-install-recommends` after `install`. ONBUILD-aware.

use crate::rules::{Applicability, Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::{self as shared, Apt};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3015",
        name: "apt-no-install-recommends",
        severity: Severity::Info,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "apt-get install without --no-install-recommends",
        doc: include_str!("../../../../rules/DL3015.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    shared::report_apt_install_without(
        context,
        out,
        &RULE.meta,
        &shared::MissingOption {
            satisfied: |install| install.skips_recommends,
            message: "`apt-get install` without `--no-install-recommends` also installs every recommended package",
            option: "--no-install-recommends",
            applicability: Applicability::Unsafe,
        },
    );
}

pub(super) fn skips_recommends(apt: &Apt<'_>) -> bool {
    let option = apt.options.iter().any(|&(name, value)| {
        name == "no-install-recommends"
            || (name == "install-recommends" && matches!(value, Some("no" | "false" | "0")))
    });
    let setting = apt.settings().any(|setting| {
        matches!(
            setting.strip_prefix("apt::install-recommends="),
            Some("false" | "0" | "no" | "off")
        )
    });
    option || setting
}
