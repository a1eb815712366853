//! Fixture helpers shared by the rule suites (`testdata/rules/<CODE>/*.Dockerfile`): listing
//! the fixtures, linting one with a rule's findings kept, a readable listing of findings for
//! snapshots, and applying one fix.

// Each test binary includes this module and uses part of it.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use dlayer::model::{self, Options};
use dlayer::rules::{self, Diagnostic, Settings};
use dlayer::syntax::{self, Dockerfile, LineIndex};

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules")
}

/// The fixture file names of rule `code`, sorted.
pub fn fixtures(code: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(fixtures_dir().join(code))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".Dockerfile"))
        .collect();
    names.sort();
    names
}

pub fn source(code: &str, name: &str) -> String {
    fs::read_to_string(fixtures_dir().join(code).join(name)).unwrap()
}

/// The parsed file and the findings of rule `code` only.
pub fn lint(source: &str, code: &str, settings: &Settings) -> (Dockerfile, Vec<Diagnostic>) {
    let dockerfile = syntax::parse_bytes(source.as_bytes());
    let built = model::build(&dockerfile, &Options::default());
    let found = rules::lint(&dockerfile, &built, settings)
        .into_iter()
        .filter(|diagnostic| diagnostic.code == code)
        .collect();
    (dockerfile, found)
}

/// `line:col CODE severity message`, the span's text and the fix with its edits.
pub fn listing(source: &str, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(source);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let start = index.position(source, diagnostic.span.start);
        out.push_str(&format!(
            "{}:{} {} {} {}\n",
            start.line, start.column, diagnostic.code, diagnostic.severity, diagnostic.message
        ));
        for line in diagnostic.span.text(source).lines() {
            out.push_str(&format!("    | {line}\n"));
        }
        if let Some(fix) = &diagnostic.fix {
            out.push_str(&format!(
                "    fix ({:?}): {}\n",
                fix.applicability, fix.message
            ));
            for edit in &fix.edits {
                let at = index.position(source, edit.span.start);
                out.push_str(&format!(
                    "    edit {}:{} {:?} -> {:?}\n",
                    at.line,
                    at.column,
                    edit.span.text(source),
                    edit.replacement
                ));
            }
        }
    }
    out
}

/// The source with the diagnostic's fix applied alone.
pub fn apply(source: &str, diagnostic: &Diagnostic) -> String {
    let mut edits = diagnostic.fix.as_ref().unwrap().edits.clone();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.span.start));
    let mut fixed = source.to_string();
    for edit in edits {
        fixed.replace_range(edit.span.start..edit.span.end, &edit.replacement);
    }
    fixed
}
