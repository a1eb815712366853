//! HC004 cron-daemon: a cron daemon is installed or started.
//!
//! Flags packages tagged `cron` left installed in a shipped stage (cron, cronie, anacron,
//! dcron, fcron…) and a cron daemon started by the image's ENTRYPOINT/CMD (`cron -f`,
//! `crond`, `busybox crond`, `service cron start`). `supercronic`, the container-friendly job
//! runner the fix suggests, is not flagged.

use crate::model::Layer;
use crate::model::catalog::tag;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::shell::Command;
use crate::syntax::Span;

use super::shared;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC004",
        name: "cron-daemon",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::Ops),
        fixable: false,
        default_enabled: true,
        summary: "a cron daemon is installed or started",
        doc: include_str!("../../../rules/HC004.md"),
    },
    check,
};

/// Runs crontabs in the foreground, logs to stdout and keeps the environment: what the rule
/// recommends, never flagged.
const CONTAINER_FRIENDLY: [&str; 1] = ["supercronic"];

const DAEMONS: [&str; 5] = ["cron", "crond", "anacron", "fcron", "dcron"];
const SERVICES: [&str; 5] = ["cron", "crond", "anacron", "cronie", "dcron"];

const BELONGS: &str = "schedule jobs with the orchestrator (a Kubernetes CronJob) or `supercronic` in a container of its own (ops layer)";

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for script in shared::start_scripts(context) {
        for command in &script.commands {
            if let Some((span, shown)) = started(command) {
                out.push(context.report(
                    &RULE.meta,
                    span,
                    format!("the container starts a cron daemon (`{shown}`): {BELONGS}"),
                ));
            }
        }
    }
    for stage in context.shipped_stages() {
        for instruction in &stage.instructions {
            for package in instruction.kept_packages() {
                if package.tags.iter().any(|t| t == tag::CRON)
                    && !CONTAINER_FRIENDLY.contains(&package.name.as_str())
                {
                    out.push(context.report(
                        &RULE.meta,
                        package.span,
                        format!("`{}` installs a cron daemon: {BELONGS}", package.name),
                    ));
                }
            }
        }
    }
}

/// `cron -f`, `crond`, `busybox crond`, `service cron start`, `/etc/init.d/cron start`.
fn started(command: &Command) -> Option<(Span, String)> {
    if let Some(found) = shared::service_start(command, &SERVICES) {
        return Some(found);
    }
    let program = command.program()?;
    if program == "busybox" {
        let applet = command.args.first()?;
        return (shared::value_of(applet) == Some("crond")).then(|| {
            (
                command.name.span.cover(applet.span),
                shared::shown(command, 1),
            )
        });
    }
    DAEMONS
        .contains(&program)
        .then(|| (command.name.span, shared::shown(command, 0)))
}
