//! DL3067 copy-whole-filesystem: `COPY --from=<stage> / /` copies a stage's entire filesystem.
//!
//! Copying the root of another stage onto the root brings its whole OS along, undoing the
//! point of a multi-stage build. Reported at the `/` source. Copying the root of a stage built
//! `FROM scratch` is fine: such a stage only holds what was put in it.

use crate::model::Source;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3067",
        name: "copy-whole-filesystem",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "COPY --from=<stage> / / copies a whole filesystem",
        doc: include_str!("../../../../rules/DL3067.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for copy in context.stage_instructions_of(Keyword::Copy) {
        let (stage, syntax) = (copy.stage, copy.syntax);
        let Some(from) = syntax
            .flags
            .iter()
            .find(|flag| flag.name == "from")
            .and_then(|flag| flag.value.as_deref())
        else {
            continue;
        };
        let words = match &syntax.arguments {
            Arguments::Words(words) | Arguments::Exec(words) => words,
            _ => continue,
        };
        let Some((destination, sources)) = words.split_last() else {
            continue;
        };
        if !is_root(&destination.text) {
            continue;
        }
        let from_scratch = stage
            .copies_from
            .iter()
            .filter(|edge| syntax.span.contains(edge.span))
            .any(|edge| match edge.source {
                Source::Stage { index } => context.model.stages[index].base.repository == "scratch",
                Source::Image { .. } => false,
            });
        if from_scratch {
            continue;
        }
        for source in sources.iter().filter(|word| is_root(&word.text)) {
            out.push(context.report(
                &RULE.meta,
                source.span,
                format!("copying `/` of `{from}` onto `/` brings its whole filesystem: copy only the files you need"),
            ));
        }
    }
}

fn is_root(path: &str) -> bool {
    // Quotes around a path are removed by BuildKit (`COPY --from=x "/" "/"`).
    let path = path
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
        .unwrap_or(path);
    matches!(path, "/" | "/." | "/./")
}
