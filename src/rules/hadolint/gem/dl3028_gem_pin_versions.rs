//! DL3028 gem-pin-versions: `gem install` installs a gem without a version.
//!
//! A gem is pinned as `name:version` or by `-v`/`--version` on the command (which applies to
//! every gem it names). Local `.gem` files, paths and variables are not judged.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use crate::rules::hadolint::group_b_shared as shared;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3028",
        name: "gem-pin-versions",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "`gem install` of a gem without a pinned version",
        doc: include_str!("../../../../rules/DL3028.md"),
    },
    check,
};

const GEM_VALUE_OPTIONS: &[&str] = &[
    "v",
    "version",
    "s",
    "source",
    "i",
    "install-dir",
    "n",
    "bindir",
    "platform",
    "g",
    "file",
    "build-root",
    "document",
    "P",
    "trust-policy",
    "p",
    "http-proxy",
    "config-file",
];

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in shared::runs(context) {
        for command in shared::commands_of(&run, &["gem"]) {
            let arguments = shared::split(command, GEM_VALUE_OPTIONS);
            let Some(call) = shared::call(&arguments) else {
                continue;
            };
            if call.subcommand != "install" || shared::has_option(&arguments, &["v", "version"]) {
                continue;
            }
            for word in &call.operands {
                let Some(text) = shared::value(word) else {
                    continue;
                };
                if shared::is_path_or_file(text, &[".gem"]) || text.contains(':') {
                    continue;
                }
                out.push(context.report(
                    &RULE.meta,
                    word.span,
                    format!("Pin the version of gem `{text}`, e.g. `{text}:<version>` or `-v <version>`."),
                ));
            }
        }
    }
}
