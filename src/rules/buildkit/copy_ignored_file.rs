//! BK018 CopyIgnoredFile: COPY or ADD of a path the build context's ignore file leaves out.
//!
//! The build fails (or copies less than expected) because the file is not in the context.
//! dlayer reads the ignore file of the build context: `<Dockerfile name>.dockerignore` next to
//! the Dockerfile, else `.dockerignore` at the context root (`dlayer lint --context DIR`,
//! by default the Dockerfile's directory). Sources are expanded first; `COPY --from`, URLs,
//! git sources and heredocs are not in the context and not checked. The context root (`.`)
//! counts as ignored only under `*`, `**` or `**/*`. A later `!` pattern that may bring the
//! path (or something below it) back silences the check. Reported at the source.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Instruction, Keyword, Token};

use super::dockerignore::clean;
use super::stages::lexer;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK018",
        name: "CopyIgnoredFile",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "attempting to copy a file that is excluded by .dockerignore",
        doc: include_str!("../../../rules/BK018.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(ignore) = &context.build.dockerignore else {
        return;
    };
    for stage in &context.model.stages {
        for (index, model) in stage.instructions.iter().enumerate() {
            let instruction = context.syntax(model);
            let what = match instruction.kind {
                Keyword::Copy => "Copy",
                Keyword::Add => "Add",
                _ => continue,
            };
            if instruction.flags.iter().any(|flag| flag.name == "from") {
                continue;
            }
            let env = stage.variables_at(index);
            for source in sources(instruction) {
                let expanded = lexer(context)
                    .process_word(&source.text, &env)
                    .unwrap_or_else(|_| source.text.clone());
                if is_remote(&expanded) {
                    continue;
                }
                let path = clean(&expanded);
                if ignore.ignores(&path) {
                    out.push(context.report(
                        &RULE.meta,
                        source.span,
                        format!(
                            "Attempting to {what} file {:?} that is excluded by .dockerignore",
                            if path == "." { "." } else { expanded.as_str() }
                        ),
                    ));
                }
            }
        }
    }
}

/// Every argument but the destination, heredoc markers left out.
fn sources(instruction: &Instruction) -> Vec<&Token> {
    let tokens: &[Token] = match &instruction.arguments {
        Arguments::Words(words) | Arguments::Exec(words) => words,
        _ => &[],
    };
    let Some((_, sources)) = tokens.split_last() else {
        return Vec::new();
    };
    sources
        .iter()
        .filter(|token| {
            !instruction
                .heredocs
                .iter()
                .any(|heredoc| heredoc.marker == token.span || token.text.starts_with("<<"))
        })
        .collect()
}

fn is_remote(source: &str) -> bool {
    source.contains("://") || source.starts_with("git@")
}
