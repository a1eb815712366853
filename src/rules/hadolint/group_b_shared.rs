//! Helpers shared by the group-B hadolint rules: the RUN instructions of every stage, commands
//! by program, option look-ups, cache mounts, and the edits their fixes make.

use std::borrow::Cow;

use crate::model::{InstructionModel, Stage};
use crate::rules::hadolint::package_operands;
use crate::rules::{Diagnostic, Edit, LintContext, RuleMeta};
use crate::shell::{Arguments, Command, Variable, Word};
use crate::syntax::{Arguments as Args, Instruction, Span};

/// One RUN instruction (or `ONBUILD RUN` trigger) with its stage, commands and syntax node.
pub struct Run<'a> {
    pub stage: &'a Stage,
    /// Index of the instruction in the stage.
    pub index: usize,
    /// The commands the script runs, with Dockerfile spans.
    pub script: Cow<'a, [Command]>,
    /// The shell variables the script sets (for operands such as `$buildDeps`).
    pub variables: Cow<'a, [Variable]>,
    /// The RUN instruction, or the trigger instruction of an ONBUILD.
    pub syntax: &'a Instruction,
}

/// Every RUN instruction of every stage, and every shell-form `ONBUILD RUN` trigger (its
/// script parsed here, as the model does not), in order.
pub fn runs<'a>(context: &LintContext<'a>) -> Vec<Run<'a>> {
    let mut runs = Vec::new();
    for stage in &context.model.stages {
        for (index, model) in stage.instructions.iter().enumerate() {
            let syntax = context.syntax(model);
            if model.keyword == "RUN" {
                runs.push(Run {
                    stage,
                    index,
                    script: Cow::Borrowed(&model.script),
                    variables: Cow::Borrowed(&model.variables),
                    syntax,
                });
            } else if let Some((trigger, script)) = onbuild_run(syntax, model) {
                runs.push(Run {
                    stage,
                    index,
                    script: Cow::Owned(script.commands),
                    variables: Cow::Owned(script.variables),
                    syntax: trigger,
                });
            }
        }
    }
    runs
}

/// The trigger of `ONBUILD RUN <shell script>` and its commands, when the stage's shell is
/// a POSIX one.
fn onbuild_run<'a>(
    syntax: &'a Instruction,
    model: &InstructionModel,
) -> Option<(&'a Instruction, crate::shell::Script)> {
    let Args::Onbuild(trigger) = &syntax.arguments else {
        return None;
    };
    let Args::Shell(token) = &trigger.arguments else {
        return None;
    };
    if trigger.kind != crate::syntax::Keyword::Run
        || !trigger.heredocs.is_empty()
        || crate::shell::dialect(&model.context.shell) != crate::shell::Dialect::Posix
    {
        return None;
    }
    let map = trigger.token_map(token)?;
    Some((trigger, crate::shell::parse(&token.text, &map)))
}

/// The program a command runs (`/sbin/apk` → `apk`), or "" when it is dynamic.
pub fn program(command: &Command) -> &str {
    command.program().unwrap_or("")
}

/// The command's arguments, with `value_options` taking a value.
pub fn split<'c>(command: &'c Command, value_options: &[&str]) -> Arguments<'c> {
    command.arguments(&|name| value_options.contains(&name))
}

/// Whether any option is one of `names` (without dashes).
pub fn has_option(arguments: &Arguments<'_>, names: &[&str]) -> bool {
    arguments
        .options
        .iter()
        .any(|option| names.contains(&option.name.as_str()))
}

/// The static value of a word, if any.
pub fn value(word: &Word) -> Option<&str> {
    word.value.as_deref()
}

/// From the command's name to `word` (e.g. `apk add`).
pub fn head_span(command: &Command, word: &Word) -> Span {
    command.name.span.cover(word.span)
}

/// The command and its subcommand, as shown in messages (`yum group install`).
pub fn head_text(command: &Command, subcommand: &str) -> String {
    format!("{} {subcommand}", program(command))
}

/// A `RUN --mount=type=cache|tmpfs` whose target is one of `targets`.
pub fn has_cache_mount(syntax: &Instruction, targets: &[&str]) -> bool {
    syntax
        .flags
        .iter()
        .filter(|flag| flag.name.eq_ignore_ascii_case("mount"))
        .filter_map(|flag| flag.value.as_deref())
        .any(|value| {
            let mut kind = "bind";
            let mut target = None;
            for field in value.split(',') {
                let (key, field_value) = field.split_once('=').unwrap_or((field, ""));
                match key.trim().to_ascii_lowercase().as_str() {
                    "type" => kind = field_value,
                    "target" | "dst" | "destination" => {
                        target = Some(field_value.trim_end_matches('/'))
                    }
                    _ => {}
                }
            }
            matches!(kind, "cache" | "tmpfs")
                && target.is_some_and(|target| {
                    targets
                        .iter()
                        .any(|wanted| target == wanted.trim_end_matches('/'))
                })
        })
}

