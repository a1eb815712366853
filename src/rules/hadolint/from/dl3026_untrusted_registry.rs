//! DL3026 untrusted-registry: FROM pulls from a registry outside the trusted list.
//!
//! Active only when trusted registries are configured. An entry matches the registry exactly,
//! `*.example.com` matches its subdomains, `*` matches all. Images without a registry come
//! from Docker Hub (`docker.io`, also matched by `index.docker.io`, `registry-1.docker.io` and
//! `hub.docker.com` entries). `scratch`, earlier stages and references with unresolved
//! variables are not judged. Meta ARGs are expanded before judging. Images that `COPY --from`
//! and `RUN --mount=from=` pull (references with a `:`, `/` or `@`; a bare word is a stage name
//! or DL3022's typo) are judged the same way, at the flag.

use crate::model::{ImageRef, Source, Stage};
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::Arguments;

use crate::rules::hadolint::instructions::from_of;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3026",
        name: "untrusted-registry",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "FROM image from a registry that is not trusted",
        doc: include_str!("../../../../rules/DL3026.md"),
    },
    check,
};

const HUB: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "hub.docker.com",
];

fn trusted(registry: &str, entry: &str) -> bool {
    let registry = registry.to_ascii_lowercase();
    let entry = entry.trim().to_ascii_lowercase();
    if entry == "*" || entry == registry {
        return true;
    }
    if let Some(domain) = entry.strip_prefix("*.") {
        return registry.ends_with(&format!(".{domain}"));
    }
    HUB.contains(&registry.as_str()) && HUB.contains(&entry.as_str())
}

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let entries = &context.settings.trusted_registries;
    if entries.is_empty() {
        return;
    }
    for stage in &context.model.stages {
        check_pulled_images(context, stage, entries, out);
        let base = &stage.base;
        if base.stage.is_some() || !base.undefined.is_empty() || base.raw.contains('$') {
            continue;
        }
        if base.is_scratch() {
            continue;
        }
        let registry = base.registry.as_deref().unwrap_or("docker.io");
        if entries.iter().any(|entry| trusted(registry, entry)) {
            continue;
        }
        let Some(from) = from_of(context, stage) else {
            continue;
        };
        let Arguments::Words(words) = &from.arguments else {
            continue;
        };
        let Some(image) = words.first() else {
            continue;
        };
        out.push(context.report(
            &RULE.meta,
            image.span,
            format!(
                "`{}` comes from registry `{registry}`, which is not in the trusted registries.",
                base.raw
            ),
        ));
    }
}

/// The images a stage's `COPY --from` and `RUN --mount=from=` pull.
fn check_pulled_images(
    context: &LintContext<'_>,
    stage: &Stage,
    entries: &[String],
    out: &mut Vec<Diagnostic>,
) {
    for edge in &stage.copies_from {
        let Source::Image { reference } = &edge.source else {
            continue;
        };
        if reference.contains('$') || !reference.contains([':', '/', '@']) {
            continue;
        }
        let image = ImageRef::parse(reference);
        let registry = image.registry.as_deref().unwrap_or("docker.io");
        if entries.iter().any(|entry| trusted(registry, entry)) {
            continue;
        }
        out.push(context.report(
            &RULE.meta,
            edge.span,
            format!(
                "`{reference}` comes from registry `{registry}`, which is not in the trusted \
                 registries."
            ),
        ));
    }
}
