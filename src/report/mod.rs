//! Output formats: one linted file set rendered for a terminal, an editor or a CI system.
//!
//! Every format reads the same input ([`FileReport`]s: a path, the text, the diagnostics that
//! survived selection and overrides, or the error that kept the file from being read) and writes
//! it out deterministically: files in the order given, diagnostics in their order.

pub mod baseline;
mod checkstyle;
mod concise;
mod github;
mod gitlab;
mod json;
mod junit;
mod rdjson;
mod sarif;
mod sonarqube;
pub mod statistics;
mod stream;
mod tty;
mod xml;

use std::collections::HashMap;
use std::io::Write;

use sha2::{Digest, Sha256};

pub use stream::{Buffered, FileStream, Streamer, Totals, WRITE_SIZE};

use crate::rules::{Diagnostic, Severity};
use crate::syntax::{LineIndex, Position, Span};

/// One linted file as the reports see it.
#[derive(Clone, Debug)]
pub struct FileReport {
    /// As shown to the user (relative when the user gave a relative path).
    pub path: String,
    /// The file's text (for snippets and positions).
    pub source: String,
    /// Already filtered, severities already overridden, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The file could not be read: the message (then `diagnostics` is empty).
    pub error: Option<String>,
    /// The line index of `source`, when the linter built one; reports build it otherwise.
    pub lines: Option<LineIndex>,
}

/// An output format (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Snippets with the exact range, for people.
    Tty,
    /// dlayer's versioned JSON (the editor contract).
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF viewers).
    Sarif,
    /// Checkstyle 4.3 XML.
    Checkstyle,
    /// GitLab code quality JSON.
    Gitlab,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML: a test suite per file, a failing test case per finding.
    Junit,
    /// One line per finding: `path:line:column: CODE message`.
    Concise,
    /// reviewdog's Diagnostic Format (rdjson).
    Rdjson,
    /// SonarQube generic issue import JSON.
    Sonarqube,
}

impl Format {
    /// Whether the report is for people: `--statistics` then joins it instead of going to
    /// standard error.
    pub fn is_for_people(self) -> bool {
        self == Format::Tty
    }
}

/// What the formats may be asked besides the findings.
#[derive(Clone, Debug)]
pub struct Options {
    /// tty only: ANSI colors.
    pub color: bool,
    /// tty: per-rule counts after the findings.
    pub statistics: bool,
    /// tty: no summary line when clean.
    pub quiet: bool,
    /// The caller's `env!("CARGO_PKG_VERSION")`.
    pub tool_version: &'static str,
}

/// Writes `files` to `out` in `format` (all at once; [`Streamer`] writes them as they come).
pub fn render(
    format: Format,
    files: &[FileReport],
    options: &Options,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut streamer = Streamer::begin(format, options, out)?;
    for file in files {
        streamer.file(file, out)?;
    }
    streamer.finish(out).map(drop)
}

impl Format {
    /// The format written file by file (or buffered, for a format that needs all files).
    pub fn stream(self) -> Box<dyn FileStream> {
        match self {
            Format::Tty => Box::new(tty::Tty::default()),
            Format::Json => Box::<json::Json>::default(),
            Format::Checkstyle => Box::new(checkstyle::Checkstyle),
            Format::Github => Box::new(github::Github),
            Format::Sarif => Box::new(Buffered::new(sarif::render)),
            Format::Gitlab => Box::new(Buffered::new(gitlab::render)),
            Format::Junit => Box::new(Buffered::new(junit::render)),
            Format::Concise => Box::new(concise::Concise),
            Format::Rdjson => Box::new(Buffered::new(rdjson::render)),
            Format::Sonarqube => Box::new(Buffered::new(sonarqube::render)),
        }
    }
}

/// Positions of one span, computed the same way for every format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Located {
    /// The span clamped to the text and to character boundaries.
    pub span: Span,
    /// 1-based line and character column of the first character.
    pub start: Position,
    /// 1-based line and character column just past the last character (exclusive).
    pub end: Position,
    /// The last line holding a character of the span (`start.line` for an empty span).
    pub last_line: usize,
    /// The column just past the span's last character, on `last_line` (`start.column` for an
    /// empty span): unlike `end.column`, never on the line after a span ending with `\n`.
    pub last_line_end_column: usize,
    /// 0-based offset of the first character, in characters.
    pub char_offset: usize,
    /// Length of the span in characters.
    pub char_length: usize,
}

