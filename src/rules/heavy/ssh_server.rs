//! HC002 ssh-server: an SSH server is installed, prepared, exposed or started.
//!
//! Flags, in shipped stages: a package tagged `sshd` left installed (openssh-server, dropbear,
//! the `ssh` and apk `openssh` metapackages); the server started by the image's
//! ENTRYPOINT/CMD or by a RUN (`sshd -D`, `dropbear`, `service ssh start`); the server
//! prepared by a RUN (host keys generated, `/var/run/sshd` created, `sshd_config` edited, the
//! service enabled: one finding per RUN); `sshd_config` copied in; `EXPOSE 22`.

use crate::model::Layer;
use crate::model::catalog::tag;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::shell::Command;
use crate::syntax::{Arguments, Keyword, Span, Token};

use super::shared;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC002",
        name: "ssh-server",
        severity: Severity::Error,
        family: Family::Heavy,
        layer: Some(Layer::Dev),
        fixable: false,
        default_enabled: true,
        summary: "an SSH server is installed, prepared, exposed or started",
        doc: include_str!("../../../rules/HC002.md"),
    },
    check,
};

const SERVICES: [&str; 4] = ["ssh", "sshd", "dropbear", "openssh"];
const RUNTIME_DIRS: [&str; 4] = ["/var/run/sshd", "/run/sshd", "/var/run/sshd/", "/run/sshd/"];

/// Every message ends with where the thing belongs.
const BELONGS: &str =
    "use `docker exec` for a shell; an SSH server belongs in the dev image at most (dev layer)";

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut report = |span: Span, what: String| {
        out.push(context.report(
            &RULE.meta,
            span,
            crate::rules::message(&[&what, ": ", BELONGS]),
        ));
    };
    for script in shared::start_scripts(context) {
        for command in &script.commands {
            if let Some((span, shown)) = started(command) {
                report(
                    span,
                    format!("the container starts an SSH server (`{shown}`)"),
                );
            }
        }
    }
    for stage in context.shipped_stages() {
        for instruction in &stage.instructions {
            let syntax = context.syntax(instruction);
            match syntax.kind {
                Keyword::Run => {
                    for package in instruction.kept_packages() {
                        if package.tags.iter().any(|t| t == tag::SSHD) {
                            // Metapackages that bring the server along with the client.
                            let client = if matches!(package.name.as_str(), "ssh" | "openssh") {
                                " (install `openssh-client` when only the client is needed)"
                            } else {
                                ""
                            };
                            report(
                                package.span,
                                format!("`{}` installs an SSH server{client}", package.name),
                            );
                        }
                    }
                    let commands = shared::commands(context, instruction);
                    for command in commands {
                        if let Some((span, shown)) = started(command) {
                            report(span, format!("`{shown}` starts an SSH server"));
                        }
                    }
                    if let Some((span, what)) = commands.iter().find_map(prepared) {
                        report(span, format!("{what} prepares an SSH server"));
                    }
                }
                Keyword::Copy | Keyword::Add => {
                    let words: &[Token] = match &syntax.arguments {
                        Arguments::Words(words) | Arguments::Exec(words) => words,
                        _ => &[],
                    };
                    if let [sources @ .., destination] = words
                        && !sources.is_empty()
                        && (is_ssh_path(&destination.text)
                            || destination.text.starts_with("/etc/ssh")
                                && sources
                                    .iter()
                                    .any(|source| source.text.contains("sshd_config")))
                    {
                        report(
                            destination.span,
                            format!(
                                "copying into `{}` configures an SSH server",
                                destination.text
                            ),
                        );
                    }
                }
                Keyword::Expose => {
                    if let Arguments::Words(ports) = &syntax.arguments {
                        for port in ports {
                            if port.text.split('/').next() == Some("22") {
                                report(port.span, format!("`EXPOSE {}` publishes SSH", port.text));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// `sshd -D`, `/usr/sbin/dropbear -F`, `service ssh start`, `/etc/init.d/ssh start`,
/// `rc-service sshd start`, `systemctl start sshd`: the span of what starts the server.
fn started(command: &Command) -> Option<(Span, String)> {
    if let Some(found) = shared::service_start(command, &SERVICES) {
        return Some(found);
    }
    matches!(command.program()?, "sshd" | "dropbear")
        .then(|| (command.name.span, shared::shown(command, 0)))
}

/// Host keys generated, the privilege-separation directory created, `sshd_config` edited,
/// the service enabled: the first word that says so, and how to name it.
fn prepared(command: &Command) -> Option<(Span, String)> {
    let program = command.program()?;
    // The words' static values, read in place (most commands prepare nothing).
    let args = || {
        command
            .args
            .iter()
            .map(|word| (word, shared::value_of(word).unwrap_or("")))
    };
    match program {
        "sshd-keygen" | "dropbearkey" => {
            return Some((command.name.span, format!("`{program}`")));
        }
        "ssh-keygen"
            if args().any(|(_, arg)| arg == "-A")
                || args().any(|(_, arg)| arg.contains("/etc/ssh/ssh_host_")) =>
        {
            return Some((command.name.span, "`ssh-keygen` of host keys".into()));
        }
        "systemctl" | "chkconfig" | "rc-update" | "update-rc.d" => {
            let enables =
                args().any(|(_, arg)| matches!(arg, "enable" | "on" | "add" | "defaults"));
            let service =
                args().find(|(_, value)| SERVICES.contains(&value.trim_end_matches(".service")));
            return match service {
                Some((word, value)) if enables => {
                    Some((word.span, format!("`{program}` enabling `{value}`")))
                }
                _ => None,
            };
        }
        _ => {}
    }
    command.args.iter().find_map(|word| {
        let value = shared::value_of(word).filter(|value| is_ssh_path(value))?;
        Some((word.span, format!("`{program}` on `{value}`")))
    })
}

/// The `sshd_config` files' prefix: any path starting so is one.
const CONFIG: &str = "/etc/ssh/sshd_config";

fn is_ssh_path(path: &str) -> bool {
    // Every path below starts `/e`, `/r` or `/v` (a test checks it): most words are passed
    // over at their first two bytes.
    matches!(path.as_bytes(), [b'/', b'e' | b'r' | b'v', ..])
        && (RUNTIME_DIRS.contains(&path) || path.starts_with(CONFIG))
}

#[cfg(test)]
mod tests {
    use super::{CONFIG, RUNTIME_DIRS, is_ssh_path};

    /// [`is_ssh_path`] passes over words at their first two bytes: every path it knows must
    /// get past that test.
    #[test]
    fn every_ssh_path_is_recognised() {
        for path in RUNTIME_DIRS.into_iter().chain([CONFIG]) {
            assert!(is_ssh_path(path), "{path}");
        }
        assert!(is_ssh_path("/etc/ssh/sshd_config.d/x.conf"));
        assert!(!is_ssh_path("/etc/ssh/ssh_config"));
        assert!(!is_ssh_path("/var/run"));
    }
}
