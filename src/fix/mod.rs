//! Applying fixes: non-overlapping edits per pass, re-parse and re-lint, repeat until nothing
//! changes. Fixes settle one at a time: a fix whose result does not parse is dropped alone
//! (the others of its pass still apply), and the rules whose fixes keep changing the file
//! after [`MAX_PASSES`] passes are dropped and the file fixed again without them. Each drop
//! is reported once as an internal warning naming the rule.

pub mod pragmas;

use std::collections::HashSet;
use std::path::Path;

use crate::config::Config;
use crate::lint::{LintOptions, lint_bytes};
use crate::rules::{Applicability, Diagnostic, Edit, SYNTAX_ERROR, Settings};

/// At most this many lint-and-fix passes.
pub const MAX_PASSES: usize = 10;

/// Which fixes may be applied.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FixOptions {
    /// Apply unsafe fixes too (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
}

/// A fix that was applied: the rule and the fix's title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub code: &'static str,
    pub message: String,
    /// 1-based line of the finding in the text the pass saw.
    pub line: usize,
}

#[derive(Debug)]
pub enum Outcome {
    /// The fixed text (equal to the input when nothing applied), what was applied, the
    /// findings left in the fixed text, and the fixes that were dropped (internal warnings).
    Fixed {
        text: String,
        applied: Vec<Applied>,
        remaining: Vec<Diagnostic>,
        warnings: Vec<String>,
    },
    /// The file has syntax errors: it is not fixed.
    SyntaxErrors(Vec<Diagnostic>),
}
fn applicable(diagnostic: &Diagnostic, options: FixOptions) -> bool {
    diagnostic
        .fix
        .as_ref()
        .is_some_and(|fix| match fix.applicability {
            Applicability::Safe => !fix.edits.is_empty(),
            Applicability::Unsafe => options.unsafe_fixes && !fix.edits.is_empty(),
            Applicability::DisplayOnly => false,
        })
}

/// Applies the non-overlapping fixes of one pass, earliest first; returns the new text and the
/// diagnostics whose fixes were applied.
pub fn apply_pass<'d>(
    text: &str,
    diagnostics: &'d [Diagnostic],
    options: FixOptions,
) -> (String, Vec<&'d Diagnostic>) {
    let mut chosen: Vec<&Diagnostic> = Vec::new();
    let mut taken: Vec<Edit> = Vec::new();
    let mut candidates: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| applicable(d, options))
        .collect();
    candidates.sort_by_key(|d| {
        d.fix
            .as_ref()
            .map(|fix| fix.edits.iter().map(|e| e.span.start).min())
    });
    for diagnostic in candidates {
        let edits = &diagnostic
            .fix
            .as_ref()
            .expect("applicable fixes exist")
            .edits;
        let overlaps = edits.iter().any(|edit| {
            taken.iter().any(|other| {
                edit.span.start < other.span.end.max(other.span.start + 1)
                    && other.span.start < edit.span.end.max(edit.span.start + 1)
            })
        });
        let in_bounds = edits.iter().all(|edit| {
            edit.span.end <= text.len()
                && text.is_char_boundary(edit.span.start)
                && text.is_char_boundary(edit.span.end)
        });
        if !overlaps && in_bounds {
            taken.extend(edits.iter().cloned());
            chosen.push(diagnostic);
        }
    }
    taken.sort_by_key(|edit| std::cmp::Reverse((edit.span.start, edit.span.end)));
    let mut out = text.to_string();
    for edit in taken {
        out.replace_range(edit.span.start..edit.span.end, &edit.replacement);
    }
    (out, chosen)
}

/// Findings that mean BuildKit would refuse the file: syntax errors (DL1000) and instructions
/// it parses but cannot build (E001).
fn refusals(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| d.code == SYNTAX_ERROR.code || d.code == "E001")
        .collect()
}

/// The first refusal in `after` that `before` did not have (same code and message).
fn new_refusal<'d>(before: &[Diagnostic], after: &'d [Diagnostic]) -> Option<&'d Diagnostic> {
    let old = refusals(before);
    refusals(after).into_iter().find(|new| {
        !old.iter()
            .any(|o| o.code == new.code && o.message == new.message)
    })
}

