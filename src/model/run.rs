//! What a RUN executes: its shell-form text (with heredoc bodies, as BuildKit hands them to the
//! shell), a heredoc script, or its exec-form argv, parsed into commands.

use serde::Serialize;

use crate::shell::{self, Command, Contiguous, Dialect, Script};
use crate::syntax::{
    Arguments, Dockerfile, Heredoc, Instruction, Keyword, LineIndex, Span, TextMap, Token,
};

/// The commands of one RUN and why some could not be seen.
#[derive(Debug, Default)]
pub struct RunAnalysis {
    pub commands: Vec<Command>,
    pub error: Option<(String, Span)>,
    /// A heredoc script's `#!` interpreter.
    pub interpreter: Option<String>,
}

/// A command as the model JSON shows it.
#[derive(Clone, Debug, Serialize)]
pub struct CommandView {
    pub name: String,
    pub args: Vec<String>,
    pub wrappers: Vec<String>,
    pub line: usize,
    pub column: usize,
    pub context: shell::Context,
}

/// Why a RUN script is opaque.
#[derive(Clone, Debug, Serialize)]
pub struct ScriptError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

const POSIX_SHELLS: [&str; 7] = ["sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"];

/// The commands of a RUN, CMD or ENTRYPOINT (other instructions execute nothing).
pub fn analyze(
    dockerfile: &Dockerfile,
    instruction: &Instruction,
    shell_argv: &[String],
) -> RunAnalysis {
    if !matches!(
        instruction.kind,
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint
    ) {
        return RunAnalysis::default();
    }
    match &instruction.arguments {
        Arguments::Exec(argv) => from_script(shell::from_argv(
            &argv
                .iter()
                .map(|token| (token.text.clone(), token.span))
                .collect::<Vec<_>>(),
        )),
        Arguments::Shell(token) if shell::dialect(shell_argv) == Dialect::Opaque => RunAnalysis {
            error: Some((
                format!(
                    "the shell {} is not a POSIX shell: the script is not analysed",
                    shell_argv.first().map_or("(none)", String::as_str)
                ),
                token.span,
            )),
            ..RunAnalysis::default()
        },
        Arguments::Shell(token) => shell_form(dockerfile, instruction, token),
        _ => RunAnalysis::default(),
    }
}

fn from_script(script: Script) -> RunAnalysis {
    RunAnalysis {
        error: script
            .error
            .as_ref()
            .map(|error| (error.message.clone(), error.span)),
        commands: script.commands,
        interpreter: None,
    }
}

fn shell_form(dockerfile: &Dockerfile, instruction: &Instruction, token: &Token) -> RunAnalysis {
    let Some(token_map) = instruction.token_map(token) else {
        return RunAnalysis::default();
    };
    if let [heredoc] = instruction.heredocs.as_slice()
        && token.text.trim() == dockerfile.text(heredoc.marker)
    {
        return heredoc_script(heredoc);
    }
    if instruction.heredocs.is_empty() {
        return from_script(shell::parse(&token.text, &token_map));
    }
    // BuildKit hands the shell the line followed by each heredoc's body and name.
    let mut pieces = token_map.pieces();
    for heredoc in &instruction.heredocs {
        let start = heredoc.content_span.start;
        if start > 0 && dockerfile.source.as_bytes()[start - 1] == b'\n' {
            pieces.push(Span::new(start - 1, start));
        }
        pieces.push(heredoc.content_span);
        pieces.push(terminator_name(dockerfile, heredoc));
    }
    let text: String = pieces.iter().map(|piece| dockerfile.text(*piece)).collect();
    let map = TextMap::from_pieces(&pieces, instruction.span.end);
    let mut analysis = from_script(shell::parse(&text, &map));
    add_scripts_fed_to_shells(dockerfile, &mut analysis);
    analysis
}

