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
}

/// Every command of every RUN of every stage.
pub fn run_commands<'a>(context: &LintContext<'a>) -> Vec<RunCommand<'a>> {
    let commands = context
        .model
        .stages
        .iter()
        .flat_map(|stage| &stage.instructions);
    let mut found = Vec::with_capacity(commands.map(|model| model.script.len()).sum());
    for stage in &context.model.stages {
        for model in &stage.instructions {
            let run = context.syntax(model);
            if run.kind != Keyword::Run {
                continue;
            }
            for (position, command) in model.script.iter().enumerate() {
                found.push(RunCommand {
                    stage,
                    run,
                    command,
                    script: &model.script,
                    position,
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

/// Whether `value` means "off" to the tools that read it (`0`, `false`, `no`, `off`).
pub fn is_off(value: &str) -> bool {
    let value = value.trim_matches(['"', '\'']);
    ["0", "false", "no", "off"]
        .iter()
        .any(|off| value.eq_ignore_ascii_case(off))
}
