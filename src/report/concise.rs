//! `concise`: one line per finding, `path:line:column: CODE message`, for grep and for editors
//! without a language server (Vim's `errorformat` `%f:%l:%c: %m`). Columns count characters,
//! from 1. A file that could not be read is one line with the code `unreadable` at 1:1. No
//! summary line: the exit status says whether anything was found.

use std::io::{self, Write};

use super::{FileReport, Options, SourceMap};

pub fn render(files: &[FileReport], _options: &Options, out: &mut dyn Write) -> io::Result<()> {
    for file in files {
        if let Some(error) = &file.error {
            writeln!(
                out,
                "{}:1:1: unreadable cannot read {}: {error}",
                file.path, file.path
            )?;
            continue;
        }
        let map = SourceMap::for_file(file);
        for diagnostic in &file.diagnostics {
            let start = map.locate(diagnostic.span).start;
            // A message is one line in this format, whatever the rule wrote.
            let message = diagnostic.message.replace(['\r', '\n'], " ");
            writeln!(
                out,
                "{}:{}:{}: {} {message}",
                file.path, start.line, start.column, diagnostic.code
            )?;
        }
    }
    Ok(())
}
