//! HC009 os-upgrade-in-build: the build upgrades the OS packages of its base image.
//!
//! Flags, in shipped stages, every OS package-manager upgrade of the whole system:
//! `apt-get upgrade|dist-upgrade|full-upgrade`, `yum|dnf|microdnf update|upgrade|distro-sync`
//! without package names, `apk upgrade`, `zypper up|update|dup`, `pacman -Syu`. An upgrade that
//! names its packages (`apk upgrade openssl`, `yum update openssl`) is a targeted fix and is
//! not flagged. The fix (unsafe) removes the command with its `&&`/`;` when that leaves the
//! script equivalent otherwise; a RUN that only upgrades, or where nothing but clean-up would
//! be left (`yum -y update && yum clean all`), is removed whole.

use crate::model::{Action, Ecosystem, InstructionModel, Invocation, Layer};
use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::shell::Command;
use crate::syntax::{Arguments, Span};

use super::shared;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC009",
        name: "os-upgrade-in-build",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::Os),
        fixable: true,
        default_enabled: true,
        summary: "the build upgrades the OS packages of its base image",
        doc: include_str!("../../../rules/HC009.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for stage in context.shipped_stages() {
        for instruction in &stage.instructions {
            let upgrades: Vec<(usize, &Invocation)> = instruction
                .invocations
                .iter()
                .enumerate()
                .filter(|(index, invocation)| is_system_upgrade(instruction, *index, invocation))
                .collect();
            if upgrades.is_empty() {
                continue;
            }
            let commands = shared::commands(context, instruction);
            for (_, invocation) in upgrades {
                let command = commands
                    .get(invocation.command)
                    .filter(|command| command.span == invocation.span);
                let shown = match command {
                    Some(command) => shared::shown(command, command.args.len()),
                    None => context
                        .text(invocation.span)
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                };
                let mut diagnostic = context.report(
                    &RULE.meta,
                    invocation.span,
                    format!(
                        "`{shown}` upgrades the base image's packages in the build: keeping \
                         the OS current is the os layer's job, rebuild on a fresh base image \
                         instead (os layer)"
                    ),
                );
                let whole = command.is_some_and(|command| {
                    only_cleanup_besides(instruction, command)
                        && context.syntax(instruction).heredocs.is_empty()
                        && instruction.script_error.is_none()
                });
                let whole_run = Edit {
                    span: context.syntax(instruction).span,
                    replacement: String::new(),
                };
                diagnostic.fix = command
                    .and_then(|command| {
                        if whole {
                            Some(whole_run)
                        } else {
                            removal(context, instruction, command)
                        }
                    })
                    .map(|edit| Fix {
                        message: format!("Remove `{shown}`"),
                        applicability: Applicability::Unsafe,
                        edits: vec![edit],
                    });
                out.push(diagnostic);
            }
        }
    }
}

/// Directories whose removal is clean-up: caches, package lists, temporary files, logs.
const CLEANUP_PATHS: &[&str] = &[
    "/var/cache/",
    "/var/lib/apt/lists",
    "/var/lib/dnf",
    "/var/lib/yum",
    "/tmp/",
    "/var/tmp/",
    "/var/log/",
    "/root/.cache",
];

/// Whether every command of the RUN but the upgrade `command` only
/// cleans up: a package manager's clean or autoremove, or an `rm` of caches.
fn only_cleanup_besides(instruction: &InstructionModel, command: &Command) -> bool {
    instruction
        .script
        .iter()
        .enumerate()
        .filter(|(_, other)| other.span != command.span)
        .all(|(index, other)| {
            let action = instruction
                .invocations
                .iter()
                .find(|invocation| invocation.command == index)
                .map(|invocation| invocation.action);
            let is_cleanup_rm = other.program() == Some("rm")
                && other.args.iter().any(|arg| !arg.raw.starts_with('-'))
                && other.args.iter().all(|arg| {
                    arg.raw.starts_with('-')
                        || CLEANUP_PATHS
                            .iter()
                            .any(|path| format!("{}/", arg.raw).starts_with(path))
                });
            action == Some(Action::Clean) || is_cleanup_rm
        })
}

/// An OS package manager upgrading everything (no package names).
fn is_system_upgrade(
    instruction: &InstructionModel,
    index: usize,
    invocation: &Invocation,
) -> bool {
    let os = matches!(
        invocation.ecosystem,
        Some(Ecosystem::Deb | Ecosystem::Rpm | Ecosystem::Apk | Ecosystem::Pacman)
    );
    let names_packages = instruction
        .packages
        .iter()
        .any(|package| package.invocation == index);
    os && invocation.action == Action::Upgrade && !names_packages
}

/// What separates the command from its neighbours in the script.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Neighbour {
    /// The script starts or ends here.
    Edge,
    /// `&&` at this span.
    And(Span),
    /// `;` at this span.
    Semicolon(Span),
    Other,
}

