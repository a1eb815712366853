//! HC012 multiple-services: CMD or ENTRYPOINT starts several long-running services.
//!
//! Reads the image's effective ENTRYPOINT and CMD scripts (through `sh -c`, `exec` and PID-1
//! helpers) and counts what keeps running: `service X start` / `/etc/init.d/X start` /
//! `systemctl start X` / `rc-service X start`, commands sent to the background with `&`,
//! daemons that detach by default when they are not the last command (`nginx` without `daemon
//! off`, `sshd` without `-D`, `php-fpm -D`, `apachectl start`, `redis-server --daemonize yes`,
//! `memcached -d`, `crond`/`rsyslogd` without their foreground flag), and the last command when
//! it is a program rather than a keep-alive (`tail -f`, `sleep infinity`, `wait`). Flags two
//! services or more, and one service kept alive by a keep-alive (the container then watches
//! `tail`, not the service). The span runs from the first service to the last command.

use crate::model::Layer;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::shell::Command;

use super::shared;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC012",
        name: "multiple-services",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::App),
        fixable: false,
        default_enabled: true,
        summary: "CMD or ENTRYPOINT starts several long-running services",
        doc: include_str!("../../../rules/HC012.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for script in shared::start_scripts(context) {
        let top: Vec<&Command> = script
            .commands
            .iter()
            .filter(|command| !command.context.in_substitution && !command.context.in_condition)
            .collect();
        let Some((last, before)) = top.split_last() else {
            continue;
        };
        let mut services: Vec<(&Command, String)> = Vec::new();
        for command in before {
            if let Some(name) = detached_service(command) {
                services.push((command, name));
            }
        }
        let keep_alive = if last.context.background {
            services.extend(detached_service(last).map(|name| (*last, name)));
            None
        } else if let Some(name) = keep_alive(last) {
            Some(name)
        } else {
            if let Some(name) = service_start(last).or_else(|| foreground(last)) {
                services.push((*last, name));
            }
            None
        };
        if services.len() < 2 && !(services.len() == 1 && keep_alive.is_some()) {
            continue;
        }
        let first = services[0].0;
        let span = first.span.cover(last.span);
        let names: Vec<&str> = services.iter().map(|(_, name)| name.as_str()).collect();
        let message = match keep_alive {
            Some(keep) => format!(
                "the container starts {} in the background and keeps itself alive with `{keep}`: \
                 run one service per container in the foreground, so the container lives and \
                 dies with it (app layer)",
                shared::code_list(&names)
            ),
            None => format!(
                "the container starts {} long-running services ({}): run one service per \
                 container in the foreground and compose them with the orchestrator (app layer)",
                names.len(),
                shared::code_list(&names)
            ),
        };
        out.push(context.report(&RULE.meta, span, message));
    }
}

fn args_of(command: &Command) -> Vec<&str> {
    command
        .args
        .iter()
        .map(|word| shared::value_of(word).unwrap_or(""))
        .collect()
}

/// `service NAME start` and friends: the service name.
fn service_start(command: &Command) -> Option<String> {
    let program = command.program()?;
    let args = args_of(command);
    let is_start = |word: &str| matches!(word, "start" | "restart");
    match (program, args.as_slice()) {
        ("service" | "rc-service", [name, action, ..]) if is_start(action) => {
            Some(name.to_string())
        }
        ("systemctl", [action, name, ..]) if is_start(action) => {
            Some(name.trim_end_matches(".service").to_string())
        }
        ("apachectl" | "apache2ctl", [action, ..]) if is_start(action) => Some(program.to_string()),
        (_, [action, ..])
            if is_start(action)
                && command
                    .name
                    .value()
                    .is_some_and(|name| name.starts_with("/etc/init.d/")) =>
        {
            Some(program.to_string())
        }
        _ => None,
    }
}

/// A command that leaves a service running when the script goes on: a service start, a
/// background job, or a daemon that detaches by default.
fn detached_service(command: &Command) -> Option<String> {
    if let Some(name) = service_start(command) {
        return Some(name);
    }
    let program = command.program()?;
    if command.context.background {
        return (!is_keep_alive_program(program)).then(|| program.to_string());
    }
    let args = args_of(command);
    let has = |wanted: &str| args.contains(&wanted);
    let detaches = match program {
        "nginx" => !args.iter().any(|arg| arg.contains("daemon off")),
        "sshd" => !has("-D"),
        "httpd" | "apache2" => args.windows(2).any(|pair| pair == ["-k", "start"]),
        "crond" | "cron" => !has("-f") && !has("-n"),
        "rsyslogd" => !has("-n"),
        "redis-server" => args.windows(2).any(|pair| pair == ["--daemonize", "yes"]),
        "memcached" => has("-d"),
        "mysqld_safe" | "postfix" | "dbus-daemon" => true,
        _ => program.starts_with("php-fpm") && (has("-D") || has("--daemonize")),
    };
    detaches.then(|| program.to_string())
}

/// The last command, when it is a long-running program (not a shell or a keep-alive).
fn foreground(command: &Command) -> Option<String> {
    let program = command.program()?;
    let trivial = matches!(
        program,
        "echo" | "printf" | "true" | "false" | "exit" | "set" | "export" | "cd" | "test" | "["
    );
    (!trivial).then(|| program.to_string())
}

fn is_keep_alive_program(program: &str) -> bool {
    matches!(program, "tail" | "sleep" | "wait" | "read" | "cat")
}

/// `tail -f FILE`, `sleep infinity`, `wait`, `cat`, an interactive shell: what keeps a
/// container alive without being a service.
fn keep_alive(command: &Command) -> Option<String> {
    let program = command.program()?;
    let args = args_of(command);
    let keeps = match program {
        "tail" => args
            .iter()
            .any(|arg| arg.starts_with('-') && (arg.contains('f') || arg.contains('F'))),
        "sleep" => args
            .first()
            .is_some_and(|arg| *arg == "infinity" || arg.parse::<u64>().is_ok_and(|s| s >= 3600)),
        "wait" | "read" => true,
        "cat" => args.is_empty(),
        "bash" | "sh" | "ash" | "zsh" => args.is_empty(),
        _ => false,
    };
    keeps.then(|| match args.first() {
        Some(first) if program == "tail" || program == "sleep" => format!("{program} {first}"),
        _ => program.to_string(),
    })
}
