//! POSIX sh for RUN scripts: every command a RUN executes, with exact Dockerfile spans.
//!
//! [`parse`] reads the shell-form text of a RUN (BuildKit's joined line, or a heredoc body)
//! as POSIX sh plus the bash forms real Dockerfiles use (`[[ ]]`, `(( ))`, arrays,
//! `function f { }`, `<( )`, `$'…'`, `|&`, `&>`, `time { …; }`), and lists every simple
//! command: those in pipelines, lists, compound commands, function bodies, `$( )`,
//! backquotes, `<( )`, unquoted here-document bodies, `find … -exec CMD … ;` clauses, and
//! the scripts of `sh -c '…'` / `su -c '…'`, with wrappers (`sudo`, `env`, `xargs`, …) seen
//! through. Spans are Dockerfile byte offsets: the caller's [`OffsetMap`] maps script
//! offsets back, and nested texts (backquotes with their escapes removed, `sh -c` scripts
//! after quote removal) compose their own maps with it.
//!
//! A script that does not parse is *opaque*: [`Script::error`] says where and why, and
//! [`Script::commands`] holds the commands read before the error. An `sh -c` script that
//! does not parse makes the whole script opaque (the RUN would fail); one with expansions
//! (`sh -c "$CMD"`) is not parsed. No input panics; nesting deeper than 100 levels is an
//! error rather than a stack overflow; lexing and parsing are one pass (the only look-ahead
//! is a scan without side effects deciding whether `$((` is arithmetic or a nested
//! subshell, as bash decides it). Lenient where bash is strict but the commands are clear:
//! the expression inside `[[ ]]` is not checked, arrays `a=(…)` are accepted in any word,
//! and a here-document without its delimiter line runs to the end (bash only warns).
//!
//! # Why a parser of our own rather than `brush-parser`
//!
//! `brush-parser` 0.4.0 (MIT) was tried on real scripts before deciding:
//! - positions are *character* indices, not bytes (`é=1` after 10 ASCII bytes ends at 13);
//! - words are raw strings: `$( )` and backquote contents are not parsed into the tree, so
//!   finding nested commands means re-parsing each piece and rebasing its offsets by hand;
//! - errors: `if true; then echo x` gives `ParsingAtEndOfInput` with no position, and no
//!   partial result (we need the commands before the error);
//! - 100 000 nested `$(` abort the process with a stack overflow (no depth limit);
//! - on 11 MB of `apt-get … "$(dpkg …)" | tee x;` lines it took 5× as long as this parser
//!   in the same run (1.04 s against 0.20 s, release), without parsing the substitutions;
//! - it pulls 85 crates (bon, darling, syn 3, cached, peg, …) and 24 s of cold build.
//!
//! A hand-written recursive-descent parser gives byte spans by construction, nested
//! commands in place, positioned errors with partial results and a depth limit.

mod args;
mod command;
mod lexer;
mod map;
mod parser;
mod text;
mod unquote;
mod wrappers;

use std::fmt;
use std::ops::Deref;

use serde::Serialize;

pub use crate::syntax::Span;
pub use args::{Arguments, Opt};
pub use map::{Contiguous, OffsetMap, PieceMap, Run};
pub use text::Text;
pub use wrappers::Wrapper;

use parser::{Parser, Sink};
use text::Shared;

/// Whether a shell's scripts can be parsed as POSIX sh.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    Posix,
    Opaque,
}

/// From a SHELL/exec argv (e.g. `["/bin/bash", "-o", "pipefail", "-c"]`): the basename of
/// `argv[0]` minus `.exe`, case-insensitive. sh, bash, ash, dash, zsh, ksh, mksh and busybox
/// are POSIX; anything else (pwsh, powershell, cmd, …) is opaque.
pub fn dialect(shell: &[String]) -> Dialect {
    let Some(program) = shell.first() else {
        return Dialect::Opaque;
    };
    let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
    let name = name.to_ascii_lowercase();
    let name = name.strip_suffix(".exe").unwrap_or(&name);
    match name {
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" | "busybox" => Dialect::Posix,
        _ => Dialect::Opaque,
    }
}

