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

use crate::rules::hadolint::runs::{Run, runs};
use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::shell::Command;
use crate::syntax::{Arguments, Span};

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
    for run in runs(context, false) {
        if let Some(cd) = run
            .commands
            .iter()
            .find(|command| command.program() == Some("cd"))
        {
            let mut diagnostic = context.report(
                &RULE.meta,
                cd.span,
                "use WORKDIR to change directory instead of `cd` in a RUN",
            );
            diagnostic.fix = workdir_fix(context, &run, cd);
            out.push(diagnostic);
        }
    }
}

/// `RUN cd /dir && rest` → `WORKDIR /dir`, `RUN rest`, `WORKDIR <before>`.
fn workdir_fix(context: &LintContext<'_>, run: &Run<'_>, cd: &Command) -> Option<Fix> {
    let Arguments::Shell(token) = &run.syntax.arguments else {
        return None;
    };
    let plain = cd.context.is_plain();
    // The leading command, and the only `cd` (else the finding would stay).
    let first = run.commands.first().is_some_and(|c| c.span == cd.span)
        && run
            .commands
            .iter()
            .filter(|c| c.program() == Some("cd"))
            .count()
            == 1;
    if !run.parses() || run.onbuild || !run.syntax.heredocs.is_empty() || !plain || !first {
        return None;
    }
    let [directory] = cd.args.as_slice() else {
        return None;
    };
    let directory = directory.value.as_deref()?;
    if !directory.starts_with('/') || directory.contains(['$', '*', '?', '[', ' ', '"', '\'']) {
        return None;
    }
    let source = &context.dockerfile.source;
    if context
        .text(Span::new(token.span.start, cd.span.start))
        .trim()
        != ""
    {
        return None;
    }
    let rest = rest_after_and(
        source,
        cd.span.end,
        token.span.end,
        context.dockerfile.escape,
    )?;
    let remainder = &source[rest..token.span.end];
    if remainder.contains("OLDPWD") || remainder.contains("cd -") {
        return None;
    }
    let end = run.syntax.span.end;
    let newline = if source[..end].ends_with('\n') {
        ""
    } else {
        "\n"
    };
    let before = run
        .model
        .context
        .workdir
        .clone()
        .or_else(|| root_until_a_later_workdir(context, run));
    let already_there = before.as_deref() == Some(directory);
    let mut edits = vec![Edit {
        span: Span::new(cd.span.start, rest),
        replacement: String::new(),
    }];
    if !already_there {
        edits.insert(
            0,
            Edit {
                span: Span::empty(run.syntax.span.start),
                replacement: format!("WORKDIR {directory}\n"),
            },
        );
    }
    if let Some(before) = before.as_deref().filter(|_| !already_there) {
        edits.push(Edit {
            span: Span::empty(end),
            replacement: format!("{newline}WORKDIR {before}\n"),
        });
    }
    Some(Fix {
        message: format!("Use `WORKDIR {directory}` instead of `cd`"),
        applicability: if before.is_some() {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        },
        edits,
    })
}

/// Distribution images whose configuration sets no working directory: their RUNs run in `/`.
const ROOT_WORKDIR_IMAGES: &[&str] = &[
    "debian",
    "ubuntu",
    "alpine",
    "centos",
    "fedora",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "busybox",
];

/// `/` when the stage starts from a distribution image that sets no working directory and a
/// later absolute WORKDIR of the stage sets the one the image keeps: going back to `/` then
/// leaves every instruction, and the image, as they were.
fn root_until_a_later_workdir(context: &LintContext<'_>, run: &Run<'_>) -> Option<String> {
    let stage = run.stage;
    let repository = stage.base.repository.trim_start_matches("library/");
    let root_image = stage.base.stage.is_none()
        && stage.base.registry.is_none()
        && ROOT_WORKDIR_IMAGES.contains(&repository);
    let later_workdir = stage.instructions[run.index + 1..].iter().any(|instruction| {
        let syntax = context.syntax(instruction);
        syntax.kind == crate::syntax::Keyword::Workdir
            && matches!(&syntax.arguments, Arguments::Text(token) if token.text.trim().starts_with('/'))
    });
    (root_image && later_workdir).then(|| "/".to_string())
}

/// Where the script goes on after `&&` following offset `at` (blanks and line continuations
/// skipped); `None` when `&&` does not come next or nothing follows it.
fn rest_after_and(source: &str, at: usize, end: usize, escape: char) -> Option<usize> {
    let skip = |mut at: usize| {
        loop {
            let rest = &source[at..end];
            let trimmed = rest.trim_start_matches([' ', '\t']);
            at += rest.len() - trimmed.len();
            let Some(after) = trimmed.strip_prefix(escape) else {
                return at;
            };
            let Some(line_end) = after.find('\n') else {
                return at;
            };
            if !after[..line_end].trim().is_empty() {
                return at;
            }
            at += escape.len_utf8() + line_end + 1;
        }
    };
    let at = skip(at);
    source[at..end].starts_with("&&").then_some(())?;
    let rest = skip(at + 2);
    let tail = source[rest..end].trim();
    (!tail.is_empty() && !tail.starts_with('#')).then_some(rest)
}
