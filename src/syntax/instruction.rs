//! One logical line into keyword, flags and arguments, the way BuildKit's `newNodeFromLine`
//! splits it, with every piece mapped back to its source span.

use super::byte_scan;
use super::json::{JsonArray, parse_exec_form};
use super::lines::LogicalLine;
use super::quote::go_quote;
use super::span::Span;
use super::tree::{Arguments, Comments, Flag, Instruction, KeyValue, Keyword, SyntaxError, Token};

/// BuildKit's `reWhitespace`: the separators of keyword, lists and legacy ENV. They are ASCII,
/// so text is searched for them a byte at a time (no byte of a multibyte character is one).
fn is_separator(byte: u8) -> bool {
    matches!(byte, b'\t' | 0x0b | 0x0c | b'\r' | b' ')
}

/// The length of the run of separators `text` starts with.
fn leading_separators(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() && is_separator(bytes[at]) {
        at += 1;
    }
    at
}

/// Where the first separator of `text` is.
fn find_separator(text: &str) -> Option<usize> {
    find_byte(text, is_separator)
}

/// Where the first byte of `text` that `sought` takes is: a plain loop, which the short texts
/// searched (keywords, words) pass through faster than an iterator adapter left out of line.
#[inline]
fn find_byte(text: &str, sought: impl Fn(u8) -> bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if sought(bytes[at]) {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// The keyword, flags and arguments of one instruction (heredocs are read by the caller).
pub struct Node {
    pub keyword: Token,
    pub kind: Keyword,
    pub flags: Vec<Flag>,
    pub arguments: Arguments,
}

/// Parses ranges of one logical line.
pub struct LineParser<'a> {
    pub line: &'a LogicalLine,
    pub escape: char,
}

impl LineParser<'_> {
    fn text(&self, start: usize, end: usize) -> &str {
        &self.line.text[start..end]
    }

    fn token(&self, start: usize, end: usize) -> Token {
        Token {
            text: self.text(start, end).to_string(),
            span: self.line.span(start, end),
        }
    }

    fn error(&self, message: String, start: usize, end: usize) -> SyntaxError {
        SyntaxError {
            message,
            span: self.line.span(start, end),
        }
    }

    /// The first word of `line.text[start..end]`, as BuildKit's `splitCommand` takes it.
    pub fn keyword(&self, start: usize, end: usize) -> Token {
        let (start, end) = trim_space(&self.line.text, start, end);
        self.trimmed_keyword(start, end)
    }

    /// [`keyword`](Self::keyword) of a range already trimmed.
    fn trimmed_keyword(&self, start: usize, end: usize) -> Token {
        // The separators are ASCII: a byte search finds the first one.
        let keyword_end = find_separator(self.text(start, end)).map_or(end, |i| start + i);
        self.token(start, keyword_end)
    }

    /// `newNodeFromLine` over `line.text[start..end]`.
    pub fn parse_node(&self, start: usize, end: usize) -> Result<Node, SyntaxError> {
        let (start, end) = trim_space(&self.line.text, start, end);
        let keyword = self.trimmed_keyword(start, end);
        let keyword_end = start + keyword.text.len();
        let kind = Keyword::from_name(&keyword.text);

        let (flags, args_start) = if keyword_end == end {
            (Vec::new(), end)
        } else {
            let after_keyword = keyword_end + leading_separators(self.text(keyword_end, end));
            self.extract_flags(after_keyword, end)
        };
        let (args_start, args_end) = trim_space(&self.line.text, args_start, end);
        let arguments = self.parse_arguments(kind, args_start, args_end)?;
        Ok(Node {
            keyword,
            kind,
            flags,
            arguments,
        })
    }

    fn parse_arguments(
        &self,
        kind: Keyword,
        start: usize,
        end: usize,
    ) -> Result<Arguments, SyntaxError> {
        match kind {
            Keyword::Add | Keyword::Copy | Keyword::Volume => self.parse_json_or_list(start, end),
            Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell => {
                self.parse_json_or_shell(start, end)
            }
            Keyword::From | Keyword::Expose => Ok(self.parse_list(start, end)),
            Keyword::Env => self.parse_key_values("ENV", start, end),
            Keyword::Label => self.parse_key_values("LABEL", start, end),
            Keyword::Arg => Ok(self.parse_arg_words(start, end)),
            Keyword::Maintainer | Keyword::User | Keyword::Workdir | Keyword::Stopsignal => {
                Ok(self.parse_text(start, end))
            }
            Keyword::Healthcheck => self.parse_healthcheck(start, end),
            Keyword::Onbuild => self.parse_onbuild(start, end),
            Keyword::Unknown => Ok(Arguments::Ignored),
        }
    }

    /// `extractBuilderFlags`: leading `--` words. Returns the flags and where the rest starts.
    ///
    /// BuildKit walks this part byte by byte and turns each byte into a character of its own,
    /// so non-ASCII text in a flag comes out as Latin-1 mojibake; that is kept, since it is what
    /// the build sees.
    fn extract_flags(&self, start: usize, end: usize) -> (Vec<Flag>, usize) {
        let bytes = &self.line.text.as_bytes()[..end];
        let escape = self.escape as u8;
        let mut flags = Vec::new();
        let mut pos = start;
        loop {
            while pos < end && is_byte_space(bytes, pos) {
                pos += 1;
            }
            if !(bytes.get(pos) == Some(&b'-') && bytes.get(pos + 1) == Some(&b'-')) {
                return (flags, pos);
            }
            let word_start = pos;
            let mut word = String::new();
            let mut quote: Option<u8> = None;
            while pos < end {
                let byte = bytes[pos];
                match quote {
                    None if is_byte_space(bytes, pos) => break,
                    None if byte == b'\'' || byte == b'"' => quote = Some(byte),
                    Some(open) if byte == open => quote = None,
                    _ if byte == escape => {
                        if pos + 1 == end {
                            quote = None;
                        } else {
                            pos += 1;
                            word.push(char::from(bytes[pos]));
                        }
                    }
                    _ => word.push(char::from(byte)),
                }
                pos += 1;
            }
            if word == "--" {
                // A bare `--` ends the flags and is dropped.
                return (flags, pos);
            }
            flags.push(new_flag(
                word,
                self.line.span(word_start, char_end(&self.line.text, pos)),
            ));
        }
    }

    fn parse_json_or_shell(&self, start: usize, end: usize) -> Result<Arguments, SyntaxError> {
        if start == end {
            return Ok(Arguments::None);
        }
        Ok(self
            .parse_json(start, end)?
            .unwrap_or_else(|| Arguments::Shell(self.token(start, end))))
    }

    fn parse_json_or_list(&self, start: usize, end: usize) -> Result<Arguments, SyntaxError> {
        Ok(match self.parse_json(start, end)? {
            Some(exec) => exec,
            None => self.parse_list(start, end),
        })
    }

    /// `Some` for a JSON array of strings, `None` when the text is not JSON at all.
    fn parse_json(&self, start: usize, end: usize) -> Result<Option<Arguments>, SyntaxError> {
        // The range is trimmed: most arguments are shell form, told by their first byte
        // without a call to the JSON parser.
        if self.line.text.as_bytes().get(start) != Some(&b'[') || start >= end {
            return Ok(None);
        }
        match parse_exec_form(self.text(start, end)) {
            JsonArray::Strings(elements) => Ok(Some(Arguments::Exec(
                elements
                    .into_iter()
                    .map(|(text, span)| Token {
                        text,
                        span: self.line.span(start + span.start, start + span.end),
                    })
                    .collect(),
            ))),
            JsonArray::NotAllStrings(span) => Err(self.error(
                "when using JSON array syntax, arrays must be comprised of strings only".into(),
                start + span.start,
                start + span.end,
            )),
            JsonArray::NotJson => Ok(None),
        }
    }

    /// `parseStringsWhitespaceDelimited`.
    fn parse_list(&self, start: usize, end: usize) -> Arguments {
        if start == end {
            return Arguments::None;
        }
        Arguments::Words(
            split_separated(self.text(start, end))
                .map(|(a, b)| self.token(start + a, start + b))
                .collect(),
        )
    }

    /// `parseString`: the whole rest as one value.
    fn parse_text(&self, start: usize, end: usize) -> Arguments {
        if start == end {
            return Arguments::None;
        }
        Arguments::Text(self.token(start, end))
    }

    /// `parseNameOrNameVal` (ARG): one value per word, quotes kept.
    fn parse_arg_words(&self, start: usize, end: usize) -> Arguments {
        let mut tokens = Vec::new();
        for_each_word(self.text(start, end), self.escape, |word| {
            tokens.push(Token {
                text: word.text.to_string(),
                span: self.line.span(start + word.start, start + word.end),
            })
        });
        if tokens.is_empty() {
            return Arguments::None;
        }
        Arguments::Words(tokens)
    }

    /// `parseNameVal` (ENV, LABEL): `key=value ...`, or the legacy `key value`.
    fn parse_key_values(
        &self,
        keyword: &str,
        start: usize,
        end: usize,
    ) -> Result<Arguments, SyntaxError> {
        let text = self.text(start, end);
        // Whether the first word has a `=` decides the form: `None` before any word.
        let mut legacy = None;
        let mut pairs = Vec::new();
        let mut error = None;
        for_each_word(text, self.escape, |word| {
            let is_legacy =
                *legacy.get_or_insert_with(|| find_byte(word.text, |byte| byte == b'=').is_none());
            if is_legacy || error.is_some() {
                return;
            }
            match self.key_value(start, &word) {
                Ok(pair) => pairs.push(pair),
                Err(word_error) => error = Some(word_error),
            }
        });
        match (legacy, error) {
            (None, _) => Ok(Arguments::None),
            (Some(true), _) => {
                let Some(key_end) = find_separator(text) else {
                    return Err(self.error(
                        format!("{keyword} must have two arguments"),
                        start,
                        end,
                    ));
                };
                let value_start = key_end + leading_separators(&text[key_end..]);
                Ok(Arguments::KeyValues(vec![KeyValue {
                    key: self.token(start, start + key_end),
                    value: self.token(start + value_start, end),
                    legacy: true,
                }]))
            }
            (Some(false), Some(error)) => Err(error),
            (Some(false), None) => Ok(Arguments::KeyValues(pairs)),
        }
    }

    /// One `key=value` word of ENV or LABEL (`start` is where the words' text starts).
    fn key_value(&self, start: usize, word: &Word<'_>) -> Result<KeyValue, SyntaxError> {
        let (word_start, word_end) = (start + word.start, start + word.end);
        let Some(equals) = find_byte(word.text, |byte| byte == b'=') else {
            return Err(self.error(
                format!(
                    "Syntax error - can't find = in {}. Must be of the form: name=value",
                    go_quote(word.text)
                ),
                word_start,
                word_end,
            ));
        };
        let value_start = (word_start + equals + 1).min(word_end);
        Ok(KeyValue {
            key: Token {
                text: word.text[..equals].to_string(),
                span: self.line.span(word_start, word_start + equals),
            },
            value: Token {
                text: word.text[equals + 1..].to_string(),
                span: self.line.span(value_start, word_end),
            },
            legacy: false,
        })
    }

    /// `parseHealthConfig`: a type word, then JSON or shell form.
    fn parse_healthcheck(&self, start: usize, end: usize) -> Result<Arguments, SyntaxError> {
        let text = self.text(start, end);
        let bytes = text.as_bytes();
        let kind_len = (0..bytes.len())
            .find(|&pos| is_byte_space(bytes, pos))
            .unwrap_or(bytes.len());
        if kind_len == 0 {
            return Ok(Arguments::None);
        }
        // A space byte inside a character (U+00A0) splits after the whole character.
        let kind_end = char_end(text, kind_len);
        let blanks = (kind_len..bytes.len())
            .take_while(|&pos| is_byte_space(bytes, pos))
            .count();
        let command_start = start + char_end(text, kind_len + blanks);
        Ok(Arguments::Healthcheck {
            kind: self.token(start, start + kind_end),
            command: Box::new(self.parse_json_or_shell(command_start, end)?),
        })
    }

    /// `parseSubCommand`: the trigger is parsed as a line of its own.
    fn parse_onbuild(&self, start: usize, end: usize) -> Result<Arguments, SyntaxError> {
        if start == end {
            return Ok(Arguments::None);
        }
        let child = self.parse_node(start, end)?;
        Ok(Arguments::Onbuild(Box::new(Instruction {
            span: self.line.span(start, end),
            keyword: child.keyword,
            kind: child.kind,
            flags: child.flags,
            arguments: child.arguments,
            heredocs: Vec::new(),
            continuation_comments: Vec::new(),
            empty_continuation_lines: Vec::new(),
            preceding_comments: Comments::default(),
            original: self.text(start, end).to_string(),
            pieces: self.line.map.slice(start, end).instruction_pieces(),
            build_errors: Vec::new(),
        })))
    }
}

