//! What a rule's check sees: the syntax tree, the model, the catalogs, the settings.

use crate::model::{Catalog, InstructionModel, Model, Stage};
use crate::syntax::{Dockerfile, Instruction, Item, Keyword, LineIndex, Span};

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
    /// The commands of every RUN script by program, and where the commands of every RUN are
    /// for the security rules, built on the first call of [`super::hadolint::runs::runs`] or
    /// [`super::security::run_commands`].
    pub(crate) program_index: std::cell::OnceCell<super::hadolint::runs::ProgramIndex>,
    /// The options of every `apt-get install`, built on the first call of
    /// [`super::hadolint::apt::report_apt_install_without`].
    pub(crate) apt_installs: std::cell::OnceCell<Vec<super::hadolint::apt::InstallOptions>>,
    /// Where each kind of instruction is, built on the first call of
    /// [`LintContext::instructions_of`].
    by_keyword: std::cell::OnceCell<ByKeyword<usize>>,
    /// Where each kind of instruction is in the model's stages, built on the first call of
    /// [`LintContext::stage_instructions_of`].
    stage_by_keyword: std::cell::OnceCell<ByKeyword<StagePlace>>,
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
            apt_installs: std::cell::OnceCell::new(),
            by_keyword: std::cell::OnceCell::new(),
            stage_by_keyword: std::cell::OnceCell::new(),
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

    /// The `keyword` instructions of the file, in source order. Most rules read one kind of
    /// instruction: each would otherwise pass over every item of the file to find its few.
    pub fn instructions_of(&self, keyword: Keyword) -> impl Iterator<Item = &'a Instruction> {
        // The one list read as it is, without the merge of several.
        let items = &self.dockerfile.items;
        self.keyword_index()
            .items_of(keyword)
            .iter()
            .map(|&item| instruction_at(items, item))
    }

    /// The instructions of the file whose keyword is one of `keywords`, in source order.
    pub fn instructions_of_any<const N: usize>(
        &self,
        keywords: [Keyword; N],
    ) -> impl Iterator<Item = &'a Instruction> {
        let index = self.keyword_index();
        let items = &self.dockerfile.items;
        InSourceOrder(keywords.map(|keyword| index.items_of(keyword)))
            .map(|item| instruction_at(items, item))
    }

    fn keyword_index(&self) -> &ByKeyword<usize> {
        self.by_keyword
            .get_or_init(|| ByKeyword::of_items(self.dockerfile))
    }

    /// The `keyword` instructions of the model's stages, stage by stage, each in its stage's
    /// order: what a walk over every instruction of every stage keeping `keyword` finds, for
    /// the rules that need the stage, without every rule passing over every instruction.
    pub fn stage_instructions_of(
        &self,
        keyword: Keyword,
    ) -> impl Iterator<Item = StageInstruction<'a>> + use<'_, 'a> {
        self.stage_index()
            .items_of(keyword)
            .iter()
            .map(|&place| self.stage_instruction_at(place))
    }

    /// The instructions of the model's stages whose keyword is one of `keywords`, in the
    /// order of a walk over every instruction of every stage.
    pub fn stage_instructions_of_any<const N: usize>(
        &self,
        keywords: [Keyword; N],
    ) -> impl Iterator<Item = StageInstruction<'a>> + use<'_, 'a, N> {
        let index = self.stage_index();
        InSourceOrder(keywords.map(|keyword| index.items_of(keyword)))
            .map(|place| self.stage_instruction_at(place))
    }

    fn stage_index(&self) -> &ByKeyword<StagePlace> {
        self.stage_by_keyword
            .get_or_init(|| ByKeyword::of_stages(self.model, &self.dockerfile.items))
    }

    fn stage_instruction_at(&self, place: StagePlace) -> StageInstruction<'a> {
        let stage = &self.model.stages[place.stage as usize];
        let index = place.instruction as usize;
        let model = &stage.instructions[index];
        StageInstruction {
            stage,
            index,
            model,
            syntax: instruction_at(&self.dockerfile.items, model.item),
        }
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

/// The instruction of item `item`, which the keyword index or the model found to be one.
fn instruction_at(items: &[Item], item: usize) -> &Instruction {
    match &items[item] {
        Item::Instruction(node) => node,
        _ => unreachable!("the indexes and the model only point at instructions"),
    }
}

