//! `tty`: a codespan-reporting snippet per finding, optional statistics, a summary line.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::{self, SimpleFile};
use codespan_reporting::term::{self, Config, termcolor::Ansi};

use super::{
    FileReport, FileStream, MAX_SNIPPET_LINE, Options, SourceMap, Totals, WRITE_SIZE,
    escape_controls, is_line_break, plural, printable_source, trim_line_end,
};
use crate::rules::{Diagnostic, Severity};
use crate::syntax::{LineIndex, Position};

/// The tty stream: a snippet per finding as each file comes, statistics and the summary at
/// the end.
#[derive(Default)]
pub struct Tty {
    config: Config,
    /// The findings rendered and not yet written, kept from one file to the next and written
    /// once it holds [`WRITE_SIZE`] bytes.
    buffer: Vec<u8>,
    /// A note's text being joined from its pieces, kept likewise.
    note: String,
}

impl FileStream for Tty {
    fn file(
        &mut self,
        _: usize,
        file: &FileReport,
        options: &Options,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let Tty {
            config,
            buffer,
            note,
        } = self;
        let path = escape_controls(&file.path);
        let printable = printable_source(&file.source);
        let map = SourceMap::for_file(file);
        // The printable source has the file's bytes' lengths (a control character becomes as
        // many `?`), so the linter's line index serves it.
        let snippet = Snippet {
            name: path.as_ref(),
            source: printable.as_ref(),
            lines: &map.index,
            line_hint: std::cell::Cell::new(1),
            file: std::cell::OnceCell::new(),
        };
        if let Some(error) = &file.error {
            let report =
                Report::error().with_message(escape_controls(&format!("{}: {error}", file.path)));
            emit(
                buffer,
                config,
                &snippet,
                &report,
                Severity::Error,
                options.color,
            )?;
            return write_when_full(buffer, out);
        }
        for diagnostic in &file.diagnostics {
            let mark = buffer.len();
            let (span, start) = map.start(diagnostic.span);
            // A line too long to show gets a note instead of the snippet (codespan's shape).
            let shown = map.line_text(start.line).len() <= MAX_SNIPPET_LINE;
            let message = escape_controls(&diagnostic.message);
            let finding = Finding {
                severity: report_severity(diagnostic.severity),
                header: diagnostic.severity.as_str(),
                code: diagnostic.code,
                message: &message,
                range: span.start..span.end,
                notes: notes(diagnostic),
            };
            if shown
                && render_single_line(buffer, note, config, &snippet, &finding, options.color)
                    .is_some()
            {
                continue;
            }
            buffer.truncate(mark);
            let report = report(&finding, start, shown);
            emit(
                buffer,
                config,
                &snippet,
                &report,
                diagnostic.severity,
                options.color,
            )?;
        }
        write_when_full(buffer, out)
    }

    fn footer(
        &mut self,
        totals: &Totals,
        options: &Options,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        out.write_all(&self.buffer)?;
        self.buffer.clear();
        if options.statistics {
            super::statistics::write(totals, out)?;
        }
        summary(totals, options, out)?;
        out.flush()
    }
}

/// One finding as a snippet shows it, borrowed from its diagnostic: what the direct rendering
/// ([`render_single_line`]) reads. codespan's report, whose strings are owned, is built from
/// it only for the shapes codespan renders.
struct Finding<'a> {
    severity: ReportSeverity,
    /// The header's severity word: dlayer's (`info`, `style` where codespan says `note`,
    /// `help`).
    header: &'a str,
    code: &'a str,
    message: &'a str,
    /// The label's byte range: one primary label, without a message.
    range: std::ops::Range<usize>,
    notes: Vec<Note<'a>>,
}

/// A note as pieces to join (unused pieces empty): the notes of every finding are joined from
/// the rule's names, without a string of their own.
type Note<'a> = [&'a str; 5];

