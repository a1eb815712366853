//! DL3052 label-not-url: a label the schema types `url` holds no absolute URL.
//!
//! Reported at the value. The value must be a URI with a scheme (`https://...`, `mailto:...`)
//! and no whitespace. Values with variables, and empty values (DL3051), are not checked.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::check_label_type;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3052",
        name: "label-not-url",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "label of schema type url is not a valid URL",
        doc: include_str!("../../../../rules/DL3052.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    check_label_type(context, out, &RULE.meta, "url", valid);
}

fn valid(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !value.chars().any(char::is_whitespace)
        && rest
            .strip_prefix("//")
            .is_none_or(|authority| !authority.is_empty() && !authority.starts_with('/'))
}
