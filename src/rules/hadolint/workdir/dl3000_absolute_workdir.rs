//! DL3000 absolute-workdir: WORKDIR with a relative path.
//!
//! Paths starting with `/`, a variable (`$HOME/app`) or a Windows drive (`C:\app`, `c:/app`)
//! are accepted. The finding spans the path.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3000",
        name: "absolute-workdir",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "WORKDIR path is not absolute",
        doc: include_str!("../../../../rules/DL3000.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for instruction in context.dockerfile.instructions() {
        if instruction.kind != Keyword::Workdir {
            continue;
        }
        let Arguments::Text(token) = &instruction.arguments else {
            continue;
        };
        if is_absolute(&token.text) {
            continue;
        }
        out.push(context.report(
            &RULE.meta,
            token.span,
            format!(
                "WORKDIR `{}` is relative to whatever the previous WORKDIR was: use an \
                 absolute path",
                token.text.trim()
            ),
        ));
    }
}

fn is_absolute(path: &str) -> bool {
    let path = path.trim().trim_matches(['"', '\'']);
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    path.is_empty() || path.starts_with(['/', '$']) || drive
}
