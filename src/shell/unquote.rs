//! Quote removal of static words: `'…'`, `"…"`, `$'…'`, `$"…"`, backslash escapes and line
//! continuations. Optionally records where each value byte came from, so that the inner
//! script of `sh -c '…'` can be parsed with spans that still land in the Dockerfile.

use super::Text;
use super::map::PieceMap;

/// The value of a static word (one with no expansion or substitution).
pub(super) fn unquote(raw: &str) -> String {
    // Most words (`apt-get`, `-y`, `/usr/src`) hold nothing to remove: they are their value.
    if !needs_unquoting(raw.as_bytes()) {
        return raw.to_string();
    }
    Unquoter::new(raw, None).run()
}

/// The value of a static word: `raw` itself or the text between its quotes (ranges of the
/// same script) when quote removal leaves them as they are, else a copy made without them.
pub(super) fn static_value(raw: &Text) -> Text {
    if !needs_unquoting(raw.as_bytes()) {
        return raw.clone();
    }
    if is_inside_quotes(raw.as_bytes()) {
        return raw.trimmed(1);
    }
    Text::from(Unquoter::new(raw, None).run())
}

/// Whether `raw` is one quoted string whose value is its text between the quotes: `'…'`
/// without another `'`, or `"…"` without `"`, `\`, `$` or `` ` `` (which double quotes act on).
fn is_inside_quotes(raw: &[u8]) -> bool {
    let [first, inner @ .., last] = raw else {
        return false;
    };
    match (first, last) {
        (b'\'', b'\'') => !inner.contains(&b'\''),
        (b'"', b'"') => !inner
            .iter()
            .any(|byte| matches!(byte, b'"' | b'\\' | b'$' | b'`')),
        _ => false,
    }
}

/// Whether `raw` holds a quote, an escape or a `$` (a plain loop: it runs on every word, and
/// the iterator adapters of `any` were not inlined).
fn needs_unquoting(raw: &[u8]) -> bool {
    let mut at = 0;
    while at < raw.len() {
        if matches!(raw[at], b'\'' | b'"' | b'\\' | b'$') {
            return true;
        }
        at += 1;
    }
    false
}

/// The value of a static word and a map from value offsets to `base + raw offset`.
pub(super) fn unquote_mapped(raw: &str, base: usize) -> (String, PieceMap) {
    let mut map = PieceMap::new();
    let value = Unquoter::new(raw, Some((&mut map, base))).run();
    (value, map)
}

struct Unquoter<'a> {
    raw: &'a str,
    bytes: &'a [u8],
    out: String,
    map: Option<(&'a mut PieceMap, usize)>,
}

impl<'a> Unquoter<'a> {
    fn new(raw: &'a str, map: Option<(&'a mut PieceMap, usize)>) -> Self {
        Unquoter {
            raw,
            bytes: raw.as_bytes(),
            out: String::with_capacity(raw.len()),
            map,
        }
    }

    fn run(mut self) -> String {
        let mut i = 0;
        while i < self.bytes.len() {
            i = match (self.bytes[i], self.bytes.get(i + 1)) {
                (b'\'', _) => self.single(i + 1),
                (b'"', _) => self.double(i + 1),
                (b'$', Some(b'\'')) => self.ansi(i + 2),
                (b'$', Some(b'"')) => self.double(i + 2),
                (b'\\', _) => self.escape(i),
                _ => self.plain(i),
            };
        }
        self.out
    }

    /// Copies raw bytes `from..to` unchanged.
    fn copy(&mut self, from: usize, to: usize) {
        if let Some((map, base)) = &mut self.map {
            map.push(self.out.len(), *base + from, to - from);
        }
        self.out.push_str(&self.raw[from..to]);
    }

    /// Appends `text`, decoded from raw bytes `from..to`.
    fn decoded(&mut self, text: &str, from: usize, to: usize) {
        if let Some((map, base)) = &mut self.map {
            map.push_escape(self.out.len(), text.len(), *base + from, to - from);
        }
        self.out.push_str(text);
    }

    fn char_len(&self, at: usize) -> usize {
        self.raw[at..].chars().next().map_or(1, char::len_utf8)
    }

    fn plain(&mut self, start: usize) -> usize {
        let mut i = start + 1;
        while i < self.bytes.len() {
            match (self.bytes[i], self.bytes.get(i + 1)) {
                (b'\'' | b'"' | b'\\', _) | (b'$', Some(b'\'' | b'"')) => break,
                _ => i += 1,
            }
        }
        self.copy(start, i);
        i
    }

    fn single(&mut self, start: usize) -> usize {
        let end = memchr(b'\'', &self.bytes[start..]).map_or(self.bytes.len(), |at| start + at);
        self.copy(start, end);
        end + 1
    }

    /// Outside quotes `\x` is `x` and `\<newline>` is nothing.
    fn escape(&mut self, at: usize) -> usize {
        match self.bytes.get(at + 1) {
            None => {
                self.copy(at, at + 1);
                at + 1
            }
            Some(b'\n') => at + 2,
            Some(_) => {
                let len = self.char_len(at + 1);
                let text = &self.raw[at + 1..at + 1 + len];
                self.decoded(text, at, at + 1 + len);
                at + 1 + len
            }
        }
    }

    /// Inside double quotes a backslash only escapes `$`, `` ` ``, `"`, `\` and newline.
    fn double(&mut self, start: usize) -> usize {
        let mut run = start;
        let mut i = start;
        while i < self.bytes.len() {
            match (self.bytes[i], self.bytes.get(i + 1)) {
                (b'"', _) => break,
                (b'\\', Some(&next @ (b'$' | b'`' | b'"' | b'\\' | b'\n'))) => {
                    self.copy(run, i);
                    if next != b'\n' {
                        self.decoded(&self.raw[i + 1..i + 2], i, i + 2);
                    }
                    i += 2;
                    run = i;
                }
                _ => i += 1,
            }
        }
        self.copy(run, i.min(self.bytes.len()));
        i + 1
    }

    /// `$'…'`: ANSI-C escapes.
    fn ansi(&mut self, start: usize) -> usize {
        let mut run = start;
        let mut i = start;
        while i < self.bytes.len() && self.bytes[i] != b'\'' {
            if self.bytes[i] != b'\\' || i + 1 >= self.bytes.len() {
                i += 1;
                continue;
            }
            self.copy(run, i);
            let (text, len) = ansi_escape(&self.raw[i + 1..]);
            self.decoded(&text, i, i + 1 + len);
            i += 1 + len;
            run = i;
        }
        self.copy(run, i);
        i + 1
    }
}

