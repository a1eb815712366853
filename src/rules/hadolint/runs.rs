//! The RUN scripts the hadolint rules read: every RUN of every stage with its parsed commands,
//! and on request the triggers of `ONBUILD RUN` (parsed here, as the model does not).

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use foldhash::fast::FixedState;

use crate::model::{InstructionModel, Package, Stage};
use crate::rules::security::{RunCommandAt, script_may_hold_equals};
use crate::rules::{Applicability, Edit, Fix, LintContext};
use crate::shell::{self, Command, Variable};
use crate::syntax::{Arguments, Instruction, Keyword, Span};

use super::commands::{editable, program};

/// One RUN script: a RUN instruction, or the trigger of an `ONBUILD RUN`.
pub struct Run<'a> {
    pub stage: &'a Stage,
    /// Index of the instruction in the stage.
    pub index: usize,
    /// The RUN instruction, or the ONBUILD trigger.
    pub syntax: &'a Instruction,
    /// The modelled instruction (the ONBUILD one for a trigger).
    pub model: &'a InstructionModel,
    /// The commands the script runs, with Dockerfile spans.
    pub commands: &'a [Command],
    /// The shell variables the script sets (for operands such as `$buildDeps`).
    pub variables: &'a [Variable],
    pub onbuild: bool,
    /// The script parsed as shell: only then may a fix edit it (a script that does not parse
    /// is opaque past its error, so no edit can be shown to keep its meaning).
    pub parsed: bool,
    /// Its position in what [`runs`] returns: its key in `programs`.
    ordinal: usize,
    /// The file's commands by program, shared by every rule (see [`ProgramIndex`]).
    programs: Option<&'a ProgramIndex>,
}

/// Which program each command of the file runs, as a key of its name, with its position (run
/// ordinal, command index), in script order, and the commands of each key chained in order.
/// Built once per file: most rules ask for the commands of one program or two (apt-get, apk,
/// yum...), which most RUNs do not run, and reading every command's program in every rule cost
/// more than the rules' own work. The map holds integer keys (made without hashing the name)
/// and the chains live in one list: no allocation per program.
#[derive(Default)]
pub struct ProgramIndex {
    /// Where each script is, in the order [`runs`] returns them.
    runs: Vec<RunAt>,
    /// Every command of every script, in order.
    commands: Vec<ProgramAt>,
    /// Where the commands of each script start in `commands`, and (last) where they end.
    run_starts: Vec<u32>,
    /// For each key, the first and last of its commands in `commands`.
    chains: HashMap<u64, (u32, u32), FixedState>,
    /// For each script, what its commands hold that rules look for beyond their programs.
    shapes: Vec<ScriptShape>,
    /// Every command of every RUN (not the triggers), as the security rules read them: found
    /// in the same pass over the commands.
    run_commands: Vec<RunCommandAt>,
}

/// What some command of a script holds: read once per file with the programs, so that a rule
/// looking for it passes over the scripts without it (most) without reading their commands.
#[derive(Clone, Copy)]
struct ScriptShape {
    /// A command runs through a wrapper (`sudo`, `env`, ...): the keys are of the programs
    /// seen through, not of the wrappers.
    wrapped: bool,
    /// A command is in a pipeline of the script itself (not inside `sh -c '…'`).
    piped: bool,
}

/// One command in [`ProgramIndex::commands`].
#[derive(Clone, Copy)]
struct ProgramAt {
    /// [`program_key`] of its program's name.
    key: u64,
    run: u32,
    command: u32,
    /// The next command with the same key, if any.
    next: Option<u32>,
}

/// A key of a program name, made without hashing its bytes: a name of up to seven bytes is its
/// bytes and length (no other name has its key: the top bit, which every longer name's key
/// has, is clear), a longer one its first and last eight bytes mixed with its length (other
/// long names may have its key).
fn program_key(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let length = bytes.len() as u64;
    match (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
        (Some(first), Some(last)) => {
            (u64::from_le_bytes(*first) ^ u64::from_le_bytes(*last).rotate_left(29) ^ length)
                | LONG_NAME
        }
        _ => {
            bytes
                .iter()
                .fold(0, |key, &byte| key << 8 | u64::from(byte))
                | length << 56
        }
    }
}

