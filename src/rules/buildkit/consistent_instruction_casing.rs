//! BK004 ConsistentInstructionCasing: an instruction keyword not in the case most keywords of
//! the file use.
//!
//! BuildKit counts the keywords written all upper-case and all lower-case (ONBUILD triggers
//! not counted); lower case is the majority only when it has strictly more. Every keyword not
//! in the majority's case is flagged, mixed-case ones (`From`) included. The fix (safe)
//! rewrites the keyword in the majority's case: keywords are case-insensitive.

use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK004",
        name: "ConsistentInstructionCasing",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "all instructions should use the same casing (upper or lower)",
        doc: include_str!("../../../rules/BK004.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let (mut upper, mut lower, mut total) = (0, 0, 0);
    for instruction in context.dockerfile.instructions() {
        let keyword = &instruction.keyword.text;
        total += 1;
        if is_in_case(keyword, Case::Upper) {
            upper += 1;
        } else if is_in_case(keyword, Case::Lower) {
            lower += 1;
        }
    }
    let majority_lower = lower > upper;
    // Every keyword in the majority's case (most files): nothing to report.
    if total == if majority_lower { lower } else { upper } {
        return;
    }
    let (case_name, case, convert): (&str, Case, fn(&str) -> String) = if majority_lower {
        ("lowercase", Case::Lower, str::to_lowercase)
    } else {
        ("uppercase", Case::Upper, str::to_uppercase)
    };
    for instruction in context.dockerfile.instructions() {
        let keyword = &instruction.keyword;
        if is_in_case(&keyword.text, case) {
            continue;
        }
        let wanted = convert(&keyword.text);
        if keyword.text == wanted {
            continue;
        }
        let mut diagnostic = context.report(
            &RULE.meta,
            keyword.span,
            format!(
                "Command '{}' should match the case of the command majority ({case_name})",
                keyword.text
            ),
        );
        if context.text(keyword.span) == keyword.text {
            diagnostic.fix = Some(Fix {
                message: format!("Write `{wanted}`"),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    span: keyword.span,
                    replacement: wanted,
                }],
            });
        }
        out.push(diagnostic);
    }
}

#[derive(Clone, Copy)]
enum Case {
    Upper,
    Lower,
}

/// Whether `text` converted to `case` is `text` itself: read in place for ASCII (every
/// keyword the parser knows), converted for the rest.
fn is_in_case(text: &str, case: Case) -> bool {
    match (text.is_ascii(), case) {
        (true, Case::Upper) => !text.bytes().any(|byte| byte.is_ascii_lowercase()),
        (true, Case::Lower) => !text.bytes().any(|byte| byte.is_ascii_uppercase()),
        (false, Case::Upper) => text == text.to_uppercase(),
        (false, Case::Lower) => text == text.to_lowercase(),
    }
}
