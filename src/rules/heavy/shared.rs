//! What the heavy-container rules share: the commands of a RUN, CMD or ENTRYPOINT with exact
//! word spans, the image's start scripts (effective ENTRYPOINT and CMD), the packages an
//! instruction leaves installed, and message helpers.

use crate::model::{InstructionModel, Stage};
use crate::rules::LintContext;
use crate::shell::{self, Command, Word};
use crate::syntax::{Arguments, Dockerfile, Instruction, Keyword, Span, Token};

/// PID-1 helpers: they reap zombies and forward signals to the one process they start. They
/// are the right init for a container, never a finding; the process they start is the main one.
pub const PID1_HELPERS: [&str; 4] = ["tini", "tini-static", "dumb-init", "catatonit"];

const POSIX_SHELLS: [&str; 7] = ["sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"];

/// The syntax node of a stage's FROM.
pub fn from_instruction<'a>(dockerfile: &'a Dockerfile, stage: &Stage) -> Option<&'a Instruction> {
    dockerfile
        .instructions()
        .find(|instruction| instruction.span == stage.span && instruction.kind == Keyword::From)
}

/// The image word of a stage's FROM.
pub fn from_image_word<'a>(dockerfile: &'a Dockerfile, stage: &Stage) -> Option<&'a Token> {
    match &from_instruction(dockerfile, stage)?.arguments {
        Arguments::Words(words) => words.first(),
        _ => None,
    }
}

/// The simple commands a RUN, CMD or ENTRYPOINT executes, with Dockerfile spans: the model's
/// (`Invocation::command` indexes them).
pub fn commands<'a>(
    _context: &LintContext<'a>,
    instruction: &'a InstructionModel,
) -> &'a [Command] {
    &instruction.script
}

fn argv_of(tokens: &[Token]) -> Vec<(String, Span)> {
    tokens
        .iter()
        .map(|token| (token.text.clone(), token.span))
        .collect()
}

/// A script the container runs when it starts: the effective ENTRYPOINT or CMD of the image,
/// with its commands (PID-1 helpers seen through).
pub struct StartScript {
    pub commands: Vec<Command>,
}

/// The ENTRYPOINT and CMD the built image keeps, as BuildKit resolves them over the shipped
/// stages: the last of each wins, and an ENTRYPOINT resets a CMD set in an earlier stage.
/// An ENTRYPOINT of `sh -c` runs the CMD as its script; a shell-form ENTRYPOINT ignores CMD.
pub fn start_scripts<'a>(context: &'a LintContext<'_>) -> &'a [StartScript] {
    context
        .start_scripts
        .get_or_init(|| resolve_start_scripts(context))
}

fn resolve_start_scripts<'a>(context: &LintContext<'a>) -> Vec<StartScript> {
    let mut entrypoint: Option<&'a InstructionModel> = None;
    let mut cmd: Option<&'a InstructionModel> = None;
    for stage in context.shipped_stages() {
        let mut cmd_set = false;
        for instruction in &stage.instructions {
            match instruction.keyword.as_str() {
                "CMD" => {
                    cmd = Some(instruction);
                    cmd_set = true;
                }
                "ENTRYPOINT" => {
                    entrypoint = Some(instruction);
                    if !cmd_set {
                        cmd = None;
                    }
                }
                _ => {}
            }
        }
    }
    let mut scripts = Vec::new();
    if let Some(entrypoint) = entrypoint {
        let syntax = context.syntax(entrypoint);
        match (
            &syntax.arguments,
            cmd.map(|cmd| &context.syntax(cmd).arguments),
        ) {
            (Arguments::Exec(head), Some(Arguments::Exec(tail))) if runs_shell_c(head) => {
                let mut argv = argv_of(head);
                argv.extend(argv_of(tail));
                scripts.push(StartScript {
                    commands: see_through_helpers(shell::from_argv(&argv).commands),
                });
                return scripts;
            }
            (Arguments::Shell(_), _) => cmd = None,
            _ => {}
        }
        scripts.push(StartScript {
            commands: see_through_helpers(commands(context, entrypoint).to_vec()),
        });
    }
    if let Some(cmd) = cmd {
        scripts.push(StartScript {
            commands: see_through_helpers(commands(context, cmd).to_vec()),
        });
    }
    scripts
}

