//! DL3003 use-workdir: `cd` inside a RUN instead of `WORKDIR`.
//!
//! One finding per RUN, at its first `cd` command. A `cd` inside `sh -c '…'` counts too.
//!
//! The fix, for a script that starts `cd /absolute/path && …`: `WORKDIR /absolute/path`, the
//! RUN without its `cd`, then `WORKDIR` back to the directory the RUN had. Safe when that
//! directory is known (a WORKDIR of the file set it, or `/` for a distribution base whose
//! working directory a later WORKDIR replaces anyway): the later instructions and the image keep
//! their working directory. Unsafe when the base image decides it (the fix cannot restore it
//! and leaves the new one).

use crate::rules::hadolint::runs::{Run, runs_running};
use crate::rules::hadolint::workdir::cd_steps::plan;
use crate::rules::hadolint::workdir::starts_in_root;
use crate::rules::{Applicability, Diagnostic, Family, Fix, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Arguments;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3003",
        name: "use-workdir",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "cd in RUN instead of WORKDIR",
        doc: include_str!("../../../../rules/DL3003.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // Only the RUNs that run `cd` (most do not) are read.
    for run in runs_running(context, &["cd"]).filter(|run| !run.onbuild) {
        if let Some(cd) = run.first_command_of("cd") {
            let mut diagnostic = context.report(
                &RULE.meta,
                cd.span,
                "use WORKDIR to change directory instead of `cd` in a RUN",
            );
            diagnostic.fix = workdir_fix(context, &run);
            out.push(diagnostic);
        }
    }
}

/// The fix, planned by [`plan`]: WORKDIR for every top-level `cd`, the RUN cut there.
fn workdir_fix(context: &LintContext<'_>, run: &Run<'_>) -> Option<Fix> {
    let before = run
        .model
        .context
        .workdir
        .clone()
        .or_else(|| root_until_a_later_workdir(context, run));
    let plan = plan(context, run, before.as_deref())?;
    let applicability = if plan.splits || (plan.moves && before.is_none()) {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    Some(Fix {
        message: plan.message,
        applicability,
        edits: plan.edits,
    })
}

/// `/` when the stage starts from a distribution image that sets no working directory and a
/// later absolute WORKDIR of the stage sets the one the image keeps: going back to `/` then
/// leaves every instruction, and the image, as they were.
fn root_until_a_later_workdir(context: &LintContext<'_>, run: &Run<'_>) -> Option<String> {
    let stage = run.stage;
    let root_image = starts_in_root(stage);
    let later_workdir = stage.instructions[run.index + 1..].iter().any(|instruction| {
        let syntax = context.syntax(instruction);
        syntax.kind == crate::syntax::Keyword::Workdir
            && matches!(&syntax.arguments, Arguments::Text(token) if token.text.trim().starts_with('/'))
    });
    (root_image && later_workdir).then(|| "/".to_string())
}