fn report_severity(severity: Severity) -> ReportSeverity {
    match severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
        Severity::Info => ReportSeverity::Note,
        Severity::Style => ReportSeverity::Help,
    }
}

/// The rule's name and layer, the twins' codes, the fix's title.
fn notes(diagnostic: &Diagnostic) -> Vec<Note<'_>> {
    let mut notes = Vec::with_capacity(1 + diagnostic.twins.len() + 1);
    notes.push(match diagnostic.layer {
        Some(layer) => ["rule: ", diagnostic.name, " (", layer.as_str(), " layer)"],
        None => ["rule: ", diagnostic.name, "", "", ""],
    });
    for twin in &diagnostic.twins {
        notes.push(["also: ", twin.code, " ", twin.name, ""]);
    }
    if let Some(fix) = &diagnostic.fix {
        notes.push(["help: ", &fix.message, "", "", ""]);
    }
    notes
}

/// codespan's report of `finding` (which starts at `start`), without the snippet when the
/// line is not `shown`.
fn report(finding: &Finding<'_>, start: Position, shown: bool) -> Report<()> {
    let mut notes: Vec<String> = finding.notes.iter().map(|note| note.concat()).collect();
    let report = Report::new(finding.severity)
        .with_code(finding.code)
        .with_message(finding.message);
    if !shown {
        notes.insert(
            0,
            format!(
                "at line {}, column {} (the line is too long to show)",
                start.line, start.column
            ),
        );
        return report.with_notes(notes);
    }
    report
        .with_labels(vec![Label::primary((), finding.range.clone())])
        .with_notes(notes)
}

/// The file a finding is shown in: its name and printable source, with the line index.
/// codespan's own file (which indexes the lines again) is built only when a finding needs
/// codespan's rendering.
struct Snippet<'a> {
    name: &'a str,
    source: &'a str,
    lines: &'a LineIndex,
    /// The 1-based line of the last offset looked up: the findings come in order of
    /// position, and both ends of most are on one line.
    line_hint: std::cell::Cell<usize>,
    file: std::cell::OnceCell<SimpleFile<&'a str, &'a str>>,
}

impl<'a> Snippet<'a> {
    fn file(&self) -> &SimpleFile<&'a str, &'a str> {
        self.file
            .get_or_init(|| SimpleFile::new(self.name, self.source))
    }

    /// The 0-based line holding `offset`, as codespan counts lines (`offset` at most the
    /// source's length).
    fn line_index(&self, offset: usize) -> usize {
        let line = self.lines.line_near(self.line_hint.get(), offset);
        self.line_hint.set(line);
        line - 1
    }

    /// The byte range of the 0-based line `index`, its line break included, as codespan
    /// gives it.
    fn line_range(&self, index: usize) -> std::ops::Range<usize> {
        let start = self.lines.line_start(index + 1);
        let end = if index + 1 < self.lines.line_count() {
            self.lines.line_start(index + 2)
        } else {
            self.source.len()
        };
        start..end
    }
}

/// Writes the findings collected once they fill a write.
fn write_when_full(buffer: &mut Vec<u8>, out: &mut dyn Write) -> io::Result<()> {
    if buffer.len() < WRITE_SIZE {
        return Ok(());
    }
    let written = out.write_all(buffer);
    buffer.clear();
    written
}

