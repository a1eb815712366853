//! DL3000 absolute-workdir: WORKDIR with a relative path.
//!
//! Paths starting with `/`, a variable (`$HOME/app`) or a Windows drive (`C:\app`, `c:/app`)
//! are accepted. The finding spans the path.
//!
//! The fix (safe) writes the absolute path the relative one resolves to, when the directory
//! before the WORKDIR is known (see [`known_workdir`]): the same working directory results.

use crate::model::clean_path;
use crate::rules::hadolint::workdir::known_workdir;
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
    for stage in &context.model.stages {
        for (index, instruction) in stage.instructions.iter().enumerate() {
            let syntax = context.syntax(instruction);
            if syntax.kind != Keyword::Workdir {
                continue;
            }
            let Arguments::Text(token) = &syntax.arguments else {
                continue;
            };
            if is_absolute(&token.text) {
                continue;
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
            if let Some(before) = known_workdir(context, stage, index).filter(|_| plain) {
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
            out.push(diagnostic);
        }
    }
}

fn is_absolute(path: &str) -> bool {
    let path = path.trim().trim_matches(['"', '\'']);
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    path.is_empty() || path.starts_with(['/', '$']) || drive
}
