//! DL3001 pointless-command: a RUN calls a command that makes no sense in a build.
//!
//! Flags `free`, `ifconfig`, `kill`, `mount`, `ps`, `service`, `shutdown`, `ssh`, `top` and
//! `vim` run as commands (wrappers like `sudo` seen through). The finding spans the command
//! name. ONBUILD-aware.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use crate::rules::hadolint::runs::runs_running;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3001",
        name: "pointless-command",
        severity: Severity::Info,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "RUN calls an interactive or system command that does nothing useful in a build",
        doc: include_str!("../../../../rules/DL3001.md"),
    },
    check,
};

const POINTLESS: [&str; 10] = [
    "free", "ifconfig", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim",
];

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs_running(context, &POINTLESS) {
        for command in run.commands_of(&POINTLESS) {
            let Some(program) = command.program() else {
                continue;
            };
            out.push(context.report(
                &RULE.meta,
                command.name.span,
                format!(
                    "`{program}` inspects or drives a running system: it has no useful effect \
                     in an image build"
                ),
            ));
        }
    }
}