#[derive(Clone, Debug)]
pub struct Word {
    /// The word's text as in the script (for a nested `sh -c` script: the inner text; for
    /// an exec-form argument: the decoded value).
    pub raw: Text,
    /// The value after quote removal (`None`: dynamic): read it with [`Word::value`]. Most
    /// words (`apt-get`, `-y`, `/usr/src`) are their own value, and most quoted ones the text
    /// between their quotes: their value is a range of the same script as `raw`, not a copy.
    /// One shape for every static value, rather than a variant for each way it is stored:
    /// rules ask for the values of words all the time, and each variant was a branch.
    value: Option<Text>,
    /// Dockerfile bytes.
    pub span: Span,
}

impl Word {
    /// A word of text `raw` whose value after quote removal is `value` (`None`: dynamic).
    pub fn new(raw: impl Into<Text>, value: Option<String>, span: Span) -> Word {
        let raw = raw.into();
        let value = value.map(|value| match raw == value {
            true => raw.clone(),
            false => Text::from(value),
        });
        Word { raw, value, span }
    }

    /// A static word that is its own value (an exec-form argument, a word a reader built).
    pub fn literal(text: impl Into<Text>, span: Span) -> Word {
        let raw = text.into();
        Word {
            value: Some(raw.clone()),
            raw,
            span,
        }
    }

    /// The value after quote removal when the word is static (no `$x`, `${…}`, `$(…)`,
    /// `` `…` ``, `$((…))`); `None` when it is dynamic.
    #[inline]
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }
}

/// Equal words have the same text, value and span, however the value is stored.
impl PartialEq for Word {
    fn eq(&self, other: &Word) -> bool {
        self.raw == other.raw && self.value() == other.value() && self.span == other.span
    }
}

impl Eq for Word {}

/// Serialized as the struct it was, `{raw, value, span}`, with `value` null or a string.
impl Serialize for Word {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut word = serializer.serialize_struct("Word", 3)?;
        word.serialize_field("raw", &self.raw)?;
        word.serialize_field("value", &self.value())?;
        word.serialize_field("span", &self.span)?;
        word.end()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Redirection {
    /// `>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `>&`, `<&`, `&>`, `&>>`, `<>`, `>|`.
    pub op: RedirectOp,
    /// The IO number before the operator (`2` in `2>&1`).
    pub fd: Option<u32>,
    /// The file, descriptor or here-string; for a here-document, its delimiter word.
    pub target: Word,
    /// A here-document's body (Dockerfile bytes), when it was in the script.
    pub body: Option<Span>,
    pub span: Span,
}

/// A redirection operator: one of a fixed set, so it is held as the parser's own constant
/// rather than copied into a string for each redirection. Reads as a `str`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RedirectOp(&'static str);

impl RedirectOp {
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

impl Deref for RedirectOp {
    type Target = str;

    fn deref(&self) -> &str {
        self.0
    }
}

impl PartialEq<&str> for RedirectOp {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<str> for RedirectOp {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

/// Shown, like serialised, as the operator's text.
impl fmt::Debug for RedirectOp {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, formatter)
    }
}

impl fmt::Display for RedirectOp {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.0)
    }
}

