//! Baselines: the findings a project accepted when it adopted dlayer, so that only new ones are
//! reported (`dlayer lint --write-baseline FILE`, then `--baseline FILE`).
//!
//! A finding is known by its file, its rule and a fingerprint of the instruction it is in: the
//! instruction's logical text (continuations joined, comment lines left out) with whitespace
//! collapsed. Line numbers are not part of it, so adding or removing lines elsewhere keeps the
//! baseline valid; changing the instruction makes its findings new. The baseline is a multiset:
//! two identical instructions with the same finding need two entries, so copying a known-bad
//! instruction still reports the copy.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{FileReport, SourceMap, display_path, hex_sha256};
use crate::rules::Diagnostic;
use crate::syntax::{Dockerfile, parse};

/// The version written into (and required of) baseline files.
pub const VERSION: u32 = 1;

/// A baseline file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// Format version: [`VERSION`].
    pub dlayer_baseline: u32,
    pub findings: Vec<Entry>,
}

/// One accepted finding. `line` and `message` are for people reading the file; matching uses
/// the path, the code and the fingerprint only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub code: String,
    pub fingerprint: String,
    #[serde(default)]
    pub line: usize,
    #[serde(default)]
    pub message: String,
}

type Key = (String, String, String);

impl Baseline {
    /// The baseline of every finding in `files`.
    pub fn of(files: &[FileReport]) -> Baseline {
        Baseline {
            dlayer_baseline: VERSION,
            findings: files.iter().flat_map(entries).collect(),
        }
    }

    /// Reads a baseline file's text.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let baseline: Baseline = serde_json::from_str(text).map_err(|error| error.to_string())?;
        if baseline.dlayer_baseline != VERSION {
            return Err(format!(
                "baseline version {} is not supported (this dlayer writes version {VERSION})",
                baseline.dlayer_baseline
            ));
        }
        Ok(baseline)
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline serializes");
        text.push('\n');
        text
    }

    /// What matches findings against the baseline, file by file.
    pub fn matcher(&self) -> Matcher {
        let mut remaining: HashMap<Key, usize> = HashMap::new();
        for entry in &self.findings {
            let key = (
                entry.path.clone(),
                entry.code.clone(),
                entry.fingerprint.clone(),
            );
            *remaining.entry(key).or_default() += 1;
        }
        Matcher { remaining }
    }
}

/// The baseline's findings not yet matched.
pub struct Matcher {
    remaining: HashMap<Key, usize>,
}

impl Matcher {
    /// Removes the findings the baseline accepts from `file`; returns how many were removed.
    pub fn filter(&mut self, file: &mut FileReport) -> usize {
        if file.error.is_some() {
            return 0;
        }
        let path = display_path(&file.path);
        let keep: Vec<bool> = file
            .diagnostics
            .iter()
            .zip(fingerprints(file))
            .map(|(diagnostic, fingerprint)| {
                let key = (path.clone(), diagnostic.code.to_string(), fingerprint);
                match self.remaining.get_mut(&key) {
                    Some(count) if *count > 0 => {
                        *count -= 1;
                        false
                    }
                    _ => true,
                }
            })
            .collect();
        let before = file.diagnostics.len();
        let mut keep = keep.into_iter();
        file.diagnostics.retain(|_| keep.next().unwrap_or(true));
        before - file.diagnostics.len()
    }
}

/// The baseline entries of one file's findings (none for a file that could not be read).
pub fn entries(file: &FileReport) -> Vec<Entry> {
    if file.error.is_some() {
        return Vec::new();
    }
    let path = display_path(&file.path);
    let map = SourceMap::for_file(file);
    file.diagnostics
        .iter()
        .zip(fingerprints(file))
        .map(|(diagnostic, fingerprint)| Entry {
            path: path.clone(),
            code: diagnostic.code.to_string(),
            fingerprint,
            line: map.locate(diagnostic.span).start.line,
            message: diagnostic.message.clone(),
        })
        .collect()
}

