//! The semantic model: what each stage is built from, what every instruction sees (WORKDIR,
//! USER, SHELL, ENV, ARG), what every RUN executes and installs, and which layer of the stack
//! (os, runtime, ops, app, dev) each instruction and package belongs to.

mod builder;
pub mod catalog;
mod image;
mod layers;
mod packages;
mod run;
mod scope;
mod shell_pragma;
mod stages;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::syntax::{Dockerfile, Keyword, Span};

pub use catalog::{Catalog, Ecosystem, ImageInfo, Layer};
pub use image::ImageRef;
pub use packages::{
    Action, Invocation, Package, is_os_ecosystem, option_takes_next_word, os_ecosystem,
    package_ecosystem, pins_version, value_options,
};

/// The packages a script installs or removes (what the model records for a RUN; the rules
/// ask for it for `ONBUILD RUN` triggers, which the model does not parse).
pub fn script_packages(
    commands: &[crate::shell::Command],
    catalog: &Catalog,
    source: &str,
    index: &crate::syntax::LineIndex,
) -> Vec<Package> {
    packages::extract(commands, catalog, source, index).packages
}
pub use run::{
    CommandView, ScriptError, ShellScript, heredoc_body, heredoc_interpreter, interpreter_program,
    is_posix_interpreter, shell_script, word_str,
};
pub use scope::{Assignment, AssignmentKind, BUILTIN_ARGS, Context, clean_path, is_root_user};
pub use stages::{Base, Source};