/// `["sh", "-c"]`, `["/bin/bash", "-e", "-c"]`: an argv that runs its next word as a script.
fn runs_shell_c(argv: &[Token]) -> bool {
    let Some((program, options)) = argv.split_first() else {
        return false;
    };
    let name = program.text.rsplit('/').next().unwrap_or(&program.text);
    POSIX_SHELLS.contains(&name)
        && options.last().is_some_and(|last| last.text == "-c")
        && options.iter().all(|option| option.text.starts_with('-'))
}

/// Replaces `tini -- CMD…` (and dumb-init, catatonit) by the commands it starts.
pub fn see_through_helpers(commands: Vec<Command>) -> Vec<Command> {
    let mut out = Vec::with_capacity(commands.len());
    for command in commands {
        if !command
            .program()
            .is_some_and(|name| PID1_HELPERS.contains(&name))
        {
            out.push(command);
            continue;
        }
        let mut rest: &[Word] = &command.args;
        while let Some((first, tail)) = rest.split_first() {
            let text = first.value().unwrap_or("");
            if text == "--" {
                rest = tail;
                break;
            }
            if !text.starts_with('-') {
                break;
            }
            rest = if matches!(text, "-p" | "-e" | "-r" | "--rewrite") && !tail.is_empty() {
                &tail[1..]
            } else {
                tail
            };
        }
        let argv: Option<Vec<(String, Span)>> = rest
            .iter()
            .map(|word| {
                word.value()
                    .map(str::to_string)
                    .map(|value| (value, word.span))
            })
            .collect();
        match argv {
            Some(argv) if !argv.is_empty() => {
                out.extend(see_through_helpers(shell::from_argv(&argv).commands))
            }
            _ => out.push(command),
        }
    }
    out
}

/// Whether the package `package` provides the program `program` (`rsyslog` → `rsyslogd`,
/// `zabbix-agent2` → `zabbix_agent2`, `httpie` → `http`, `strace` → `strace`): compared
/// case-insensitively with `_` and `-` alike, the program named like the package, starting
/// with its name, or a prefix of it that only a few letters extend (`http` + `ie`, never
/// `node` + `-gyp`).
pub fn provides(package: &str, program: &str) -> bool {
    // Compared in place, each byte lowercased and `_` read as `-` (neither changes a length):
    // every package of the shipped stages is asked about every program started.
    let normalized = |byte: u8| match byte {
        b'_' => b'-',
        _ => byte.to_ascii_lowercase(),
    };
    let same = |a: &[u8], b: &[u8]| {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| normalized(*x) == normalized(*y))
    };
    let (package, program) = (package.as_bytes(), program.as_bytes());
    same(package, program)
        || (package.len() >= 3
            && program.len() >= package.len()
            && same(&program[..package.len()], package))
        || (program.len() >= 3
            && package.len() >= program.len()
            && same(&package[..program.len()], program)
            && {
                let rest = &package[program.len()..];
                rest.len() <= 2 && rest.iter().all(u8::is_ascii_alphanumeric)
            })
}

/// A command as a reader would type it: the static words from the name through `words`
/// arguments, space-separated (exec-form quotes and continuations left out).
pub fn shown(command: &Command, arguments: usize) -> String {
    // Written into one string (no string per word, no list of them).
    let mut shown = String::new();
    let words = std::iter::once(&command.name).chain(command.args.iter().take(arguments));
    for (index, word) in words.enumerate() {
        if index > 0 {
            shown.push(' ');
        }
        shown.push_str(word.value().unwrap_or(&word.raw));
    }
    shown
}

