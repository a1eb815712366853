//! DL3016 npm-pin-versions: `npm install` of a package without an `@version`.
//!
//! Every package operand of `npm install`/`npm i`/`npm add` without `@version` is reported
//! at the package word (`@scope/name` needs `@scope/name@version`). Local paths, `file:`
//! specs and tarballs are not reported; git URLs and `user/repo` shorthands are pinned by a
//! `#ref`. Words built from variables are skipped.

use crate::model::Action;
use crate::rules::hadolint::runs::runs_installing_with;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3016",
        name: "npm-pin-versions",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "npm install of a package without a pinned version",
        doc: include_str!("../../../../rules/DL3016.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // Only the RUNs installing with npm (most do not) are made.
    for run in runs_installing_with(context, "npm") {
        for package in run.packages(context).iter() {
            if package.manager != "npm" || package.action != Action::Install {
                continue;
            }
            let text = context.text(package.span).trim_matches(['"', '\'']);
            if is_pinned(text, package.version.as_deref()) {
                continue;
            }
            let message = if is_git(&text.to_ascii_lowercase()) {
                format!(
                    "pin `{text}` to a tag or commit (`{text}#<ref>`) so rebuilds install the same code"
                )
            } else {
                format!(
                    "pin the version of `{text}` (`{text}@<version>`) so rebuilds install \
                     the same package"
                )
            };
            out.push(context.report(&RULE.meta, package.span, message));
        }
    }
}

fn is_pinned(text: &str, version: Option<&str>) -> bool {
    let lower = text.to_ascii_lowercase();
    let tarball = [".tgz", ".tar.gz", ".tar"]
        .iter()
        .any(|suffix| lower.ends_with(suffix));
    if tarball || lower.starts_with("file:") || lower.starts_with(['.', '/', '~']) {
        return true;
    }
    if is_git(&lower) {
        return lower.contains('#');
    }
    version.is_some_and(|version| !version.is_empty())
}

/// Git URLs and `user/repo` shorthands: pinned by `#ref`.
fn is_git(lower: &str) -> bool {
    let git = lower.contains("://")
        || ["git+", "git@", "github:", "gitlab:", "bitbucket:", "gist:"]
            .iter()
            .any(|prefix| lower.starts_with(prefix));
    let shorthand = !lower.starts_with('@') && lower.contains('/');
    git || shorthand
}
