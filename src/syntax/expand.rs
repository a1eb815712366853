//! Variable expansion and word splitting, exactly as BuildKit's Dockerfile
//! frontend does them (`frontend/dockerfile/shell/lex.go` in moby/buildkit).
//!
//! A [`Lexer`] processes one word (or a whole line, for [`Lexer::process_words`]):
//!
//! * outside quotes the escape character escapes any character, and a
//!   trailing one is dropped;
//! * `'…'` is literal; in `"…"` only `$` expands and the escape character
//!   escapes just `"`, `$` and itself;
//! * `$name`, `${name}` and `${name<op>word}` expand, with the operators
//!   `-` `+` `?` (each also with `:`), `#` `##` `%` `%%` (glob patterns) and
//!   `/` `//` (pattern replacement). Words nest: `${A:-${B:-x}}`;
//! * `<<` keeps the spaces, tabs and carriage returns after it, so that
//!   `<< EOF` stays one word when a line is scanned for heredoc markers.
//!
//! Everything works on `char`s and never panics. Nesting of `${…}` is
//! limited to [`MAX_NESTING`] levels so that hostile input cannot exhaust the
//! call stack.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::hash::BuildHasher;

/// How deeply `${…}` may nest before expansion fails. BuildKit has no limit
/// (Go stacks grow); real Dockerfiles nest two or three levels.
pub const MAX_NESTING: usize = 64;

const MISSING_BRACE: &str = "syntax error: missing '}'";
const MISSING_SLASH: &str = "syntax error: missing '/' in ${}";
const BAD_SUBSTITUTION: &str = "syntax error: bad substitution";
const TOO_DEEP: &str = "syntax error: substitutions nested too deeply";

/// Environment lookup for expansion.
///
/// Unix compares keys exactly; Windows compares them case-insensitively
/// (BuildKit's `NormalizeEnvKey` upper-cases both sides there).
pub trait Env {
    /// The value of `name`, comparing keys exactly.
    fn get(&self, name: &str) -> Option<&str>;

    /// The value of `name`, comparing upper-cased keys as BuildKit does on
    /// Windows. The default fits environments whose keys are already
    /// upper-case; the implementations in this module compare every key.
    fn get_ignore_case(&self, name: &str) -> Option<&str> {
        self.get(&windows_key(name))
    }
}

/// Pairs in definition order: the last definition of a key wins.
impl Env for [(String, String)] {
    fn get(&self, name: &str) -> Option<&str> {
        let (_, value) = self.iter().rev().find(|(key, _)| key == name)?;
        Some(value)
    }

    fn get_ignore_case(&self, name: &str) -> Option<&str> {
        let name = windows_key(name);
        let (_, value) = self
            .iter()
            .rev()
            .find(|(key, _)| windows_key(key) == name)?;
        Some(value)
    }
}

impl Env for Vec<(String, String)> {
    fn get(&self, name: &str) -> Option<&str> {
        Env::get(self.as_slice(), name)
    }

    fn get_ignore_case(&self, name: &str) -> Option<&str> {
        self.as_slice().get_ignore_case(name)
    }
}

/// When keys differ only in case, Windows lookups take the smallest key (as
/// the `BTreeMap` one does), so that the answer does not depend on hash order.
impl<S: BuildHasher> Env for HashMap<String, String, S> {
    fn get(&self, name: &str) -> Option<&str> {
        HashMap::get(self, name).map(String::as_str)
    }

    fn get_ignore_case(&self, name: &str) -> Option<&str> {
        let name = windows_key(name);
        let (_, value) = self
            .iter()
            .filter(|(key, _)| windows_key(key) == name)
            .min_by_key(|(key, _)| *key)?;
        Some(value)
    }
}

impl Env for BTreeMap<String, String> {
    fn get(&self, name: &str) -> Option<&str> {
        BTreeMap::get(self, name).map(String::as_str)
    }

    fn get_ignore_case(&self, name: &str) -> Option<&str> {
        let name = windows_key(name);
        let (_, value) = self.iter().find(|(key, _)| windows_key(key) == name)?;
        Some(value)
    }
}

/// The empty environment, e.g. for scanning a line for heredoc markers.
impl Env for () {
    fn get(&self, _name: &str) -> Option<&str> {
        None
    }
}

/// Go's `strings.ToUpper`: simple (one-to-one) case mapping, so a character
/// whose upper case is several characters (`ß`) stays as it is.
fn windows_key(key: &str) -> String {
    key.chars()
        .map(|c| {
            let mut upper = c.to_uppercase();
            match (upper.next(), upper.next()) {
                (Some(u), None) => u,
                _ => c,
            }
        })
        .collect()
}

/// The platform whose rules apply to environment keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// Keys are case-sensitive.
    Unix,
    /// Keys are case-insensitive.
    Windows,
}

/// BuildKit's `shell.Lex`: an escape character and processing modes.
#[derive(Clone, Debug)]
pub struct Lexer {
    /// The escape character: `\`, or a backtick set by the `escape` directive.
    pub escape: char,
    /// Decides how environment keys are compared.
    pub platform: Platform,
    /// Keep quote characters in the output.
    pub raw_quotes: bool,
    /// Keep escape characters in the output.
    pub raw_escapes: bool,
    /// Treat quotes as ordinary characters (heredoc bodies).
    pub skip_process_quotes: bool,
    /// Leave references to unset variables as written.
    pub skip_unset_env: bool,
}

/// The result of [`Lexer::process_word_with_matches`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expansion {
    /// The expanded word.
    pub value: String,
    /// Names that were looked up and found, as written in the word.
    pub matched: BTreeSet<String>,
    /// Names that were looked up and not found, even in `${X:-default}`.
    pub unmatched: BTreeSet<String>,
}

/// An expansion failure, worded as BuildKit words it (BuildKit prefixes
/// `failed to process "<word>": ` when it reports one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandError {
    pub message: String,
}

impl ExpandError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExpandError {}

fn unsupported(modifier: &str) -> ExpandError {
    ExpandError::new(format!("unsupported modifier ({modifier}) in substitution"))
}

/// Go shows its end-of-input rune (-1) as U+FFFD in messages such as
/// `unsupported modifier (�) in substitution` for `${X`.
fn go_rune(ch: Option<char>) -> char {
    ch.unwrap_or(char::REPLACEMENT_CHARACTER)
}

impl Lexer {
    /// A lexer with no special modes, for Unix.
    pub fn new(escape: char) -> Self {
        Self {
            escape,
            platform: Platform::Unix,
            raw_quotes: false,
            raw_escapes: false,
            skip_process_quotes: false,
            skip_unset_env: false,
        }
    }

    /// The lexer BuildKit splits a RUN/COPY/ADD line with to find heredoc
    /// markers: always `\`, and quotes, escapes and unset variables kept.
    pub fn heredoc_markers() -> Self {
        Self {
            raw_quotes: true,
            raw_escapes: true,
            skip_unset_env: true,
            ..Self::new('\\')
        }
    }

    /// The lexer BuildKit expands an unquoted COPY/ADD heredoc body with:
    /// always `\`, quotes are ordinary characters.
    pub fn heredoc_body() -> Self {
        Self {
            skip_process_quotes: true,
            ..Self::new('\\')
        }
    }

    /// `ProcessWord`: the expanded word, quotes and escapes processed.
    pub fn process_word(&self, word: &str, env: &dyn Env) -> Result<String, ExpandError> {
        if self.is_verbatim(word) {
            return Ok(word.to_owned());
        }
        let (value, _) =
            Expander::new(self, env, word).process_until(None, self.raw_escapes, false)?;
        Ok(value)
    }

    /// `ProcessWordWithMatches`: the expanded word and the names looked up.
    pub fn process_word_with_matches(
        &self,
        word: &str,
        env: &dyn Env,
    ) -> Result<Expansion, ExpandError> {
        // Most words (paths, image names, plain values) hold nothing the expander acts on;
        // they come out as written. (A leading byte-order mark is skipped by the expander.)
        if self.is_verbatim(word) {
            return Ok(Expansion {
                value: word.to_string(),
                matched: BTreeSet::new(),
                unmatched: BTreeSet::new(),
            });
        }
        let mut expander = Expander::new(self, env, word);
        expander.record_names = true;
        let (value, _) = expander.process_until(None, self.raw_escapes, false)?;
        Ok(Expansion {
            value,
            matched: expander.matched,
            unmatched: expander.unmatched,
        })
    }

    /// Whether `word` holds nothing the expander acts on, checked by bytes: no `$`, `<`,
    /// quote or escape character, and no leading byte-order mark (which is skipped).
    fn is_verbatim(&self, word: &str) -> bool {
        if word.starts_with('\u{feff}') {
            return false;
        }
        let Some(escape) = u8::try_from(self.escape).ok().filter(u8::is_ascii) else {
            return !word.contains(['$', '<', '\'', '"', self.escape]);
        };
        !word
            .bytes()
            .any(|byte| matches!(byte, b'$' | b'<' | b'\'' | b'"') || byte == escape)
    }

    /// `ProcessWords`: the expanded text split into words. Splitting happens
    /// after expansion: whitespace from unquoted expansions separates words,
    /// quoted text never does, and empty words are dropped.
    pub fn process_words(&self, word: &str, env: &dyn Env) -> Result<Vec<String>, ExpandError> {
        let mut expander = Expander::new(self, env, word);
        let (_, words) = expander.process_until(None, self.raw_escapes, true)?;
        Ok(words)
    }
}

