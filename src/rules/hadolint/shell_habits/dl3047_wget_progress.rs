//! DL3047 wget-progress: `wget` without an option that tames its progress output.
//!
//! wget's default progress bar prints a line per refresh into the build log. A `wget` with
//! none of `--progress=...`, `-q`/`--quiet`, `-nv`/`--no-verbose`, `-o`/`--output-file` or
//! `-a`/`--append-output` is reported at the command name. ONBUILD-aware. The fix inserts
//! `--progress=dot:giga` after `wget` (shell-form RUNs, not inside `sh -c` strings), or `-q`
//! on busybox/alpine bases whose busybox wget does not know `--progress`: safe, only the log
//! changes.

use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::shell::Command;
use crate::syntax::{Arguments, Span};

use crate::rules::hadolint::runs::runs_running;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3047",
        name: "wget-progress",
        severity: Severity::Info,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "wget without a progress or quiet option floods the build log",
        doc: include_str!("../../../../rules/DL3047.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs_running(context, &["wget"]) {
        for command in run.commands_of(&["wget"]) {
            if quiet(command) {
                continue;
            }
            let mut diagnostic = context.report(
                &RULE.meta,
                command.name.span,
                "`wget` without `--progress=dot:giga`, `-q` or `-nv` writes a progress bar \
                 into the build log",
            );
            let busybox = busybox_based(context, run.stage);
            let editable = run.parses()
                && matches!(run.syntax.arguments, Arguments::Shell(_))
                && !command.context.nested_shell
                && context.text(command.name.span).ends_with("wget");
            // busybox's wget does not know `--progress`; both know `-q`.
            let option = if busybox { "-q" } else { "--progress=dot:giga" };
            diagnostic.fix = editable.then(|| Fix {
                message: crate::rules::message(&["Add `", option, "` to wget"]),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    span: Span::empty(command.name.span.end),
                    replacement: crate::rules::message(&[" ", option]),
                }],
            });
            out.push(diagnostic);
        }
    }
}

fn takes_value(name: &str) -> bool {
    matches!(
        name,
        "O" | "o"
            | "a"
            | "e"
            | "i"
            | "B"
            | "t"
            | "T"
            | "w"
            | "P"
            | "U"
            | "Q"
            | "l"
            | "A"
            | "R"
            | "D"
            | "I"
            | "X"
            | "Y"
            | "output-document"
            | "output-file"
            | "append-output"
            | "directory-prefix"
            | "user-agent"
            | "header"
            | "tries"
            | "timeout"
            | "user"
            | "password"
            | "input-file"
            | "post-data"
            | "post-file"
            | "method"
            | "body-data"
            | "ca-certificate"
            | "certificate"
            | "private-key"
    )
}

fn quiet(command: &Command) -> bool {
    let nv = command.args.iter().any(|word| {
        word.value()
            .is_some_and(|value| value == "-nv" || value.starts_with("--progress"))
    });
    nv || command
        .arguments(&takes_value)
        .options
        .iter()
        .any(|option| {
            if option.long {
                matches!(
                    option.name.as_str(),
                    "progress" | "quiet" | "no-verbose" | "output-file" | "append-output"
                )
            } else {
                matches!(option.name.as_str(), "q" | "o" | "a")
            }
        })
}

/// Whether the stage's root image (through in-file stages) is alpine or busybox, whose `wget`
/// may be busybox's.
fn busybox_based(context: &LintContext<'_>, stage: &crate::model::Stage) -> bool {
    let mut current = stage;
    let mut steps = 0;
    while let Some(parent) = current.base.stage.filter(|&parent| parent < current.index) {
        current = &context.model.stages[parent];
        steps += 1;
        if steps > context.model.stages.len() {
            break;
        }
    }
    let image = current.base.repository.to_ascii_lowercase();
    image.contains("alpine") || image.contains("busybox")
}
