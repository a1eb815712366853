//! Reading one command of a RUN script (program, options, operands) and the edits fixes make
//! to it.

use crate::rules::Edit;
use crate::shell::{Arguments, Command, Word};
use crate::syntax::{Arguments as Args, Instruction, Span};

/// Shell builtins and keywords whose effect lasts for the rest of the script.
pub const STATEFUL: &[&str] = &[
    "cd", "pushd", "popd", "export", "set", "shopt", "source", ".", "alias", "unalias", "umask",
    "ulimit", "trap", "unset", "readonly", "declare", "typeset", "local", "eval", "exec", "exit",
    "return", "hash", "enable", "builtin", "function", "getopts", "read", "mapfile", "shift",
];

/// The program a command runs (`/sbin/apk` → `apk`), or "" when it is dynamic.
pub fn program(command: &Command) -> &str {
    command.program().unwrap_or("")
}

/// The static value of a word, if any.
pub fn value(word: &Word) -> Option<&str> {
    word.value()
}

/// Whether any option is one of `names` (without dashes).
pub fn has_option(arguments: &Arguments<'_>, names: &[&str]) -> bool {
    arguments
        .options
        .iter()
        .any(|option| names.contains(&option.name.as_str()))
}

/// From the command's name to `word` (e.g. `apk add`).
pub fn head_span(command: &Command, word: &Word) -> Span {
    command.name.span.cover(word.span)
}

/// The command and its subcommand, as shown in messages (`yum group install`).
pub fn head_text(command: &Command, subcommand: &str) -> String {
    format!("{} {subcommand}", program(command))
}

/// Whether a word of `command` can be edited in place: a plain shell-form RUN, and the command
/// not nested in `sh -c`, a substitution or a heredoc.
pub fn editable(syntax: &Instruction, command: &Command) -> bool {
    matches!(syntax.arguments, Args::Shell(_))
        && syntax.heredocs.is_empty()
        && !command.context.nested_shell
        && !command.context.in_substitution
}

/// Inserts `text` right after `word`.
pub fn insert_after(word: &Word, text: &str) -> Edit {
    Edit {
        span: Span::empty(word.span.end),
        replacement: text.to_string(),
    }
}
