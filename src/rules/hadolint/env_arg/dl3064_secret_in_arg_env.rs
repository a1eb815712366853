//! DL3064 secret-in-arg-env: an ARG or ENV whose name says it holds a secret.
//!
//! ENV values are stored in the image config and ARG values in the build history, where
//! anyone who pulls the image can read them. A name containing `PASSWORD`, `PASSWD`, `SECRET`,
//! `TOKEN`, `PRIVATE_KEY`, `SSH_KEY`, `API_KEY`/`APIKEY`, `ACCESS_KEY` or `CREDENTIAL` (any
//! case) is
//! reported at the name, and so is a `..._KEY` name (`GIT_KEY`, `SSH_KEY`) as BuildKit's
//! SecretsUsedInArgOrEnv reports it, unless it names a public or signing key (`GPG_KEY` holds
//! a public fingerprint). Names that point at a secret rather than hold it (`..._FILE`,
//! `..._PATH`, `..._DIR`), names with a `PUBLIC` part (`PUBLIC_TOKEN`, as BuildKit) and
//! `TOKENIZER...` are not flagged. ONBUILD-aware (`ONBUILD ARG`/`ONBUILD ENV`).

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::byte_scan::find_short;
use crate::syntax::{Arguments, Keyword, Span, Token};

use crate::rules::hadolint::instructions::with_onbuild;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3064",
        name: "secret-in-arg-env",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "ARG or ENV name suggests it holds a secret",
        doc: include_str!("../../../../rules/DL3064.md"),
    },
    check,
};

const MARKERS: [&str; 10] = [
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "PRIVATE_KEY",
    "API_KEY",
    "APIKEY",
    "ACCESS_KEY",
    "CREDENTIAL",
    "SSH_KEY",
];

const POINTERS: [&str; 5] = ["_FILE", "_PATH", "_DIR", "_FILENAME", "_LOCATION"];

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let maybe_setting = [Keyword::Arg, Keyword::Env, Keyword::Onbuild];
    for item in context.instructions_of_any(maybe_setting) {
        for keyword in [Keyword::Arg, Keyword::Env] {
            let Some(syntax) = with_onbuild(item, keyword) else {
                continue;
            };
            // The names are read in place, each judged as it is read: most are no secret.
            let mut judge = |name: &str, span: Span| {
                if secret(name) {
                    out.push(context.report(
                        &RULE.meta,
                        span,
                        format!(
                            "`{name}` looks like a secret: {} values stay readable in the image; \
                             use a build secret (`RUN --mount=type=secret`) instead",
                            keyword.upper_name()
                        ),
                    ));
                }
            };
            match &syntax.arguments {
                Arguments::KeyValues(pairs) => {
                    for pair in pairs {
                        judge(&pair.key.text, pair.key.span);
                    }
                }
                Arguments::Words(words) => {
                    for word in words {
                        let (name, span) = arg_name(context, word);
                        judge(name, span);
                    }
                }
                _ => {}
            }
        }
    }
}

fn arg_name<'w>(context: &LintContext<'_>, word: &'w Token) -> (&'w str, Span) {
    let name = word.text.split('=').next().unwrap_or("");
    let span = if context.text(word.span).starts_with(name) {
        Span::new(word.span.start, word.span.start + name.len())
    } else {
        word.span
    };
    (name, span)
}

/// Parts of a `..._KEY` name that make it a key meant to be shared (signing keys' ids).
const PUBLIC_KEYS: [&str; 5] = ["GPG", "PGP", "PUB", "SIGNING", "KEYSERVER"];

fn secret(name: &str) -> bool {
    if !may_be_secret(name) {
        return false;
    }
    let upper = name.to_ascii_uppercase();
    let mut parts = upper.split('_');
    if parts.clone().any(|part| part == "PUBLIC") {
        return false;
    }
    let key = upper.contains('_')
        && parts.next_back() == Some("KEY")
        && !parts.any(|part| PUBLIC_KEYS.contains(&part));
    let upper = if occurs(&upper, "TOKENIZER") {
        std::borrow::Cow::Owned(upper.replace("TOKENIZER", ""))
    } else {
        std::borrow::Cow::Borrowed(upper.as_str())
    };
    (key || MARKERS.iter().any(|marker| occurs(&upper, marker)))
        && !POINTERS.iter().any(|pointer| upper.ends_with(pointer))
}

/// Whether `needle` occurs in `haystack` ([`find_short`]: every ARG and ENV name is tested
/// for every marker, and names are short).
fn occurs(haystack: &str, needle: &str) -> bool {
    find_short(haystack.as_bytes(), needle.as_bytes()).is_some()
}

/// Whether `name` holds, in any case, `PASS`, `SECRET`, `TOKEN`, `KEY` or `CREDENTIAL`: every
/// marker does, and so does a `…_KEY` name (and one with `TOKENIZER`), so a name without
/// any is no secret. Read in place: most names are none.
fn may_be_secret(name: &str) -> bool {
    let bytes = name.as_bytes();
    (0..bytes.len()).any(|at| {
        let piece: &[u8] = match bytes[at].to_ascii_uppercase() {
            b'P' => b"PASS",
            b'S' => b"SECRET",
            b'T' => b"TOKEN",
            b'K' => b"KEY",
            b'C' => b"CREDENTIAL",
            _ => return false,
        };
        bytes[at..]
            .get(..piece.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(piece))
    })
}

#[cfg(test)]
mod tests {
    use super::{MARKERS, may_be_secret};

    /// The prefilter must pass every marker (and a `…_KEY` name) in any case, or a secret named
    /// by a marker added to the list would never be reported.
    #[test]
    fn every_marker_passes_the_prefilter() {
        for marker in MARKERS.iter().copied().chain(["DEPLOY_KEY"]) {
            assert!(may_be_secret(marker), "{marker}");
            assert!(
                may_be_secret(&format!("my_{}_x", marker.to_lowercase())),
                "{marker}"
            );
        }
        assert!(!may_be_secret("HOME_DIR"));
    }
}