/// `bash <<EOF ... EOF`: a here-document fed to a shell is a script too.
fn add_scripts_fed_to_shells(dockerfile: &Dockerfile, analysis: &mut RunAnalysis) {
    let bodies: Vec<Span> = analysis
        .commands
        .iter()
        .filter(|command| {
            let name = word_text(&command.name);
            POSIX_SHELLS.contains(&name.rsplit('/').next().unwrap_or(&name))
                && !command.args.iter().any(|arg| {
                    arg.value
                        .as_deref()
                        .is_some_and(|v| v.starts_with('-') && v.contains('c'))
                })
        })
        .flat_map(|command| {
            command
                .redirections
                .iter()
                .filter_map(|redirection| redirection.body)
        })
        .collect();
    for body in bodies {
        let script = shell::parse(dockerfile.text(body), &Contiguous(body.start));
        analysis
            .commands
            .extend(script.commands.into_iter().map(|mut command| {
                command.context.nested_shell = true;
                command
            }));
        if analysis.error.is_none() {
            analysis.error = script.error.map(|error| (error.message, error.span));
        }
    }
}

/// The bytes of the heredoc's name on its terminator line (after `<<-` tabs).
fn terminator_name(dockerfile: &Dockerfile, heredoc: &Heredoc) -> Span {
    let line = dockerfile.text(heredoc.terminator);
    let tabs = line.len() - line.trim_start_matches('\t').len();
    let start = heredoc.terminator.start + if heredoc.chomp { tabs } else { 0 };
    Span::new(
        start,
        (start + heredoc.name.len()).min(heredoc.terminator.end),
    )
}

/// `RUN <<EOF`: the body is the script, unless a `#!` line names another interpreter.
fn heredoc_script(heredoc: &Heredoc) -> RunAnalysis {
    // `<<-` bodies lose their leading tabs before they run.
    let content = if heredoc.chomp {
        heredoc.content.trim_start_matches('\t')
    } else {
        &heredoc.content
    };
    let interpreter = content
        .strip_prefix("#!")
        .map(|rest| rest.lines().next().unwrap_or("").trim().to_string());
    if let Some(interpreter) = &interpreter
        && !is_posix_interpreter(interpreter)
    {
        return RunAnalysis {
            interpreter: Some(interpreter.clone()),
            ..RunAnalysis::default()
        };
    }
    RunAnalysis {
        interpreter,
        ..from_script(shell::parse(
            &heredoc.content,
            &Contiguous(heredoc.content_span.start),
        ))
    }
}

/// `/bin/sh`, `/usr/bin/env bash -e`, ...
fn is_posix_interpreter(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let mut program = words.next().unwrap_or("");
    if program.ends_with("/env") {
        program = words.find(|word| !word.starts_with('-')).unwrap_or("");
    }
    let name = program.rsplit('/').next().unwrap_or(program);
    POSIX_SHELLS.contains(&name)
}

impl RunAnalysis {
    pub fn command_views(&self, source: &str, index: &LineIndex) -> Vec<CommandView> {
        self.commands
            .iter()
            .map(|command| {
                let position = index.position(source, command.span.start);
                CommandView {
                    name: word_text(&command.name),
                    args: command.args.iter().map(word_text).collect(),
                    wrappers: command.wrappers.iter().map(word_text).collect(),
                    line: position.line,
                    column: position.column,
                    context: command.context,
                }
            })
            .collect()
    }

    pub fn error_view(&self, source: &str, index: &LineIndex) -> Option<ScriptError> {
        self.error.as_ref().map(|(message, span)| {
            let position = index.position(source, span.start);
            ScriptError {
                message: message.clone(),
                line: position.line,
                column: position.column,
            }
        })
    }
}

/// A word's value, or its source text when it is dynamic.
pub fn word_text(word: &shell::Word) -> String {
    word.value.clone().unwrap_or_else(|| word.raw.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_shell_interpreters() {
        assert!(is_posix_interpreter("/bin/sh"));
        assert!(is_posix_interpreter("/usr/bin/env bash -e"));
        assert!(!is_posix_interpreter("/usr/bin/env python3"));
        assert!(!is_posix_interpreter("/usr/bin/node"));
    }
}
