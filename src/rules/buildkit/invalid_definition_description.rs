//! BK022 InvalidDefinitionDescription (experimental, off by default): the comment right above
//! an ARG or a named FROM is not of the form `# <name> <description>`.
//!
//! BuildKit reads such comments as the description of the build argument or stage (shown by
//! `docker buildx build --call=outline`). The last comment line must start with the ARG's name
//! (one of them, for `ARG a b`) or the stage name. An empty `#` line between the comment and
//! the instruction ends the description; a blank line does not (BuildKit's parser keeps
//! collecting comments across blank lines). Turned on by `# check=experimental=…` or by
//! naming the check in `--select`.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword};

use super::stages::as_and_name;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK022",
        name: "InvalidDefinitionDescription",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: false,
        default_enabled: false,
        summary: "comment for build stage or argument should follow the format: `# <arg/stage name> <description>`",
        doc: include_str!("../../../rules/BK022.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for instruction in context.instructions_of_any([Keyword::Arg, Keyword::From]) {
        let Some(comment) = instruction.preceding_comments.last() else {
            continue;
        };
        let (what, names): (&str, Vec<String>) = match (&instruction.kind, &instruction.arguments) {
            (Keyword::Arg, Arguments::Words(words)) => (
                "ARG",
                words
                    .iter()
                    .map(|word| word.text.split('=').next().unwrap_or_default().to_string())
                    .collect(),
            ),
            (Keyword::From, _) => match as_and_name(instruction) {
                Some((_, name)) => ("FROM", vec![name.text.to_lowercase()]),
                None => continue,
            },
            _ => continue,
        };
        let first_word = comment.split(' ').next().unwrap_or_default();
        if names.is_empty() || names.iter().any(|name| name == first_word) {
            continue;
        }
        let example = match names.as_slice() {
            [one] => one.as_str(),
            _ => "<arg_key>",
        };
        out.push(context.report(
            &RULE.meta,
            instruction.keyword.span,
            format!("Comment for {what} should follow the format: `# {example} <description>`"),
        ));
    }
}
