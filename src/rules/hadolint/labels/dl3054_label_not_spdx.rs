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

/// An SPDX license expression (`MIT`, `Apache-2.0 OR GPL-2.0+`, `LicenseRef-x`, `… WITH
/// exception`) whose identifiers are on the SPDX license list, as hadolint checks it.
/// Deprecated identifiers (`GPL-2.0+`) are still SPDX identifiers.
fn valid(value: &str) -> bool {
    let mode = spdx::ParseMode {
        allow_deprecated: true,
        allow_postfix_plus_on_gpl: true,
        ..spdx::ParseMode::STRICT
    };
    spdx::Expression::parse_mode(value, mode).is_ok()
}
