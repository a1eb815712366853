//! Step-level moves: a RUN whose commands partly set up sshd (its configuration, its runtime
//! directory, its host keys, passwords for ssh logins) and partly do production work is cut in
//! two at its `&&`/`;` boundaries: the sshd part goes to `dev` with sshd, the rest stays.
//!
//! A command writing a supervisord configuration whose programs include sshd (`printf
//! '[program:sshd]…[program:cron]…' > /etc/supervisor/conf.d/app.conf`) runs on both sides:
//! production writes it without the sshd programs, dev writes it as the original did.
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
    /// The moved part sets up sshd (else it configures other development packages).
    pub sets_up_sshd: bool,
    /// The source spans that leave the RUN, each moved command with the connector before it:
    /// `None` when the kept part is rewritten rather than cut (a `mkdir` losing some operands,
    /// a configuration written on both sides) or when the first command moves.
    pub moved_spans: Option<Vec<Span>>,
}

/// A pipeline of top-level commands: script indexes and its span.
struct Unit {
    commands: Vec<usize>,
    span: Span,
}

/// Cuts the development setup (sshd's, or writes into `dev_paths`, the directories of
/// development packages) out of a RUN, when the RUN is a plain `&&`/`;` list with both
/// development setup and other commands.
pub fn cut_dev_setup(
    source: &str,
    instruction: &Instruction,
    model: &InstructionModel,
    escape: char,
    dev_paths: &[String],
) -> Option<StepSplit> {
    let sets_up_dev = |command: &Command| sets_up_sshd(command) || writes_under(command, dev_paths);
    let touches_other_paths = |command: &Command| {
        command.args.iter().any(|word| {
            let text = word.value().unwrap_or(&word.raw);
            // A path has no blanks (`sed '/^root/a\\x ALL' /etc/sudoers`: the script is none).
            let is_path = text.starts_with('/') && !text.contains(char::is_whitespace);
            is_path && !is_sshd_word(text) && !is_under(text, dev_paths)
        })
    };
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
        directories.extend(sshd.iter().map(|word| word.raw.to_string()));
        let spans: Vec<Span> = sshd.iter().map(|word| word.span).collect();
        unit_texts[index] = one_line(&remove_words(source, unit.span, &spans), escape);
    }
    // Units that run on both sides: production's text without the sshd programs, dev's as
    // written.
    let mut on_both_sides: Vec<Option<String>> = vec![None; units.len()];
    for (index, unit) in units.iter().enumerate() {
        let [only] = unit.commands.as_slice() else {
            continue;
        };
        if let Some(without) = supervisor_config_without_sshd(source, &model.script[*only]) {
            on_both_sides[index] = Some(unit_texts[index].clone());
            let Span { start, end } = without.0;
            let text = format!(
                "{}{}{}",
                &source[unit.span.start..start],
                without.1,
                &source[end..unit.span.end]
            );
            unit_texts[index] = one_line(&text, escape);
        }
    }
    let moved: Vec<bool> = units
        .iter()
        .zip(&on_both_sides)
        .map(|(unit, both)| {
            both.is_none()
                && (0..model.script.len())
                    .filter(|&i| within(model.script[i].span, unit.span))
                    .any(|i| {
                        let command = &model.script[i];
                        sets_up_dev(command) && !(is_mkdir(command) && touches_other_paths(command))
                    })
        })
        .collect();
    let shared = on_both_sides.iter().any(Option::is_some);
    if moved.iter().all(|m| *m) || (!moved.iter().any(|m| *m) && directories.is_empty() && !shared)
    {
        return None;
    }
    // A command that prepares sshd and something else (`chmod +x /etc/init.d/named
    // /etc/init.d/sshd`) cannot go whole to either side: no cut.
    let mixed = units.iter().zip(&on_both_sides).any(|(unit, both)| {
        both.is_none()
            && unit.commands.iter().any(|&i| {
                let command = &model.script[i];
                sets_up_dev(command) && touches_other_paths(command) && !is_mkdir(command)
            })
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
            let dev_text = on_both_sides[index].as_ref().filter(|_| wanted);
            if moved[index] != wanted && dev_text.is_none() {
                continue;
            }
            let unit_text = dev_text.unwrap_or(unit_text);
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
    let sets_up_sshd = !directories.is_empty()
        || units.iter().zip(&moved).any(|(unit, moved)| {
            *moved
                && unit
                    .commands
                    .iter()
                    .any(|&i| sets_up_sshd(&model.script[i]))
        })
        || on_both_sides.iter().any(Option::is_some);
    let rewritten = !directories.is_empty() || shared || moved.first() == Some(&true);
    let moved_spans = (!rewritten).then(|| {
        (1..units.len())
            .filter(|&index| moved[index])
            .map(|index| Span {
                start: units[index - 1].span.end,
                end: units[index].span.end,
            })
            .collect()
    });
    Some(StepSplit {
        kept_text: join(false),
        moved_text: join(true),
        moved_commands,
        sets_up_sshd,
        moved_spans,
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

/// A `printf`/`echo` writing a supervisord configuration (its target names `supervisor`)
/// with `[program:…]` sections of which some run sshd and some do not: the span of the
/// literal and the literal without the sshd sections. Only a quoted literal without
/// expansions is rewritten.
fn supervisor_config_without_sshd(source: &str, command: &Command) -> Option<(Span, String)> {
    if !matches!(command.program(), Some("printf" | "echo")) {
        return None;
    }
    let writes_supervisor_config = command.redirections.iter().any(|redirection| {
        matches!(redirection.op.as_str(), ">" | ">>")
            && redirection.target.value().is_some_and(|path| {
                path.contains("supervisor") && (path.ends_with(".conf") || path.ends_with(".ini"))
            })
    });
    if !writes_supervisor_config {
        return None;
    }
    let [literal] = command
        .args
        .iter()
        .filter(|word| word.raw.contains("[program:"))
        .collect::<Vec<_>>()[..]
    else {
        return None;
    };
    // Only a static literal (no `$x`) is rewritten.
    literal.value()?;
    let kept = sshd_programs_removed(literal.span.text(source))?;
    Some((literal.span, kept))
}

/// A command text holding a quoted supervisord configuration (`'[program:sshd]\n…'`) without
/// the `[program:…]` sections that name sshd, when other programs remain.
pub fn sshd_programs_removed(text: &str) -> Option<String> {
    let header = text.find("[program:")?;
    let open = text[..header].rfind(['\'', '"'])?;
    let quote = text[open..].chars().next()?;
    let close = open + 1 + text[open + 1..].find(quote)?;
    if close < header {
        return None;
    }
    let inner = &text[open + 1..close];
    let sections = escaped_sections(inner);
    let kept: Vec<&str> = sections
        .iter()
        .copied()
        .filter(|section| !section.contains("sshd"))
        .collect();
    let runs_a_program = kept.iter().any(|section| section.contains("[program:"));
    if kept.len() == sections.len() || !runs_a_program {
        return None;
    }
    Some(format!(
        "{}{}{}",
        &text[..=open],
        kept.concat(),
        &text[close..]
    ))
}

/// A configuration written with `\n` escapes cut before each `[section]` header: at the
/// start, or right after a `\n`.
fn escaped_sections(text: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = text
        .match_indices("\\n[")
        .map(|(index, _)| index + 2)
        .collect();
    starts.insert(0, 0);
    starts.dedup();
    starts.push(text.len());
    starts
        .windows(2)
        .map(|pair| &text[pair[0]..pair[1]])
        .filter(|section| !section.is_empty())
        .collect()
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
    // The program too: `/etc/init.d/sshd start` runs the server's own init script.
    let words = std::iter::once(&command.name)
        .chain(&command.args)
        .chain(command.redirections.iter().map(|r| &r.target))
        .map(|word| word.value().unwrap_or(&word.raw));
    words.into_iter().any(is_sshd_word)
}

/// The command writes into (or names as an operand) a directory a development package
/// creates (`echo … > /etc/sudoers.d/worker` with sudo going to dev).
fn writes_under(command: &Command, dev_paths: &[String]) -> bool {
    command
        .args
        .iter()
        .chain(command.redirections.iter().map(|r| &r.target))
        .map(|word| word.value().unwrap_or(&word.raw))
        .any(|text| is_under(text, dev_paths))
}

fn is_under(path: &str, roots: &[String]) -> bool {
    roots.iter().any(|root| {
        path == root
            || path
                .strip_prefix(root.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
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
    command.args.iter().any(|word| word.value() == Some(wanted))
}

fn within(inner: Span, outer: Span) -> bool {
    inner.start >= outer.start && inner.end <= outer.end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sshd_programs_leave_a_printed_supervisord_configuration() {
        let command = r"printf '[supervisord]\nnodaemon=true\n\n[program:sshd]\ncommand=/usr/sbin/sshd -D\n\n[program:cron]\ncommand=cron -f\n' > /etc/supervisor/conf.d/a.conf";
        assert_eq!(
            sshd_programs_removed(command).as_deref(),
            Some(
                r"printf '[supervisord]\nnodaemon=true\n\n[program:cron]\ncommand=cron -f\n' > /etc/supervisor/conf.d/a.conf"
            )
        );
        // Nothing but sshd to run, or no sshd: no rewrite.
        assert_eq!(
            sshd_programs_removed(r"printf '[program:sshd]\ncommand=/usr/sbin/sshd -D\n'"),
            None
        );
        assert_eq!(
            sshd_programs_removed(r"printf '[program:cron]\ncommand=cron -f\n'"),
            None
        );
    }
}
