//! Tokens and words. Shell lexing depends on the parser (a `$(` inside a word holds a whole
//! command list, and a newline token is where pending here-document bodies are read), so
//! the lexer is a set of methods on [`Parser`].

use super::Context;
use super::map::{Composed, PieceMap};
use super::parser::{PResult, Parser};
use super::text::Shared;
use super::unquote::{memchr, unquote};

/// A control or redirection operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Op {
    AndIf,
    OrIf,
    Semi,
    DSemi,
    SemiAnd,
    DSemiAnd,
    Amp,
    Pipe,
    PipeAmp,
    LParen,
    RParen,
    Redir(Redir),
}

/// A redirection operator. A byte rather than the operator's text: a `&'static str` made
/// [`Op`] three words wide, and every token with it, which the parser returns and keeps
/// as the peeked one at each step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Redir {
    /// `<`
    In,
    /// `>`
    Out,
    /// `<<`
    Heredoc,
    /// `<<-`
    HeredocStripTabs,
    /// `<<<`
    HereString,
    /// `>>`
    Append,
    /// `<&`
    DupIn,
    /// `>&`
    DupOut,
    /// `<>`
    ReadWrite,
    /// `>|`
    Clobber,
    /// `&>`
    AllOut,
    /// `&>>`
    AllAppend,
}

impl Redir {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Redir::In => "<",
            Redir::Out => ">",
            Redir::Heredoc => "<<",
            Redir::HeredocStripTabs => "<<-",
            Redir::HereString => "<<<",
            Redir::Append => ">>",
            Redir::DupIn => "<&",
            Redir::DupOut => ">&",
            Redir::ReadWrite => "<>",
            Redir::Clobber => ">|",
            Redir::AllOut => "&>",
            Redir::AllAppend => "&>>",
        }
    }

    /// `<<` or `<<-`: a here-document, whose body follows the next newline.
    pub fn is_heredoc(self) -> bool {
        matches!(self, Redir::Heredoc | Redir::HeredocStripTabs)
    }
}

/// A word: script offsets, and whether it holds an expansion or substitution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct WordTok {
    pub start: usize,
    pub end: usize,
    pub dynamic: bool,
    /// No quote, escape or `$` in it: a static plain word is its own value, and the scan
    /// that found its end already knows it.
    pub plain: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tok {
    Word(WordTok),
    /// An operator; `fd` is the IO number of a redirection (`2>`).
    Op {
        op: Op,
        fd: Option<u32>,
        start: usize,
        end: usize,
    },
    Newline(usize),
    Eof(usize),
}

impl Tok {
    #[inline]
    pub fn start(&self) -> usize {
        match *self {
            Tok::Word(word) => word.start,
            Tok::Op { start, .. } | Tok::Newline(start) | Tok::Eof(start) => start,
        }
    }

    #[inline]
    pub fn end(&self) -> usize {
        match *self {
            Tok::Word(word) => word.end,
            Tok::Op { end, .. } => end,
            Tok::Newline(at) => at + 1,
            Tok::Eof(at) => at,
        }
    }
}

/// A here-document whose body starts after the next newline token.
#[derive(Clone, Debug)]
pub(super) struct PendingHeredoc {
    pub delimiter: String,
    pub strip_tabs: bool,
    /// Unquoted delimiter: the body's substitutions run.
    pub expand: bool,
    /// Dockerfile offset of the delimiter word: the key its body span is stored under.
    pub key: usize,
    pub context: Context,
}

#[inline]
fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r')
}

/// Bytes that end an unquoted word.
#[inline]
const fn is_meta(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
    )
}

/// The bytes [`Parser::scan_word`] must look at: metacharacters, quotes, escapes and
/// expansions. A table, so that the plain bytes in between are skipped with one load each.
static WORD_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = is_meta(b as u8) || matches!(b as u8, b'\\' | b'\'' | b'"' | b'`' | b'$');
        b += 1;
    }
    table
};

