//! `tty`: a codespan-reporting snippet per finding, optional statistics, a summary line.

use std::borrow::Cow;
use std::cell::{Cell, OnceCell};
use std::io::{self, Write};
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::{self, Files};
use codespan_reporting::term::{self, Config, termcolor::Ansi};

use super::{
    FileReport, FileStream, MAX_SNIPPET_LINE, Options, SourceMap, Totals, WRITE_SIZE, clamp,
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
    /// The snippets' frame for the file being written, its room kept likewise.
    frame: Frame,
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
            frame,
        } = self;
        let path = escape_controls(&file.path);
        let map = SourceMap::for_file(file);
        let snippet = Snippet::new(path.as_ref(), &file.source, &map.index);
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
        frame.forget();
        // One list for the file, refilled with each finding's notes.
        let mut notes = Vec::new();
        for diagnostic in &file.diagnostics {
            let mark = buffer.len();
            let start = clamp(&file.source, diagnostic.span.start);
            let end = clamp(&file.source, diagnostic.span.end).max(start);
            let line = snippet.line_at(start);
            let message = escape_controls(&diagnostic.message);
            fill_notes(&mut notes, diagnostic);
            let finding = Finding {
                severity: report_severity(diagnostic.severity),
                header: diagnostic.severity.as_str(),
                code: diagnostic.code,
                message: &message,
                range: start..end,
                notes: &notes,
            };
            let direct = if line.text_len() <= MAX_SNIPPET_LINE {
                render_single_line(
                    buffer,
                    note,
                    config,
                    frame,
                    &snippet,
                    &finding,
                    options.color,
                )
            } else {
                // A line too long to show gets a note instead of the snippet (codespan's
                // shape), which says where the finding is in characters.
                let (_, start) = map.start(diagnostic.span);
                render_unshown(
                    buffer,
                    note,
                    config,
                    frame,
                    &snippet,
                    &finding,
                    start,
                    options.color,
                )
            };
            if direct.is_some() {
                continue;
            }
            buffer.truncate(mark);
            let (_, start) = map.start(diagnostic.span);
            let report = report(&finding, start, line.text_len() <= MAX_SNIPPET_LINE);
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
/// ([`render_single_line`], [`render_unshown`]) reads. codespan's report, whose strings are
/// owned, is built from it only for the shapes codespan renders.
struct Finding<'a> {
    severity: ReportSeverity,
    /// The header's severity word: dlayer's (`info`, `style` where codespan says `note`,
    /// `help`).
    header: &'a str,
    code: &'a str,
    message: &'a str,
    /// The label's byte range: one primary label, without a message.
    range: Range<usize>,
    notes: &'a [Note<'a>],
}

/// A note as pieces to join (unused pieces empty): the notes of every finding are joined from
/// the rule's names, without a string of their own.
#[derive(Clone, Copy)]
struct Note<'a> {
    /// Its prefix and names dlayer defines, none with a line break: written as they are.
    names: [&'a str; 5],
    /// Text from elsewhere (a fix's title), split into lines when it has line breaks.
    text: &'a str,
}

impl<'a> Note<'a> {
    fn names(names: [&'a str; 5]) -> Self {
        debug_assert!(!names.concat().contains(['\n', '\r']), "{names:?}");
        Note { names, text: "" }
    }

    fn concat(&self) -> String {
        self.names.concat() + self.text
    }
}

fn report_severity(severity: Severity) -> ReportSeverity {
    match severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
        Severity::Info => ReportSeverity::Note,
        Severity::Style => ReportSeverity::Help,
    }
}

/// `notes` refilled with the diagnostic's: the rule's name and layer, the twins' codes, the
/// fix's title.
fn fill_notes<'a>(notes: &mut Vec<Note<'a>>, diagnostic: &'a Diagnostic) {
    notes.clear();
    notes.push(match diagnostic.layer {
        Some(layer) => Note::names(["rule: ", diagnostic.name, " (", layer.as_str(), " layer)"]),
        None => Note::names(["rule: ", diagnostic.name, "", "", ""]),
    });
    for twin in &diagnostic.twins {
        notes.push(Note::names(["also: ", twin.code, " ", twin.name, ""]));
    }
    if let Some(fix) = &diagnostic.fix {
        notes.push(Note {
            names: ["help: ", "", "", "", ""],
            text: &fix.message,
        });
    }
}

