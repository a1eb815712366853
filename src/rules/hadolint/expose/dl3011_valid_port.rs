//! DL3011 valid-port: EXPOSE of a port outside 0–65535.
//!
//! Checks every port and both ends of a range (`8000-8010/tcp`); words with variables are
//! skipped. The finding spans the port word.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3011",
        name: "valid-port",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "EXPOSE port outside 0-65535",
        doc: include_str!("../../../../rules/DL3011.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for instruction in context.instructions_of(Keyword::Expose) {
        let Arguments::Words(words) = &instruction.arguments else {
            continue;
        };
        for word in words {
            let text = word.text.trim_matches('"');
            if text.contains('$') {
                continue;
            }
            let ports = text.split('/').next().unwrap_or(text);
            let invalid = ports.split('-').any(|port| {
                port.chars().all(|c| c.is_ascii_digit())
                    && !port.is_empty()
                    && port.parse::<u32>().ok().is_none_or(|number| number > 65535)
            });
            if invalid {
                out.push(context.report(
                    &RULE.meta,
                    word.span,
                    format!("`{text}`: a port must be between 0 and 65535"),
                ));
            }
        }
    }
}
