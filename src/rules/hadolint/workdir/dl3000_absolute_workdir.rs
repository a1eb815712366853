//! DL3000 absolute-workdir: WORKDIR with a relative path.
//!
//! Paths starting with `/`, a variable (`$HOME/app`) or a Windows drive (`C:\app`, `c:/app`)
//! are accepted. The finding spans the path.
//!
//! The fix (safe) writes the absolute path the relative one resolves to, when the directory
//! before the WORKDIR is known (see [`Workdirs`]): the same working directory results.

use crate::model::{InstructionModel, clean_path};
use crate::rules::hadolint::workdir::Workdirs;
use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::syntax::{Arguments, Keyword};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3000",
        name: "absolute-workdir",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "WORKDIR path is not absolute",
        doc: include_str!("../../../../rules/DL3000.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // The walk finds the directory before each instruction, which only a relative WORKDIR's
    // fix needs: most files have none, and skip it.
    if !context.instructions_of(Keyword::Workdir).any(
        |workdir| matches!(&workdir.arguments, Arguments::Text(token) if !is_absolute(&token.text)),
    ) {
        return;
    }
    let mut workdirs = Workdirs::default();
    for stage in &context.model.stages {
        workdirs.walk(context, stage, |index, before| {
            if let Some(diagnostic) = relative_workdir(context, &stage.instructions[index], before)
            {
                out.push(diagnostic);
            }
        });
    }
}

/// The finding for `instruction` when it is a WORKDIR with a relative path, with the absolute
/// path as its fix when the directory `before` it is known.
fn relative_workdir(
    context: &LintContext<'_>,
    instruction: &InstructionModel,
    before: Option<&str>,
) -> Option<Diagnostic> {
    let syntax = context.syntax(instruction);
    if syntax.kind != Keyword::Workdir {
        return None;
    }
    let Arguments::Text(token) = &syntax.arguments else {
        return None;
    };
    if is_absolute(&token.text) {
        return None;
    }
    let path = token.text.trim();
    let mut diagnostic = context.report(
        &RULE.meta,
        token.span,
        format!(
            "WORKDIR `{path}` is relative to whatever the previous WORKDIR was: use an \
             absolute path"
        ),
    );
    let plain = !path.contains(['"', '\'', '\\', ' ', '\t']);
    if let Some(before) = before.filter(|_| plain) {
        let absolute = clean_path(&format!("{before}/{path}"));
        diagnostic.fix = Some(Fix {
            message: format!("Write the absolute path `{absolute}`"),
            applicability: Applicability::Safe,
            edits: vec![Edit {
                span: token.span,
                replacement: absolute,
            }],
        });
    }
    Some(diagnostic)
}

fn is_absolute(path: &str) -> bool {
    let path = path.trim().trim_matches(['"', '\'']);
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    path.is_empty() || path.starts_with(['/', '$']) || drive
}