/// The edit that removes `command` from its RUN with the operator that joins it, when the rest
/// of the script keeps its meaning: `A && B && C` → `A && C`, `A; B && C` → `A; C`,
/// `A && B; C` → `A; C`, `A && B` → `A`; a RUN of `B` alone goes whole.
fn removal(
    context: &LintContext<'_>,
    instruction: &InstructionModel,
    command: &Command,
) -> Option<Edit> {
    let syntax = context.syntax(instruction);
    if instruction.script_error.is_some() {
        return None;
    }
    let token = match &syntax.arguments {
        Arguments::Shell(token) => token,
        // `RUN ["apt-get", "upgrade", "-y"]`: the instruction is the command.
        Arguments::Exec(argv) => {
            let whole = argv.first()?.span.cover(argv.last()?.span);
            return (whole == command.span).then(|| Edit {
                span: syntax.span,
                replacement: String::new(),
            });
        }
        _ => return None,
    };
    let plain = command.context.is_plain();
    if !plain || !syntax.heredocs.is_empty() || !token.span.contains(command.span) {
        return None;
    }
    let script = Script {
        source: &context.dockerfile.source,
        span: token.span,
        escape: context.dockerfile.escape,
    };
    let before = script.back(command.span.start)?;
    let after = script.forward(command.span.end)?;
    let (start, end) = match (script.before(before), script.after(after)) {
        (Neighbour::Edge, Neighbour::Edge) => {
            return Some(Edit {
                span: syntax.span,
                replacement: String::new(),
            });
        }
        (Neighbour::Edge | Neighbour::Semicolon(_) | Neighbour::And(_), Neighbour::And(op))
        | (Neighbour::Edge | Neighbour::Semicolon(_), Neighbour::Semicolon(op)) => {
            (command.span.start, script.forward(op.end)?)
        }
        (Neighbour::And(op), Neighbour::Semicolon(_) | Neighbour::Edge)
        | (Neighbour::Semicolon(op), Neighbour::Edge) => (script.back(op.start)?, command.span.end),
        _ => return None,
    };
    Some(Edit {
        span: Span::new(start, end),
        replacement: String::new(),
    })
}

/// The source bytes of a shell-form RUN's script, for scanning around a command.
struct Script<'a> {
    source: &'a str,
    span: Span,
    escape: char,
}

impl Script<'_> {
    /// Past blanks, line continuations and the comment or empty lines BuildKit drops inside
    /// them; `None` when something else (a lone newline) is met.
    fn forward(&self, mut at: usize) -> Option<usize> {
        let bytes = self.source.as_bytes();
        let escape = self.escape as u8;
        while at < self.span.end {
            match bytes[at] {
                b' ' | b'\t' => at += 1,
                byte if byte == escape => {
                    let rest = &self.source[at + 1..self.span.end];
                    let line_end = rest.find('\n')?;
                    if !rest[..line_end].trim().is_empty() {
                        return Some(at);
                    }
                    at += 1 + line_end + 1;
                    // Comment and empty lines inside the continuation.
                    loop {
                        let line = &self.source[at..self.span.end];
                        let trimmed = line.trim_start_matches([' ', '\t']);
                        let is_dropped = trimmed.starts_with('#')
                            || trimmed.starts_with('\n')
                            || trimmed.starts_with("\r\n");
                        match line.find('\n') {
                            Some(end) if is_dropped => at += end + 1,
                            _ => break,
                        }
                    }
                }
                b'\n' | b'\r' => return None,
                _ => return Some(at),
            }
        }
        Some(at)
    }

    /// Back over blanks and line continuations (and dropped comment lines) from `at`.
    fn back(&self, mut at: usize) -> Option<usize> {
        let bytes = self.source.as_bytes();
        let escape = self.escape as u8;
        while at > self.span.start {
            match bytes[at - 1] {
                b' ' | b'\t' => at -= 1,
                b'\n' => {
                    // The line before must end with the escape, or be a dropped comment line.
                    let line_start = self.source[..at - 1].rfind('\n').map_or(0, |i| i + 1);
                    let line = self.source[line_start..at - 1].trim_end_matches(['\r', ' ', '\t']);
                    if line.trim_start().starts_with('#') || line.trim().is_empty() {
                        at = line_start;
                    } else if line.as_bytes().last() == Some(&escape) {
                        at = line_start + line.len() - 1;
                    } else {
                        return None;
                    }
                    if at < self.span.start {
                        return None;
                    }
                }
                _ => return Some(at),
            }
        }
        Some(at)
    }

    /// The operator ending just before `at`.
    fn before(&self, at: usize) -> Neighbour {
        let text = &self.source[self.span.start..at];
        if text.is_empty() {
            Neighbour::Edge
        } else if text.ends_with("&&") {
            Neighbour::And(Span::new(at - 2, at))
        } else if text.ends_with(';') && !text.ends_with(";;") {
            Neighbour::Semicolon(Span::new(at - 1, at))
        } else {
            Neighbour::Other
        }
    }

    /// The operator starting at `at`.
    fn after(&self, at: usize) -> Neighbour {
        let text = &self.source[at..self.span.end];
        if text.is_empty() {
            Neighbour::Edge
        } else if text.starts_with("&&") {
            Neighbour::And(Span::new(at, at + 2))
        } else if text.starts_with(';') && !text.starts_with(";;") {
            Neighbour::Semicolon(Span::new(at, at + 1))
        } else {
            Neighbour::Other
        }
    }
}
