//! SEC001 tls-verification-disabled: a download or package tool told not to verify TLS
//! certificates.
//!
//! In RUN: `curl -k`/`--insecure`, `wget --no-check-certificate`, `pip --trusted-host`,
//! `npm`/`yarn config set strict-ssl false` (or `--strict-ssl=false`), `git config
//! http.sslVerify false` (or `git -c http.sslVerify=false`), yum/dnf `--setopt=sslverify=0` or a
//! `sslverify=0` line written into a repository file, apt `Acquire::https::Verify-Peer=false`.
//! As variables (ENV, ARG defaults, or set in the script): `NODE_TLS_REJECT_UNAUTHORIZED=0`,
//! `PYTHONHTTPSVERIFY=0`, `GIT_SSL_NO_VERIFY` (any value but an off one), `PIP_TRUSTED_HOST`,
//! `NPM_CONFIG_STRICT_SSL=false`. Reported at the option or the variable.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::shell::Word;
use crate::syntax::{Arguments, Keyword, Span};

use super::{Readers, is_off, long_option, run_commands_where, short_flag, text};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "SEC001",
        name: "tls-verification-disabled",
        severity: Severity::Warning,
        family: Family::Security,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "TLS certificate verification turned off for a download or package tool",
        doc: include_str!("../../../rules/SEC001.md"),
    },
    check,
};

/// curl's short options that take a value (the rest of a cluster is that value).
const CURL_VALUE_OPTIONS: &str = "oHdDuxXAeTCmwFbcKErYyzUQPt";

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for found in run_commands_where(context, Readers::TLS, true) {
        let command = found.command;
        for word in &command.assignments {
            if let Some(why) = disabling_assignment(text(word)) {
                out.push(report(context, word.span, &why));
            }
        }
        let args = &command.args;
        let program = found.program;
        // Which checks can hold for this program, decided once rather than for every word.
        let reads_options = found.is_read_by(Readers::TLS_OPTIONS);
        let configures = found.is_read_by(Readers::TLS_CONFIG);
        for (index, word) in args.iter().enumerate() {
            let why = if reads_options {
                disabling_option(program, word)
            } else {
                None
            };
            let why = why.or_else(|| {
                configures
                    .then(|| config_set(program, args, index))
                    .flatten()
            });
            let why = why.or_else(|| {
                found
                    .arg_has_equals(index)
                    .then(|| disabling_text(text(word)))
                    .flatten()
            });
            if let Some(why) = why {
                out.push(report(context, word.span, &why));
            }
        }
    }
    // The ENVs, then the ARGs: their findings are at distinct places, which the sort of all
    // findings puts in order.
    for env in context.stage_instructions_of(Keyword::Env) {
        let Arguments::KeyValues(pairs) = &env.syntax.arguments else {
            continue;
        };
        for pair in pairs {
            let why = if pair.key.text.contains('=') {
                // Read as `KEY=value` is read: up to the first `=`.
                let value = pair.value.text.trim_matches(['"', '\'']);
                disabling_assignment(&format!("{}={value}", pair.key.text))
            } else {
                // It trims the quotes itself, once it knows the name.
                disabling_pair(&pair.key.text, &pair.value.text)
            };
            if let Some(why) = why {
                out.push(report(context, pair.key.span.cover(pair.value.span), &why));
            }
        }
    }
    for arg in context.stage_instructions_of(Keyword::Arg) {
        let Arguments::Words(words) = &arg.syntax.arguments else {
            continue;
        };
        for word in words.iter().filter(|word| word.text.contains('=')) {
            // The quotes are dropped: a copy only when there are some.
            let why = if word.text.contains(['"', '\'']) {
                disabling_assignment(&word.text.replace(['"', '\''], ""))
            } else {
                disabling_assignment(&word.text)
            };
            if let Some(why) = why {
                out.push(report(context, word.span, &why));
            }
        }
    }
}

/// `curl --insecure`/`-k`, `wget --no-check-certificate`, `pip --trusted-host`,
/// `npm --strict-ssl=false`.
fn disabling_option(program: &str, word: &Word) -> Option<String> {
    match (program, long_option(word)) {
        ("curl", Some(("insecure", None))) => Some("`curl --insecure`".to_string()),
        ("curl", None) if short_flag(word, 'k', CURL_VALUE_OPTIONS) => {
            Some("`curl -k`".to_string())
        }
        ("wget", Some(("no-check-certificate", None))) => {
            Some("`wget --no-check-certificate`".to_string())
        }
        ("pip" | "pip3" | "pip2" | "python" | "python3", Some(("trusted-host", _))) => {
            Some("`pip --trusted-host`".to_string())
        }
        ("npm" | "yarn" | "pnpm", Some(("strict-ssl", Some(value)))) if is_off(value) => {
            Some(format!("`{program} --strict-ssl={value}`"))
        }
        _ => None,
    }
}