/// The bit of [`program_key`] that marks a name of eight bytes or more.
const LONG_NAME: u64 = 1 << 63;

/// Whether `name`'s key is no other name's (see [`program_key`]): its commands need no check.
fn key_is_exact(name: &str) -> bool {
    name.len() < 8
}

impl ProgramIndex {
    fn new(context: &LintContext<'_>) -> ProgramIndex {
        let runs = run_positions(context);
        let commands = runs
            .iter()
            .map(|&at| script_commands(context, at).len())
            .sum();
        let mut index = ProgramIndex {
            run_starts: Vec::with_capacity(runs.len() + 1),
            shapes: Vec::with_capacity(runs.len()),
            runs,
            commands: Vec::with_capacity(commands),
            run_commands: Vec::with_capacity(commands),
            // Room for a file's usual few dozen programs at once.
            chains: HashMap::with_capacity_and_hasher(32, FixedState::default()),
        };
        for (ordinal, &at) in index.runs.iter().enumerate() {
            index.run_starts.push(index_u32(index.commands.len()));
            let commands = script_commands(context, at);
            index.shapes.push(ScriptShape {
                wrapped: commands.iter().any(|command| !command.wrappers.is_empty()),
                piped: commands
                    .iter()
                    .any(|command| command.context.in_pipeline && !command.context.nested_shell),
            });
            // A RUN's (not a trigger's) commands are the security rules' too.
            let may_hold_equals = at.trigger.is_none().then(|| {
                let model = &context.model.stages[at.stage].instructions[at.index];
                script_may_hold_equals(context.syntax(model))
            });
            for (position, command) in commands.iter().enumerate() {
                let here = index_u32(index.commands.len());
                let name = program(command);
                let key = program_key(name);
                index.commands.push(ProgramAt {
                    key,
                    run: index_u32(ordinal),
                    command: index_u32(position),
                    next: None,
                });
                if let Some(may_hold_equals) = may_hold_equals {
                    index.run_commands.push(RunCommandAt::new(
                        at.stage,
                        at.index,
                        position,
                        command,
                        name,
                        may_hold_equals,
                    ));
                }
                match index.chains.entry(key) {
                    Entry::Occupied(mut chain) => {
                        let (_, last) = chain.get_mut();
                        index.commands[*last as usize].next = Some(here);
                        *last = here;
                    }
                    Entry::Vacant(chain) => {
                        chain.insert((here, here));
                    }
                }
            }
        }
        index.run_starts.push(index_u32(index.commands.len()));
        index
    }

    /// The commands whose program's key is `name`'s, in order: the caller checks the program.
    fn chain(&self, name: &str) -> impl Iterator<Item = &ProgramAt> {
        let mut next = self.chains.get(&program_key(name)).map(|&(first, _)| first);
        std::iter::from_fn(move || {
            let entry = &self.commands[next? as usize];
            next = entry.next;
            Some(entry)
        })
    }

    /// The run ordinals of the commands that run `name`, in order (one for each such command).
    fn runs_of<'i, 'n>(
        &'i self,
        context: &'i LintContext<'i>,
        name: &'n str,
    ) -> impl Iterator<Item = usize> + use<'i, 'n> {
        self.chain(name)
            .filter(move |entry| self.runs_program(context, entry, name))
            .map(|entry| entry.run as usize)
    }

    /// The commands of run `ordinal` (whose script is `commands`) that run `name`, in order:
    /// read from the run's own commands (a chain would be read from its start for every run).
    fn commands<'i, 'n, 'c>(
        &'i self,
        name: &'n str,
        ordinal: usize,
        commands: &'c [Command],
    ) -> impl Iterator<Item = &'c Command> + use<'i, 'n, 'c> {
        let key = program_key(name);
        let start = self.run_starts[ordinal] as usize;
        let end = self.run_starts[ordinal + 1] as usize;
        self.commands[start..end]
            .iter()
            .filter(move |entry| entry.key == key)
            .map(move |entry| &commands[entry.command as usize])
            .filter(move |command| key_is_exact(name) || program(command) == name)
    }

    /// Whether the command of `entry` runs `name`: its key may be another name's.
    fn runs_program(&self, context: &LintContext<'_>, entry: &ProgramAt, name: &str) -> bool {
        if key_is_exact(name) {
            return true;
        }
        let commands = script_commands(context, self.runs[entry.run as usize]);
        program(&commands[entry.command as usize]) == name
    }
}

