//! SEC003 remote-script-piped-to-shell: a script downloaded and run in one go, with no chance
//! to check it: `curl … | sh`, `wget -qO- … | bash`, `curl … | python3`, `sh -c "$(curl …)"`,
//! `bash <(curl …)`.
//!
//! Whatever the server (or anyone on the way) sends runs as root in the build, and nothing
//! records which script ran: no checksum or signature can be checked on a stream that goes
//! straight into an interpreter. Reported at the interpreter.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::shell::Command;

use super::{Readers, RunCommand, program, run_commands_where};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "SEC003",
        name: "remote-script-piped-to-shell",
        severity: Severity::Warning,
        family: Family::Security,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "a downloaded script is run without a checksum or signature check",
        doc: include_str!("../../../rules/SEC003.md"),
    },
    check,
};

const DOWNLOADERS: [&str; 3] = ["curl", "wget", "fetch"];
fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for found in run_commands_where(context, Readers::INTERPRETER, false) {
        let interpreter = found.program;
        if !found.is_read_by(Readers::INTERPRETER) {
            continue;
        }
        let piped = piped_from_download(context, &found);
        let substituted = found.command.args.iter().any(|word| {
            // `$(curl …`, `<(curl …`, `` `curl … ``: read in place, without a pattern per word.
            let raw = word.raw.trim_start_matches(['"', '\'']);
            let Some(inner) = raw
                .strip_prefix("$(")
                .or_else(|| raw.strip_prefix("<("))
                .or_else(|| raw.strip_prefix('`'))
            else {
                return false;
            };
            DOWNLOADERS.iter().any(|downloader| {
                inner
                    .strip_prefix(downloader)
                    .is_some_and(|rest| rest.starts_with(' '))
            })
        });
        if piped || substituted {
            out.push(context.report(
                &RULE.meta,
                found.command.name.span,
                format!(
                    "a downloaded script goes straight into `{interpreter}`: download it to a \
                     file, check its checksum or signature, then run it"
                ),
            ));
        }
    }
}

/// The command before this one in the script is a download whose output is piped into it.
fn piped_from_download(context: &LintContext<'_>, found: &RunCommand<'_>) -> bool {
    if !found.command.context.in_pipeline || found.position == 0 {
        return false;
    }
    let previous: &Command = &found.script[found.position - 1];
    if !previous.context.in_pipeline || !DOWNLOADERS.contains(&program(previous)) {
        return false;
    }
    let (end, start) = (previous.span.end, found.command.span.start);
    if end > start {
        return false;
    }
    let between: String = context.dockerfile.source[end..start]
        .replace("\\\r\n", "")
        .replace("\\\n", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    between == "|"
}
