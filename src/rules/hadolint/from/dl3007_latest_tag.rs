//! DL3007 latest-tag: FROM an image with the `:latest` tag.
//!
//! Not reported when a digest pins the image too (`image:latest@sha256:…`), nor for
//! references written with variables. The finding spans the image word.

use crate::rules::heavy::shared::from_image_word;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3007",
        name: "latest-tag",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "FROM image with the latest tag",
        doc: include_str!("../../../../rules/DL3007.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for stage in &context.model.stages {
        let base = &stage.base;
        if base.stage.is_some()
            || base.written.is_some()
            || base.digest.is_some()
            || base.tag.as_deref() != Some("latest")
        {
            continue;
        }
        let Some(word) = from_image_word(context.dockerfile, stage) else {
            continue;
        };
        out.push(context.report(
            &RULE.meta,
            word.span,
            format!(
                "`{}` moves with every release: pin a version tag instead of `latest`",
                base.raw
            ),
        ));
    }
}
