//! `concise`: one line per finding, `path:line:column: CODE message`, for grep and for editors
//! without a language server (Vim's `errorformat` `%f:%l:%c: %m`). Columns count characters,
//! from 1. A file that could not be read is one line with the code `unreadable` at 1:1. No
//! summary line: the exit status says whether anything was found. Control characters in paths
//! and messages are escaped, and a message is always one line.

use std::io::{self, Write};

use super::{FileReport, FileStream, Options, SourceMap, escape_controls};

pub struct Concise;

impl FileStream for Concise {
    fn file(
        &mut self,
        _: usize,
        file: &FileReport,
        _: &Options,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let path = one_line(&file.path);
        if let Some(error) = &file.error {
            let error = one_line(error);
            return writeln!(out, "{path}:1:1: unreadable cannot read {path}: {error}");
        }
        let map = SourceMap::for_file(file);
        for diagnostic in &file.diagnostics {
            let start = map.endpoints(diagnostic.span).1;
            writeln!(
                out,
                "{path}:{}:{}: {} {}",
                start.line,
                start.column,
                diagnostic.code,
                one_line(&diagnostic.message)
            )?;
        }
        Ok(())
    }
}

fn one_line(text: &str) -> String {
    escape_controls(&text.replace(['\r', '\n'], " ")).into_owned()
}
