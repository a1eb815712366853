//! What the group-A hadolint rules share: the RUN scripts of every stage (ONBUILD RUN
//! triggers parsed on demand), `apt-get` command lines split into options and operands, and
//! small span helpers.

use std::borrow::Cow;

use crate::model::{InstructionModel, Stage};
use crate::rules::{Applicability, Diagnostic, Edit, Fix, LintContext, RuleMeta};
use crate::shell::{self, Command, Variable, Word};
use crate::syntax::{Arguments, Instruction, Keyword, Span};

/// One RUN script: a RUN instruction, or the trigger of an `ONBUILD RUN`.
pub struct Run<'a> {
    pub stage: &'a Stage,
    /// Index of the instruction in the stage.
    pub index: usize,
    /// The RUN instruction, or the ONBUILD trigger.
    pub syntax: &'a Instruction,
    /// The modelled instruction (the ONBUILD one for a trigger).
    pub model: &'a InstructionModel,
    pub commands: Cow<'a, [Command]>,
    /// The shell variables the script sets (for operands such as `$buildDeps`).
    pub variables: Cow<'a, [Variable]>,
    pub onbuild: bool,
}

/// Every RUN of every stage, in order; with `onbuild`, `ONBUILD RUN` triggers too (parsed as
/// POSIX sh when the stage's shell is one).
pub fn runs<'a>(context: &LintContext<'a>, onbuild: bool) -> Vec<Run<'a>> {
    let mut found = Vec::new();
    for stage in &context.model.stages {
        for (index, model) in stage.instructions.iter().enumerate() {
            let syntax = context.syntax(model);
            match (&syntax.kind, &syntax.arguments) {
                (Keyword::Run, _) => found.push(Run {
                    stage,
                    index,
                    syntax,
                    model,
                    commands: Cow::Borrowed(&model.script),
                    variables: Cow::Borrowed(&model.variables),
                    onbuild: false,
                }),
                (Keyword::Onbuild, Arguments::Onbuild(trigger))
                    if onbuild && trigger.kind == Keyword::Run =>
                {
                    let Some(script) = trigger_script(trigger, &model.context.shell) else {
                        continue;
                    };
                    found.push(Run {
                        stage,
                        index,
                        syntax: trigger,
                        model,
                        commands: Cow::Owned(script.commands),
                        variables: Cow::Owned(script.variables),
                        onbuild: true,
                    });
                }
                _ => {}
            }
        }
    }
    found
}

/// The parsed script of an `ONBUILD RUN` trigger.
fn trigger_script(trigger: &Instruction, shell_argv: &[String]) -> Option<shell::Script> {
    match &trigger.arguments {
        Arguments::Exec(argv) => {
            let argv: Vec<(String, Span)> = argv
                .iter()
                .map(|token| (token.text.clone(), token.span))
                .collect();
            Some(shell::from_argv(&argv))
        }
        Arguments::Shell(token) if trigger.heredocs.is_empty() => {
            if shell::dialect(shell_argv) != shell::Dialect::Posix {
                return None;
            }
            let map = trigger.token_map(token)?;
            Some(shell::parse(&token.text, &map))
        }
        _ => None,
    }
}

/// The static value of a word.
pub fn value(word: &Word) -> Option<&str> {
    word.value.as_deref()
}

/// An `apt-get` command line read the way apt-get reads it.
pub struct Apt<'c> {
    pub command: &'c Command,
    /// The first operand (`install`, `update`, ...).
    pub subcommand: Option<&'c Word>,
    /// Option names without dashes (`-qq` gives `q`, `q`) with their value if any.
    pub options: Vec<(String, Option<String>)>,
    /// Operands after the subcommand.
    pub operands: Vec<&'c Word>,
}

/// apt-get options whose value may be the next word.
const APT_VALUE_SHORT: &str = "oct";
const APT_VALUE_LONG: [&str; 4] = ["option", "config-file", "target-release", "default-release"];

