//! DL3044 env-self-reference: an ENV value uses a variable set earlier in the same ENV.
//!
//! All pairs of one ENV are expanded against the environment from before the instruction, so
//! in `ENV A=1 B=$A` the `$A` is not `1`. Reported at the reference. Referring to the variable
//! being set when it was not set earlier in the ENV (`ENV PATH=/x:$PATH`), escaped `\$A` and single-quoted text are fine.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword, Span};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3044",
        name: "env-self-reference",
        severity: Severity::Error,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "ENV refers to a variable defined earlier in the same ENV",
        doc: include_str!("../../../../rules/DL3044.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let escape = context.dockerfile.escape;
    for syntax in context.instructions_of(Keyword::Env) {
        let Arguments::KeyValues(pairs) = &syntax.arguments else {
            continue;
        };
        let mut defined: Vec<&str> = Vec::new();
        for pair in pairs {
            // Only a name set earlier in the same ENV is reported (most ENVs set one), and only
            // at a `$`.
            if defined.is_empty() || !pair.value.text.contains('$') {
                defined.push(&pair.key.text);
                continue;
            }
            let source = context.text(pair.value.span);
            let exact = source == pair.value.text;
            for (offset, len, name) in references(&pair.value.text, escape) {
                if defined.contains(&name) {
                    let span = if exact {
                        Span::new(
                            pair.value.span.start + offset,
                            pair.value.span.start + offset + len,
                        )
                    } else {
                        pair.value.span
                    };
                    out.push(context.report(
                        &RULE.meta,
                        span,
                        format!(
                            "`{name}` is set earlier in this ENV, but this reference still sees \
                             its previous value: split the ENV in two"
                        ),
                    ));
                }
            }
            defined.push(&pair.key.text);
        }
    }
}

/// `$NAME` and `${NAME...}` references outside single quotes: (offset, length, name).
fn references(text: &str, escape: char) -> Vec<(usize, usize, &str)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut single = false;
    let mut double = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i] as char;
        if c == escape && !single {
            i += 2;
            continue;
        }
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '$' if !single => {
                let braced = bytes.get(i + 1) == Some(&b'{');
                let start = if braced { i + 2 } else { i + 1 };
                let mut end = start;
                while end < bytes.len()
                    && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_')
                {
                    end += 1;
                }
                if end > start && !bytes[start].is_ascii_digit() {
                    let name = &text[start..end];
                    let stop = if braced {
                        text[end..]
                            .find('}')
                            .map(|close| end + close + 1)
                            .unwrap_or(end)
                    } else {
                        end
                    };
                    found.push((i, stop - i, name));
                    i = stop;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}