/// codespan's report of `finding` (which starts at `start`), without the snippet when the
/// line is not `shown`.
fn report(finding: &Finding<'_>, start: Position, shown: bool) -> Report<()> {
    let mut notes: Vec<String> = finding.notes.iter().map(|note| note.concat()).collect();
    let report = Report::new(finding.severity)
        .with_code(finding.code)
        .with_message(finding.message);
    if !shown {
        notes.insert(0, unshown_note(start));
        return report.with_notes(notes);
    }
    report
        .with_labels(vec![Label::primary((), finding.range.clone())])
        .with_notes(notes)
}

/// The note that stands for the snippet of a line too long to show.
fn unshown_note(start: Position) -> String {
    format!(
        "at line {}, column {} (the line is too long to show)",
        start.line, start.column
    )
}

/// The file a finding is shown in: its name and source, with the line index. codespan's own
/// file (which indexes the lines again) is built only when a finding needs codespan's
/// rendering.
struct Snippet<'a> {
    name: &'a str,
    /// The file's own text, control characters and all: the direct rendering shows only
    /// lines without any, and codespan is given a printable copy.
    source: &'a str,
    lines: &'a LineIndex,
    /// The 1-based line of the last offset looked up: the findings come in order of
    /// position, and both ends of most are on one line.
    line_hint: Cell<usize>,
    /// The last line looked at: several findings are often on one line.
    last_line: Cell<Option<SourceLine>>,
    file: OnceCell<PrintableFile<'a>>,
}

/// codespan's view of a snippet's file: its printable source, whose lines are the file's (a
/// control character becomes as many `?`), given by the linter's line index rather than by
/// an index codespan would build again (as its `SimpleFile` does, which this answers alike).
struct PrintableFile<'a> {
    name: &'a str,
    source: Cow<'a, str>,
    lines: &'a LineIndex,
}

impl PrintableFile<'_> {
    /// Where the 0-based line `index` starts; the source's end just past the last line.
    fn line_start(&self, index: usize) -> Result<usize, files::Error> {
        let count = self.lines.line_count();
        match index.cmp(&count) {
            std::cmp::Ordering::Less => Ok(self.lines.line_start(index + 1)),
            std::cmp::Ordering::Equal => Ok(self.source.len()),
            std::cmp::Ordering::Greater => Err(files::Error::LineTooLarge {
                given: index,
                max: count - 1,
            }),
        }
    }
}

impl<'a> Files<'a> for PrintableFile<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Ok(&self.source)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, files::Error> {
        Ok(self.lines.line(byte_index) - 1)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, files::Error> {
        Ok(self.line_start(line_index)?..self.line_start(line_index + 1)?)
    }
}

/// A line of a snippet's source, looked at once for all the findings on it.
#[derive(Clone, Copy)]
struct SourceLine {
    /// 0-based, as codespan counts lines.
    index: usize,
    start: usize,
    /// The end of its text (its line break left out).
    text_end: usize,
    /// The start of the next line (the source's end after the last line).
    next_start: usize,
    /// The text is printable ASCII and tabs, whose bytes are its characters.
    printable: bool,
    has_tab: bool,
}

impl SourceLine {
    fn text_len(&self) -> usize {
        self.text_end - self.start
    }
}

impl<'a> Snippet<'a> {
    fn new(name: &'a str, source: &'a str, lines: &'a LineIndex) -> Self {
        Snippet {
            name,
            source,
            lines,
            line_hint: Cell::new(1),
            last_line: Cell::new(None),
            file: OnceCell::new(),
        }
    }

