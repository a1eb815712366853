//! HC006 dev-tools-in-production: editors, compilers, debuggers, network tools or VCS clients
//! stay in a shipped stage.
//!
//! Flags, once per RUN of a shipped stage, the dev-layer packages tagged editor, compiler,
//! build-tool, debugger, network-tool, vcs, process-tool or test-tool that the RUN installs and
//! does not remove again (by name, apk virtual group, or `apt-mark auto` + `purge
//! --auto-remove`). The finding points at the first flagged package word (a span over all of
//! them would also cover the unflagged packages between them); the message names them all. Not flagged: packages of build-only stages; headers (`-dev`) alone;
//! kernels (HC007) and SSH servers (HC002); a tool the image runs as its main process (a
//! `strace` or `git` image ships its tool on purpose).

use crate::model::Layer;
use crate::model::catalog::tag;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::shared;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC006",
        name: "dev-tools-in-production",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::Dev),
        fixable: false,
        default_enabled: true,
        summary: "editors, compilers, debuggers, network tools or VCS clients stay in a shipped stage",
        doc: include_str!("../../../rules/HC006.md"),
    },
    check,
};

/// What a developer uses and production does not need, in the order messages name them.
pub const DEV_TAGS: [&str; 8] = [
    tag::EDITOR,
    tag::COMPILER,
    tag::BUILD_TOOL,
    tag::DEBUGGER,
    tag::NETWORK_TOOL,
    tag::VCS,
    tag::PROCESS_TOOL,
    tag::TEST_TOOL,
];

/// Reported by their own rules.
const OTHER_RULES: [&str; 2] = [tag::KERNEL, tag::SSHD];

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let programs = shared::started_program_names(shared::start_scripts(context));
    for stage in context.shipped_stages() {
        for instruction in &stage.instructions {
            let flagged: Vec<_> = instruction
                .kept_packages()
                .filter(|package| {
                    package.layer == Layer::Dev
                        && package.tags.iter().any(|t| DEV_TAGS.contains(&t.as_str()))
                        && !package
                            .tags
                            .iter()
                            .any(|t| OTHER_RULES.contains(&t.as_str()))
                        && !programs
                            .clone()
                            .any(|program| shared::provides(&package.name, program))
                })
                .collect();
            let Some(first) = flagged.first() else {
                continue;
            };
            let names: Vec<&str> = flagged
                .iter()
                .map(|package| package.name.as_str())
                .collect();
            let kinds: Vec<&str> = DEV_TAGS
                .into_iter()
                .filter(|kind| {
                    flagged
                        .iter()
                        .any(|package| package.tags.iter().any(|t| t == kind))
                })
                .collect();
            let verb = if names.len() == 1 { "stays" } else { "stay" };
            out.push(context.report(
                &RULE.meta,
                first.span,
                format!(
                    "{} ({}) {verb} in the shipped image: install developer tools in the dev \
                     image, and build tools in a build stage (dev layer)",
                    shared::code_list(&names),
                    kinds.join(", ")
                ),
            ));
        }
    }
}