/// Whether a word of `command` can be edited in place: a plain shell-form RUN, and the command
/// not nested in `sh -c`, a substitution or a heredoc.
pub fn editable(syntax: &Instruction, command: &Command) -> bool {
    matches!(syntax.arguments, Args::Shell(_))
        && syntax.heredocs.is_empty()
        && !command.context.nested_shell
        && !command.context.in_substitution
}

/// Inserts `text` right after `word`.
pub fn insert_after(word: &Word, text: &str) -> Edit {
    Edit {
        span: Span::empty(word.span.end),
        replacement: text.to_string(),
    }
}

/// Appends `text` to the end of a shell-form RUN's script, when the script ends with a plain
/// command (no trailing `;`, `&`, `|`, `\`, no comment, no heredoc).
pub fn append_to_run(syntax: &Instruction, text: &str) -> Option<Edit> {
    let Args::Shell(token) = &syntax.arguments else {
        return None;
    };
    if !syntax.heredocs.is_empty() || token.text.contains('#') {
        return None;
    }
    let trimmed = token.text.trim_end();
    if trimmed.is_empty() || trimmed.ends_with([';', '&', '|', '\\', '(', '{']) {
        return None;
    }
    let map = syntax.token_map(token)?;
    let end = map.span(0, trimmed.len()).end;
    Some(Edit {
        span: Span::empty(end),
        replacement: text.to_string(),
    })
}

/// The commands of a RUN that run `programs`.
pub fn commands_of<'r>(run: &'r Run<'_>, programs: &[&str]) -> Vec<&'r Command> {
    run.script
        .iter()
        .filter(|command| programs.contains(&program(command)))
        .collect()
}

/// Whether an operand names a local file, a path or a URL rather than a package.
pub fn is_path_or_file(text: &str, suffixes: &[&str]) -> bool {
    text.starts_with(['.', '/', '~', '$'])
        || text.contains("://")
        || suffixes.iter().any(|suffix| text.ends_with(suffix))
}

/// The `--from` flags of a stage's COPY instructions, with their values.
pub fn copy_from_flags<'a>(
    context: &LintContext<'a>,
    stage: &'a Stage,
) -> Vec<(&'a crate::syntax::Flag, &'a str)> {
    stage
        .instructions
        .iter()
        .filter(|instruction| instruction.keyword == "COPY")
        .flat_map(|instruction| context.syntax(instruction).flags.iter())
        .filter(|flag| flag.name.eq_ignore_ascii_case("from"))
        .filter_map(|flag| flag.value.as_deref().map(|value| (flag, value)))
        .collect()
}

/// The `AS name` token of a stage's FROM.
pub fn stage_alias<'a>(
    context: &LintContext<'a>,
    stage: &Stage,
) -> Option<&'a crate::syntax::Token> {
    let from = context.dockerfile.instructions().find(|instruction| {
        instruction.span == stage.span && instruction.kind == crate::syntax::Keyword::From
    })?;
    match &from.arguments {
        Args::Words(words) if words.len() >= 3 && words[1].text.eq_ignore_ascii_case("as") => {
            words.get(2)
        }
        _ => None,
    }
}

/// The FROM instruction of a stage.
pub fn from_of<'a>(context: &LintContext<'a>, stage: &Stage) -> Option<&'a Instruction> {
    context.dockerfile.instructions().find(|instruction| {
        instruction.span == stage.span && instruction.kind == crate::syntax::Keyword::From
    })
}

/// A package-manager call: its subcommand (`install`, or `group install` / `module install`
/// joined), the subcommand's last word, and the operands after it.
pub struct Call<'c> {
    pub subcommand: String,
    pub word: &'c Word,
    pub operands: Vec<&'c Word>,
    /// `group …`, `module …`: the operands are groups or modules, not packages.
    pub grouped: bool,
}

/// Reads the subcommand of a package manager's arguments.
pub fn call<'c>(arguments: &Arguments<'c>) -> Option<Call<'c>> {
    let (first, rest) = arguments.operands.split_first()?;
    let first_text = value(first)?.to_ascii_lowercase();
    if matches!(first_text.as_str(), "group" | "groups" | "module")
        && let Some((second, rest)) = rest.split_first()
    {
        let second_text = value(second)?.to_ascii_lowercase();
        return Some(Call {
            subcommand: format!("{first_text} {second_text}"),
            word: second,
            operands: rest.to_vec(),
            grouped: true,
        });
    }
    Some(Call {
        grouped: first_text.starts_with("group"),
        subcommand: first_text,
        word: first,
        operands: rest.to_vec(),
    })
}

/// yum/dnf value options.
pub const RPM_VALUE_OPTIONS: &[&str] = &[
    "x",
    "exclude",
    "c",
    "config",
    "setopt",
    "enablerepo",
    "disablerepo",
    "releasever",
    "installroot",
    "repo",
    "repoid",
    "d",
    "debuglevel",
    "e",
    "errorlevel",
    "downloaddir",
    "forcearch",
    "rpmverbosity",
];

