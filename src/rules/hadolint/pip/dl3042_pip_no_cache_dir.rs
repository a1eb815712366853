//! DL3042 pip-no-cache-dir: `pip install` without `--no-cache-dir` keeps pip's cache in the
//! layer.
//!
//! Covers `pip`, `pip3`, `pipX.Y` and `python -m pip`. Not flagged when `PIP_NO_CACHE_DIR`
//! is set (by ENV, ARG, an assignment or `env` before the command, or an `export` earlier in
//! the RUN) to a value that reads as yes; a value that reads as no (`0`, `off`, `no`, `false`)
//! is reported, as hadolint does, although pip disables its cache for any value: the setting
//! says the opposite of what it does. Not flagged either when the RUN mounts a cache or tmpfs on
//! a `.cache/pip` directory. pipx, pipenv and `uv pip` have their own caches and are not
//! pip. The fix (safe) inserts `--no-cache-dir` after `install`.

use crate::rules::hadolint::commands::{head_span, insert_after, program, value};
use crate::rules::hadolint::runs::{Run, cache_mount_targets, runs};
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
    // `pip…` and `python…` both start with a `p`: most programs are passed over at once.
    if name.as_bytes().first() != Some(&b'p') {
        return None;
    }
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

/// The value a `PIP_NO_CACHE_DIR=value` word assigns.
fn assigned(word: &Word) -> Option<String> {
    let text = word.value().unwrap_or(&word.raw);
    text.strip_prefix(VARIABLE)?
        .strip_prefix('=')
        .map(|value| value.trim_matches(['"', '\'']).to_string())
}

/// `PIP_NO_CACHE_DIR` set for the command in the script: before it (`VAR=x pip`, `env VAR=x
/// pip`), or by an earlier `export`.
fn setting_for(run: &Run<'_>, command: &Command) -> Option<String> {
    let inline = command
        .assignments
        .iter()
        .chain(&command.wrappers)
        .find_map(assigned);
    inline.or_else(|| {
        run.commands
            .iter()
            .filter(|other| other.span.start < command.span.start && program(other) == "export")
            .flat_map(|other| other.args.iter().filter_map(assigned))
            .last()
    })
}

/// `PIP_NO_CACHE_DIR` from ENV or an ARG value before the RUN.
fn stage_setting(run: &Run<'_>) -> Option<String> {
    run.stage_value(VARIABLE).map(str::to_owned)
}

/// The values that read as "no" (pip still disables its cache for them).
fn is_false(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "0" | "off" | "no" | "false" | "f" | "n"
    )
}

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs(context) {
        // Looked up only for RUNs that install with pip (most do not).
        let mut from_stage: Option<Option<String>> = None;
        // Read at the first `pip install` only (most RUNs have none).
        let mut mounted = None;
        for command in run.commands.iter() {
            let Some(install) = install_word(command) else {
                continue;
            };
            let mounted = *mounted.get_or_insert_with(|| {
                cache_mount_targets(run.syntax)
                    .iter()
                    .any(|target| target.ends_with(".cache/pip"))
            });
            if mounted {
                break;
            }
            let has_flag = command.args.iter().any(|word| {
                value(word).is_some_and(|text| {
                    text == "--no-cache-dir" || text.starts_with("--no-cache-dir=")
                })
            });
            if has_flag {
                continue;
            }
            let setting = setting_for(&run, command).or_else(|| {
                from_stage
                    .get_or_insert_with(|| stage_setting(&run))
                    .clone()
            });
            let message = match setting {
                Some(value) if !is_false(&value) => continue,
                Some(value) => format!(
                    "`{VARIABLE}={value}` reads as keeping pip's cache: pip disables it for any \
                     value, but readers (and hadolint) take it literally; set it to 1 or add \
                     `--no-cache-dir`."
                ),
                None => "Add `--no-cache-dir` to `pip install` so pip's cache is not kept in \
                         the layer."
                    .to_string(),
            };
            let mut diagnostic = context.report(&RULE.meta, head_span(command, install), message);
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