/// The text of one file with its line index, to locate spans.
pub(crate) struct SourceMap<'a> {
    source: &'a str,
    index: std::borrow::Cow<'a, LineIndex>,
    /// Character offset of every line start (only SARIF needs it: computed on first use).
    line_char_starts: std::cell::OnceCell<Vec<usize>>,
    /// The line of the last span located: findings come in order of position, so the next
    /// one is most often on it or the line after.
    line_hint: std::cell::Cell<usize>,
}

impl<'a> SourceMap<'a> {
    pub fn new(source: &'a str) -> Self {
        SourceMap {
            source,
            index: std::borrow::Cow::Owned(LineIndex::new(source)),
            line_char_starts: std::cell::OnceCell::new(),
            line_hint: std::cell::Cell::new(1),
        }
    }

    /// The map of a reported file, with the line index the linter built when there is one.
    pub fn for_file(file: &'a FileReport) -> Self {
        match &file.lines {
            Some(lines) => SourceMap {
                source: &file.source,
                index: std::borrow::Cow::Borrowed(lines),
                line_char_starts: std::cell::OnceCell::new(),
                line_hint: std::cell::Cell::new(1),
            },
            None => SourceMap::new(&file.source),
        }
    }

    fn line_char_starts(&self) -> &[usize] {
        self.line_char_starts.get_or_init(|| {
            let mut starts = Vec::with_capacity(self.index.line_count());
            let mut chars = 0;
            let mut previous = 0;
            for line in 1..=self.index.line_count() {
                let start = self.index.line_start(line);
                chars += self.source[previous..start].chars().count();
                starts.push(chars);
                previous = start;
            }
            starts
        })
    }

    /// The span clamped as [`SourceMap::locate`] clamps it, with the positions of its ends:
    /// what most formats need, without the character offsets (whose table counts the
    /// characters of the whole file).
    pub fn endpoints(&self, span: Span) -> (Span, Position, Position) {
        let start = clamp(self.source, span.start);
        let end = clamp(self.source, span.end).max(start);
        let (start_position, end_position) = self.positions(start, end);
        (Span::new(start, end), start_position, end_position)
    }

    /// The span clamped as [`SourceMap::endpoints`] clamps it, with its start's position only
    /// (what a snippet's header needs).
    pub fn start(&self, span: Span) -> (Span, Position) {
        let start = clamp(self.source, span.start);
        let end = clamp(self.source, span.end).max(start);
        (Span::new(start, end), self.positions(start, start).0)
    }

    /// The positions of the clamped offsets `start <= end`, the line searched from the last
    /// one found.
    fn positions(&self, start: usize, end: usize) -> (Position, Position) {
        let mut hint = self.line_hint.get();
        let positions = self
            .index
            .span_positions(self.source, start, end, &mut hint);
        self.line_hint.set(hint);
        positions
    }

    pub fn locate(&self, span: Span) -> Located {
        let (span, start_position, end_position) = self.endpoints(span);
        let (start, end) = (span.start, span.end);
        let char_offset = self.char_offset(start_position);
        let last_line_end_column = match self.source[..end].chars().next_back() {
            Some(last) if end > start => {
                self.index
                    .position(self.source, end - last.len_utf8())
                    .column
                    + 1
            }
            _ => start_position.column,
        };
        Located {
            span,
            start: start_position,
            end: end_position,
            last_line: self.index.end_line(span),
            last_line_end_column,
            char_offset,
            char_length: self.char_offset(end_position) - char_offset,
        }
    }

    fn char_offset(&self, position: Position) -> usize {
        self.line_char_starts()[position.line - 1] + position.column - 1
    }

    /// The text of the 1-based `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &'a str {
        let start = self.index.line_start(line);
        let end = if line < self.index.line_count() {
            self.index.line_start(line + 1)
        } else {
            self.source.len()
        };
        trim_line_end(&self.source[start..end], is_line_break)
    }
}

/// `line` without the run of bytes that ends it which `trimmed` (true of ASCII bytes only)
/// takes: a byte loop, cheaper than a trim by a pattern of characters.
pub(crate) fn trim_line_end(line: &str, trimmed: impl Fn(u8) -> bool) -> &str {
    let bytes = line.as_bytes();
    let mut end = bytes.len();
    while end > 0 && trimmed(bytes[end - 1]) {
        end -= 1;
    }
    // Only ASCII bytes were passed over: `end` is a character boundary.
    &line[..end]
}

/// `\n` or `\r`, the bytes a line's text is shown without.
pub(crate) fn is_line_break(byte: u8) -> bool {
    matches!(byte, b'\n' | b'\r')
}

/// `offset` moved into the text and back onto a character boundary.
pub(crate) fn clamp(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Count of diagnostics per severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub style: usize,
}

