//! The grammar: a recursive-descent parser for POSIX sh plus the bash forms real Dockerfiles
//! use. Every simple command it meets, wherever it is nested, goes to the shared [`Sink`].

use std::cell::Cell;
use std::collections::HashMap;

use foldhash::fast::FixedState;

use super::command::RedirTok;
use super::lexer::{Op, PendingHeredoc, Redir, Tok, WordTok, assignment_name_len};
use super::map::{Composed, OffsetMap, Run, map_span};
use super::text::Shared;
use super::unquote::unquote_mapped;
use super::{Command, Context, ShellError, Span, Text, Variable, Word};

/// How deep constructs may nest (substitutions, compound commands, nested shells) before the
/// script is refused: recursion stays far from the stack's end, even on a 2 MiB test thread.
pub(super) const MAX_DEPTH: usize = 100;

/// Errors are boxed: they are rare, and a pointer-sized error lets every `PResult<()>` of the
/// descent come back in a register rather than through memory.
pub(super) type PResult<T> = Result<T, Box<ShellError>>;

// Word sets as `matches!` rather than arrays searched with `contains`: the compiler switches
// on the length first, and every token where a command may start is looked up.

/// Words that end a command list when they stand where a command would start.
fn is_closer(word: &str) -> bool {
    matches!(
        word,
        "then" | "else" | "elif" | "fi" | "do" | "done" | "esac" | "}"
    )
}

/// The reserved word `word` is, if it is one: a match on the bytes (no slicing of the script
/// text), answered as a static string.
fn reserved(word: &[u8]) -> Option<&'static str> {
    let found = match word {
        b"if" => "if",
        b"then" => "then",
        b"else" => "else",
        b"elif" => "elif",
        b"fi" => "fi",
        b"do" => "do",
        b"done" => "done",
        b"case" => "case",
        b"esac" => "esac",
        b"while" => "while",
        b"until" => "until",
        b"for" => "for",
        b"select" => "select",
        b"in" => "in",
        b"{" => "{",
        b"}" => "}",
        b"!" => "!",
        b"function" => "function",
        b"[[" => "[[",
        _ => return None,
    };
    Some(found)
}

/// Every reserved word: [`reserved`] matches each of them (a test checks it).
const RESERVED_WORDS: [&str; 19] = [
    "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for",
    "select", "in", "{", "}", "!", "function", "[[",
];

/// For each first byte, the lengths of the reserved words starting with it (bit `n`: `n`
/// bytes): most words (`apt-get`, `-y`, `/tmp`) are told apart from every reserved word by
/// this table alone.
static RESERVED_LENGTHS: [u16; 256] = {
    let mut table = [0; 256];
    let mut index = 0;
    while index < RESERVED_WORDS.len() {
        let word = RESERVED_WORDS[index].as_bytes();
        table[word[0] as usize] |= 1 << word.len();
        index += 1;
    }
    table
};

/// Builtins before which `NAME=value` assignments persist in a POSIX shell.
fn is_special_builtin(word: &str) -> bool {
    matches!(
        word,
        ":" | "."
            | "break"
            | "continue"
            | "eval"
            | "exec"
            | "exit"
            | "export"
            | "readonly"
            | "return"
            | "set"
            | "shift"
            | "times"
            | "trap"
            | "unset"
    )
}

/// The fields `value` splits into on blanks (the default IFS), with their offsets: an iterator,
/// as most values are one field.
fn split_fields(value: &str) -> impl Iterator<Item = (usize, &str)> {
    let is_blank = |b: u8| matches!(b, b' ' | b'\t' | b'\n');
    let bytes = value.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && is_blank(bytes[at]) {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && !is_blank(bytes[at]) {
            at += 1;
        }
        (at > start).then(|| (start, &value[start..at]))
    })
}

/// The tokens of one simple command, in the three lists it is built from.
#[derive(Default)]
struct CommandTokens {
    assignments: Vec<WordTok>,
    words: Vec<WordTok>,
    redirections: Vec<RedirTok>,
}

