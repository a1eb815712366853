//! HC008 ops-agent-baked-in: a logging or monitoring agent is baked into the app image.
//!
//! Flags every package tagged `ops-agent` that a RUN of a shipped stage installs and leaves
//! installed: log shippers (filebeat, fluentd, fluent-bit, vector, promtail), metrics and
//! monitoring agents (datadog-agent, telegraf, collectd, node exporters, zabbix and nagios
//! agents), syslog daemons, logrotate, and language APM libraries the catalog files under ops.
//! Not flagged: an image whose main process *is* the agent (a `fluent-bit` or `telegraf` image
//! is the agent's own container), and monit (HC003 reports supervisors).

use crate::model::Layer;
use crate::model::catalog::tag;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::shared;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC008",
        name: "ops-agent-baked-in",
        severity: Severity::Info,
        family: Family::Heavy,
        layer: Some(Layer::Ops),
        fixable: false,
        default_enabled: true,
        summary: "a logging or monitoring agent is baked into the app image",
        doc: include_str!("../../../rules/HC008.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let programs = shared::started_program_names(shared::start_scripts(context));
    for stage in context.shipped_stages() {
        // The ops layer of a layered stack (`dlayer fix --split` names it `ops`) is where
        // the agent belongs.
        if stage.name.as_deref().is_some_and(is_ops_layer) {
            continue;
        }
        for instruction in &stage.instructions {
            for package in instruction.kept_packages() {
                let has = |wanted: &str| package.tags.iter().any(|t| t == wanted);
                if !has(tag::OPS_AGENT) || has(tag::SUPERVISOR) {
                    continue;
                }
                if programs
                    .clone()
                    .any(|program| shared::provides(&package.name, program))
                {
                    continue;
                }
                out.push(context.report(
                    &RULE.meta,
                    package.span,
                    format!(
                        "`{}` bakes a logging or monitoring agent into the app image: run it \
                         as a sidecar or node agent, or install it in the ops layer image the \
                         app builds on (ops layer)",
                        package.name
                    ),
                ));
            }
        }
    }
}

/// A stage named for the ops layer: `ops`, or `ops-layer`, `ops-layer-3` when the name was taken.
fn is_ops_layer(name: &str) -> bool {
    name == "ops" || name.starts_with("ops-layer")
}
