//! DL3002 last-user-root: the image's last `USER` switches to root.
//!
//! Follows the target stage back through the in-file stages it is built FROM and finds the
//! last `USER` instruction the image keeps. When that USER is `root` or `0` (with any group),
//! it is reported at its argument. A file that never writes `USER root` is not reported (the
//! base image decides the user), and USER root in a builder stage that does not ship is fine.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3002",
        name: "last-user-root",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "the last USER of the image is root",
        doc: include_str!("../../../../rules/DL3002.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut current = context.model.target;
    let mut seen = 0;
    while let Some(index) = current {
        // A fragment without FROM builds no image whose user could be root.
        let Some(stage) = context
            .model
            .stages
            .get(index)
            .filter(|stage| !stage.implicit)
        else {
            return;
        };
        let last_user = stage
            .instructions
            .iter()
            .map(|model| context.syntax(model))
            .filter(|syntax| syntax.kind == Keyword::User)
            .last();
        if let Some(user) = last_user {
            let Arguments::Text(token) = &user.arguments else {
                return;
            };
            if is_root(&token.text) {
                out.push(context.report(
                    &RULE.meta,
                    token.span,
                    "the image's last USER is root: switch to an unprivileged user after the \
                     steps that need root",
                ));
            }
            return;
        }
        seen += 1;
        if seen > context.model.stages.len() {
            return;
        }
        current = stage.base.stage;
    }
}

fn is_root(user: &str) -> bool {
    let user = user.trim().trim_matches('"');
    let name = user.split(':').next().unwrap_or(user);
    name == "root" || name == "0"
}
