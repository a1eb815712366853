//! DL3004 no-sudo: `sudo` inside a RUN.
//!
//! Reports every `sudo` word, whether it wraps a command (`sudo apt-get …`) or runs alone.
//! ONBUILD-aware.
//!
//! The fix (unsafe) removes a plain `sudo` (no options) in front of a command when the RUN
//! runs as root: the stage's USER is root, or no USER is set and the stage starts from a
//! distribution image. The command then runs as the same user, but without sudo's reset
//! environment (ENV values such as `DEBIAN_FRONTEND` now reach it) and without the files sudo
//! writes (its timestamps); a base without sudo, which failed, now builds.

use super::root_stage;
use crate::rules::hadolint::runs::{Run, runs_running_or_wrapping};
use crate::rules::hadolint::workdir::starts_in_root;
use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::shell::{Command, Word};
use crate::syntax::Span;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3004",
        name: "no-sudo",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "sudo used in RUN",
        doc: include_str!("../../../../rules/DL3004.md"),
    },
    check,
};

fn is_sudo(word: &Word) -> bool {
    // `sudo` or a path to it: the name after the last `/`.
    word.value()
        .is_some_and(|value| value == "sudo" || value.ends_with("/sudo"))
}

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // Only the RUNs that run `sudo` or some wrapper (most run neither) are read.
    for run in runs_running_or_wrapping(context, "sudo") {
        for command in run.commands.iter() {
            let wrapper = command.wrappers.iter().find(|word| is_sudo(word));
            let word = wrapper.or_else(|| Some(&command.name).filter(|word| is_sudo(word)));
            if let Some(word) = word {
                let mut diagnostic = context.report(
                    &RULE.meta,
                    word.span,
                    "do not use sudo in a build: it adds unpredictable TTY and signal \
                     behaviour; switch with USER instead",
                );
                if wrapper.is_some() && !run.onbuild && runs_as_root(context, &run) {
                    diagnostic.fix = without_sudo(&run, command, word);
                }
                out.push(diagnostic);
            }
        }
    }
}

/// Removes `sudo` from `sudo command …` when nothing but the command follows it.
fn without_sudo(run: &Run<'_>, command: &Command, sudo: &Word) -> Option<Fix> {
    if !run.editable(command) {
        return None;
    }
    let at = command.wrappers.iter().position(|w| w.span == sudo.span)?;
    let next = command.wrappers.get(at + 1).unwrap_or(&command.name);
    if next.raw.starts_with('-') || next.span.start <= sudo.span.end {
        return None;
    }
    Some(Fix {
        message: "Remove `sudo`: the RUN already runs as root".to_string(),
        applicability: Applicability::Unsafe,
        edits: vec![Edit {
            span: Span::new(sudo.span.start, next.span.start),
            replacement: String::new(),
        }],
    })
}

/// Whether the RUN runs as root: USER root (or 0), or no USER and a distribution base.
fn runs_as_root(context: &LintContext<'_>, run: &Run<'_>) -> bool {
    match run.model.context.user.as_deref() {
        Some(user) => {
            let name = user.split(':').next().unwrap_or(user).trim();
            name == "root" || name == "0"
        }
        None => starts_in_root(root_stage(context, run.stage)),
    }
}
