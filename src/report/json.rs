//! `json`: dlayer's versioned report, the contract editors and scripts rely on.
//!
//! ```json
//! {"version": 1,
//!  "files": [{"path": "Dockerfile", "diagnostics": [{"code": "HC002", "name": "ssh-server",
//!    "severity": "error", "message": "…", "layer": "dev",
//!    (only when another rule reports the same problem: "also": [{"code", "name"}],)
//!    "start": {"line": 4, "column": 27, "offset": 88},
//!    "end": {"line": 4, "column": 41, "offset": 102}, "fix": null}]}],
//!  "summary": {"files": 1, "diagnostics": 1, "unreadable": 0,
//!    "by_severity": {"error": 1, "warning": 0, "info": 0, "style": 0}}}
//! ```

use std::io::{self, Write};

use super::{FileReport, FileStream, Options, SourceMap, Totals, WRITE_SIZE};
use crate::rules::{Applicability, Diagnostic};
use crate::syntax::{Span, byte_scan};

/// Bumped on any incompatible change; additions keep the version.
pub const VERSION: u32 = 1;

/// Writes the report as serde_json's pretty printer would (two-space indents), by hand, one
/// file at a time into a buffer kept from one file to the next, handed to the output once it
/// holds [`WRITE_SIZE`] bytes.
#[derive(Default)]
pub struct Json {
    buffer: String,
}

impl FileStream for Json {
    fn header(&mut self, _: &Options, out: &mut dyn Write) -> io::Result<()> {
        write!(out, "{{\n  \"version\": {VERSION},\n  \"files\": [")
    }

    fn file(
        &mut self,
        index: usize,
        file: &FileReport,
        _: &Options,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.buffer.push_str(if index == 0 { "\n" } else { ",\n" });
        file_part(&mut self.buffer, file);
        if self.buffer.len() >= WRITE_SIZE {
            self.write_buffer(out)?;
        }
        Ok(())
    }

    fn footer(&mut self, totals: &Totals, _: &Options, out: &mut dyn Write) -> io::Result<()> {
        self.write_buffer(out)?;
        let counts = totals.counts;
        let close_files = if totals.files == 0 { "]" } else { "\n  ]" };
        write!(
            out,
            "{close_files},\n  \"summary\": {{\n    \"files\": {},\n    \"diagnostics\": {},\n    \
             \"unreadable\": {},\n    \"by_severity\": {{\n      \"error\": {},\n      \
             \"warning\": {},\n      \"info\": {},\n      \"style\": {}\n    }}\n  }}\n}}\n",
            totals.files,
            counts.total(),
            totals.unreadable,
            counts.error,
            counts.warning,
            counts.info,
            counts.style,
        )?;
        out.flush()
    }
}

impl Json {
    fn write_buffer(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let written = out.write_all(self.buffer.as_bytes());
        self.buffer.clear();
        written
    }
}

/// One element of `files`, indented as the array's element (four spaces).
fn file_part(out: &mut String, file: &FileReport) {
    let map = SourceMap::for_file(file);
    out.push_str("    {\n      \"path\": ");
    string(out, &file.path);
    if let Some(error) = &file.error {
        out.push_str(",\n      \"error\": ");
        string(out, error);
    }
    out.push_str(",\n      \"diagnostics\": [");
    for (index, diagnostic) in file.diagnostics.iter().enumerate() {
        entry(out, index == 0, diagnostic, &map);
    }
    if !file.diagnostics.is_empty() {
        out.push_str("\n      ");
    }
    out.push_str("]\n    }");
}

/// `,` then a new line at a diagnostic's member indentation (ten spaces) and `"key": `, as
/// one literal: the pieces of a report are many and small, and a literal is copied inline.
macro_rules! member {
    ($key:literal) => {
        concat!(",\n          \"", $key, "\": ")
    };
}

