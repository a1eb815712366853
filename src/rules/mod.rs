//! The rule engine: one rule per file, one registry, a lint pass over the syntax tree and model.

pub mod buildkit;
mod context;
mod diagnostic;
pub mod hadolint;
pub mod heavy;
mod registry;
pub mod security;
pub mod suppress;
mod syntax_errors;

pub use context::{BuildInputs, LintContext, Settings, StageInstruction};
pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity, message};
pub use registry::{RULES, find_rule};
pub use suppress::{Pragmas, parse_pragmas};
pub use syntax_errors::{INVALID_INSTRUCTION, SYNTAX_ERROR};

use serde::Serialize;

use crate::model::{Catalog, Layer, Model};
use crate::syntax::Dockerfile;

/// The family a rule belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// dlayer's heavy-container rules (`HC0xx`).
    Heavy,
    /// hadolint-compatible rules (`DL3xxx`, `DL4xxx`).
    Hadolint,
    /// BuildKit's build checks (PascalCase names, codes `BK0xx`).
    Buildkit,
    /// dlayer's security rules (`SEC0xx`): TLS and signature checks turned off, unverified
    /// downloads, root, world-writable paths, secrets in the image.
    Security,
    /// What BuildKit itself rejects (`DL1000`, `E001`).
    Syntax,
    /// ShellCheck's findings on RUN scripts (`SC1000`–`SC9999`, `--shellcheck`).
    #[serde(rename = "shellcheck")]
    ShellCheck,
}

/// A rule's identity and defaults.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct RuleMeta {
    pub code: &'static str,
    /// kebab-case
    pub name: &'static str,
    pub severity: Severity,
    pub family: Family,
    /// Heavy rules: the layer what they flag belongs to.
    pub layer: Option<Layer>,
    pub fixable: bool,
    /// Off-by-default rules (hadolint's `ignore` severity: DL1001, DL3057) report only when a
    /// selector or severity override names them.
    pub default_enabled: bool,
    /// One line: what the rule flags.
    pub summary: &'static str,
    /// The rule's documentation (`rules/<CODE>.md`).
    #[serde(skip)]
    pub doc: &'static str,
}

/// A rule: its metadata and its check over the model.
#[derive(Clone, Copy)]
pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&LintContext<'_>, &mut Vec<Diagnostic>),
}

/// Every diagnostic for one parsed file: syntax errors, then every enabled rule, sorted by
/// position. Selection, severity overrides and pragmas are applied by the caller.
pub fn lint(dockerfile: &Dockerfile, model: &Model, settings: &Settings) -> Vec<Diagnostic> {
    lint_with(dockerfile, model, settings, &BuildInputs::default())
}

/// [`lint`], knowing the build's context and platform.
pub fn lint_with(
    dockerfile: &Dockerfile,
    model: &Model,
    settings: &Settings,
    build: &BuildInputs,
) -> Vec<Diagnostic> {
    let fragment = crate::model::has_instructions_before_from(dockerfile).then(|| {
        let options = crate::model::Options {
            command_views: false,
            implicit_stage: true,
            ..Default::default()
        };
        let catalog = settings
            .catalog
            .as_ref()
            .unwrap_or_else(|| Catalog::builtin());
        crate::model::build_with(dockerfile, &options, catalog)
    });
    let models = Models {
        built: model,
        fragment: fragment.as_ref(),
    };
    lint_models(dockerfile, models, settings, build)
}

/// The models the rules read: the stages BuildKit builds and, for a file with instructions
/// before the first FROM, the same file with those modelled as an implicit stage.
#[derive(Clone, Copy)]
pub struct Models<'a> {
    pub built: &'a Model,
    /// [`crate::model::Options::implicit_stage`]: what the hadolint rules read, as hadolint
    /// lints the instructions of a fragment or template like any other.
    pub fragment: Option<&'a Model>,
}

/// [`lint_with`] with the models already built.
pub fn lint_models(
    dockerfile: &Dockerfile,
    models: Models<'_>,
    settings: &Settings,
    build: &BuildInputs,
) -> Vec<Diagnostic> {
    let context = LintContext::with_build(dockerfile, models.built, settings, build);
    let fragment = models
        .fragment
        .map(|model| LintContext::with_build(dockerfile, model, settings, build));
    // Room for a few dozen findings from the start: a diagnostic is large, and each growth of
    // the list moves all of them.
    let mut diagnostics = Vec::with_capacity(32);
    diagnostics.extend(syntax_errors::diagnostics(dockerfile));
    for rule in RULES.iter() {
        let context = match &fragment {
            Some(fragment) if rule.meta.family == Family::Hadolint => fragment,
            _ => &context,
        };
        (rule.check)(context, &mut diagnostics);
    }
    // Keys sorted with their positions (as stable as `sort_by`): the diagnostics themselves,
    // large, are moved once each rather than at every step of the sort.
    diagnostics.sort_by_cached_key(|diagnostic| {
        (diagnostic.span.start, diagnostic.span.end, diagnostic.code)
    });
    diagnostics
}