/// Where the run of plain bytes (none in [`WORD_SPECIAL`]) from `at` ends in `bytes`. Four
/// bytes per test of the bound: most words are several plain bytes long, and the bound's test
/// and the step cost as much as the table's test of each byte.
#[inline(always)]
fn plain_run_end(bytes: &[u8], at: usize) -> usize {
    let special = |b: &u8| WORD_SPECIAL[usize::from(*b)];
    let Some(rest) = bytes.get(at..) else {
        return at;
    };
    let mut chunks = rest.chunks_exact(4);
    let mut end = at;
    for chunk in chunks.by_ref() {
        if let Some(within) = chunk.iter().position(special) {
            return end + within;
        }
        end += 4;
    }
    let tail = chunks.remainder();
    end + tail.iter().position(special).unwrap_or(tail.len())
}

/// The bytes a token may start with that make it a word without a look at what follows: not
/// an operator, not a digit (`2>` is an IO number), not a comment, a blank or a newline.
static STARTS_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = !is_meta(b as u8) && !(b as u8).is_ascii_digit() && b as u8 != b'#';
        b += 1;
    }
    table
};

/// The control or redirection operator `rest` starts with (the longest one), and its length:
/// `;;&`, `<<<`, `<<-`, `&>>`, `;;`, `;&`, `&&`, `||`, `|&`, `<<`, `>>`, `<&`, `>&`, `<>`,
/// `>|`, `&>`, `;`, `&`, `|`, `(`, `)`, `<`, `>`. A `match` on the bytes: every token is
/// asked, and most are words, told apart by their first byte.
#[inline]
fn operator_at(rest: &[u8]) -> Option<(usize, Op)> {
    let (&first, after) = rest.split_first()?;
    if !matches!(first, b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>') {
        return None;
    }
    let second = after.first().copied();
    let third = after.get(1).copied();
    let op = match (first, second) {
        (b';', Some(b';')) if third == Some(b'&') => (3, Op::DSemiAnd),
        (b';', Some(b';')) => (2, Op::DSemi),
        (b';', Some(b'&')) => (2, Op::SemiAnd),
        (b';', _) => (1, Op::Semi),
        (b'&', Some(b'&')) => (2, Op::AndIf),
        (b'&', Some(b'>')) if third == Some(b'>') => (3, Op::Redir(Redir::AllAppend)),
        (b'&', Some(b'>')) => (2, Op::Redir(Redir::AllOut)),
        (b'&', _) => (1, Op::Amp),
        (b'|', Some(b'|')) => (2, Op::OrIf),
        (b'|', Some(b'&')) => (2, Op::PipeAmp),
        (b'|', _) => (1, Op::Pipe),
        (b'(', _) => (1, Op::LParen),
        (b')', _) => (1, Op::RParen),
        (b'<', Some(b'<')) if third == Some(b'<') => (3, Op::Redir(Redir::HereString)),
        (b'<', Some(b'<')) if third == Some(b'-') => (3, Op::Redir(Redir::HeredocStripTabs)),
        (b'<', Some(b'<')) => (2, Op::Redir(Redir::Heredoc)),
        (b'<', Some(b'&')) => (2, Op::Redir(Redir::DupIn)),
        (b'<', Some(b'>')) => (2, Op::Redir(Redir::ReadWrite)),
        (b'<', _) => (1, Op::Redir(Redir::In)),
        (b'>', Some(b'>')) => (2, Op::Redir(Redir::Append)),
        (b'>', Some(b'&')) => (2, Op::Redir(Redir::DupOut)),
        (b'>', Some(b'|')) => (2, Op::Redir(Redir::Clobber)),
        (b'>', _) => (1, Op::Redir(Redir::Out)),
        _ => return None,
    };
    Some(op)
}

#[inline]
fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

#[inline]
fn is_name_byte(b: u8) -> bool {
    NAME_BYTES[usize::from(b)]
}

/// The bytes of a variable name after its first: one load each, for the scans of every
/// command's first word and every `$NAME`.
static NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b as u8 == b'_';
        b += 1;
    }
    table
};