/// Renders one diagnostic with codespan, added to `buffer`. codespan-reporting names only its
/// own severities, so the header of an info (`note[…]`) or style (`help[…]`) finding is
/// renamed to dlayer's severity.
fn emit(
    buffer: &mut Vec<u8>,
    config: &Config,
    snippet: &Snippet<'_>,
    report: &Report<()>,
    severity: Severity,
    color: bool,
) -> io::Result<()> {
    let mark = buffer.len();
    let file = snippet.file();
    let result = if color {
        term::emit_to_write_style(&mut Ansi::new(&mut *buffer), config, file, report)
    } else {
        term::emit_to_io_write(&mut *buffer, config, file, report)
    };
    if let Err(error) = result {
        buffer.truncate(mark);
        return Err(match error {
            files::Error::Io(error) => error,
            other => io::Error::other(other.to_string()),
        });
    }
    let rename: Option<(&[u8], &[u8])> = match severity {
        Severity::Info => Some((b"note", b"info")),
        Severity::Style => Some((b"help", b"style")),
        Severity::Error | Severity::Warning => None,
    };
    if let Some((from, to)) = rename
        && let Some(at) = buffer[mark..]
            .windows(from.len())
            .position(|window| window == from)
    {
        buffer.splice(mark + at..mark + at + from.len(), to.iter().copied());
    }
    Ok(())
}

/// The styles codespan-reporting's default [`term::Styles`] set, as termcolor's `Ansi` writes
/// them (each begins with a reset).
mod ansi {
    pub const RESET: &str = "\x1b[0m";
    pub const HEADER_MESSAGE: &str = "\x1b[0m\x1b[1m";
    /// Line numbers, borders and note bullets.
    pub const GUTTER: &str = "\x1b[0m\x1b[36m";
}