/// What the build is asked for (`--build-arg` values and `--target`), and what to compute.
#[derive(Clone, Debug)]
pub struct Options {
    pub build_args: Vec<(String, String)>,
    pub target: Option<String>,
    /// Fill `InstructionModel::commands` (the JSON view of the scripts). Linting reads
    /// `script` and turns this off to save the copies.
    pub command_views: bool,
    /// Model the instructions before the first FROM (BuildKit rejects them) as an implicit
    /// stage 0 with an unknown base, as hadolint lints a fragment or template. Only the
    /// hadolint rules ask for it: every other reader sees the stages BuildKit would build.
    pub implicit_stage: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            build_args: Vec::new(),
            target: None,
            command_views: true,
            implicit_stage: false,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Model {
    /// ARGs declared before the first FROM, with their values.
    pub meta_args: BTreeMap<String, String>,
    pub stages: Vec<Stage>,
    /// The stage a plain build produces: `--target`, or the last stage.
    pub target: Option<usize>,
    /// `--target` named no stage (the last stage is used).
    pub target_error: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Stage {
    /// Lowercased, as BuildKit stores it.
    pub name: Option<String>,
    pub index: usize,
    pub base: Base,
    /// The catalog's knowledge of the base image (none for an in-file stage or unknown image).
    pub image: Option<ImageInfo>,
    pub platform: Option<String>,
    /// The target or a stage it is built FROM: its content ends up in the image.
    pub shipped: bool,
    /// Line of the FROM.
    pub line: usize,
    /// The implicit stage of the instructions before the first FROM ([`Options::implicit_stage`]):
    /// no FROM, no name, an unknown base; its span is empty, at its first instruction.
    #[serde(skip)]
    pub implicit: bool,
    #[serde(skip)]
    pub span: Span,
    /// `COPY --from` and `RUN --mount=from=` sources.
    pub copies_from: Vec<CopyEdge>,
    /// ENV at the start of the stage (inherited from an in-file base stage, or the default PATH).
    pub initial_env: BTreeMap<String, String>,
    /// Every ENV and ARG value the stage's instructions set, in order.
    pub assignments: Vec<Assignment>,
    /// The instructions after FROM.
    pub instructions: Vec<InstructionModel>,
    /// The WORKDIR, USER and SHELL the stage ends with (what the image is configured with).
    #[serde(skip)]
    pub final_context: Context,
}

#[derive(Debug, Serialize)]
pub struct CopyEdge {
    pub source: Source,
    pub line: usize,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Serialize)]
pub struct InstructionModel {
    pub line: usize,
    pub column: usize,
    pub keyword: KeywordName,
    pub layer: Layer,
    /// The WORKDIR, USER and SHELL the instruction runs with (ENV and ARG values: see
    /// [`Stage::env_at`] and [`Stage::args_at`]). Shared with the other instructions that run
    /// with the same: most instructions change none of it.
    #[serde(serialize_with = "serialize_shared")]
    pub context: Arc<Context>,
    /// RUN, CMD, ENTRYPOINT: every command the script executes (nested ones included).
    pub commands: Vec<CommandView>,
    /// RUN: the script could not be parsed as shell (or its shell is not a POSIX one).
    pub script_error: Option<ScriptError>,
    /// RUN with a heredoc script starting `#!`: the interpreter it names.
    pub interpreter: Option<String>,
    /// Package-manager invocations, and the packages they install or remove.
    pub invocations: Vec<Invocation>,
    pub packages: Vec<Package>,
    /// RUN, CMD, ENTRYPOINT: the parsed commands with their word spans (`commands` is their
    /// JSON view; `Invocation::command` indexes both).
    #[serde(skip)]
    pub script: Vec<crate::shell::Command>,
    /// RUN: the shell variables the script sets, for operands such as `$buildDeps`.
    #[serde(skip)]
    pub variables: Vec<crate::shell::Variable>,
    /// Index of the instruction in `Dockerfile::items`.
    #[serde(skip)]
    pub item: usize,
    /// Indices in `packages` of [`InstructionModel::kept_packages`], set by the builder.
    #[serde(skip)]
    pub(crate) kept: packages::Kept,
    #[serde(skip)]
    pub span: Span,
}

/// An instruction's keyword in upper case (`RUN`). Reads as a `str`. A known keyword written
/// in ASCII (nearly every one) is its static name: no string is allocated per instruction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct KeywordName(Cow<'static, str>);

impl KeywordName {
    /// The upper case of `written`, the keyword as written, which names `kind`.
    pub fn new(kind: Keyword, written: &str) -> KeywordName {
        let name = kind.upper_name();
        // Only an ASCII spelling upper-cases to the name: Unicode upper-casing keeps the Kelvin
        // sign that lower-cases to `k`. The name is upper-case ASCII letters: each written
        // byte is upper-cased and compared in an inlined loop (`eq_ignore_ascii_case` is a
        // call that folds both sides, for every instruction).
        let (written_bytes, name_bytes) = (written.as_bytes(), name.as_bytes());
        let spells_name = !name.is_empty()
            && written_bytes.len() == name_bytes.len()
            && (0..name_bytes.len())
                .all(|i| written_bytes[i].to_ascii_uppercase() == name_bytes[i]);
        if spells_name {
            return KeywordName(Cow::Borrowed(name));
        }
        KeywordName(Cow::Owned(if written.is_ascii() {
            written.to_ascii_uppercase()
        } else {
            written.to_uppercase()
        }))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for KeywordName {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for KeywordName {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for KeywordName {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl fmt::Display for KeywordName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A shared value serialises as the value (serde's own implementation needs its `rc` feature).
fn serialize_shared<T: Serialize + ?Sized, S: Serializer>(
    value: &Arc<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    T::serialize(value, serializer)
}

impl InstructionModel {
    /// The packages the RUN installs and leaves installed: not removed again in the same RUN
    /// (by name, apk virtual group, or the docker-library `apt-mark auto` + `apt-get purge
    /// --auto-remove` idiom).
    /// Read in place: the heavy rules ask of every instruction of every shipped stage, and
    /// most keep none.
    pub fn kept_packages(&self) -> impl Iterator<Item = &Package> + Clone {
        self.kept.iter().map(|index| &self.packages[index])
    }
}

impl Model {
    /// The number `COPY --from=N` gives the stage: its index among the FROM stages (`None` for
    /// the implicit stage, which has no FROM).
    pub fn stage_number(&self, stage: &Stage) -> Option<usize> {
        let offset = usize::from(self.stages.first().is_some_and(|first| first.implicit));
        (!stage.implicit).then(|| stage.index - offset)
    }
}

impl Stage {
    /// The ENV values instruction `index` of the stage sees (set before it runs).
    pub fn env_at(&self, index: usize) -> BTreeMap<String, String> {
        let mut env = self.initial_env.clone();
        env.extend(self.assigned_before(index, AssignmentKind::Env));
        env
    }

    /// The ARG values instruction `index` of the stage sees.
    pub fn args_at(&self, index: usize) -> BTreeMap<String, String> {
        self.assigned_before(index, AssignmentKind::Arg).collect()
    }

    /// The ENV and ARG values instruction `index` of the stage sees (ENV wins, as in a RUN).
    pub fn variables_at(&self, index: usize) -> BTreeMap<String, String> {
        let mut variables = self.args_at(index);
        variables.extend(self.env_at(index));
        variables
    }

    /// The value of `name` in [`Stage::variables_at`], looked up by name without building the
    /// maps (rules ask for a few names at every command): the last ENV before instruction
    /// `index`, else the inherited environment's, else the last ARG value before it.
    pub fn variable_before(&self, index: usize, name: &str) -> Option<&str> {
        let last_assigned = |kind: AssignmentKind| {
            self.assignments
                .iter()
                .rev()
                .find(|set| set.instruction < index && set.kind == kind && set.name == name)
                .map(|set| set.value.as_str())
        };
        last_assigned(AssignmentKind::Env)
            .or_else(|| self.initial_env.get(name).map(String::as_str))
            .or_else(|| last_assigned(AssignmentKind::Arg))
    }

    /// Whether `name` is set (by ENV, inherited ENV or an ARG value) when instruction `index`
    /// of the stage runs, without building the maps.
    pub fn sets_before(&self, index: usize, name: &str) -> bool {
        self.initial_env.contains_key(name)
            || self
                .assignments
                .iter()
                .any(|assignment| assignment.instruction < index && assignment.name == name)
    }

    fn assigned_before(
        &self,
        index: usize,
        kind: AssignmentKind,
    ) -> impl Iterator<Item = (String, String)> + '_ {
        self.assignments
            .iter()
            .filter(move |assignment| assignment.instruction < index && assignment.kind == kind)
            .map(|assignment| (assignment.name.clone(), assignment.value.clone()))
    }
}

/// Whether an instruction other than ARG comes before the first FROM (a fragment, a template,
/// or a file BuildKit rejects), which [`Options::implicit_stage`] models as a stage.
pub fn has_instructions_before_from(dockerfile: &Dockerfile) -> bool {
    dockerfile
        .instructions()
        .take_while(|instruction| instruction.kind != crate::syntax::Keyword::From)
        .any(|instruction| instruction.kind != crate::syntax::Keyword::Arg)
}

/// Builds the model of a parsed Dockerfile with the built-in catalogs.
pub fn build(dockerfile: &Dockerfile, options: &Options) -> Model {
    builder::build(dockerfile, options, Catalog::builtin())
}

/// Builds the model with the given catalogs (the built-ins merged with a user's).
pub fn build_with(dockerfile: &Dockerfile, options: &Options, catalog: &Catalog) -> Model {
    builder::build(dockerfile, options, catalog)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_names_are_upper_case_whatever_the_spelling() {
        for kind in Keyword::ALL {
            let name = kind.upper_name();
            assert!(name.bytes().all(|byte| byte.is_ascii_uppercase()), "{name}");
            for written in [name.to_string(), name.to_ascii_lowercase(), {
                let mut mixed = name.to_ascii_lowercase();
                mixed.replace_range(..1, &name[..1]);
                mixed
            }] {
                let keyword = KeywordName::new(kind, &written);
                assert_eq!(keyword, *name);
                assert!(matches!(keyword.0, Cow::Borrowed(_)), "{written}");
            }
        }
        // The Kelvin sign lower-cases to `k` but is no ASCII spelling: upper-cased as written.
        assert_eq!(KeywordName::new(Keyword::Unknown, "k\u{212a}"), "K\u{212a}");
        assert_eq!(KeywordName::new(Keyword::Run, "RUNX"), "RUNX");
    }

    /// Looked up by name, a variable has the value of the stage's whole map: ENV over the
    /// inherited environment over ARG, the last assignment before the instruction winning.
    #[test]
    fn a_variable_looked_up_has_its_value_in_the_map() {
        let source = "FROM python:3.12\nARG A=1 B\nENV A=2 PATH=/x\nARG A=3 C=4\nRUN true\n\
                      ENV C=5\nARG B=6\nRUN true\n";
        let dockerfile = crate::syntax::parse(source);
        let model = build(&dockerfile, &Options::default());
        let stage = &model.stages[0];
        assert!(
            !stage.initial_env.is_empty(),
            "the base image's ENV is known"
        );
        let mut names: Vec<String> = stage.initial_env.keys().cloned().collect();
        names.extend(["A", "B", "C", "D"].map(String::from));
        for index in 0..=stage.instructions.len() {
            let variables = stage.variables_at(index);
            for name in &names {
                assert_eq!(
                    stage.variable_before(index, name),
                    variables.get(name).map(String::as_str),
                    "{name} at {index}"
                );
            }
        }
        assert_eq!(stage.variable_before(4, "C"), Some("4"));
        assert_eq!(
            stage.variable_before(stage.instructions.len(), "C"),
            Some("5")
        );
    }
}
