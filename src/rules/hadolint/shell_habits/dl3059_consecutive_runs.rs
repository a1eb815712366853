//! DL3059 consecutive-runs: two RUN instructions in a row, with the same flags, that could be
//! one layer.
//!
//! Each RUN adds a layer and a cache step. Two adjacent RUNs of the same stage with identical
//! flags (`--mount`, `--network`, ... in any order) are reported at the second one when each
//! runs a single command (commands in `$(...)` count, an `sh -c` script counts as one; RUNs
//! with heredocs are left alone). Blank and comment lines between the two do not matter. The
//! fix joins the second script to the first with `&&`, the comment lines between kept on
//! lines of their own inside the continuation. It is safe when the first command leaves no
//! shell state for the second to see (not `cd`, `export`, `set`, `source`, an assignment, ...):
//! the merged RUN makes the same files, only the layers and cache steps change; otherwise it
//! is unsafe.

use crate::model::InstructionModel;
use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::syntax::{Arguments, Instruction, Item, Keyword, Span};

use super::super::commands::STATEFUL;

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
    // The modelled instruction of each item, by the item's index (a table rather than a hashed
    // map: most items are instructions).
    let mut models: Vec<Option<&InstructionModel>> = vec![None; context.dockerfile.items.len()];
    for instruction in context
        .model
        .stages
        .iter()
        .flat_map(|stage| &stage.instructions)
    {
        if let Some(slot) = models.get_mut(instruction.item) {
            *slot = Some(instruction);
        }
    }
    let models = |item: usize| models.get(item).copied().flatten();
    let mut previous: Option<(usize, &Instruction)> = None;
    for (index, item) in context.dockerfile.items.iter().enumerate() {
        match item {
            Item::Blank { .. } | Item::Comment(_) => continue,
            Item::Instruction(instruction) if instruction.kind == Keyword::Run => {
                if let Some((first_index, first)) = previous
                    && same_flags(first, instruction)
                    && command_count(first, models(first_index)) <= 1
                    && command_count(instruction, models(index)) <= 1
                {
                    let mut diagnostic = context.report(
                        &RULE.meta,
                        instruction.keyword.span,
                        "this RUN directly follows another RUN with the same flags: \
                         merge them into one layer",
                    );
                    let stateless = leaves_no_shell_state(models(first_index));
                    diagnostic.fix = merge(context, first, instruction, stateless);
                    out.push(diagnostic);
                }
                previous = Some((index, instruction));
            }
            _ => previous = None,
        }
    }
}

/// Whether two instructions have the same flags, in any order.
pub fn same_flags(a: &Instruction, b: &Instruction) -> bool {
    // Most RUNs have no flags: nothing to sort.
    if a.flags.len() != b.flags.len() {
        return false;
    }
    if a.flags.is_empty() {
        return true;
    }
    let mut left: Vec<&str> = a.flags.iter().map(|flag| flag.text.as_str()).collect();
    let mut right: Vec<&str> = b.flags.iter().map(|flag| flag.text.as_str()).collect();
    left.sort_unstable();
    right.sort_unstable();
    left == right
}

/// Commands the RUN runs, those in `$(...)` included, `sh -c` scripts counting as one;
/// `usize::MAX` for heredoc RUNs and scripts that do not parse.
fn command_count(syntax: &Instruction, model: Option<&InstructionModel>) -> usize {
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

/// Whether the RUN runs one plain command whose effect on the shell ends with it, so that the
/// next script sees the same shell after a merge.
fn leaves_no_shell_state(model: Option<&InstructionModel>) -> bool {
    let Some(instruction) = model.filter(|i| i.script_error.is_none()) else {
        return false;
    };
    let mut outer = instruction
        .script
        .iter()
        .filter(|c| !c.context.nested_shell && !c.context.in_substitution);
    let (Some(command), None) = (outer.next(), outer.next()) else {
        return false;
    };
    let wrapped_exec = command
        .wrappers
        .iter()
        .any(|word| word.value() == Some("exec"));
    command.assignments.is_empty()
        && !wrapped_exec
        && command
            .program()
            .is_some_and(|program| !STATEFUL.contains(&program))
}

/// Joins the second shell-form script to the first: `first && \` newline `second`, with the
/// comment lines between kept on their own lines.
fn merge(
    context: &LintContext<'_>,
    first: &Instruction,
    second: &Instruction,
    safe: bool,
) -> Option<Fix> {
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
    if !source.contains('\n') {
        return None;
    }
    Some(Fix {
        message: "Merge this RUN into the previous one".to_string(),
        applicability: if safe {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        },
        edits: vec![Edit {
            span: between,
            replacement: joined(source, context.dockerfile.escape),
        }],
    })
}

/// What replaces the text between two scripts being merged: ` && \`, the comment lines found
/// there each on a line of its own (BuildKit drops them from the continuation), and the indent
/// of the second script.
pub fn joined(between: &str, escape: char) -> String {
    // Room for the separator, the indent and every comment, at once.
    let mut replacement = String::with_capacity(" && \\\n    ".len() + between.len());
    replacement.push_str(" && ");
    replacement.push(escape);
    replacement.push('\n');
    for line in between.lines() {
        let comment = line.trim();
        if comment.starts_with('#') {
            replacement.push_str(comment);
            replacement.push('\n');
        }
    }
    replacement.push_str("    ");
    replacement
}