/// An instruction of one of the model's stages, with its stage and its place in it.
#[derive(Clone, Copy)]
pub struct StageInstruction<'a> {
    pub stage: &'a Stage,
    /// Its index in the stage's instructions.
    pub index: usize,
    pub model: &'a InstructionModel,
    pub syntax: &'a Instruction,
}

/// Where an instruction is in the model: its stage, and its index there (ordered as a walk
/// over the stages meets them).
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct StagePlace {
    stage: u32,
    instruction: u32,
}

/// How many keywords there are: [`Keyword::Unknown`] is the last.
const KEYWORDS: usize = Keyword::Unknown as usize + 1;

/// Places of instructions grouped by keyword, each group in the order they were met.
struct ByKeyword<T> {
    places: Vec<T>,
    /// Where each keyword's group starts in `places` (and, one further, ends).
    starts: [usize; KEYWORDS + 1],
}

impl<T: Copy + Default> ByKeyword<T> {
    /// A counting sort of `found` (each instruction's place and keyword, in order) by keyword.
    fn of(found: Vec<(T, Keyword)>) -> ByKeyword<T> {
        let mut starts = [0; KEYWORDS + 1];
        for &(_, keyword) in &found {
            starts[keyword as usize + 1] += 1;
        }
        for keyword in 0..KEYWORDS {
            starts[keyword + 1] += starts[keyword];
        }
        let mut next = starts;
        let mut places = vec![T::default(); found.len()];
        for (place, keyword) in found {
            let keyword = keyword as usize;
            places[next[keyword]] = place;
            next[keyword] += 1;
        }
        ByKeyword { places, starts }
    }

    fn items_of(&self, keyword: Keyword) -> &[T] {
        let keyword = keyword as usize;
        &self.places[self.starts[keyword]..self.starts[keyword + 1]]
    }
}

impl ByKeyword<usize> {
    /// The file's instructions by keyword, each group in source order: the items are read once
    /// (most are blank lines and comments).
    fn of_items(dockerfile: &Dockerfile) -> ByKeyword<usize> {
        let mut found = Vec::with_capacity(dockerfile.items.len());
        for (index, item) in dockerfile.items.iter().enumerate() {
            if let Item::Instruction(node) = item {
                found.push((index, node.kind));
            }
        }
        ByKeyword::of(found)
    }
}

impl ByKeyword<StagePlace> {
    /// The instructions of `model`'s stages by keyword, each group stage by stage.
    fn of_stages(model: &Model, items: &[Item]) -> ByKeyword<StagePlace> {
        let count = model
            .stages
            .iter()
            .map(|stage| stage.instructions.len())
            .sum();
        let mut found = Vec::with_capacity(count);
        for (stage_index, stage) in model.stages.iter().enumerate() {
            for (index, instruction) in stage.instructions.iter().enumerate() {
                let place = StagePlace {
                    stage: place_u32(stage_index),
                    instruction: place_u32(index),
                };
                found.push((place, instruction_at(items, instruction.item).kind));
            }
        }
        ByKeyword::of(found)
    }
}

/// A stage's or instruction's index as the index keeps it: no file has four billion.
fn place_u32(index: usize) -> u32 {
    u32::try_from(index).expect("fewer than 2^32 stages and instructions")
}

/// Several ascending lists of places (items, or places in the stages) merged into one
/// ascending list.
struct InSourceOrder<'i, T, const N: usize>([&'i [T]; N]);

impl<T: Copy + Ord, const N: usize> Iterator for InSourceOrder<'_, T, N> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        // A plain loop over the heads: the lists are few and short.
        let mut earliest: Option<(usize, T)> = None;
        for (list, items) in self.0.iter().enumerate() {
            if let Some(&first) = items.first()
                && earliest.is_none_or(|(_, item)| first < item)
            {
                earliest = Some((list, first));
            }
        }
        let (list, first) = earliest?;
        self.0[list] = &self.0[list][1..];
        Some(first)
    }
}

#[cfg(test)]
mod tests {
    use super::{KEYWORDS, LintContext, Settings};
    use crate::syntax::{Item, Keyword};

    #[test]
    fn every_keyword_has_a_group() {
        for keyword in Keyword::ALL {
            assert!((keyword as usize) < KEYWORDS, "{keyword:?}");
        }
    }

