//! DL3009 apt-lists-not-removed: `apt-get update` leaves the apt package lists in the layer.
//!
//! A RUN that runs `apt-get update` (or `apt update`, `aptitude update`), which downloads the
//! lists, must remove `/var/lib/apt/lists` later in the same RUN
//! (`rm -rf /var/lib/apt/lists/*`, or `apt-get distclean`/`dist-clean`), or keep the lists out of the layer
//! with a cache or tmpfs mount of `/var/lib/apt/lists` (or `/var/lib/apt`). Only stages whose
//! content ships in the image are checked: the target and the stages it is built FROM (an
//! `ONBUILD RUN` in any stage, as it runs in the images built on this one). One
//! finding per RUN, at its first `apt-get update`. The fix (safe) appends
//! ` && rm -rf /var/lib/apt/lists/*` to a plain shell-form script. ONBUILD-aware.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::shell::Command;

use super::Apt;
use crate::rules::hadolint::commands::value;
use crate::rules::hadolint::runs::{has_cache_mount, runs};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3009",
        name: "apt-lists-not-removed",
        severity: Severity::Info,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "apt lists not removed after apt-get install",
        doc: include_str!("../../../../rules/DL3009.md"),
    },
    check,
};

const LISTS: &str = "/var/lib/apt/lists";

/// The programs whose `update` downloads the package lists: apt-get, apt, aptitude.
const INSTALLERS: &[&str] = &["apt-get", "apt", "aptitude"];

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for run in runs(context, true) {
        // An ONBUILD trigger runs in whatever image builds on this one: checked in any stage.
        let shipped = run.stage.shipped || run.onbuild;
        if !shipped || has_cache_mount(run.syntax, &[LISTS, "/var/lib/apt"]) {
            continue;
        }
        let Some((index, apt)) = run
            .commands
            .iter()
            .enumerate()
            .filter_map(|(index, command)| Some((index, Apt::parse_as(command, INSTALLERS)?)))
            .find(|(_, apt)| apt.is("update"))
        else {
            continue;
        };
        if run.commands[index + 1..].iter().any(removes_lists) {
            continue;
        }
        let mut diagnostic = context.report(
            &RULE.meta,
            apt.head_span(),
            "the apt package lists this update downloads stay in the layer: remove \
             `/var/lib/apt/lists/*` in the same RUN after installing",
        );
        diagnostic.fix = run.append_fix(context.dockerfile.escape, "rm -rf /var/lib/apt/lists/*");
        out.push(diagnostic);
    }
}

/// `rm … /var/lib/apt/lists[/*]` (or `/var/lib/apt[/*]`), `apt-get distclean|dist-clean`, `find /var/lib/apt/lists … -delete`.
fn removes_lists(command: &Command) -> bool {
    let under_lists = |command: &Command| {
        command.args.iter().filter_map(value).any(|arg| {
            let trimmed = arg.trim_end_matches(['*', '/']);
            trimmed == LISTS
                || trimmed == "/var/lib/apt"
                || (arg.starts_with("/var/lib/apt/lists/") && arg.contains('*'))
        })
    };
    match command.program() {
        Some("rm") => under_lists(command),
        Some("find") => {
            under_lists(command)
                && command
                    .args
                    .iter()
                    .filter_map(value)
                    .any(|a| a == "-delete")
        }
        Some("apt-get") => {
            Apt::parse(command).is_some_and(|apt| apt.is("distclean") || apt.is("dist-clean"))
        }
        _ => false,
    }
}
