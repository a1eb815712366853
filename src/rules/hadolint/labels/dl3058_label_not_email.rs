//! DL3058 label-not-email: a label the schema types `email` holds no email address (`local@domain`; a `Name <local@domain>` form is not an address).
//!
//! Reported at the value. Values with variables, and empty values (DL3051), are not checked.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::check_label_type;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3058",
        name: "label-not-email",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "label of schema type email is not an email address",
        doc: include_str!("../../../../rules/DL3058.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    check_label_type(context, out, &RULE.meta, "email", valid);
}

fn valid(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let local_ok = if local.len() >= 2 && local.starts_with('"') && local.ends_with('"') {
        !local[1..local.len() - 1].contains('"')
    } else {
        !local.is_empty()
            && local
                .split('.')
                .all(|part| !part.is_empty() && part.chars().all(atext))
    };
    let domain_ok = !domain.is_empty()
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}