/// The programs the container starts (static names, last path component).
pub fn started_programs(scripts: &[StartScript]) -> Vec<String> {
    started_program_names(scripts).map(str::to_string).collect()
}

/// [`started_programs`], read in place (no string per program).
pub fn started_program_names(scripts: &[StartScript]) -> impl Iterator<Item = &str> + Clone {
    scripts
        .iter()
        .flat_map(|script| &script.commands)
        .filter_map(Command::program)
}

/// `a`, `a and b`, `a, b and c`, each in backquotes.
pub fn code_list<S: AsRef<str>>(items: &[S]) -> String {
    // Written into one string sized up front: a string per item and their join cost more
    // than the message they make (lists of a shipped stage's packages run long).
    let quoted_length: usize = items.iter().map(|item| item.as_ref().len() + 2).sum();
    let mut list = String::with_capacity(quoted_length + 2 * items.len() + " and".len());
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            list.push_str(if index + 1 == items.len() {
                " and "
            } else {
                ", "
            });
        }
        list.push('`');
        list.push_str(item.as_ref());
        list.push('`');
    }
    list
}

/// The static value of a word.
pub fn value_of(word: &Word) -> Option<&str> {
    word.value()
}

/// `service NAME start`, `rc-service NAME start`, `systemctl start NAME`,
/// `/etc/init.d/NAME start` for a NAME in `services`: the span from the command to the verb,
/// and the command as shown in messages.
pub fn service_start(command: &Command, services: &[&str]) -> Option<(Span, String)> {
    let program = command.program()?;
    // Read in place: every rule asks this of every command, most of which start nothing.
    let arg = |index: usize| {
        command
            .args
            .get(index)
            .map(|word| value_of(word).unwrap_or(""))
    };
    let is_start = |word: &str| matches!(word, "start" | "restart" | "reload" | "force-reload");
    let is_service = |name: &str| services.contains(&name.trim_end_matches(".service"));
    // Only the service managers' words are read here: most commands are none.
    let by_manager = matches!(program, "service" | "rc-service" | "systemctl");
    if by_manager && let (Some(first), Some(second)) = (arg(0), arg(1)) {
        let started = match program {
            "service" | "rc-service" => is_service(first) && is_start(second),
            "systemctl" => is_start(first) && is_service(second),
            _ => false,
        };
        if started {
            return Some((
                command.name.span.cover(command.args[1].span),
                shown(command, 2),
            ));
        }
    }
    // The path first: a byte comparison that most command names fail at their first byte.
    let by_init_script = command
        .name
        .value()
        .is_some_and(|name| name.as_bytes().starts_with(b"/etc/init.d/"));
    if !by_init_script {
        return None;
    }
    let action = arg(0)?;
    (is_start(action) && services.contains(&program)).then(|| {
        (
            command.name.span.cover(command.args[0].span),
            shown(command, 1),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::{code_list, provides};

    #[test]
    fn code_lists_read_as_prose() {
        assert_eq!(code_list::<&str>(&[]), "");
        assert_eq!(code_list(&["a"]), "`a`");
        assert_eq!(code_list(&["a", "b"]), "`a` and `b`");
        assert_eq!(code_list(&["a", "b", "c"]), "`a`, `b` and `c`");
    }

    #[test]
    fn packages_provide_programs_named_like_them() {
        assert!(provides("rsyslog", "rsyslogd"));
        assert!(provides("zabbix-agent2", "zabbix_agent2"));
        assert!(provides("httpie", "http"));
        assert!(provides("strace", "strace"));
        assert!(provides("Strace", "STRACE"));
        assert!(!provides("node-gyp", "node"));
        assert!(provides("gdb", "gdbserver"));
        assert!(!provides("vi", "vim"));
        assert!(!provides("httpie", "ht"));
    }
}
