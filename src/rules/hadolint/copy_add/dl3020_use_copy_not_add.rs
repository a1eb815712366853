//! DL3020 use-copy-not-add: ADD copies plain local files; COPY says so and does nothing more.
//!
//! ADD is only needed for URLs, git repositories and local tar archives it unpacks. An ADD
//! is flagged at its first source that is none of these. A source given by variables is judged
//! by the value the stage's ARG and ENV give it, and left alone when that is unknown. The fix
//! renames the instruction to COPY when every source is a local path and no ADD-only flag
//! (`--checksum`, `--keep-git-dir`, `--unpack`) is used: safe when the paths are written out
//! or come from ENV values written out, unsafe when an ARG gives one (a `--build-arg` could
//! make it a URL, which only ADD fetches).

use crate::model::{AssignmentKind, Stage};
use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::syntax::{Arguments, Instruction, Keyword};

use crate::rules::hadolint::package_operands::variable_reference;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3020",
        name: "use-copy-not-add",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "ADD used for local files or folders; use COPY",
        doc: include_str!("../../../../rules/DL3020.md"),
    },
    check,
};

/// Archive suffixes ADD unpacks (tar, optionally compressed).
const ARCHIVES: &[&str] = &[
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.bz2",
    ".tbz",
    ".tbz2",
    ".tar.xz",
    ".txz",
    ".tar.zst",
    ".tzst",
    ".tar.lz",
    ".tar.lzma",
    ".tlz",
    ".tar.z",
    ".taz",
    ".gz",
    ".bz2",
    ".xz",
    ".zst",
    ".lz",
    ".lzma",
    ".z",
];

fn is_remote(text: &str) -> bool {
    text.contains("://") || text.starts_with("git@")
}

fn is_archive(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ARCHIVES.iter().any(|suffix| lower.ends_with(suffix))
}

/// Where a source's value comes from.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    Written,
    /// An ARG (a build argument may override it).
    Argument,
}

/// A source with its variables replaced by the values the stage gives them before instruction
/// `index`; `None` when one is unknown or uses a `${VAR:-…}` form.
fn resolve(
    context: &LintContext<'_>,
    stage: &Stage,
    index: usize,
    text: &str,
) -> Option<(String, Origin)> {
    let mut value = String::new();
    let mut origin = Origin::Written;
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        value.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, tail) = variable_reference(after)?;
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        let (found, from) = lookup(context, stage, index, name)?;
        value.push_str(&found);
        origin = origin.max(from);
        rest = tail;
    }
    value.push_str(rest);
    Some((value, origin))
}

/// The value of `name` at instruction `index` of `stage`: its last ENV or ARG before it, else
/// the ENV the stage starts with.
fn lookup(
    context: &LintContext<'_>,
    stage: &Stage,
    index: usize,
    name: &str,
) -> Option<(String, Origin)> {
    let assignment = stage
        .assignments
        .iter()
        .rev()
        .find(|a| a.instruction < index && a.name == name);
    match assignment {
        Some(a) if a.kind == AssignmentKind::Arg => Some((a.value.clone(), Origin::Argument)),
        Some(a) => {
            let written = !context
                .syntax(&stage.instructions[a.instruction])
                .original
                .contains('$');
            let origin = if written {
                Origin::Written
            } else {
                Origin::Argument
            };
            Some((a.value.clone(), origin))
        }
        None => stage
            .initial_env
            .get(name)
            .map(|value| (value.clone(), Origin::Argument)),
    }
}

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for add in context.stage_instructions_of(Keyword::Add) {
        check_add(context, add.stage, add.index, add.syntax, out);
    }
}

fn check_add(
    context: &LintContext<'_>,
    stage: &Stage,
    index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    {
        let tokens = match &instruction.arguments {
            Arguments::Words(tokens) | Arguments::Exec(tokens) => tokens,
            _ => return,
        };
        let Some((_, sources)) = tokens.split_last() else {
            return;
        };
        let sources: Vec<_> = sources
            .iter()
            .filter(|token| !token.text.starts_with("<<"))
            .map(|token| (token, resolve(context, stage, index, &token.text)))
            .collect();
        let local = |resolved: &Option<(String, Origin)>| {
            resolved.as_ref().is_some_and(|(text, _)| {
                // Quotes around a source are removed by BuildKit (`ADD "file.tgz" /app/`).
                let text = text.trim_matches('"');
                !is_remote(text) && !is_archive(text)
            })
        };
        let Some((first, _)) = sources.iter().find(|(_, resolved)| local(resolved)) else {
            return;
        };
        let mut diagnostic = context.report(
            &RULE.meta,
            first.span,
            format!(
                "`{}` is a local file or folder: use COPY instead of ADD.",
                first.text
            ),
        );
        let add_only = instruction.flags.iter().any(|flag| {
            matches!(
                flag.name.to_ascii_lowercase().as_str(),
                "checksum" | "keep-git-dir" | "unpack"
            )
        });
        let origin = sources
            .iter()
            .filter_map(|(_, resolved)| resolved.as_ref().map(|(_, origin)| *origin))
            .max()
            .unwrap_or(Origin::Written);
        if !add_only && sources.iter().all(|(_, resolved)| local(resolved)) {
            let keyword = &instruction.keyword;
            let replacement = if keyword.text.chars().all(|c| c.is_ascii_lowercase()) {
                "copy"
            } else {
                "COPY"
            };
            diagnostic.fix = Some(Fix {
                message: "Replace ADD with COPY".into(),
                applicability: if origin == Origin::Written {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                },
                edits: vec![Edit {
                    span: keyword.span,
                    replacement: replacement.into(),
                }],
            });
        }
        out.push(diagnostic);
    }
}