fn new_flag(text: String, span: Span) -> Flag {
    let body = &text[2..];
    let (name, value) = match body.split_once('=') {
        Some((name, value)) => (name.to_string(), Some(value.to_string())),
        None => (body.to_string(), None),
    };
    Flag {
        text,
        name,
        value,
        span,
    }
}

/// Go's `unicode.IsSpace(rune(text[pos]))`, as BuildKit's byte-wise loops test it: besides
/// ASCII blanks this takes the bytes 0x85 and 0xA0, which in UTF-8 text are the last byte of
/// characters such as U+00A0. Such a byte in the middle of a character is not taken, since
/// splitting there would leave invalid UTF-8 (Go would carry on with broken text).
fn is_byte_space(bytes: &[u8], pos: usize) -> bool {
    match bytes[pos] {
        b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' => true,
        0x85 | 0xa0 => bytes.get(pos + 1).is_none_or(|next| next & 0xc0 != 0x80),
        _ => false,
    }
}

/// The first character boundary at or after `pos`.
fn char_end(text: &str, mut pos: usize) -> usize {
    while !text.is_char_boundary(pos) {
        pos += 1;
    }
    pos
}

/// Go's `strings.TrimSpace` on `text[start..end]`, as a range: the ASCII blanks at both ends
/// are skipped byte by byte, and Unicode white space (rare) is left to `str::trim`.
#[inline]
pub fn trim_space(text: &str, start: usize, end: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut start, mut end) = (start, end);
    while start < end && is_ascii_white_space(bytes[start]) {
        start += 1;
    }
    while end > start && is_ascii_white_space(bytes[end - 1]) {
        end -= 1;
    }
    if start < end && !(bytes[start].is_ascii() && bytes[end - 1].is_ascii()) {
        return trim_unicode_space(text, start, end);
    }
    (start, end)
}

