//! LABEL and MAINTAINER: label key format and the label schema (required, known, typed labels).

pub(super) mod dl3048_label_key_format;
pub(super) mod dl3049_label_missing;
pub(super) mod dl3050_label_not_in_schema;
pub(super) mod dl3051_label_empty;
pub(super) mod dl3052_label_not_url;
pub(super) mod dl3053_label_not_rfc3339;
pub(super) mod dl3054_label_not_spdx;
pub(super) mod dl3055_label_not_git_hash;
pub(super) mod dl3056_label_not_semver;
pub(super) mod dl3058_label_not_email;
pub(super) mod dl4000_maintainer_deprecated;

use std::borrow::Cow;

use crate::rules::{Diagnostic, LintContext, RuleMeta};
use crate::syntax::{Arguments, Instruction, Keyword, Token};

/// A value token with surrounding quotes removed (ENV/LABEL values keep their quotes).
pub fn unquote(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    if bytes.len() >= 2
        && (bytes[0] == b'"' || bytes[0] == b'\'')
        && bytes[bytes.len() - 1] == bytes[0]
    {
        let inner = &text[1..text.len() - 1];
        if bytes[0] == b'"' && inner.contains('\\') {
            let mut out = String::new();
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                } else {
                    out.push(c);
                }
            }
            return Cow::Owned(out);
        }
        return Cow::Borrowed(inner);
    }
    Cow::Borrowed(text)
}

/// The LABEL pairs of an instruction: (key text, unquoted value, key token, value token).
pub fn labels(syntax: &Instruction) -> Vec<(String, String, &Token, &Token)> {
    let Arguments::KeyValues(pairs) = &syntax.arguments else {
        return Vec::new();
    };
    if syntax.kind != Keyword::Label {
        return Vec::new();
    }
    pairs
        .iter()
        .map(|pair| {
            (
                unquote(&pair.key.text).into_owned(),
                unquote(&pair.value.text).into_owned(),
                &pair.key,
                &pair.value,
            )
        })
        .collect()
}

/// Label-schema rules: every LABEL (in any stage) whose key the schema gives type `kind`, with a
/// static non-empty value that `valid` rejects, reported at the value.
pub fn check_label_type(
    context: &LintContext<'_>,
    out: &mut Vec<Diagnostic>,
    meta: &RuleMeta,
    kind: &str,
    valid: fn(&str) -> bool,
) {
    let schema = &context.settings.label_schema;
    if !schema
        .values()
        .any(|value| value.eq_ignore_ascii_case(kind))
    {
        return;
    }
    for syntax in context.instructions_of(Keyword::Label) {
        for (key, value, _, token) in labels(syntax) {
            let Some(expected) = schema.get(&key) else {
                continue;
            };
            if !expected.eq_ignore_ascii_case(kind)
                || value.is_empty()
                || value.contains('$')
                || valid(&value)
            {
                continue;
            }
            out.push(context.report(
                meta,
                token.span,
                format!(
                    "label `{key}` should hold {}, not `{value}`",
                    describe(kind)
                ),
            ));
        }
    }
}

fn describe(kind: &str) -> &'static str {
    match kind {
        "url" => "an absolute URL",
        "rfc3339" => "an RFC 3339 timestamp",
        "spdx" => "an SPDX license expression",
        "hash" => "a full git commit hash",
        "semver" => "a semantic version",
        "email" => "an email address",
        _ => "a valid value",
    }
}