/// Decodes the escape after a `\` in `$'…'`: the text and how many bytes it used.
fn ansi_escape(rest: &str) -> (String, usize) {
    let first = rest.chars().next().unwrap_or('\\');
    let simple = match first {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        'e' | 'E' => Some('\x1b'),
        'f' => Some('\x0c'),
        'v' => Some('\x0b'),
        '\\' | '\'' | '"' | '?' => Some(first),
        _ => None,
    };
    if let Some(c) = simple {
        return (c.to_string(), 1);
    }
    let number = |radix: u32, skip: usize, max: usize| {
        let digits: String = rest[skip..]
            .chars()
            .take(max)
            .take_while(|c| c.is_digit(radix))
            .collect();
        let value = u32::from_str_radix(&digits, radix).ok()?;
        let c = char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER);
        Some((c.to_string(), skip + digits.len()))
    };
    let decoded = match first {
        'x' => number(16, 1, 2),
        'u' => number(16, 1, 4),
        'U' => number(16, 1, 8),
        '0'..='7' => number(8, 0, 3),
        'c' => rest[1..].chars().next().map(|c| {
            let control = char::from((c as u32 & 0x1f) as u8);
            (control.to_string(), 1 + c.len_utf8())
        }),
        _ => None,
    };
    decoded.unwrap_or_else(|| (format!("\\{first}"), first.len_utf8()))
}

pub(super) fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

#[cfg(test)]
mod tests {
    use super::super::map::OffsetMap;
    use super::*;

    #[test]
    fn quote_forms() {
        assert_eq!(unquote(r#"a'b c'"d\"e\$f\g"h"#), r#"ab cd"e$f\gh"#);
        assert_eq!(unquote(r"a\ b\\c\"), r"a b\c\");
        assert_eq!(unquote("ab\\\ncd"), "abcd");
        assert_eq!(unquote(r"$'a\tb\x41\101\u00e9\'\cA'"), "a\tbAAé'\x01");
        assert_eq!(unquote(r#"$"x""#), "x");
        assert_eq!(unquote("$HOME-literal$"), "$HOME-literal$");
    }

    #[test]
    fn words_inside_quotes_are_their_inner_text() {
        for raw in [
            "''",
            "'a b'",
            "\"x.conf\"",
            "\"é\"",
            "'a\"b'",
            "\"a'b\"",
            "'a'b'",
            "\"a\\\"b\"",
            "\"$x\"",
            "\"`x`\"",
            "'",
            "\"",
            "'a\"",
            "\"a'",
            "$'a'",
            "'a\\n'",
        ] {
            let inside = is_inside_quotes(raw.as_bytes());
            if inside {
                assert_eq!(&raw[1..raw.len() - 1], unquote(raw), "{raw}");
            }
            let expected = matches!(raw, "''" | "'a b'" | "\"x.conf\"" | "\"é\"")
                || matches!(raw, "'a\"b'" | "\"a'b\"" | "'a\\n'");
            assert_eq!(inside, expected, "{raw}");
        }
    }

    #[test]
    fn mapped_value_points_at_raw_bytes() {
        let raw = r#"'ab'"c\"d""#;
        let (value, map) = unquote_mapped(raw, 10);
        assert_eq!(value, r#"abc"d"#);
        let at: Vec<usize> = (0..value.len()).map(|i| map.to_source(i)).collect();
        assert_eq!(at, [11, 12, 15, 16, 18]);
        assert_eq!(map.to_source_end(4), 18);
    }
}