    /// The index gives what a walk over every instruction picking the keywords gives.
    #[test]
    fn instructions_of_keywords_are_those_of_a_walk() {
        let source = "ARG A\nFROM a AS one\n# c\nCOPY x y\nRUN b\nADD u v\n\nCOPY p q\n\
                      FROM one\nONBUILD COPY r s\nbogus\nADD w z\nLABEL k=v\n";
        let dockerfile = crate::syntax::parse(source);
        let model = crate::model::build(&dockerfile, &Default::default());
        let settings = Settings::default();
        let context = LintContext::new(&dockerfile, &model, &settings);
        let walk = |keywords: &[Keyword]| -> Vec<usize> {
            dockerfile
                .items
                .iter()
                .filter_map(|item| match item {
                    Item::Instruction(node) if keywords.contains(&node.kind) => {
                        Some(node.span.start)
                    }
                    _ => None,
                })
                .collect()
        };
        let starts = |found: Vec<&crate::syntax::Instruction>| -> Vec<usize> {
            found.iter().map(|node| node.span.start).collect()
        };
        for keyword in Keyword::ALL.into_iter().chain([Keyword::Unknown]) {
            let found = starts(context.instructions_of(keyword).collect());
            assert_eq!(found, walk(&[keyword]), "{keyword:?}");
        }
        let copies_and_adds = starts(
            context
                .instructions_of_any([Keyword::Copy, Keyword::Add])
                .collect(),
        );
        assert_eq!(copies_and_adds.len(), 4);
        assert_eq!(copies_and_adds, walk(&[Keyword::Copy, Keyword::Add]));
        let three = [Keyword::Label, Keyword::Arg, Keyword::Onbuild];
        let found = starts(context.instructions_of_any(three).collect());
        assert_eq!(found, walk(&three));
    }

    /// The stage index gives what a walk over every instruction of every stage keeping one
    /// keyword gives: the same instructions with the same stages and places, in order.
    #[test]
    fn stage_instructions_of_keywords_are_those_of_a_walk() {
        let source = "ARG A\nFROM a AS one\nCOPY x y\nRUN b\nADD u v\nCOPY p q\n\
                      FROM one\nONBUILD COPY r s\nRUN c\nFROM scratch\nbogus\nCOPY w z\n";
        let dockerfile = crate::syntax::parse(source);
        let model = crate::model::build(&dockerfile, &Default::default());
        let settings = Settings::default();
        let context = LintContext::new(&dockerfile, &model, &settings);
        for keyword in Keyword::ALL.into_iter().chain([Keyword::Unknown]) {
            let mut walk = Vec::new();
            for (stage_index, stage) in model.stages.iter().enumerate() {
                for (index, instruction) in stage.instructions.iter().enumerate() {
                    let syntax = context.syntax(instruction);
                    if syntax.kind == keyword {
                        walk.push((stage_index, index, syntax.span.start));
                    }
                }
            }
            let found: Vec<_> = context
                .stage_instructions_of(keyword)
                .map(|found| {
                    assert!(std::ptr::eq(
                        found.model,
                        &found.stage.instructions[found.index]
                    ));
                    (found.stage.index, found.index, found.syntax.span.start)
                })
                .collect();
            assert_eq!(found, walk, "{keyword:?}");
        }
        assert_eq!(context.stage_instructions_of(Keyword::Copy).count(), 3);
        let places = |keywords: &[Keyword]| -> Vec<(usize, usize)> {
            let mut walk = Vec::new();
            for stage in &model.stages {
                for (index, instruction) in stage.instructions.iter().enumerate() {
                    if keywords.contains(&context.syntax(instruction).kind) {
                        walk.push((stage.index, index));
                    }
                }
            }
            walk
        };
        let runs_and_triggers: Vec<_> = context
            .stage_instructions_of_any([Keyword::Run, Keyword::Onbuild])
            .map(|found| (found.stage.index, found.index))
            .collect();
        assert_eq!(runs_and_triggers, places(&[Keyword::Run, Keyword::Onbuild]));
        let three = [Keyword::Copy, Keyword::Add, Keyword::Run];
        let found: Vec<_> = context
            .stage_instructions_of_any(three)
            .map(|found| (found.stage.index, found.index))
            .collect();
        assert_eq!(found, places(&three));
    }
}