impl<'c> Apt<'c> {
    /// The command read as `apt-get` (not `apt`: DL3027's business).
    pub fn parse(command: &'c Command) -> Option<Apt<'c>> {
        if command.program() != Some("apt-get") {
            return None;
        }
        let mut apt = Apt {
            command,
            subcommand: None,
            options: Vec::new(),
            operands: Vec::new(),
        };
        let mut words = command.args.iter();
        let mut only_operands = false;
        while let Some(word) = words.next() {
            let text = word.value.as_deref().unwrap_or(&word.raw);
            if only_operands || !text.starts_with('-') || text == "-" {
                if apt.subcommand.is_none() {
                    apt.subcommand = Some(word);
                } else {
                    apt.operands.push(word);
                }
                continue;
            }
            if text == "--" {
                only_operands = true;
            } else if let Some(long) = text.strip_prefix("--") {
                match long.split_once('=') {
                    Some((name, value)) => apt.options.push((name.into(), Some(value.into()))),
                    None if APT_VALUE_LONG.contains(&long) => {
                        let value = words.next().map(|w| w.raw.clone());
                        apt.options.push((long.into(), value));
                    }
                    None => apt.options.push((long.into(), None)),
                }
            } else {
                let cluster = &text[1..];
                for (offset, letter) in cluster.char_indices() {
                    let rest = &cluster[offset + letter.len_utf8()..];
                    if APT_VALUE_SHORT.contains(letter) {
                        let value = if rest.is_empty() {
                            words.next().map(|w| w.raw.clone())
                        } else {
                            Some(rest.trim_start_matches('=').to_string())
                        };
                        apt.options.push((letter.to_string(), value));
                        break;
                    }
                    // `-q=2`
                    if let Some(level) = rest.strip_prefix('=') {
                        apt.options
                            .push((letter.to_string(), Some(level.to_string())));
                        break;
                    }
                    apt.options.push((letter.to_string(), None));
                }
            }
        }
        Some(apt)
    }

    pub fn is(&self, subcommand: &str) -> bool {
        self.subcommand.and_then(value) == Some(subcommand)
    }

    /// The values of `-o`/`--option` settings, lowercased (`apt::get::assume-yes=true`).
    pub fn settings(&self) -> impl Iterator<Item = String> + '_ {
        self.options
            .iter()
            .filter(|(name, _)| name == "o" || name == "option")
            .filter_map(|(_, value)| value.as_ref())
            .map(|value| value.trim_matches(['"', '\'']).to_ascii_lowercase())
    }

    /// `apt-get install`'s span: from the program name to the subcommand.
    pub fn head_span(&self) -> Span {
        match self.subcommand {
            Some(sub) => self.command.name.span.cover(sub.span),
            None => self.command.name.span,
        }
    }
}

/// Is an APT boolean setting value true?
pub fn truthy(value: &str) -> bool {
    matches!(value, "true" | "1" | "yes" | "on")
}

/// Reports every `keyword` instruction of a stage that a later one of the same stage
/// overrides (CMD, ENTRYPOINT, HEALTHCHECK), at its keyword.
pub fn overridden(
    context: &LintContext<'_>,
    meta: &crate::rules::RuleMeta,
    keyword: Keyword,
    out: &mut Vec<crate::rules::Diagnostic>,
) {
    for stage in &context.model.stages {
        let found: Vec<&Instruction> = stage
            .instructions
            .iter()
            .map(|model| context.syntax(model))
            .filter(|syntax| syntax.kind == keyword)
            .collect();
        let Some((last, earlier)) = found.split_last() else {
            continue;
        };
        let line = context
            .index
            .position(&context.dockerfile.source, last.keyword.span.start)
            .line;
        let name = keyword.as_str().to_ascii_uppercase();
        for instruction in earlier {
            out.push(context.report(
                meta,
                instruction.keyword.span,
                format!("this {name} has no effect: the {name} on line {line} of the same stage replaces it"),
            ));
        }
    }
}

/// DL3014/DL3015: an `apt-get install` that lacks an option (`satisfied` says when it is
/// there), with a safe fix inserting `option` after `install` where that word is the source
/// text as written (not inside `sh -c '…'`).
pub fn report_apt_install_without(
    context: &LintContext<'_>,
    out: &mut Vec<Diagnostic>,
    rule: &RuleMeta,
    satisfied: fn(&Apt<'_>) -> bool,
    message: &str,
    option: &str,
) {
    for run in runs(context, true) {
        for command in run.commands.iter() {
            let Some(apt) = Apt::parse(command) else {
                continue;
            };
            if !apt.is("install") || satisfied(&apt) {
                continue;
            }
            let mut diagnostic = context.report(rule, apt.head_span(), message);
            if let Some(sub) = apt.subcommand
                && context.text(sub.span) == "install"
            {
                diagnostic.fix = Some(Fix {
                    message: format!("Add `{option}`"),
                    applicability: Applicability::Safe,
                    edits: vec![Edit {
                        span: Span::new(sub.span.end, sub.span.end),
                        replacement: format!(" {option}"),
                    }],
                });
            }
            out.push(diagnostic);
        }
    }
}
