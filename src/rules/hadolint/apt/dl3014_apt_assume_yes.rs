//! DL3014 apt-assume-yes: `apt-get install` without `-y`, so the build stops at the prompt.
//!
//! Accepted: `-y`, `--yes`, `--assume-yes` (with no `=no`), `-qq`, `-q -q`, `-q=2`,
//! `--quiet=2`, and `-o APT::Get::Assume-Yes=true`. The finding spans `apt-get install`; the
//! fix (safe) inserts ` -y` after `install`. ONBUILD-aware.

use crate::rules::{Applicability, Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::{self as shared, Apt, truthy};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3014",
        name: "apt-assume-yes",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "apt-get install without -y",
        doc: include_str!("../../../../rules/DL3014.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    shared::report_apt_install_without(
        context,
        out,
        &RULE.meta,
        &shared::MissingOption {
            satisfied: |install| install.assumes_yes,
            message: "`apt-get install` without `-y` waits for a confirmation the build cannot give",
            option: "-y",
            applicability: Applicability::Safe,
        },
    );
}

pub(super) fn assumes_yes(apt: &Apt<'_>) -> bool {
    let quiet: usize = apt
        .options
        .iter()
        .map(|&(name, value)| match (name, value) {
            ("q" | "quiet", Some(level)) => level.parse::<usize>().unwrap_or(1),
            ("q" | "quiet", None) => 1,
            _ => 0,
        })
        .sum();
    let yes = apt.options.iter().any(|&(name, value)| {
        matches!(name, "y" | "yes" | "assume-yes") && value.is_none_or(truthy)
    });
    let setting = apt.settings().any(|setting| {
        setting
            .strip_prefix("apt::get::assume-yes=")
            .is_some_and(truthy)
    });
    yes || setting || quiet >= 2
}