/// codespan-reporting's rendering of the shape nearly every finding has — one primary label
/// without a message, on one line of printable ASCII (and tabs) — written directly, byte for
/// byte the same (a test renders both ways and compares; the header says dlayer's severity).
/// codespan writes each source character through the formatting machinery, which was most of
/// a tty lint's time. `None` (with `out` partly written) for any other shape: codespan renders
/// it. `note` is room to join a note's pieces.
fn render_single_line(
    out: &mut Vec<u8>,
    note: &mut String,
    config: &Config,
    file: &Snippet<'_>,
    finding: &Finding<'_>,
    color: bool,
) -> Option<()> {
    let source: &str = file.source;
    let range = finding.range.clone();
    if range.start > range.end
        || range.end > source.len()
        || config.tab_width == 0
        || !matches!(config.display_style, term::DisplayStyle::Rich)
        || config.before_label_lines != 0
        || config.after_label_lines != 0
    {
        return None;
    }
    let line_index = file.line_index(range.start);
    if file.line_index(range.end) != line_index {
        return None;
    }
    let line_range = file.line_range(line_index);
    let line = trim_line_end(&source[line_range.clone()], |byte| {
        is_line_break(byte) || byte == b'\0'
    });
    // Branch-free over the whole line, which the compiler vectorises.
    let (printable, has_tab) = line.bytes().fold((true, false), |(all, tab), b| {
        (
            all & ((b == b'\t') | (b' '..=b'~').contains(&b)),
            tab | (b == b'\t'),
        )
    });
    if !printable {
        return None;
    }
    let chars = &config.chars;
    let style = |out: &mut Vec<u8>, escape: &str| {
        if color {
            out.extend_from_slice(escape.as_bytes());
        }
    };
    let (header, label_color) = match finding.severity {
        ReportSeverity::Bug | ReportSeverity::Error => {
            ("\x1b[0m\x1b[1m\x1b[38;5;9m", "\x1b[0m\x1b[31m")
        }
        ReportSeverity::Warning => ("\x1b[0m\x1b[1m\x1b[38;5;11m", "\x1b[0m\x1b[33m"),
        ReportSeverity::Note => ("\x1b[0m\x1b[1m\x1b[38;5;10m", "\x1b[0m\x1b[32m"),
        ReportSeverity::Help => ("\x1b[0m\x1b[1m\x1b[38;5;14m", "\x1b[0m\x1b[36m"),
    };
    let mut line_buffer = itoa::Buffer::new();
    let line_number = line_buffer.format(line_index + 1);
    let padding = line_number.len();
    let gutter = |out: &mut Vec<u8>| push_spaces(out, padding + 1);
    let border = |out: &mut Vec<u8>| {
        style(out, ansi::GUTTER);
        push_char(out, chars.source_border_left);
        style(out, ansi::RESET);
    };

    // error[CODE]: message
    style(out, header);
    out.extend_from_slice(finding.header.as_bytes());
    if !finding.code.is_empty() {
        out.push(b'[');
        out.extend_from_slice(finding.code.as_bytes());
        out.push(b']');
    }
    style(out, ansi::HEADER_MESSAGE);
    out.extend_from_slice(b": ");
    out.extend_from_slice(finding.message.as_bytes());
    style(out, ansi::RESET);
    out.push(b'\n');

    // ┌─ path:line:column
    gutter(out);
    style(out, ansi::GUTTER);
    out.extend_from_slice(chars.snippet_start.as_bytes());
    style(out, ansi::RESET);
    out.push(b' ');
    out.extend_from_slice(file.name.as_bytes());
    out.push(b':');
    out.extend_from_slice(line_number.as_bytes());
    out.push(b':');
    // The line up to the label is ASCII: its bytes are its characters.
    out.extend_from_slice(
        itoa::Buffer::new()
            .format(range.start - line_range.start + 1)
            .as_bytes(),
    );
    out.push(b'\n');
    gutter(out);
    border(out);
    out.push(b'\n');

    // The source line, the label's characters coloured; tabs expanded to the next tab stop.
    // The line is ASCII: positions are bytes, plus one past the end (where a label at the end
    // of the line is shown).
    let bytes = line.as_bytes();
    let text = Expanded {
        bytes,
        tab_width: config.tab_width,
        has_tab,
    };
    let label_start = range.start - line_range.start;
    let label_end = (range.end - line_range.start).max(label_start + 1);
    style(out, ansi::GUTTER);
    out.extend_from_slice(line_number.as_bytes());
    style(out, ansi::RESET);
    out.push(b' ');
    border(out);
    out.push(b' ');
    let (in_from, in_to) = (label_start.min(bytes.len()), label_end.min(bytes.len()));
    let mut column = text.write(0..in_from, 0, out);
    if in_from < in_to {
        style(out, label_color);
        column = text.write(in_from..in_to, column, out);
        style(out, ansi::RESET);
    }
    text.write(in_to..bytes.len(), column, out);
    out.push(b'\n');

    // The carets: spaces up to the label, a caret per column of it.
    gutter(out);
    border(out);
    out.push(b' ');
    let column_at = |position: usize| match position.checked_sub(bytes.len()) {
        None | Some(0) => text.width(position),
        Some(_) => text.width(bytes.len()) + 1,
    };
    let before = column_at(label_start.min(bytes.len() + 1));
    push_spaces(out, before);
    if label_start <= bytes.len() {
        let carets = column_at(label_end.min(bytes.len() + 1)) - before;
        style(out, label_color);
        let mut caret = [0; 4];
        let caret = chars
            .single_primary_caret
            .encode_utf8(&mut caret)
            .as_bytes();
        match caret {
            [byte] => out.resize(out.len() + carets, *byte),
            _ => (0..carets).for_each(|_| out.extend_from_slice(caret)),
        }
        style(out, ansi::RESET);
    }
    out.push(b'\n');

    if !finding.notes.is_empty() {
        gutter(out);
        border(out);
        out.push(b'\n');
    }
    // = note (a note's further lines indented under its first)
    for pieces in &finding.notes {
        note.clear();
        pieces.iter().for_each(|piece| note.push_str(piece));
        for (index, text) in note.lines().enumerate() {
            gutter(out);
            if index == 0 {
                style(out, ansi::GUTTER);
                push_char(out, chars.note_bullet);
                style(out, ansi::RESET);
            } else {
                out.push(b' ');
            }
            out.push(b' ');
            out.extend_from_slice(text.as_bytes());
            out.push(b'\n');
        }
    }
    out.push(b'\n');
    Some(())
}

/// A source line as a snippet shows it: its tabs expanded to the next tab stop. Most lines
/// have none, and their columns are their bytes.
struct Expanded<'a> {
    bytes: &'a [u8],
    tab_width: usize,
    has_tab: bool,
}