    /// codespan's file: the printable source (a control character becomes as many `?`, so
    /// byte spans still fit).
    fn file(&self) -> &PrintableFile<'a> {
        self.file.get_or_init(|| PrintableFile {
            name: self.name,
            source: printable_source(self.source),
            lines: self.lines,
        })
    }

    /// The 0-based line holding `offset`, as codespan counts lines (`offset` at most the
    /// source's length).
    fn line_index(&self, offset: usize) -> usize {
        let line = self.lines.line_near(self.line_hint.get(), offset);
        self.line_hint.set(line);
        line - 1
    }

    /// The line holding `offset` (at most the source's length), as codespan counts lines:
    /// the last line looked at, without a search, when it holds it (as it holds both ends of
    /// most findings, and often the next finding).
    fn line_at(&self, offset: usize) -> SourceLine {
        if let Some(line) = self.last_line.get()
            && line.start <= offset
            && (offset < line.next_start || line.index + 1 == self.lines.line_count())
        {
            return line;
        }
        self.line(self.line_index(offset))
    }

    /// The 0-based line `index`: its range, line break included, as codespan gives it.
    fn line(&self, index: usize) -> SourceLine {
        if let Some(line) = self.last_line.get()
            && line.index == index
        {
            return line;
        }
        let start = self.lines.line_start(index + 1);
        let next_start = if index + 1 < self.lines.line_count() {
            self.lines.line_start(index + 2)
        } else {
            self.source.len()
        };
        let text = trim_line_end(&self.source[start..next_start], is_line_break);
        // Branch-free over the whole line, which the compiler vectorises.
        let (printable, has_tab) = text.bytes().fold((true, false), |(all, tab), b| {
            (
                all & ((b == b'\t') | (b' '..=b'~').contains(&b)),
                tab | (b == b'\t'),
            )
        });
        let line = SourceLine {
            index,
            start,
            text_end: start + text.len(),
            next_start,
            printable,
            has_tab,
        };
        self.last_line.set(Some(line));
        line
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

/// The parts of a snippet that depend only on the file's name and the width of the line
/// numbers, drawn once and copied whole into each finding's snippet (rather than drawn piece
/// by piece for each).
#[derive(Default)]
struct Frame {
    /// The line numbers' width and the colour setting it is drawn for; `None` before the
    /// first finding of a file.
    drawn_for: Option<(usize, bool)>,
    /// `  ┌─ path:`, the locus line up to the line number.
    locus: Vec<u8>,
    /// `  │` and a line break: the border's empty lines.
    border: Vec<u8>,
    /// ` │ ` after the line number on the source line.
    after_number: Vec<u8>,
    /// `  │ ` before the carets.
    before_carets: Vec<u8>,
    /// `  = ` before a note's first line.
    bullet: Vec<u8>,
    /// The indentation of a note's further lines.
    continuation: Vec<u8>,
}

impl Frame {
    /// Forgets the frame drawn for another file (whose name it shows).
    fn forget(&mut self) {
        self.drawn_for = None;
    }

    /// Draws the frame for line numbers `width` digits wide, unless it is drawn already.
    fn draw(&mut self, width: usize, config: &Config, name: &str, color: bool) {
        if self.drawn_for == Some((width, color)) {
            return;
        }
        self.drawn_for = Some((width, color));
        let chars = &config.chars;
        let style = |out: &mut Vec<u8>, escape: &str| {
            if color {
                out.extend_from_slice(escape.as_bytes());
            }
        };
        let gutter = |out: &mut Vec<u8>| {
            out.clear();
            push_spaces(out, width + 1);
        };
        let border = |out: &mut Vec<u8>| {
            style(out, ansi::GUTTER);
            push_char(out, chars.source_border_left);
            style(out, ansi::RESET);
        };

        let locus = &mut self.locus;
        gutter(locus);
        style(locus, ansi::GUTTER);
        locus.extend_from_slice(chars.snippet_start.as_bytes());
        style(locus, ansi::RESET);
        locus.push(b' ');
        locus.extend_from_slice(name.as_bytes());
        locus.push(b':');

        gutter(&mut self.border);
        border(&mut self.border);
        self.border.push(b'\n');

        let after_number = &mut self.after_number;
        after_number.clear();
        style(after_number, ansi::RESET);
        after_number.push(b' ');
        border(after_number);
        after_number.push(b' ');

        gutter(&mut self.before_carets);
        border(&mut self.before_carets);
        self.before_carets.push(b' ');

        let bullet = &mut self.bullet;
        gutter(bullet);
        style(bullet, ansi::GUTTER);
        push_char(bullet, chars.note_bullet);
        style(bullet, ansi::RESET);
        bullet.push(b' ');

        gutter(&mut self.continuation);
        self.continuation.extend_from_slice(b"  ");
    }
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
    frame: &mut Frame,
    file: &Snippet<'_>,
    finding: &Finding<'_>,
    color: bool,
) -> Option<()> {
    let range = finding.range.clone();
    if range.start > range.end
        || range.end > file.source.len()
        || config.tab_width == 0
        || !matches!(config.display_style, term::DisplayStyle::Rich)
        || config.before_label_lines != 0
        || config.after_label_lines != 0
    {
        return None;
    }
    let line = file.line_at(range.start);
    let on_one_line = range.end < line.next_start || file.line_at(range.end).index == line.index;
    if !on_one_line || !line.printable {
        return None;
    }
    let label_color = match finding.severity {
        ReportSeverity::Bug | ReportSeverity::Error => "\x1b[0m\x1b[31m",
        ReportSeverity::Warning => "\x1b[0m\x1b[33m",
        ReportSeverity::Note => "\x1b[0m\x1b[32m",
        ReportSeverity::Help => "\x1b[0m\x1b[36m",
    };
    let style = |out: &mut Vec<u8>, escape: &str| {
        if color {
            out.extend_from_slice(escape.as_bytes());
        }
    };
    let mut line_buffer = itoa::Buffer::new();
    let line_number = line_buffer.format(line.index + 1);
    frame.draw(line_number.len(), config, file.name, color);

    header(out, finding, color);

    // ┌─ path:line:column
    out.extend_from_slice(&frame.locus);
    out.extend_from_slice(line_number.as_bytes());
    out.push(b':');
    // The line up to the label is ASCII: its bytes are its characters.
    out.extend_from_slice(
        itoa::Buffer::new()
            .format(range.start - line.start + 1)
            .as_bytes(),
    );
    out.push(b'\n');
    out.extend_from_slice(&frame.border);

    // The source line, the label's characters coloured; tabs expanded to the next tab stop.
    // The line is ASCII: positions are bytes, plus one past the end (where a label at the end
    // of the line is shown).
    let bytes = &file.source.as_bytes()[line.start..line.text_end];
    let text = Expanded {
        bytes,
        tab_width: config.tab_width,
        has_tab: line.has_tab,
    };
    let label_start = range.start - line.start;
    let label_end = (range.end - line.start).max(label_start + 1);
    style(out, ansi::GUTTER);
    out.extend_from_slice(line_number.as_bytes());
    out.extend_from_slice(&frame.after_number);
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
    out.extend_from_slice(&frame.before_carets);
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
        let caret = config
            .chars
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
        out.extend_from_slice(&frame.border);
    }
    notes(out, note, frame, finding.notes);
    out.push(b'\n');
    Some(())
}