/// A yum/dnf package operand pins its version: `name-1.2.3`, `name-1.2-3.el9`,
/// `name-0:1.2.x86_64` — a `-` followed by a digit after which every `-`-separated part
/// starts with a digit (so `java-1.8.0-openjdk` is a name, not a pin).
pub fn rpm_pinned(text: &str) -> bool {
    text.match_indices('-').any(|(index, _)| {
        let tail = &text[index + 1..];
        index > 0
            && tail
                .split('-')
                .all(|part| part.starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// The install subcommands of yum and dnf.
pub fn is_rpm_install(subcommand: &str) -> bool {
    matches!(
        subcommand,
        "install" | "groupinstall" | "localinstall" | "group install" | "groups install"
    )
}

/// Whether the RUN, after command `after`, cleans a package cache: a command `programs`
/// `clean …` whose operands include `clean_args` (any when empty), or an `rm` of one of
/// `paths`.
pub fn cleans_after(
    run: &Run<'_>,
    after: &Command,
    programs: &[&str],
    clean_subcommands: &[&str],
    clean_args: &[&str],
    paths: &[&str],
) -> bool {
    run.script
        .iter()
        .filter(|command| command.span.start > after.span.start)
        .any(|command| {
            let name = program(command);
            if programs.contains(&name) {
                let arguments = split(command, RPM_VALUE_OPTIONS);
                let mut operands = arguments.operands.iter().filter_map(|word| value(word));
                let sub = operands.next();
                return sub.is_some_and(|sub| clean_subcommands.contains(&sub))
                    && (clean_args.is_empty()
                        || operands.any(|operand| clean_args.contains(&operand)));
            }
            name == "rm"
                && command
                    .args
                    .iter()
                    .filter_map(|word| value(word))
                    .any(|arg| {
                        paths
                            .iter()
                            .any(|path| arg.trim_end_matches(['*', '/']) == *path)
                    })
        })
}

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
    meta: &crate::rules::RuleMeta,
    rule: &CacheClean,
    out: &mut Vec<crate::rules::Diagnostic>,
) {
    for run in runs(context) {
        if has_cache_mount(run.syntax, rule.mounts) {
            continue;
        }
        for command in commands_of(&run, rule.programs) {
            let arguments = split(command, RPM_VALUE_OPTIONS);
            let Some(call) = call(&arguments) else {
                continue;
            };
            if !(rule.installs)(&call.subcommand)
                || cleans_after(
                    &run,
                    command,
                    rule.programs,
                    rule.clean_subcommands,
                    rule.clean_args,
                    rule.paths,
                )
            {
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
            diagnostic.fix =
                append_to_run(run.syntax, &format!(" && {clean}")).map(|edit| crate::rules::Fix {
                    message: format!("Append `&& {clean}`"),
                    applicability: crate::rules::Applicability::Safe,
                    edits: vec![edit],
                });
            out.push(diagnostic);
            break;
        }
    }
}

/// DL3030/DL3038: an RPM install by one of `programs` without `-y`.
pub fn report_rpm_install_without_yes(
    context: &LintContext<'_>,
    out: &mut Vec<Diagnostic>,
    rule: &RuleMeta,
    programs: &[&str],
) {
    for run in runs(context) {
        for command in commands_of(&run, programs) {
            let arguments = split(command, RPM_VALUE_OPTIONS);
            let Some(call) = call(&arguments) else {
                continue;
            };
            if !is_rpm_install(&call.subcommand) || has_option(&arguments, &["y", "assumeyes"]) {
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

/// DL3033/DL3041: packages an RPM install by one of `programs` names without `-version`.
pub fn report_unpinned_rpm_packages(
    context: &LintContext<'_>,
    out: &mut Vec<Diagnostic>,
    rule: &RuleMeta,
    programs: &[&str],
) {
    for run in runs(context) {
        for command in commands_of(&run, programs) {
            let arguments = split(command, RPM_VALUE_OPTIONS);
            let Some(call) = call(&arguments) else {
                continue;
            };
            if !is_rpm_install(&call.subcommand) || call.grouped {
                continue;
            }
            let operands = package_operands::expand(
                &run.variables,
                run.stage,
                run.index,
                command,
                &call.operands,
            );
            for operand in operands {
                let word = operand.word.as_ref();
                let Some(text) = value(word) else {
                    continue;
                };
                if text.starts_with('@') || is_path_or_file(text, &[".rpm"]) || rpm_pinned(text) {
                    continue;
                }
                let through = operand.through_note();
                out.push(context.report(
                    rule,
                    word.span,
                    format!("Pin the version of `{text}`{through}, e.g. `{text}-<version>`."),
                ));
            }
        }
    }
}
