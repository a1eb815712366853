//! HC001 full-os-base: the shipped image starts from a full OS or full language image that has
//! a lighter variant.
//!
//! The image is the external base at the root of the shipped chain (a final `FROM build` is
//! followed to the stage that names an image). The catalog says what kind the image is and
//! which lighter image to use; the fix swaps the FROM word when the catalog calls the swap safe.

use crate::model::Layer;
use crate::model::catalog::ImageKind;
use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};

use super::shared;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC001",
        name: "full-os-base",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::Os),
        fixable: true,
        default_enabled: true,
        summary: "the shipped image starts from a full OS or full language image that has a lighter variant",
        doc: include_str!("../../../rules/HC001.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // A stage is only ever built FROM an earlier one: the first shipped stage is the root.
    let Some(root) = context.shipped_stages().next() else {
        return;
    };
    let (Some(image), None) = (&root.image, root.base.stage) else {
        return;
    };
    let Some(alternative) = &image.alternative else {
        return;
    };
    if !image.kind.is_full_os() {
        return;
    }
    let Some(word) = shared::from_image_word(context.dockerfile, root) else {
        return;
    };
    let written = context.text(word.span);
    // The image as written, then as resolved when that differs (`$BASE` → `debian:12`).
    let resolved: [&str; 3] = if root.base.written.is_some() {
        ["` (`", &root.base.raw, "`)"]
    } else {
        ["`", "", ""]
    };
    // What the image is, and the advice around the alternative's name.
    let (what, advice_before, advice_after) = match image.kind {
        ImageKind::Distro => (
            "a general-purpose distribution",
            "build on a minimal base such as `",
            "`",
        ),
        ImageKind::Language => (
            "a full language image with compilers and headers",
            "use the runtime variant `",
            "`",
        ),
        _ => (
            "a toolchain image",
            "build in it, then copy the result onto `",
            "` in a final stage",
        ),
    };
    // Catalog sizes are estimates of the compressed image.
    let size = match (image.size_mb, alternative.size_mb) {
        (Some(from), Some(to)) => format!(", estimated {from} MB → {to} MB"),
        _ => String::new(),
    };
    let message = crate::rules::message(&[
        "the shipped image starts from `",
        written,
        resolved[0],
        resolved[1],
        resolved[2],
        ", ",
        what,
        ": ",
        advice_before,
        &alternative.image,
        advice_after,
        &size,
        " (os layer)",
    ]);
    let mut diagnostic = context.report(&RULE.meta, word.span, message);
    // A swap keeps the build working when the package manager and package names stay; a FROM
    // with variables or a digest pin is the user's to rewrite.
    let swappable = alternative.same_package_family
        && !alternative.multi_stage
        && root.base.written.is_none()
        && root.base.digest.is_none()
        && written == root.base.raw;
    diagnostic.fix = Some(if swappable {
        Fix {
            message: crate::rules::message(&["Use `", &alternative.image, "`"]),
            applicability: Applicability::Unsafe,
            edits: vec![Edit {
                span: word.span,
                replacement: alternative.image.clone(),
            }],
        }
    } else if alternative.multi_stage {
        Fix {
            message: format!(
                "Build in this stage (`AS build`) and add a final `FROM {}` stage that copies \
                 the artifacts; `dlayer fix --split` does it",
                alternative.image
            ),
            applicability: Applicability::DisplayOnly,
            edits: Vec::new(),
        }
    } else {
        Fix {
            message: match &alternative.note {
                Some(note) => {
                    crate::rules::message(&["Consider `", &alternative.image, "`: ", note])
                }
                None => crate::rules::message(&[
                    "Consider `",
                    &alternative.image,
                    "`, then check the package-manager commands and package names",
                ]),
            },
            applicability: Applicability::DisplayOnly,
            edits: Vec::new(),
        }
    });
    out.push(diagnostic);
}
