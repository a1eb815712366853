//! DL3006 untagged-image: FROM an image without a tag or digest.
//!
//! `scratch`, earlier stages and references written with variables (`FROM $BASE`) are not
//! reported. The finding spans the image word.

use crate::rules::heavy::shared::from_image_word;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3006",
        name: "untagged-image",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "FROM image without an explicit tag",
        doc: include_str!("../../../../rules/DL3006.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for stage in &context.model.stages {
        let base = &stage.base;
        if base.stage.is_some()
            || base.written.is_some()
            || base.raw.contains('$')
            || base.tag.is_some()
            || base.digest.is_some()
            || base.is_scratch()
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
                "`{}` has no tag: name the version to build on (`{}:<tag>`)",
                base.raw, base.raw
            ),
        ));
    }
}
