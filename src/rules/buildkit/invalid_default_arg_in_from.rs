//! BK016 InvalidDefaultArgInFrom: FROM's image, expanded with the ARG defaults alone (no
//! `--build-arg`), is empty or not a valid image reference.
//!
//! `ARG VERSION` then `FROM busybox:$VERSION` builds only when `--build-arg VERSION=…` is
//! given; a default (`ARG VERSION=1.36`) makes the file build on its own. Only FROMs that use
//! a variable are checked. Reported at the image word.

use std::cell::LazyCell;

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use super::reference::is_valid;
use super::stages::{from_words, lexer, meta_args};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK016",
        name: "InvalidDefaultArgInFrom",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "default value for global ARG results in an empty or invalid base image name",
        doc: include_str!("../../../rules/BK016.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // Read for a FROM image with a `$` only (few have one).
    let meta = LazyCell::new(|| meta_args(context));
    let stage_names = LazyCell::new(|| {
        context
            .model
            .stages
            .iter()
            .filter_map(|stage| stage.name.as_deref())
            .collect::<Vec<&str>>()
    });
    for from in context.instructions_of(Keyword::From) {
        let Some(image) = from_words(from).first() else {
            continue;
        };
        if !image.text.contains('$') {
            continue;
        }
        let Ok(expanded) = lexer(context).process_word(&image.text, &meta.defaults) else {
            continue;
        };
        if is_valid(&expanded) || stage_names.contains(&expanded.to_lowercase().as_str()) {
            continue;
        }
        out.push(context.report(
            &RULE.meta,
            image.span,
            format!(
                "Default value for ARG {} results in empty or invalid base image name",
                image.text
            ),
        ));
    }
}