/// A string value's closing quote and the next member up to its opening quote, as one
/// literal (a diagnostic's first members are strings).
macro_rules! quoted_member {
    ($key:literal) => {
        concat!("\"", member!($key), "\"")
    };
}

/// A diagnostic's opening, from the new line it starts on to its code's opening quote.
macro_rules! entry_opening {
    () => {
        "\n        {\n          \"code\": \""
    };
}

/// One diagnostic, at the indentation of an element of `diagnostics` (eight spaces), after
/// a `,` unless it is the `first`. Each literal runs up to the next value's first byte (its
/// quotes included): one copy each.
fn entry(out: &mut String, first: bool, diagnostic: &Diagnostic, map: &SourceMap<'_>) {
    out.push_str(if first {
        entry_opening!()
    } else {
        concat!(",", entry_opening!())
    });
    plain_body(out, diagnostic.code);
    out.push_str(quoted_member!("name"));
    plain_body(out, diagnostic.name);
    out.push_str(quoted_member!("severity"));
    plain_body(out, diagnostic.severity.as_str());
    out.push_str(quoted_member!("message"));
    string_body(out, &diagnostic.message);
    out.push_str(concat!("\"", member!("layer")));
    match diagnostic.layer {
        Some(layer) => plain(out, layer.as_str()),
        None => out.push_str("null"),
    }
    if !diagnostic.twins.is_empty() {
        // The other rule reporting the same problem (a BuildKit check and its hadolint twin).
        out.push_str(member!("also"));
        out.push('[');
        for (index, twin) in diagnostic.twins.iter().enumerate() {
            out.push_str(if index == 0 { "\n" } else { ",\n" });
            out.push_str("            {\n              \"code\": ");
            plain(out, twin.code);
            out.push_str(",\n              \"name\": ");
            plain(out, twin.name);
            out.push_str("\n            }");
        }
        out.push_str("\n          ]");
    }
    range(out, &DIAGNOSTIC_RANGE, points(diagnostic.span, map));
    match &diagnostic.fix {
        None => out.push_str("null\n        }"),
        Some(fix) => {
            out.push_str("{\n            \"message\": \"");
            string_body(out, &fix.message);
            out.push_str("\",\n            \"applicability\": \"");
            plain_body(out, applicability(fix.applicability));
            out.push_str("\",\n            \"edits\": [");
            for (index, edit) in fix.edits.iter().enumerate() {
                // Two calls, not one of a chosen text: each is inlined with its constants.
                let points = points(edit.span, map);
                if index == 0 {
                    range(out, &FIRST_EDIT_RANGE, points);
                } else {
                    range(out, &NEXT_EDIT_RANGE, points);
                }
                string_body(out, &edit.replacement);
                out.push_str("\"\n              }");
            }
            out.push_str(if fix.edits.is_empty() {
                "]\n          }\n        }"
            } else {
                "\n            ]\n          }\n        }"
            });
        }
    }
}

fn applicability(applicability: Applicability) -> &'static str {
    match applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
        Applicability::DisplayOnly => "display-only",
    }
}

