//! SEC008 secret-value-in-env-arg: an ENV value or ARG default that is a credential.
//!
//! Known token formats, whatever the variable's name: AWS access key ids (`AKIA…`, `ASIA…`),
//! GitHub (`ghp_…`, `github_pat_…`), GitLab (`glpat-…`), Slack (`xox?-…`), Stripe live keys,
//! Google API keys (`AIza…`), npm tokens (`npm_…`), PEM private keys. And a high-entropy
//! value (at least 20 characters of letters, digits and `+/=_-.`, mixing cases and digits,
//! about 4 bits of entropy per character or more) in a variable whose name says it holds a
//! secret (BuildKit's SecretsUsedInArgOrEnv test, or `PASSWORD`/`SECRET`/`TOKEN` in it). Hex
//! strings (checksums, fingerprints), signing-key variables (`GPG_KEY`), values with variables
//! and paths or URLs are not judged by entropy. Reported at the value.

use crate::rules::buildkit::secrets_used_in_arg_or_env::looks_secret;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword, Span};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "SEC008",
        name: "secret-value-in-env-arg",
        severity: Severity::Error,
        family: Family::Security,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "a credential written into ENV or an ARG default",
        doc: include_str!("../../../rules/SEC008.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let maybe_setting = [Keyword::Env, Keyword::Arg, Keyword::Onbuild];
    for instruction in context.instructions_of_any(maybe_setting) {
        let instruction = match (&instruction.kind, &instruction.arguments) {
            (Keyword::Onbuild, Arguments::Onbuild(trigger)) => trigger,
            _ => instruction,
        };
        // Each pair is judged as it is read (no list of an instruction's pairs).
        let mut judge = |name: &str, value: &str, span: Span| {
            if let Some(what) = secret_value(name, value) {
                out.push(context.report(
                    &RULE.meta,
                    span,
                    format!(
                        "the value of `{name}` looks like {what}: it is readable by anyone who \
                         pulls the image; pass it as a build secret (`RUN --mount=type=secret`) \
                         and rotate it"
                    ),
                ));
            }
        };
        match (&instruction.kind, &instruction.arguments) {
            (Keyword::Env, Arguments::KeyValues(pairs)) => {
                for pair in pairs {
                    judge(&pair.key.text, &pair.value.text, pair.value.span);
                }
            }
            (Keyword::Arg, Arguments::Words(words)) => {
                for word in words {
                    if let Some((name, value)) = word.text.split_once('=') {
                        let start = (word.span.start + name.len() + 1).min(word.span.end);
                        judge(name, value, Span::new(start, word.span.end));
                    }
                }
            }
            _ => {}
        }
    }
}

/// What the value of variable `name` looks like, when it looks like a secret.
fn secret_value(name: &str, value: &str) -> Option<&'static str> {
    // Both kinds of secret are twenty bytes long at least, and trimming only shortens: most
    // values are passed over before they are trimmed.
    if value.len() < 20 {
        return None;
    }
    let value = value.trim_matches(['"', '\'']);
    known_format(value).or_else(|| {
        // The length first, then the value's shape (most values fail it at once: a path, a
        // space, a version), then the name's parts (an uppercase copy).
        (value.len() >= 20 && high_entropy(value) && secret_name(name))
            .then_some("a high-entropy secret")
    })
}

fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let signing = ["GPG", "PGP", "SIGNING", "KEYSERVER", "PUBLIC", "PUB"]
        .iter()
        .any(|part| upper.split('_').any(|p| p == *part));
    !signing
        && (looks_secret(name)
            || ["PASSWORD", "PASSWD", "SECRET", "TOKEN"]
                .iter()
                .any(|marker| upper.contains(marker)))
}

fn all(text: &str, allowed: impl Fn(char) -> bool) -> bool {
    !text.is_empty() && text.chars().all(allowed)
}

