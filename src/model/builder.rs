//! Walks the syntax tree once: stages, scopes, RUN scripts, package installs, layers.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::shell::{self, Dialect};
use crate::syntax::expand::{Env, Lexer, Platform};
use crate::syntax::{Arguments, Dockerfile, Instruction, Item, Keyword, LineIndex};

use super::catalog::Catalog;
use super::layers;
use super::packages;
use super::run;
use super::scope::{AssignedIndex, Assignment, AssignmentKind, BUILTIN_ARGS, Scope, default_env};
use super::shell_pragma;
use super::stages::{Base, Source, resolve_source, shipped_stages};
use super::{Context, CopyEdge, InstructionModel, KeywordName, Model, Options, Stage};

struct Builder<'a> {
    dockerfile: &'a Dockerfile,
    index: &'a LineIndex,
    options: &'a Options,
    catalog: &'a Catalog,
    meta: Scope,
    meta_declared: BTreeSet<String>,
    stages: Vec<Stage>,
    /// Each stage name (lowercased) and the first stage given it: FROM and `--from` look names
    /// up, and a scan of the stages each time made files with thousands of stages quadratic.
    first_stage_named: HashMap<String, usize>,
    /// The context after the last instruction of each stage (what `FROM stage` inherits with
    /// the stage's final ENV, [`Stage::env_at`] past its last instruction).
    final_contexts: Vec<Arc<Context>>,
    current: Option<Scope>,
    /// The shell a `# hadolint shell=` pragma before the first FROM names: the default of
    /// every stage built on an image.
    default_shell: Option<Vec<String>>,
    /// The program of the last shell a RUN ran with and its dialect: a file's shell seldom
    /// changes, and telling the dialect copies the program name. Only the program decides
    /// the dialect, so only it is compared (not the shell's options, for every RUN).
    last_dialect: Option<(String, Dialect)>,
    /// The index of the current stage's assignment list (started anew with each stage).
    assigned_index: AssignedIndex,
}

pub fn build(dockerfile: &Dockerfile, options: &Options, catalog: &Catalog) -> Model {
    let mut builder = Builder {
        dockerfile,
        index: &dockerfile.lines,
        options,
        catalog,
        meta: Scope::default(),
        meta_declared: BTreeSet::new(),
        stages: Vec::new(),
        first_stage_named: HashMap::new(),
        final_contexts: Vec::new(),
        current: None,
        default_shell: None,
        last_dialect: None,
        assigned_index: Default::default(),
    };
    for (item_index, item) in dockerfile.items.iter().enumerate() {
        match item {
            Item::Instruction(instruction) => builder.instruction(item_index, instruction),
            Item::Comment(comment) => builder.comment(dockerfile.text(comment.text_span)),
            _ => {}
        }
    }
    builder.finish()
}

