//! DL3059 consecutive-runs: two RUN instructions in a row, with the same flags, that could be
//! one layer.
//!
//! Each RUN adds a layer and a cache step. Two adjacent RUNs of the same stage with identical
//! flags (`--mount`, `--network`, ... in any order) are reported at the second one when each
//! runs a single command (commands in `$(...)` count, an `sh -c` script counts as one; RUNs
//! with heredocs are left alone). Blank and comment lines between the two do not matter. The
//! fix (unsafe: the layers and cache steps change) joins the second script to the first with
//! `&&`; it is not offered when comment lines separate the two.

use std::collections::HashMap;

use crate::model::InstructionModel;
use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::syntax::{Arguments, Instruction, Item, Keyword, Span};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3059",
        name: "consecutive-runs",
        severity: Severity::Info,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "consecutive RUN instructions with the same flags could be merged",
        doc: include_str!("../../../../rules/DL3059.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let models: HashMap<usize, &InstructionModel> = context
        .model
        .stages
        .iter()
        .flat_map(|stage| &stage.instructions)
        .map(|instruction| (instruction.item, instruction))
        .collect();
    let mut previous: Option<(usize, &Instruction)> = None;
    for (index, item) in context.dockerfile.items.iter().enumerate() {
        match item {
            Item::Blank { .. } | Item::Comment(_) => continue,
            Item::Instruction(instruction) if instruction.kind == Keyword::Run => {
                if let Some((first_index, first)) = previous
                    && same_flags(first, instruction)
                    && command_count(first, models.get(&first_index)) <= 1
                    && command_count(instruction, models.get(&index)) <= 1
                {
                    let mut diagnostic = context.report(
                        &RULE.meta,
                        instruction.keyword.span,
                        "this RUN directly follows another RUN with the same flags: \
                         merge them into one layer",
                    );
                    diagnostic.fix = merge(context, first, instruction);
                    out.push(diagnostic);
                }
                previous = Some((index, instruction));
            }
            _ => previous = None,
        }
    }
}

fn same_flags(a: &Instruction, b: &Instruction) -> bool {
    let mut left: Vec<&str> = a.flags.iter().map(|flag| flag.text.as_str()).collect();
    let mut right: Vec<&str> = b.flags.iter().map(|flag| flag.text.as_str()).collect();
    left.sort_unstable();
    right.sort_unstable();
    left == right
}

/// Commands the RUN runs, those in `$(...)` included, `sh -c` scripts counting as one;
/// `usize::MAX` for heredoc RUNs and scripts that do not parse.
fn command_count(syntax: &Instruction, model: Option<&&InstructionModel>) -> usize {
    if !syntax.heredocs.is_empty() {
        return usize::MAX;
    }
    model
        .filter(|instruction| instruction.script_error.is_none())
        .map(|instruction| {
            let outer = instruction
                .script
                .iter()
                .filter(|command| !command.context.nested_shell)
                .count();
            let nested = instruction
                .script
                .iter()
                .any(|command| command.context.nested_shell);
            outer.max(usize::from(nested))
        })
        .unwrap_or(usize::MAX)
}

/// Joins the second shell-form script to the first: `first && \` newline `second`.
fn merge(context: &LintContext<'_>, first: &Instruction, second: &Instruction) -> Option<Fix> {
    let (Arguments::Shell(a), Arguments::Shell(b)) = (&first.arguments, &second.arguments) else {
        return None;
    };
    if !first.heredocs.is_empty() || !second.heredocs.is_empty() {
        return None;
    }
    let end = a.text.trim_end();
    if end.ends_with(['&', ';', '|', '\\']) || end.contains('#') {
        return None;
    }
    let between = Span::new(a.span.end, b.span.start);
    let source = context.text(between);
    if !source.contains('\n') || source.contains('#') {
        return None;
    }
    Some(Fix {
        message: "Merge this RUN into the previous one".to_string(),
        applicability: Applicability::Unsafe,
        edits: vec![Edit {
            span: between,
            replacement: format!(" && {}\n    ", context.dockerfile.escape),
        }],
    })
}
