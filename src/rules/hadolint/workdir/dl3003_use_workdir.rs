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

use std::cell::OnceCell;

use crate::model::Stage;
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
    let last_absolute_workdirs: Vec<OnceCell<Option<usize>>> = context
        .model
        .stages
        .iter()
        .map(|_| OnceCell::new())
        .collect();
    // Only the RUNs that run `cd` (most do not) are read.
    for run in runs_running(context, &["cd"]).filter(|run| !run.onbuild) {
        if let Some(cd) = run.first_command_of("cd") {
            let mut diagnostic = context.report(
                &RULE.meta,
                cd.span,
                "use WORKDIR to change directory instead of `cd` in a RUN",
            );
            let last_absolute_workdir = *last_absolute_workdirs[run.stage.index]
                .get_or_init(|| last_absolute_workdir(context, run.stage));
            diagnostic.fix = workdir_fix(context, &run, last_absolute_workdir);
            out.push(diagnostic);
        }
    }
}

/// The fix, planned by [`plan`]: WORKDIR for every top-level `cd`, the RUN cut there.
/// `last_absolute_workdir` is the index of the stage's last absolute WORKDIR.
fn workdir_fix(
    context: &LintContext<'_>,
    run: &Run<'_>,
    last_absolute_workdir: Option<usize>,
) -> Option<Fix> {
    let later_workdir = last_absolute_workdir.is_some_and(|index| index > run.index);
    let before = run
        .model
        .context
        .workdir
        .clone()
        .or_else(|| (starts_in_root(run.stage) && later_workdir).then(|| "/".to_string()));
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

/// The index of the stage's last absolute WORKDIR. The fix of a `cd` goes back to `/` when
/// the stage starts from a distribution image that sets no working directory and a later
/// absolute WORKDIR sets the one the image keeps: every instruction, and the image, stay as
/// they were. Found once per stage: a scan after each `cd` was quadratic in long stages.
fn last_absolute_workdir(context: &LintContext<'_>, stage: &Stage) -> Option<usize> {
    stage.instructions.iter().rposition(|instruction| {
        let syntax = context.syntax(instruction);
        syntax.kind == crate::syntax::Keyword::Workdir
            && matches!(&syntax.arguments, Arguments::Text(token) if token.text.trim().starts_with('/'))
    })
}