/// `NAME=` or `NAME+=` (the start of an assignment, or of an array `NAME=(…)`).
pub(super) fn is_assignment_prefix(text: &str) -> bool {
    let Some(name) = text.strip_suffix('=') else {
        return false;
    };
    let name = name.strip_suffix('+').unwrap_or(name);
    let bytes = name.as_bytes();
    !bytes.is_empty() && is_name_start(bytes[0]) && bytes.iter().all(|&b| is_name_byte(b))
}

/// The length of a leading `NAME=`/`NAME+=` in an unquoted word, if any. Inlined: it is
/// asked of every command's first word.
#[inline]
pub(super) fn assignment_name_len(raw: &str) -> Option<usize> {
    // A byte scan of the name: most first words (`apt-get`, `cd`) stop at their first byte
    // that is not a name byte, without a search for `=` through the whole word.
    let bytes = raw.as_bytes();
    if !bytes.first().is_some_and(|&b| is_name_start(b)) {
        return None;
    }
    let mut at = 1;
    while bytes.get(at).is_some_and(|&b| is_name_byte(b)) {
        at += 1;
    }
    if bytes.get(at) == Some(&b'+') {
        at += 1;
    }
    (bytes.get(at) == Some(&b'=')).then_some(at + 1)
}

impl Parser<'_> {
    pub(super) fn peek(&mut self) -> PResult<Tok> {
        if let Some(tok) = self.peeked {
            return Ok(tok);
        }
        let tok = self.lex()?;
        self.peeked = Some(tok);
        Ok(tok)
    }

    /// Drops the token [`peek`](Self::peek) returned (cheaper than [`next`](Self::next) once
    /// the caller holds it).
    #[inline]
    pub(super) fn consume(&mut self) {
        self.peeked = None;
    }

    pub(super) fn next(&mut self) -> PResult<Tok> {
        let tok = self.peek()?;
        self.peeked = None;
        Ok(tok)
    }

    /// The next token, consumed, when it is a word that starts like one (`apt-get`, `-y`,
    /// `"$x"`: most tokens of a command); `None`, with nothing consumed, when a token was
    /// peeked or the next one may be anything else. A word read here skips the round trip
    /// of [`peek`](Self::peek) and [`lex`](Self::lex) (a token returned through memory twice
    /// and stored as the peeked one in between) that every word of every command paid.
    #[inline]
    pub(super) fn word_ahead(&mut self) -> PResult<Option<WordTok>> {
        if self.peeked.is_some() {
            return Ok(None);
        }
        self.skip_blanks();
        match self.byte(self.pos) {
            Some(b) if STARTS_WORD[usize::from(b)] => self.scan_word().map(Some),
            _ => Ok(None),
        }
    }

    /// Whether the next token is `(`, once a word was consumed (a function definition
    /// `name ( )` follows its name): a look at the next byte past the blanks, as every token
    /// `(` starts is that operator, rather than lexing the next token to ask.
    #[inline]
    pub(super) fn lparen_ahead(&mut self) -> bool {
        debug_assert!(self.peeked.is_none());
        self.skip_blanks();
        self.byte(self.pos) == Some(b'(')
    }

    #[inline]
    fn byte(&self, at: usize) -> Option<u8> {
        (at < self.limit).then(|| self.bytes[at])
    }

    fn lex(&mut self) -> PResult<Tok> {
        loop {
            self.skip_blanks();
            match self.byte(self.pos) {
                None => return Ok(Tok::Eof(self.limit)),
                // Most tokens: a word that starts like one (`apt-get`, `-y`, `"$x"`).
                Some(b) if STARTS_WORD[usize::from(b)] => return Ok(Tok::Word(self.scan_word()?)),
                Some(b'#') => {
                    let rest = &self.bytes[self.pos..self.limit];
                    self.pos += memchr(b'\n', rest).unwrap_or(rest.len());
                }
                Some(b'\n') => {
                    let at = self.pos;
                    self.pos += 1;
                    self.read_heredocs()?;
                    return Ok(Tok::Newline(at));
                }
                Some(_) => return self.lex_token(),
            }
        }
    }

    /// Moves past blanks and line continuations (the indentation of a joined RUN line is
    /// most of the bytes between tokens).
    fn skip_blanks(&mut self) {
        let bytes = &self.bytes[..self.limit];
        let mut at = self.pos;
        loop {
            match bytes.get(at) {
                Some(&b) if is_blank(b) => at += 1,
                Some(b'\\') if bytes.get(at + 1) == Some(&b'\n') => at += 2,
                _ => break,
            }
        }
        self.pos = at;
    }

    /// An operator, or a word starting with digits (`2>` is an IO number and an operator).
    #[inline(never)]
    fn lex_token(&mut self) -> PResult<Tok> {
        let start = self.pos;
        // Most of these tokens are control operators, which have no IO number or process
        // substitution to look for; the commonest (`&&`, `||`, `;`, `|`) are told by two bytes.
        let common = match (self.bytes[start], self.byte(start + 1)) {
            (b'&', Some(b'&')) => Some((2, Op::AndIf)),
            (b'|', Some(b'|')) => Some((2, Op::OrIf)),
            (b';', next) if !matches!(next, Some(b';' | b'&')) => Some((1, Op::Semi)),
            (b'|', next) if next != Some(b'&') => Some((1, Op::Pipe)),
            (b'&' | b'|' | b';' | b'(' | b')', _) => self.operator(start),
            _ => None,
        };
        if let Some((len, op)) = common {
            self.pos = start + len;
            return Ok(Tok::Op {
                op,
                fd: None,
                start,
                end: self.pos,
            });
        }
        let mut digits = 0;
        while self
            .byte(start + digits)
            .is_some_and(|b| b.is_ascii_digit())
        {
            digits += 1;
        }
        let fd = match self.byte(start + digits) {
            Some(b'<' | b'>') if digits > 0 => {
                self.pos += digits;
                self.text[start..start + digits].parse().ok()
            }
            _ => None,
        };
        let at = self.pos;
        let process_substitution =
            matches!(self.byte(at), Some(b'<' | b'>')) && self.byte(at + 1) == Some(b'(');
        if !process_substitution && let Some(op) = self.operator(at) {
            self.pos = at + op.0;
            return Ok(Tok::Op {
                op: op.1,
                fd,
                start,
                end: self.pos,
            });
        }
        self.pos = start;
        Ok(Tok::Word(self.scan_word()?))
    }

    /// The operator at `at` (the longest one that matches) and its length in bytes.
    #[inline]
    fn operator(&self, at: usize) -> Option<(usize, Op)> {
        operator_at(&self.bytes[at..self.limit])
    }

    /// Moves past the bytes that are copied into a word as they are (most of every word).
    fn skip_plain(&mut self) {
        self.pos = plain_run_end(&self.bytes[..self.limit], self.pos);
    }

    /// Scans one word from `self.pos`, parsing the command lists of its substitutions.
    /// Always inlined: the plain words most tokens are end here, in their reader's loop.
    #[inline(always)]
    fn scan_word(&mut self) -> PResult<WordTok> {
        let start = self.pos;
        self.skip_plain();
        // Most words are plain bytes up to a blank or an operator (one that cannot start a
        // process substitution `<(` or an array `a=(`): they are read here, and only the
        // others by the loop that knows every form.
        match self.byte(self.pos) {
            Some(b) if !is_meta(b) || matches!(b, b'<' | b'>' | b'(') => self.scan_word_from(start),
            _ => Ok(WordTok {
                start,
                end: self.pos,
                dynamic: false,
                plain: true,
            }),
        }
    }

    /// [`scan_word`](Self::scan_word) of a word that started at `start`, read up to
    /// `self.pos`, with quotes, escapes, expansions or substitutions ahead.
    #[inline(never)]
    fn scan_word_from(&mut self, start: usize) -> PResult<WordTok> {
        let mut dynamic = false;
        let mut plain = true;
        loop {
            self.skip_plain();
            let Some(b) = self.byte(self.pos) else {
                break;
            };
            match b {
                b'<' | b'>' if self.byte(self.pos + 1) == Some(b'(') => {
                    self.pos += 1;
                    self.command_substitution()?;
                    dynamic = true;
                }
                b'(' if is_assignment_prefix(&self.text[start..self.pos]) => {
                    plain = false;
                    dynamic |= self.scan_array()?;
                }
                _ if is_meta(b) => break,
                b'\\' => {
                    plain = false;
                    self.pos = (self.pos + 2).min(self.limit);
                }
                b'\'' => {
                    plain = false;
                    self.scan_single_quote()?;
                }
                b'"' => {
                    plain = false;
                    dynamic |= self.scan_double_quote()?;
                }
                b'`' => {
                    self.scan_backquote(false)?;
                    dynamic = true;
                }
                b'$' => {
                    plain = false;
                    dynamic |= self.scan_dollar(false)?;
                }
                _ => self.pos += 1,
            }
        }
        Ok(WordTok {
            start,
            end: self.pos,
            dynamic,
            plain,
        })
    }

    /// `NAME=(a b …)`, a bash array: words up to the matching `)`.
    fn scan_array(&mut self) -> PResult<bool> {
        let open = self.pos;
        self.enter(open)?;
        self.pos += 1;
        let mut dynamic = false;
        loop {
            match self.byte(self.pos) {
                None => return Err(self.error("array `(` is never closed by `)`", open, open + 1)),
                Some(b')') => {
                    self.pos += 1;
                    self.leave();
                    return Ok(dynamic);
                }
                Some(b' ' | b'\t' | b'\r' | b'\n') => self.pos += 1,
                Some(b'#') => {
                    let rest = &self.bytes[self.pos..self.limit];
                    self.pos += memchr(b'\n', rest).unwrap_or(rest.len());
                }
                Some(b) if is_meta(b) => {
                    let end = self.pos + 1;
                    return Err(self.error("unexpected operator in an array", self.pos, end));
                }
                Some(_) => dynamic |= self.scan_word()?.dynamic,
            }
        }
    }

    fn scan_single_quote(&mut self) -> PResult<()> {
        let open = self.pos;
        match memchr(b'\'', &self.bytes[open + 1..self.limit]) {
            Some(at) => {
                self.pos = open + 1 + at + 1;
                Ok(())
            }
            None => Err(self.error("unterminated single quote", open, open + 1)),
        }
    }

    /// `"…"` from its opening quote; true when it holds an expansion.
    pub(super) fn scan_double_quote(&mut self) -> PResult<bool> {
        let open = self.pos;
        self.pos += 1;
        let mut dynamic = false;
        loop {
            self.skip_quoted_text();
            match self.byte(self.pos) {
                None => return Err(self.error("unterminated double quote", open, open + 1)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(dynamic);
                }
                Some(b'\\') => self.pos = (self.pos + 2).min(self.limit),
                Some(b'$') => dynamic |= self.scan_dollar(true)?,
                Some(b'`') => {
                    self.scan_backquote(true)?;
                    dynamic = true;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// Moves past the bytes inside double quotes that stand for themselves.
    fn skip_quoted_text(&mut self) {
        let bytes = &self.bytes[..self.limit];
        let mut at = self.pos;
        while at < bytes.len() && !matches!(bytes[at], b'"' | b'\\' | b'$' | b'`') {
            at += 1;
        }
        self.pos = at;
    }

    /// Whatever starts with `$`; true when it expands (a lone `$` is literal).
    pub(super) fn scan_dollar(&mut self, in_quotes: bool) -> PResult<bool> {
        let at = self.pos;
        match self.byte(at + 1) {
            Some(b'(') if self.byte(at + 2) == Some(b'(') && self.arithmetic_closes(at + 3) => {
                self.enter(at)?;
                self.pos = at + 3;
                self.scan_arithmetic(at)?;
                self.leave();
            }
            Some(b'(') => {
                self.pos = at + 1;
                self.command_substitution()?;
            }
            Some(b'{') => self.scan_parameter(in_quotes)?,
            Some(b'\'') if !in_quotes => {
                self.scan_ansi_quote()?;
                return Ok(false);
            }
            Some(b'"') if !in_quotes => {
                self.pos = at + 1;
                return self.scan_double_quote();
            }
            Some(b) if is_name_start(b) => {
                self.pos = at + 1;
                while self.byte(self.pos).is_some_and(is_name_byte) {
                    self.pos += 1;
                }
            }
            Some(b'0'..=b'9' | b'@' | b'*' | b'#' | b'?' | b'$' | b'!' | b'-') => self.pos = at + 2,
            _ => {
                self.pos = at + 1;
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn scan_ansi_quote(&mut self) -> PResult<()> {
        let open = self.pos;
        self.pos += 2;
        loop {
            match self.byte(self.pos) {
                None => return Err(self.error("unterminated `$'` quote", open, open + 2)),
                Some(b'\\') => self.pos = (self.pos + 2).min(self.limit),
                Some(b'\'') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// `${…}` with any operator: up to the first `}` outside quotes and nested expansions
    /// (bash and dash do not pair bare braces: `${x:-{a}b}` is `${x:-{a}` then `b}`).
    fn scan_parameter(&mut self, in_quotes: bool) -> PResult<()> {
        let open = self.pos;
        self.enter(open)?;
        self.pos += 2;
        loop {
            match self.byte(self.pos) {
                None => return Err(self.error("`${` is never closed by `}`", open, open + 2)),
                Some(b'}') => break,
                Some(b'\\') => self.pos = (self.pos + 2).min(self.limit),
                Some(b'\'') if !in_quotes => self.scan_single_quote()?,
                Some(b'"') => {
                    self.scan_double_quote()?;
                }
                Some(b'`') => self.scan_backquote(in_quotes)?,
                Some(b'$') => {
                    self.scan_dollar(in_quotes)?;
                }
                Some(_) => self.pos += 1,
            }
        }
        self.pos += 1;
        self.leave();
        Ok(())
    }

    /// `(` … `)` after `$`, `<` or `>` (at `self.pos`, the parenthesis): a command list.
    fn command_substitution(&mut self) -> PResult<()> {
        let open = self.pos - 1;
        self.enter(open)?;
        self.pos += 1;
        let saved = self.context;
        self.context.in_substitution = true;
        self.compound_list()?;
        match self.next()? {
            Tok::Op { op: Op::RParen, .. } => {}
            Tok::Eof(_) => {
                let message = format!("`{}` is never closed by `)`", &self.text[open..open + 2]);
                return Err(self.error(&message, open, open + 2));
            }
            tok => return Err(self.unexpected(tok, "`)` to close the substitution")),
        }
        self.context = saved;
        self.leave();
        Ok(())
    }

    /// Whether the text from `from` (just after `((`) closes with `))` at depth zero, which
    /// makes `$((`/`((` arithmetic rather than a nested subshell. A scan without side effects.
    pub(super) fn arithmetic_closes(&self, from: usize) -> bool {
        let mut depth = 0usize;
        let mut at = from;
        while let Some(b) = self.byte(at) {
            match b {
                b'(' => depth += 1,
                b')' if depth == 0 => return self.byte(at + 1) == Some(b')'),
                b')' => depth -= 1,
                b'\\' => at += 1,
                b'\'' | b'"' => match memchr(b, &self.bytes[at + 1..self.limit]) {
                    Some(len) => at += len + 1,
                    None => return false,
                },
                _ => {}
            }
            at += 1;
        }
        false
    }

    /// The body of `$((…))` or `((…))` from `self.pos`, through the closing `))`.
    pub(super) fn scan_arithmetic(&mut self, open: usize) -> PResult<()> {
        let mut depth = 0usize;
        loop {
            match self.byte(self.pos) {
                None => return Err(self.error("`((` is never closed by `))`", open, open + 2)),
                Some(b')') if depth == 0 => {
                    if self.byte(self.pos + 1) != Some(b')') {
                        let at = self.pos;
                        return Err(self.error(
                            "expected `))` to close the arithmetic",
                            at,
                            at + 1,
                        ));
                    }
                    self.pos += 2;
                    return Ok(());
                }
                Some(b')') => {
                    depth -= 1;
                    self.pos += 1;
                }
                Some(b'(') => {
                    depth += 1;
                    self.pos += 1;
                }
                Some(b'\\') => self.pos = (self.pos + 2).min(self.limit),
                Some(b'\'') => self.scan_single_quote()?,
                Some(b'"') => {
                    self.scan_double_quote()?;
                }
                Some(b'`') => self.scan_backquote(false)?,
                Some(b'$') => {
                    self.scan_dollar(false)?;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// `` `…` ``: the text up to the closing backquote, with `\$`, `` \` ``, `\\` (and `\"`
    /// inside double quotes) unescaped, is parsed as a script of its own.
    pub(super) fn scan_backquote(&mut self, in_quotes: bool) -> PResult<()> {
        let open = self.pos;
        self.enter(open)?;
        self.pos += 1;
        let mut inner = String::new();
        let mut map = PieceMap::new();
        let mut run = self.pos;
        loop {
            match self.byte(self.pos) {
                None => return Err(self.error("unterminated backquote", open, open + 1)),
                Some(b'`') => break,
                Some(b'\\') => {
                    let next = self.byte(self.pos + 1);
                    if matches!(next, Some(b'$' | b'`' | b'\\'))
                        || (in_quotes && next == Some(b'"'))
                    {
                        map.push(inner.len(), run, self.pos - run);
                        inner.push_str(&self.text[run..self.pos]);
                        run = self.pos + 1;
                    }
                    self.pos = (self.pos + 2).min(self.limit);
                }
                Some(_) => self.pos += 1,
            }
        }
        map.push(inner.len(), run, self.pos - run);
        inner.push_str(&self.text[run..self.pos]);
        self.pos += 1;
        let composed = Composed {
            inner: &map,
            outer: self.map,
        };
        let mut context = self.context;
        context.in_substitution = true;
        let inner = Shared::from(inner);
        self.sub_parser(&inner, &composed, 0, context).run()?;
        self.leave();
        Ok(())
    }

    /// Called after a newline token: reads the bodies of the pending here-documents.
    #[inline(never)]
    fn read_heredocs(&mut self) -> PResult<()> {
        for heredoc in std::mem::take(&mut self.pending) {
            let body_start = self.pos;
            let body_end = self.skip_heredoc_body(&heredoc);
            let span = super::map::map_span(self.map, body_start, body_end);
            self.sink.bodies.insert(heredoc.key, span);
            if heredoc.expand {
                let after = self.pos;
                self.scan_heredoc_body(body_start, body_end, heredoc.context)?;
                self.pos = after;
            }
        }
        Ok(())
    }

    /// Moves past the body and its delimiter line; returns where the body ends. A body that
    /// runs to the end of the text is accepted, as bash does (with a warning).
    fn skip_heredoc_body(&mut self, heredoc: &PendingHeredoc) -> usize {
        while self.pos < self.limit {
            let rest = &self.bytes[self.pos..self.limit];
            let line_len = memchr(b'\n', rest).unwrap_or(rest.len());
            let mut line = &self.text[self.pos..self.pos + line_len];
            line = line.strip_suffix('\r').unwrap_or(line);
            if heredoc.strip_tabs {
                line = line.trim_start_matches('\t');
            }
            if line == heredoc.delimiter {
                let body_end = self.pos;
                self.pos = (self.pos + line_len + 1).min(self.limit);
                return body_end;
            }
            self.pos = (self.pos + line_len + 1).min(self.limit);
        }
        self.limit
    }

    /// Finds the substitutions of an unquoted here-document body (they run).
    fn scan_heredoc_body(&mut self, start: usize, end: usize, context: Context) -> PResult<()> {
        let saved_limit = self.limit;
        let saved_context = self.context;
        self.limit = end;
        self.pos = start;
        self.context = context;
        while let Some(b) = self.byte(self.pos) {
            match b {
                b'\\' => self.pos = (self.pos + 2).min(self.limit),
                b'$' => {
                    self.scan_dollar(true)?;
                }
                b'`' => self.scan_backquote(true)?,
                _ => self.pos += 1,
            }
        }
        self.limit = saved_limit;
        self.context = saved_context;
        Ok(())
    }

    /// Registers the here-document of `<<`/`<<-` whose delimiter word was just read.
    pub(super) fn pend_heredoc(&mut self, op: Redir, word: WordTok) {
        let raw = &self.text[word.start..word.end];
        let quoted = raw.bytes().any(|b| matches!(b, b'\'' | b'"' | b'\\'));
        let delimiter = if word.dynamic {
            raw.to_string()
        } else {
            unquote(raw)
        };
        self.pending.push(PendingHeredoc {
            delimiter,
            strip_tabs: op == Redir::HeredocStripTabs,
            expand: !quoted,
            key: self.map.to_source(word.start),
            context: Context {
                in_substitution: true,
                ..self.context
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operator, longest first: the first prefix match is the operator.
    const OPERATORS: [(&str, Op); 23] = [
        (";;&", Op::DSemiAnd),
        ("<<<", Op::Redir(Redir::HereString)),
        ("<<-", Op::Redir(Redir::HeredocStripTabs)),
        ("&>>", Op::Redir(Redir::AllAppend)),
        (";;", Op::DSemi),
        (";&", Op::SemiAnd),
        ("&&", Op::AndIf),
        ("||", Op::OrIf),
        ("|&", Op::PipeAmp),
        ("<<", Op::Redir(Redir::Heredoc)),
        (">>", Op::Redir(Redir::Append)),
        ("<&", Op::Redir(Redir::DupIn)),
        (">&", Op::Redir(Redir::DupOut)),
        ("<>", Op::Redir(Redir::ReadWrite)),
        (">|", Op::Redir(Redir::Clobber)),
        ("&>", Op::Redir(Redir::AllOut)),
        (";", Op::Semi),
        ("&", Op::Amp),
        ("|", Op::Pipe),
        ("(", Op::LParen),
        (")", Op::RParen),
        ("<", Op::Redir(Redir::In)),
        (">", Op::Redir(Redir::Out)),
    ];

    #[test]
    fn operators_are_the_longest_prefix() {
        let by_table = |text: &[u8]| {
            OPERATORS
                .iter()
                .find(|(op, _)| text.starts_with(op.as_bytes()))
                .map(|&(op, found)| (op.len(), found))
        };
        let alphabet = b";&|()<>-a";
        for &first in alphabet {
            assert_eq!(operator_at(&[first]), by_table(&[first]), "{first}");
            for &second in alphabet {
                for &third in alphabet {
                    let text = [first, second, third];
                    assert_eq!(operator_at(&text), by_table(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn redirections_read_as_written() {
        for (text, op) in OPERATORS {
            if let Op::Redir(redirection) = op {
                assert_eq!(redirection.as_str(), text);
                assert_eq!(redirection.is_heredoc(), text == "<<" || text == "<<-");
            }
        }
    }

    #[test]
    fn assignment_prefixes() {
        assert!(is_assignment_prefix("a="));
        assert!(is_assignment_prefix("_A1+="));
        assert!(!is_assignment_prefix("1a="));
        assert!(!is_assignment_prefix("="));
        assert!(!is_assignment_prefix("a-b="));
        assert_eq!(assignment_name_len("A=b=c"), Some(2));
        assert_eq!(assignment_name_len("--a=b"), None);
        for raw in [
            "a+=b", "a++=b", "a=", "a", "+=", "_=", "a-b=c", "a b=c", "é=1", "a+b=c",
        ] {
            let by_search = raw
                .find('=')
                .and_then(|eq| is_assignment_prefix(&raw[..=eq]).then_some(eq + 1));
            assert_eq!(assignment_name_len(raw), by_search, "{raw}");
        }
    }
}