/// Words being built by `ProcessWords` (`wordsStruct`). An empty word,
/// such as `""`, is never emitted. Only `ProcessWords` wants them: for the
/// other calls (most of them) `split` is off and every method does nothing.
struct Words {
    split: bool,
    done: Vec<String>,
    current: String,
}

impl Words {
    fn new(split: bool) -> Self {
        Words {
            split,
            done: Vec::new(),
            current: String::new(),
        }
    }

    /// A character subject to splitting. `char::is_whitespace` is Go's
    /// `unicode.IsSpace` (both are the Unicode White_Space property).
    fn add_char(&mut self, ch: char) {
        if !self.split {
            return;
        }
        if !ch.is_whitespace() {
            self.current.push(ch);
        } else if !self.current.is_empty() {
            self.done.push(std::mem::take(&mut self.current));
        }
    }

    /// Text subject to splitting: expanded or plain.
    fn add_splittable(&mut self, text: &str) {
        if self.split {
            text.chars().for_each(|ch| self.add_char(ch));
        }
    }

    /// Text that never splits: quoted, escaped or a heredoc marker.
    fn add_raw(&mut self, text: &str) {
        if self.split {
            self.current.push_str(text);
        }
    }

    fn add_raw_char(&mut self, ch: char) {
        if self.split {
            self.current.push(ch);
        }
    }

    fn finish(mut self) -> Vec<String> {
        if !self.current.is_empty() {
            self.done.push(self.current);
        }
        self.done
    }
}

/// The state of one expansion (`shellWord`).
struct Expander<'a> {
    lexer: &'a Lexer,
    env: &'a dyn Env,
    chars: Cursor<'a>,
    /// Whether the names looked up go to `matched` and `unmatched` (only
    /// `ProcessWordWithMatches` reports them).
    record_names: bool,
    matched: BTreeSet<String>,
    unmatched: BTreeSet<String>,
    depth: usize,
}

impl<'a> Expander<'a> {
    fn new(lexer: &'a Lexer, env: &'a dyn Env, word: &'a str) -> Self {
        // Go's text/scanner silently skips a byte-order mark at the start.
        let word = word.strip_prefix('\u{feff}').unwrap_or(word);
        Self {
            lexer,
            env,
            chars: Cursor { rest: word },
            record_names: false,
            matched: BTreeSet::new(),
            unmatched: BTreeSet::new(),
            depth: 0,
        }
    }

    /// `processStopOn`: text up to `stop` (consumed) or, for `None`, the end.
    /// The words are only split out when `split` asks for them (else empty).
    fn process_until(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
        split: bool,
    ) -> Result<(String, Vec<String>), ExpandError> {
        // Most of the text left is usually copied: one allocation instead of regrowing.
        let mut result = String::with_capacity(self.chars.rest.len());
        let mut words = Words::new(split);
        let plain_end = PlainEnd::new(self.lexer.escape, stop);
        while let Some(ch) = self.chars.peek() {
            // Runs of ordinary characters are copied whole.
            let plain = self.chars.take_plain(&plain_end);
            if !plain.is_empty() {
                words.add_splittable(plain);
                result.push_str(plain);
                continue;
            }
            if Some(ch) == stop {
                self.chars.next();
                return Ok((result, words.finish()));
            }
            // Same precedence as BuildKit: special characters before the escape.
            let before = result.len();
            let unsplittable = match ch {
                '$' => {
                    let value = self.dollar()?;
                    words.add_splittable(&value);
                    result.push_str(&value);
                    continue;
                }
                '<' => {
                    result.push_str(self.possible_heredoc());
                    true
                }
                '\'' if !self.lexer.skip_process_quotes => {
                    self.single_quote(&mut result)?;
                    true
                }
                '"' if !self.lexer.skip_process_quotes => {
                    self.double_quote(raw_escapes, &mut result)?;
                    true
                }
                _ => false,
            };
            if unsplittable {
                words.add_raw(&result[before..]);
                continue;
            }
            self.chars.next();
            if ch != self.lexer.escape {
                words.add_char(ch);
                result.push(ch);
                continue;
            }
            if raw_escapes {
                words.add_raw_char(ch);
                result.push(ch);
            }
            let Some(escaped) = self.chars.next() else {
                break;
            };
            words.add_raw_char(escaped);
            result.push(escaped);
        }
        match stop {
            Some(stop) => Err(ExpandError::new(format!(
                "unexpected end of statement while looking for matching {stop}"
            ))),
            None => Ok((result, words.finish())),
        }
    }

    /// `'…'`, appended to `out`.
    fn single_quote(&mut self, out: &mut String) -> Result<(), ExpandError> {
        self.chars.next();
        let Some(len) = self.chars.rest.find('\'') else {
            return Err(ExpandError::new(
                "unexpected end of statement while looking for matching single-quote",
            ));
        };
        let (quoted, rest) = self.chars.rest.split_at(len);
        self.chars.rest = &rest[1..];
        if self.lexer.raw_quotes {
            out.push('\'');
            out.push_str(quoted);
            out.push('\'');
        } else {
            out.push_str(quoted);
        }
        Ok(())
    }

    /// `"…"`, appended to `out`.
    fn double_quote(&mut self, raw_escapes: bool, out: &mut String) -> Result<(), ExpandError> {
        let escape = self.lexer.escape;
        let plain_end = PlainEnd::new(escape, None);
        self.chars.next();
        if self.lexer.raw_quotes {
            out.push('"');
        }
        loop {
            out.push_str(self.chars.take_plain(&plain_end));
            match self.chars.peek() {
                None => {
                    return Err(ExpandError::new(
                        "unexpected end of statement while looking for matching double-quote",
                    ));
                }
                Some('"') => {
                    self.chars.next();
                    if self.lexer.raw_quotes {
                        out.push('"');
                    }
                    return Ok(());
                }
                Some('$') => out.push_str(&self.dollar()?),
                Some(mut ch) => {
                    self.chars.next();
                    if ch == escape {
                        if raw_escapes {
                            out.push(ch);
                        }
                        match self.chars.peek() {
                            // A trailing escape is dropped; the loop then
                            // reports the missing quote.
                            None => continue,
                            // Only these are escapable; otherwise the escape
                            // stays (twice over in raw-escape mode, as in BuildKit).
                            Some(next) if next == '"' || next == '$' || next == escape => {
                                ch = next;
                                self.chars.next();
                            }
                            Some(_) => {}
                        }
                    }
                    out.push(ch);
                }
            }
        }
    }

