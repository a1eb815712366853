//! DL3042 pip-no-cache-dir: `pip install` without `--no-cache-dir` keeps pip's cache in the
//! layer.
//!
//! Covers `pip`, `pip3`, `pipX.Y` and `python -m pip`. Not flagged when `PIP_NO_CACHE_DIR`
//! is set (by ENV, ARG, an assignment or `env` before the command, or an `export` earlier in
//! the RUN; pip disables its cache for any value), or when the RUN mounts a cache or tmpfs on
//! a `.cache/pip` directory. pipx, pipenv and `uv pip` have their own caches and are not
//! pip. The fix (safe) inserts `--no-cache-dir` after `install`.

use crate::rules::hadolint::commands::{head_span, insert_after, program, value};
use crate::rules::hadolint::runs::{cache_mount_targets, runs};
use crate::rules::{Applicability, Diagnostic, Family, Fix, LintContext, Rule, RuleMeta, Severity};
use crate::shell::{Command, Word};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3042",
        name: "pip-no-cache-dir",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "`pip install` without `--no-cache-dir`",
        doc: include_str!("../../../../rules/DL3042.md"),
    },
    check,
};

const VARIABLE: &str = "PIP_NO_CACHE_DIR";

fn is_pip(name: &str) -> bool {
    name.strip_prefix("pip")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn is_python(name: &str) -> bool {
    name.strip_prefix("python")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The `install` word of a pip install, if the command is one.
fn install_word(command: &Command) -> Option<&Word> {
    let name = program(command);
    let args: &[Word] = if is_pip(name) {
        &command.args
    } else if is_python(name) {
        let m = command.args.first().and_then(value)?;
        let module = command.args.get(1).and_then(value)?;
        if m != "-m" || !is_pip(module) {
            return None;
        }
        &command.args[2..]
    } else {
        return None;
    };
    // The first operand is the subcommand; global options may come before it.
    let first = args
        .iter()
        .find(|word| !value(word).is_some_and(|text| text.starts_with('-')))?;
    (value(first) == Some("install")).then_some(first)
}

fn sets_variable(word: &Word) -> bool {
    word.raw.starts_with(&format!("{VARIABLE}="))
}

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs(context, true) {
        // Looked up only for RUNs that install with pip (most do not).
        let mut exempt: Option<bool> = None;
        for command in run.commands.iter() {
            let Some(install) = install_word(command) else {
                continue;
            };
            let exempt = *exempt.get_or_insert_with(|| {
                run.stage.sets_before(run.index, VARIABLE)
                    || cache_mount_targets(run.syntax)
                        .iter()
                        .any(|target| target.ends_with(".cache/pip"))
            });
            if exempt {
                break;
            }
            let has_flag = command.args.iter().any(|word| {
                value(word).is_some_and(|text| {
                    text == "--no-cache-dir" || text.starts_with("--no-cache-dir=")
                })
            });
            let inline = command.assignments.iter().any(sets_variable)
                || command.wrappers.iter().any(sets_variable);
            let exported = run.commands.iter().any(|other| {
                other.span.start < command.span.start
                    && program(other) == "export"
                    && other.args.iter().any(sets_variable)
            });
            if has_flag || inline || exported {
                continue;
            }
            let mut diagnostic = context.report(
                &RULE.meta,
                head_span(command, install),
                "Add `--no-cache-dir` to `pip install` so pip's cache is not kept in the layer.",
            );
            if run.editable(command) {
                diagnostic.fix = Some(Fix {
                    message: "Add `--no-cache-dir`".into(),
                    applicability: Applicability::Safe,
                    edits: vec![insert_after(install, " --no-cache-dir")],
                });
            }
            out.push(diagnostic);
        }
    }
}