/// A position in a file's scripts as the index keeps it: no file has four billion commands.
fn index_u32(index: usize) -> u32 {
    u32::try_from(index).expect("fewer than 2^32 scripts and commands")
}

impl<'a> Run<'a> {
    /// The value of `name` the RUN sees from ENV or an ARG value
    /// ([`Stage::variable_before`]).
    pub fn stage_value(&self, name: &str) -> Option<&'a str> {
        self.stage.variable_before(self.index, name)
    }

    /// Whether shell-level fixes may edit this script.
    pub fn parses(&self) -> bool {
        self.parsed
    }

    /// Whether a word of `command` can be edited in place (see [`editable`]) in a script that
    /// parses.
    pub fn editable(&self, command: &Command) -> bool {
        self.parsed && editable(self.syntax, command)
    }

    /// A safe fix running `command` after the script (appending ` && command`), when the
    /// script can take it (see [`Run::append`]).
    pub fn append_fix(&self, escape: char, command: &str) -> Option<Fix> {
        self.append(escape, &crate::rules::message(&[" && ", command]))
            .map(|edit| Fix {
                message: crate::rules::message(&["Append `&& ", command, "`"]),
                applicability: Applicability::Safe,
                edits: vec![edit],
            })
    }

    /// An edit appending `text` (` && rm -rf …`) to the script, when that runs it last: a
    /// shell-form RUN without heredocs or comments whose script ends with a plain command
    /// (not in the background, not inside `sh -c`, no trailing `;`, `&`, `|`, `\`, `(`,
    /// `{`, backquote or escape character).
    pub fn append(&self, escape: char, text: &str) -> Option<Edit> {
        let Arguments::Shell(token) = &self.syntax.arguments else {
            return None;
        };
        let last = self.commands.last()?;
        if !self.parsed
            || !self.syntax.heredocs.is_empty()
            || token.text.contains('#')
            || last.context.background
            || last.context.nested_shell
        {
            return None;
        }
        let trimmed = token.text.trim_end();
        if trimmed.is_empty() || trimmed.ends_with([';', '&', '|', '\\', '(', '{', '`', escape]) {
            return None;
        }
        let map = self.syntax.token_map(token)?;
        Some(Edit {
            span: Span::empty(map.span(0, trimmed.len()).end),
            replacement: text.to_string(),
        })
    }

    /// The packages the script installs or removes: the model's for a RUN, read from the
    /// trigger's script for an `ONBUILD RUN`.
    pub fn packages(&self, context: &LintContext<'_>) -> Cow<'_, [Package]> {
        if !self.onbuild {
            return Cow::Borrowed(&self.model.packages);
        }
        Cow::Owned(crate::model::script_packages(
            self.commands,
            context.catalog,
            &context.dockerfile.source,
            context.index,
        ))
    }

    /// The script's first command that runs `name`, found without collecting the others.
    pub fn first_command_of(&self, name: &str) -> Option<&Command> {
        match self.programs {
            Some(index) => index.commands(name, self.ordinal, self.commands).next(),
            None => self
                .commands
                .iter()
                .find(|command| program(command) == name),
        }
    }

    /// The commands of the script that run one of `programs`, in order. For one program (what
    /// most rules ask) they are read from the index as they are iterated, without a list.
    pub fn commands_of<'p>(
        &self,
        programs: &[&'p str],
    ) -> impl Iterator<Item = &'a Command> + use<'a, 'p> {
        let (indexed, listed) = match (self.programs, programs) {
            (Some(index), &[name]) => (
                Some(index.commands(name, self.ordinal, self.commands)),
                Vec::new(),
            ),
            _ => (None, self.list_commands_of(programs)),
        };
        indexed.into_iter().flatten().chain(listed)
    }

    /// [`Run::commands_of`] collected, for several programs or a script read without the index.
    fn list_commands_of(&self, programs: &[&str]) -> Vec<&'a Command> {
        let Some(index) = self.programs else {
            return self
                .commands
                .iter()
                .filter(|command| programs.contains(&program(command)))
                .collect();
        };
        let mut found = Vec::new();
        for name in programs {
            found.extend(index.commands(name, self.ordinal, self.commands));
        }
        if programs.len() > 1 {
            // Back in script order: the commands are elements of one slice.
            found.sort_unstable_by_key(|command| std::ptr::from_ref::<Command>(command));
            found.dedup_by(|a, b| std::ptr::eq(*a, *b));
        }
        found
    }
}

