//! Package caches left in a layer (yum, dnf, zypper): an install that no later clean-up of the
//! same RUN follows.

use crate::rules::{Diagnostic, LintContext, RuleMeta};
use crate::shell::Command;

use super::commands::{head_span, head_text, program, value};
use super::package_operands::{arguments, call};
use super::runs::{Run, has_cache_mount, runs_running};

/// What a "cache not cleaned" rule looks for.
pub struct CacheClean {
    pub programs: &'static [&'static str],
    pub installs: fn(&str) -> bool,
    pub clean_subcommands: &'static [&'static str],
    pub clean_args: &'static [&'static str],
    pub paths: &'static [&'static str],
    pub mounts: &'static [&'static str],
    /// The clean-up command for a program name.
    pub clean: fn(&str) -> String,
}

/// Reports, once per RUN, the first install that no later clean-up of the same RUN follows;
/// the fix (safe) appends the clean-up to the script.
pub fn check_cache_clean(
    context: &LintContext<'_>,
    meta: &RuleMeta,
    rule: &CacheClean,
    out: &mut Vec<Diagnostic>,
) {
    for run in runs_running(context, rule.programs) {
        if has_cache_mount(run.syntax, rule.mounts) {
            continue;
        }
        for command in run.commands_of(rule.programs) {
            let arguments = arguments(command);
            let Some(call) = call(&arguments) else {
                continue;
            };
            if !(rule.installs)(&call.subcommand) || cleans_after(&run, command, rule) {
                continue;
            }
            let clean = (rule.clean)(program(command));
            let mut diagnostic = context.report(
                meta,
                head_span(command, call.word),
                format!(
                    "`{}` leaves its package cache in the layer: run `{clean}` later in the same RUN.",
                    head_text(command, &call.subcommand)
                ),
            );
            diagnostic.fix = run.append_fix(context.dockerfile.escape, &clean);
            out.push(diagnostic);
            break;
        }
    }
}

/// Whether the RUN, after command `after`, cleans the cache: one of the rule's programs run
/// with a clean subcommand (and one of its clean arguments, when it names some), or an `rm`
/// of one of its cache paths.
fn cleans_after(run: &Run<'_>, after: &Command, rule: &CacheClean) -> bool {
    run.commands
        .iter()
        .filter(|command| command.span.start > after.span.start)
        .any(|command| {
            let name = program(command);
            if rule.programs.contains(&name) {
                let arguments = arguments(command);
                let mut operands = arguments.operands.iter().filter_map(|word| value(word));
                let sub = operands.next();
                return sub.is_some_and(|sub| rule.clean_subcommands.contains(&sub))
                    && (rule.clean_args.is_empty()
                        || operands.any(|operand| rule.clean_args.contains(&operand)));
            }
            name == "rm"
                && command
                    .args
                    .iter()
                    .filter_map(|word| value(word))
                    .any(|arg| {
                        rule.paths
                            .iter()
                            .any(|path| arg.trim_end_matches(['*', '/']) == *path)
                    })
        })
}
