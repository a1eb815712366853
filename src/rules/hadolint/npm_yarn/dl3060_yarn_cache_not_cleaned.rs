//! DL3060 yarn-cache-not-cleaned: `yarn install` in a RUN that does not clean yarn's cache.
//!
//! `yarn install` (or a bare `yarn`, which installs too) fills yarn's global cache; unless the
//! same RUN runs `yarn cache clean` (or removes the cache directory) the cache is stored in the
//! layer. Only stages that end up in the image are checked (an `ONBUILD RUN` in any stage),
//! and a RUN with a cache or tmpfs mount on yarn's cache (a target naming `yarn`, such as
//! `/root/.cache/yarn` or `/usr/local/share/.cache/yarn`) is fine. The fix (safe) appends `&& yarn cache clean` to the RUN.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::shell::Command;

use crate::rules::hadolint::runs::{cache_mount_targets, runs_running};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3060",
        name: "yarn-cache-not-cleaned",
        severity: Severity::Info,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "yarn install without `yarn cache clean` in the same RUN",
        doc: include_str!("../../../../rules/DL3060.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // Only a RUN running yarn (most do not) can install with it.
    for run in runs_running(context, &["yarn"]) {
        // An ONBUILD trigger runs in whatever image builds on this one: checked in any stage.
        let shipped = run.stage.shipped || run.onbuild;
        let cache_mounted = cache_mount_targets(run.syntax)
            .iter()
            .any(|target| target.contains("yarn"));
        if !shipped || cache_mounted {
            continue;
        }
        let commands = &run.commands;
        for (index, command) in commands.iter().enumerate() {
            if !installs(command) {
                continue;
            }
            if commands[index + 1..].iter().any(cleans) {
                continue;
            }
            let mut diagnostic = context.report(
                &RULE.meta,
                command.name.span.cover(
                    command
                        .args
                        .first()
                        .map(|word| word.span)
                        .unwrap_or(command.name.span),
                ),
                "`yarn install` leaves its package cache in the layer: run `yarn cache clean` \
                 in the same RUN",
            );
            diagnostic.fix = run.append_fix(context.dockerfile.escape, "yarn cache clean");
            out.push(diagnostic);
        }
    }
}

fn installs(command: &Command) -> bool {
    if command.program() != Some("yarn") {
        return false;
    }
    let arguments = command.arguments(&|name| name == "cwd");
    match arguments.operands.first() {
        None => !arguments
            .options
            .iter()
            .any(|option| matches!(option.name.as_str(), "version" | "v" | "help" | "h")),
        Some(word) => word.value() == Some("install"),
    }
}

fn cleans(command: &Command) -> bool {
    let values: Vec<&str> = command
        .args
        .iter()
        .filter_map(|word| word.value())
        .collect();
    match command.program() {
        Some("yarn") => values.windows(2).any(|pair| pair == ["cache", "clean"]),
        Some("rm") => values
            .iter()
            .any(|value| value.contains("yarn") && value.contains("cache")),
        _ => false,
    }
}
