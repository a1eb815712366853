//! `sonarqube`: SonarQube's generic issue import format (the one of SonarQube 10.3 and later:
//! `rules` and `issues`), for `sonar.externalIssuesReportPaths`. Only the rules that produced an
//! issue are listed. Lines are 1-based and columns 0-based, in characters; an empty span gives
//! only its line. Security rules are security issues, syntax and BuildKit errors reliability
//! issues, the rest maintainability issues; error → HIGH, warning → MEDIUM, info and style → LOW.
//! A file that could not be read is an issue of the rule `unreadable` on its line 1.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{FileReport, Located, Options, SourceMap, display_path};
use crate::rules::{Diagnostic, Family, Severity, find_rule};

const ENGINE: &str = "dlayer";

pub fn render(files: &[FileReport], _options: &Options, out: &mut dyn Write) -> io::Result<()> {
    let mut rules: Vec<Value> = Vec::new();
    let mut issues = Vec::new();
    for file in files {
        let path = display_path(&file.path);
        if let Some(error) = &file.error {
            add_rule(&mut rules, unreadable_rule());
            issues.push(json!({
                "ruleId": "unreadable",
                "primaryLocation": {
                    "message": format!("cannot read {}: {error}", file.path),
                    "filePath": path,
                    "textRange": {"startLine": 1},
                },
            }));
            continue;
        }
        let map = SourceMap::for_file(file);
        for diagnostic in &file.diagnostics {
            add_rule(&mut rules, rule(diagnostic));
            issues.push(json!({
                "ruleId": diagnostic.code,
                "primaryLocation": {
                    "message": diagnostic.message,
                    "filePath": path,
                    "textRange": text_range(&map.locate(diagnostic.span)),
                },
            }));
        }
    }
    serde_json::to_writer_pretty(&mut *out, &json!({"rules": rules, "issues": issues}))?;
    writeln!(out)
}

fn add_rule(rules: &mut Vec<Value>, rule: Value) {
    if !rules.iter().any(|known| known["id"] == rule["id"]) {
        rules.push(rule);
    }
}

/// The rule of a finding, with the quality and severity of its impact. The severity is the
/// finding's (after overrides): a rule's findings share one severity in a run.
fn rule(diagnostic: &Diagnostic) -> Value {
    let meta = find_rule(diagnostic.code).map(|rule| rule.meta);
    let family = meta.map_or(Family::ShellCheck, |meta| meta.family);
    let (quality, attribute) = match family {
        Family::Security => ("SECURITY", "TRUSTWORTHY"),
        Family::Syntax | Family::Buildkit if diagnostic.severity == Severity::Error => {
            ("RELIABILITY", "LOGICAL")
        }
        Family::Heavy => ("MAINTAINABILITY", "FOCUSED"),
        _ => ("MAINTAINABILITY", "CONVENTIONAL"),
    };
    let impact = match diagnostic.severity {
        Severity::Error => "HIGH",
        Severity::Warning => "MEDIUM",
        Severity::Info | Severity::Style => "LOW",
    };
    json!({
        "id": diagnostic.code,
        "name": diagnostic.name,
        "description": meta.map_or(diagnostic.name, |meta| meta.summary),
        "engineId": ENGINE,
        "cleanCodeAttribute": attribute,
        "impacts": [{"softwareQuality": quality, "severity": impact}],
    })
}

fn unreadable_rule() -> Value {
    json!({
        "id": "unreadable",
        "name": "unreadable",
        "description": "The file could not be read.",
        "engineId": ENGINE,
        "cleanCodeAttribute": "COMPLETE",
        "impacts": [{"softwareQuality": "RELIABILITY", "severity": "HIGH"}],
    })
}

fn text_range(located: &Located) -> Value {
    if located.span.is_empty() {
        return json!({"startLine": located.start.line});
    }
    json!({
        "startLine": located.start.line,
        "startColumn": located.start.column - 1,
        "endLine": located.last_line,
        "endColumn": located.last_line_end_column - 1,
    })
}