impl Builder<'_> {
    fn override_of(&self, name: &str) -> Option<&String> {
        self.options
            .build_args
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    fn instruction(&mut self, item_index: usize, instruction: &Instruction) {
        match (instruction.kind, self.current.is_some()) {
            (Keyword::From, _) => self.start_stage(item_index, instruction),
            (Keyword::Arg, false) => self.meta_arg(instruction),
            (_, false) if self.options.implicit_stage => {
                self.start_implicit_stage(item_index, instruction);
                self.stage_instruction(item_index, instruction);
            }
            // BuildKit rejects other instructions before the first FROM; nothing to model.
            (_, false) => {}
            (_, true) => self.stage_instruction(item_index, instruction),
        }
    }

    /// A `# hadolint shell=` pragma sets the shell like a SHELL instruction would.
    fn comment(&mut self, text: &str) {
        let Some(shell) = shell_pragma::parse(text) else {
            return;
        };
        let argv = shell_pragma::shell_argv(shell);
        match &mut self.current {
            Some(scope) => scope.context_mut().shell = argv,
            None => self.default_shell = Some(argv),
        }
    }

    fn meta_arg(&mut self, instruction: &Instruction) {
        for (name, default) in arg_declarations(instruction) {
            self.meta_declared.insert(name.to_string());
            let value = match (self.override_of(name), default) {
                (Some(value), _) => Some(value.clone()),
                (None, Some(default)) => Some(self.meta.expand(default, self.dockerfile.escape)),
                (None, None) => None,
            };
            if let Some(value) = value {
                self.meta.args.insert(name.to_string(), value);
            }
        }
    }

    fn expand_in_from(&self, word: &str) -> (String, Vec<String>) {
        let lexer = Lexer {
            platform: Platform::Unix,
            ..Lexer::new(self.dockerfile.escape)
        };
        let env = FromEnv {
            meta_args: &self.meta.args,
        };
        match lexer.process_word_with_matches(word, &env) {
            Ok(expansion) => {
                let undefined = expansion
                    .unmatched
                    .into_iter()
                    .filter(|name| !self.meta_declared.contains(name))
                    .collect();
                (expansion.value, undefined)
            }
            Err(_) => (word.to_string(), Vec::new()),
        }
    }

    fn finish_stage(&mut self) {
        if let Some(scope) = self.current.take() {
            self.final_contexts.push(scope.context);
        }
    }

    /// Stage 0 for the instructions before the first FROM: an unknown base, the default
    /// scope (with a `# hadolint shell=` pragma's shell).
    fn start_implicit_stage(&mut self, item_index: usize, first: &Instruction) {
        let mut scope = Scope::new();
        if let Some(shell) = &self.default_shell {
            scope.context_mut().shell = shell.clone();
        }
        // The ARGs before a fragment's first instruction are visible to it (it has no FROM
        // that would leave them behind): the stage starts with their values.
        let mut env = default_env();
        env.extend(self.meta.args.clone());
        let span = crate::syntax::Span::empty(first.span.start);
        let line = self.index.line(first.span.start);
        self.push_stage(
            None,
            Base::new(String::new(), "", None, Vec::new()),
            None,
            (line, span),
            (scope, env),
        );
        self.reserve_instructions(item_index);
        self.stages[0].implicit = true;
    }

    fn push_stage(
        &mut self,
        name: Option<String>,
        base: Base,
        platform: Option<String>,
        (line, span): (usize, crate::syntax::Span),
        (scope, initial_env): (Scope, BTreeMap<String, String>),
    ) {
        let image = (base.stage.is_none() && !base.raw.is_empty())
            .then(|| {
                self.catalog.image(
                    base.registry.as_deref(),
                    base.short_repository(),
                    base.tag.as_deref(),
                )
            })
            .flatten();
        self.assigned_index = AssignedIndex::default();
        if let Some(name) = &name {
            self.first_stage_named
                .entry(name.clone())
                .or_insert(self.stages.len());
        }
        self.stages.push(Stage {
            name,
            index: self.stages.len(),
            base,
            image,
            platform,
            shipped: false,
            line,
            implicit: false,
            span,
            copies_from: Vec::new(),
            initial_env,
            assignments: Vec::new(),
            instructions: Vec::new(),
            // Set by `finish` from the stage's last scope.
            final_context: Context::default(),
        });
        self.current = Some(scope);
    }

    /// 1 when stage 0 is the implicit one: stage numbers as written (`COPY --from=0`) count
    /// the FROM stages only.
    fn implicit_offset(&self) -> usize {
        usize::from(self.stages.first().is_some_and(|stage| stage.implicit))
    }

    fn start_stage(&mut self, item_index: usize, instruction: &Instruction) {
        self.finish_stage();
        let words: &[crate::syntax::Token] = match &instruction.arguments {
            Arguments::Words(words) => words,
            _ => &[],
        };
        let written = words.first().map_or("", |word| word.text.as_str());
        let (raw, undefined) = self.expand_in_from(written);
        let name = match words {
            [_, as_word, name] if as_word.text.eq_ignore_ascii_case("as") => {
                Some(name.text.to_lowercase())
            }
            _ => None,
        };
        let base_stage = self.first_stage_named.get(&raw.to_lowercase()).copied();
        let platform = instruction
            .flags
            .iter()
            .find(|flag| flag.name == "platform")
            .and_then(|flag| flag.value.as_deref())
            .map(|value| self.expand_in_from(value).0);
        let scope_and_env = match base_stage {
            // ARGs do not carry over to a stage built FROM another one.
            Some(base) => (
                Scope {
                    context: Arc::clone(&self.final_contexts[base]),
                    args: Default::default(),
                },
                self.stages[base].env_at(self.stages[base].instructions.len()),
            ),
            None => {
                let mut scope = Scope::new();
                if let Some(shell) = &self.default_shell {
                    scope.context_mut().shell = shell.clone();
                }
                (scope, default_env())
            }
        };
        let base = Base::new(raw, written, base_stage, undefined);
        let line = self.index.line(instruction.span.start);
        self.push_stage(
            name,
            base,
            platform,
            (line, instruction.span),
            scope_and_env,
        );
        self.reserve_instructions(item_index + 1);
    }

    /// Sizes the new stage's instruction list for the instructions from item `first` up to
    /// the next FROM: the list (of large elements) is allocated once, not regrown.
    fn reserve_instructions(&mut self, first: usize) {
        let count = self.dockerfile.items[first..]
            .iter()
            .filter_map(|item| match item {
                Item::Instruction(instruction) => Some(instruction.kind),
                _ => None,
            })
            .take_while(|kind| *kind != Keyword::From)
            .count();
        if let Some(stage) = self.stages.last_mut() {
            stage.instructions.reserve_exact(count);
        }
    }

    fn stage_instruction(&mut self, item_index: usize, instruction: &Instruction) {
        let mut scope = self
            .current
            .take()
            .expect("instructions after FROM have a scope");
        let shell = &scope.context.shell;
        let run = run::analyze(self.dockerfile, instruction, shell, || self.dialect(shell));
        let packages = if instruction.kind == Keyword::Run {
            packages::extract(
                &run.commands,
                self.catalog,
                &self.dockerfile.source,
                self.index,
            )
        } else {
            Default::default()
        };
        let stage_index = self.stages.len() - 1;
        self.record_edges(stage_index, instruction);
        let position = self
            .index
            .position(&self.dockerfile.source, instruction.keyword.span.start);
        let layer = layers::instruction_layer(instruction, &run, &packages);
        let commands = if self.options.command_views {
            run.command_views(&self.dockerfile.source, self.index)
        } else {
            Vec::new()
        };
        let script_error = run.error_view(&self.dockerfile.source, self.index);
        // Taken apart: its lists move into the model whole, with nothing left to drop.
        let run::RunAnalysis {
            commands: script,
            variables,
            interpreter,
            error: _,
        } = run;
        let instructions = &mut self.stages[stage_index].instructions;
        let instruction_index = instructions.len();
        // Built in its place in the list: the large model is not moved again.
        instructions.push(InstructionModel {
            line: position.line,
            column: position.column,
            keyword: KeywordName::new(instruction.kind, &instruction.keyword.text),
            layer,
            context: Arc::clone(&scope.context),
            commands,
            script_error,
            interpreter,
            packages: packages.packages,
            invocations: packages.invocations,
            script,
            variables,
            item: item_index,
            span: instruction.span,
            kept: Default::default(),
        });
        let model = &mut instructions[instruction_index];
        model.kept = packages::kept_indices(model);
        // Most instructions (RUN, COPY) change no scope: the stage's list and its index are
        // not moved out and back for them.
        if changes_scope(instruction.kind) {
            self.apply_in_stage(instruction, &mut scope, stage_index, instruction_index);
        }
        self.current = Some(scope);
    }

    /// [`apply`](Self::apply) to the stage's own assignment list and index, filled in place
    /// rather than from a list made (and dropped) for each instruction.
    fn apply_in_stage(
        &mut self,
        instruction: &Instruction,
        scope: &mut Scope,
        stage_index: usize,
        instruction_index: usize,
    ) {
        let escape = self.dockerfile.escape;
        let mut assignments = std::mem::take(&mut self.stages[stage_index].assignments);
        let mut index = std::mem::take(&mut self.assigned_index);
        self.apply(
            instruction,
            scope,
            escape,
            instruction_index,
            &mut assignments,
            &mut index,
        );
        self.stages[stage_index].assignments = assignments;
        self.assigned_index = index;
    }

    /// The dialect of `shell`, told again only when its program changed.
    fn dialect(&mut self, shell: &[String]) -> Dialect {
        let Some(program) = shell.first() else {
            return shell::dialect(shell);
        };
        match &self.last_dialect {
            Some((last, dialect)) if last == program => *dialect,
            _ => {
                let dialect = shell::dialect(shell);
                self.last_dialect = Some((program.clone(), dialect));
                dialect
            }
        }
    }

    /// Runs `instruction` (number `instruction_index` of its stage) on the scope; appends the
    /// ENV and ARG values it set to `set`.
    fn apply(
        &self,
        instruction: &Instruction,
        scope: &mut Scope,
        escape: char,
        instruction_index: usize,
        set: &mut Vec<Assignment>,
        index: &mut AssignedIndex,
    ) {
        let assignment = |kind, name, value| Assignment {
            instruction: instruction_index,
            kind,
            name,
            value,
        };
        // The ENV the current (last) stage started with; `set` holds what it assigned since,
        // and the index what was set before this instruction.
        let env = &self
            .stages
            .last()
            .expect("instructions after FROM have a stage")
            .initial_env;
        index.follow(set);
        match (&instruction.kind, &instruction.arguments) {
            (Keyword::Env, Arguments::KeyValues(pairs)) => {
                let first_new = set.len();
                // Every pair sees the values from before the instruction.
                for pair in pairs {
                    let before = &set[..first_new];
                    let key = scope.expand_after(&pair.key.text, escape, env, before, index);
                    // The legacy `ENV name value` form is expanded too: BuildKit runs every
                    // ENV value through the word expander, which removes quotes.
                    let value = scope.expand_after(&pair.value.text, escape, env, before, index);
                    set.push(assignment(AssignmentKind::Env, key, value));
                }
            }
            (Keyword::Arg, _) => {
                for (name, default) in arg_declarations(instruction) {
                    let value = match (self.override_of(name), default) {
                        (Some(value), _) => Some(value.clone()),
                        (None, Some(default)) => {
                            // A declaration sees the ones before it in the instruction.
                            index.follow(set);
                            Some(scope.expand_after(default, escape, env, set, index))
                        }
                        (None, None) => self
                            .meta
                            .args
                            .get(name)
                            .cloned()
                            .or_else(|| builtin(name).map(str::to_owned)),
                    };
                    if let Some(value) = value {
                        set.push(assignment(AssignmentKind::Arg, name.to_string(), value));
                    }
                }
            }
            (Keyword::Workdir, Arguments::Text(path)) => {
                let path = scope.expand_after(&path.text, escape, env, set, index);
                scope.set_workdir(&path);
            }
            (Keyword::User, Arguments::Text(user)) => {
                scope.context_mut().user =
                    Some(scope.expand_after(&user.text, escape, env, set, index))
            }
            (Keyword::Shell, Arguments::Exec(argv)) if !argv.is_empty() => {
                scope.context_mut().shell = argv.iter().map(|token| token.text.clone()).collect();
            }
            _ => {}
        }
    }

    fn record_edges(&mut self, stage_index: usize, instruction: &Instruction) {
        for flag in &instruction.flags {
            let from = match (instruction.kind, flag.name.as_str(), flag.value.as_deref()) {
                (Keyword::Copy, "from", Some(value)) => Some(value),
                (Keyword::Run, "mount", Some(value)) => mount_from(value),
                _ => None,
            };
            let Some(from) = from else { continue };
            let offset = self.implicit_offset();
            // The implicit stage has no name: every named stage is at `offset` or later.
            let first_named = |name: &str| {
                self.first_stage_named
                    .get(name)
                    .map(|&index| index - offset)
            };
            let source = match resolve_source(from, first_named, stage_index.saturating_sub(offset))
            {
                Source::Stage { index } => Source::Stage {
                    index: index + offset,
                },
                image => image,
            };
            let line = self.index.line(flag.span.start);
            self.stages[stage_index].copies_from.push(CopyEdge {
                source,
                line,
                span: flag.span,
            });
        }
    }

    fn finish(mut self) -> Model {
        self.finish_stage();
        // Every stage has its last context here (`finish_stage` keeps one per stage pushed).
        // It is moved out when no instruction shares it.
        for (stage, context) in self.stages.iter_mut().zip(self.final_contexts.drain(..)) {
            stage.final_context = Arc::unwrap_or_clone(context);
        }
        let (target, target_error) = match &self.options.target {
            Some(name) => {
                let lower = name.to_lowercase();
                match self
                    .stages
                    .iter()
                    .position(|stage| stage.name.as_deref() == Some(lower.as_str()))
                {
                    Some(index) => (Some(index), None),
                    None => (
                        self.stages.len().checked_sub(1),
                        Some(format!("target stage {name:?} could not be found")),
                    ),
                }
            }
            None => (self.stages.len().checked_sub(1), None),
        };
        if let Some(target) = target {
            let bases: Vec<Option<usize>> =
                self.stages.iter().map(|stage| stage.base.stage).collect();
            for (stage, shipped) in self.stages.iter_mut().zip(shipped_stages(&bases, target)) {
                stage.shipped = shipped;
            }
        }
        Model {
            meta_args: self.meta.args,
            stages: self.stages,
            target,
            target_error,
        }
    }
}

