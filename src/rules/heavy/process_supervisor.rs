//! HC003 process-supervisor: a process supervisor or init system runs as the main process, or
//! is installed for that.
//!
//! Flags the image's ENTRYPOINT/CMD when it starts a supervisor (supervisord, runit, s6,
//! daemontools, monit, circus, honcho/foreman, pm2/forever, my_init) or an init system
//! (systemd, `/sbin/init`, OpenRC), seen through `exec`, `sh -c` and PID-1 helpers, and
//! s6-overlay's `/init` when the file shows s6-overlay. Flags packages tagged `supervisor` left
//! installed in a shipped stage (they have no other use), and packages tagged `init` when the
//! image boots an init system (systemd is otherwise often a dependency: udev, `systemctl`,
//! tmpfiles). The PID-1 helpers (tini, dumb-init, catatonit) are the right init for a
//! container and never flagged.

use crate::model::Layer;
use crate::model::catalog::tag;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::shell::Command;

use super::shared;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC003",
        name: "process-supervisor",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::Runtime),
        fixable: false,
        default_enabled: true,
        summary: "a process supervisor or init system runs as the main process or is installed for that",
        doc: include_str!("../../../rules/HC003.md"),
    },
    check,
};

/// Programs that supervise several services.
const SUPERVISORS: [&str; 18] = [
    "supervisord",
    "runsvdir",
    "runit",
    "runit-init",
    "s6-svscan",
    "s6-linux-init",
    "svscan",
    "svscanboot",
    "monit",
    "circusd",
    "honcho",
    "foreman",
    "god",
    "eye",
    "pm2",
    "forever",
    "my_init",
    "runit_bootstrap",
];

/// Programs that boot an init system (`/init` alone is s6-overlay's, see below).
const INIT_SYSTEMS: [&str; 4] = ["systemd", "init", "openrc-init", "upstart"];

/// Where s6-overlay shows itself in a Dockerfile: its tarballs, package, configuration.
const S6_EVIDENCE: [&str; 4] = [
    "s6-overlay",
    "/etc/services.d",
    "/etc/s6",
    "/etc/cont-init.d",
];

enum Kind {
    Supervisor,
    Init,
    S6Overlay,
}

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // Read only for a start command of `/init`: most files have none.
    let s6 = std::cell::LazyCell::new(|| shows_s6_overlay(context));
    let mut boots_init = false;
    for script in shared::start_scripts(context) {
        for command in &script.commands {
            let Some(kind) = classify(command, || *s6) else {
                continue;
            };
            boots_init |= matches!(kind, Kind::Init);
            let name = shared::shown(command, 0);
            let (message, layer) = match kind {
                Kind::Supervisor => (
                    format!(
                        "`{name}` supervises services as the container's main process: run one \
                         service per container in the foreground and let the orchestrator \
                         restart it (runtime layer)"
                    ),
                    Layer::Runtime,
                ),
                Kind::Init => (
                    format!(
                        "`{name}` boots an init system as the container's main process: run the \
                         service itself in the foreground, under `tini` if it needs a reaper \
                         (os layer)"
                    ),
                    Layer::Os,
                ),
                Kind::S6Overlay => (
                    format!(
                        "`{name}` starts s6-overlay's supervision tree as the container's main \
                         process: run one service per container in the foreground (runtime \
                         layer)"
                    ),
                    Layer::Runtime,
                ),
            };
            let mut diagnostic = context.report(&RULE.meta, command.name.span, message);
            diagnostic.layer = Some(layer);
            out.push(diagnostic);
        }
    }
    for stage in context.shipped_stages() {
        for instruction in &stage.instructions {
            for package in instruction.kept_packages() {
                let has = |wanted: &str| package.tags.iter().any(|t| t == wanted);
                let what = if has(tag::SUPERVISOR) {
                    "a process supervisor: run one service per container in the foreground and \
                     let the orchestrator restart it"
                } else if has(tag::INIT) && boots_init {
                    "an init system: a container runs its service, not an init (`tini` is the \
                     PID 1 when one is needed)"
                } else {
                    continue;
                };
                // Asked of supervisors and inits only, after their tags: most packages are none.
                if shared::PID1_HELPERS.contains(&package.name.as_str()) {
                    continue;
                }
                let mut diagnostic = context.report(
                    &RULE.meta,
                    package.span,
                    format!(
                        "`{}` installs {what} ({} layer)",
                        package.name, package.layer
                    ),
                );
                diagnostic.layer = Some(package.layer);
                out.push(diagnostic);
            }
        }
    }
}

/// What the command starts; `s6` tells whether the file shows s6-overlay.
fn classify(command: &Command, s6: impl FnOnce() -> bool) -> Option<Kind> {
    let written = command.name.value()?;
    let program = command.program()?;
    if written == "/init" {
        return s6().then_some(Kind::S6Overlay);
    }
    if SUPERVISORS.contains(&program) {
        // `foreman start` and `honcho start` run a Procfile; their other subcommands do not.
        if matches!(program, "foreman" | "honcho")
            && command.args.first().and_then(shared::value_of) != Some("start")
        {
            return None;
        }
        return Some(Kind::Supervisor);
    }
    INIT_SYSTEMS.contains(&program).then_some(Kind::Init)
}

/// s6-overlay installed or configured in a shipped stage, or a base image built on it.
fn shows_s6_overlay(context: &LintContext<'_>) -> bool {
    context.shipped_stages().any(|stage| {
        let base = &stage.base.repository;
        base.contains("linuxserver/")
            || base.contains("lsiobase/")
            || base.contains("s6")
            || stage.instructions.iter().any(|instruction| {
                let text = context.text(instruction.span);
                S6_EVIDENCE.iter().any(|evidence| text.contains(evidence))
            })
    })
}
