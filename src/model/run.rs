//! What a RUN executes: its shell-form text (with heredoc bodies, as BuildKit hands them to the
//! shell), a heredoc script, or its exec-form argv, parsed into commands.

use std::borrow::Cow;

use serde::Serialize;

use crate::shell::{self, Command, Contiguous, Dialect, Script, Variable};
use crate::syntax::{
    Arguments, Dockerfile, Heredoc, Instruction, Keyword, LineIndex, Span, TextMap, Token,
};

/// The commands of one RUN and why some could not be seen.
#[derive(Debug, Default)]
pub struct RunAnalysis {
    pub commands: Vec<Command>,
    /// The variables the script sets for the rest of its run.
    pub variables: Vec<Variable>,
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

/// The commands of a RUN, CMD or ENTRYPOINT (other instructions execute nothing), run by
/// `shell_argv` when in shell form; `dialect` tells that shell's dialect, asked only then.
pub fn analyze(
    dockerfile: &Dockerfile,
    instruction: &Instruction,
    shell_argv: &[String],
    dialect: impl FnOnce() -> Dialect,
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
        Arguments::Shell(token) => match dialect() {
            Dialect::Opaque => RunAnalysis {
                error: Some((
                    format!(
                        "the shell {} is not a POSIX shell: the script is not analysed",
                        shell_argv.first().map_or("(none)", String::as_str)
                    ),
                    token.span,
                )),
                ..RunAnalysis::default()
            },
            Dialect::Posix => shell_form(dockerfile, instruction, token),
        },
        _ => RunAnalysis::default(),
    }
}

fn from_script(script: Script) -> RunAnalysis {
    RunAnalysis {
        variables: script.variables,
        error: script
            .error
            .as_ref()
            .map(|error| (error.message.clone(), error.span)),
        commands: script.commands,
        interpreter: None,
    }
}

/// The script a shell-form RUN hands to its shell.
pub enum ShellScript<'a> {
    /// `RUN <<EOF`: the heredoc's body is the script (run by its `#!` interpreter, if any).
    Heredoc(&'a Heredoc),
    /// The instruction's text, each heredoc's body and name appended as BuildKit does, and the
    /// map of that text to the Dockerfile.
    Text(Cow<'a, str>, TextMap),
}

/// What the shell-form `token` of `instruction` runs; `None` when the text cannot be mapped
/// back to the file.
pub fn shell_script<'a>(
    dockerfile: &Dockerfile,
    instruction: &'a Instruction,
    token: &'a Token,
) -> Option<ShellScript<'a>> {
    let token_map = instruction.token_map(token)?;
    if let [heredoc] = instruction.heredocs.as_slice()
        && token.text.trim() == dockerfile.text(heredoc.marker)
    {
        return Some(ShellScript::Heredoc(heredoc));
    }
    if instruction.heredocs.is_empty() {
        return Some(ShellScript::Text(Cow::Borrowed(&token.text), token_map));
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
    Some(ShellScript::Text(Cow::Owned(text), map))
}

fn shell_form(dockerfile: &Dockerfile, instruction: &Instruction, token: &Token) -> RunAnalysis {
    match shell_script(dockerfile, instruction, token) {
        None => RunAnalysis::default(),
        Some(ShellScript::Heredoc(heredoc)) => heredoc_script(heredoc),
        Some(ShellScript::Text(text, map)) => {
            let mut analysis = from_script(shell::parse(&text, &map));
            if !instruction.heredocs.is_empty() {
                add_scripts_fed_to_shells(dockerfile, &mut analysis);
            }
            analysis
        }
    }
}