/// [`trim_space`] of a range that starts or ends with a non-ASCII character.
#[cold]
fn trim_unicode_space(text: &str, start: usize, end: usize) -> (usize, usize) {
    let slice = &text[start..end];
    let new_start = start + (slice.len() - slice.trim_start().len());
    (new_start, new_start + slice.trim().len())
}

#[inline]
fn is_ascii_white_space(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// [`str::trim_start`], with the ASCII blanks that start most lines skipped byte by byte
/// (Unicode white space, rare, is left to `str::trim_start`).
#[inline]
pub(super) fn trim_start(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() && is_ascii_white_space(bytes[at]) {
        at += 1;
    }
    let rest = &text[at..];
    if rest.as_bytes().first().is_some_and(|byte| !byte.is_ascii()) {
        return rest.trim_start();
    }
    rest
}

/// [`str::trim_end`], as [`trim_start`] does it.
#[inline]
pub(super) fn trim_end(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    while end > 0 && is_ascii_white_space(bytes[end - 1]) {
        end -= 1;
    }
    let rest = &text[..end];
    if rest.as_bytes().last().is_some_and(|byte| !byte.is_ascii()) {
        return rest.trim_end();
    }
    rest
}

/// Ranges of the pieces between runs of separators.
fn split_separated(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        pos += leading_separators(&text[pos..]);
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        pos = find_separator(&text[start..]).map_or(text.len(), |i| start + i);
        Some((start, pos))
    })
}