    /// `processPossibleHeredoc`: `<<` keeps the blanks after it, so the
    /// heredoc scan sees `<< EOF` as one word.
    fn possible_heredoc(&mut self) -> &'a str {
        let start = self.chars.rest;
        self.chars.next();
        if self.chars.next_if_eq('<') {
            while self
                .chars
                .next_if(|c| matches!(c, ' ' | '\t' | '\r'))
                .is_some()
            {}
        }
        self.chars.consumed_since(start)
    }

    /// `$name` or `${…}`.
    fn dollar(&mut self) -> Result<Cow<'a, str>, ExpandError> {
        self.chars.next();
        if !self.chars.next_if_eq('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok(Cow::Borrowed("$"));
            }
            return Ok(self.variable(name, || format!("${name}")));
        }
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(ExpandError::new(TOO_DEEP));
        }
        let expanded = self.braced();
        self.depth -= 1;
        expanded
    }

    /// `${…}`, after the `${`.
    fn braced(&mut self) -> Result<Cow<'a, str>, ExpandError> {
        match self.chars.peek() {
            None => return Err(ExpandError::new(MISSING_BRACE)),
            Some('{' | '}' | ':') => return Err(ExpandError::new(BAD_SUBSTITUTION)),
            Some(_) => {}
        }
        let name = self.name();
        match self.chars.next() {
            Some('}') => Ok(self.variable(name, || format!("${{{name}}}"))),
            Some(':') => {
                let op = self.chars.next();
                self.modifier(name, op, true).map(Cow::Owned)
            }
            Some(op @ ('+' | '-' | '?' | '#' | '%')) => {
                self.modifier(name, Some(op), false).map(Cow::Owned)
            }
            Some('/') => self.replace(name).map(Cow::Owned),
            other => Err(unsupported(&go_rune(other).to_string())),
        }
    }

    /// The value of `name`, empty when unset, or `literal()` when unset and
    /// unset variables are to be kept.
    fn variable(&mut self, name: &str, literal: impl FnOnce() -> String) -> Cow<'a, str> {
        match self.lookup(name) {
            Some(value) => Cow::Borrowed(value),
            None if self.lexer.skip_unset_env => Cow::Owned(literal()),
            None => Cow::Borrowed(""),
        }
    }

    /// `${name<op>word}` for `-` `+` `?` `#` `%`; `null_is_unset` for the `:`
    /// forms. BuildKit reads the word before deciding that `op` is unknown,
    /// so `${X:=y}` is an error only when X is looked up, not while skipping
    /// unset variables.
    fn modifier(
        &mut self,
        name: &str,
        op: Option<char>,
        null_is_unset: bool,
    ) -> Result<String, ExpandError> {
        let colon = if null_is_unset { ":" } else { "" };
        let op_text = format!("{colon}{}", go_rune(op));
        // Patterns keep their escapes so that `\*`, `\?` and `\}` reach the
        // pattern compiler.
        let is_pattern = matches!(op, Some('#' | '%'));
        if null_is_unset && is_pattern {
            return Err(unsupported(&op_text));
        }
        let word = self.nested_word('}', is_pattern, MISSING_BRACE)?;
        let value = self.lookup(name);
        if value.is_none() && self.lexer.skip_unset_env {
            return Ok(format!("${{{name}{op_text}{word}}}"));
        }
        let unset_or_null = value.is_none_or(|value| null_is_unset && value.is_empty());
        match op {
            Some('-') if unset_or_null => Ok(word),
            Some('-') => Ok(value.unwrap_or_default().to_owned()),
            Some('+') if unset_or_null => Ok(String::new()),
            Some('+') => Ok(word),
            Some('?') if unset_or_null => {
                let default = if value.is_none() {
                    "is not allowed to be unset"
                } else {
                    "is not allowed to be empty"
                };
                let message = if word.is_empty() { default } else { &word };
                Err(ExpandError::new(format!("{name}: {message}")))
            }
            Some('?') => Ok(value.unwrap_or_default().to_owned()),
            Some(op @ ('#' | '%')) => {
                // A doubled operator (`##`, `%%`) removes the longest match.
                let (pattern, greedy) = match word.strip_prefix(op) {
                    Some(pattern) => (pattern, true),
                    None => (word.as_str(), false),
                };
                let value = value.unwrap_or_default();
                if op == '#' {
                    trim_prefix(pattern, value, greedy)
                } else {
                    trim_suffix(pattern, value, greedy)
                }
            }
            _ => Err(unsupported(&op_text)),
        }
    }

    /// `${name/pattern/replacement}` and `${name//pattern/replacement}`.
    fn replace(&mut self, name: &str) -> Result<String, ExpandError> {
        let all = self.chars.next_if_eq('/');
        let pattern = self.nested_word('/', true, MISSING_SLASH)?;
        let replacement = self.nested_word('}', true, MISSING_BRACE)?;
        let value = self.lookup(name);
        if value.is_none() && self.lexer.skip_unset_env {
            // BuildKit writes a single `/` back even for `//`.
            return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
        }
        // An unset variable is an empty value: the pattern is still compiled
        // (and may be invalid), and an empty match still gets replaced.
        let value = value.unwrap_or_default();
        let compiled = Pattern::compile(&pattern, true)?;
        Ok(if all {
            compiled.replace_all(value, &replacement)
        } else {
            compiled.replace_first(value, &replacement)
        })
    }

    /// A word inside `${…}`, up to `stop`. Whatever fails inside it is
    /// reported as `at_end` when the input is exhausted, as BuildKit does.
    fn nested_word(
        &mut self,
        stop: char,
        raw_escapes: bool,
        at_end: &str,
    ) -> Result<String, ExpandError> {
        match self.process_until(Some(stop), raw_escapes, false) {
            Ok((word, _)) => Ok(word),
            Err(_) if self.chars.peek().is_none() => Err(ExpandError::new(at_end)),
            Err(error) => Err(error),
        }
    }

    /// `processName`: a run of digits (positional), one special parameter,
    /// or letters, digits and `_`; possibly empty.
    fn name(&mut self) -> &'a str {
        let start = self.chars.rest;
        match self.chars.peek() {
            Some(ch) if go_unicode::is_digit(ch) => {
                while self.chars.next_if(go_unicode::is_digit).is_some() {}
            }
            Some('@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') => {
                self.chars.next();
            }
            _ => while self.chars.next_if(is_name_char).is_some() {},
        }
        self.chars.consumed_since(start)
    }

    fn lookup(&mut self, name: &str) -> Option<&'a str> {
        let env = self.env;
        let value = match self.lexer.platform {
            Platform::Unix => env.get(name),
            Platform::Windows => env.get_ignore_case(name),
        };
        if self.record_names {
            let seen = if value.is_some() {
                &mut self.matched
            } else {
                &mut self.unmatched
            };
            seen.insert(name.to_owned());
        }
        value
    }
}

/// The unread rest of a word. Unlike `Peekable<Chars>` it hands out runs of ordinary
/// characters as slices, so that they are copied at once rather than a character at a time.
struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.rest.chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let mut chars = self.rest.chars();
        let ch = chars.next()?;
        self.rest = chars.as_str();
        Some(ch)
    }

    fn next_if(&mut self, accept: impl FnOnce(char) -> bool) -> Option<char> {
        let ch = self.peek().filter(|&ch| accept(ch))?;
        self.rest = &self.rest[ch.len_utf8()..];
        Some(ch)
    }

    fn next_if_eq(&mut self, expected: char) -> bool {
        self.next_if(|ch| ch == expected).is_some()
    }

    /// What was consumed since the rest was `start`.
    fn consumed_since(&self, start: &'a str) -> &'a str {
        &start[..start.len() - self.rest.len()]
    }

    /// The characters before the next one that `end` stops at, consumed.
    fn take_plain(&mut self, end: &PlainEnd) -> &'a str {
        let len = self
            .rest
            .bytes()
            .position(|byte| end.stops_at(byte))
            .unwrap_or(self.rest.len());
        let (plain, rest) = self.rest.split_at(len);
        self.rest = rest;
        plain
    }
}

/// Which bytes end a run of ordinary characters in `process_until`: those it treats
/// specially (`$`, `<`, quotes, the escape character, the stop character). A character
/// that is not ASCII is only one of them when the escape or stop character is not ASCII
/// itself; then every such byte ends the run and the character loop decides.
///
/// The answer for every byte is worked out once per run of `process_until`: the runs are
/// scanned a byte at a time, and a table look-up is one test where the cases were several.
struct PlainEnd {
    stops: [bool; 256],
}

impl PlainEnd {
    fn new(escape: char, stop: Option<char>) -> Self {
        let ascii = |ch: char| u8::try_from(ch).ok().filter(u8::is_ascii);
        let escape_byte = ascii(escape);
        let stop_byte = stop.and_then(ascii);
        let non_ascii = escape_byte.is_none() || stop.is_some() && stop_byte.is_none();
        let mut stops = [false; 256];
        let special = [b'$', b'<', b'\'', b'"']
            .into_iter()
            .chain(escape_byte)
            .chain(stop_byte);
        for byte in special {
            stops[usize::from(byte)] = true;
        }
        if non_ascii {
            stops[0x80..].fill(true);
        }
        PlainEnd { stops }
    }

    #[inline]
    fn stops_at(&self, byte: u8) -> bool {
        self.stops[usize::from(byte)]
    }
}

fn is_name_char(ch: char) -> bool {
    go_unicode::is_letter(ch) || go_unicode::is_digit(ch) || ch == '_'
}

fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Result<String, ExpandError> {
    let compiled = Pattern::compile(pattern, greedy)?;
    let text: Vec<char> = value.chars().collect();
    Ok(match Matcher::new(&compiled, &text).match_at(0) {
        Some(end) => text[end..].iter().collect(),
        None => value.to_owned(),
    })
}

/// A regular expression cannot find the shortest match at the end, so
/// BuildKit reverses the pattern and the value and trims a prefix. Errors
/// therefore quote the reversed pattern, as BuildKit's do.
fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String, ExpandError> {
    let reversed: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reverse_pattern(pattern), &reversed, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

/// Reverses a pattern but keeps each `\x` pair in order (`a\*c` → `c\*a`).
fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut units = Vec::new();
    let mut rest = chars.as_slice();
    while let Some(&first) = rest.first() {
        let len = if first == '\\' && rest.len() > 1 {
            2
        } else {
            1
        };
        let (unit, tail) = rest.split_at(len);
        units.push(unit);
        rest = tail;
    }
    units.iter().rev().flat_map(|unit| unit.iter()).collect()
}

/// One element of a substitution pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Glob {
    Char(char),
    /// `?`
    AnyChar,
    /// `*`
    AnyString,
}

/// A `#`/`%`/`/` pattern. BuildKit compiles it to a Go regular expression
/// (`convertShellPatternToRegex`) and this reproduces that regexp: `*` is
/// `.*` (greedy) or `.*?` (lazy), `?` is `.`, neither matches a newline, and
/// the match chosen is Go's leftmost-first one. There are no `[...]` classes;
/// the only escapes are `\*`, `\?`, `\\`, and `\}`, `\/` (the backslash only
/// protected the `${}` syntax and is dropped).
struct Pattern {
    globs: Vec<Glob>,
    greedy: bool,
}

impl Pattern {
    fn compile(pattern: &str, greedy: bool) -> Result<Self, ExpandError> {
        let invalid = |escaped: Option<char>| {
            ExpandError::new(format!(
                "invalid pattern ({pattern}) in substitution: invalid escape '\\{}'",
                go_rune(escaped)
            ))
        };
        // The pattern is read with Go's text/scanner, which skips a leading BOM.
        let mut chars = pattern
            .strip_prefix('\u{feff}')
            .unwrap_or(pattern)
            .chars()
            .peekable();
        let mut globs = Vec::new();
        while let Some(ch) = chars.next() {
            globs.push(match ch {
                '*' => Glob::AnyString,
                '?' => Glob::AnyChar,
                '\\' if matches!(chars.peek(), Some('}' | '/')) => continue,
                '\\' => match chars.next() {
                    Some(escaped @ ('*' | '?' | '\\')) => Glob::Char(escaped),
                    other => return Err(invalid(other)),
                },
                _ => Glob::Char(ch),
            });
        }
        Ok(Self { globs, greedy })
    }

    /// Go's `FindStringIndex` and a splice.
    fn replace_first(&self, value: &str, replacement: &str) -> String {
        let text: Vec<char> = value.chars().collect();
        match Matcher::new(self, &text).find_from(0) {
            Some((start, end)) => {
                let mut out: String = text[..start].iter().collect();
                out.push_str(replacement);
                out.extend(&text[end..]);
                out
            }
            None => value.to_owned(),
        }
    }