impl Expanded<'_> {
    /// Writes the line's bytes `range`, shown from `column`, to `out`: the column after them.
    fn write(&self, range: std::ops::Range<usize>, column: usize, out: &mut Vec<u8>) -> usize {
        let text = &self.bytes[range];
        if !self.has_tab {
            out.extend_from_slice(text);
            return column + text.len();
        }
        expand_tabs(text, column, self.tab_width, Some(out))
    }

    /// The columns the line's first `end` bytes take.
    fn width(&self, end: usize) -> usize {
        if !self.has_tab {
            return end;
        }
        expand_tabs(&self.bytes[..end], 0, self.tab_width, None)
    }
}

/// The column after `text` written from `column` (tabs to the next multiple of `tab_width`),
/// with the text written to `out` when given, its tabs as spaces.
fn expand_tabs(
    text: &[u8],
    mut column: usize,
    tab_width: usize,
    mut out: Option<&mut Vec<u8>>,
) -> usize {
    let mut rest = text;
    loop {
        let plain = memchr::memchr(b'\t', rest).unwrap_or(rest.len());
        if let Some(out) = out.as_deref_mut() {
            out.extend_from_slice(&rest[..plain]);
        }
        column += plain;
        if plain == rest.len() {
            return column;
        }
        let spaces = tab_width - column % tab_width;
        if let Some(out) = out.as_deref_mut() {
            out.extend(std::iter::repeat_n(b' ', spaces));
        }
        column += spaces;
        rest = &rest[plain + 1..];
    }
}

/// `count` spaces: a copy of a run of them, cheaper than a fill for the few a gutter takes.
fn push_spaces(out: &mut Vec<u8>, count: usize) {
    const SPACES: &[u8; 32] = b"                                ";
    match SPACES.get(..count) {
        Some(spaces) => out.extend_from_slice(spaces),
        None => out.resize(out.len() + count, b' '),
    }
}

fn push_char(out: &mut Vec<u8>, c: char) {
    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
}