/// A word of `parseWords`: its text keeps quotes and escapes.
#[derive(Debug, PartialEq, Eq)]
pub struct Word<'t> {
    /// The word's text (a slice of the text split: quotes and escapes are kept).
    pub text: &'t str,
    pub start: usize,
    pub end: usize,
}

/// BuildKit's `parseWords`: splits on whitespace outside quotes, keeping quote and escape
/// characters in the words; an escape token at the very end is dropped. Each word is handed
/// to `found` in order (the callers build their own lists: no list of words is made first).
pub fn for_each_word<'t>(text: &'t str, escape: char, mut found: impl FnMut(Word<'t>)) {
    // A word is always one run of the text (quotes and escapes are kept), so it is sliced out
    // once it ends rather than built a character at a time.
    let mut word_start = 0;
    // Where the last word ends: the text's end, or before an escape dropped there.
    let mut last_end = text.len();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut blank_ok = false;
    let mut pos = 0;
    while let Some(ch) = text[pos..].chars().next() {
        let mut next = pos + ch.len_utf8();
        if !in_word && ch.is_whitespace() {
            pos = next;
            continue;
        }
        if !in_word {
            in_word = true;
            word_start = pos;
        }
        match quote {
            None if ch.is_whitespace() => {
                // The word holds at least its first character: an escape there is followed
                // by another (only the text's last one is dropped).
                found(Word {
                    text: &text[word_start..pos],
                    start: word_start,
                    end: pos,
                });
                in_word = false;
                blank_ok = false;
            }
            None if ch == '\'' || ch == '"' => {
                quote = Some(ch);
                blank_ok = true;
            }
            Some(open) if ch == open => quote = None,
            _ if ch == escape && quote != Some('\'') => {
                // The escape keeps the character after it in the word; at the very end there
                // is none, and the escape is dropped (with any quote it leaves open).
                match text[next..].chars().next() {
                    Some(escaped) => next += escaped.len_utf8(),
                    None => last_end = pos,
                }
            }
            _ => {}
        }
        pos = next;
        if in_word {
            pos = skip_inert(text.as_bytes(), pos, quote, escape);
        }
    }
    if in_word && (blank_ok || last_end > word_start) {
        found(Word {
            text: &text[word_start..last_end],
            start: word_start,
            end: text.len(),
        });
    }
}

