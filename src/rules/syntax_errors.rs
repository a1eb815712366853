//! What BuildKit itself rejects, reported like any other finding.

use crate::syntax::{Dockerfile, Item};

use super::{Diagnostic, Family, Rule, RuleMeta, Severity};

/// BuildKit's parser rejects the file here (hadolint's code for a parse error). Cannot be ignored.
pub const SYNTAX_ERROR: RuleMeta = RuleMeta {
    code: "DL1000",
    name: "syntax-error",
    severity: Severity::Error,
    family: Family::Syntax,
    layer: None,
    fixable: false,
    default_enabled: true,
    summary: "BuildKit's Dockerfile parser rejects this",
    doc: include_str!("../../rules/DL1000.md"),
};

/// BuildKit parses the instruction but rejects it when it builds (unknown instruction or flag,
/// bad flag value, wrong argument count, forbidden ONBUILD trigger).
pub const INVALID_INSTRUCTION: RuleMeta = RuleMeta {
    code: "E001",
    name: "invalid-instruction",
    severity: Severity::Error,
    family: Family::Syntax,
    layer: None,
    fixable: false,
    default_enabled: true,
    summary: "BuildKit rejects this instruction when it builds",
    doc: include_str!("../../rules/E001.md"),
};

/// The syntax rules in the registry: their findings come from the parser, not from a check.
pub const SYNTAX_RULES: [Rule; 2] = [
    Rule {
        meta: SYNTAX_ERROR,
        check: |_, _| {},
    },
    Rule {
        meta: INVALID_INSTRUCTION,
        check: |_, _| {},
    },
];

fn diagnostic(meta: &RuleMeta, error: &crate::syntax::SyntaxError) -> Diagnostic {
    Diagnostic {
        code: meta.code,
        name: meta.name,
        severity: meta.severity,
        message: error.message.clone(),
        span: error.span,
        layer: None,
        fix: None,
        twins: Vec::new(),
    }
}

pub fn diagnostics(dockerfile: &Dockerfile) -> Vec<Diagnostic> {
    let mut found: Vec<Diagnostic> = dockerfile
        .syntax_errors()
        .into_iter()
        .map(|error| diagnostic(&SYNTAX_ERROR, error))
        .collect();
    for item in &dockerfile.items {
        if let Item::Instruction(instruction) = item
            && !instruction.build_errors.is_empty()
        {
            found.extend(
                instruction
                    .build_errors
                    .iter()
                    .map(|error| diagnostic(&INVALID_INSTRUCTION, error)),
            );
        }
    }
    found
}