    /// Go's `ReplaceAllString`, including its treatment of empty matches and
    /// of the replacement as a template (see [`expand_template`]).
    fn replace_all(&self, value: &str, template: &str) -> String {
        let text: Vec<char> = value.chars().collect();
        let mut matcher = Matcher::new(self, &text);
        let mut out = String::new();
        let (mut last_end, mut search) = (0, 0);
        while let Some((start, end)) = matcher.find_from(search) {
            out.extend(&text[last_end..start]);
            // No replacement for an empty match right after the previous one.
            if end > last_end || start == 0 {
                let matched: String = text[start..end].iter().collect();
                expand_template(template, &matched, &mut out);
            }
            last_end = end;
            // Always advance by at least one character.
            search = (search + 1).max(end);
        }
        out.extend(&text[last_end..]);
        out
    }
}

/// Go's `Regexp.Expand` for a pattern without groups: `$$` is `$`, `$0` and
/// `${0}` are the whole match, any other `$name` or `${name}` names a missing
/// group and expands to nothing, and a `$` without a name stays.
fn expand_template(template: &str, matched: &str, out: &mut String) {
    let mut rest = template;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        rest = &rest[dollar + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        match template_name(rest) {
            Some((name, after)) => {
                if name == "0" {
                    out.push_str(matched);
                }
                rest = after;
            }
            None => out.push('$'),
        }
    }
    out.push_str(rest);
}

/// The group name after a template `$`, and the text after it.
fn template_name(text: &str) -> Option<(&str, &str)> {
    let (braced, body) = match text.strip_prefix('{') {
        Some(body) => (true, body),
        None => (false, text),
    };
    let len: usize = body
        .chars()
        .take_while(|&c| is_name_char(c))
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let (name, after) = body.split_at(len);
    if braced {
        after.strip_prefix('}').map(|after| (name, after))
    } else {
        Some((name, after))
    }
}

/// Searches a text for a [`Pattern`]. A backtracking search in order of
/// preference finds Go's leftmost-first match; remembering the states that
/// failed keeps it to at most one visit per (glob, position), so the cost is
/// bounded by pattern length × text length.
struct Matcher<'p> {
    pattern: &'p Pattern,
    text: &'p [char],
    failed: HashSet<(usize, usize)>,
}

struct Frame {
    glob: usize,
    pos: usize,
    tried: usize,
}

impl<'p> Matcher<'p> {
    fn new(pattern: &'p Pattern, text: &'p [char]) -> Self {
        Self {
            pattern,
            text,
            failed: HashSet::new(),
        }
    }

    /// The leftmost match starting at or after `from`, as (start, end).
    fn find_from(&mut self, from: usize) -> Option<(usize, usize)> {
        (from..=self.text.len()).find_map(|start| Some((start, self.match_at(start)?)))
    }

    /// The end of the preferred match starting exactly at `start`. The
    /// search keeps its own stack so long texts cannot overflow the call stack.
    fn match_at(&mut self, start: usize) -> Option<usize> {
        if self.failed.contains(&(0, start)) {
            return None;
        }
        let mut stack = vec![Frame {
            glob: 0,
            pos: start,
            tried: 0,
        }];
        while let Some(frame) = stack.last_mut() {
            let (glob, pos) = (frame.glob, frame.pos);
            if glob == self.pattern.globs.len() {
                return Some(pos);
            }
            let next = self
                .successors(glob, pos)
                .into_iter()
                .flatten()
                .nth(frame.tried);
            frame.tried += 1;
            match next {
                Some((glob, pos)) if !self.failed.contains(&(glob, pos)) => {
                    stack.push(Frame {
                        glob,
                        pos,
                        tried: 0,
                    });
                }
                Some(_) => {}
                None => {
                    self.failed.insert((glob, pos));
                    stack.pop();
                }
            }
        }
        None
    }

    /// The states reachable from glob `glob` at text position `pos`, most
    /// preferred first.
    fn successors(&self, glob: usize, pos: usize) -> [Option<(usize, usize)>; 2] {
        let next = self.text.get(pos).copied();
        // Go's `.` does not match a newline.
        let wildcard = next.is_some_and(|c| c != '\n');
        match self.pattern.globs[glob] {
            Glob::Char(c) => [(next == Some(c)).then_some((glob + 1, pos + 1)), None],
            Glob::AnyChar => [wildcard.then_some((glob + 1, pos + 1)), None],
            Glob::AnyString => {
                let longer = wildcard.then_some((glob, pos + 1));
                let stop = Some((glob + 1, pos));
                if self.pattern.greedy {
                    [longer, stop]
                } else {
                    [stop, longer]
                }
            }
        }
    }
}

/// Which part of an instruction BuildKit expands, with the environment at
/// dispatch time (ENV, ARG and the base image's environment). Within one
/// instruction every variable keeps the value it had before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpansionScope {
    /// Nothing: CMD, ENTRYPOINT, SHELL, HEALTHCHECK, MAINTAINER, RUN's
    /// command text (the shell expands it) and unknown instructions.
    None,
    /// Each argument, with [`Lexer::process_word`]: WORKDIR, USER,
    /// STOPSIGNAL, VOLUME.
    Values,
    /// Keys and values of the pairs: ENV, LABEL.
    KeysAndValues,
    /// The arguments, split into words with [`Lexer::process_words`], so one
    /// token may give several ports: EXPOSE.
    Words,
    /// Only the default value, and only when no `--build-arg` overrides it: ARG.
    ArgDefault,
    /// Only the values of `--mount` options: RUN.
    MountOptions,
    /// The image reference and `--platform`, with the global ARGs only
    /// (declared before the first FROM, plus built-ins such as
    /// TARGETPLATFORM and BUILDPLATFORM): FROM.
    FromMetaArgs,
    /// Sources, destination and the named flags (without `--`). A heredoc
    /// body whose delimiter is unquoted is expanded too, with
    /// [`Lexer::heredoc_body`]: COPY and ADD.
    SourcesAndDest {
        /// The flags whose values are expanded.
        flags: &'static [&'static str],
    },
    /// The trigger, when it runs in a build that uses this image: ONBUILD.
    OnbuildTrigger,
}

/// What BuildKit expands for an instruction keyword (lower-case).
pub fn expansion_scope(keyword_lowercase: &str) -> ExpansionScope {
    match keyword_lowercase {
        "env" | "label" => ExpansionScope::KeysAndValues,
        "workdir" | "user" | "stopsignal" | "volume" => ExpansionScope::Values,
        "expose" => ExpansionScope::Words,
        "arg" => ExpansionScope::ArgDefault,
        "run" => ExpansionScope::MountOptions,
        "from" => ExpansionScope::FromMetaArgs,
        "add" => ExpansionScope::SourcesAndDest {
            flags: &["chown", "chmod", "checksum"],
        },
        "copy" => ExpansionScope::SourcesAndDest {
            flags: &["chown", "chmod"],
        },
        "onbuild" => ExpansionScope::OnbuildTrigger,
        _ => ExpansionScope::None,
    }
}