thread_local! {
    /// The token lists, kept from script to script on each thread: a parser starts with lists
    /// already grown to fit long commands, rather than growing its own for every RUN. `None`
    /// while a parser holds them: taking and putting back build and drop no empty lists.
    static SCRATCH: Cell<Option<CommandTokens>> = const { Cell::new(None) };
}

impl CommandTokens {
    fn clear(&mut self) {
        self.assignments.clear();
        self.words.clear();
        self.redirections.clear();
    }
}

/// What every parser of one script writes to, nested ones included.
#[derive(Default)]
pub(super) struct Sink {
    pub commands: Vec<Command>,
    /// Variables set for the rest of the script, in parse order.
    pub variables: Vec<Variable>,
    /// Here-document body spans, by the Dockerfile offset of their delimiter word. Hashed
    /// with foldhash's fixed-seed hasher: a random seed is read from the thread for every
    /// map made, and every script makes one (most never use it).
    pub bodies: HashMap<usize, Span, FixedState>,
}

impl Sink {
    /// A sink with room for the commands of `script`, so that its list of commands (large
    /// elements) is not grown and copied again and again as they come.
    pub fn for_script(script: &str) -> Sink {
        // Each field built here: filling the rest from `Sink::default()` built and dropped a
        // second list of commands.
        Sink {
            commands: Vec::with_capacity(estimated_commands(script.len())),
            variables: Vec::new(),
            bodies: HashMap::default(),
        }
    }
}

/// How many simple commands a script of `len` bytes may hold, erring high: a command of the
/// 288-file sample's scripts takes 80 bytes on average, and no script of it outgrew this
/// estimate. From the length alone: counting the separators cost more than the growing it
/// spares.
fn estimated_commands(len: usize) -> usize {
    len / 40 + 4
}

pub(super) struct Parser<'a> {
    /// The script, shared with the words read from it.
    pub shared: &'a Shared,
    pub text: &'a str,
    pub bytes: &'a [u8],
    pub pos: usize,
    /// The end of what may be read (the end of a here-document body while it is scanned).
    pub limit: usize,
    pub map: &'a dyn OffsetMap,
    pub sink: &'a mut Sink,
    pub depth: usize,
    pub peeked: Option<Tok>,
    pub pending: Vec<PendingHeredoc>,
    /// The context of the commands parsed now.
    pub context: Context,
    /// The tokens of the simple command being read (kept to reuse their allocations); `None`
    /// while a command holds them, so that putting them back has nothing to drop in the
    /// usual case (only a substitution inside that command leaves lists of its own there).
    scratch: Option<CommandTokens>,
    /// The map's bookmark for [`Parser::span`]: words are mapped in order.
    span_hint: Cell<usize>,
    /// The run of the map that held the last span: most words lie in the run of the word
    /// before, and are mapped without asking the map.
    span_run: Cell<Run>,
}

/// A parser gives its token lists back to the thread for the next one.
impl Drop for Parser<'_> {
    fn drop(&mut self) {
        if let Some(tokens) = self.scratch.take() {
            SCRATCH.set(Some(tokens));
        }
    }
}

impl<'a> Parser<'a> {
    pub fn new(
        text: &'a Shared,
        start: usize,
        map: &'a dyn OffsetMap,
        sink: &'a mut Sink,
        depth: usize,
        context: Context,
    ) -> Self {
        Parser {
            shared: text,
            text,
            bytes: text.as_bytes(),
            pos: start.min(text.len()),
            limit: text.len(),
            map,
            sink,
            depth,
            peeked: None,
            pending: Vec::new(),
            context,
            scratch: SCRATCH.take(),
            span_hint: Cell::new(0),
            span_run: Cell::new(Run::default()),
        }
    }