impl Serialize for RedirectOp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Command {
    /// The command run, after seeing through wrappers.
    pub name: Word,
    pub args: Vec<Word>,
    /// Leading `NAME=value` words.
    pub assignments: Vec<Word>,
    /// The wrapper words seen through, in order: `sudo -u app`, `env A=b`, `nice -n 5`,
    /// `nohup`, `time`, `exec`, `command`, `xargs -r`, `stdbuf -oL`, `timeout 5`, `gosu app`.
    pub wrappers: Vec<Word>,
    /// Where each wrapper's program word is in `wrappers` (its options and operands follow).
    #[serde(skip)]
    pub wrapper_starts: Vec<usize>,
    pub redirections: Vec<Redirection>,
    /// The whole simple command: assignments, wrappers, name, arguments, redirections.
    pub span: Span,
    pub context: Context,
    /// Where the program starts in the name's value (past its last `/`): every rule asks for
    /// the program of every command, so the name is scanned once, when the command is built.
    #[serde(skip)]
    program_start: usize,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Context {
    /// Inside `$( )`, backquotes, `<( )` or an unquoted here-document's substitution.
    pub in_substitution: bool,
    /// In an `if`/`elif`/`while`/`until` condition list.
    pub in_condition: bool,
    /// Part of a pipeline of more than one command.
    pub in_pipeline: bool,
    /// In an and-or list ended by `&`.
    pub background: bool,
    /// Inside the script of `sh -c '…'` or `su -c '…'`.
    pub nested_shell: bool,
    /// Runs only when what came before failed: the right side of `||`.
    pub after_or: bool,
    /// Inside a `( … )` subshell: `exit` there leaves the subshell only.
    #[serde(skip)]
    pub in_subshell: bool,
}

impl Context {
    /// A command of the script's top-level `&&`/`;` lists: not in a substitution, condition,
    /// pipeline, background list or `sh -c` string, not after `||`. Fixes can add or remove
    /// such a command with its `&&` without changing what the rest of the script does.
    pub fn is_plain(&self) -> bool {
        !(self.in_substitution
            || self.in_condition
            || self.in_pipeline
            || self.background
            || self.nested_shell
            || self.after_or)
    }
}

/// A variable the script sets for the rest of its run: `NAME=value` alone or before a special
/// builtin (`buildDeps='gcc make' set -x`), `export NAME=value`, `readonly NAME=value`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Variable {
    pub name: String,
    /// The words an unquoted `$NAME` expands to (the value split on blanks), each with the
    /// Dockerfile span of its text inside the assignment; `None` when the value is dynamic
    /// or appended to (`NAME+=…`).
    pub words: Option<Vec<Word>>,
    /// The whole `NAME=value` word.
    pub span: Span,
    pub context: Context,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Script {
    /// Every simple command, nested ones included, in source order.
    pub commands: Vec<Command>,
    /// Every variable assignment that lasts, in source order.
    pub variables: Vec<Variable>,
    /// `Some`: the script does not parse and is opaque past this point.
    pub error: Option<ShellError>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShellError {
    pub message: String,
    pub span: Span,
}

impl Script {
    pub fn is_opaque(&self) -> bool {
        self.error.is_some()
    }
}

/// `NAME` when `word` is a bare, unquoted `$NAME` or `${NAME}`.
pub fn bare_variable(word: &Word) -> Option<&str> {
    let name = word.raw.strip_prefix('$')?;
    let name = name
        .strip_prefix('{')
        .and_then(|inner| inner.strip_suffix('}'))
        .unwrap_or(name);
    let is_name = name
        .bytes()
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == b'_')
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_');
    is_name.then_some(name)
}

/// The last assignment of `name` the script made before `command`, in the same shell (not
/// inside `sh -c '…'` for a command outside it, nor in a substitution's subshell).
pub fn variable_before<'v>(
    variables: &'v [Variable],
    command: &Command,
    name: &str,
) -> Option<&'v Variable> {
    variables.iter().rev().find(|variable| {
        variable.span.start < command.span.start
            && variable.context.nested_shell == command.context.nested_shell
            && !variable.context.in_substitution
            && variable.name == name
    })
}

impl Command {
    /// The command's program name: the last path component of a static name
    /// (`/usr/bin/apt-get` → `apt-get`).
    #[inline]
    pub fn program(&self) -> Option<&str> {
        let value = self.name.value()?;
        // Commands are built by the parser only, and their names are not replaced afterwards;
        // `get` keeps a name changed by hand from panicking.
        value.get(self.program_start..)
    }

    /// Whether it runs a script given as a word that is read in place (`sh -c 'mkdir /x'`,
    /// `su -c '…'`): the script's commands follow it in the list, so the shell itself does
    /// nothing else.
    pub fn runs_listed_script(&self) -> bool {
        command::runs_listed_script(&self.name, &self.args)
    }

    /// The wrappers the command runs through, outermost first: each one's program name and
    /// catalog entry, with the words that are its options and operands (`sudo -u app`: `-u`,
    /// `app`).
    pub fn wrapper_calls(&self) -> impl Iterator<Item = (&str, &'static Wrapper, &[Word])> {
        self.wrapper_starts
            .iter()
            .enumerate()
            .filter_map(|(index, &start)| {
                let end = self
                    .wrapper_starts
                    .get(index + 1)
                    .copied()
                    .unwrap_or(self.wrappers.len());
                let name = command::program(&self.wrappers[start])?;
                Some((
                    name,
                    wrappers::wrapper(name)?,
                    &self.wrappers[start + 1..end],
                ))
            })
    }
}

/// Parses a shell script; `map` takes script offsets to Dockerfile offsets.
pub fn parse(script: &str, map: &dyn OffsetMap) -> Script {
    let mut sink = Sink::for_script(script);
    // One copy of the script, which its words share.
    let script = Shared::from(script);
    let result = Parser::new(&script, 0, map, &mut sink, 0, Context::default()).run();
    finish(sink, result.err())
}

