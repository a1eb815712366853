//! BK010 WorkdirRelativePath: the first WORKDIR of a stage chain is relative.
//!
//! Without an absolute WORKDIR earlier in the build, a relative one lands wherever the base
//! image's working directory is, which can change with the image. As in BuildKit, only the
//! first WORKDIR of a stage is checked, and a WORKDIR in a stage it is built FROM counts as
//! earlier. The path is expanded first. hadolint's twin is DL3000 (every relative WORKDIR).

use std::collections::BTreeMap;

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword};

use super::stages::{chain, instructions, lexer};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK010",
        name: "WorkdirRelativePath",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes",
        doc: include_str!("../../../rules/BK010.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // Only the stages with a WORKDIR (most have none) are read, from their first one.
    let mut previous_stage = None;
    for workdir in context.stage_instructions_of(Keyword::Workdir) {
        let stage = workdir.stage;
        if previous_stage.replace(stage.index) == Some(stage.index) {
            continue;
        }
        let inherited = chain(context, stage)
            .iter()
            .skip(1)
            .flat_map(|base| instructions(context, base))
            .any(|instruction| instruction.kind == Keyword::Workdir);
        if inherited {
            continue;
        }
        let Arguments::Text(path) = &workdir.syntax.arguments else {
            continue;
        };
        let index = workdir.index;
        // The stage's values are read for a path with a `$` only: no other path uses one.
        let mut env: BTreeMap<String, String> = BTreeMap::new();
        if path.text.contains('$') {
            env = stage.variables_at(index);
        }
        let expanded = lexer(context)
            .process_word(&path.text, &env)
            .unwrap_or_else(|_| path.text.clone());
        if is_absolute(&expanded) {
            continue;
        }
        out.push(context.report(
            &RULE.meta,
            path.span,
            format!(
                "Relative workdir {expanded:?} can have unexpected results if the base image \
                 changes"
            ),
        ));
    }
}

/// `/x`, or a Windows drive or UNC path.
fn is_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with(['/', '\\'])
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
}
