//! DL3055 label-not-git-hash: a label the schema types `hash` holds no git commit hash: a
//! full one (40 lowercase hex digits, or 64 for SHA-256 repositories) or an abbreviated one
//! (7 or more), as `git rev-parse --short` prints it and hadolint accepts.
//!
//! Reported at the value. Values with variables, and empty values (DL3051), are not checked.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::check_label_type;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3055",
        name: "label-not-git-hash",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "label of schema type hash is not a git commit hash",
        doc: include_str!("../../../../rules/DL3055.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    check_label_type(context, out, &RULE.meta, "hash", valid);
}

fn valid(value: &str) -> bool {
    ((7..=40).contains(&value.len()) || value.len() == 64)
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