/// Lints and fixes `bytes` until no applicable fix remains.
pub fn fix_bytes(
    bytes: &[u8],
    path: &Path,
    lint_options: &LintOptions,
    config: Option<&Config>,
    settings: &Settings,
    options: FixOptions,
) -> Outcome {
    let lint = |text: &[u8]| lint_bytes(text, path, lint_options, config, settings);
    let first = lint(bytes);
    let syntax_errors: Vec<Diagnostic> = first
        .diagnostics
        .iter()
        .filter(|d| d.code == SYNTAX_ERROR.code)
        .cloned()
        .collect();
    if !syntax_errors.is_empty() {
        return Outcome::SyntaxErrors(syntax_errors);
    }
    let mut dropped = Dropped::default();
    loop {
        match settle(
            &first.source,
            first.diagnostics.clone(),
            options,
            &mut dropped,
            &lint,
        ) {
            Settled::Done {
                text,
                applied,
                remaining,
            } => {
                return Outcome::Fixed {
                    text,
                    applied,
                    remaining,
                    warnings: dropped.warnings,
                };
            }
            Settled::Unsettled(codes) => {
                for code in codes {
                    dropped.rules.insert(code);
                    dropped.warnings.push(format!(
                        "{code}: its fixes were dropped: they did not settle after {MAX_PASSES} passes"
                    ));
                }
            }
        }
    }
}

/// The fixes left out: whole rules (fixes that did not settle) and single fixes (results that
/// did not parse), with the warning given for each.
#[derive(Default)]
struct Dropped {
    rules: HashSet<&'static str>,
    fixes: HashSet<FixKey>,
    warnings: Vec<String>,
}

impl Dropped {
    fn allows(&self, diagnostic: &Diagnostic, text: &str) -> bool {
        !self.rules.contains(diagnostic.code) && !self.fixes.contains(&FixKey::of(diagnostic, text))
    }
}

/// Names one fix across passes, whose offsets shift as other fixes apply: its rule, its edits'
/// replacements and the lines its finding is on.
#[derive(Clone, PartialEq, Eq, Hash)]
struct FixKey {
    code: &'static str,
    replacements: Vec<String>,
    lines: String,
}

impl FixKey {
    fn of(diagnostic: &Diagnostic, text: &str) -> FixKey {
        let span = diagnostic.span;
        let start = text[..span.start.min(text.len())]
            .rfind('\n')
            .map_or(0, |at| at + 1);
        let end = text[span.end.min(text.len())..]
            .find('\n')
            .map_or(text.len(), |at| span.end + at);
        FixKey {
            code: diagnostic.code,
            replacements: diagnostic
                .fix
                .iter()
                .flat_map(|fix| fix.edits.iter().map(|edit| edit.replacement.clone()))
                .collect(),
            lines: text.get(start..end).unwrap_or_default().to_string(),
        }
    }
}

