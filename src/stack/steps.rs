//! Step-level moves: a RUN whose commands partly set up sshd (its configuration, its runtime
//! directory, its host keys, passwords for ssh logins) and partly do production work is cut in
//! two at its `&&`/`;` boundaries: the sshd part goes to `dev` with sshd, the rest stays.
//!
//! Only a plain list of commands is cut: pipelines stay whole, and a RUN with `if`/`for`/`case`
//! bodies, `||`, background jobs, `sh -c` scripts or here-documents is never cut.

use crate::model::InstructionModel;
use crate::shell::Command;
use crate::syntax::{Instruction, Span};

use super::plan::{conditional_commands, one_line, remove_words};

/// A RUN cut in two: the text of each part (`RUN` with the original flags, one line) and the
/// script commands each keeps.
#[derive(Debug, Clone)]
pub struct StepSplit {
    pub kept_text: String,
    pub moved_text: String,
    pub moved_commands: Vec<usize>,
}

/// A pipeline of top-level commands: script indexes and its span.
struct Unit {
    commands: Vec<usize>,
    span: Span,
}

/// Cuts the sshd setup out of a RUN, when the RUN is a plain `&&`/`;` list with both sshd
/// setup and other commands.
pub fn cut_sshd_setup(
    source: &str,
    instruction: &Instruction,
    model: &InstructionModel,
    escape: char,
) -> Option<StepSplit> {
    if model.script_error.is_some() || model.script.is_empty() || !instruction.heredocs.is_empty() {
        return None;
    }
    let (units, connectors) = units(source, model)?;
    // `mkdir -p /var/run/sshd /var/log/app`: the sshd directories go to dev, the rest stays.
    let mut directories: Vec<String> = Vec::new();
    let mut unit_texts: Vec<String> = units
        .iter()
        .map(|unit| one_line(unit.span.text(source), escape))
        .collect();
    for (index, unit) in units.iter().enumerate() {
        let [only] = unit.commands.as_slice() else {
            continue;
        };
        let command = &model.script[*only];
        if command.program() != Some("mkdir") || !touches_other_paths(command) {
            continue;
        }
        let sshd: Vec<&crate::shell::Word> = command
            .args
            .iter()
            .filter(|word| !word.raw.starts_with('-') && is_sshd_word(&word.raw))
            .collect();
        if sshd.is_empty() {
            continue;
        }
        directories.extend(sshd.iter().map(|word| word.raw.clone()));
        let spans: Vec<Span> = sshd.iter().map(|word| word.span).collect();
        unit_texts[index] = one_line(&remove_words(source, unit.span, &spans), escape);
    }
    let moved: Vec<bool> = units
        .iter()
        .map(|unit| {
            (0..model.script.len())
                .filter(|&i| within(model.script[i].span, unit.span))
                .any(|i| {
                    let command = &model.script[i];
                    sets_up_sshd(command) && !(is_mkdir(command) && touches_other_paths(command))
                })
        })
        .collect();
    if moved.iter().all(|m| *m) || (!moved.iter().any(|m| *m) && directories.is_empty()) {
        return None;
    }
    // A command that prepares sshd and something else (`chmod +x /etc/init.d/named
    // /etc/init.d/sshd`) cannot go whole to either side: no cut.
    let mixed = (0..model.script.len()).any(|i| {
        let command = &model.script[i];
        sets_up_sshd(command) && touches_other_paths(command) && !is_mkdir(command)
    });
    if mixed {
        return None;
    }
    let flags: String = instruction
        .flags
        .iter()
        .map(|flag| format!("{} ", flag.span.text(source)))
        .collect();
    let join = |wanted: bool| {
        let mut text = format!("RUN {flags}");
        let mut first = true;
        if wanted && !directories.is_empty() {
            text.push_str(&format!("mkdir -p {}", directories.join(" ")));
            first = false;
        }
        for (index, unit_text) in unit_texts.iter().enumerate() {
            if moved[index] != wanted {
                continue;
            }
            if !first {
                let connector = if index == 0 {
                    "&&"
                } else {
                    connectors[index - 1]
                };
                text.push_str(&format!(" {connector} "));
            }
            first = false;
            text.push_str(unit_text);
        }
        text.push('\n');
        text
    };
    let moved_commands = units
        .iter()
        .zip(&moved)
        .filter(|(_, m)| **m)
        .flat_map(|(unit, _)| unit.commands.iter().copied())
        .collect();
    Some(StepSplit {
        kept_text: join(false),
        moved_text: join(true),
        moved_commands,
    })
}

/// The top-level pipelines of a plain command list and the connector (`&&` or `;`) before each
/// but the first; `None` when the script is anything else.
fn units(source: &str, model: &InstructionModel) -> Option<(Vec<Unit>, Vec<&'static str>)> {
    let conditional = conditional_commands(source, model);
    let mut units: Vec<Unit> = Vec::new();
    let mut connectors = Vec::new();
    for (index, command) in model.script.iter().enumerate() {
        let context = command.context;
        if context.in_substitution {
            // Part of the command it is written in.
            if !units.last().is_some_and(|u| within(command.span, u.span)) {
                return None;
            }
            units.last_mut()?.commands.push(index);
            continue;
        }
        if context.nested_shell || conditional[index] {
            return None;
        }
        let Some(last) = units.last_mut() else {
            units.push(Unit {
                commands: vec![index],
                span: command.span,
            });
            continue;
        };
        if command.span.start < last.span.end {
            return None;
        }
        let gap = joined_gap(&source[last.span.end..command.span.start]);
        match gap.as_str() {
            "|" if command.context.in_pipeline => {
                last.commands.push(index);
                last.span = Span::new(last.span.start, command.span.end);
            }
            "&&" | ";" => {
                connectors.push(if gap == "&&" { "&&" } else { ";" });
                units.push(Unit {
                    commands: vec![index],
                    span: command.span,
                });
            }
            _ => return None,
        }
    }
    Some((units, connectors))
}

/// The text between two commands without line continuations and blanks.
fn joined_gap(gap: &str) -> String {
    gap.lines()
        .map(|line| line.trim().trim_end_matches('\\').trim())
        .collect::<Vec<_>>()
        .join("")
}

/// A command that prepares sshd: it names its configuration, host keys, runtime directory or
/// authorized keys, generates host keys, or sets passwords for ssh logins.
fn sets_up_sshd(command: &Command) -> bool {
    let program = command.program().unwrap_or("");
    if program == "chpasswd" || program == "ssh-keygen" && has_word(command, "-A") {
        return true;
    }
    let words = command
        .args
        .iter()
        .chain(command.redirections.iter().map(|r| &r.target))
        .map(|word| word.value.as_deref().unwrap_or(&word.raw));
    words.into_iter().any(is_sshd_word)
}

/// An absolute path argument that is not sshd's.
fn touches_other_paths(command: &Command) -> bool {
    command.args.iter().any(|word| {
        let text = word.value.as_deref().unwrap_or(&word.raw);
        text.starts_with('/') && !is_sshd_word(text)
    })
}

fn is_sshd_word(word: &str) -> bool {
    word.contains("sshd")
        || word.contains("authorized_keys")
        || word.contains("ssh_host_")
        || word.starts_with("/etc/ssh/")
        || word == "/etc/ssh"
}

fn is_mkdir(command: &Command) -> bool {
    command.program() == Some("mkdir")
}

fn has_word(command: &Command, wanted: &str) -> bool {
    command
        .args
        .iter()
        .any(|word| word.value.as_deref() == Some(wanted))
}

fn within(inner: Span, outer: Span) -> bool {
    inner.start >= outer.start && inner.end <= outer.end
}
