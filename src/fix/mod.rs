//! Applying fixes: non-overlapping edits per pass, re-parse and re-lint, repeat until nothing
//! changes. A pass that breaks the parse, or passes that never settle, are an internal error and
//! the text is left as it was.

pub mod pragmas;

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
    /// The fixed text (equal to the input when nothing applied) and what was applied.
    Fixed { text: String, applied: Vec<Applied> },
    /// The file has syntax errors: it is not fixed.
    SyntaxErrors(Vec<Diagnostic>),
    /// A fix broke the file or the passes did not settle: nothing is written.
    Internal(String),
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

/// Lints and fixes `bytes` until no applicable fix remains.
pub fn fix_bytes(
    bytes: &[u8],
    path: &Path,
    lint_options: &LintOptions,
    config: Option<&Config>,
    settings: &Settings,
    options: FixOptions,
) -> Outcome {
    let first = lint_bytes(bytes, path, lint_options, config, settings);
    let syntax_errors: Vec<Diagnostic> = first
        .diagnostics
        .iter()
        .filter(|d| d.code == SYNTAX_ERROR.code)
        .cloned()
        .collect();
    if !syntax_errors.is_empty() {
        return Outcome::SyntaxErrors(syntax_errors);
    }
    let mut text = first.source;
    let mut diagnostics = first.diagnostics;
    let mut applied = Vec::new();
    for _ in 0..MAX_PASSES {
        let (next, chosen) = apply_pass(&text, &diagnostics, options);
        if chosen.is_empty() {
            return Outcome::Fixed { text, applied };
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
        let relinted = lint_bytes(next.as_bytes(), path, lint_options, config, settings);
        if let Some(broken) = relinted
            .diagnostics
            .iter()
            .find(|d| d.code == SYNTAX_ERROR.code)
        {
            let codes: Vec<&str> = chosen.iter().map(|d| d.code).collect();
            return Outcome::Internal(format!(
                "applying the fixes of {} produced a file that does not parse ({}); nothing was changed",
                codes.join(", "),
                broken.message
            ));
        }
        text = next;
        diagnostics = relinted.diagnostics;
    }
    Outcome::Internal(format!(
        "the fixes did not settle after {MAX_PASSES} passes; nothing was changed"
    ))
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