fn report(context: &LintContext<'_>, span: Span, why: &str) -> Diagnostic {
    context.report(
        &RULE.meta,
        span,
        crate::rules::message(&[
            why,
            " turns TLS certificate verification off: whoever sits on the network path can \
             swap what is downloaded",
        ]),
    )
}

/// `NAME=value` that switches verification off for the tools reading that variable.
fn disabling_assignment(assignment: &str) -> Option<String> {
    let (name, value) = assignment.split_once('=')?;
    disabling_pair(name, value)
}

/// The variable `name` set to `value` (quotes around it dropped), as [`disabling_assignment`]
/// reads it; the name compared without an uppercase copy.
fn disabling_pair(name: &str, value: &str) -> Option<String> {
    // The name first: most variables are none of these, and their values are not read.
    let is = |known: &str| name.eq_ignore_ascii_case(known);
    let disables: fn(&str) -> bool = if is("NODE_TLS_REJECT_UNAUTHORIZED")
        || is("PYTHONHTTPSVERIFY")
        || is("NPM_CONFIG_STRICT_SSL")
    {
        is_off
    } else if is("GIT_SSL_NO_VERIFY") {
        |value| !value.is_empty() && !is_off(value)
    } else if is("PIP_TRUSTED_HOST") {
        |value| !value.is_empty()
    } else {
        return None;
    };
    let value = value.trim_matches(['"', '\'']);
    disables(value).then(|| format!("`{name}={value}`"))
}

/// `npm config set strict-ssl false`, `git config http.sslVerify false`, at the key's word.
fn config_set(program: &str, args: &[Word], index: usize) -> Option<String> {
    // Cheapest test first: this runs for every word of every command.
    let value = args.get(index + 1).map(text)?;
    if !is_off(value) {
        return None;
    }
    let key = text(&args[index]);
    let message = match program {
        "npm" | "yarn" | "pnpm" if key.eq_ignore_ascii_case("strict-ssl") => {
            format!("`{program} config set strict-ssl {value}`")
        }
        "git" if key.eq_ignore_ascii_case("http.sslverify") => {
            format!("`git config http.sslVerify {value}`")
        }
        _ => return None,
    };
    let configuring = args[..index]
        .iter()
        .any(|word| matches!(text(word), "config" | "set"));
    configuring.then_some(message)
}

/// Whether an `=` in `word` follows a key ending like the keys [`disabling_text`] knows
/// (`…verify`, `…verify-peer`, `…verify-host`): every setting it reports has one, most words none.
fn has_verify_key(word: &str) -> bool {
    super::has_key_ending_in(word, &["verify", "verify-peer", "verify-host"])
}

/// Text written to a configuration file or passed as an option: `sslverify=0`,
/// `http.sslVerify=false`, `Acquire::https::Verify-Peer=false`.
fn disabling_text(word: &str) -> Option<String> {
    // Every setting is `key=value`, the shortest `sslverify=0`: most words are shorter or
    // have no `=`, and are passed over without a copy.
    if word.len() < "sslverify=0".len() || !has_verify_key(word) {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let setting = lower.trim_start_matches("--setopt=");
    for key in [
        "sslverify",
        "http.sslverify",
        "acquire::https::verify-peer",
        "acquire::https::verify-host",
    ] {
        let Some(at) = setting.find(key) else {
            continue;
        };
        let rest = setting[at + key.len()..].trim_start_matches([' ', '"', '\'']);
        let Some(value) = rest
            .strip_prefix('=')
            .map(|v| v.trim_start_matches([' ', '"', '\'']))
        else {
            continue;
        };
        let value: String = value
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let preceding = &setting[..at];
        // `sslverify` must be the whole key (not `sslverifyfoo`, not part of `x.sslverify` other than git's).
        let whole =
            preceding.is_empty() || preceding.ends_with(['.', ':', ' ', '"', '\'', '=', '\n', ';']);
        if whole && is_off(&value) {
            return Some(format!("`{}`", word.trim()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_settings() {
        assert!(disabling_text("sslverify=0").is_some());
        assert!(disabling_text("--setopt=sslverify=False").is_some());
        assert!(disabling_text("sslverify=1").is_none());
        assert!(disabling_text("Acquire::https::Verify-Peer=false").is_some());
        assert!(disabling_assignment("NODE_TLS_REJECT_UNAUTHORIZED=0").is_some());
        assert!(disabling_assignment("NODE_TLS_REJECT_UNAUTHORIZED=1").is_none());
        assert!(disabling_assignment("GIT_SSL_NO_VERIFY=true").is_some());
        assert!(disabling_assignment("GIT_SSL_NO_VERIFY=").is_none());
    }
}