/// Where the bytes from `from` on stop being ones that [`parse_words`] passes over inside a
/// word, changing nothing: outside quotes, ASCII other than blanks, quotes and the escape;
/// in single quotes, anything but `'`; in double quotes, anything but `"` and the escape. The
/// stop is a character boundary (non-ASCII text outside quotes is left to the caller).
fn skip_inert(bytes: &[u8], from: usize, quote: Option<char>, escape: char) -> usize {
    // The escape token is `\\` or `` ` ``: another would need a character test.
    let Some(escape) = u8::try_from(escape).ok().filter(u8::is_ascii) else {
        return from;
    };
    // One loop per quote state, each with its own test: the state does not change inside.
    let rest = &bytes[from..];
    let stop = match quote {
        None => rest.iter().position(|&byte| {
            !byte.is_ascii()
                || is_ascii_white_space(byte)
                || matches!(byte, b'\'' | b'"')
                || byte == escape
        }),
        Some('\'') => first_stop(
            rest,
            |word| byte_scan::bytes_equal(word, b'\''),
            |byte| byte == b'\'',
        ),
        Some(_) => first_stop(
            rest,
            |word| byte_scan::bytes_equal(word, b'"') | byte_scan::bytes_equal(word, escape),
            |byte| byte == b'"' || byte == escape,
        ),
    };
    stop.map_or(bytes.len(), |stop| from + stop)
}

