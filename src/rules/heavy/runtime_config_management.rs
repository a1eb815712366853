//! HC005 runtime-config-management: a configuration-management agent runs at container start
//! or stays installed.
//!
//! Flags a configuration-management run started by the image's ENTRYPOINT/CMD (`puppet agent`,
//! `puppet apply`, `chef-client`, `chef-solo`, `salt-minion`, `salt-call`, `ansible-pull`,
//! `ansible-playbook` against the container itself, `cf-agent`, or their services), and an
//! agent package (tagged
//! `cm-agent`) installed in a shipped stage and never removed afterwards. Running a tool at
//! build time and removing it is the right way and is not flagged; agentless tools (ansible,
//! salt-ssh) and CM servers (puppetserver, salt-master: the image *is* the server) are not
//! agents.

use crate::model::catalog::tag;
use crate::model::{Action, Layer};
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::shell::Command;
use crate::syntax::Span;

use super::shared;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC005",
        name: "runtime-config-management",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::Ops),
        fixable: false,
        default_enabled: true,
        summary: "a configuration-management agent runs at container start or stays installed",
        doc: include_str!("../../../rules/HC005.md"),
    },
    check,
};

/// Configuration-management runs: each is a finding when the container starts it.
const RUNNERS: [&str; 16] = [
    "puppet",
    "puppetd",
    "chef-client",
    "chef-solo",
    "chef-zero",
    "cinc-client",
    "cinc-solo",
    "salt-minion",
    "salt-call",
    "ansible-pull",
    "ansible-playbook",
    "ansible",
    "cf-agent",
    "cf-execd",
    "cf-monitord",
    "knife",
];

/// Services of agents, as `service NAME start` names them.
const SERVICES: [&str; 6] = [
    "puppet",
    "puppet-agent",
    "chef-client",
    "salt-minion",
    "cfengine3",
    "cf-execd",
];

/// cm-agent packages that run no agent: agentless tools and libraries.
const NOT_AGENTS: [&str; 6] = [
    "ansible",
    "ansible-core",
    "salt-ssh",
    "salt-common",
    "augeas",
    "ohai",
];

const BELONGS: &str = "apply configuration at build time and remove the tool, so the image is the configured result (ops layer)";

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for script in shared::start_scripts(context) {
        for command in &script.commands {
            if let Some((span, shown)) = runs_cm(command) {
                out.push(context.report(
                    &RULE.meta,
                    span,
                    format!(
                        "the container runs configuration management at start (`{shown}`): \
                         {BELONGS}"
                    ),
                ));
            }
        }
    }
    let runs: Vec<_> = context
        .shipped_stages()
        .flat_map(|stage| &stage.instructions)
        .filter(|instruction| instruction.keyword == "RUN")
        .collect();
    for (position, instruction) in runs.iter().enumerate() {
        for package in instruction.kept_packages() {
            let is_agent = package.tags.iter().any(|t| t == tag::CM_AGENT)
                && !package.tags.iter().any(|t| t == tag::SERVER)
                && !NOT_AGENTS.contains(&package.name.as_str());
            // Removed by a later RUN of the shipped image: applied at build time, then gone.
            // Asked of agents only: it reads every package of every later RUN.
            let removed = || {
                runs[position + 1..].iter().any(|later| {
                    later.packages.iter().any(|removal| {
                        removal.action == Action::Remove && removal.name == package.name
                    })
                })
            };
            if is_agent && !removed() {
                out.push(context.report(
                    &RULE.meta,
                    package.span,
                    format!(
                        "`{}` stays installed as a configuration-management agent: {BELONGS}",
                        package.name
                    ),
                ));
            }
        }
    }
}

/// `puppet agent -t`, `chef-client`, `salt-call state.apply`, `ansible-pull`,
/// `ansible-playbook -c local`, `service puppet start`: the span from the command word to its
/// subcommand, and the command as shown in messages. `ansible` and `ansible-playbook` push to
/// other machines unless they target the container itself (`-c local`, `localhost`).
fn runs_cm(command: &Command) -> Option<(Span, String)> {
    if let Some(found) = shared::service_start(command, &SERVICES) {
        return Some(found);
    }
    let program = command.program()?;
    if !RUNNERS.contains(&program) {
        return None;
    }
    let args: Vec<&str> = command
        .args
        .iter()
        .map(|word| shared::value_of(word).unwrap_or(""))
        .collect();
    let with_subcommand = || {
        let first = command.args.first()?;
        Some((
            command.name.span.cover(first.span),
            shared::shown(command, 1),
        ))
    };
    match (program, args.first().copied()) {
        ("puppet", Some("agent" | "apply")) => with_subcommand(),
        // Other puppet subcommands (`module`, `config`, `--version`) change no system.
        ("puppet", _) => None,
        ("knife", Some("zero" | "solo")) => with_subcommand(),
        ("knife", _) => None,
        ("ansible" | "ansible-playbook", _) => {
            let local = args.windows(2).any(|pair| pair == ["-c", "local"])
                || args
                    .windows(2)
                    .any(|pair| pair == ["--connection", "local"])
                || args.iter().any(|arg| {
                    *arg == "--connection=local"
                        || *arg == "-clocal"
                        || arg
                            .split(',')
                            .any(|host| host == "localhost" || host == "127.0.0.1")
                });
            local.then(|| (command.name.span, shared::shown(command, 0)))
        }
        _ => Some((command.name.span, shared::shown(command, 0))),
    }
}
