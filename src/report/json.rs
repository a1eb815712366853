//! `json`: dlayer's versioned report, the contract editors and scripts rely on.
//!
//! ```json
//! {"version": 1,
//!  "files": [{"path": "Dockerfile", "diagnostics": [{"code": "HC002", "name": "ssh-server",
//!    "severity": "error", "message": "…", "layer": "dev",
//!    "start": {"line": 4, "column": 27, "offset": 88},
//!    "end": {"line": 4, "column": 41, "offset": 102}, "fix": null}]}],
//!  "summary": {"files": 1, "diagnostics": 1, "unreadable": 0,
//!    "by_severity": {"error": 1, "warning": 0, "info": 0, "style": 0}}}
//! ```

use std::io::{self, Write};

use serde::Serialize;

use super::{Counts, FileReport, Options, SourceMap};
use crate::rules::{Applicability, Diagnostic};
use crate::syntax::Span;

/// Bumped on any incompatible change; additions keep the version.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    files: Vec<File<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    diagnostics: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    layer: Option<&'a str>,
    start: Point,
    end: Point,
    fix: Option<FixEntry<'a>>,
}

/// 1-based line, 1-based column in characters, 0-based byte offset.
#[derive(Serialize)]
struct Point {
    line: usize,
    column: usize,
    offset: usize,
}

#[derive(Serialize)]
struct FixEntry<'a> {
    message: &'a str,
    applicability: Applicability,
    edits: Vec<EditEntry<'a>>,
}

#[derive(Serialize)]
struct EditEntry<'a> {
    start: Point,
    end: Point,
    replacement: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    diagnostics: usize,
    unreadable: usize,
    by_severity: BySeverity,
}

#[derive(Serialize)]
struct BySeverity {
    error: usize,
    warning: usize,
    info: usize,
    style: usize,
}

pub fn render(files: &[FileReport], _options: &Options, out: &mut dyn Write) -> io::Result<()> {
    let counts = Counts::of(files);
    let report = Report {
        version: VERSION,
        files: files.iter().map(file).collect(),
        summary: Summary {
            files: files.len(),
            diagnostics: counts.total(),
            unreadable: files.iter().filter(|file| file.error.is_some()).count(),
            by_severity: BySeverity {
                error: counts.error,
                warning: counts.warning,
                info: counts.info,
                style: counts.style,
            },
        },
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

fn file(file: &FileReport) -> File<'_> {
    let map = SourceMap::new(&file.source);
    File {
        path: &file.path,
        error: file.error.as_deref(),
        diagnostics: file
            .diagnostics
            .iter()
            .map(|diagnostic| entry(diagnostic, &map))
            .collect(),
    }
}

fn entry<'a>(diagnostic: &'a Diagnostic, map: &SourceMap<'_>) -> Entry<'a> {
    let (start, end) = points(diagnostic.span, map);
    Entry {
        code: diagnostic.code,
        name: diagnostic.name,
        severity: diagnostic.severity.as_str(),
        message: &diagnostic.message,
        layer: diagnostic.layer.map(|layer| layer.as_str()),
        start,
        end,
        fix: diagnostic.fix.as_ref().map(|fix| FixEntry {
            message: &fix.message,
            applicability: fix.applicability,
            edits: fix
                .edits
                .iter()
                .map(|edit| {
                    let (start, end) = points(edit.span, map);
                    EditEntry {
                        start,
                        end,
                        replacement: &edit.replacement,
                    }
                })
                .collect(),
        }),
    }
}

fn points(span: Span, map: &SourceMap<'_>) -> (Point, Point) {
    let located = map.locate(span);
    (
        Point {
            line: located.start.line,
            column: located.start.column,
            offset: located.span.start,
        },
        Point {
            line: located.end.line,
            column: located.end.column,
            offset: located.span.end,
        },
    )
}