/// The kind of credential `value` is, by its format.
fn known_format(value: &str) -> Option<&'static str> {
    // Every format below is at least twenty bytes long: most values are passed over at once.
    if value.len() < 20 {
        return None;
    }
    // Every token format starts with one of these bytes: any other value is passed over
    // without a comparison per prefix.
    if matches!(value.as_bytes()[0], b'A' | b'g' | b'x' | b's' | b'r' | b'n')
        && let Some(found) = known_prefix(value)
    {
        return Some(found);
    }
    // A `-` is looked for first: it is one byte scan, and most values have none.
    if value.as_bytes().contains(&b'-')
        && value.contains("-----BEGIN")
        && value.contains("PRIVATE KEY")
    {
        return Some("a private key");
    }
    None
}

/// The token format whose prefix `value` (twenty bytes at least) starts with, if any.
fn known_prefix(value: &str) -> Option<&'static str> {
    let upper_or_digit = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit();
    let alnum = |c: char| c.is_ascii_alphanumeric();
    for prefix in ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"] {
        if let Some(rest) = value.strip_prefix(prefix)
            && value.len() == 20
            && all(rest, upper_or_digit)
        {
            return Some("an AWS access key id");
        }
    }
    for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
        if value
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.len() == 36 && all(rest, alnum))
        {
            return Some("a GitHub token");
        }
    }
    if value
        .strip_prefix("github_pat_")
        .is_some_and(|rest| rest.len() >= 70 && all(rest, |c| alnum(c) || c == '_'))
    {
        return Some("a GitHub token");
    }
    if value
        .strip_prefix("glpat-")
        .is_some_and(|rest| rest.len() >= 20 && all(rest, |c| alnum(c) || c == '_' || c == '-'))
    {
        return Some("a GitLab token");
    }
    if ["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"]
        .iter()
        .any(|prefix| value.starts_with(prefix) && value.len() >= 20)
    {
        return Some("a Slack token");
    }
    if ["sk_live_", "rk_live_"].iter().any(|prefix| {
        value
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.len() >= 20 && all(rest, alnum))
    }) {
        return Some("a Stripe live key");
    }
    if value
        .strip_prefix("AIza")
        .is_some_and(|rest| rest.len() == 35 && all(rest, |c| alnum(c) || c == '_' || c == '-'))
    {
        return Some("a Google API key");
    }
    if value
        .strip_prefix("npm_")
        .is_some_and(|rest| rest.len() == 36 && all(rest, alnum))
    {
        return Some("an npm token");
    }
    None
}

/// A random-looking token: long, from a token alphabet, mixed classes, not hex, high entropy.
fn high_entropy(value: &str) -> bool {
    if value.len() < 20
        || !all(value, |c| {
            c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-' | '.')
        })
        || value.contains('/') && value.starts_with('/')
        || all(value, |c| c.is_ascii_hexdigit() || c == '-')
    {
        return false;
    }
    let upper = value.chars().any(|c| c.is_ascii_uppercase());
    let lower = value.chars().any(|c| c.is_ascii_lowercase());
    let digit = value.chars().any(|c| c.is_ascii_digit());
    if !(digit && (upper || lower) && (upper && lower || value.len() >= 32)) {
        return false;
    }
    // Every character is ASCII here (the alphabet above): counted by byte, in place of a map
    // (whose order of iteration, and so of summing, was arbitrary anyway).
    let mut counts = [0usize; 128];
    for byte in value.bytes() {
        counts[usize::from(byte & 0x7f)] += 1;
    }
    let length = value.len() as f64;
    let entropy: f64 = counts
        .iter()
        .filter(|&&count| count > 0)
        .map(|&count| {
            let p = count as f64 / length;
            -p * p.log2()
        })
        .sum();
    entropy >= 4.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_entropy() {
        assert_eq!(
            known_format("AKIAIOSFODNN7EXAMPLE"),
            Some("an AWS access key id")
        );
        assert!(known_format("ghp_0123456789abcdefghijABCDEFGHIJ012345").is_some());
        assert!(known_format("hello").is_none());
        assert!(high_entropy("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
        assert!(!high_entropy("0D96DF4D4110E5C43FBFB17F2D347EA6AA65421D"));
        assert!(!high_entropy("changeme"));
        assert!(!high_entropy("postgres_password_2024"));
        assert!(secret_name("AWS_SECRET_ACCESS_KEY"));
        assert!(!secret_name("GPG_KEY"));
    }
}