    /// A parser for a text nested in this one (backquotes, `sh -c`), sharing the sink.
    pub fn sub_parser<'b>(
        &'b mut self,
        text: &'b Shared,
        map: &'b dyn OffsetMap,
        start: usize,
        context: Context,
    ) -> Parser<'b> {
        Parser::new(text, start, map, self.sink, self.depth, context)
    }

    /// Parses the whole text.
    pub fn run(&mut self) -> PResult<()> {
        self.compound_list()?;
        match self.peek()? {
            Tok::Eof(_) => Ok(()),
            Tok::Op {
                op: Op::RParen,
                start,
                end,
                ..
            } => Err(self.error("`)` without matching `(`", start, end)),
            tok => Err(self.unexpected(tok, "a command")),
        }
    }

    pub fn error(&self, message: &str, start: usize, end: usize) -> Box<ShellError> {
        Box::new(ShellError {
            message: message.to_string(),
            span: map_span(self.map, start, end),
        })
    }

    pub fn unexpected(&self, tok: Tok, expected: &str) -> Box<ShellError> {
        let found = match tok {
            Tok::Eof(_) => "end of script".to_string(),
            Tok::Newline(_) => "newline".to_string(),
            _ => {
                let text: String = self.text[tok.start()..tok.end()].chars().take(40).collect();
                format!("`{text}`")
            }
        };
        let end = tok.end().min(self.limit);
        self.error(
            &format!("unexpected {found}, expected {expected}"),
            tok.start(),
            end,
        )
    }

    /// The Dockerfile span of script bytes `start..end`, looked up near the previous one.
    /// Inlined: most spans lie in the run of the one before, and are mapped without a call.
    #[inline]
    pub fn span(&self, start: usize, end: usize) -> Span {
        let mut run = self.span_run.get();
        self.span_in(&mut run, start, end)
    }

    /// [`span`](Self::span) for a caller mapping many spans in order (a command's words):
    /// `run` is its copy of the last run found, kept in a register rather than read from and
    /// written back to the parser for each span.
    #[inline(always)]
    pub fn span_in(&self, run: &mut Run, start: usize, end: usize) -> Span {
        if let Some(span) = run.span(start, end) {
            return span;
        }
        let span = self.span_outside_run(start, end);
        *run = self.span_run.get();
        span
    }

    /// [`span`](Self::span) of a range outside the last run: the map finds the run holding
    /// it (or maps it piece by piece when no run holds it all).
    #[inline(never)]
    fn span_outside_run(&self, start: usize, end: usize) -> Span {
        let mut hint = self.span_hint.get();
        if let Some(run) = self.map.run_near(&mut hint, start) {
            self.span_hint.set(hint);
            self.span_run.set(run);
            if let Some(span) = run.span(start, end) {
                return span;
            }
        }
        let span = self.map.span_near(&mut hint, start, end);
        self.span_hint.set(hint);
        span
    }

    /// The run of the map that held the last span mapped, for [`span_in`](Self::span_in).
    #[inline]
    pub fn span_run(&self) -> Run {
        self.span_run.get()
    }

    /// Enters a nested construct starting at `at`; refuses to go deeper than [`MAX_DEPTH`].
    pub fn enter(&mut self, at: usize) -> PResult<()> {
        if self.depth >= MAX_DEPTH {
            let end = at + self.text[at..].chars().next().map_or(0, char::len_utf8);
            let message = format!("nested more than {MAX_DEPTH} levels deep");
            return Err(self.error(&message, at, end));
        }
        self.depth += 1;
        Ok(())
    }

    pub fn leave(&mut self) {
        self.depth -= 1;
    }

    fn raw(&self, word: WordTok) -> &'a str {
        &self.text[word.start..word.end]
    }

    /// The reserved word `tok` is, if it is one (unquoted, standing alone).
    /// Asked of every token where a command may start, often several times: inlined, with
    /// the table that rules out most words before the match.
    #[inline(always)]
    fn keyword(&self, tok: Tok) -> Option<&'static str> {
        match tok {
            // A reserved word has no quote, escape or expansion: it is a plain word.
            Tok::Word(word) if word.plain && !word.dynamic => {
                let text = &self.bytes[word.start..word.end];
                let first = *text.first()?;
                if RESERVED_LENGTHS[usize::from(first)] & (1 << text.len().min(15)) == 0 {
                    return None;
                }
                reserved(text)
            }
            _ => None,
        }
    }

    fn is_op(tok: Tok, wanted: Op) -> bool {
        matches!(tok, Tok::Op { op, .. } if op == wanted)
    }

    fn skip_newlines(&mut self) -> PResult<()> {
        while let Tok::Newline(_) = self.peek()? {
            self.consume();
        }
        Ok(())
    }

    fn ends_list(&self, tok: Tok) -> bool {
        match tok {
            Tok::Eof(_) => true,
            Tok::Op { op, .. } => matches!(op, Op::RParen | Op::DSemi | Op::SemiAnd | Op::DSemiAnd),
            Tok::Word(_) => self.keyword(tok).is_some_and(is_closer),
            Tok::Newline(_) => false,
        }
    }

    /// Sets a context flag on the commands pushed since `start` (known only after them).
    fn mark(&mut self, start: usize, set: fn(&mut Context)) {
        for command in &mut self.sink.commands[start..] {
            set(&mut command.context);
        }
    }

    /// And-or lists separated by `;`, `&` and newlines, up to a token that ends the list
    /// (left unread). True when it held a command.
    pub fn compound_list(&mut self) -> PResult<bool> {
        let mut any = false;
        loop {
            self.skip_newlines()?;
            let tok = self.peek()?;
            if self.ends_list(tok) {
                return Ok(any);
            }
            let start = self.sink.commands.len();
            self.and_or()?;
            any = true;
            match self.peek()? {
                Tok::Op { op: Op::Semi, .. } => {
                    self.consume();
                }
                Tok::Op { op: Op::Amp, .. } => {
                    self.consume();
                    self.mark(start, |context| context.background = true);
                }
                Tok::Newline(_) => {}
                _ => return Ok(any),
            }
        }
    }

    /// A list that must hold a command (POSIX and bash reject `if x; then fi`).
    fn required_list(&mut self) -> PResult<()> {
        if self.compound_list()? {
            return Ok(());
        }
        let tok = self.peek()?;
        Err(self.unexpected(tok, "a command"))
    }

    fn and_or(&mut self) -> PResult<()> {
        let base = self.context;
        self.pipeline()?;
        loop {
            let tok = self.peek()?;
            let after_or = if Self::is_op(tok, Op::AndIf) {
                base.after_or
            } else if Self::is_op(tok, Op::OrIf) {
                true
            } else {
                break;
            };
            self.consume();
            self.skip_newlines()?;
            self.context = Context { after_or, ..base };
            self.pipeline()?;
        }
        self.context = base;
        Ok(())
    }

    fn pipeline(&mut self) -> PResult<()> {
        let start = self.sink.commands.len();
        self.pipeline_prefix()?;
        self.command()?;
        let mut commands = 1;
        while let Tok::Op {
            op: Op::Pipe | Op::PipeAmp,
            ..
        } = self.peek()?
        {
            self.consume();
            self.skip_newlines()?;
            self.command()?;
            commands += 1;
        }
        if commands > 1 {
            self.mark(start, |context| context.in_pipeline = true);
        }
        Ok(())
    }

    /// `!` and bash's `time [-p]` before a pipeline. `time` before a simple command stays a
    /// word (a wrapper of that command); it is a keyword only before a compound command.
    fn pipeline_prefix(&mut self) -> PResult<()> {
        loop {
            let tok = self.peek()?;
            let timed = match tok {
                Tok::Word(word) if word.plain && &self.bytes[word.start..word.end] == b"time" => {
                    self.compound_follows(word.end)
                }
                _ => false,
            };
            if self.keyword(tok) != Some("!") && !timed {
                return Ok(());
            }
            self.next()?;
            if timed
                && let Tok::Word(word) = self.peek()?
                && self.raw(word) == "-p"
            {
                self.next()?;
            }
        }
    }

    /// Whether a compound command starts after `at` (past blanks and a `-p` option).
    fn compound_follows(&self, at: usize) -> bool {
        let rest = self.text[at..self.limit].trim_start_matches([' ', '\t']);
        let rest = match rest.strip_prefix("-p") {
            Some(after) if after.starts_with([' ', '\t']) => after.trim_start_matches([' ', '\t']),
            _ => rest,
        };
        if rest.starts_with('(') {
            return true;
        }
        let word_end = rest.find([' ', '\t', '\n', ';']).unwrap_or(rest.len());
        matches!(
            &rest[..word_end],
            "{" | "!" | "if" | "for" | "select" | "while" | "until" | "case" | "[["
        )
    }

    fn command(&mut self) -> PResult<()> {
        let tok = self.peek()?;
        match tok {
            Tok::Word(word) => match self.keyword(tok) {
                Some("if") => self.if_clause(word)?,
                Some("while" | "until") => self.while_clause(word)?,
                Some("for" | "select") => self.for_clause(word)?,
                Some("case") => self.case_clause(word)?,
                Some("{") => self.brace_group(word)?,
                Some("function") => return self.function_keyword(),
                Some("[[") => self.double_bracket(word)?,
                Some(_) => return Err(self.unexpected(tok, "a command")),
                None => return self.simple_command(),
            },
            Tok::Op {
                op: Op::LParen,
                start,
                ..
            } => {
                if self.bytes.get(start + 1) == Some(&b'(') && self.arithmetic_closes(start + 2) {
                    self.arithmetic_command(start)?;
                } else {
                    self.subshell(start)?;
                }
            }
            Tok::Op {
                op: Op::Redir(_), ..
            } => return self.simple_command(),
            _ => return Err(self.unexpected(tok, "a command")),
        }
        self.redirections()
    }

    /// The error for a construct whose closing word never came.
    fn unclosed(&self, tok: Tok, opener: WordTok, closer: &str) -> Box<ShellError> {
        match tok {
            Tok::Eof(_) => {
                let message = format!("`{}` without matching `{closer}`", self.raw(opener));
                self.error(&message, opener.start, opener.end)
            }
            _ => self.unexpected(tok, &format!("`{closer}`")),
        }
    }

    fn expect_keyword(&mut self, word: &str, opener: WordTok) -> PResult<()> {
        let tok = self.next()?;
        if self.keyword(tok) == Some(word) {
            Ok(())
        } else {
            Err(self.unclosed(tok, opener, word))
        }
    }

    fn expect_rparen(&mut self, open: usize, what: &str) -> PResult<()> {
        match self.next()? {
            Tok::Op { op: Op::RParen, .. } => Ok(()),
            Tok::Eof(_) => Err(self.error(&format!("{what} without matching `)`"), open, open + 1)),
            tok => Err(self.unexpected(tok, "`)`")),
        }
    }

    fn expect_word(&mut self, what: &str) -> PResult<WordTok> {
        match self.next()? {
            Tok::Word(word) => Ok(word),
            tok => Err(self.unexpected(tok, what)),
        }
    }

    /// A condition list (`if`, `elif`, `while`, `until`): its commands are `in_condition`.
    fn condition(&mut self) -> PResult<()> {
        let saved = self.context;
        self.context.in_condition = true;
        self.required_list()?;
        self.context = saved;
        Ok(())
    }

    fn if_clause(&mut self, open: WordTok) -> PResult<()> {
        self.next()?;
        self.enter(open.start)?;
        self.condition()?;
        self.expect_keyword("then", open)?;
        self.required_list()?;
        loop {
            let tok = self.next()?;
            match self.keyword(tok) {
                Some("elif") => {
                    self.condition()?;
                    self.expect_keyword("then", open)?;
                    self.required_list()?;
                }
                Some("else") => {
                    self.required_list()?;
                    self.expect_keyword("fi", open)?;
                    break;
                }
                Some("fi") => break,
                _ => return Err(self.unclosed(tok, open, "fi")),
            }
        }
        self.leave();
        Ok(())
    }

    fn while_clause(&mut self, open: WordTok) -> PResult<()> {
        self.next()?;
        self.enter(open.start)?;
        self.condition()?;
        self.do_group(open)?;
        self.leave();
        Ok(())
    }

    /// `do … done` (or bash's `{ … }`) of a loop.
    fn do_group(&mut self, open: WordTok) -> PResult<()> {
        let tok = self.peek()?;
        if self.keyword(tok) == Some("{")
            && let Tok::Word(brace) = tok
        {
            return self.brace_group(brace);
        }
        self.expect_keyword("do", open)?;
        self.required_list()?;
        self.expect_keyword("done", open)
    }

    fn for_clause(&mut self, open: WordTok) -> PResult<()> {
        self.next()?;
        self.enter(open.start)?;
        match self.peek()? {
            Tok::Op {
                op: Op::LParen,
                start,
                ..
            } if self.bytes.get(start + 1) == Some(&b'(') => {
                self.peeked = None;
                self.pos = start + 2;
                self.scan_arithmetic(start)?;
                if Self::is_op(self.peek()?, Op::Semi) {
                    self.next()?;
                }
            }
            _ => {
                self.expect_word("a variable name")?;
                self.skip_newlines()?;
                self.for_words()?;
            }
        }
        self.skip_newlines()?;
        self.do_group(open)?;
        self.leave();
        Ok(())
    }

    /// `in a b c;` or `;` or nothing, after `for name`.
    fn for_words(&mut self) -> PResult<()> {
        let tok = self.peek()?;
        if Self::is_op(tok, Op::Semi) {
            self.next()?;
            return Ok(());
        }
        if self.keyword(tok) != Some("in") {
            return Ok(());
        }
        self.next()?;
        loop {
            match self.next()? {
                Tok::Word(_) => {}
                Tok::Op { op: Op::Semi, .. } | Tok::Newline(_) => return Ok(()),
                tok => return Err(self.unexpected(tok, "`;` or a newline")),
            }
        }
    }

    fn case_clause(&mut self, open: WordTok) -> PResult<()> {
        self.next()?;
        self.enter(open.start)?;
        self.expect_word("a word after `case`")?;
        self.skip_newlines()?;
        self.expect_keyword("in", open)?;
        loop {
            self.skip_newlines()?;
            let tok = self.peek()?;
            if self.keyword(tok) == Some("esac") {
                self.next()?;
                break;
            }
            if let Tok::Eof(_) = tok {
                return Err(self.unclosed(tok, open, "esac"));
            }
            if !self.case_item()? {
                self.expect_keyword("esac", open)?;
                break;
            }
        }
        self.leave();
        Ok(())
    }

    /// `[(] pattern [| pattern]… ) list`, and its `;;`; false when no `;;` ended it.
    fn case_item(&mut self) -> PResult<bool> {
        if Self::is_op(self.peek()?, Op::LParen) {
            self.next()?;
        }
        self.expect_word("a pattern")?;
        while Self::is_op(self.peek()?, Op::Pipe) {
            self.next()?;
            self.expect_word("a pattern")?;
        }
        match self.next()? {
            Tok::Op { op: Op::RParen, .. } => {}
            tok => return Err(self.unexpected(tok, "`)` after the pattern")),
        }
        self.compound_list()?;
        match self.peek()? {
            Tok::Op {
                op: Op::DSemi | Op::SemiAnd | Op::DSemiAnd,
                ..
            } => {
                self.next()?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    fn brace_group(&mut self, open: WordTok) -> PResult<()> {
        self.next()?;
        self.enter(open.start)?;
        self.required_list()?;
        self.expect_keyword("}", open)?;
        self.leave();
        Ok(())
    }

    fn subshell(&mut self, open: usize) -> PResult<()> {
        self.next()?;
        self.enter(open)?;
        let saved = self.context;
        self.context.in_subshell = true;
        self.required_list()?;
        self.context = saved;
        self.expect_rparen(open, "`(`")?;
        self.leave();
        Ok(())
    }

    /// `(( … ))`: no command of its own, but its substitutions run.
    fn arithmetic_command(&mut self, open: usize) -> PResult<()> {
        self.peeked = None;
        self.enter(open)?;
        self.pos = open + 2;
        self.scan_arithmetic(open)?;
        self.leave();
        Ok(())
    }

    /// `function name [()] body`.
    fn function_keyword(&mut self) -> PResult<()> {
        self.next()?;
        let name = self.expect_word("a function name")?;
        if Self::is_op(self.peek()?, Op::LParen) {
            self.next()?;
            self.expect_rparen(name.start, "`(`")?;
        }
        self.function_body(name.start)
    }

    /// `name ( )` was read: the body is any command (a compound one in practice).
    fn function_definition(&mut self, name: WordTok) -> PResult<()> {
        let open = self.next()?.start();
        self.expect_rparen(open, "`(`")?;
        self.function_body(name.start)
    }

    fn function_body(&mut self, at: usize) -> PResult<()> {
        self.skip_newlines()?;
        self.enter(at)?;
        self.command()?;
        self.leave();
        Ok(())
    }

    /// `[[ … ]]`: one command named `[[` whose arguments are the test's words (its operators
    /// `&&`, `<`, `(` are not shell operators there).
    fn double_bracket(&mut self, open: WordTok) -> PResult<()> {
        self.next()?;
        let context = self.context;
        let mut words = vec![open];
        loop {
            let tok = self.next()?;
            match tok {
                Tok::Word(word) => {
                    words.push(word);
                    if !word.dynamic && self.raw(word) == "]]" {
                        break;
                    }
                }
                Tok::Eof(_) => return Err(self.unclosed(tok, open, "]]")),
                _ => {}
            }
        }
        self.push_command(context, &[], &words, &[])
    }

    /// Redirections after a compound command (`done < file`, `} > log`).
    fn redirections(&mut self) -> PResult<()> {
        while let Tok::Op {
            op: Op::Redir(op), ..
        } = self.peek()?
        {
            self.consume();
            self.redirection_target(op)?;
        }
        Ok(())
    }

    fn redirection_target(&mut self, op: Redir) -> PResult<WordTok> {
        let target = self.expect_word("a redirection target")?;
        if op.is_heredoc() {
            self.pend_heredoc(op, target);
        }
        Ok(target)
    }

    /// Records `word` when it is `NAME=value`: the words an unquoted `$NAME` then expands to
    /// (split on blanks, each mapped to the Dockerfile), or none for a dynamic value or an
    /// append (`NAME+=value`).
    fn record_variable(&mut self, word: WordTok) {
        let raw = self.raw(word);
        let Some(prefix_len) = assignment_name_len(raw) else {
            return;
        };
        let prefix = &raw[..prefix_len - 1];
        let append = prefix.ends_with('+');
        let name = prefix.trim_end_matches('+').to_string();
        let value_start = word.start + prefix_len;
        let words = (!word.dynamic && !append).then(|| self.value_words(value_start, word.end));
        let variable = Variable {
            name,
            words,
            span: self.span(word.start, word.end),
            context: self.context,
        };
        self.sink.variables.push(variable);
    }

    /// The words an unquoted `$NAME` expands to when the static value of an assignment is
    /// script bytes `start..end`: its fields, each mapped to the Dockerfile.
    fn value_words(&self, start: usize, end: usize) -> Vec<Word> {
        let raw = &self.text[start..end];
        // Most values (`noninteractive`, `/usr/src/app`) have nothing to remove: their fields
        // are slices of the script, mapped like its words, without a copy of the value and a
        // map of the copy.
        if !raw
            .bytes()
            .any(|b| matches!(b, b'\'' | b'"' | b'\\' | b'$'))
        {
            // A loop rather than a collect of the mapped fields: the collect's code cost more
            // than the words it built (as for a command's words).
            let mut words = Vec::new();
            let mut run = self.span_run();
            for (at, field) in split_fields(raw) {
                let (field_start, field_end) = (start + at, start + at + field.len());
                let text = Text::slice(self.shared, field_start, field_end);
                words.push(Word::literal(
                    text,
                    self.span_in(&mut run, field_start, field_end),
                ));
            }
            return words;
        }
        let (value, map) = unquote_mapped(raw, start);
        let composed = Composed {
            inner: &map,
            outer: self.map,
        };
        let mut fields = split_fields(&value).peekable();
        if fields.peek().is_none() {
            return Vec::new();
        }
        let shared = Shared::from(value.as_str());
        let mut words = Vec::new();
        for (at, field) in fields {
            let end = at + field.len();
            words.push(Word::literal(
                Text::slice(&shared, at, end),
                map_span(&composed, at, end),
            ));
        }
        words
    }

    fn simple_command(&mut self) -> PResult<()> {
        // The token lists are the parser's, reused from command to command (a substitution
        // inside a word takes them while this command holds its own, and puts back others).
        let mut tokens = self.scratch.take().unwrap_or_default();
        tokens.clear();
        let read = self.read_simple_command(&mut tokens);
        self.scratch = Some(tokens);
        read
    }

    fn read_simple_command(&mut self, tokens: &mut CommandTokens) -> PResult<()> {
        let context = self.context;
        let CommandTokens {
            assignments,
            words,
            redirections,
        } = tokens;
        loop {
            // Most tokens of a command are words read straight from the text; the others
            // (and a token already peeked) come through `peek`.
            let tok = match self.word_ahead()? {
                Some(word) => Tok::Word(word),
                None => self.peek()?,
            };
            match tok {
                Tok::Word(word) => {
                    self.consume();
                    if words.is_empty() && assignment_name_len(self.raw(word)).is_some() {
                        assignments.push(word);
                        continue;
                    }
                    words.push(word);
                    let alone =
                        words.len() == 1 && assignments.is_empty() && redirections.is_empty();
                    if alone && self.lparen_ahead() {
                        return self.function_definition(word);
                    }
                }
                Tok::Op {
                    op: Op::Redir(op),
                    fd,
                    start: op_start,
                    ..
                } => {
                    self.consume();
                    let target = self.redirection_target(op)?;
                    redirections.push(RedirTok {
                        op,
                        fd,
                        start: op_start,
                        target,
                    });
                }
                _ => break,
            }
        }
        // `NAME=value` alone, or before a special builtin such as `set`, stays set (POSIX);
        // `export NAME=value` and `readonly NAME=value` set it too.
        let first = words.first().map(|&word| self.raw(word));
        if first.is_none_or(is_special_builtin) {
            for &word in assignments.iter() {
                self.record_variable(word);
            }
        }
        if matches!(first, Some("export" | "readonly")) {
            for &word in &words[1..] {
                self.record_variable(word);
            }
        }
        if words.is_empty() {
            return Ok(());
        }
        self.push_command(context, assignments, words, redirections)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_words_pass_the_table_and_the_match() {
        for word in RESERVED_WORDS {
            let bytes = word.as_bytes();
            assert_ne!(
                RESERVED_LENGTHS[usize::from(bytes[0])] & (1 << bytes.len()),
                0
            );
            assert_eq!(reserved(bytes), Some(word));
        }
        for word in ["echo", "ifx", "done;", "", "[", "func"] {
            assert_eq!(reserved(word.as_bytes()), None, "{word}");
        }
    }
}
