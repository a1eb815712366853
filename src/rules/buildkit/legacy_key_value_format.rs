//! BK013 LegacyKeyValueFormat: `ENV key value` or `LABEL key value` instead of `key=value`.
//!
//! In the legacy form the value is the whole rest of the line, which is easy to misread
//! (`ENV A B=C` sets A to `B=C`). Never ARG: `ARG a b` declares two arguments.
//!
//! The fix (safe) writes `key=value`, escaping each blank that is outside quotes so the value
//! stays one word. It is offered only when the new text gives exactly the same key and value
//! when BuildKit expands it (checked by re-parsing it), on one line.

use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::syntax::expand::Lexer;
use crate::syntax::{Arguments, Instruction, KeyValue, Keyword};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK013",
        name: "LegacyKeyValueFormat",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "legacy key/value format with whitespace separator should not be used",
        doc: include_str!("../../../rules/BK013.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for instruction in context.instructions_of_any([Keyword::Env, Keyword::Label]) {
        let Arguments::KeyValues(pairs) = &instruction.arguments else {
            continue;
        };
        for pair in pairs.iter().filter(|pair| pair.legacy) {
            let keyword = &instruction.keyword.text;
            let mut diagnostic = context.report(
                &RULE.meta,
                pair.key.span.cover(pair.value.span),
                crate::rules::message(&[
                    "\"",
                    keyword,
                    " key=value\" should be used instead of legacy \"",
                    keyword,
                    " key value\" format",
                ]),
            );
            diagnostic.fix = equals_fix(context, instruction, pair);
            out.push(diagnostic);
        }
    }
}

fn equals_fix(
    context: &LintContext<'_>,
    instruction: &Instruction,
    pair: &KeyValue,
) -> Option<Fix> {
    let span = pair.key.span.cover(pair.value.span);
    let text = context.text(span);
    if text.contains('\n')
        || context.text(pair.key.span) != pair.key.text
        || context.text(pair.value.span) != pair.value.text
    {
        return None;
    }
    let escape = context.dockerfile.escape;
    let value = one_word(&pair.value.text, escape);
    let replacement = crate::rules::message(&[&pair.key.text, "=", &value]);
    let keeps_meaning = if is_plain(&pair.key.text) && is_plain(&pair.value.text) {
        debug_assert!(same_meaning(instruction, pair, &replacement, escape));
        true
    } else {
        same_meaning(instruction, pair, &replacement, escape)
    };
    keeps_meaning.then(|| Fix {
        message: crate::rules::message(&["Write `", &pair.key.text, "=…`"]),
        applicability: Applicability::Safe,
        edits: vec![Edit { span, replacement }],
    })
}

/// Whether `text` is made only of bytes that no Dockerfile or variable syntax reads (letters,
/// digits, `_ - . / : , + @ %`, not starting with `-`, which could read as a flag): a key and
/// a value both such read the same as `key=value`, which [`same_meaning`] would confirm by
/// parsing it (most legacy pairs are `ENV NAME value`).
fn is_plain(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && text.bytes().all(|byte| {
            byte.is_ascii_alphanumeric()
                || matches!(
                    byte,
                    b'_' | b'-' | b'.' | b'/' | b':' | b',' | b'+' | b'@' | b'%'
                )
        })
}

/// `value` with every blank outside quotes escaped, so that it reads as one word.
fn one_word(value: &str, escape: char) -> String {
    let mut out = String::with_capacity(value.len() + 4);
    let mut quote: Option<char> = None;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some('\'') => {
                if c == '\'' {
                    quote = None;
                }
                out.push(c);
            }
            Some(_) => {
                out.push(c);
                if c == escape {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                } else if c == '"' {
                    quote = None;
                }
            }
            None => {
                if c == escape {
                    out.push(c);
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                } else if c == '\'' || c == '"' {
                    quote = Some(c);
                    out.push(c);
                } else if c.is_whitespace() {
                    out.push(escape);
                    out.push(c);
                } else {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// Whether `KEYWORD replacement` parses as one `key=value` pair giving the same key and value
/// as `pair` once expanded (variables left as written).
fn same_meaning(
    instruction: &Instruction,
    pair: &KeyValue,
    replacement: &str,
    escape: char,
) -> bool {
    let keyword = &instruction.keyword.text;
    let mut source = String::with_capacity(32 + keyword.len() + replacement.len());
    if escape != '\\' {
        source.push_str("# escape=");
        source.push(escape);
        source.push('\n');
    }
    for piece in ["FROM scratch\n", keyword, " ", replacement, "\n"] {
        source.push_str(piece);
    }
    let parsed = crate::syntax::parse_bytes(source.as_bytes());
    let Some(rewritten) = parsed.instructions().nth(1) else {
        return false;
    };
    let Arguments::KeyValues(pairs) = &rewritten.arguments else {
        return false;
    };
    let [new] = pairs.as_slice() else {
        return false;
    };
    let lexer = Lexer {
        skip_unset_env: true,
        ..Lexer::new(escape)
    };
    let no_env: Vec<(String, String)> = Vec::new();
    let expand = |text: &str| lexer.process_word(text, &no_env).ok();
    if new.legacy || new.key.text != pair.key.text {
        return false;
    }
    let expanded = expand(&new.value.text);
    expanded.is_some() && expanded == expand(&pair.value.text)
}
