//! BK019 InvalidBaseImagePlatform: the base image is for another platform than the build.
//!
//! BuildKit warns after pulling an image whose platform differs from the one asked for.
//! dlayer never pulls: it checks only what it knows without the network, the operating
//! system of images in the catalog (`rules/catalog/images.toml`: Windows images carry the
//! `windows` trait, the others are Linux images) against the platform the stage is built for
//! (`FROM --platform=`, else `dlayer lint --platform`). With neither, or an image the
//! catalog does not know, nothing is reported. Reported at the image word.

use std::cell::LazyCell;

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::platform;
use super::stages::{from_env, from_of, from_words, lexer};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK019",
        name: "InvalidBaseImagePlatform",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "base image platform does not match expected target platform",
        doc: include_str!("../../../rules/BK019.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // The values a `--platform` expands with, made for the first FROM that has one.
    let env = LazyCell::new(|| from_env(context));
    for stage in &context.model.stages {
        let (Some(image), Some(from)) = (&stage.image, from_of(context, stage)) else {
            continue;
        };
        let flag_platform = from
            .flags
            .iter()
            .filter(|flag| flag.name == "platform")
            .find_map(|flag| flag.value.as_deref())
            .and_then(|value| lexer(context).process_word(value, &*env).ok());
        let Some(expected) = flag_platform.or_else(|| context.build.platform.clone()) else {
            continue;
        };
        let Some(wanted) = platform::parse(&expected) else {
            continue;
        };
        let image_os = if image.has_trait("windows") {
            "windows"
        } else {
            "linux"
        };
        if wanted.os == image_os {
            continue;
        }
        let Some(word) = from_words(from).first() else {
            continue;
        };
        out.push(context.report(
            &RULE.meta,
            word.span,
            format!(
                "Base image {} was pulled with platform {image_os:?}, expected {expected:?} for \
                 current build",
                stage.base.raw
            ),
        ));
    }
}