/// Exec-form RUN `["apt-get", "install", "x"]`: one command from already-decoded argv words
/// (value and span of each JSON string, quotes included), wrappers and `sh -c` seen through.
pub fn from_argv(argv: &[(String, Span)]) -> Script {
    let mut sink = Sink::default();
    let (Some(first), Some(last)) = (argv.first(), argv.last()) else {
        return finish(sink, None);
    };
    let words = argv
        .iter()
        .map(|(value, span)| Word::literal(value.as_str(), *span))
        .collect();
    let span = first.1.cover(last.1);
    let commands = command::build_commands(words, Vec::new(), Vec::new(), span, Context::default());
    let mut error = None;
    for built in commands {
        sink.commands.push(built.command);
        if let Some(script) = built.script
            && error.is_none()
        {
            let (text, span) = &argv[script.word];
            let map = json_string_map(text, *span);
            let text = Shared::from(text.as_str());
            let context = Context {
                nested_shell: true,
                ..Context::default()
            };
            error = Parser::new(&text, script.offset, &map, &mut sink, 1, context)
                .run()
                .err();
        }
    }
    finish(sink, error)
}

/// Maps a decoded JSON string back to its literal (`span` includes the quotes), assuming
/// the usual escapes; when the lengths disagree every offset maps to the whole literal.
fn json_string_map(value: &str, span: Span) -> PieceMap {
    let encoded = |c: char| match c {
        '"' | '\\' | '\n' | '\r' | '\t' | '\x08' | '\x0c' => 2,
        c if (c as u32) < 0x20 => 6,
        c => c.len_utf8(),
    };
    let inner = Span::new(
        span.start + 1,
        span.end.saturating_sub(1).max(span.start + 1),
    );
    let mut map = PieceMap::new();
    if value.chars().map(encoded).sum::<usize>() != inner.len() {
        map.push_escape(0, value.len(), inner.start, inner.len());
        return map;
    }
    let mut source = inner.start;
    for (at, c) in value.char_indices() {
        map.push_escape(at, c.len_utf8(), source, encoded(c));
        source += encoded(c);
    }
    map
}

/// Attaches here-document bodies and puts the commands in source order.
fn finish(sink: Sink, error: Option<Box<ShellError>>) -> Script {
    let Sink {
        mut commands,
        mut variables,
        bodies,
    } = sink;
    // Most scripts have no here-document: their commands' redirections are not walked.
    if !bodies.is_empty() {
        for redirection in commands
            .iter_mut()
            .flat_map(|command| &mut command.redirections)
        {
            if redirection.op == "<<" || redirection.op == "<<-" {
                redirection.body = bodies.get(&redirection.target.span.start).copied();
            }
        }
    }
    // Commands come in source order unless a substitution's came before its own: the check
    // spares most scripts the sort's scratch buffer.
    if !commands.is_sorted_by_key(|command| command.span.start) {
        sort_nearly_sorted(&mut commands, |command| command.span.start);
    }
    // Variables too: the sort's setup cost more than the check for the few most scripts set.
    if !variables.is_sorted_by_key(|variable| variable.span.start) {
        variables.sort_by_key(|variable| variable.span.start);
    }
    Script {
        commands,
        variables,
        error: error.map(|error| *error),
    }
}

