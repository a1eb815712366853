//! HC013 index-update-alone: a RUN that only refreshes the package index.
//!
//! Flags, in shipped stages, a RUN whose script is a single index refresh: `apt-get update`
//! (`apt update`), `apk update`, `yum|dnf|microdnf makecache`, `zypper refresh`. The index
//! it downloads stays in a layer of its own that no later RUN can shrink, and the build cache
//! reuses that layer with stale lists when the install RUN after it changes. The fix (safe)
//! moves the refresh into the next RUN of the stage that installs with the same package
//! manager family: `RUN apt-get update` + `RUN apt-get install -y curl` becomes
//! `RUN apt-get update && apt-get install -y curl`.

use crate::model::{Action, InstructionModel, Layer, Stage};
use crate::rules::hadolint::same_flags;
use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::syntax::{Arguments, Keyword, Span};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC013",
        name: "index-update-alone",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::Os),
        fixable: true,
        default_enabled: true,
        summary: "a RUN only refreshes the package index",
        doc: include_str!("../../../rules/HC013.md"),
    },
    check,
};

/// Instructions that do not change what a later RUN sees: the refresh may move past them.
const PASSIVE: &[Keyword] = &[
    Keyword::Label,
    Keyword::Expose,
    Keyword::Cmd,
    Keyword::Entrypoint,
    Keyword::Healthcheck,
    Keyword::Stopsignal,
    Keyword::Maintainer,
];

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for stage in context.shipped_stages() {
        for (index, instruction) in stage.instructions.iter().enumerate() {
            if !is_lone_refresh(context, instruction) {
                continue;
            }
            let invocation = &instruction.invocations[0];
            let mut diagnostic = context.report(
                &RULE.meta,
                invocation.span,
                format!(
                    "this RUN only refreshes the package index: the `{}` index stays in a layer \
                     of its own and the build cache serves it stale; refresh in the RUN that \
                     installs (os layer)",
                    invocation.manager
                ),
            );
            diagnostic.fix = merge_fix(context, stage, index);
            out.push(diagnostic);
        }
    }
}

/// A RUN whose parsed script is one index-refresh command.
fn is_lone_refresh(context: &LintContext<'_>, instruction: &InstructionModel) -> bool {
    let syntax = context.syntax(instruction);
    syntax.kind == Keyword::Run
        && instruction.script_error.is_none()
        && syntax.heredocs.is_empty()
        && instruction.script.len() == 1
        && instruction.invocations.len() == 1
        && instruction.invocations[0].action == Action::Update
}

/// Deletes the refresh RUN and runs its command first in the next RUN that installs with the
/// same package manager family, when only comments, blank lines and passive instructions lie
/// between them, both are shell-form RUNs with the same flags and the install script is one
/// `&&` chain (so that a failing refresh still fails the RUN).
fn merge_fix(context: &LintContext<'_>, stage: &Stage, index: usize) -> Option<Fix> {
    let refresh = &stage.instructions[index];
    let ecosystem = refresh.invocations[0].ecosystem;
    let later = stage.instructions[index + 1..]
        .iter()
        .find(|instruction| !PASSIVE.contains(&context.syntax(instruction).kind))?;
    let (from, to) = (context.syntax(refresh), context.syntax(later));
    let installs = later
        .invocations
        .iter()
        .any(|i| i.ecosystem == ecosystem && i.action == Action::Install);
    if to.kind != Keyword::Run
        || !installs
        || later.script_error.is_some()
        || !to.heredocs.is_empty()
        || !same_flags(from, to)
    {
        return None;
    }
    let (Arguments::Shell(command), Arguments::Shell(script)) = (&from.arguments, &to.arguments)
    else {
        return None;
    };
    let command = command.text.trim();
    if command.contains(['\n', '#']) || !is_and_chain(&script.text) {
        return None;
    }
    Some(Fix {
        message: "Refresh the index in the RUN that installs".to_string(),
        applicability: Applicability::Safe,
        edits: vec![
            Edit {
                span: from.span,
                replacement: String::new(),
            },
            Edit {
                span: Span::empty(script.span.start),
                replacement: format!("{command} && "),
            },
        ],
    })
}

/// A script with no `;`, `||`, `&` (other than `&&` and redirections) and no comment: its
/// commands run as one `&&` chain (a quoted `;` is refused too, which only costs a fix).
fn is_and_chain(script: &str) -> bool {
    let bare = script.replace("&&", "").replace(">&", "").replace("&>", "");
    !bare.contains([';', '&', '#']) && !bare.contains("||")
}
