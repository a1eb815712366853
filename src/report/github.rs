//! `github`: GitHub Actions workflow commands, one annotation per line.
//!
//! `::error file=PATH,line=L,col=C,endLine=L,endColumn=C2,title=CODE name::message`; warnings
//! are `::warning`, info and style `::notice`. Columns are given only for a finding on one
//! line (GitHub ignores them otherwise). A file that could not be read is an `::error` on the
//! file alone.

use std::io::{self, Write};

use super::{FileReport, FileStream, Options, SourceMap, display_path};
use crate::rules::Severity;

/// Workflow commands, a line per finding: nothing before or after the files.
pub struct Github;

impl FileStream for Github {
    fn file(
        &mut self,
        _: usize,
        file: &FileReport,
        _: &Options,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let path = escape_property(&display_path(&file.path));
        if let Some(error) = &file.error {
            return writeln!(
                out,
                "::error file={path},title=dlayer::{}",
                escape_data(&format!("{}: {error}", file.path)),
            );
        }
        let map = SourceMap::for_file(file);
        for diagnostic in &file.diagnostics {
            let located = map.locate(diagnostic.span);
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "notice",
            };
            write!(out, "::{command} file={path},line={}", located.start.line)?;
            if located.last_line == located.start.line {
                write!(
                    out,
                    ",col={},endLine={},endColumn={}",
                    located.start.column, located.last_line, located.last_line_end_column
                )?;
            } else {
                write!(out, ",endLine={}", located.last_line)?;
            }
            writeln!(
                out,
                ",title={}::{}",
                escape_property(&format!("{} {}", diagnostic.code, diagnostic.name)),
                escape_data(&diagnostic.message),
            )?;
        }
        Ok(())
    }
}

/// Escapes a command's message: `%`, `\r`, `\n`; other control characters as `\x1b`.
pub fn escape_data(text: &str) -> String {
    super::escape_controls(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as data, plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
        assert_eq!(
            escape_property("100% a:b,c\r\nd"),
            "100%25 a%3Ab%2Cc%0D%0Ad"
        );
    }
}