/// codespan-reporting's rendering of a finding whose line is too long to show (a report
/// without labels, where it is given as the first note), written directly like
/// [`render_single_line`]'s.
#[allow(clippy::too_many_arguments)]
fn render_unshown(
    out: &mut Vec<u8>,
    note: &mut String,
    config: &Config,
    frame: &mut Frame,
    file: &Snippet<'_>,
    finding: &Finding<'_>,
    start: Position,
    color: bool,
) -> Option<()> {
    if !matches!(config.display_style, term::DisplayStyle::Rich) {
        return None;
    }
    // Without a source line there are no line numbers: the notes' gutter is one space.
    frame.draw(0, config, file.name, color);
    header(out, finding, color);
    out.extend_from_slice(&frame.bullet);
    out.extend_from_slice(unshown_note(start).as_bytes());
    out.push(b'\n');
    notes(out, note, frame, finding.notes);
    out.push(b'\n');
    Some(())
}

/// `error[CODE]: message`, in the severity's colours.
fn header(out: &mut Vec<u8>, finding: &Finding<'_>, color: bool) {
    if color {
        let style = match finding.severity {
            ReportSeverity::Bug | ReportSeverity::Error => "\x1b[0m\x1b[1m\x1b[38;5;9m",
            ReportSeverity::Warning => "\x1b[0m\x1b[1m\x1b[38;5;11m",
            ReportSeverity::Note => "\x1b[0m\x1b[1m\x1b[38;5;10m",
            ReportSeverity::Help => "\x1b[0m\x1b[1m\x1b[38;5;14m",
        };
        out.extend_from_slice(style.as_bytes());
    }
    out.extend_from_slice(finding.header.as_bytes());
    if !finding.code.is_empty() {
        out.push(b'[');
        out.extend_from_slice(finding.code.as_bytes());
        out.push(b']');
    }
    if color {
        out.extend_from_slice(ansi::HEADER_MESSAGE.as_bytes());
    }
    out.extend_from_slice(b": ");
    out.extend_from_slice(finding.message.as_bytes());
    if color {
        out.extend_from_slice(ansi::RESET.as_bytes());
    }
    out.push(b'\n');
}

