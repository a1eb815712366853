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

use super::{FileReport, FileStream, Options, SourceMap, Totals};
use crate::rules::{Applicability, Diagnostic};
use crate::syntax::Span;

/// Bumped on any incompatible change; additions keep the version.
pub const VERSION: u32 = 1;

/// Writes the report as serde_json's pretty printer would (two-space indents), by hand, one
/// file at a time.
pub struct Json;

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
        out.write_all(if index == 0 { b"\n" } else { b",\n" })?;
        out.write_all(&file_part(file))
    }

    fn footer(&mut self, totals: &Totals, _: &Options, out: &mut dyn Write) -> io::Result<()> {
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

/// One element of `files`, indented as the array's element (four spaces).
fn file_part(file: &FileReport) -> Vec<u8> {
    let map = SourceMap::for_file(file);
    let mut out = String::with_capacity(256 + file.diagnostics.len() * 512);
    out.push_str("    {\n      \"path\": ");
    string(&mut out, &file.path);
    if let Some(error) = &file.error {
        out.push_str(",\n      \"error\": ");
        string(&mut out, error);
    }
    out.push_str(",\n      \"diagnostics\": [");
    for (index, diagnostic) in file.diagnostics.iter().enumerate() {
        out.push_str(if index == 0 { "\n" } else { ",\n" });
        entry(&mut out, diagnostic, &map);
    }
    if !file.diagnostics.is_empty() {
        out.push_str("\n      ");
    }
    out.push_str("]\n    }");
    out.into_bytes()
}

/// One diagnostic, at the indentation of an element of `diagnostics` (eight spaces).
fn entry(out: &mut String, diagnostic: &Diagnostic, map: &SourceMap<'_>) {
    const IN: &str = "\n          ";
    out.push_str("        {");
    out.push_str(IN);
    out.push_str("\"code\": ");
    string(out, diagnostic.code);
    out.push(',');
    out.push_str(IN);
    out.push_str("\"name\": ");
    string(out, diagnostic.name);
    out.push(',');
    out.push_str(IN);
    out.push_str("\"severity\": ");
    string(out, diagnostic.severity.as_str());
    out.push(',');
    out.push_str(IN);
    out.push_str("\"message\": ");
    string(out, &diagnostic.message);
    out.push(',');
    out.push_str(IN);
    out.push_str("\"layer\": ");
    match diagnostic.layer {
        Some(layer) => string(out, layer.as_str()),
        None => out.push_str("null"),
    }
    if !diagnostic.twins.is_empty() {
        // The other rule reporting the same problem (a BuildKit check and its hadolint twin).
        out.push(',');
        out.push_str(IN);
        out.push_str("\"also\": [");
        for (index, twin) in diagnostic.twins.iter().enumerate() {
            out.push_str(if index == 0 { "\n" } else { ",\n" });
            out.push_str("            {\n              \"code\": ");
            string(out, twin.code);
            out.push_str(",\n              \"name\": ");
            string(out, twin.name);
            out.push_str("\n            }");
        }
        out.push_str(IN);
        out.push(']');
    }
    range(out, diagnostic.span, map, 10);
    out.push(',');
    out.push_str(IN);
    out.push_str("\"fix\": ");
    match &diagnostic.fix {
        None => out.push_str("null"),
        Some(fix) => {
            const FIX: &str = "\n            ";
            out.push('{');
            out.push_str(FIX);
            out.push_str("\"message\": ");
            string(out, &fix.message);
            out.push(',');
            out.push_str(FIX);
            out.push_str("\"applicability\": ");
            string(out, applicability(fix.applicability));
            out.push(',');
            out.push_str(FIX);
            out.push_str("\"edits\": [");
            for (index, edit) in fix.edits.iter().enumerate() {
                out.push_str(if index == 0 { "\n" } else { ",\n" });
                out.push_str("              {");
                let (start, end) = points(edit.span, map);
                point(out, "start", start, 16);
                out.push(',');
                point(out, "end", end, 16);
                out.push_str(",\n                \"replacement\": ");
                string(out, &edit.replacement);
                out.push_str("\n              }");
            }
            if !fix.edits.is_empty() {
                out.push_str("\n            ");
            }
            out.push_str("]\n          }");
        }
    }
    out.push_str("\n        }");
}

fn applicability(applicability: Applicability) -> &'static str {
    match applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
        Applicability::DisplayOnly => "display-only",
    }
}

/// `,"start": {...},"end": {...}` at `indent` spaces (the members follow the previous one).
fn range(out: &mut String, span: Span, map: &SourceMap<'_>, indent: usize) {
    let (start, end) = points(span, map);
    out.push(',');
    point(out, "start", start, indent);
    out.push(',');
    point(out, "end", end, indent);
}

/// `"key": {"line": …, "column": …, "offset": …}` on a new line at `indent` spaces.
/// Written piece by piece: the formatting machinery was a tenth of a JSON lint's time.
fn point(out: &mut String, key: &str, (line, column, offset): Point, indent: usize) {
    const SPACES: &str = "                                ";
    let pad = &SPACES[..indent.min(SPACES.len())];
    out.push('\n');
    out.push_str(pad);
    out.push('"');
    out.push_str(key);
    out.push_str("\": {");
    let members = [("line", line), ("column", column), ("offset", offset)];
    for (index, (name, number)) in members.into_iter().enumerate() {
        out.push_str(if index == 0 { "\n" } else { ",\n" });
        out.push_str(pad);
        out.push_str("  \"");
        out.push_str(name);
        out.push_str("\": ");
        decimal(out, number);
    }
    out.push('\n');
    out.push_str(pad);
    out.push('}');
}

/// `number` in decimal, without the formatting machinery.
fn decimal(out: &mut String, mut number: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (number % 10) as u8;
        number /= 10;
        if number == 0 {
            break;
        }
    }
    for &digit in &digits[at..] {
        out.push(char::from(digit));
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

/// A JSON string literal, escaped as serde_json escapes: quote, backslash and control
/// characters (the short forms where JSON has them), everything else as is.
fn string(out: &mut String, text: &str) {
    out.push('"');
    let mut plain_from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[plain_from..at]);
        if escaped.is_empty() {
            out.push_str(&format!("\\u{byte:04x}"));
        } else {
            out.push_str(escaped);
        }
        plain_from = at + 1;
    }
    out.push_str(&text[plain_from..]);
    out.push('"');
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
        ] {
            let mut out = String::new();
            string(&mut out, text);
            assert_eq!(out, serde_json::to_string(text).unwrap(), "{text:?}");
        }
    }
}
