//! Syntax errors rendered with codespan-reporting: `file:line:col`, snippet, message.

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};

use dlayer::report;
use dlayer::syntax::{LineIndex, SyntaxError};

/// Writes every error of one file to standard error.
/// Control characters of the file are not sent to the terminal; lines too long to show get
/// their position only.
pub fn syntax_errors(name: &str, source: &str, errors: &[&SyntaxError]) {
    let printable = report::printable_source(source);
    let shown_name = report::escape_controls(name);
    let file = SimpleFile::new(shown_name.as_ref(), printable.as_ref());
    let config = Config::default();
    let index = LineIndex::new(source);
    let mut stderr = std::io::stderr().lock();
    for error in errors {
        let range = clamp(source, error.span.start)..clamp(source, error.span.end);
        let message = report::escape_controls(&error.message);
        let at = index.position(source, range.start);
        let line_length = line_length(source, &index, at.line);
        let diagnostic = if line_length > report::MAX_SNIPPET_LINE {
            Diagnostic::error().with_message(format!(
                "{name}:{}:{}: {message} (the line is {line_length} bytes long: not shown)",
                at.line, at.column
            ))
        } else {
            Diagnostic::error()
                .with_message(message)
                .with_labels(vec![Label::primary((), range)])
        };
        if let Err(error) = term::emit_to_io_write(&mut stderr, &config, &file, &diagnostic) {
            let error = match error {
                codespan_reporting::files::Error::Io(error) => error,
                other => std::io::Error::other(other.to_string()),
            };
            super::output::fail(super::output::Stream::Stderr, &error);
        }
    }
}

fn line_length(source: &str, index: &LineIndex, line: usize) -> usize {
    let start = index.line_start(line);
    let end = if line < index.line_count() {
        index.line_start(line + 1)
    } else {
        source.len()
    };
    end - start
}

fn clamp(source: &str, mut offset: usize) -> usize {
    offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