/// `= note`, each note's further lines indented under its first. A note is written piece by
/// piece; only one whose text has a line break (rare) is joined in `note` and split into
/// lines.
fn notes(out: &mut Vec<u8>, note: &mut String, frame: &Frame, notes: &[Note<'_>]) {
    for piece_by_piece in notes {
        let Note { names, text } = piece_by_piece;
        // Branch-free over the text, which the compiler vectorises.
        let breaks = text
            .bytes()
            .fold(false, |any, b| any | (b == b'\n') | (b == b'\r'));
        if !breaks {
            // An empty note has no lines.
            if text.is_empty() && names.iter().all(|piece| piece.is_empty()) {
                continue;
            }
            out.extend_from_slice(&frame.bullet);
            for piece in names.iter().chain([text]) {
                if !piece.is_empty() {
                    out.extend_from_slice(piece.as_bytes());
                }
            }
            out.push(b'\n');
            continue;
        }
        note.clear();
        names.iter().for_each(|piece| note.push_str(piece));
        note.push_str(text);
        for (index, text) in note.lines().enumerate() {
            let indent = if index == 0 {
                &frame.bullet
            } else {
                &frame.continuation
            };
            out.extend_from_slice(indent);
            out.extend_from_slice(text.as_bytes());
            out.push(b'\n');
        }
    }
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
    use codespan_reporting::files::SimpleFile;

    use super::*;

    /// The notes of `report`, each as one piece.
    fn notes_of(report: &Report<()>) -> Vec<Note<'_>> {
        report
            .notes
            .iter()
            .map(|note| Note {
                names: [""; 5],
                text: note,
            })
            .collect()
    }

    /// The finding a report shows (its header renamed back to codespan's word), with its
    /// `notes`; its range is the first label's.
    fn finding<'a>(report: &'a Report<()>, notes: &'a [Note<'a>]) -> Finding<'a> {
        Finding {
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
            range: report
                .labels
                .first()
                .map_or(0..0, |label| label.range.clone()),
            notes,
        }
    }

    /// The direct rendering of `report`, when it has the shape of one primary label without
    /// a message on one printable line.
    fn direct(file: &Snippet<'_>, report: &Report<()>, color: bool) -> Option<Vec<u8>> {
        use codespan_reporting::diagnostic::LabelStyle;
        let [label] = report.labels.as_slice() else {
            return None;
        };
        if label.style != LabelStyle::Primary || !label.message.is_empty() {
            return None;
        }
        let mut out = Vec::new();
        let notes = notes_of(report);
        render_single_line(
            &mut out,
            &mut String::new(),
            &Config::default(),
            &mut Frame::default(),
            file,
            &finding(report, &notes),
            color,
        )
        .map(|()| out)
    }

    #[test]
    fn printable_file_answers_as_codespans_file() {
        for source in ["", "\n", "a", "FROM a\r\nRUN \x1b b\n\nCMD é", "x\n\n"] {
            let index = LineIndex::new(source);
            let ours = Snippet::new("name", source, &index);
            let ours = ours.file();
            let printable = printable_source(source);
            let codespans = SimpleFile::new("name", printable.as_ref());
            assert_eq!(ours.source(()).unwrap(), *codespans.source());
            for offset in 0..=source.len() + 2 {
                assert_eq!(
                    ours.line_index((), offset).unwrap(),
                    codespans.line_index((), offset).unwrap(),
                    "{source:?} {offset}"
                );
            }
            for line in 0..=index.line_count() + 1 {
                assert_eq!(
                    ours.line_range((), line).ok(),
                    codespans.line_range((), line).ok(),
                    "{source:?} {line}"
                );
            }
        }
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
            let snippet = Snippet::new("dir/Dockerfile", source, &index);
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
        let file = Snippet::new("Dockerfile", source, &index);
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
    #[test]
    fn unshown_rendering_is_codespans() {
        let source = "RUN a\n";
        let index = LineIndex::new(source);
        let file = SimpleFile::new("dir/Dockerfile", source);
        let start = Position {
            line: 12,
            column: 3456,
        };
        for notes in [
            vec![],
            vec![
                "rule: a-rule (app layer)".to_string(),
                "help: two\nlines".into(),
            ],
            vec![String::new(), "also: X".into()],
        ] {
            for severity in [
                ReportSeverity::Error,
                ReportSeverity::Warning,
                ReportSeverity::Note,
                ReportSeverity::Help,
            ] {
                for code in ["DL3008", ""] {
                    let report = Report::new(severity)
                        .with_code(code)
                        .with_message("a `message` → with text")
                        .with_notes(notes.clone());
                    let pieces = notes_of(&report);
                    let mut with_place = notes.clone();
                    with_place.insert(0, unshown_note(start));
                    let by_codespan_report = Report {
                        notes: with_place,
                        ..report.clone()
                    };
                    for color in [false, true] {
                        let mut out = Vec::new();
                        render_unshown(
                            &mut out,
                            &mut String::new(),
                            &Config::default(),
                            &mut Frame::default(),
                            &Snippet::new("dir/Dockerfile", source, &index),
                            &finding(&report, &pieces),
                            start,
                            color,
                        )
                        .unwrap();
                        assert_eq!(
                            String::from_utf8_lossy(&out),
                            String::from_utf8_lossy(&by_codespan(
                                &file,
                                &by_codespan_report,
                                color
                            )),
                            "{severity:?} {code:?} color {color}"
                        );
                    }
                }
            }
        }
    }
}
