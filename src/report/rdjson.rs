//! `rdjson`: reviewdog's Diagnostic Format (a `DiagnosticResult` JSON object), for
//! `reviewdog -f=rdjson`. Positions are 1-based lines and 1-based columns counted in UTF-8 bytes,
//! ends exclusive, as the format defines them. Fixes that `dlayer fix` could apply (safe or
//! unsafe) become `suggestions`, which reviewdog turns into suggested changes on a review.
//! A file that could not be read is an `ERROR` diagnostic without a range, code `unreadable`.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{FileReport, Options, SourceMap, display_path};
use crate::rules::{Applicability, Diagnostic, Severity};
use crate::syntax::Span;

const SOURCE_URL: &str = "https://github.com/dlayer/dlayer";

pub fn render(files: &[FileReport], _options: &Options, out: &mut dyn Write) -> io::Result<()> {
    let mut diagnostics = Vec::new();
    for file in files {
        let path = display_path(&file.path);
        if let Some(error) = &file.error {
            diagnostics.push(json!({
                "message": format!("cannot read {}: {error}", file.path),
                "location": {"path": path},
                "severity": "ERROR",
                "code": {"value": "unreadable"},
            }));
            continue;
        }
        let map = SourceMap::for_file(file);
        for diagnostic in &file.diagnostics {
            diagnostics.push(rdjson_diagnostic(diagnostic, &path, &file.source, &map));
        }
    }
    let result = json!({
        "source": {"name": "dlayer", "url": SOURCE_URL},
        "diagnostics": diagnostics,
    });
    serde_json::to_writer_pretty(&mut *out, &result)?;
    writeln!(out)
}

fn rdjson_diagnostic(
    diagnostic: &Diagnostic,
    path: &str,
    source: &str,
    map: &SourceMap<'_>,
) -> Value {
    let severity = match diagnostic.severity {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info | Severity::Style => "INFO",
    };
    let mut value = json!({
        "message": diagnostic.message,
        "location": {"path": path, "range": range(diagnostic.span, source, map)},
        "severity": severity,
        "code": {"value": diagnostic.code, "url": format!("{SOURCE_URL}/blob/main/rules/{}.md", diagnostic.code)},
    });
    let suggestions: Vec<Value> = diagnostic
        .fix
        .iter()
        .filter(|fix| fix.applicability != Applicability::DisplayOnly)
        .flat_map(|fix| &fix.edits)
        .map(|edit| json!({"range": range(edit.span, source, map), "text": edit.replacement}))
        .collect();
    if !suggestions.is_empty() {
        value["suggestions"] = Value::Array(suggestions);
    }
    value
}

/// A span as an rdjson range: 1-based lines, 1-based byte columns, end exclusive.
fn range(span: Span, source: &str, map: &SourceMap<'_>) -> Value {
    let located = map.locate(span);
    let position =
        |line: usize, offset: usize| json!({"line": line, "column": byte_column(source, offset)});
    json!({
        "start": position(located.start.line, located.span.start),
        "end": position(located.end.line, located.span.end),
    })
}

/// The 1-based column of `offset` on its line, counted in UTF-8 bytes.
fn byte_column(source: &str, offset: usize) -> usize {
    let line_start = source[..offset]
        .rfind('\n')
        .map_or(0, |newline| newline + 1);
    offset - line_start + 1
}
