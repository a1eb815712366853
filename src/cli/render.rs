//! Syntax errors rendered with codespan-reporting: `file:line:col`, snippet, message.

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};

use dlayer::syntax::SyntaxError;

/// Writes every error of one file to standard error.
pub fn syntax_errors(name: &str, source: &str, errors: &[&SyntaxError]) {
    let file = SimpleFile::new(name, source);
    let config = Config::default();
    let mut stderr = std::io::stderr().lock();
    for error in errors {
        let range = clamp(source, error.span.start)..clamp(source, error.span.end);
        let diagnostic = Diagnostic::error()
            .with_message(&error.message)
            .with_labels(vec![Label::primary((), range)]);
        if let Err(error) = term::emit_to_io_write(&mut stderr, &config, &file, &diagnostic) {
            let error = match error {
                codespan_reporting::files::Error::Io(error) => error,
                other => std::io::Error::other(other.to_string()),
            };
            super::output::fail(super::output::Stream::Stderr, &error);
        }
    }
}

fn clamp(source: &str, mut offset: usize) -> usize {
    offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
