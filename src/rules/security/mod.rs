//! dlayer's security rules (`SEC001`–`SEC008`): what scanners such as Trivy and Checkov and
//! hadolint's users ask for, read from the model (RUN scripts parsed as shell, stages, the
//! catalog) rather than from regular expressions over the text. One file per rule.

pub mod add_url_without_checksum;
pub mod package_signature_bypassed;
pub mod remote_script_piped_to_shell;
pub mod runs_as_root;
pub mod secret_value_in_env_arg;
pub mod sensitive_file_copied;
pub mod tls_verification_disabled;
pub mod world_writable_directory;

use crate::model::Stage;
use crate::rules::{LintContext, Rule};
use crate::shell::{Command, Word};
use crate::syntax::{Instruction, Keyword};

/// Every security rule, in code order.
pub const RULES: &[Rule] = &[
    tls_verification_disabled::RULE,
    package_signature_bypassed::RULE,
    remote_script_piped_to_shell::RULE,
    add_url_without_checksum::RULE,
    runs_as_root::RULE,
    world_writable_directory::RULE,
    sensitive_file_copied::RULE,
    secret_value_in_env_arg::RULE,
];

/// One command of a RUN script, with the RUN it is in.
pub struct RunCommand<'a> {
    pub stage: &'a Stage,
    pub run: &'a Instruction,
    pub command: &'a Command,
    /// The commands of the same script, in order (for pipelines).
    pub script: &'a [Command],
    pub position: usize,
    /// The program it runs (see [`program`]).
    pub program: &'a str,
    /// Whether an argument's text (see [`text`]) holds an `=`: every setting the rules look
    /// for in any command's words (`gpgcheck=0`, `sslverify=false`) does, most commands'
    /// words none.
    pub has_equals: bool,
}

/// Every command of every RUN of every stage. Where they are is found once per file (several
/// rules read them all).
pub fn run_commands<'c, 'a>(
    context: &'c LintContext<'a>,
) -> impl Iterator<Item = RunCommand<'a>> + 'c {
    let stages = &context.model.stages;
    context
        .run_commands
        .get_or_init(|| find_run_commands(context))
        .iter()
        .map(move |at| {
            let stage = &stages[at.stage];
            let model = &stage.instructions[at.instruction];
            let command = &model.script[at.position];
            RunCommand {
                stage,
                run: context.syntax(model),
                command,
                script: &model.script,
                position: at.position,
                program: program(command),
                has_equals: at.has_equals,
            }
        })
}

/// Where a command of a RUN is, with what [`RunCommand::has_equals`] tells of it.
pub(crate) struct RunCommandAt {
    stage: usize,
    instruction: usize,
    position: usize,
    has_equals: bool,
}

fn find_run_commands(context: &LintContext<'_>) -> Vec<RunCommandAt> {
    let commands = context
        .model
        .stages
        .iter()
        .flat_map(|stage| &stage.instructions);
    let mut found = Vec::with_capacity(commands.map(|model| model.script.len()).sum());
    for (stage_index, stage) in context.model.stages.iter().enumerate() {
        for (instruction, model) in stage.instructions.iter().enumerate() {
            if context.syntax(model).kind != Keyword::Run {
                continue;
            }
            for (position, command) in model.script.iter().enumerate() {
                found.push(RunCommandAt {
                    stage: stage_index,
                    instruction,
                    position,
                    has_equals: command
                        .args
                        .iter()
                        .any(|word| text(word).as_bytes().contains(&b'=')),
                });
            }
        }
    }
    found
}

/// The program a command runs (`/usr/bin/curl` → `curl`), "" when dynamic.
pub fn program(command: &Command) -> &str {
    command.program().unwrap_or("")
}

/// The static text of a word (its raw text when it is dynamic).
pub fn text(word: &Word) -> &str {
    word.value().unwrap_or(&word.raw)
}

/// The long option `--name` or `--name=value` of `word`, if it is one.
pub fn long_option(word: &Word) -> Option<(&str, Option<&str>)> {
    let option = text(word).strip_prefix("--")?;
    Some(match option.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (option, None),
    })
}

/// Whether `word` is a cluster of short options (`-fsSLk`) holding `flag` before any option
/// of `with_value` (whose value is the rest of the cluster).
pub fn short_flag(word: &Word, flag: char, with_value: &str) -> bool {
    let Some(cluster) = text(word).strip_prefix('-') else {
        return false;
    };
    if cluster.starts_with('-') || cluster.is_empty() {
        return false;
    }
    for c in cluster.chars() {
        if c == flag {
            return true;
        }
        if with_value.contains(c) || !c.is_ascii_alphanumeric() {
            return false;
        }
    }
    false
}

/// Whether an `=` in `word` follows (past spaces and quotes) a key ending in one of `suffixes`,
/// in any case (`sslVerify=`, `"gpgcheck" = `): read in place, at each `=` only, so that the
/// setting rules pass over most words without splitting them.
pub fn has_key_ending_in(word: &str, suffixes: &[&str]) -> bool {
    let bytes = word.as_bytes();
    memchr::memchr_iter(b'=', bytes).any(|at| {
        let key_end = bytes[..at]
            .iter()
            .rposition(|byte| !matches!(byte, b' ' | b'"' | b'\''))
            .map_or(0, |last| last + 1);
        let key = &bytes[..key_end];
        suffixes.iter().any(|suffix| {
            key.len() >= suffix.len()
                && key[key.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
        })
    })
}

/// Whether `value` means "off" to the tools that read it (`0`, `false`, `no`, `off`).
pub fn is_off(value: &str) -> bool {
    let value = value.trim_matches(['"', '\'']);
    ["0", "false", "no", "off"]
        .iter()
        .any(|off| value.eq_ignore_ascii_case(off))
}
