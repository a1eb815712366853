//! `tty`: a codespan-reporting snippet per finding, optional statistics, a summary line.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::{self, SimpleFile};
use codespan_reporting::term::{self, Config, termcolor::Ansi};

use super::{
    FileReport, FileStream, MAX_SNIPPET_LINE, Options, SourceMap, Totals, escape_controls, plural,
    printable_source,
};
use crate::rules::{Diagnostic, Severity};

/// The tty stream: a snippet per finding as each file comes, statistics and the summary at
/// the end.
#[derive(Default)]
pub struct Tty {
    config: Config,
}

impl FileStream for Tty {
    fn file(
        &mut self,
        _: usize,
        file: &FileReport,
        options: &Options,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let config = &self.config;
        let path = escape_controls(&file.path);
        let printable = printable_source(&file.source);
        let simple = SimpleFile::new(path.as_ref(), printable.as_ref());
        if let Some(error) = &file.error {
            let report =
                Report::error().with_message(escape_controls(&format!("{}: {error}", file.path)));
            return emit(
                out,
                config,
                &simple,
                &report,
                Severity::Error,
                options.color,
            );
        }
        let map = SourceMap::for_file(file);
        for diagnostic in &file.diagnostics {
            let report = report(diagnostic, &map);
            emit(
                out,
                config,
                &simple,
                &report,
                diagnostic.severity,
                options.color,
            )?;
        }
        Ok(())
    }

    fn footer(
        &mut self,
        totals: &Totals,
        options: &Options,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        if options.statistics {
            super::statistics::write(totals, out)?;
        }
        summary(totals, options, out)?;
        out.flush()
    }
}

fn report(diagnostic: &Diagnostic, map: &SourceMap<'_>) -> Report<()> {
    let located = map.locate(diagnostic.span);
    let span = located.span;
    let too_long = map.line_text(located.start.line).len() > MAX_SNIPPET_LINE;
    let mut notes = vec![match diagnostic.layer {
        Some(layer) => format!("rule: {} ({} layer)", diagnostic.name, layer.as_str()),
        None => format!("rule: {}", diagnostic.name),
    }];
    for twin in &diagnostic.twins {
        notes.push(format!("also: {} {}", twin.code, twin.name));
    }
    if let Some(fix) = &diagnostic.fix {
        notes.push(format!("help: {}", fix.message));
    }
    let severity = match diagnostic.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
        Severity::Info => ReportSeverity::Note,
        Severity::Style => ReportSeverity::Help,
    };
    let report = Report::new(severity)
        .with_code(diagnostic.code)
        .with_message(escape_controls(&diagnostic.message));
    if too_long {
        notes.insert(
            0,
            format!(
                "at line {}, column {} (the line is too long to show)",
                located.start.line, located.start.column
            ),
        );
        return report.with_notes(notes);
    }
    report
        .with_labels(vec![Label::primary((), span.start..span.end)])
        .with_notes(notes)
}

/// Renders one diagnostic. codespan-reporting names only its own severities, so the header of
/// an info (`note[…]`) or style (`help[…]`) finding is renamed to dlayer's severity.
fn emit(
    out: &mut dyn Write,
    config: &Config,
    file: &SimpleFile<&str, &str>,
    report: &Report<()>,
    severity: Severity,
    color: bool,
) -> io::Result<()> {
    let mut buffer = Vec::new();
    let result = if color {
        term::emit_to_write_style(&mut Ansi::new(&mut buffer), config, file, report)
    } else {
        term::emit_to_io_write(&mut buffer, config, file, report)
    };
    result.map_err(|error| match error {
        files::Error::Io(error) => error,
        other => io::Error::other(other.to_string()),
    })?;
    let rename: Option<(&[u8], &[u8])> = match severity {
        Severity::Info => Some((b"note", b"info")),
        Severity::Style => Some((b"help", b"style")),
        Severity::Error | Severity::Warning => None,
    };
    if let Some((from, to)) = rename
        && let Some(at) = buffer.windows(from.len()).position(|window| window == from)
    {
        buffer.splice(at..at + from.len(), to.iter().copied());
    }
    out.write_all(&buffer)
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