/// Go's `unicode.IsLetter` (general category L) and `unicode.IsDigit`
/// (category Nd), which decide where a variable name ends. Rust's
/// `char::is_alphabetic` and `is_numeric` are wider (they accept combining
/// marks, letter-like numerals and symbols, `²`), so the two categories are
/// tabulated here from Unicode 15.0.0, the version of Go's tables since Go 1.21.
mod go_unicode {
    pub(super) fn is_letter(c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_alphabetic();
        }
        let c = u32::from(c);
        // The bounds are sorted, so the first bound not below `c` is the end
        // of the range holding it (odd index) or, if it equals `c`, a start.
        let bound = LETTER_RANGES.partition_point(|&bound| bound < c);
        bound % 2 == 1 || LETTER_RANGES.get(bound) == Some(&c)
    }

    pub(super) fn is_digit(c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_digit();
        }
        let c = u32::from(c);
        let after = DIGIT_ZEROS.partition_point(|&zero| zero <= c);
        after > 0 && c - DIGIT_ZEROS[after - 1] < 10
    }

    /// Inclusive (first, last) pairs of the category L ranges.
    const LETTER_RANGES: &[u32] = &[
        0x41, 0x5A, 0x61, 0x7A, 0xAA, 0xAA, 0xB5, 0xB5, 0xBA, 0xBA, 0xC0, 0xD6, 0xD8, 0xF6, 0xF8,
        0x2C1, 0x2C6, 0x2D1, 0x2E0, 0x2E4, 0x2EC, 0x2EC, 0x2EE, 0x2EE, 0x370, 0x374, 0x376, 0x377,
        0x37A, 0x37D, 0x37F, 0x37F, 0x386, 0x386, 0x388, 0x38A, 0x38C, 0x38C, 0x38E, 0x3A1, 0x3A3,
        0x3F5, 0x3F7, 0x481, 0x48A, 0x52F, 0x531, 0x556, 0x559, 0x559, 0x560, 0x588, 0x5D0, 0x5EA,
        0x5EF, 0x5F2, 0x620, 0x64A, 0x66E, 0x66F, 0x671, 0x6D3, 0x6D5, 0x6D5, 0x6E5, 0x6E6, 0x6EE,
        0x6EF, 0x6FA, 0x6FC, 0x6FF, 0x6FF, 0x710, 0x710, 0x712, 0x72F, 0x74D, 0x7A5, 0x7B1, 0x7B1,
        0x7CA, 0x7EA, 0x7F4, 0x7F5, 0x7FA, 0x7FA, 0x800, 0x815, 0x81A, 0x81A, 0x824, 0x824, 0x828,
        0x828, 0x840, 0x858, 0x860, 0x86A, 0x870, 0x887, 0x889, 0x88E, 0x8A0, 0x8C9, 0x904, 0x939,
        0x93D, 0x93D, 0x950, 0x950, 0x958, 0x961, 0x971, 0x980, 0x985, 0x98C, 0x98F, 0x990, 0x993,
        0x9A8, 0x9AA, 0x9B0, 0x9B2, 0x9B2, 0x9B6, 0x9B9, 0x9BD, 0x9BD, 0x9CE, 0x9CE, 0x9DC, 0x9DD,
        0x9DF, 0x9E1, 0x9F0, 0x9F1, 0x9FC, 0x9FC, 0xA05, 0xA0A, 0xA0F, 0xA10, 0xA13, 0xA28, 0xA2A,
        0xA30, 0xA32, 0xA33, 0xA35, 0xA36, 0xA38, 0xA39, 0xA59, 0xA5C, 0xA5E, 0xA5E, 0xA72, 0xA74,
        0xA85, 0xA8D, 0xA8F, 0xA91, 0xA93, 0xAA8, 0xAAA, 0xAB0, 0xAB2, 0xAB3, 0xAB5, 0xAB9, 0xABD,
        0xABD, 0xAD0, 0xAD0, 0xAE0, 0xAE1, 0xAF9, 0xAF9, 0xB05, 0xB0C, 0xB0F, 0xB10, 0xB13, 0xB28,
        0xB2A, 0xB30, 0xB32, 0xB33, 0xB35, 0xB39, 0xB3D, 0xB3D, 0xB5C, 0xB5D, 0xB5F, 0xB61, 0xB71,
        0xB71, 0xB83, 0xB83, 0xB85, 0xB8A, 0xB8E, 0xB90, 0xB92, 0xB95, 0xB99, 0xB9A, 0xB9C, 0xB9C,
        0xB9E, 0xB9F, 0xBA3, 0xBA4, 0xBA8, 0xBAA, 0xBAE, 0xBB9, 0xBD0, 0xBD0, 0xC05, 0xC0C, 0xC0E,
        0xC10, 0xC12, 0xC28, 0xC2A, 0xC39, 0xC3D, 0xC3D, 0xC58, 0xC5A, 0xC5D, 0xC5D, 0xC60, 0xC61,
        0xC80, 0xC80, 0xC85, 0xC8C, 0xC8E, 0xC90, 0xC92, 0xCA8, 0xCAA, 0xCB3, 0xCB5, 0xCB9, 0xCBD,
        0xCBD, 0xCDD, 0xCDE, 0xCE0, 0xCE1, 0xCF1, 0xCF2, 0xD04, 0xD0C, 0xD0E, 0xD10, 0xD12, 0xD3A,
        0xD3D, 0xD3D, 0xD4E, 0xD4E, 0xD54, 0xD56, 0xD5F, 0xD61, 0xD7A, 0xD7F, 0xD85, 0xD96, 0xD9A,
        0xDB1, 0xDB3, 0xDBB, 0xDBD, 0xDBD, 0xDC0, 0xDC6, 0xE01, 0xE30, 0xE32, 0xE33, 0xE40, 0xE46,
        0xE81, 0xE82, 0xE84, 0xE84, 0xE86, 0xE8A, 0xE8C, 0xEA3, 0xEA5, 0xEA5, 0xEA7, 0xEB0, 0xEB2,
        0xEB3, 0xEBD, 0xEBD, 0xEC0, 0xEC4, 0xEC6, 0xEC6, 0xEDC, 0xEDF, 0xF00, 0xF00, 0xF40, 0xF47,
        0xF49, 0xF6C, 0xF88, 0xF8C, 0x1000, 0x102A, 0x103F, 0x103F, 0x1050, 0x1055, 0x105A, 0x105D,
        0x1061, 0x1061, 0x1065, 0x1066, 0x106E, 0x1070, 0x1075, 0x1081, 0x108E, 0x108E, 0x10A0,
        0x10C5, 0x10C7, 0x10C7, 0x10CD, 0x10CD, 0x10D0, 0x10FA, 0x10FC, 0x1248, 0x124A, 0x124D,
        0x1250, 0x1256, 0x1258, 0x1258, 0x125A, 0x125D, 0x1260, 0x1288, 0x128A, 0x128D, 0x1290,
        0x12B0, 0x12B2, 0x12B5, 0x12B8, 0x12BE, 0x12C0, 0x12C0, 0x12C2, 0x12C5, 0x12C8, 0x12D6,
        0x12D8, 0x1310, 0x1312, 0x1315, 0x1318, 0x135A, 0x1380, 0x138F, 0x13A0, 0x13F5, 0x13F8,
        0x13FD, 0x1401, 0x166C, 0x166F, 0x167F, 0x1681, 0x169A, 0x16A0, 0x16EA, 0x16F1, 0x16F8,
        0x1700, 0x1711, 0x171F, 0x1731, 0x1740, 0x1751, 0x1760, 0x176C, 0x176E, 0x1770, 0x1780,
        0x17B3, 0x17D7, 0x17D7, 0x17DC, 0x17DC, 0x1820, 0x1878, 0x1880, 0x1884, 0x1887, 0x18A8,
        0x18AA, 0x18AA, 0x18B0, 0x18F5, 0x1900, 0x191E, 0x1950, 0x196D, 0x1970, 0x1974, 0x1980,
        0x19AB, 0x19B0, 0x19C9, 0x1A00, 0x1A16, 0x1A20, 0x1A54, 0x1AA7, 0x1AA7, 0x1B05, 0x1B33,
        0x1B45, 0x1B4C, 0x1B83, 0x1BA0, 0x1BAE, 0x1BAF, 0x1BBA, 0x1BE5, 0x1C00, 0x1C23, 0x1C4D,
        0x1C4F, 0x1C5A, 0x1C7D, 0x1C80, 0x1C88, 0x1C90, 0x1CBA, 0x1CBD, 0x1CBF, 0x1CE9, 0x1CEC,
        0x1CEE, 0x1CF3, 0x1CF5, 0x1CF6, 0x1CFA, 0x1CFA, 0x1D00, 0x1DBF, 0x1E00, 0x1F15, 0x1F18,
        0x1F1D, 0x1F20, 0x1F45, 0x1F48, 0x1F4D, 0x1F50, 0x1F57, 0x1F59, 0x1F59, 0x1F5B, 0x1F5B,
        0x1F5D, 0x1F5D, 0x1F5F, 0x1F7D, 0x1F80, 0x1FB4, 0x1FB6, 0x1FBC, 0x1FBE, 0x1FBE, 0x1FC2,
        0x1FC4, 0x1FC6, 0x1FCC, 0x1FD0, 0x1FD3, 0x1FD6, 0x1FDB, 0x1FE0, 0x1FEC, 0x1FF2, 0x1FF4,
        0x1FF6, 0x1FFC, 0x2071, 0x2071, 0x207F, 0x207F, 0x2090, 0x209C, 0x2102, 0x2102, 0x2107,
        0x2107, 0x210A, 0x2113, 0x2115, 0x2115, 0x2119, 0x211D, 0x2124, 0x2124, 0x2126, 0x2126,
        0x2128, 0x2128, 0x212A, 0x212D, 0x212F, 0x2139, 0x213C, 0x213F, 0x2145, 0x2149, 0x214E,
        0x214E, 0x2183, 0x2184, 0x2C00, 0x2CE4, 0x2CEB, 0x2CEE, 0x2CF2, 0x2CF3, 0x2D00, 0x2D25,
        0x2D27, 0x2D27, 0x2D2D, 0x2D2D, 0x2D30, 0x2D67, 0x2D6F, 0x2D6F, 0x2D80, 0x2D96, 0x2DA0,
        0x2DA6, 0x2DA8, 0x2DAE, 0x2DB0, 0x2DB6, 0x2DB8, 0x2DBE, 0x2DC0, 0x2DC6, 0x2DC8, 0x2DCE,
        0x2DD0, 0x2DD6, 0x2DD8, 0x2DDE, 0x2E2F, 0x2E2F, 0x3005, 0x3006, 0x3031, 0x3035, 0x303B,
        0x303C, 0x3041, 0x3096, 0x309D, 0x309F, 0x30A1, 0x30FA, 0x30FC, 0x30FF, 0x3105, 0x312F,
        0x3131, 0x318E, 0x31A0, 0x31BF, 0x31F0, 0x31FF, 0x3400, 0x4DBF, 0x4E00, 0xA48C, 0xA4D0,
        0xA4FD, 0xA500, 0xA60C, 0xA610, 0xA61F, 0xA62A, 0xA62B, 0xA640, 0xA66E, 0xA67F, 0xA69D,
        0xA6A0, 0xA6E5, 0xA717, 0xA71F, 0xA722, 0xA788, 0xA78B, 0xA7CA, 0xA7D0, 0xA7D1, 0xA7D3,
        0xA7D3, 0xA7D5, 0xA7D9, 0xA7F2, 0xA801, 0xA803, 0xA805, 0xA807, 0xA80A, 0xA80C, 0xA822,
        0xA840, 0xA873, 0xA882, 0xA8B3, 0xA8F2, 0xA8F7, 0xA8FB, 0xA8FB, 0xA8FD, 0xA8FE, 0xA90A,
        0xA925, 0xA930, 0xA946, 0xA960, 0xA97C, 0xA984, 0xA9B2, 0xA9CF, 0xA9CF, 0xA9E0, 0xA9E4,
        0xA9E6, 0xA9EF, 0xA9FA, 0xA9FE, 0xAA00, 0xAA28, 0xAA40, 0xAA42, 0xAA44, 0xAA4B, 0xAA60,
        0xAA76, 0xAA7A, 0xAA7A, 0xAA7E, 0xAAAF, 0xAAB1, 0xAAB1, 0xAAB5, 0xAAB6, 0xAAB9, 0xAABD,
        0xAAC0, 0xAAC0, 0xAAC2, 0xAAC2, 0xAADB, 0xAADD, 0xAAE0, 0xAAEA, 0xAAF2, 0xAAF4, 0xAB01,
        0xAB06, 0xAB09, 0xAB0E, 0xAB11, 0xAB16, 0xAB20, 0xAB26, 0xAB28, 0xAB2E, 0xAB30, 0xAB5A,
        0xAB5C, 0xAB69, 0xAB70, 0xABE2, 0xAC00, 0xD7A3, 0xD7B0, 0xD7C6, 0xD7CB, 0xD7FB, 0xF900,
        0xFA6D, 0xFA70, 0xFAD9, 0xFB00, 0xFB06, 0xFB13, 0xFB17, 0xFB1D, 0xFB1D, 0xFB1F, 0xFB28,
        0xFB2A, 0xFB36, 0xFB38, 0xFB3C, 0xFB3E, 0xFB3E, 0xFB40, 0xFB41, 0xFB43, 0xFB44, 0xFB46,
        0xFBB1, 0xFBD3, 0xFD3D, 0xFD50, 0xFD8F, 0xFD92, 0xFDC7, 0xFDF0, 0xFDFB, 0xFE70, 0xFE74,
        0xFE76, 0xFEFC, 0xFF21, 0xFF3A, 0xFF41, 0xFF5A, 0xFF66, 0xFFBE, 0xFFC2, 0xFFC7, 0xFFCA,
        0xFFCF, 0xFFD2, 0xFFD7, 0xFFDA, 0xFFDC, 0x10000, 0x1000B, 0x1000D, 0x10026, 0x10028,
        0x1003A, 0x1003C, 0x1003D, 0x1003F, 0x1004D, 0x10050, 0x1005D, 0x10080, 0x100FA, 0x10280,
        0x1029C, 0x102A0, 0x102D0, 0x10300, 0x1031F, 0x1032D, 0x10340, 0x10342, 0x10349, 0x10350,
        0x10375, 0x10380, 0x1039D, 0x103A0, 0x103C3, 0x103C8, 0x103CF, 0x10400, 0x1049D, 0x104B0,
        0x104D3, 0x104D8, 0x104FB, 0x10500, 0x10527, 0x10530, 0x10563, 0x10570, 0x1057A, 0x1057C,
        0x1058A, 0x1058C, 0x10592, 0x10594, 0x10595, 0x10597, 0x105A1, 0x105A3, 0x105B1, 0x105B3,
        0x105B9, 0x105BB, 0x105BC, 0x10600, 0x10736, 0x10740, 0x10755, 0x10760, 0x10767, 0x10780,
        0x10785, 0x10787, 0x107B0, 0x107B2, 0x107BA, 0x10800, 0x10805, 0x10808, 0x10808, 0x1080A,
        0x10835, 0x10837, 0x10838, 0x1083C, 0x1083C, 0x1083F, 0x10855, 0x10860, 0x10876, 0x10880,
        0x1089E, 0x108E0, 0x108F2, 0x108F4, 0x108F5, 0x10900, 0x10915, 0x10920, 0x10939, 0x10980,
        0x109B7, 0x109BE, 0x109BF, 0x10A00, 0x10A00, 0x10A10, 0x10A13, 0x10A15, 0x10A17, 0x10A19,
        0x10A35, 0x10A60, 0x10A7C, 0x10A80, 0x10A9C, 0x10AC0, 0x10AC7, 0x10AC9, 0x10AE4, 0x10B00,
        0x10B35, 0x10B40, 0x10B55, 0x10B60, 0x10B72, 0x10B80, 0x10B91, 0x10C00, 0x10C48, 0x10C80,
        0x10CB2, 0x10CC0, 0x10CF2, 0x10D00, 0x10D23, 0x10E80, 0x10EA9, 0x10EB0, 0x10EB1, 0x10F00,
        0x10F1C, 0x10F27, 0x10F27, 0x10F30, 0x10F45, 0x10F70, 0x10F81, 0x10FB0, 0x10FC4, 0x10FE0,
        0x10FF6, 0x11003, 0x11037, 0x11071, 0x11072, 0x11075, 0x11075, 0x11083, 0x110AF, 0x110D0,
        0x110E8, 0x11103, 0x11126, 0x11144, 0x11144, 0x11147, 0x11147, 0x11150, 0x11172, 0x11176,
        0x11176, 0x11183, 0x111B2, 0x111C1, 0x111C4, 0x111DA, 0x111DA, 0x111DC, 0x111DC, 0x11200,
        0x11211, 0x11213, 0x1122B, 0x1123F, 0x11240, 0x11280, 0x11286, 0x11288, 0x11288, 0x1128A,
        0x1128D, 0x1128F, 0x1129D, 0x1129F, 0x112A8, 0x112B0, 0x112DE, 0x11305, 0x1130C, 0x1130F,
        0x11310, 0x11313, 0x11328, 0x1132A, 0x11330, 0x11332, 0x11333, 0x11335, 0x11339, 0x1133D,
        0x1133D, 0x11350, 0x11350, 0x1135D, 0x11361, 0x11400, 0x11434, 0x11447, 0x1144A, 0x1145F,
        0x11461, 0x11480, 0x114AF, 0x114C4, 0x114C5, 0x114C7, 0x114C7, 0x11580, 0x115AE, 0x115D8,
        0x115DB, 0x11600, 0x1162F, 0x11644, 0x11644, 0x11680, 0x116AA, 0x116B8, 0x116B8, 0x11700,
        0x1171A, 0x11740, 0x11746, 0x11800, 0x1182B, 0x118A0, 0x118DF, 0x118FF, 0x11906, 0x11909,
        0x11909, 0x1190C, 0x11913, 0x11915, 0x11916, 0x11918, 0x1192F, 0x1193F, 0x1193F, 0x11941,
        0x11941, 0x119A0, 0x119A7, 0x119AA, 0x119D0, 0x119E1, 0x119E1, 0x119E3, 0x119E3, 0x11A00,
        0x11A00, 0x11A0B, 0x11A32, 0x11A3A, 0x11A3A, 0x11A50, 0x11A50, 0x11A5C, 0x11A89, 0x11A9D,
        0x11A9D, 0x11AB0, 0x11AF8, 0x11C00, 0x11C08, 0x11C0A, 0x11C2E, 0x11C40, 0x11C40, 0x11C72,
        0x11C8F, 0x11D00, 0x11D06, 0x11D08, 0x11D09, 0x11D0B, 0x11D30, 0x11D46, 0x11D46, 0x11D60,
        0x11D65, 0x11D67, 0x11D68, 0x11D6A, 0x11D89, 0x11D98, 0x11D98, 0x11EE0, 0x11EF2, 0x11F02,
        0x11F02, 0x11F04, 0x11F10, 0x11F12, 0x11F33, 0x11FB0, 0x11FB0, 0x12000, 0x12399, 0x12480,
        0x12543, 0x12F90, 0x12FF0, 0x13000, 0x1342F, 0x13441, 0x13446, 0x14400, 0x14646, 0x16800,
        0x16A38, 0x16A40, 0x16A5E, 0x16A70, 0x16ABE, 0x16AD0, 0x16AED, 0x16B00, 0x16B2F, 0x16B40,
        0x16B43, 0x16B63, 0x16B77, 0x16B7D, 0x16B8F, 0x16E40, 0x16E7F, 0x16F00, 0x16F4A, 0x16F50,
        0x16F50, 0x16F93, 0x16F9F, 0x16FE0, 0x16FE1, 0x16FE3, 0x16FE3, 0x17000, 0x187F7, 0x18800,
        0x18CD5, 0x18D00, 0x18D08, 0x1AFF0, 0x1AFF3, 0x1AFF5, 0x1AFFB, 0x1AFFD, 0x1AFFE, 0x1B000,
        0x1B122, 0x1B132, 0x1B132, 0x1B150, 0x1B152, 0x1B155, 0x1B155, 0x1B164, 0x1B167, 0x1B170,
        0x1B2FB, 0x1BC00, 0x1BC6A, 0x1BC70, 0x1BC7C, 0x1BC80, 0x1BC88, 0x1BC90, 0x1BC99, 0x1D400,
        0x1D454, 0x1D456, 0x1D49C, 0x1D49E, 0x1D49F, 0x1D4A2, 0x1D4A2, 0x1D4A5, 0x1D4A6, 0x1D4A9,
        0x1D4AC, 0x1D4AE, 0x1D4B9, 0x1D4BB, 0x1D4BB, 0x1D4BD, 0x1D4C3, 0x1D4C5, 0x1D505, 0x1D507,
        0x1D50A, 0x1D50D, 0x1D514, 0x1D516, 0x1D51C, 0x1D51E, 0x1D539, 0x1D53B, 0x1D53E, 0x1D540,
        0x1D544, 0x1D546, 0x1D546, 0x1D54A, 0x1D550, 0x1D552, 0x1D6A5, 0x1D6A8, 0x1D6C0, 0x1D6C2,
        0x1D6DA, 0x1D6DC, 0x1D6FA, 0x1D6FC, 0x1D714, 0x1D716, 0x1D734, 0x1D736, 0x1D74E, 0x1D750,
        0x1D76E, 0x1D770, 0x1D788, 0x1D78A, 0x1D7A8, 0x1D7AA, 0x1D7C2, 0x1D7C4, 0x1D7CB, 0x1DF00,
        0x1DF1E, 0x1DF25, 0x1DF2A, 0x1E030, 0x1E06D, 0x1E100, 0x1E12C, 0x1E137, 0x1E13D, 0x1E14E,
        0x1E14E, 0x1E290, 0x1E2AD, 0x1E2C0, 0x1E2EB, 0x1E4D0, 0x1E4EB, 0x1E7E0, 0x1E7E6, 0x1E7E8,
        0x1E7EB, 0x1E7ED, 0x1E7EE, 0x1E7F0, 0x1E7FE, 0x1E800, 0x1E8C4, 0x1E900, 0x1E943, 0x1E94B,
        0x1E94B, 0x1EE00, 0x1EE03, 0x1EE05, 0x1EE1F, 0x1EE21, 0x1EE22, 0x1EE24, 0x1EE24, 0x1EE27,
        0x1EE27, 0x1EE29, 0x1EE32, 0x1EE34, 0x1EE37, 0x1EE39, 0x1EE39, 0x1EE3B, 0x1EE3B, 0x1EE42,
        0x1EE42, 0x1EE47, 0x1EE47, 0x1EE49, 0x1EE49, 0x1EE4B, 0x1EE4B, 0x1EE4D, 0x1EE4F, 0x1EE51,
        0x1EE52, 0x1EE54, 0x1EE54, 0x1EE57, 0x1EE57, 0x1EE59, 0x1EE59, 0x1EE5B, 0x1EE5B, 0x1EE5D,
        0x1EE5D, 0x1EE5F, 0x1EE5F, 0x1EE61, 0x1EE62, 0x1EE64, 0x1EE64, 0x1EE67, 0x1EE6A, 0x1EE6C,
        0x1EE72, 0x1EE74, 0x1EE77, 0x1EE79, 0x1EE7C, 0x1EE7E, 0x1EE7E, 0x1EE80, 0x1EE89, 0x1EE8B,
        0x1EE9B, 0x1EEA1, 0x1EEA3, 0x1EEA5, 0x1EEA9, 0x1EEAB, 0x1EEBB, 0x20000, 0x2A6DF, 0x2A700,
        0x2B739, 0x2B740, 0x2B81D, 0x2B820, 0x2CEA1, 0x2CEB0, 0x2EBE0, 0x2F800, 0x2FA1D, 0x30000,
        0x3134A, 0x31350, 0x323AF,
    ];

    /// Category Nd comes in runs of ten, `0` to `9`: the code of each `0`.
    const DIGIT_ZEROS: &[u32] = &[
        0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
        0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
        0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
        0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
        0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x11F50, 0x16A60,
        0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0,
        0x1E950, 0x1FBF0,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    fn sample() -> Vec<(String, String)> {
        env(&[
            ("PWD", "/home"),
            ("EMPTY", ""),
            ("PATH_ISH", "a/b/c.tar.gz"),
            ("SP", "a  b"),
        ])
    }

    fn word(lexer: &Lexer, input: &str) -> Result<String, String> {
        lexer.process_word(input, &sample()).map_err(|e| e.message)
    }

    fn ok(input: &str) -> String {
        word(&Lexer::new('\\'), input).unwrap_or_else(|e| panic!("{input:?}: {e}"))
    }

    fn err(input: &str) -> String {
        word(&Lexer::new('\\'), input).expect_err(input)
    }

    #[test]
    fn plain_and_braced_variables() {
        assert_eq!(ok("$PWD/x"), "/home/x");
        assert_eq!(ok("${PWD}x"), "/homex");
        assert_eq!(ok("$UNSET-$"), "-$");
        assert_eq!(ok("$.x"), "$.x");
        assert_eq!(ok("a$"), "a$");
    }

    #[test]
    fn default_and_alternative_forms() {
        assert_eq!(ok("${UNSET:-d} ${EMPTY:-d} ${PWD:-d}"), "d d /home");
        assert_eq!(ok("${UNSET-d} ${EMPTY-d} ${PWD-d}"), "d  /home");
        assert_eq!(ok("${UNSET:+a} ${EMPTY:+a} ${PWD:+a}"), "  a");
        assert_eq!(ok("${UNSET+a} ${EMPTY+a} ${PWD+a}"), " a a");
        assert_eq!(ok("${A:-${B:-${PWD}}}"), "/home");
        assert_eq!(ok("${UNSET:-'}'\"x\"}"), "}x");
    }

    #[test]
    fn required_forms() {
        assert_eq!(ok("${PWD:?} ${EMPTY?}"), "/home ");
        assert_eq!(err("${UNSET?}"), "UNSET: is not allowed to be unset");
        assert_eq!(err("${EMPTY:?}"), "EMPTY: is not allowed to be empty");
        assert_eq!(err("${UNSET:?}"), "UNSET: is not allowed to be unset");
        assert_eq!(err("${UNSET:?need $PWD}"), "UNSET: need /home");
    }

    #[test]
    fn prefix_and_suffix_removal() {
        assert_eq!(ok("${PATH_ISH#*/}"), "b/c.tar.gz");
        assert_eq!(ok("${PATH_ISH##*/}"), "c.tar.gz");
        assert_eq!(ok("${PATH_ISH%.*}"), "a/b/c.tar");
        assert_eq!(ok("${PATH_ISH%%.*}"), "a/b/c");
        assert_eq!(ok("${PATH_ISH#?/}"), "b/c.tar.gz");
        assert_eq!(ok("${PATH_ISH#x}"), "a/b/c.tar.gz");
        assert_eq!(ok("${UNSET#*}"), "");
        assert_eq!(
            err("${PWD#\\x}"),
            "invalid pattern (\\x) in substitution: invalid escape '\\x'"
        );
        // Suffix patterns are reversed before compiling, and so is the message.
        assert_eq!(
            err("${PWD%a\\x}"),
            "invalid pattern (\\xa) in substitution: invalid escape '\\x'"
        );
    }

    #[test]
    fn wildcards_do_not_match_newlines() {
        let lines = env(&[("V", "a\nb/c")]);
        let lexer = Lexer::new('\\');
        assert_eq!(lexer.process_word("${V##*/}", &lines).unwrap(), "a\nb/c");
        assert_eq!(lexer.process_word("${V//?/x}", &lines).unwrap(), "x\nxxx");
    }

    #[test]
    fn replacement() {
        assert_eq!(ok("${PATH_ISH/\\//_}"), "a_b/c.tar.gz");
        assert_eq!(ok("${PATH_ISH//\\//_}"), "a_b_c.tar.gz");
        assert_eq!(ok("${PATH_ISH/*./}"), "gz");
        assert_eq!(ok("${PATH_ISH//./\\}}"), "a/b/c\\}tar\\}gz");
        assert_eq!(ok("${UNSET/a/b}"), "");
        assert_eq!(ok("${UNSET///b}"), "b");
        assert_eq!(
            err("${UNSET/\\x/b}"),
            "invalid pattern (\\x) in substitution: invalid escape '\\x'"
        );
        assert_eq!(err("${PWD/a"), MISSING_SLASH);
        assert_eq!(err("${PWD/a/b"), MISSING_BRACE);
    }

    #[test]
    fn replace_all_follows_go_regexp() {
        let lexer = Lexer::new('\\');
        let vars = env(&[("V", "abc"), ("T", "<$0|${0}|$$|$1|$x|$>")]);
        // An empty pattern matches between every character.
        assert_eq!(lexer.process_word("${V///-}", &vars).unwrap(), "-a-b-c-");
        // The replacement is a Go template: `$0` is the match, `$$` a dollar.
        assert_eq!(
            lexer.process_word("${V//b/$T}", &vars).unwrap(),
            "a<b|b|$|||$>c"
        );
        // The single replacement is not a template.
        assert_eq!(
            lexer.process_word("${V/b/$T}", &vars).unwrap(),
            "a<$0|${0}|$$|$1|$x|$>c"
        );
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(ok(r#"'$PWD' "$PWD" \$PWD"#), "$PWD /home $PWD");
        assert_eq!(ok(r#""a\tb" a\tb "\"\$\\""#), "a\\tb atb \"$\\");
        assert_eq!(ok("trailing\\"), "trailing");
        assert_eq!(
            err("'open"),
            "unexpected end of statement while looking for matching single-quote"
        );
        assert_eq!(
            err("\"open"),
            "unexpected end of statement while looking for matching double-quote"
        );
        assert_eq!(
            err("\"open\\"),
            "unexpected end of statement while looking for matching double-quote"
        );
    }

    #[test]
    fn backtick_escape() {
        let lexer = Lexer::new('`');
        assert_eq!(word(&lexer, r"C:\dir `$PWD").unwrap(), r"C:\dir $PWD");
        assert_eq!(word(&lexer, r#""a`"b`$PWD`x""#).unwrap(), "a\"b$PWD`x");
        assert_eq!(word(&lexer, "x`").unwrap(), "x");
    }

    #[test]
    fn names_special_parameters_and_positionals() {
        let vars = env(&[("1", "one"), ("@", "at"), ("é_1", "accent")]);
        let lexer = Lexer::new('\\');
        let expand = |input: &str| lexer.process_word(input, &vars).unwrap();
        assert_eq!(expand("$12 $1x $@@ ${@:-d}"), " onex at@ at");
        assert_eq!(expand("$é_1."), "accent.");
        // A combining mark (category Mn) ends a name, as does a Roman numeral (Nl).
        assert_eq!(expand("$é_1\u{301}"), "accent\u{301}");
        assert_eq!(expand("$Ⅻx"), "$Ⅻx");
        // Non-ASCII decimal digits are positional parameters.
        assert_eq!(expand("$٣٤x"), "x");
    }

    #[test]
    fn syntax_errors() {
        assert_eq!(err("${"), MISSING_BRACE);
        assert_eq!(
            err("${PWD"),
            "unsupported modifier (\u{fffd}) in substitution"
        );
        assert_eq!(err("${PWD:-x"), MISSING_BRACE);
        assert_eq!(err("${}"), BAD_SUBSTITUTION);
        assert_eq!(err("${:-x}"), BAD_SUBSTITUTION);
        assert_eq!(err("${{x}"), BAD_SUBSTITUTION);
        assert_eq!(err("${.}"), "unsupported modifier (.) in substitution");
        assert_eq!(
            err("${PWD:=x}"),
            "unsupported modifier (:=) in substitution"
        );
        assert_eq!(err("${PWD:1}"), "unsupported modifier (:1) in substitution");
        assert_eq!(
            err("${PWD:#x}"),
            "unsupported modifier (:#) in substitution"
        );
        assert_eq!(err("${PWD=x}"), "unsupported modifier (=) in substitution");
        // An error inside a nested word that does not reach the end stays as is.
        assert_eq!(err("${A:-${}}x"), BAD_SUBSTITUTION);
    }

    #[test]
    fn windows_keys_ignore_case() {
        let lexer = Lexer {
            platform: Platform::Windows,
            ..Lexer::new('\\')
        };
        let vars = env(&[("Path", "old"), ("PATH", "new"), ("straße", "street")]);
        let expansion = lexer
            .process_word_with_matches("$path ${STRAßE} $nope", &vars)
            .unwrap();
        assert_eq!(expansion.value, "new street ");
        assert_eq!(
            expansion.matched,
            ["STRAßE", "path"].map(String::from).into()
        );
        assert_eq!(expansion.unmatched, ["nope".to_owned()].into());
        assert_eq!(Lexer::new('\\').process_word("$path", &vars).unwrap(), "");
    }

    #[test]
    fn env_implementations_agree() {
        let pairs = env(&[("K", "first"), ("k", "lower"), ("K", "last")]);
        let map: HashMap<String, String> = pairs.iter().cloned().collect();
        let tree: BTreeMap<String, String> = pairs.iter().cloned().collect();
        for env in [&pairs as &dyn Env, &map, &tree] {
            assert_eq!(env.get("K"), Some("last"));
            assert_eq!(env.get("x"), None);
        }
        assert_eq!(pairs.get_ignore_case("K"), Some("last"));
        assert_eq!(map.get_ignore_case("k"), Some("last"));
        assert_eq!(tree.get_ignore_case("k"), Some("last"));
        assert_eq!(().get("K"), None);
    }

    #[test]
    fn matches_count_every_lookup() {
        let lexer = Lexer::new('\\');
        let expansion = lexer
            .process_word_with_matches("${A:-$PWD} ${PWD:+$B} ${C#$D} '$E'", &sample())
            .unwrap();
        assert_eq!(expansion.value, "/home   $E");
        assert_eq!(expansion.matched, ["PWD".to_owned()].into());
        assert_eq!(
            expansion.unmatched,
            ["A", "B", "C", "D"].map(String::from).into()
        );
    }

    #[test]
    fn raw_quotes_and_escapes() {
        let lexer = Lexer {
            raw_quotes: true,
            raw_escapes: true,
            ..Lexer::new('\\')
        };
        assert_eq!(
            word(&lexer, r#"'a b' "c\"d" e\ f"#).unwrap(),
            r#"'a b' "c\"d" e\ f"#
        );
        // Inside double quotes an escape that escapes nothing is written twice.
        assert_eq!(word(&lexer, r#""a\tb""#).unwrap(), r#""a\\tb""#);
        assert_eq!(word(&lexer, "end\\").unwrap(), "end\\");
    }

    #[test]
    fn skip_process_quotes_keeps_quotes_as_text() {
        let body = Lexer::heredoc_body();
        assert_eq!(
            word(&body, "echo '$PWD' \"$PWD\"").unwrap(),
            "echo '/home' \"/home\""
        );
        assert_eq!(word(&body, "it's").unwrap(), "it's");
    }

    #[test]
    fn skip_unset_env_writes_references_back() {
        let lexer = Lexer {
            skip_unset_env: true,
            ..Lexer::new('\\')
        };
        assert_eq!(word(&lexer, "$X ${X} $PWD").unwrap(), "$X ${X} /home");
        assert_eq!(
            word(&lexer, "${X:-a} ${X%%b} ${X:=c}").unwrap(),
            "${X:-a} ${X%%b} ${X:=c}"
        );
        assert_eq!(word(&lexer, "${X//a/b}").unwrap(), "${X/a/b}");
        assert_eq!(
            word(&lexer, "${PWD:=c}").unwrap_err(),
            "unsupported modifier (:=) in substitution"
        );
    }

    #[test]
    fn heredoc_markers_stay_one_word() {
        let lexer = Lexer::heredoc_markers();
        let words = |line: &str| lexer.process_words(line, &()).unwrap();
        assert_eq!(
            words("cat << \t EOF > out"),
            ["cat", "<< \t EOF", ">", "out"]
        );
        assert_eq!(words("a <b <<-'E F' $X"), ["a", "<b", "<<-'E F'", "$X"]);
        assert_eq!(words("x <<"), ["x", "<<"]);
        assert_eq!(words("x << "), ["x", "<< "]);
        assert_eq!(
            Lexer::new('\\').process_word("a <<  b", &()).unwrap(),
            "a <<  b"
        );
    }

    #[test]
    fn words_split_after_expansion() {
        let lexer = Lexer::new('\\');
        let words = |line: &str| lexer.process_words(line, &sample()).unwrap();
        assert_eq!(
            words("x${SP}y \"$SP\" '' z\\ w"),
            ["xa", "by", "a  b", "z w"]
        );
        assert_eq!(words("\"\""), Vec::<String>::new());
        assert_eq!(words(" a\u{a0}b\u{3000}c "), ["a", "b", "c"]);
    }

    #[test]
    fn leading_byte_order_mark_is_skipped() {
        assert_eq!(ok("\u{feff}$PWD"), "/home");
        assert_eq!(ok("a\u{feff}"), "a\u{feff}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "${A:-".repeat(100_000);
        assert_eq!(err(&deep), TOO_DEEP);
        let quoted = "\"${A:-".repeat(MAX_NESTING + 1);
        assert_eq!(err(&quoted), TOO_DEEP);
        let fine = format!(
            "{}x{}",
            "${A:-".repeat(MAX_NESTING),
            "}".repeat(MAX_NESTING)
        );
        assert_eq!(ok(&fine), "x");
    }

    #[test]
    fn long_inputs_stay_fast() {
        let long = "a".repeat(50_000);
        let vars = env(&[("V", &long)]);
        let lexer = Lexer::new('\\');
        assert_eq!(lexer.process_word("${V#*a*a*a*b}", &vars).unwrap(), long);
        assert_eq!(lexer.process_word("${V%%a*}", &vars).unwrap(), "");
        assert_eq!(
            lexer.process_word("${V//a/b}", &vars).unwrap(),
            "b".repeat(50_000)
        );
        assert_eq!(lexer.process_word("${V/*b/}", &vars).unwrap(), long);
        assert_eq!(
            lexer
                .process_word(&format!("{long}$V"), &vars)
                .unwrap()
                .len(),
            100_000
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        // A deterministic walk over inputs built from the characters that matter.
        let alphabet: Vec<char> = "${}:-+?#%/\\`'\"<* \n\taé1@V".chars().collect();
        let vars = env(&[("V", "a*b\n?c"), ("a", "")]);
        let mut seed = 0x2545_f491_u64;
        for _ in 0..20_000 {
            let len = (seed % 12) as usize;
            let input: String = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                })
                .collect();
            for lexer in [
                Lexer::new('\\'),
                Lexer::new('`'),
                Lexer::heredoc_markers(),
                Lexer::heredoc_body(),
            ] {
                let _ = lexer.process_words(&input, &vars);
                let _ = lexer.process_word_with_matches(&input, &vars);
            }
        }
    }

    #[test]
    fn go_unicode_categories() {
        assert!(
            go_unicode::is_letter('한') && go_unicode::is_letter('ª') && go_unicode::is_letter('ǅ')
        );
        assert!(
            !go_unicode::is_letter('\u{301}')
                && !go_unicode::is_letter('Ⓐ')
                && !go_unicode::is_letter('²')
        );
        assert!(go_unicode::is_digit('٣') && go_unicode::is_digit('𝟗'));
        assert!(
            !go_unicode::is_digit('²') && !go_unicode::is_digit('Ⅻ') && !go_unicode::is_digit('a')
        );
    }

    #[test]
    fn reversing_keeps_escape_pairs() {
        assert_eq!(reverse_pattern(r"a\*c"), r"c\*a");
        assert_eq!(reverse_pattern(r"\\\ab"), r"b\a\\");
        assert_eq!(reverse_pattern(r"ab\"), r"\ba");
    }

    #[test]
    fn scopes() {
        assert_eq!(expansion_scope("env"), ExpansionScope::KeysAndValues);
        assert_eq!(expansion_scope("expose"), ExpansionScope::Words);
        assert_eq!(expansion_scope("run"), ExpansionScope::MountOptions);
        assert_eq!(expansion_scope("cmd"), ExpansionScope::None);
        assert_eq!(
            expansion_scope("copy"),
            ExpansionScope::SourcesAndDest {
                flags: &["chown", "chmod"]
            }
        );
        assert_eq!(expansion_scope("from"), ExpansionScope::FromMetaArgs);
    }
}