/// Sorts `items` by `key`, stably (as `sort_by_key`), by insertion while that stays cheap:
/// commands come nearly in order (a substitution's commands just before the command holding
/// them), and the general sort's setup (a scratch copy of the list) cost more than the few
/// moves they need. Past a budget of moves it leaves the rest to the general sort, so that no
/// input makes it quadratic (moves keep equal keys in order: the result is the same).
fn sort_nearly_sorted<T>(items: &mut [T], key: impl Fn(&T) -> usize) {
    let mut budget = items.len().saturating_mul(4);
    for index in 1..items.len() {
        let mut at = index;
        while at > 0 && key(&items[at - 1]) > key(&items[at]) {
            if budget == 0 {
                items.sort_by_key(key);
                return;
            }
            budget -= 1;
            items.swap(at - 1, at);
            at -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearly_sorted_lists_sort_as_a_stable_sort_would() {
        // (key, push order): pairs of equal keys keep their order, and a reversed list runs
        // past the budget of moves into the general sort.
        let lists: [Vec<usize>; 4] = [
            vec![],
            vec![3, 1, 2, 2, 0, 5, 4, 4],
            (0..100).rev().collect(),
            (0..50).flat_map(|n| [n + 1, n]).collect(),
        ];
        for keys in lists {
            let mut items: Vec<(usize, usize)> = keys.into_iter().zip(0..).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|item| item.0);
            sort_nearly_sorted(&mut items, |item| item.0);
            assert_eq!(items, expected);
        }
    }

    fn names(script: &str) -> Vec<String> {
        parse(script, &Contiguous(0))
            .commands
            .iter()
            .map(|command| {
                command
                    .name
                    .value()
                    .unwrap_or(&command.name.raw)
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn dialects() {
        let shell =
            |argv: &[&str]| dialect(&argv.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            shell(&["/bin/bash", "-o", "pipefail", "-c"]),
            Dialect::Posix
        );
        assert_eq!(shell(&["C:\\Windows\\BusyBox.EXE"]), Dialect::Posix);
        assert_eq!(shell(&["pwsh", "-Command"]), Dialect::Opaque);
        assert_eq!(shell(&["cmd", "/S", "/C"]), Dialect::Opaque);
        assert_eq!(shell(&[]), Dialect::Opaque);
    }

    /// The words `$NAME` in the last command's operand `operand` expands to.
    fn expanded(script: &str, operand: usize) -> Option<Vec<String>> {
        let parsed = parse(script, &Contiguous(0));
        let command = parsed.commands.last().unwrap();
        let name = bare_variable(&command.args[operand])?;
        let words = variable_before(&parsed.variables, command, name)?
            .words
            .as_ref()?;
        for word in words {
            assert_eq!(&script[word.span.start..word.span.end], word.raw);
        }
        Some(words.iter().map(|word| word.raw.to_string()).collect())
    }

    #[test]
    fn lasting_variables_expand_to_their_words() {
        let deps = Some(vec!["gcc".to_string(), "make".to_string()]);
        assert_eq!(
            expanded("d=' gcc\tmake ' set -x && apt install $d", 1),
            deps
        );
        assert_eq!(expanded("d=\"gcc make\"; apt install ${d}", 1), deps);
        assert_eq!(expanded("export d='gcc make'; apt install $d", 1), deps);
        // Not lasting, dynamic, appended to, quoted, part of a word, in another shell, later.
        assert_eq!(expanded("d='gcc make' env; apt install $d", 1), None);
        assert_eq!(expanded("d=$(cat deps); apt install $d", 1), None);
        assert_eq!(expanded("d='gcc'; d+=' make'; apt install $d", 1), None);
        assert_eq!(expanded("d='gcc make'; apt install \"$d\"", 1), None);
        assert_eq!(expanded("d='gcc make'; apt install x$d", 1), None);
        assert_eq!(expanded("d='gcc make'; apt install $1", 1), None);
        assert_eq!(expanded("sh -c \"d='gcc make'\"; apt install $d", 1), None);
        assert_eq!(expanded("apt install $d; d='gcc make'", 1), None);
    }

    #[test]
    fn nested_commands_in_source_order() {
        assert_eq!(
            names("echo $(date) `id -u` && x"),
            ["echo", "date", "id", "x"]
        );
        assert_eq!(names("sh -c 'a; b' | c"), ["sh", "a", "b", "c"]);
    }

    /// The decoded strings of a flat JSON array of strings, with their spans.
    fn json_strings(text: &str) -> Vec<(String, Span)> {
        let bytes = text.as_bytes();
        let mut strings = Vec::new();
        let mut at = 0;
        while let Some(open) = text[at..].find('"').map(|i| at + i) {
            let mut end = open + 1;
            while bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            let literal = &text[open..=end];
            strings.push((
                serde_json::from_str(literal).unwrap(),
                Span::new(open, end + 1),
            ));
            at = end + 1;
        }
        strings
    }

    #[test]
    fn exec_form_sees_through_shells() {
        let text = r#"["sudo", "sh", "-c", "apt-get install -y \"vim\""]"#;
        let argv = json_strings(text);
        let script = from_argv(&argv);
        assert!(!script.is_opaque());
        let apt = &script.commands[1];
        assert_eq!(apt.name.span.text(text), "apt-get");
        assert_eq!(apt.args[2].span.text(text), r#"\"vim\""#);
        assert_eq!(apt.args[2].value(), Some("vim"));
        assert_eq!(script.commands[0].wrappers.len(), 1);
    }
}
