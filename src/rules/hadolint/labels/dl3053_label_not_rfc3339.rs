//! DL3053 label-not-rfc3339: a label the schema types `rfc3339` holds no RFC 3339 timestamp.
//!
//! Reported at the value. Expected: `YYYY-MM-DDTHH:MM:SS`, optional fraction, then `Z` or
//! `±HH:MM` (`T` and `Z` in either case). Variables and empty values are not
//! checked.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::check_label_type;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3053",
        name: "label-not-rfc3339",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "label of schema type rfc3339 is not an RFC 3339 timestamp",
        doc: include_str!("../../../../rules/DL3053.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    check_label_type(context, out, &RULE.meta, "rfc3339", valid);
}

fn number(text: &str, range: std::ops::Range<usize>, min: u32, max: u32) -> bool {
    text.get(range)
        .filter(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|digits| digits.parse::<u32>().ok())
        .is_some_and(|n| (min..=max).contains(&n))
}

fn valid(value: &str) -> bool {
    let b = value.as_bytes();
    if b.len() < 20 || !b.is_ascii() {
        return false;
    }
    let shape = b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b't')
        && b[13] == b':'
        && b[16] == b':';
    if !(shape
        && number(value, 0..4, 0, 9999)
        && number(value, 5..7, 1, 12)
        && number(value, 8..10, 1, 31)
        && number(value, 11..13, 0, 23)
        && number(value, 14..16, 0, 59)
        && number(value, 17..19, 0, 60))
    {
        return false;
    }
    let mut rest = &value[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &fraction[digits..];
    }
    match rest {
        "Z" | "z" => true,
        _ => {
            let o = rest.as_bytes();
            o.len() == 6
                && matches!(o[0], b'+' | b'-')
                && o[3] == b':'
                && number(rest, 1..3, 0, 23)
                && number(rest, 4..6, 0, 59)
        }
    }
}
