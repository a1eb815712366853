//! `junit`: JUnit XML for CI test-report views.
//!
//! `<testsuites name="dlayer">` holds one `<testsuite>` per file, named by its path. Each
//! finding is a failing `<testcase>` (`CODE name at line:col`) whose `<failure>` carries the
//! message and, in its text, the position, rule, layer and fix title; a clean file is one
//! passing test case `lint`, so every linted file shows up; a file that could not be read is
//! one test case `lint` with an `<error>`.

use std::io::{self, Write};

use super::xml::{DECLARATION, escape, escape_text};
use super::{FileReport, Options, SourceMap};

pub fn render(files: &[FileReport], _options: &Options, out: &mut dyn Write) -> io::Result<()> {
    let failures: usize = files.iter().map(|file| file.diagnostics.len()).sum();
    let errors = files.iter().filter(|file| file.error.is_some()).count();
    let tests: usize = files.iter().map(|file| file.diagnostics.len().max(1)).sum();
    write!(out, "{DECLARATION}")?;
    writeln!(
        out,
        "<testsuites name=\"dlayer\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
    )?;
    for file in files {
        let name = escape(&file.path);
        if let Some(error) = &file.error {
            writeln!(
                out,
                "  <testsuite name=\"{name}\" tests=\"1\" failures=\"0\" errors=\"1\">"
            )?;
            writeln!(
                out,
                "    <testcase name=\"lint\" classname=\"{name}\" file=\"{name}\">"
            )?;
            writeln!(
                out,
                "      <error message=\"{}\" type=\"unreadable\"/>",
                escape(&format!("{}: {error}", file.path)),
            )?;
            writeln!(out, "    </testcase>")?;
            writeln!(out, "  </testsuite>")?;
            continue;
        }
        let count = file.diagnostics.len();
        writeln!(
            out,
            "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{count}\" errors=\"0\">",
            count.max(1),
        )?;
        if count == 0 {
            writeln!(
                out,
                "    <testcase name=\"lint\" classname=\"{name}\" file=\"{name}\"/>"
            )?;
        }
        let map = SourceMap::for_file(file);
        for diagnostic in &file.diagnostics {
            let start = map.locate(diagnostic.span).start;
            writeln!(
                out,
                "    <testcase name=\"{} {} at {}:{}\" classname=\"{name}\" file=\"{name}\" line=\"{}\">",
                escape(diagnostic.code),
                escape(diagnostic.name),
                start.line,
                start.column,
                start.line,
            )?;
            let mut text = format!(
                "{}:{}:{}: {}[{}] {}\nrule: {}",
                file.path,
                start.line,
                start.column,
                diagnostic.severity,
                diagnostic.code,
                diagnostic.message,
                diagnostic.name,
            );
            if let Some(layer) = diagnostic.layer {
                text.push_str(&format!(" ({} layer)", layer.as_str()));
            }
            if let Some(fix) = &diagnostic.fix {
                text.push_str(&format!("\nhelp: {}", fix.message));
            }
            writeln!(
                out,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                escape(&diagnostic.message),
                diagnostic.severity,
                escape_text(&text),
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
