//! DL4006 pipefail: a RUN pipes commands while the shell does not fail on a failed pipe.
//!
//! A pipeline only fails when its last command fails, so `curl … | tar x` hides a failed
//! download. A RUN with a pipeline is reported at the first pipeline unless the stage's
//! SHELL sets `-o pipefail` (SHELL is inherited from an in-file base stage and reset by a
//! FROM of an image) or the script itself runs `set -o pipefail` before it. Pipelines inside
//! `sh -c '…'` and scripts of non-POSIX shells (PowerShell, cmd) are not judged.
//!
//! The fix (unsafe: the base image must have the shell) inserts a SHELL with `-o pipefail`
//! before the stage's first such RUN: the current shell when it is bash, zsh, ash, ksh or
//! mksh, else `/bin/ash` on Alpine or BusyBox bases and `/bin/bash` elsewhere.

use crate::model::Stage;
use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity, message,
};
use crate::syntax::Span;

use super::root_stage;
use crate::rules::hadolint::commands::value;
use crate::rules::hadolint::runs::runs_with_pipelines;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL4006",
        name: "pipefail",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "RUN with a pipe but no -o pipefail in SHELL",
        doc: include_str!("../../../../rules/DL4006.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut fixed_stages: Vec<usize> = Vec::new();
    // Only the RUNs with a pipeline (most have none) are read.
    for run in runs_with_pipelines(context).filter(|run| !run.onbuild) {
        let commands = &run.commands;
        let Some(first) = commands
            .iter()
            .position(|command| command.context.in_pipeline && !command.context.nested_shell)
        else {
            continue;
        };
        // The shell is read for a RUN with a pipeline only (most have none).
        let shell = &run.model.context.shell;
        if sets_pipefail(shell) {
            continue;
        }
        let start = commands[first].span.start;
        let set_before = commands[..first].iter().any(|command| {
            !command.context.nested_shell
                && command.span.start < start
                && command.program() == Some("set")
                && sets_pipefail_args(command.args.iter().filter_map(value))
        });
        if set_before {
            continue;
        }
        let mut last = first;
        while let Some(next) = commands.get(last + 1) {
            let between = context
                .dockerfile
                .source
                .get(commands[last].span.end..next.span.start)
                .unwrap_or("");
            let between = between.trim_matches(|c: char| c.is_whitespace() || c == '\\');
            if next.context.in_pipeline && between.starts_with('|') && !between.starts_with("||") {
                last += 1;
            } else {
                break;
            }
        }
        let span = commands[first].span.cover(commands[last].span);
        let mut diagnostic = context.report(
            &RULE.meta,
            span,
            "this pipeline succeeds whenever its last command does: set `-o pipefail` in SHELL \
             so a failure earlier in the pipe fails the build",
        );
        let stage = run.stage.index;
        if !fixed_stages.contains(&stage) && !run.onbuild {
            fixed_stages.push(stage);
            let line_start = run.syntax.span.start;
            let argv = json_strings(&pipefail_shell(context, run.stage, shell));
            diagnostic.fix = Some(Fix {
                message: message(&["Insert `SHELL [", &argv, "]` before the RUN"]),
                applicability: Applicability::Unsafe,
                edits: vec![Edit {
                    span: Span::new(line_start, line_start),
                    replacement: message(&["SHELL [", &argv, "]\n"]),
                }],
            });
        }
        out.push(diagnostic);
    }
}

/// `"a", "b"`: the words quoted and joined as the exec form writes them (as written: the
/// shell's words come from a SHELL instruction's JSON).
fn json_strings(words: &[String]) -> String {
    let mut out = String::with_capacity(words.iter().map(|word| word.len() + 4).sum());
    for (at, word) in words.iter().enumerate() {
        if at > 0 {
            out.push_str(", ");
        }
        out.push('"');
        out.push_str(word);
        out.push('"');
    }
    out
}

/// `-o pipefail`, `-eo pipefail`, `-opipefail` among shell or `set` options.
fn sets_pipefail_args<'a>(args: impl Iterator<Item = &'a str>) -> bool {
    let mut expect = false;
    for arg in args {
        if expect && arg == "pipefail" {
            return true;
        }
        expect = false;
        if let Some(cluster) = arg.strip_prefix('-').filter(|c| !c.starts_with('-')) {
            if cluster.ends_with('o') {
                expect = true;
            } else if cluster.contains("opipefail") {
                return true;
            }
        }
    }
    false
}

/// A SHELL of a shell that knows the option (`bash`, `zsh`, `ash`, `ksh`, `mksh`, by name in
/// any directory) with `-o pipefail`: `sh` may be dash, which does not, as hadolint reads it.
fn sets_pipefail(shell: &[String]) -> bool {
    let program = shell.first().map(String::as_str).unwrap_or("/bin/sh");
    let name = program.rsplit('/').next().unwrap_or(program);
    PIPEFAIL_SHELLS.contains(&name) && sets_pipefail_args(shell.iter().skip(1).map(String::as_str))
}

const PIPEFAIL_SHELLS: [&str; 5] = ["bash", "zsh", "ash", "ksh", "mksh"];

/// The shell argv to insert: the current one with `-o pipefail` when it supports it, else
/// ash on Alpine/BusyBox bases and bash elsewhere.
fn pipefail_shell(context: &LintContext<'_>, stage: &Stage, shell: &[String]) -> Vec<String> {
    let program = shell.first().map(String::as_str).unwrap_or("/bin/sh");
    let name = program.rsplit('/').next().unwrap_or(program);
    if PIPEFAIL_SHELLS.contains(&name) {
        let mut argv = vec![program.to_string(), "-o".into(), "pipefail".into()];
        argv.extend(shell.iter().skip(1).cloned());
        return argv;
    }
    let root = root_stage(context, stage);
    let repository = root.base.repository.to_ascii_lowercase();
    let program = if repository.contains("alpine") || repository.contains("busybox") {
        "/bin/ash"
    } else {
        "/bin/bash"
    };
    vec![program.into(), "-o".into(), "pipefail".into(), "-c".into()]
}
