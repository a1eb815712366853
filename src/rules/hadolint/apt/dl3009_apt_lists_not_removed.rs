//! DL3009 apt-lists-not-removed: `apt-get update` leaves the apt package lists in the layer.
//!
//! A RUN that runs `apt-get update` (or `apt update`, `aptitude update`), which downloads the
//! lists, must remove `/var/lib/apt/lists` later in the same RUN
//! (`rm -rf /var/lib/apt/lists/*`, or `apt-get distclean`/`dist-clean`), or keep the lists out of the layer
//! with a cache or tmpfs mount of `/var/lib/apt/lists` (or `/var/lib/apt`). Only stages whose
//! content ships in the image are checked: the target and the stages it is built FROM (an
//! `ONBUILD RUN` in any stage, as it runs in the images built on this one). One
//! finding per RUN, at its first `apt-get update`. ONBUILD-aware.
//!
//! The fix appends ` && rm -rf /var/lib/apt/lists/*` to a plain shell-form script that parses.
//! It is safe only when nothing later needs the lists: no later command of the stage, nor of
//! a stage built FROM it, reads them (`apt-get install`, `apt-cache`, ...) before an
//! `apt-get update` or a removal of its own. Otherwise the fix (unsafe) also runs
//! `apt-get update &&` before each command that would need them, when that command's RUN
//! removes the lists after it; otherwise (or when the command cannot be edited: a script that
//! does not parse, inside `sh -c`, after `||`, ...) the fix is display-only.

use crate::model::Stage;
use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};
use crate::shell::Command;
use crate::syntax::{Arguments, Span};

use super::Apt;
use crate::rules::hadolint::commands::{program, value};
use crate::rules::hadolint::package_operands::{arguments, call};
use crate::rules::hadolint::runs::{Run, has_cache_mount, runs, runs_running};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3009",
        name: "apt-lists-not-removed",
        severity: Severity::Info,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "apt lists not removed after apt-get install",
        doc: include_str!("../../../../rules/DL3009.md"),
    },
    check,
};

const LISTS: &str = "/var/lib/apt/lists";

/// The programs whose `update` downloads the package lists: apt-get, apt, aptitude.
const INSTALLERS: &[&str] = &["apt-get", "apt", "aptitude"];

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // Every script, for the fixes to look past the RUN they fix: collected at the first
    // finding, as most files have none.
    let mut all: Option<Scripts> = None;
    // Only a script running an installer can run its `update`.
    for run in runs_running(context, INSTALLERS) {
        // An ONBUILD trigger runs in whatever image builds on this one: checked in any stage.
        let shipped = run.stage.shipped || run.onbuild;
        if !shipped || has_cache_mount(run.syntax, &[LISTS, "/var/lib/apt"]) {
            continue;
        }
        // The subcommand alone is read of every command; only the update is parsed.
        let Some((index, apt)) = run
            .commands
            .iter()
            .position(|command| {
                Apt::subcommand_of(command, INSTALLERS).and_then(value) == Some("update")
            })
            .and_then(|index| Some((index, Apt::parse_as(&run.commands[index], INSTALLERS)?)))
        else {
            continue;
        };
        if run.commands[index + 1..].iter().any(removes_lists) {
            continue;
        }
        let mut diagnostic = context.report(
            &RULE.meta,
            apt.head_span(),
            "the apt package lists this update downloads stay in the layer: remove \
             `/var/lib/apt/lists/*` in the same RUN after installing",
        );
        let all = all.get_or_insert_with(|| Scripts::of(context));
        diagnostic.fix = removal_fix(context, &run, all);
        out.push(diagnostic);
    }
}

/// The fix removing the lists at the end of `run`: safe when nothing later needs them, else
/// with `apt-get update` run before each later command that would (unsafe), else display-only.
fn removal_fix(context: &LintContext<'_>, run: &Run<'_>, all: &Scripts<'_>) -> Option<Fix> {
    let mut fix = run.append_fix(context.dockerfile.escape, "rm -rf /var/lib/apt/lists/*")?;
    let needers = later_needers(context, all, run.stage, Some(run.index));
    if needers.is_empty() {
        return Some(fix);
    }
    let refreshes: Option<Vec<Edit>> = needers
        .iter()
        .map(|needer| refresh_before(context, needer))
        .collect();
    match refreshes {
        Some(edits) => {
            fix.message = format!(
                "{} and run `apt-get update` before the later {} the lists",
                fix.message,
                if edits.len() == 1 {
                    "command that needs"
                } else {
                    "commands that need"
                }
            );
            fix.applicability = Applicability::Unsafe;
            fix.edits.extend(edits);
        }
        None => {
            fix.message = format!(
                "{} (a later command needs the lists: run `apt-get update` there first)",
                fix.message
            );
            fix.applicability = Applicability::DisplayOnly;
        }
    }
    Some(fix)
}

/// Every script of the file, in order, and the stages built FROM each stage: what a fix looks
/// through for later commands that need the lists.
struct Scripts<'a> {
    runs: Vec<Run<'a>>,
    /// The indices of the stages built FROM each stage.
    children: Vec<Vec<usize>>,
}

impl<'a> Scripts<'a> {
    fn of(context: &'a LintContext<'_>) -> Self {
        let stages = &context.model.stages;
        let mut children = vec![Vec::new(); stages.len()];
        for child in stages {
            if let Some(base) = child.base.stage {
                children[base].push(child.index);
            }
        }
        Scripts {
            runs: runs(context).collect(),
            children,
        }
    }