/// Every RUN of every stage, in order, with the `ONBUILD RUN` triggers (parsed as POSIX sh
/// when the stage's shell is one) among them (a rule that wants plain RUNs skips those with
/// `onbuild`). The triggers are parsed once per file, on the first call. Each is made as it
/// is read (most rules pass over most RUNs): collect them to keep them.
pub fn runs<'c>(context: &'c LintContext<'_>) -> impl Iterator<Item = Run<'c>> {
    runs_where(context, |_| true)
}

/// The scripts of [`runs`] whose RUN's model passes `may_report`, in order, with every
/// `ONBUILD RUN` trigger (its model is the ONBUILD's, which holds none of the trigger's
/// commands or packages): a rule that can tell from the model's commands or packages that a
/// RUN has nothing for it (most RUNs) skips making its [`Run`].
pub fn runs_where<'c>(
    context: &'c LintContext<'_>,
    may_report: impl Fn(&InstructionModel) -> bool + 'c,
) -> impl Iterator<Item = Run<'c>> {
    runs_kept(context, move |index, ordinal| {
        let at = index.runs[ordinal];
        at.trigger.is_some() || may_report(&context.model.stages[at.stage].instructions[at.index])
    })
}

/// The file's [`ProgramIndex`], built by the first rule that asks.
fn program_index<'c>(context: &'c LintContext<'_>) -> &'c ProgramIndex {
    context
        .program_index
        .get_or_init(|| ProgramIndex::new(context))
}

/// Where every command of every RUN of the file is, in order, for the security rules (see
/// [`crate::rules::security::run_commands`]).
pub(crate) fn run_commands_at<'c>(context: &'c LintContext<'_>) -> &'c [RunCommandAt] {
    &program_index(context).run_commands
}

/// The scripts of [`runs`] whose ordinal `keep` keeps (told from the index), in order: only
/// those are made into a [`Run`].
fn runs_kept<'c>(
    context: &'c LintContext<'_>,
    keep: impl Fn(&ProgramIndex, usize) -> bool,
) -> impl Iterator<Item = Run<'c>> {
    let index = program_index(context);
    (0..index.runs.len())
        .filter(move |&ordinal| keep(index, ordinal))
        .map(move |ordinal| run_at(context, index.runs[ordinal], ordinal, Some(index)))
}

/// The scripts of [`runs_where`] whose RUN's model installs packages with `manager`.
pub fn runs_installing_with<'c>(
    context: &'c LintContext<'_>,
    manager: &'static str,
) -> impl Iterator<Item = Run<'c>> {
    runs_where(context, move |model| {
        model
            .packages
            .iter()
            .any(|package| package.manager == manager)
    })
}

/// The scripts of [`runs`] that run one of `programs`, in order: a rule about one package
/// manager reads only those (most RUNs of most files run none of its programs).
pub fn runs_running<'c, 'p>(
    context: &'c LintContext<'_>,
    programs: &[&'p str],
) -> impl Iterator<Item = Run<'c>> + use<'c, 'p> {
    let index = program_index(context);
    // One program (what most rules ask): its runs are in order already, and are read as they
    // are iterated; several: their runs are collected and sorted.
    let (indexed, listed) = match programs {
        &[name] => (Some(index.runs_of(context, name)), Vec::new()),
        _ => {
            let mut ordinals: Vec<usize> = programs
                .iter()
                .flat_map(|name| index.runs_of(context, name))
                .collect();
            ordinals.sort_unstable();
            ordinals.dedup();
            (None, ordinals)
        }
    };
    let mut previous = None;
    indexed
        .into_iter()
        .flatten()
        // A run with several commands of the program is read once.
        .filter(move |&run| previous.replace(run) != Some(run))
        .chain(listed)
        .map(move |ordinal| run_at(context, index.runs[ordinal], ordinal, Some(index)))
}