impl Counts {
    pub fn add(&mut self, severity: Severity) {
        *self.get_mut(severity) += 1;
    }

    fn get_mut(&mut self, severity: Severity) -> &mut usize {
        match severity {
            Severity::Error => &mut self.error,
            Severity::Warning => &mut self.warning,
            Severity::Info => &mut self.info,
            Severity::Style => &mut self.style,
        }
    }

    pub fn total(&self) -> usize {
        self.error + self.warning + self.info + self.style
    }
}

/// A path as a URI reference: forward slashes, no leading `./`, percent-encoded; absolute paths
/// become `file://` URIs. The flag says whether the result is relative.
pub(crate) fn path_uri(path: &str) -> (String, bool) {
    let mut path = path.replace('\\', "/");
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.trim_start_matches('/').to_string();
    }
    let drive = path.len() >= 2
        && path.as_bytes()[0].is_ascii_alphabetic()
        && path.as_bytes()[1] == b':'
        && (path.len() == 2 || path.as_bytes()[2] == b'/');
    if drive {
        (format!("file:///{}", percent_encode(&path)), false)
    } else if path.starts_with('/') {
        (format!("file://{}", percent_encode(&path)), false)
    } else {
        (percent_encode(&path), true)
    }
}

/// Percent-encodes everything but unreserved characters, `/` and a drive letter's `:`.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, byte) in path.bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/')
            || (byte == b':' && i == 1 && path.as_bytes()[0].is_ascii_alphabetic());
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A path as CI systems want it: forward slashes, no leading `./`.
pub(crate) fn display_path(path: &str) -> String {
    let mut path = path.replace('\\', "/");
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.trim_start_matches('/').to_string();
    }
    path
}

/// Stable fingerprints for the diagnostics of one file: SHA-256 of the code, the path and the
/// start line's text with whitespace collapsed, plus the index of that triple among the
/// file's earlier diagnostics. Moving a finding to another line keeps its fingerprint.
pub(crate) fn fingerprints(file: &FileReport, map: &SourceMap<'_>) -> Vec<String> {
    let path = display_path(&file.path);
    let mut seen: HashMap<(&str, String), usize> = HashMap::new();
    file.diagnostics
        .iter()
        .map(|diagnostic| {
            let line = map.locate(diagnostic.span).start.line;
            let text = map
                .line_text(line)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let count = seen.entry((diagnostic.code, text.clone())).or_default();
            let occurrence = count.to_string();
            *count += 1;
            hex_sha256(&[diagnostic.code, &path, &text, &occurrence])
        })
        .collect()
}

