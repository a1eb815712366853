//! DL3045 copy-relative-no-workdir: COPY to a relative destination before any WORKDIR.
//!
//! A relative destination is resolved against the working directory, which the base image
//! decides until a WORKDIR sets it; the files may land anywhere. Reported at the destination
//! when neither the stage nor the stages it is built FROM have set a WORKDIR yet. Destinations
//! starting with a variable, Windows drive paths (`C:\`) and heredoc destinations are fine.
//!
//! The fix (safe) writes the destination from `/` when the stage starts from a distribution
//! image that sets no working directory (its relative paths resolve from `/`): the files land
//! where they did.

use crate::rules::hadolint::workdir::Workdirs;
use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::syntax::{Arguments, Keyword};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3045",
        name: "copy-relative-no-workdir",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "COPY to a relative destination without a WORKDIR set",
        doc: include_str!("../../../../rules/DL3045.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut workdirs = Workdirs::default();
    // Whether each instruction of the stage of the COPYs being read runs in `/`, read for the
    // stage when a finding first asks.
    let mut in_root: Option<Vec<bool>> = None;
    let mut previous_stage = None;
    // Only the COPYs are read (the stage index groups them stage by stage, in order).
    for copy in context.stage_instructions_of(Keyword::Copy) {
        let (stage, index, instruction, syntax) = (copy.stage, copy.index, copy.model, copy.syntax);
        if previous_stage.replace(stage.index) != Some(stage.index) {
            in_root = None;
        }
        if instruction.context.workdir.is_some() {
            continue;
        }
        let words = match &syntax.arguments {
            Arguments::Words(words) | Arguments::Exec(words) => words,
            _ => continue,
        };
        if words.len() < 2 {
            continue;
        }
        let Some(destination) = words.last() else {
            continue;
        };
        if relative(&destination.text) {
            let mut diagnostic = context.report(
                &RULE.meta,
                destination.span,
                format!(
                    "`{}` is relative but no WORKDIR is set: set a WORKDIR first or use an \
                     absolute path",
                    destination.text
                ),
            );
            let words_form = matches!(&syntax.arguments, Arguments::Words(_));
            let plain = !destination.text.contains(['"', '\'', '\\', ' ']);
            let in_root = in_root.get_or_insert_with(|| {
                let mut roots = Vec::with_capacity(stage.instructions.len());
                workdirs.walk(context, stage, |_, directory| {
                    roots.push(directory == Some("/"));
                });
                roots
            })[index];
            if words_form && plain && in_root {
                let path = destination.text.trim_start_matches("./");
                let absolute = if path == "." {
                    "/".to_string()
                } else {
                    format!("/{path}")
                };
                diagnostic.fix = Some(Fix {
                    message: format!("Write the destination from `/`: `{absolute}`"),
                    applicability: Applicability::Safe,
                    edits: vec![Edit {
                        span: destination.span,
                        replacement: absolute,
                    }],
                });
            }
            out.push(diagnostic);
        }
    }
}

fn relative(path: &str) -> bool {
    let path = path.trim_matches(['"', '\'']);
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    !(path.is_empty() || path.starts_with(['/', '$', '\\']) || drive || path.starts_with("<<"))
}
