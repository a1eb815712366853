//! The heavy-container findings of a shipped image, as `dlayer lint --target` reports them: what
//! decides whether a file needs a split at all (none: it is left unchanged rather than refused)
//! and what a split's production image must be free of (sshd, HC002; development tools, HC006).

use crate::model::{self, Catalog};
use crate::rules::heavy::shared;
use crate::rules::{LintContext, RULES, Settings};
use crate::syntax::{Dockerfile, LineIndex};

/// The rules whose findings production must never keep.
pub const PRODUCTION_BLOCKERS: [&str; 2] = ["HC002", "HC006"];

/// One finding: its code, 1-based line and message.
#[derive(Clone, Debug)]
pub struct Finding {
    pub code: &'static str,
    pub line: usize,
    pub message: String,
}

/// The heavy-container (`HC`) findings of the image `target` builds (the last stage when
/// `None`), restricted to `codes` when it is not empty; the error when there is no such target.
pub fn heavy_findings(
    dockerfile: &Dockerfile,
    target: Option<&str>,
    build_args: &[(String, String)],
    catalog: &Catalog,
    codes: &[&str],
) -> Result<Vec<Finding>, String> {
    let options = model::Options {
        build_args: build_args.to_vec(),
        target: target.map(str::to_string),
        command_views: false,
        ..model::Options::default()
    };
    let model = model::build_with(dockerfile, &options, catalog);
    if let Some(error) = model.target_error {
        return Err(error);
    }
    // The built-in catalog is the rules' default: no copy of it.
    let settings = Settings {
        catalog: (!std::ptr::eq(catalog, Catalog::builtin())).then(|| catalog.clone()),
        ..Settings::default()
    };
    let context = LintContext::new(dockerfile, &model, &settings);
    let index = LineIndex::new(&dockerfile.source);
    let mut diagnostics = Vec::new();
    for rule in RULES.iter().filter(|rule| {
        rule.meta.code.starts_with("HC") && (codes.is_empty() || codes.contains(&rule.meta.code))
    }) {
        (rule.check)(&context, &mut diagnostics);
    }
    Ok(diagnostics
        .into_iter()
        .map(|diagnostic| Finding {
            code: diagnostic.code,
            line: index.line(diagnostic.span.start),
            message: diagnostic.message,
        })
        .collect())
}

/// The programs the image built from `model` starts (its ENTRYPOINT and CMD, as HC006 reads
/// them): a development tool among them is the product, and stays in production.
pub fn started_programs(dockerfile: &Dockerfile, model: &model::Model) -> Vec<String> {
    let settings = Settings::default();
    let context = LintContext::new(dockerfile, model, &settings);
    shared::started_programs(shared::start_scripts(&context))
}
