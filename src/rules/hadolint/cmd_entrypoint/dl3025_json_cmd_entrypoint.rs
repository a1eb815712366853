//! DL3025 json-cmd-entrypoint: CMD, ENTRYPOINT or HEALTHCHECK CMD in shell form.
//!
//! In shell form the command runs under `/bin/sh -c`: the shell is PID 1, does not forward
//! signals, and an ENTRYPOINT ignores CMD. The exec (JSON) form runs the program directly.
//! The fix (unsafe: the shell no longer expands variables or globs) rewrites commands made
//! of plain words only (no quotes, variables, operators) into the JSON form.

use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::syntax::{Arguments, Instruction, Keyword, Token};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3025",
        name: "json-cmd-entrypoint",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "CMD/ENTRYPOINT/HEALTHCHECK CMD in shell form; use the JSON exec form",
        doc: include_str!("../../../../rules/DL3025.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for instruction in context.dockerfile.instructions() {
        let (token, what) = match (&instruction.kind, &instruction.arguments) {
            (Keyword::Cmd, Arguments::Shell(token)) => (token, "CMD"),
            (Keyword::Entrypoint, Arguments::Shell(token)) => (token, "ENTRYPOINT"),
            (Keyword::Healthcheck, Arguments::Healthcheck { command, .. }) => match &**command {
                Arguments::Shell(token) => (token, "HEALTHCHECK CMD"),
                _ => continue,
            },
            _ => continue,
        };
        if token.text.trim().is_empty() {
            continue;
        }
        let mut diagnostic = context.report(
            &RULE.meta,
            token.span,
            format!("{what} is in shell form: use the JSON exec form so the command gets signals directly."),
        );
        diagnostic.fix = json_fix(instruction, token);
        out.push(diagnostic);
    }
}

/// `CMD nginx -g daemon` → `CMD ["nginx", "-g", "daemon"]`, for plain words only.
fn json_fix(instruction: &Instruction, token: &Token) -> Option<Fix> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./:,@%+=-".contains(c);
    let words: Vec<&str> = token.text.split_whitespace().collect();
    if words.is_empty() || !words.iter().all(|word| word.chars().all(plain)) {
        return None;
    }
    if !instruction.heredocs.is_empty() {
        return None;
    }
    let map = instruction.token_map(token)?;
    let span = map.span(0, token.text.trim_end().len());
    let quoted: Vec<String> = words.iter().map(|word| format!("\"{word}\"")).collect();
    Some(Fix {
        message: "Rewrite in JSON exec form".into(),
        applicability: Applicability::Unsafe,
        edits: vec![Edit {
            span,
            replacement: format!("[{}]", quoted.join(", ")),
        }],
    })
}