/// Lowercase hex SHA-256 of the parts, each followed by a NUL byte.
pub(crate) fn hex_sha256(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Control characters other than tab, newline and carriage return as `\x1b`-style escapes
/// (C1 controls as `\u{9b}`): text from a Dockerfile or a path must not reach a terminal as an
/// escape sequence or a bell, whatever the colour setting.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let needs = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if surely_without_controls(text) || !text.chars().any(needs) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if needs(c) && (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if needs(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `text` has no control character but tab, newline and carriage return, by its
/// bytes (a loop the compiler vectorises): C0 controls and DEL are bytes of their own, C1
/// controls (U+0080–U+009F) begin with 0xC2. `false` leaves it to a check by characters (on
/// any 0xC2, which `©` and `°` begin with too).
fn surely_without_controls(text: &str) -> bool {
    // Fixed-size chunks tested without branches, which the compiler turns into vector
    // instructions; the last bytes padded with spaces (plain) to a chunk of their own.
    let mut chunks = text.as_bytes().chunks_exact(16);
    for chunk in &mut chunks {
        let chunk: &[u8; 16] = chunk.try_into().expect("chunks_exact gives 16 bytes");
        if !chunk_is_plain(chunk) {
            return false;
        }
    }
    let rest = chunks.remainder();
    let mut last = [b' '; 16];
    last[..rest.len()].copy_from_slice(rest);
    chunk_is_plain(&last)
}

/// Whether no byte of `chunk` is a C0 control but tab, newline and carriage return, DEL, or
/// 0xC2 (which begins the C1 controls).
#[inline(always)]
fn chunk_is_plain(chunk: &[u8; 16]) -> bool {
    chunk.iter().fold(true, |all, &byte| {
        all & (((byte >= 0x20) & (byte != 0x7f) & (byte != 0xc2))
            | (byte == b'\t')
            | (byte == b'\n')
            | (byte == b'\r'))
    })
}

/// `source` with every control character but tab, newline and carriage return replaced by
/// `?` (one per byte, so byte spans still fit): a snippet must not carry a file's escape
/// sequences to the terminal.
pub fn printable_source(source: &str) -> std::borrow::Cow<'_, str> {
    let needs = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if surely_without_controls(source) || !source.chars().any(needs) {
        return std::borrow::Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len());
    for c in source.chars() {
        if needs(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Lines longer than this (bytes) are not shown in snippets: a 50 MB line would otherwise be
/// printed whole for each finding on it.
pub const MAX_SNIPPET_LINE: usize = 1000;

/// `1 file`, `2 files`.
pub(crate) fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_multibyte_spans_in_characters() {
        let source = "FROM é\nRUN ü x\n";
        let map = SourceMap::new(source);
        let x = source.find('x').unwrap();
        let located = map.locate(Span::new(x, x + 1));
        assert_eq!(located.start, Position { line: 2, column: 7 });
        assert_eq!(located.end, Position { line: 2, column: 8 });
        assert_eq!(located.char_offset, 13);
        assert_eq!(located.char_length, 1);
        assert_eq!(located.last_line, 2);
        assert_eq!(located.last_line_end_column, 8);
        assert_eq!(map.line_text(2), "RUN ü x");
    }

    #[test]
    fn span_ending_with_a_newline_ends_on_its_line() {
        let source = "FROM a\r\nRUN b\n";
        let map = SourceMap::new(source);
        let located = map.locate(Span::new(0, 8));
        assert_eq!(located.end, Position { line: 2, column: 1 });
        assert_eq!(located.last_line, 1);
        assert_eq!(located.last_line_end_column, 9);
        assert_eq!(located.char_length, 8);
        let empty = map.locate(Span::empty(9));
        assert_eq!((empty.last_line, empty.last_line_end_column), (2, 2));
    }

    #[test]
    fn endpoints_match_the_line_index_on_one_line_and_across_lines() {
        let source = "FROM é\nRUN ü x \\\n  y\n\nlast ☃";
        let map = SourceMap::new(source);
        let index = LineIndex::new(source);
        for start in 0..=source.len() + 2 {
            for end in start..=source.len() + 2 {
                let (span, from, to) = map.endpoints(Span::new(start, end));
                assert_eq!(from, index.position(source, span.start));
                assert_eq!(to, index.position(source, span.end), "{start}..{end}");
            }
        }
    }

    #[test]
    fn line_ends_are_trimmed_as_by_characters() {
        for line in [
            "", "a", "a\n", "a\r\n", "é\r\r\n", "\n\r", "a\0\r\n", "a\nb",
        ] {
            assert_eq!(
                trim_line_end(line, is_line_break),
                line.trim_end_matches(['\n', '\r'])
            );
            assert_eq!(
                trim_line_end(line, |byte| is_line_break(byte) || byte == 0),
                line.trim_end_matches(['\n', '\r', '\0'])
            );
        }
    }

    #[test]
    fn clamps_out_of_range_spans() {
        let source = "é";
        let map = SourceMap::new(source);
        let located = map.locate(Span::new(1, 10));
        assert_eq!(located.span, Span::new(0, 2));
    }

    #[test]
    fn finds_a_control_character_at_any_position() {
        for length in 1..40 {
            for at in 0..length {
                for control in ['\x1b', '\x7f', '\u{9b}'] {
                    let text: String = (0..length)
                        .map(|index| if index == at { control } else { 'a' })
                        .collect();
                    assert!(!surely_without_controls(&text), "{text:?}");
                    assert_ne!(escape_controls(&text), text, "{text:?}");
                }
            }
            let plain = "a\tb\r\n".repeat(length);
            assert!(surely_without_controls(&plain));
        }
    }

    #[test]
    fn escapes_control_characters() {
        assert_eq!(escape_controls("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(escape_controls("a\x1b[31mb\x07"), "a\\x1b[31mb\\x07");
        assert_eq!(escape_controls("\u{9b}2J"), "\\u{9b}2J");
    }

    #[test]
    fn uris() {
        assert_eq!(path_uri("Dockerfile"), ("Dockerfile".into(), true));
        assert_eq!(
            path_uri("./a b/Dockerfile"),
            ("a%20b/Dockerfile".into(), true)
        );
        assert_eq!(path_uri("dir\\Dockerfile"), ("dir/Dockerfile".into(), true));
        assert_eq!(path_uri("/srv/x#1"), ("file:///srv/x%231".into(), false));
        assert_eq!(path_uri("C:\\x\\é"), ("file:///C:/x/%C3%A9".into(), false));
    }
}
