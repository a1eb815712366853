//! BK015 SecretsUsedInArgOrEnv: an ARG or ENV whose name says it holds a secret.
//!
//! BuildKit splits the name at `_` and flags it when a part (any case) is `apikey`, `auth`,
//! `credential(s)`, `key`, `password`, `pword`, `passwd`, `secret` or `token`, unless a part is
//! `public`, `file` or `version` (`PUBLIC_KEY`, `PASSWORD_FILE`). ARG and ENV values end up in
//! the image's history or configuration. Checked in stages, as BuildKit dispatches them
//! (not ONBUILD triggers). Reported at the name. hadolint's twin is DL3064 (a different list).

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword, Span};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK015",
        name: "SecretsUsedInArgOrEnv",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "sensitive data should not be used in the ARG or ENV commands",
        doc: include_str!("../../../rules/BK015.md"),
    },
    check,
};

const SECRET_PARTS: [&str; 10] = [
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];

const ALLOWED_PARTS: [&str; 3] = ["public", "file", "version"];

/// Whether BuildKit takes `name` for a secret's name.
pub fn looks_secret(name: &str) -> bool {
    // An ASCII name (nearly all) is compared in place; any other is lowercased as Unicode
    // lowercases it (a Kelvin sign becomes a `k`).
    if name.is_ascii() {
        has_secret_parts(name, |part, known| part.eq_ignore_ascii_case(known))
    } else {
        has_secret_parts(&name.to_lowercase(), |part, known| part == known)
    }
}

/// Whether a `_`-separated part of `name` is secret and none is allowed, by `same` (which
/// holds only for parts as long as the known one: most parts are told apart by length alone).
fn has_secret_parts(name: &str, same: impl Fn(&[u8], &[u8]) -> bool) -> bool {
    let is_one_of = |part: &[u8], list: &[&str]| {
        list.iter()
            .any(|known| part.len() == known.len() && same(part, known.as_bytes()))
    };
    // Split as bytes: `_` is ASCII, so never part of another character.
    let parts = || name.as_bytes().split(|&byte| byte == b'_');
    parts().any(|part| is_one_of(part, &SECRET_PARTS))
        && !parts().any(|part| is_one_of(part, &ALLOWED_PARTS))
}

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // Each name is judged as it is read (no list of an instruction's names).
    let mut judge = |what: &str, name: &str, span: Span| {
        if looks_secret(name) {
            out.push(context.report(
                &RULE.meta,
                span,
                format!("Do not use ARG or ENV instructions for sensitive data ({what} {name:?})"),
            ));
        }
    };
    // The ENVs, then the ARGs: their findings are at distinct places, which the sort of all
    // findings puts in order.
    for env in context.stage_instructions_of(Keyword::Env) {
        if let Arguments::KeyValues(pairs) = &env.syntax.arguments {
            for pair in pairs {
                judge("ENV", &pair.key.text, pair.key.span);
            }
        }
    }
    for arg in context.stage_instructions_of(Keyword::Arg) {
        if let Arguments::Words(words) = &arg.syntax.arguments {
            for word in words {
                let name = word.text.split('=').next().unwrap_or_default();
                let span = if context.text(word.span).starts_with(name) {
                    Span::new(word.span.start, word.span.start + name.len())
                } else {
                    word.span
                };
                judge("ARG", name, span);
            }
        }
    }
}
