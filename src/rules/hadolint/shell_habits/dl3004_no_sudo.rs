//! DL3004 no-sudo: `sudo` inside a RUN.
//!
//! Reports every `sudo` word, whether it wraps a command (`sudo apt-get …`) or runs alone.
//! ONBUILD-aware.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::shell::Word;

use crate::rules::hadolint::runs::runs;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3004",
        name: "no-sudo",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "sudo used in RUN",
        doc: include_str!("../../../../rules/DL3004.md"),
    },
    check,
};

fn is_sudo(word: &Word) -> bool {
    word.value
        .as_deref()
        .is_some_and(|value| value.rsplit('/').next() == Some("sudo"))
}

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs(context, true) {
        for command in run.commands.iter() {
            let wrapper = command.wrappers.iter().find(|word| is_sudo(word));
            let word = wrapper.or_else(|| Some(&command.name).filter(|word| is_sudo(word)));
            if let Some(word) = word {
                out.push(context.report(
                    &RULE.meta,
                    word.span,
                    "do not use sudo in a build: it adds unpredictable TTY and signal \
                     behaviour; switch with USER instead",
                ));
            }
        }
    }
}
