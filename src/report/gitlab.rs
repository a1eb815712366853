//! `gitlab`: a GitLab code quality report (a JSON array of Code Climate issues).
//!
//! Severities: error → `major`, warning → `minor`, info and style → `info`. A file that could
//! not be read becomes a `critical` issue on its line 1 with `check_name` `unreadable`.
//! Fingerprints are the SARIF ones: stable when a finding moves to another line.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{FileReport, Options, SourceMap, display_path, fingerprints};
use crate::rules::Severity;

pub fn render(files: &[FileReport], _options: &Options, out: &mut dyn Write) -> io::Result<()> {
    let mut issues = Vec::new();
    for file in files {
        let path = display_path(&file.path);
        if let Some(error) = &file.error {
            let description = format!("{}: {error}", file.path);
            issues.push(json!({
                "description": description,
                "check_name": "unreadable",
                "fingerprint": super::hex_sha256(&["unreadable", &path]),
                "severity": "critical",
                "location": {"path": path, "lines": {"begin": 1, "end": 1}},
            }));
            continue;
        }
        let map = SourceMap::for_file(file);
        let fingerprints = fingerprints(file, &map);
        for (diagnostic, fingerprint) in file.diagnostics.iter().zip(fingerprints) {
            let located = map.locate(diagnostic.span);
            let severity = match diagnostic.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info | Severity::Style => "info",
            };
            issues.push(json!({
                "description": format!("{} {}", diagnostic.code, diagnostic.message),
                "check_name": diagnostic.code,
                "fingerprint": fingerprint,
                "severity": severity,
                "location": {
                    "path": path,
                    "lines": {"begin": located.start.line, "end": located.last_line},
                },
            }));
        }
    }
    serde_json::to_writer_pretty(&mut *out, &Value::Array(issues))?;
    writeln!(out)
}