    /// The scripts of `stage` after its instruction `after` (`None`: all of them). The runs
    /// are in (stage, instruction) order: found by a binary search, as a scan from the first
    /// script for every finding was quadratic in long files.
    fn of_stage_after(&self, stage: usize, after: Option<usize>) -> &[Run<'a>] {
        let start = self.runs.partition_point(|run| {
            run.stage.index < stage
                || (run.stage.index == stage && after.is_some_and(|after| run.index <= after))
        });
        let end = self.runs.partition_point(|run| run.stage.index <= stage);
        &self.runs[start..end]
    }
}

/// A later command that would find no package lists once they are removed.
struct Needer<'r, 'a> {
    run: &'r Run<'a>,
    /// `None`: a script that is not analysed but may run apt.
    command: Option<&'r Command>,
}

/// What a command does with the apt package lists.
#[derive(PartialEq, Eq)]
enum ListsUse {
    /// Downloads them afresh (`apt-get update`).
    Refresh,
    /// Removes them.
    Remove,
    /// Reads them (`apt-get install`, `apt-cache policy`, ...).
    Read,
    Nothing,
}

fn lists_use(command: &Command) -> ListsUse {
    if removes_lists(command) {
        return ListsUse::Remove;
    }
    let subcommand = || {
        call(&arguments(command))
            .map(|call| call.subcommand)
            .unwrap_or_default()
    };
    match program(command) {
        "apt-get" | "apt" | "aptitude" => match &*subcommand() {
            "update" => ListsUse::Refresh,
            "install" | "reinstall" | "build-dep" | "source" | "download" | "upgrade"
            | "dist-upgrade" | "full-upgrade" | "safe-upgrade" | "satisfy" | "search" | "show"
            | "policy" | "list" | "showsrc" | "changelog" => ListsUse::Read,
            _ => ListsUse::Nothing,
        },
        "apt-cache" => ListsUse::Read,
        _ => ListsUse::Nothing,
    }
}

/// The first commands needing the lists, after instruction `after` of `stage` (`None`: from
/// its start), before anything refreshes or removes them: in the stage, then along every
/// stage built FROM it.
fn later_needers<'r, 'a>(
    context: &LintContext<'a>,
    all: &'r Scripts<'a>,
    stage: &Stage,
    after: Option<usize>,
) -> Vec<Needer<'r, 'a>> {
    for run in all.of_stage_after(stage.index, after) {
        if has_cache_mount(run.syntax, &[LISTS, "/var/lib/apt"]) {
            continue;
        }
        if !run.parses() {
            if context.text(run.syntax.span).contains("apt") {
                return vec![Needer { run, command: None }];
            }
            continue;
        }
        for command in run.commands.iter() {
            match lists_use(command) {
                ListsUse::Read => {
                    return vec![Needer {
                        run,
                        command: Some(command),
                    }];
                }
                ListsUse::Refresh | ListsUse::Remove => return Vec::new(),
                ListsUse::Nothing => {}
            }
        }
    }
    all.children[stage.index]
        .iter()
        .flat_map(|&child| later_needers(context, all, &context.model.stages[child], None))
        .collect()
}

/// `apt-get update && ` inserted before a needing command, with the command's own assignments
/// and wrappers (`sudo`), when the command is a plain one of a shell-form script.
fn refresh_before(context: &LintContext<'_>, needer: &Needer<'_, '_>) -> Option<Edit> {
    let command = needer.command?;
    let run = needer.run;
    let plain = command.context.is_plain();
    // The refresh must not leave lists of its own behind (a new finding, and fixes that would
    // chain from RUN to RUN): the RUN has to remove them after the command.
    let removes_after = run
        .commands
        .iter()
        .any(|later| later.span.start > command.span.end && removes_lists(later));
    if !removes_after {
        return None;
    }
    let Arguments::Shell(token) = &run.syntax.arguments else {
        return None;
    };
    if !plain
        || run.onbuild
        || !run.syntax.heredocs.is_empty()
        || !token.span.contains(command.span)
        || command.name.span.start < command.span.start
    {
        return None;
    }
    let prefix = context.text(Span::new(command.span.start, command.name.span.start));
    if prefix.contains(['\n', '\\', '`', '$']) {
        return None;
    }
    Some(Edit {
        span: Span::empty(command.span.start),
        replacement: format!("{prefix}apt-get update && "),
    })
}

/// `rm … /var/lib/apt/lists[/*]` (or `/var/lib/apt[/*]`), `apt-get distclean|dist-clean`, `find /var/lib/apt/lists … -delete`.
fn removes_lists(command: &Command) -> bool {
    let under_lists = |command: &Command| {
        command.args.iter().filter_map(value).any(|arg| {
            let trimmed = arg.trim_end_matches(['*', '/']);
            trimmed == LISTS
                || trimmed == "/var/lib/apt"
                || (arg.starts_with("/var/lib/apt/lists/") && arg.contains('*'))
        })
    };
    match command.program() {
        Some("rm") => under_lists(command),
        Some("find") => {
            under_lists(command)
                && command
                    .args
                    .iter()
                    .filter_map(value)
                    .any(|a| a == "-delete")
        }
        Some("apt-get") => Apt::subcommand_of(command, &["apt-get"])
            .and_then(value)
            .is_some_and(|subcommand| matches!(subcommand, "distclean" | "dist-clean")),
        _ => false,
    }
}