/// The scripts of [`runs`] that run `name` as a command or run a command through a wrapper
/// (which may be `name`: the index keeps the programs seen through, not the wrappers), in
/// order: for a rule about a program that may wrap others.
pub fn runs_running_or_wrapping<'c>(
    context: &'c LintContext<'_>,
    name: &str,
) -> impl Iterator<Item = Run<'c>> {
    let key = program_key(name);
    runs_kept(context, move |index, ordinal| {
        let start = index.run_starts[ordinal] as usize;
        let end = index.run_starts[ordinal + 1] as usize;
        index.shapes[ordinal].wrapped
            || index.commands[start..end]
                .iter()
                .any(|entry| entry.key == key && index.runs_program(context, entry, name))
    })
}

/// The scripts of [`runs`] with a pipeline of their own (a command in a pipeline, not inside
/// `sh -c '…'`), in order.
pub fn runs_with_pipelines<'c>(context: &'c LintContext<'_>) -> impl Iterator<Item = Run<'c>> {
    runs_kept(context, |index, ordinal| index.shapes[ordinal].piped)
}

/// Where a RUN script is: its stage and instruction, and for an `ONBUILD RUN` the trigger's
/// script (in [`LintContext::trigger_scripts`]).
#[derive(Clone, Copy)]
struct RunAt {
    stage: usize,
    index: usize,
    trigger: Option<usize>,
}

/// Where every script [`runs`] returns is, in order: found once per file, as most rules ask.
/// The `ONBUILD RUN` triggers are parsed in the same pass over the instructions, and kept in
/// [`LintContext::trigger_scripts`] (where the runs borrow their commands).
fn run_positions(context: &LintContext<'_>) -> Vec<RunAt> {
    let mut scripts = Vec::new();
    let mut found = Vec::new();
    for instruction in context.stage_instructions_of_any([Keyword::Run, Keyword::Onbuild]) {
        let at = |trigger| RunAt {
            stage: instruction.stage.index,
            index: instruction.index,
            trigger,
        };
        match (&instruction.syntax.kind, &instruction.syntax.arguments) {
            (Keyword::Run, _) => found.push(at(None)),
            (Keyword::Onbuild, Arguments::Onbuild(trigger)) if trigger.kind == Keyword::Run => {
                let script = trigger_script(trigger, &instruction.model.context.shell);
                if script.is_some() {
                    found.push(at(Some(scripts.len())));
                }
                scripts.push(script);
            }
            _ => {}
        }
    }
    context.trigger_scripts.get_or_init(|| scripts);
    found
}

/// The script at `at`, the `ordinal`-th of [`runs`].
fn run_at<'c>(
    context: &'c LintContext<'_>,
    at: RunAt,
    ordinal: usize,
    programs: Option<&'c ProgramIndex>,
) -> Run<'c> {
    let stage = &context.model.stages[at.stage];
    let model = &stage.instructions[at.index];
    let syntax = context.syntax(model);
    let trigger = at.trigger.and_then(|trigger| {
        let script = context.trigger_scripts.get()?.get(trigger)?.as_ref()?;
        match &syntax.arguments {
            Arguments::Onbuild(instruction) => Some((instruction.as_ref(), script)),
            _ => None,
        }
    });
    match trigger {
        Some((trigger, script)) => Run {
            stage,
            index: at.index,
            syntax: trigger,
            model,
            parsed: !script.is_opaque(),
            commands: &script.commands,
            variables: &script.variables,
            onbuild: true,
            ordinal,
            programs,
        },
        None => Run {
            stage,
            index: at.index,
            syntax,
            model,
            commands: &model.script,
            variables: &model.variables,
            onbuild: false,
            parsed: model.script_error.is_none(),
            ordinal,
            programs,
        },
    }
}