/// Whether [`Builder::apply`] may change the scope or the stage's assignments: ENV, ARG,
/// WORKDIR, USER and SHELL do; the other instructions leave them as they were.
fn changes_scope(kind: Keyword) -> bool {
    matches!(
        kind,
        Keyword::Env | Keyword::Arg | Keyword::Workdir | Keyword::User | Keyword::Shell
    )
}

/// The environment FROM is expanded with: the meta ARGs, else the built-in ARGs (looked up
/// where they are, not copied for every FROM).
struct FromEnv<'a> {
    meta_args: &'a BTreeMap<String, String>,
}

impl Env for FromEnv<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        match self.meta_args.get(name) {
            Some(value) => Some(value),
            None => builtin(name),
        }
    }
}

/// The value of a built-in ARG (`TARGETOS`, …).
fn builtin(name: &str) -> Option<&'static str> {
    BUILTIN_ARGS
        .iter()
        .find(|(key, _)| *key == name)
        .map(|(_, value)| *value)
}

/// `ARG a b=2`: each declared name with its default as written, borrowed from the words.
fn arg_declarations(instruction: &Instruction) -> impl Iterator<Item = (&str, Option<&str>)> {
    let words: &[crate::syntax::Token] = match &instruction.arguments {
        Arguments::Words(words) => words,
        _ => &[],
    };
    words.iter().map(|word| match word.text.split_once('=') {
        Some((name, default)) => (name, Some(default)),
        None => (word.text.as_str(), None),
    })
}

/// The `from=` of a `--mount` CSV value.
fn mount_from(value: &str) -> Option<&str> {
    value
        .split(',')
        .filter_map(|field| field.split_once('='))
        .find(|(key, _)| key.trim() == "from")
        .map(|(_, from)| from.trim())
}
