//! DL3054 label-not-spdx: a label the schema types `spdx` holds no SPDX license expression.
//!
//! Reported at the value. Values with variables, and empty values (DL3051), are not checked.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::check_label_type;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3054",
        name: "label-not-spdx",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "label of schema type spdx is not an SPDX license expression",
        doc: include_str!("../../../../rules/DL3054.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    check_label_type(context, out, &RULE.meta, "spdx", valid);
}

/// An SPDX license expression by its shape: identifiers (`Apache-2.0`, `GPL-2.0+`,
/// `LicenseRef-x`) joined by `AND`/`OR`/`WITH`, with parentheses. Identifiers are not looked
/// up in the SPDX license list.
fn valid(value: &str) -> bool {
    let spaced = value.replace('(', " ( ").replace(')', " ) ");
    let mut depth = 0i32;
    let mut expect_id = true;
    let mut after_with = false;
    for token in spaced.split_whitespace() {
        match token {
            "(" if expect_id => depth += 1,
            ")" if !expect_id => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            "AND" | "OR" if !expect_id => expect_id = true,
            "WITH" if !expect_id && !after_with => {
                expect_id = true;
                after_with = true;
                continue;
            }
            id if expect_id && identifier(id) => expect_id = false,
            _ => return false,
        }
        after_with = false;
    }
    !expect_id && depth == 0
}

fn identifier(id: &str) -> bool {
    let id = id.strip_suffix('+').unwrap_or(id);
    !id.is_empty()
        && id.chars().any(|c| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':'))
}