/// The commands of the script at `at` (what [`run_at`] reads, without the rest).
fn script_commands<'c>(context: &'c LintContext<'_>, at: RunAt) -> &'c [Command] {
    let trigger = at
        .trigger
        .and_then(|trigger| context.trigger_scripts.get()?.get(trigger)?.as_ref());
    match trigger {
        Some(script) => &script.commands,
        None => &context.model.stages[at.stage].instructions[at.index].script,
    }
}

/// The parsed script of an `ONBUILD RUN` trigger.
fn trigger_script(trigger: &Instruction, shell_argv: &[String]) -> Option<shell::Script> {
    match &trigger.arguments {
        Arguments::Exec(argv) => {
            let argv: Vec<(String, Span)> = argv
                .iter()
                .map(|token| (token.text.clone(), token.span))
                .collect();
            Some(shell::from_argv(&argv))
        }
        Arguments::Shell(token) if trigger.heredocs.is_empty() => {
            if shell::dialect(shell_argv) != shell::Dialect::Posix {
                return None;
            }
            let map = trigger.token_map(token)?;
            Some(shell::parse(&token.text, &map))
        }
        _ => None,
    }
}

/// The targets of a RUN's `--mount=type=cache` and `--mount=type=tmpfs` flags, without a
/// trailing `/`: what the RUN writes there stays out of the layer.
pub fn cache_mount_targets(syntax: &Instruction) -> Vec<&str> {
    syntax
        .flags
        .iter()
        .filter(|flag| flag.name.eq_ignore_ascii_case("mount"))
        .filter_map(|flag| flag.value.as_deref())
        .filter_map(|value| {
            let mut kind = "bind";
            let mut target = None;
            for field in value.split(',') {
                let (key, field_value) = field.split_once('=').unwrap_or((field, ""));
                match key.trim().to_ascii_lowercase().as_str() {
                    "type" => kind = field_value,
                    "target" | "dst" | "destination" => {
                        target = Some(field_value.trim_end_matches('/'))
                    }
                    _ => {}
                }
            }
            target.filter(|_| matches!(kind, "cache" | "tmpfs"))
        })
        .collect()
}

/// A `RUN --mount=type=cache|tmpfs` whose target is one of `targets`.
pub fn has_cache_mount(syntax: &Instruction, targets: &[&str]) -> bool {
    cache_mount_targets(syntax).iter().any(|target| {
        targets
            .iter()
            .any(|wanted| *target == wanted.trim_end_matches('/'))
    })
}

#[cfg(test)]
mod tests {
    use super::{LONG_NAME, key_is_exact, program_key};
    use std::collections::HashMap;

    /// A name under eight bytes has a key of its own: no other short name's (every name of up
    /// to two bytes, and the programs the rules ask for), and no long name's.
    #[test]
    fn short_names_have_keys_of_their_own() {
        let mut names: Vec<String> = vec![String::new()];
        for first in 0..=u8::MAX {
            names.push(char::from(first).to_string());
            for second in [b'a', b'-', b'0', 0, 0x7f] {
                names.push(format!("{}{}", char::from(first), char::from(second)));
            }
        }
        names.extend(
            [
                "apt-get", "apk", "cd", "useradd", "zypper", "dnf", "microdnf", "wget", "a\0",
            ]
            .map(str::to_string),
        );
        let mut seen = HashMap::new();
        for name in names.iter().filter(|name| key_is_exact(name)) {
            let key = program_key(name);
            assert_eq!(key & LONG_NAME, 0, "{name:?}");
            if let Some(other) = seen.insert(key, name) {
                assert_eq!(other, name, "{name:?} and {other:?} share a key");
            }
        }
        for long in ["microdnf", "python3.11", "update-rc.d", "s6-setuidgid"] {
            assert!(!key_is_exact(long));
            assert_ne!(program_key(long) & LONG_NAME, 0, "{long}");
        }
    }
}
