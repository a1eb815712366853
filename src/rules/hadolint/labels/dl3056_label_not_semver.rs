//! DL3056 label-not-semver: a label the schema types `semver` holds no semantic version (`MAJOR.MINOR.PATCH`, optional `-prerelease` and `+build`; no leading `v`).
//!
//! Reported at the value. Values with variables, and empty values (DL3051), are not checked.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::check_label_type;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3056",
        name: "label-not-semver",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "label of schema type semver is not a semantic version",
        doc: include_str!("../../../../rules/DL3056.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    check_label_type(context, out, &RULE.meta, "semver", valid);
}

fn numeric(part: &str) -> bool {
    !part.is_empty()
        && part.bytes().all(|b| b.is_ascii_digit())
        && (part == "0" || !part.starts_with('0'))
}

fn identifiers(text: &str, prerelease: bool) -> bool {
    text.split('.').all(|part| {
        !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && (!prerelease || !part.bytes().all(|b| b.is_ascii_digit()) || numeric(part))
    })
}

fn valid(value: &str) -> bool {
    let (rest, build) = match value.split_once('+') {
        Some((rest, build)) => (rest, Some(build)),
        None => (value, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (rest, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|part| numeric(part))
        && pre.is_none_or(|pre| identifiers(pre, true))
        && build.is_none_or(|build| identifiers(build, false))
}
