//! SEC002 package-signature-bypassed: a package manager told to install packages whose
//! signatures it cannot or does not check.
//!
//! apt/apt-get `--allow-unauthenticated`, `--force-yes`, `--allow-insecure-repositories`,
//! `-o APT::Get::AllowUnauthenticated=true`, a `[trusted=yes]` source (not a local `file:`
//! repository of packages the build made itself); apk `--allow-untrusted`;
//! yum/dnf/microdnf/tdnf `--nogpgcheck` or `gpgcheck=0` (option or repository file); rpm
//! `--nosignature`/`--nodigest`; zypper `--no-gpg-checks`. Reported at the option or setting.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::shell::{Command, Word};

use super::{Readers, is_off, long_option, run_commands_where, text};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "SEC002",
        name: "package-signature-bypassed",
        severity: Severity::Warning,
        family: Family::Security,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "package signature verification bypassed",
        doc: include_str!("../../../rules/SEC002.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for found in run_commands_where(context, Readers::SIGNATURES, true) {
        let program = found.program;
        let manager = found.is_read_by(Readers::SIGNATURES);
        let mut removing = None;
        for (index, word) in found.command.args.iter().enumerate() {
            let bypass = manager && bypassing_option(program, word)
                || found.arg_has_equals(index) && bypassing_text(text(word));
            if !bypass {
                continue;
            }
            // Removing packages installs nothing: `apt-get purge -y --force-yes` checks no
            // signature. Asked only of a command that bypasses something (few do).
            if *removing.get_or_insert_with(|| is_removing(found.command)) {
                break;
            }
            out.push(context.report(
                &RULE.meta,
                word.span,
                format!(
                    "`{}` installs packages without checking their signatures: a tampered \
                     mirror or repository goes unnoticed",
                    text(word).trim()
                ),
            ));
        }
    }
}

/// Whether the command removes packages (`remove`, `purge`, `autoremove`, `del`, `erase`).
fn is_removing(command: &Command) -> bool {
    command.args.iter().any(|word| {
        matches!(
            text(word),
            "remove" | "purge" | "autoremove" | "del" | "erase"
        )
    })
}

/// `apt-get --allow-unauthenticated`, `apk --allow-untrusted`, `yum --nogpgcheck`, …
fn bypassing_option(program: &str, word: &Word) -> bool {
    let option = long_option(word).map(|(name, _)| name);
    matches!(
        (program, option),
        (
            "apt-get" | "apt" | "aptitude",
            Some("allow-unauthenticated" | "force-yes" | "allow-insecure-repositories"),
        ) | ("apk", Some("allow-untrusted"))
            | ("yum" | "dnf" | "microdnf" | "tdnf", Some("nogpgcheck"))
            | ("rpm", Some("nosignature" | "nodigest"))
            | ("zypper", Some("no-gpg-checks"))
    )
}

/// `gpgcheck=0`, `APT::Get::AllowUnauthenticated=true`, `[trusted=yes]` written anywhere.
fn bypassing_text(word: &str) -> bool {
    // Every form is `key=value`: most words have no `=`, or none after a key below, and are
    // passed over without a copy.
    if !has_setting_key(word) {
        return false;
    }
    let lower = word.to_ascii_lowercase();
    // A `file:`/`copy:` source holds packages built in the same build: nothing to verify.
    let local = lower.contains("file:") || lower.contains("copy:");
    if !local && (lower.contains("[trusted=yes]") || lower.contains(" trusted=yes")) {
        return true;
    }
    let setting = |key: &str, wants_off: bool| {
        lower.match_indices(key).any(|(at, _)| {
            let before = &lower[..at];
            let whole = before.is_empty()
                || before.ends_with([' ', '"', '\'', '=', '\n', ';', ':', '\t'])
                || before.ends_with("--setopt=");
            let value: String = lower[at + key.len()..]
                .trim_start_matches([' ', '"', '\''])
                .strip_prefix('=')
                .unwrap_or("")
                .trim_start_matches([' ', '"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            whole
                && !value.is_empty()
                && (is_off(&value) == wants_off)
                && (wants_off || matches!(value.as_str(), "1" | "true" | "yes" | "on"))
        })
    };
    setting("gpgcheck", true) || setting("apt::get::allowunauthenticated", false)
}

/// Whether an `=` in `word` follows (past spaces and quotes) `trusted`, `gpgcheck` or
/// `apt::get::allowunauthenticated` in any case: what every form [`bypassing_text`] reports
/// holds.
fn has_setting_key(word: &str) -> bool {
    let bytes = word.as_bytes();
    // The shortest form is `trusted=`: shorter words (most) are passed over unread.
    if bytes.len() < "trusted=".len() {
        return false;
    }
    // Most words hold no `=`: `contains` (a word-at-a-time scan) passes them over.
    if !bytes.contains(&b'=') {
        return false;
    }
    super::has_key_ending_in(
        word,
        &["trusted", "gpgcheck", "apt::get::allowunauthenticated"],
    )
}