/// The literal text around the numbers of a range's `"start"` and `"end"` objects (each
/// `{"line", "column", "offset"}`): before the start's line, column and offset, between the
/// start's offset and the end's line, before the end's column and offset, after its offset.
type RangeText = [&'static str; 7];

/// A range's text with its keys at `pad` (the objects' members two spaces further in), from
/// `$lead` (what comes before the new line of `"start"`) to `$tail` (what follows the `}` of
/// `"end"`).
macro_rules! range_text {
    ($lead:literal, $pad:literal, $tail:literal) => {
        [
            concat!($lead, "\n", $pad, "\"start\": {\n", $pad, "  \"line\": "),
            concat!(",\n", $pad, "  \"column\": "),
            concat!(",\n", $pad, "  \"offset\": "),
            concat!(
                "\n",
                $pad,
                "},\n",
                $pad,
                "\"end\": {\n",
                $pad,
                "  \"line\": "
            ),
            concat!(",\n", $pad, "  \"column\": "),
            concat!(",\n", $pad, "  \"offset\": "),
            concat!("\n", $pad, "}", $tail),
        ]
    };
}

/// A diagnostic's range (ten spaces in, after the `layer` or `also` member), up to the value
/// of the `fix` member after it.
const DIAGNOSTIC_RANGE: RangeText = range_text!(",", "          ", ",\n          \"fix\": ");
/// An edit's object (sixteen spaces in), from the new line it starts on (after a `,` unless
/// it is the first) to the opening quote of the `replacement` member after the range.
const FIRST_EDIT_RANGE: RangeText = range_text!(
    "\n              {",
    "                ",
    ",\n                \"replacement\": \""
);
const NEXT_EDIT_RANGE: RangeText = range_text!(
    ",\n              {",
    "                ",
    ",\n                \"replacement\": \""
);

/// The text of a range, in the layout of `text`. Written piece by piece: the formatting
/// machinery was a tenth of a JSON lint's time. Inlined at each call, where the literal
/// pieces' lengths are constants: each is copied by a few moves rather than a call of `memcpy`.
#[inline(always)]
fn range(out: &mut String, text: &RangeText, (start, end): (Point, Point)) {
    out.push_str(text[0]);
    decimal(out, start.0);
    out.push_str(text[1]);
    decimal(out, start.1);
    out.push_str(text[2]);
    decimal(out, start.2);
    out.push_str(text[3]);
    decimal(out, end.0);
    out.push_str(text[4]);
    decimal(out, end.1);
    out.push_str(text[5]);
    decimal(out, end.2);
    out.push_str(text[6]);
}

/// `number` in decimal, without the formatting machinery (itoa writes two digits at a time).
/// Most lines and columns have one or two digits: pushed as characters, without the copy of
/// itoa's buffer.
fn decimal(out: &mut String, number: usize) {
    let digit = |value: usize| char::from(b'0' + value as u8);
    match number {
        0..=9 => out.push(digit(number)),
        10..=99 => {
            out.push(digit(number / 10));
            out.push(digit(number % 10));
        }
        _ => out.push_str(itoa::Buffer::new().format(number)),
    }
}

/// 1-based line, 1-based column in characters, 0-based byte offset.
type Point = (usize, usize, usize);

fn points(span: Span, map: &SourceMap<'_>) -> (Point, Point) {
    let (span, start, end) = map.endpoints(span);
    (
        (start.line, start.column, span.start),
        (end.line, end.column, span.end),
    )
}

/// A JSON string literal of a name dlayer itself defines (a rule's code and name, a severity,
/// a layer): none holds a byte JSON escapes, so it is copied without the scan.
fn plain(out: &mut String, text: &'static str) {
    out.push('"');
    plain_body(out, text);
    out.push('"');
}

/// [`plain`] without its quotes, for a caller that writes them with the text around.
fn plain_body(out: &mut String, text: &'static str) {
    debug_assert!(!text.bytes().any(is_escaped), "{text:?}");
    out.push_str(text);
}

/// A JSON string literal, escaped as serde_json escapes: quote, backslash and control
/// characters (the short forms where JSON has them), everything else as is.
fn string(out: &mut String, text: &str) {
    out.push('"');
    string_body(out, text);
    out.push('"');
}

/// [`string`] without its quotes, for a caller that writes them with the text around.
fn string_body(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut plain_from = 0;
    // Most text needs no escape: it is checked sixteen bytes at a time, as fixed-size arrays
    // with a test without branches (the compiler turns it into vector instructions), and
    // copied whole; only a chunk holding an escape, and the last few bytes, are searched for
    // where the escapes are.
    let mut chunks = bytes.chunks_exact(16);
    let mut chunk_start = 0;
    for chunk in &mut chunks {
        let chunk: &[u8; 16] = chunk.try_into().expect("chunks_exact gives 16 bytes");
        if chunk
            .iter()
            .fold(false, |found, &byte| found | is_escaped(byte))
        {
            plain_from = escape_chunk(out, text, plain_from, chunk_start, chunk);
        }
        chunk_start += 16;
    }
    // The last bytes are tested the same way, padded with spaces (which need no escape).
    let rest = chunks.remainder();
    let mut last = [b' '; 16];
    last[..rest.len()].copy_from_slice(rest);
    if last
        .iter()
        .fold(false, |found, &byte| found | is_escaped(byte))
    {
        plain_from = escape_chunk(out, text, plain_from, chunk_start, &last);
    }
    out.push_str(&text[plain_from..]);
}

/// Writes the text from `plain_from` up to each byte of `chunk` (the text's bytes from
/// `chunk_start`, or its last bytes padded with spaces) that needs an escape, then the
/// escape; returns where the text still to copy starts. The escapes are found eight bytes at
/// a time, as the bits of a word: a byte-by-byte walk cost more than the escapes' writing.
fn escape_chunk(
    out: &mut String,
    text: &str,
    mut plain_from: usize,
    chunk_start: usize,
    chunk: &[u8; 16],
) -> usize {
    for (half, word) in chunk.chunks_exact(8).enumerate() {
        let word = u64::from_le_bytes(word.try_into().expect("chunks_exact gives 8 bytes"));
        let escaped = byte_scan::bytes_below(word, 0x20)
            | byte_scan::bytes_equal(word, b'"')
            | byte_scan::bytes_equal(word, b'\\');
        for at in byte_scan::Marks(escaped) {
            let at = chunk_start + 8 * half + at;
            out.push_str(&text[plain_from..at]);
            escape(out, text.as_bytes()[at]);
            plain_from = at + 1;
        }
    }
    plain_from
}

/// The escape of a byte that [`is_escaped`].
fn escape(out: &mut String, byte: u8) {
    match byte {
        b'"' => out.push_str("\\\""),
        b'\\' => out.push_str("\\\\"),
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\t' => out.push_str("\\t"),
        0x08 => out.push_str("\\b"),
        0x0c => out.push_str("\\f"),
        _ => out.push_str(&format!("\\u{byte:04x}")),
    }
}

/// A byte JSON writes escaped in a string: a control character, quote or backslash (bitwise
/// ors, so that a chunk's test has no branches).
fn is_escaped(byte: u8) -> bool {
    (byte < 0x20) | (byte == b'"') | (byte == b'\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_like_serde_json() {
        for text in [
            "plain é",
            "quote \" back \\ nl \n tab \t",
            "\u{1} \u{1f} \u{7f} \u{8}\u{c}\r",
            "",
            "sixteen bytes ok\"then a quote across chunks é\\ and \u{2} near the end\n",
        ] {
            let mut out = String::new();
            string(&mut out, text);
            assert_eq!(out, serde_json::to_string(text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn numbers_are_decimal() {
        for number in (0..=1000).chain([12_345, usize::MAX]) {
            let mut out = String::new();
            decimal(&mut out, number);
            assert_eq!(out, number.to_string());
        }
    }

    /// Every ASCII character and a multibyte one, at every place of texts that end inside a
    /// chunk or on its edge, among plain text and among other escapes.
    #[test]
    fn every_escape_at_every_place_is_serde_jsons() {
        let mut specials: Vec<char> = (0..0x80u8).map(char::from).collect();
        specials.push('é');
        for length in 1..40 {
            for place in 0..length {
                for &special in &specials {
                    for filler in ['a', '"', '\n'] {
                        let text: String = (0..length)
                            .map(|index| if index == place { special } else { filler })
                            .collect();
                        let mut out = String::new();
                        string(&mut out, &text);
                        assert_eq!(out, serde_json::to_string(&text).unwrap(), "{text:?}");
                    }
                }
            }
        }
    }
}
