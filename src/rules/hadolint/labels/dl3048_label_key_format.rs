//! DL3048 label-key-format: a LABEL key that breaks Docker's key conventions.
//!
//! A key must start with a lowercase letter, end with a lowercase letter or digit, use only
//! `a-z`, `0-9`, `.`, `-`, `_` and `/`, have no `..` or `--`, and stay out of the namespaces
//! Docker reserves (`com.docker.`, `io.docker.`, `org.dockerproject.`). Reported at the key.
//! The fix (unsafe: whatever reads the label by its old key stops finding it) rewrites the key
//! into the nearest valid one; keys in a reserved namespace get no fix.

use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::syntax::Keyword;

use super::labels;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3048",
        name: "label-key-format",
        severity: Severity::Style,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "LABEL key does not follow Docker's key format",
        doc: include_str!("../../../../rules/DL3048.md"),
    },
    check,
};

const RESERVED: [&str; 3] = ["com.docker.", "io.docker.", "org.dockerproject."];

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for syntax in context.instructions_of(Keyword::Label) {
        for (key, _, token, _) in labels(syntax) {
            if key.contains('$') {
                continue;
            }
            let Some(problem) = problem(&key) else {
                continue;
            };
            let mut diagnostic = context.report(
                &RULE.meta,
                token.span,
                format!("label key `{key}` {problem}"),
            );
            let reserved = RESERVED.iter().any(|prefix| key.starts_with(prefix));
            let fixed = normalise(&key);
            if !reserved && !fixed.is_empty() && problem_free(&fixed) {
                diagnostic.fix = Some(Fix {
                    message: format!("Rename the label to `{fixed}`"),
                    applicability: Applicability::Unsafe,
                    edits: vec![Edit {
                        span: token.span,
                        replacement: fixed,
                    }],
                });
            }
            out.push(diagnostic);
        }
    }
}

fn allowed(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_' | '/')
}

fn problem_free(key: &str) -> bool {
    problem(key).is_none()
}

/// What is wrong with the key, as the end of a sentence.
fn problem(key: &str) -> Option<&'static str> {
    if RESERVED.iter().any(|prefix| key.starts_with(prefix)) {
        return Some("uses a namespace reserved by Docker");
    }
    let first = key.chars().next()?;
    if !first.is_ascii_lowercase() {
        return Some("should start with a lowercase letter");
    }
    if !key.chars().all(allowed) {
        return Some("should only use lowercase letters, digits, `.`, `-`, `_` and `/`");
    }
    if key.contains("..") || key.contains("--") {
        return Some("should not repeat `.` or `-`");
    }
    let last = key.chars().last()?;
    if !(last.is_ascii_lowercase() || last.is_ascii_digit()) {
        return Some("should end with a lowercase letter or a digit");
    }
    None
}

/// Lowercase, other characters to `-`, runs of `.`/`-` collapsed, edges trimmed.
fn normalise(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        let c = c.to_ascii_lowercase();
        let c = if allowed(c) { c } else { '-' };
        if matches!(c, '.' | '-') && out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    let out = out.trim_start_matches(|c: char| !c.is_ascii_lowercase());
    out.trim_end_matches(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .to_string()
}
