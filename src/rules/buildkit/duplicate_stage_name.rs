//! BK005 DuplicateStageName: two stages with the same name (compared lowercased, as BuildKit
//! stores them). The second and later definitions are reported, at their name. hadolint's
//! twin is DL3024: where both fire the finding is reported once (see `rules/BK005.md`).

use std::collections::HashSet;

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use super::stages::as_and_name;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK005",
        name: "DuplicateStageName",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "stage names should be unique",
        doc: include_str!("../../../rules/BK005.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen: HashSet<String> = HashSet::new();
    for from in context.instructions_of(Keyword::From) {
        let Some((_, name)) = as_and_name(from) else {
            continue;
        };
        let lower = name.text.to_lowercase();
        if seen.contains(&lower) {
            out.push(context.report(
                &RULE.meta,
                name.span,
                format!("Duplicate stage name {lower:?}, stage names should be unique"),
            ));
        } else {
            seen.insert(lower);
        }
    }
}
