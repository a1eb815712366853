//! DL3028 gem-pin-versions: `gem install` installs a gem without a version.
//!
//! A gem is pinned as `name:version` or by `-v`/`--version` on the command (which applies to
//! every gem it names). `gem i` is `gem install`. The gems are the words after the options
//! that follow the subcommand, up to the next option or `--` (what follows are the options of
//! the gems' build, as `-- --use-system-libraries`). Local `.gem` files, paths and variables
//! are not judged.

use crate::model::{pins_version, value_options};
use crate::rules::hadolint::commands::{has_option, value};
use crate::rules::hadolint::package_operands::{arguments, call, is_path_or_file};
use crate::rules::hadolint::runs::runs_running;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::shell::{Command, Word};

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

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs_running(context, &["gem"]) {
        for command in run.commands_of(&["gem"]) {
            let arguments = arguments(command);
            let Some(call) = call(&arguments) else {
                continue;
            };
            let install = matches!(&*call.subcommand, "install" | "i");
            if !install || has_option(&arguments, &["v", "version"]) {
                continue;
            }
            for word in gems(command, call.word) {
                let Some(text) = value(word) else {
                    continue;
                };
                if is_path_or_file(text, &[".gem"]) || pins_version("gem", text) {
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

/// The gems `gem install` names: after the subcommand and the options right after it, the
/// words up to the next option or `--`.
fn gems<'c>(command: &'c Command, subcommand: &Word) -> Vec<&'c Word> {
    let takes_value = value_options("gem");
    let mut words = command
        .args
        .iter()
        .skip_while(|word| word.span != subcommand.span)
        .skip(1);
    let mut gems = Vec::new();
    while let Some(word) = words.next() {
        let text = value(word).unwrap_or(&word.raw);
        if text == "--" {
            break;
        }
        if let Some(option) = text.strip_prefix('-') {
            if !gems.is_empty() {
                break;
            }
            let name = option.trim_start_matches('-');
            if !name.contains('=') && takes_value.contains(&name) {
                words.next();
            }
            continue;
        }
        gems.push(word);
    }
    gems
}
