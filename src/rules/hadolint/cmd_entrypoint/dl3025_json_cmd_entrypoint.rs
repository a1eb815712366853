//! DL3025 json-cmd-entrypoint: CMD, ENTRYPOINT or HEALTHCHECK CMD in shell form.
//!
//! In shell form the command runs under `/bin/sh -c`: the shell is PID 1, does not forward
//! signals, and an ENTRYPOINT ignores CMD. The exec (JSON) form runs the program directly.
//! Under a non-POSIX SHELL (PowerShell, cmd) the shell form is how a command is written, as
//! BuildKit's JSONArgsRecommended judges too: not reported there (hadolint reports it).
//! The fix (unsafe: the shell no longer expands variables or globs) rewrites commands made
//! of plain words only (no quotes, variables, operators) into the JSON form. Other CMD and
//! ENTRYPOINT commands get the JSON form of what BuildKit stores for the shell form, the
//! stage's shell and the command (`["/bin/sh", "-c", "…"]`): the image configuration is the
//! same, so that fix is safe.

use crate::model::InstructionModel;
use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::shell;
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
    let models: Vec<&InstructionModel> = context
        .model
        .stages
        .iter()
        .flat_map(|stage| &stage.instructions)
        .collect();
    // The shell is read only for the shell-form instructions this rule judges (few).
    let under_other_shell = |instruction: &Instruction| {
        models.iter().any(|model| {
            model.span == instruction.span
                && shell::dialect(&model.context.shell) == shell::Dialect::Opaque
        })
    };
    let forms = [Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck];
    for instruction in context.instructions_of_any(forms) {
        let (token, what) = match (&instruction.kind, &instruction.arguments) {
            (Keyword::Cmd, Arguments::Shell(token)) => (token, "CMD"),
            (Keyword::Entrypoint, Arguments::Shell(token)) => (token, "ENTRYPOINT"),
            (Keyword::Healthcheck, Arguments::Healthcheck { command, .. }) => match &**command {
                Arguments::Shell(token) => (token, "HEALTHCHECK CMD"),
                _ => continue,
            },
            _ => continue,
        };
        if under_other_shell(instruction) {
            continue;
        }
        if token.text.trim().is_empty() {
            continue;
        }
        let mut diagnostic = context.report(
            &RULE.meta,
            token.span,
            format!("{what} is in shell form: use the JSON exec form so the command gets signals directly."),
        );
        let shell_argv = models
            .iter()
            .find(|model| model.span == instruction.span)
            .map(|model| model.context.shell.as_slice());
        diagnostic.fix = json_fix(instruction, token).or_else(|| {
            (instruction.kind != Keyword::Healthcheck)
                .then_some(shell_argv)
                .flatten()
                .and_then(|argv| {
                    explicit_shell_fix(&context.dockerfile.source, instruction, token, argv)
                })
        });
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

/// `CMD a && b` → `CMD ["/bin/sh", "-c", "a && b"]`: the shell form spelled out as BuildKit
/// stores it (the stage's SHELL, then the command), so the image configuration is the same.
fn explicit_shell_fix(
    source: &str,
    instruction: &Instruction,
    token: &Token,
    shell: &[String],
) -> Option<Fix> {
    if !instruction.heredocs.is_empty() || shell.is_empty() {
        return None;
    }
    let map = instruction.token_map(token)?;
    let command = token.text.trim_end();
    let span = map.span(0, command.len());
    // Comment lines inside the continuation would be lost with the lines.
    let written = source.get(span.start..span.end)?;
    if written
        .lines()
        .skip(1)
        .any(|line| line.trim_start().starts_with('#'))
    {
        return None;
    }
    let argv: Vec<String> = shell
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(command))
        .map(json_string)
        .collect();
    Some(Fix {
        message: "Write the shell form's command in JSON form, with its shell spelled out".into(),
        applicability: Applicability::Safe,
        edits: vec![Edit {
            span,
            replacement: format!("[{}]", argv.join(", ")),
        }],
    })
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
