//! `checkstyle`: Checkstyle 4.3 XML, a `<file>` per file (clean ones too), an `<error>` per
//! finding with `source="dlayer.CODE"`. Style findings are reported as `info`; a file that
//! could not be read gets one `<error>` with `source="dlayer.unreadable"`.

use std::io::{self, Write};

use super::xml::{DECLARATION, escape};
use super::{FileReport, FileStream, Options, SourceMap, Totals};
use crate::rules::Severity;

pub struct Checkstyle;

impl FileStream for Checkstyle {
    fn header(&mut self, _: &Options, out: &mut dyn Write) -> io::Result<()> {
        write!(out, "{DECLARATION}")?;
        writeln!(out, "<checkstyle version=\"4.3\">")
    }

    fn file(
        &mut self,
        _: usize,
        file: &FileReport,
        _: &Options,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        render_file(file, out)
    }

    fn footer(&mut self, _: &Totals, _: &Options, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "</checkstyle>")?;
        out.flush()
    }
}

fn render_file(file: &FileReport, out: &mut dyn Write) -> io::Result<()> {
    let name = escape(&file.path);
    if let Some(error) = &file.error {
        writeln!(out, "  <file name=\"{name}\">")?;
        writeln!(
            out,
            "    <error line=\"1\" severity=\"error\" message=\"{}\" source=\"dlayer.unreadable\"/>",
            escape(&format!("{}: {error}", file.path)),
        )?;
        return writeln!(out, "  </file>");
    }
    if file.diagnostics.is_empty() {
        return writeln!(out, "  <file name=\"{name}\"/>");
    }
    writeln!(out, "  <file name=\"{name}\">")?;
    let map = SourceMap::for_file(file);
    for diagnostic in &file.diagnostics {
        let start = map.endpoints(diagnostic.span).1;
        let severity = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Style => "info",
        };
        writeln!(
            out,
            "    <error line=\"{}\" column=\"{}\" severity=\"{severity}\" message=\"{}\" source=\"dlayer.{}\"/>",
            start.line,
            start.column,
            escape(&diagnostic.message),
            escape(diagnostic.code),
        )?;
    }
    writeln!(out, "  </file>")
}