/// A heredoc's body as the shell reads it (`<<-` strips each line's leading tabs), and the
/// map of that text to the Dockerfile.
pub fn heredoc_body(heredoc: &Heredoc) -> (String, TextMap) {
    if !heredoc.chomp {
        let span = heredoc.content_span;
        return (
            heredoc.content.clone(),
            TextMap::from_pieces(&[span], span.end),
        );
    }
    let mut pieces = Vec::new();
    let mut at = heredoc.content_span.start;
    for line in heredoc.content.split_inclusive('\n') {
        let tabs = line.len() - line.trim_start_matches('\t').len();
        pieces.push(Span::new(at + tabs, at + line.len()));
        at += line.len();
    }
    let text = pieces
        .iter()
        .map(|piece| {
            &heredoc.content
                [piece.start - heredoc.content_span.start..piece.end - heredoc.content_span.start]
        })
        .collect();
    (
        text,
        TextMap::from_pieces(&pieces, heredoc.content_span.end),
    )
}

/// The interpreter a heredoc script's `#!` line names (after `<<-` tabs), if it has one.
pub fn heredoc_interpreter(heredoc: &Heredoc) -> Option<String> {
    let content = if heredoc.chomp {
        heredoc.content.trim_start_matches('\t')
    } else {
        &heredoc.content
    };
    content
        .strip_prefix("#!")
        .map(|rest| rest.lines().next().unwrap_or("").trim().to_string())
}

/// `bash <<EOF ... EOF`: a here-document fed to a shell is a script too.
fn add_scripts_fed_to_shells(dockerfile: &Dockerfile, analysis: &mut RunAnalysis) {
    let bodies: Vec<Span> = analysis
        .commands
        .iter()
        .filter(|command| {
            let name = word_str(&command.name);
            POSIX_SHELLS.contains(&name.rsplit('/').next().unwrap_or(name))
                && !command.args.iter().any(|arg| {
                    arg.value()
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
        analysis
            .variables
            .extend(script.variables.into_iter().map(|mut variable| {
                variable.context.nested_shell = true;
                variable
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
    let interpreter = heredoc_interpreter(heredoc);
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

/// The program a `#!` line runs: `/bin/sh` → `sh`, `/usr/bin/env bash -e` → `bash`.
pub fn interpreter_program(line: &str) -> &str {
    let mut words = line.split_whitespace();
    let mut program = words.next().unwrap_or("");
    if program.ends_with("/env") {
        program = words.find(|word| !word.starts_with('-')).unwrap_or("");
    }
    program.rsplit('/').next().unwrap_or(program)
}

/// `/bin/sh`, `/usr/bin/env bash -e`, ...
pub fn is_posix_interpreter(line: &str) -> bool {
    POSIX_SHELLS.contains(&interpreter_program(line))
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
    word_str(word).to_string()
}

/// [`word_text`] borrowed from the word.
pub fn word_str(word: &shell::Word) -> &str {
    word.value().unwrap_or(&word.raw)
}

/// The last path component of a command's name as [`word_str`] reads it (`/usr/bin/apt-get`
/// → `apt-get`): the program the parser found, else (a dynamic name) cut from its text.
pub fn command_name(command: &Command) -> &str {
    command.program().unwrap_or_else(|| {
        let raw = command.name.raw.as_str();
        raw.rsplit('/').next().unwrap_or(raw)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_stripped_heredoc_bodies_map_back_to_the_file() {
        let text = "FROM a\nRUN <<-EOF\n\techo a\n\t\techo $b\n\tEOF\n";
        let dockerfile = crate::syntax::parse_bytes(text.as_bytes());
        let heredoc = &dockerfile.instructions().nth(1).unwrap().heredocs[0];
        let (body, map) = heredoc_body(heredoc);
        assert_eq!(body, "echo a\necho $b\n");
        let dollar = body.find('$').unwrap();
        assert_eq!(&text[map.source_offset(dollar)..][..2], "$b");
    }

    #[test]
    fn recognises_shell_interpreters() {
        assert!(is_posix_interpreter("/bin/sh"));
        assert!(is_posix_interpreter("/usr/bin/env bash -e"));
        assert!(!is_posix_interpreter("/usr/bin/env python3"));
        assert!(!is_posix_interpreter("/usr/bin/node"));
        assert_eq!(interpreter_program("/usr/bin/env -S bash -e"), "bash");
    }
}
