//! What a rule's check sees: the syntax tree, the model, the catalogs, the settings.

use crate::model::{Catalog, InstructionModel, Model, Stage};
use crate::syntax::{Dockerfile, Instruction, Item, LineIndex, Span};

use super::{Diagnostic, RuleMeta};

/// Rule settings from the configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    /// HC010: how many OS-package-install RUNs one stage may have.
    pub max_install_runs: usize,
    pub catalog: Option<Catalog>,
    /// DL3026: registries FROM may pull from (`*.example.com`, `*`); empty: the rule is off.
    pub trusted_registries: Vec<String>,
    /// DL3049–DL3058: required labels and their types (text, url, semver, hash, rfc3339, spdx, email).
    pub label_schema: std::collections::BTreeMap<String, String>,
    /// DL3050: labels outside the schema are reported.
    pub strict_labels: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_install_runs: 2,
            catalog: None,
            trusted_registries: Vec::new(),
            label_schema: Default::default(),
            strict_labels: false,
        }
    }
}

/// What the build brings besides the Dockerfile, when the caller knows it.
#[derive(Clone, Debug, Default)]
pub struct BuildInputs {
    /// The build context's ignore file (BK018 CopyIgnoredFile).
    pub dockerignore: Option<super::buildkit::DockerIgnore>,
    /// The platform the build targets (`dlayer lint --platform`; BK019).
    pub platform: Option<String>,
    /// The `BUILDKIT_DOCKERFILE_CHECK` build argument, which replaces the `# check=` directive.
    pub check: Option<String>,
    /// Sensitive files at the build context's root (`.git`, `.env`...: SEC007).
    pub context_root_files: Vec<String>,
}

/// No ignore file, no platform: what a lint without a build context knows.
pub static NO_BUILD_INPUTS: BuildInputs = BuildInputs {
    dockerignore: None,
    platform: None,
    check: None,
    context_root_files: Vec::new(),
};

pub struct LintContext<'a> {
    /// The image's start commands, resolved once for the rules that need them.
    pub start_scripts: std::cell::OnceCell<Vec<super::heavy::shared::StartScript>>,
    /// The scripts of the `ONBUILD RUN` triggers, in order (`None` for one not parsed): the
    /// model does not parse them, and many rules read them.
    pub trigger_scripts: std::cell::OnceCell<Vec<Option<crate::shell::Script>>>,
    /// The commands of every RUN script by program, built on the first call of
    /// [`super::hadolint::runs::runs`].
    pub(crate) program_index: std::cell::OnceCell<super::hadolint::runs::ProgramIndex>,
    /// Every command of every RUN, built on the first call of
    /// [`super::security::run_commands`].
    pub(crate) run_commands: std::cell::OnceCell<Vec<super::security::RunCommandAt>>,
    /// The options of every `apt-get install`, built on the first call of
    /// [`super::hadolint::apt::report_apt_install_without`].
    pub(crate) apt_installs: std::cell::OnceCell<Vec<super::hadolint::apt::InstallOptions>>,
    pub dockerfile: &'a Dockerfile,
    pub model: &'a Model,
    pub settings: &'a Settings,
    pub catalog: &'a Catalog,
    pub index: &'a LineIndex,
    pub build: &'a BuildInputs,
}

impl<'a> LintContext<'a> {
    pub fn new(dockerfile: &'a Dockerfile, model: &'a Model, settings: &'a Settings) -> Self {
        Self::with_build(dockerfile, model, settings, &NO_BUILD_INPUTS)
    }

    pub fn with_build(
        dockerfile: &'a Dockerfile,
        model: &'a Model,
        settings: &'a Settings,
        build: &'a BuildInputs,
    ) -> Self {
        LintContext {
            start_scripts: std::cell::OnceCell::new(),
            trigger_scripts: std::cell::OnceCell::new(),
            program_index: std::cell::OnceCell::new(),
            run_commands: std::cell::OnceCell::new(),
            apt_installs: std::cell::OnceCell::new(),
            dockerfile,
            model,
            settings,
            catalog: settings
                .catalog
                .as_ref()
                .unwrap_or_else(|| Catalog::builtin()),
            index: &dockerfile.lines,
            build,
        }
    }

    /// The stages whose content ends up in the built image.
    pub fn shipped_stages(&self) -> impl Iterator<Item = &'a Stage> {
        self.model.stages.iter().filter(|stage| stage.shipped)
    }

    /// The syntax node of a modelled instruction.
    pub fn syntax(&self, instruction: &InstructionModel) -> &'a Instruction {
        match &self.dockerfile.items[instruction.item] {
            Item::Instruction(node) => node,
            _ => unreachable!("the model only points at instructions"),
        }
    }

    pub fn text(&self, span: Span) -> &'a str {
        span.text(&self.dockerfile.source)
    }

    /// A diagnostic of `rule` at `span`, with the rule's defaults.
    pub fn report(&self, rule: &RuleMeta, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: rule.code,
            name: rule.name,
            severity: rule.severity,
            message: message.into(),
            span,
            layer: rule.layer,
            fix: None,
            twins: Vec::new(),
        }
    }
}