/// Where the first byte of `bytes` that `is_stop` takes is, tested eight bytes at a time by
/// `stops` (the marks of a word's stop bytes, as [`byte_scan`] makes them) and the last few
/// one by one: quoted text (a label's description) runs long between its stops.
#[inline]
fn first_stop(
    bytes: &[u8],
    stops: impl Fn(u64) -> u64,
    is_stop: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let word = u64::from_le_bytes(word.try_into().expect("chunks_exact gives 8 bytes"));
        if let Some(stop) = byte_scan::Marks(stops(word)).next() {
            return Some(at + stop);
        }
        at += 8;
    }
    let tail = words.remainder();
    tail.iter()
        .position(|&byte| is_stop(byte))
        .map(|stop| at + stop)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(text: &str, escape: char) -> Vec<Word<'_>> {
        let mut words = Vec::new();
        for_each_word(text, escape, |word| words.push(word));
        words
    }

    fn texts(text: &str, escape: char) -> Vec<String> {
        parse_words(text, escape)
            .into_iter()
            .map(|w| w.text.to_string())
            .collect()
    }

    #[test]
    fn ascii_white_space_is_what_str_trims() {
        for byte in 0..=127u8 {
            assert_eq!(
                is_ascii_white_space(byte),
                char::from(byte).is_whitespace(),
                "{byte}"
            );
        }
        for text in [
            " \u{a0}x\u{2003} ",
            "\u{85}",
            "x",
            "",
            " \t",
            "\u{2003}",
            " é ",
            "\tx\u{a0}",
        ] {
            assert_eq!(trim_start(text), text.trim_start(), "{text:?}");
            assert_eq!(trim_end(text), text.trim_end(), "{text:?}");
            let (start, end) = trim_space(text, 0, text.len());
            assert_eq!(&text[start..end], text.trim(), "{text:?}");
            assert_eq!(start, text.len() - text.trim_start().len(), "{text:?}");
        }
    }

    #[test]
    fn words_keep_quotes_and_escapes() {
        assert_eq!(
            texts("a=1 b='x y' c=\"p\\\"q\"", '\\'),
            ["a=1", "b='x y'", "c=\"p\\\"q\""]
        );
        assert_eq!(texts("name=value\\ value2", '\\'), ["name=value\\ value2"]);
        assert_eq!(texts("'a\\'b''", '\\'), ["'a\\'b''"]);
        assert_eq!(texts("x\\", '\\'), ["x"]);
        assert_eq!(texts("\"\"  ''", '\\'), ["\"\"", "''"]);
        assert_eq!(texts("a`  b", '`'), ["a` ", "b"]);
        assert_eq!(
            texts("é\\é x\u{a0}y a\\\u{a0}b c\\é", '\\'),
            ["é\\é", "x", "y", "a\\\u{a0}b", "c\\é"]
        );
    }

    /// `parseWords` a character at a time, as written before [`skip_inert`] passed over runs.
    fn reference_words(text: &str, escape: char) -> Vec<(String, usize, usize)> {
        let mut words = Vec::new();
        let mut chars = text.char_indices();
        let (mut word_start, mut last_end) = (0, text.len());
        let (mut in_word, mut quote, mut blank_ok) = (false, None, false);
        while let Some((pos, ch)) = chars.next() {
            if !in_word {
                if ch.is_whitespace() {
                    continue;
                }
                in_word = true;
                word_start = pos;
            }
            match quote {
                None if ch.is_whitespace() => {
                    words.push((text[word_start..pos].to_string(), word_start, pos));
                    in_word = false;
                    blank_ok = false;
                }
                None if ch == '\'' || ch == '"' => {
                    quote = Some(ch);
                    blank_ok = true;
                }
                Some(open) if ch == open => quote = None,
                _ if ch == escape && quote != Some('\'') => {
                    let escaped = chars.next();
                    if escaped.is_none() {
                        last_end = pos;
                    }
                }
                _ => {}
            }
        }
        if in_word && (blank_ok || last_end > word_start) {
            words.push((
                text[word_start..last_end].to_string(),
                word_start,
                text.len(),
            ));
        }
        words
    }

    /// Every text of up to five characters from an alphabet of the bytes that matter (blanks,
    /// quotes, both escapes, multibyte and Unicode blank characters) splits as before.
    #[test]
    fn words_split_as_character_at_a_time() {
        let alphabet = [
            'a', ' ', '\t', '\'', '"', '\\', '`', 'é', '\u{a0}', '\u{2003}', '=',
        ];
        let mut texts = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = texts
                .iter()
                .filter(|text| text.chars().count() == texts.last().unwrap().chars().count())
                .flat_map(|text| alphabet.iter().map(move |c| format!("{text}{c}")))
                .collect();
            texts.extend(longer);
        }
        for text in &texts {
            for escape in ['\\', '`'] {
                let words: Vec<(String, usize, usize)> = parse_words(text, escape)
                    .into_iter()
                    .map(|word| (word.text.to_string(), word.start, word.end))
                    .collect();
                assert_eq!(words, reference_words(text, escape), "{text:?} {escape}");
            }
        }
    }

    /// Longer texts, whose quoted runs are searched eight bytes at a time, split as before.
    #[test]
    fn long_words_split_as_character_at_a_time() {
        let alphabet = ['a', ' ', '\'', '"', '\\', '`', 'é', '\u{a0}', '='];
        // A fixed pseudo-random sequence (a linear congruential generator): no dependency.
        let mut state: u32 = 12345;
        for _ in 0..20_000 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let length = (state >> 16) as usize % 40;
            let text: String = (0..length)
                .map(|_| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    // Mostly plain letters, so that quotes enclose runs of several words.
                    let pick = (state >> 16) as usize % (alphabet.len() * 3);
                    alphabet.get(pick).copied().unwrap_or('a')
                })
                .collect();
            for escape in ['\\', '`'] {
                let words: Vec<(String, usize, usize)> = parse_words(&text, escape)
                    .into_iter()
                    .map(|word| (word.text.to_string(), word.start, word.end))
                    .collect();
                assert_eq!(words, reference_words(&text, escape), "{text:?} {escape}");
            }
        }
    }

    #[test]
    fn words_have_raw_spans() {
        let words = parse_words(" ab  'c d' ", '\\');
        assert_eq!((words[0].start, words[0].end), (1, 3));
        assert_eq!((words[1].start, words[1].end), (5, 10));
    }

    #[test]
    fn separators_are_only_ascii_blanks() {
        let pieces: Vec<_> = split_separated("a \t b\u{a0}c").collect();
        assert_eq!(pieces, vec![(0, 1), (4, 8)]);
    }
}