enum Settled {
    Done {
        text: String,
        applied: Vec<Applied>,
        remaining: Vec<Diagnostic>,
    },
    /// Still changing after [`MAX_PASSES`] passes: the rules whose fixes the last pass applied.
    Unsettled(Vec<&'static str>),
}

/// Fixes `text` pass by pass, leaving out the `dropped` fixes and dropping those whose result
/// does not parse.
fn settle(
    text: &str,
    mut diagnostics: Vec<Diagnostic>,
    options: FixOptions,
    dropped: &mut Dropped,
    lint: &dyn Fn(&[u8]) -> crate::lint::Linted,
) -> Settled {
    let mut text = text.to_string();
    let mut applied = Vec::new();
    let mut last_codes = Vec::new();
    let mut passes = 0;
    loop {
        let candidates: Vec<Diagnostic> = diagnostics
            .iter()
            .filter(|d| dropped.allows(d, &text))
            .cloned()
            .collect();
        let (next, chosen) = apply_pass(&text, &candidates, options);
        if chosen.is_empty() {
            return Settled::Done {
                text,
                applied,
                remaining: diagnostics,
            };
        }
        if passes == MAX_PASSES {
            let mut codes: Vec<&'static str> = chosen.iter().map(|d| d.code).collect();
            codes.extend(last_codes);
            codes.sort_unstable();
            codes.dedup();
            return Settled::Unsettled(codes);
        }
        let relinted = lint(next.as_bytes());
        if new_refusal(&diagnostics, &relinted.diagnostics).is_some() {
            drop_unparsable(&text, &diagnostics, &chosen, options, dropped, lint);
            continue;
        }
        let index = crate::syntax::LineIndex::new(&text);
        applied.extend(chosen.iter().map(|d| {
            Applied {
                code: d.code,
                message: d
                    .fix
                    .as_ref()
                    .map(|fix| fix.message.clone())
                    .unwrap_or_default(),
                line: index.line(d.span.start),
            }
        }));
        last_codes = chosen.iter().map(|d| d.code).collect();
        passes += 1;
        text = next;
        diagnostics = relinted.diagnostics;
    }
}

/// Adds the fixes of `chosen` one by one, in order, and drops each whose addition makes the
/// result unparsable (a syntax error or an instruction BuildKit refuses that `diagnostics`, the
/// findings of `text`, did not have).
fn drop_unparsable(
    text: &str,
    diagnostics: &[Diagnostic],
    chosen: &[&Diagnostic],
    options: FixOptions,
    dropped: &mut Dropped,
    lint: &dyn Fn(&[u8]) -> crate::lint::Linted,
) {
    let mut kept: Vec<Diagnostic> = Vec::new();
    for diagnostic in chosen {
        kept.push((*diagnostic).clone());
        let (next, _) = apply_pass(text, &kept, options);
        let relinted = lint(next.as_bytes());
        if let Some(error) = new_refusal(diagnostics, &relinted.diagnostics) {
            kept.pop();
            dropped.fixes.insert(FixKey::of(diagnostic, text));
            let said = format!("{}: a fix was dropped", diagnostic.code);
            if !dropped.warnings.iter().any(|w| w.starts_with(&said)) {
                dropped.warnings.push(format!(
                    "{said}: its result does not parse ({})",
                    error.message
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Fix, Severity};
    use crate::syntax::Span;

    fn diagnostic(
        start: usize,
        end: usize,
        replacement: &str,
        applicability: Applicability,
    ) -> Diagnostic {
        Diagnostic {
            code: "HC009",
            name: "os-upgrade-in-build",
            severity: Severity::Warning,
            message: String::new(),
            span: Span::new(start, end),
            layer: None,
            fix: Some(Fix {
                message: "edit".into(),
                applicability,
                edits: vec![Edit {
                    span: Span::new(start, end),
                    replacement: replacement.into(),
                }],
            }),
            twins: Vec::new(),
        }
    }

    #[test]
    fn a_fix_that_breaks_the_file_is_dropped_alone() {
        let source = "FROM debian:12\nRUN echo one\n";
        let path = Path::new("Dockerfile");
        let settings = Settings::default();
        let lint = |text: &[u8]| lint_bytes(text, path, &LintOptions::default(), None, &settings);
        let first = lint(source.as_bytes());
        let mut diagnostics = first.diagnostics.clone();
        // One fix makes a FROM BuildKit refuses, the other is harmless.
        let mut breaking = diagnostic(0, 0, "FROM a b c d\n", Applicability::Safe);
        breaking.code = "DL9998";
        let mut harmless = diagnostic(24, 27, "two", Applicability::Safe);
        harmless.code = "DL9999";
        diagnostics.extend([breaking, harmless]);
        let mut dropped = Dropped::default();
        let Settled::Done { text, applied, .. } = settle(
            &first.source,
            diagnostics,
            FixOptions::default(),
            &mut dropped,
            &lint,
        ) else {
            panic!("did not settle");
        };
        assert_eq!(text, "FROM debian:12\nRUN echo two\n");
        assert_eq!(applied.len(), 1);
        assert_eq!(dropped.warnings.len(), 1, "{:?}", dropped.warnings);
        assert!(dropped.warnings[0].starts_with("DL9998: a fix was dropped"));
    }

    #[test]
    fn applies_non_overlapping_fixes_by_applicability() {
        let text = "abcdef";
        let diagnostics = vec![
            diagnostic(0, 2, "X", Applicability::Safe),
            diagnostic(1, 3, "Y", Applicability::Safe),
            diagnostic(4, 6, "Z", Applicability::Unsafe),
            diagnostic(3, 4, "W", Applicability::DisplayOnly),
        ];
        let (safe, chosen) = apply_pass(text, &diagnostics, FixOptions::default());
        assert_eq!((safe.as_str(), chosen.len()), ("Xcdef", 1));
        let (all, chosen) = apply_pass(text, &diagnostics, FixOptions { unsafe_fixes: true });
        assert_eq!((all.as_str(), chosen.len()), ("XcdZ", 2));
    }
}
