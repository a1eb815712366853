//! yum, dnf and microdnf: `-y`, version pins and cleaning the package cache.

pub(super) mod dl3030_yum_assume_yes;
pub(super) mod dl3032_yum_clean_all;
pub(super) mod dl3033_yum_pin_versions;
pub(super) mod dl3038_dnf_assume_yes;
pub(super) mod dl3040_dnf_clean_all;
pub(super) mod dl3041_dnf_pin_versions;

use crate::model::pins_version;
use crate::rules::{Diagnostic, LintContext, RuleMeta};

use super::commands::{has_option, head_span, head_text};
use super::package_operands::{arguments, call, is_path_or_file, pin_hint, report_unpinned};
use super::runs::runs_running;

/// The install subcommands of yum and dnf.
pub fn is_install(subcommand: &str) -> bool {
    matches!(
        subcommand,
        "install" | "in" | "groupinstall" | "localinstall" | "group install" | "groups install"
    )
}

/// DL3030/DL3038: an install by one of `programs` without `-y`.
pub fn report_install_without_yes(
    context: &LintContext<'_>,
    out: &mut Vec<Diagnostic>,
    rule: &RuleMeta,
    programs: &[&str],
) {
    for run in runs_running(context, programs) {
        for command in run.commands_of(programs) {
            let arguments = arguments(command);
            let Some(call) = call(&arguments) else {
                continue;
            };
            if !is_install(&call.subcommand) || has_option(&arguments, &["y", "assumeyes"]) {
                continue;
            }
            out.push(context.report(
                rule,
                head_span(command, call.word),
                format!(
                    "Add `-y` to `{}` so it does not wait for a confirmation.",
                    head_text(command, &call.subcommand)
                ),
            ));
        }
    }
}

/// DL3033/DL3041: packages an install by one of `programs` names without `-version`.
pub fn report_unpinned_packages(
    context: &LintContext<'_>,
    out: &mut Vec<Diagnostic>,
    rule: &RuleMeta,
    programs: &[&str],
) {
    for run in runs_running(context, programs) {
        for command in run.commands_of(programs) {
            let arguments = arguments(command);
            let Some(call) = call(&arguments) else {
                continue;
            };
            if call.subcommand == "module install" {
                report_unpinned_modules(context, out, rule, &run, command, &call.operands);
                continue;
            }
            if !is_install(&call.subcommand) || call.grouped {
                continue;
            }
            report_unpinned(
                context,
                out,
                rule,
                &run,
                command,
                &call.operands,
                |text| {
                    text.starts_with('@')
                        || is_path_or_file(text, &[".rpm"])
                        || pins_version("yum", text)
                },
                |text, through| pin_hint(text, "", through, "-"),
            );
        }
    }
}

/// `yum module install name`: a module is pinned by its stream (`name:stream`).
fn report_unpinned_modules(
    context: &LintContext<'_>,
    out: &mut Vec<Diagnostic>,
    rule: &RuleMeta,
    run: &super::runs::Run<'_>,
    command: &crate::shell::Command,
    operands: &[&crate::shell::Word],
) {
    report_unpinned(
        context,
        out,
        rule,
        run,
        command,
        operands,
        |text| text.contains(':') || is_path_or_file(text, &[".yaml"]),
        |text, through| {
            crate::rules::message(&[
                "Pin the stream of module `",
                text,
                "`",
                through,
                ", e.g. `",
                text,
                ":<stream>`.",
            ])
        },
    );
}