/// The fingerprint of each diagnostic of `file`: SHA-256 of the rule code and the normalized
/// text of the instruction holding the finding (of its line, outside any instruction).
pub fn fingerprints(file: &FileReport) -> Vec<String> {
    let dockerfile = parse(&file.source);
    let map = SourceMap::for_file(file);
    file.diagnostics
        .iter()
        .map(|diagnostic| {
            let text = match instruction_text(&dockerfile, diagnostic) {
                Some(text) => text,
                None => map
                    .line_text(map.locate(diagnostic.span).start.line)
                    .to_string(),
            };
            hex_sha256(&[diagnostic.code, &collapse_whitespace(&text)])
        })
        .collect()
}

/// The logical text of the instruction whose lines hold the start of the finding.
fn instruction_text(dockerfile: &Dockerfile, diagnostic: &Diagnostic) -> Option<String> {
    let at = diagnostic.span.start;
    dockerfile
        .instructions()
        .find(|instruction| instruction.span.start <= at && at < instruction.span.end)
        .map(|instruction| {
            // Heredoc bodies are part of what the instruction does.
            let mut text = instruction.original.clone();
            for heredoc in &instruction.heredocs {
                text.push('\n');
                text.push_str(&heredoc.content);
            }
            text
        })
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Diagnostic, Severity};
    use crate::syntax::Span;

    fn finding(source: &str, code: &'static str, needle: &str) -> Diagnostic {
        let start = source.find(needle).unwrap();
        Diagnostic {
            code,
            name: "test",
            severity: Severity::Warning,
            message: format!("{code} here"),
            span: Span::new(start, start + needle.len()),
            layer: None,
            fix: None,
            twins: Vec::new(),
        }
    }

    fn file(source: &str, findings: &[(&'static str, &str)]) -> FileReport {
        FileReport {
            path: "./app/Dockerfile".into(),
            source: source.into(),
            diagnostics: findings
                .iter()
                .map(|(code, needle)| finding(source, code, needle))
                .collect(),
            error: None,
            lines: None,
        }
    }

    const BEFORE: &str = "FROM debian:12\nRUN apt-get install -y \\\n    vim\n";

    #[test]
    fn line_moves_and_reformatting_keep_findings_known() {
        let baseline = Baseline::of(&[file(BEFORE, &[("DL3008", "vim")])]);
        assert_eq!(baseline.findings[0].path, "app/Dockerfile");
        assert_eq!(baseline.findings[0].line, 3);
        let moved = "# a comment\nFROM debian:12\n\nRUN apt-get install -y   vim\n";
        let mut files = [file(moved, &[("DL3008", "vim")])];
        assert_eq!(baseline.matcher().filter(&mut files[0]), 1);
        assert!(files[0].diagnostics.is_empty());
    }

    #[test]
    fn changed_instructions_copies_and_other_rules_are_new() {
        let baseline = Baseline::of(&[file(BEFORE, &[("DL3008", "vim")])]);
        let changed = "FROM debian:12\nRUN apt-get install -y vim curl\n";
        let mut files = [file(changed, &[("DL3008", "vim"), ("DL3015", "apt-get")])];
        assert_eq!(baseline.matcher().filter(&mut files[0]), 0);
        assert_eq!(files[0].diagnostics.len(), 2);
        let copied = "FROM debian:12\nRUN apt-get install -y vim\nRUN apt-get install -y vim\n";
        let mut files = [FileReport {
            diagnostics: vec![
                finding(copied, "DL3008", "vim"),
                Diagnostic {
                    span: Span::new(copied.rfind("vim").unwrap(), copied.len() - 1),
                    ..finding(copied, "DL3008", "vim")
                },
            ],
            ..file(copied, &[])
        }];
        assert_eq!(baseline.matcher().filter(&mut files[0]), 1);
        assert_eq!(files[0].diagnostics.len(), 1);
    }

    #[test]
    fn round_trips_and_rejects_other_versions() {
        let baseline = Baseline::of(&[file(BEFORE, &[("DL3008", "vim")])]);
        assert_eq!(Baseline::parse(&baseline.to_json()).unwrap(), baseline);
        let future = baseline
            .to_json()
            .replace("\"dlayer_baseline\": 1", "\"dlayer_baseline\": 9");
        assert!(Baseline::parse(&future).unwrap_err().contains("version 9"));
        assert!(Baseline::parse("[]").is_err());
    }
}