fn summary(totals: &Totals, options: &Options, out: &mut dyn Write) -> io::Result<()> {
    let counts = totals.counts;
    let unreadable = totals.unreadable;
    if options.quiet && counts.total() == 0 && unreadable == 0 {
        return Ok(());
    }
    let in_files = plural(totals.files, "file", "files");
    if counts.total() == 0 {
        write!(out, "no problems in {in_files}")?;
    } else {
        write!(
            out,
            "{} ({}, {}, {} info, {} style) in {in_files}",
            plural(counts.total(), "problem", "problems"),
            plural(counts.error, "error", "errors"),
            plural(counts.warning, "warning", "warnings"),
            counts.info,
            counts.style,
        )?;
    }
    if unreadable > 0 {
        write!(
            out,
            "; {} could not be linted",
            plural(unreadable, "file", "files")
        )?;
    }
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet<'a>(name: &'a str, source: &'a str, lines: &'a LineIndex) -> Snippet<'a> {
        Snippet {
            name,
            source,
            lines,
            line_hint: std::cell::Cell::new(1),
            file: std::cell::OnceCell::new(),
        }
    }

    /// The finding a report of the direct rendering's shape shows (its header renamed back to
    /// codespan's word); `None` for another shape of labels.
    fn finding<'a>(report: &'a Report<()>) -> Option<Finding<'a>> {
        use codespan_reporting::diagnostic::LabelStyle;
        let [label] = report.labels.as_slice() else {
            return None;
        };
        if label.style != LabelStyle::Primary || !label.message.is_empty() {
            return None;
        }
        Some(Finding {
            severity: report.severity,
            header: match report.severity {
                ReportSeverity::Bug => "bug",
                ReportSeverity::Error => "error",
                ReportSeverity::Warning => "warning",
                ReportSeverity::Help => "help",
                ReportSeverity::Note => "note",
            },
            code: report.code.as_deref().unwrap_or(""),
            message: &report.message,
            range: label.range.clone(),
            notes: report
                .notes
                .iter()
                .map(|note| [note.as_str(), "", "", "", ""])
                .collect(),
        })
    }

    /// The direct rendering of `report`, when it has that shape.
    fn direct(file: &Snippet<'_>, report: &Report<()>, color: bool) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let config = Config::default();
        render_single_line(
            &mut out,
            &mut String::new(),
            &config,
            file,
            &finding(report)?,
            color,
        )
        .map(|()| out)
    }

    /// codespan-reporting's own rendering of `report`.
    fn by_codespan(file: &SimpleFile<&str, &str>, report: &Report<()>, color: bool) -> Vec<u8> {
        let mut buffer = Vec::new();
        let config = Config::default();
        if color {
            term::emit_to_write_style(&mut Ansi::new(&mut buffer), &config, file, report).unwrap();
        } else {
            term::emit_to_io_write(&mut buffer, &config, file, report).unwrap();
        }
        buffer
    }

    #[test]
    fn single_line_rendering_is_codespans() {
        let sources = [
            "FROM a\n\tRUN x\t y \\\r\n  \t&& z\r\r\n\nCMD é\n",
            "ARG v=1\nRUN\t\t\ta  \nlast line without newline",
            "",
            "\n\n",
        ];
        let notes_variants: [Vec<String>; 3] = [
            vec![],
            vec!["rule: a-rule (app layer)".into(), "help: two\nlines".into()],
            vec![String::new(), "also: X".into()],
        ];
        let severities = [
            ReportSeverity::Error,
            ReportSeverity::Warning,
            ReportSeverity::Note,
            ReportSeverity::Help,
        ];
        let mut rendered = 0;
        for source in sources {
            let file = SimpleFile::new("dir/Dockerfile", source);
            let index = LineIndex::new(source);
            let snippet = snippet("dir/Dockerfile", source, &index);
            for start in 0..=source.len() {
                for end in start..=source.len() {
                    if !source.is_char_boundary(start) || !source.is_char_boundary(end) {
                        continue;
                    }
                    for (index, severity) in severities.into_iter().enumerate() {
                        let code = ["DL3008", "", "HC001", "SEC005"][index];
                        let notes = &notes_variants[(start + end + index) % notes_variants.len()];
                        let report = Report::new(severity)
                            .with_code(code)
                            .with_message("a `message` → with text")
                            .with_labels(vec![Label::primary((), start..end)])
                            .with_notes(notes.clone());
                        for color in [false, true] {
                            if let Some(fast) = direct(&snippet, &report, color) {
                                rendered += 1;
                                assert_eq!(
                                    String::from_utf8_lossy(&fast),
                                    String::from_utf8_lossy(&by_codespan(&file, &report, color)),
                                    "{source:?} {start}..{end} {severity:?} color {color}"
                                );
                            }
                        }
                    }
                }
            }
        }
        // Most spans are on one ASCII line: the direct rendering is the one tested.
        assert!(rendered > 4000, "{rendered}");
    }

    #[test]
    fn other_shapes_are_left_to_codespan() {
        let source = "RUN a \\\n  b\nCMD é\n";
        let index = LineIndex::new(source);
        let file = snippet("Dockerfile", source, &index);
        let shapes = [
            // Across two lines.
            vec![Label::primary((), 4..11)],
            // On a line with a character wider or narrower than a byte.
            vec![Label::primary((), 17..19)],
            // Two labels, or a label with a message.
            vec![Label::primary((), 0..3), Label::secondary((), 4..5)],
            vec![Label::primary((), 0..3).with_message("here")],
            // None.
            vec![],
        ];
        for labels in shapes {
            let report = Report::error().with_message("m").with_labels(labels);
            assert!(direct(&file, &report, false).is_none());
        }
    }
}
