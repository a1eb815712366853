//! `sarif`: SARIF 2.1.0, one run, every rule in `tool.driver.rules`.
//!
//! Columns count Unicode code points (`columnKind: unicodeCodePoints`), and so do `charOffset`
//! and `charLength`. Regions end on the line of their last character, `endColumn` just past it.
//! URIs are relative to `%SRCROOT%` (the directory dlayer ran in) unless the user gave an
//! absolute path; `originalUriBaseIds` is left out so the output does not depend on where it
//! was produced.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{FileReport, Located, Options, SourceMap, fingerprints, path_uri};
use crate::rules::{Diagnostic, Fix, RULES, RuleMeta, Severity};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/dlayer/dlayer";
/// The key of dlayer's fingerprint in `partialFingerprints`.
const FINGERPRINT: &str = "dlayer/v1";

pub fn render(files: &[FileReport], options: &Options, out: &mut dyn Write) -> io::Result<()> {
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for file in files {
        if let Some(error) = &file.error {
            notifications.push(json!({
                "level": "error",
                "message": {"text": format!("{}: {error}", file.path)},
                "locations": [{"physicalLocation": {"artifactLocation": artifact(&file.path)}}],
            }));
            continue;
        }
        let map = SourceMap::for_file(file);
        let fingerprints = fingerprints(file, &map);
        for (diagnostic, fingerprint) in file.diagnostics.iter().zip(fingerprints) {
            results.push(result(diagnostic, &file.path, &map, fingerprint));
        }
    }
    let mut invocation = json!({"executionSuccessful": true});
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notifications);
    }
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dlayer",
                "version": options.tool_version,
                "semanticVersion": options.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": RULES.iter().map(|rule| descriptor(&rule.meta)).collect::<Vec<_>>(),
            }},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

/// A `reportingDescriptor` for one rule.
fn descriptor(meta: &RuleMeta) -> Value {
    let body = doc_body(meta.doc);
    let full = first_paragraph(body);
    let mut tags = vec![serde_json::to_value(meta.family).unwrap_or(Value::Null)];
    if let Some(layer) = meta.layer {
        tags.push(Value::from(layer.as_str()));
    }
    let mut descriptor = json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": sentence(meta.summary)},
        "fullDescription": {"text": if full.is_empty() { sentence(meta.summary) } else { full }},
        "defaultConfiguration": {"level": level(meta.severity)},
        "properties": {"tags": tags},
    });
    if !body.is_empty() {
        descriptor["help"] = json!({"text": body.replace("**", ""), "markdown": body});
    }
    descriptor
}

/// The rule doc without its `# CODE name` title.
fn doc_body(doc: &str) -> &str {
    let doc = doc.trim_start();
    let body = match doc.strip_prefix("# ") {
        Some(rest) => rest.split_once('\n').map_or("", |(_, body)| body),
        None => doc,
    };
    body.trim()
}

/// The first paragraph as plain text on one line, without a leading bold label
/// (`**What it flags.**`) or other bold markers.
fn first_paragraph(body: &str) -> String {
    let paragraph = body
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    let paragraph = match paragraph
        .strip_prefix("**")
        .and_then(|rest| rest.split_once("**"))
    {
        Some((_label, rest)) => rest.trim_start().to_string(),
        None => paragraph,
    };
    paragraph.replace("**", "")
}

/// `an SSH server is installed` → `An SSH server is installed.`
fn sentence(summary: &str) -> String {
    let mut chars = summary.chars();
    let mut text: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !text.is_empty() && !text.ends_with('.') {
        text.push('.');
    }
    text
}

fn artifact(path: &str) -> Value {
    match path_uri(path) {
        (uri, true) => json!({"uri": uri, "uriBaseId": "%SRCROOT%"}),
        (uri, false) => json!({"uri": uri}),
    }
}

fn region(located: &Located) -> Value {
    json!({
        "startLine": located.start.line,
        "startColumn": located.start.column,
        "endLine": located.last_line,
        "endColumn": located.last_line_end_column,
        "charOffset": located.char_offset,
        "charLength": located.char_length,
    })
}

fn result(diagnostic: &Diagnostic, path: &str, map: &SourceMap<'_>, fingerprint: String) -> Value {
    let mut result = json!({"ruleId": diagnostic.code});
    if let Some(index) = RULES
        .iter()
        .position(|rule| rule.meta.code == diagnostic.code)
    {
        result["ruleIndex"] = Value::from(index);
    }
    result["level"] = Value::from(level(diagnostic.severity));
    result["message"] = json!({"text": diagnostic.message});
    result["locations"] = json!([{"physicalLocation": {
        "artifactLocation": artifact(path),
        "region": region(&map.locate(diagnostic.span)),
    }}]);
    result["partialFingerprints"] = json!({FINGERPRINT: fingerprint});
    if let Some(fix) = diagnostic.fix.as_ref().filter(|fix| !fix.edits.is_empty()) {
        result["fixes"] = json!([fix_object(fix, path, map)]);
    }
    let mut properties = json!({"severity": diagnostic.severity.as_str()});
    if let Some(layer) = diagnostic.layer {
        properties["layer"] = Value::from(layer.as_str());
    }
    result["properties"] = properties;
    result
}

fn fix_object(fix: &Fix, path: &str, map: &SourceMap<'_>) -> Value {
    let replacements = fix
        .edits
        .iter()
        .map(|edit| {
            json!({
                "deletedRegion": region(&map.locate(edit.span)),
                "insertedContent": {"text": edit.replacement},
            })
        })
        .collect::<Vec<_>>();
    json!({
        "description": {"text": fix.message},
        "artifactChanges": [{"artifactLocation": artifact(path), "replacements": replacements}],
        "properties": {"applicability": fix.applicability},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_parts() {
        let doc = "# DL1000 syntax-error\n\n**What it flags.** A file\nBuildKit **rejects**.\n\n**Why.** x\n";
        let body = doc_body(doc);
        assert!(body.starts_with("**What it flags.**"));
        assert_eq!(first_paragraph(body), "A file BuildKit rejects.");
        assert_eq!(
            first_paragraph("Plain text\nhere.\n\nMore."),
            "Plain text here."
        );
        assert_eq!(sentence("an SSH server"), "An SSH server.");
    }
}
