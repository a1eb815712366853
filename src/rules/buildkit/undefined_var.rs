//! BK011 UndefinedVar: an instruction BuildKit expands uses a variable that is not defined.
//!
//! ENV, LABEL, ARG defaults, WORKDIR, USER, STOPSIGNAL, VOLUME and COPY/ADD (sources,
//! destination, `--chown`, `--chmod`, ADD's `--checksum`) are expanded when the stage is
//! built; an undefined variable silently becomes empty. RUN, CMD and ENTRYPOINT text is left to
//! the shell and not checked. Declared ARGs count as defined even without a value, and so does
//! what a stage inherits from the stage it is built FROM (ENV and ARG values, as in BuildKit).
//! The message suggests the closest defined name, as BuildKit does.
//!
//! BuildKit also knows the base image's environment; dlayer does not pull images. It knows
//! that `scratch` has none and that the catalog's distribution images set only PATH; on other
//! images a variable is reported only when the file defines it somewhere (used before it is
//! defined, or in another stage) or when a defined name is close enough to suggest (a typo),
//! since the image may define it.

use std::cell::LazyCell;
use std::collections::{BTreeSet, HashMap};

use crate::model::catalog::ImageKind;
use crate::model::{AssignmentKind, Stage};
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::expand::Env;
use crate::syntax::{Arguments, Instruction, Keyword, Span, Token};

use super::stages::{chain, lexer, suggest_unordered, variable_span};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK011",
        name: "UndefinedVar",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "variables should be defined before their use",
        doc: include_str!("../../../rules/BK011.md"),
    },
    check,
};

/// What a stage has defined when it ends: its environment and its declared ARG names,
/// borrowed from the model (a stage's copy of its base's is a copy of pointers).
#[derive(Clone, Default)]
struct Defined<'a> {
    env: Environment<'a>,
    declared: BTreeSet<&'a str>,
}

/// Names and values in the order they are set, the last setting of a name winning: a push
/// per assignment (most are never looked up; a lookup reads a few dozen pairs at most). A long
/// list (a file of thousands of ENV lines) is also indexed by name, so that each lookup does
/// not read it all.
#[derive(Clone, Default)]
struct Environment<'a> {
    set: Vec<(&'a str, &'a str)>,
    /// Each name's last value, once the list has [`Environment::INDEXED_FROM`] pairs.
    last: Option<HashMap<&'a str, &'a str>>,
}

impl<'a> Environment<'a> {
    const INDEXED_FROM: usize = 64;

    fn push(&mut self, name: &'a str, value: &'a str) {
        self.set.push((name, value));
        match &mut self.last {
            Some(last) => {
                last.insert(name, value);
            }
            // Collected in order, a name's later value replaces its earlier one.
            None if self.set.len() >= Self::INDEXED_FROM => {
                self.last = Some(self.set.iter().copied().collect());
            }
            None => {}
        }
    }

    /// The names set, in the order they are set, repeated when set again (suggestions are
    /// looked for with [`suggest_unordered`], which needs no sorted set of them).
    fn names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.set.iter().map(|&(name, _)| name)
    }
}

/// The environment of a stage built on an image: its initial ENV.
fn initial_environment(stage: &Stage) -> Environment<'_> {
    let mut environment = Environment::default();
    for (name, value) in &stage.initial_env {
        environment.push(name, value);
    }
    environment
}

/// Read by the Unix lexer of [`lexer`], which compares names exactly (only a Windows lexer
/// asks [`Env::get_ignore_case`]).
impl Env for Environment<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        if let Some(last) = &self.last {
            return last.get(name).copied();
        }
        let &(_, value) = self.set.iter().rev().find(|&&(set, _)| set == name)?;
        Some(value)
    }
}

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // Asked only of an undefined variable (most files use none).
    let defined_in_file = LazyCell::new(|| names_defined_in_file(context));
    let mut finals: Vec<Defined> = Vec::new();
    for stage in &context.model.stages {
        let mut defined = match stage.base.stage.and_then(|base| finals.get(base)) {
            Some(base) => base.clone(),
            None => Defined {
                env: initial_environment(stage),
                declared: BTreeSet::new(),
            },
        };
        let image_env_known = LazyCell::new(|| base_env_known(context, stage));
        // The stage's assignments are in instruction order: each instruction takes its own
        // from the front (rather than a filter over all of them per instruction).
        let mut pending = stage.assignments.as_slice();
        for (index, model) in stage.instructions.iter().enumerate() {
            let instruction = context.syntax(model);
            expanded_words(instruction, |text, span| {
                // Only a `$` uses a variable: most words have none and need no expansion.
                if !text.contains('$') || uses_only_known(text, &defined) {
                    return;
                }
                let Ok(expansion) = lexer(context).process_word_with_matches(text, &defined.env)
                else {
                    return;
                };
                for name in &expansion.unmatched {
                    if defined.declared.contains(name.as_str()) {
                        continue;
                    }
                    let close = suggest_unordered(name, defined.env.names());
                    if !(*image_env_known
                        || close.is_some()
                        || defined_in_file.contains(name.as_str()))
                    {
                        continue;
                    }
                    let mut message = format!("Usage of undefined variable '${name}'");
                    if let Some(close) = close {
                        message.push_str(&format!(" (did you mean ${close}?)"));
                    }
                    out.push(context.report(
                        &RULE.meta,
                        variable_span(context, span, name),
                        message,
                    ));
                }
            });
            if let (Keyword::Arg, Arguments::Words(words)) =
                (&instruction.kind, &instruction.arguments)
            {
                for word in words {
                    let name = word.text.split('=').next().unwrap_or_default();
                    defined.declared.insert(name);
                }
            }
            let own = pending
                .iter()
                .take_while(|assignment| assignment.instruction == index)
                .count();
            let (assigned, rest) = pending.split_at(own);
            pending = rest;
            for assignment in assigned {
                if assignment.kind == AssignmentKind::Arg {
                    defined.declared.insert(&assignment.name);
                }
                defined.env.push(&assignment.name, &assignment.value);
            }
        }
        finals.push(defined);
    }
}

/// Whether every `$NAME` and `${NAME` of `text` names a variable `defined` sets or declares, so
/// that expanding it finds none undefined: most words with a `$` use a variable set earlier
/// (`$PATH`, `$HOME`), and this is decided without expanding them. Any other use of `$`
/// (`$1`, `${#NAME}`, `$$`) leaves it to the expansion. An escaped `\$NAME` counts as a use:
/// a name not set then only sends the word to the expansion, which reads escapes.
fn uses_only_known(text: &str, defined: &Defined<'_>) -> bool {
    let mut rest = text;
    while let Some(dollar) = rest.find('$') {
        let after = &rest[dollar + 1..];
        let after = after.strip_prefix('{').unwrap_or(after);
        let length = after
            .bytes()
            .take_while(|byte| byte.is_ascii_alphanumeric() || *byte == b'_')
            .count();
        let name = &after[..length];
        let is_name = name
            .bytes()
            .next()
            .is_some_and(|first| first.is_ascii_alphabetic() || first == b'_');
        if !is_name || !(defined.env.get(name).is_some() || defined.declared.contains(name)) {
            return false;
        }
        rest = &after[length..];
    }
    true
}

/// Whether a word of `instruction` may use a variable: its text (continuations joined) holds
/// a `$`, or a `\`, as a JSON escape (`\u0024`) can make one.
fn may_use_variables(instruction: &Instruction) -> bool {
    memchr::memchr2(b'$', b'\\', instruction.original.as_bytes()).is_some()
}

/// Calls `each` with every word of `instruction` BuildKit expands and its span, in order
/// (read in place: most instructions' words hold no variable).
fn expanded_words<'i>(instruction: &'i Instruction, mut each: impl FnMut(&'i str, Span)) {
    // One scan of the instruction's text before any of its words (each arm's guard): most use
    // no variable. The kinds whose words are not expanded here (RUN, CMD: the shell expands
    // them), whose texts are the longest, match no arm and are not scanned.
    let may_use = || may_use_variables(instruction);
    match (&instruction.kind, &instruction.arguments) {
        (Keyword::Env | Keyword::Label, Arguments::KeyValues(pairs)) if may_use() => {
            for pair in pairs {
                each(&pair.key.text, pair.key.span);
                each(&pair.value.text, pair.value.span);
            }
        }
        // An ARG's default, spanning the text after `=`.
        (Keyword::Arg, Arguments::Words(words)) if may_use() => {
            for word in words {
                if let Some((name, default)) = word.text.split_once('=') {
                    let start = word.span.start + name.len() + 1;
                    each(default, Span::new(start.min(word.span.end), word.span.end));
                }
            }
        }
        (Keyword::Workdir | Keyword::User | Keyword::Stopsignal, Arguments::Text(token))
            if may_use() =>
        {
            each(&token.text, token.span)
        }
        (Keyword::Volume, Arguments::Words(words) | Arguments::Exec(words)) if may_use() => {
            tokens(words, &mut each)
        }
        (Keyword::Copy | Keyword::Add, Arguments::Words(words) | Arguments::Exec(words))
            if may_use() =>
        {
            let flags: &[&str] = if instruction.kind == Keyword::Add {
                &["chown", "chmod", "checksum"]
            } else {
                &["chown", "chmod"]
            };
            tokens(words, &mut each);
            for flag in &instruction.flags {
                if flags.contains(&flag.name.as_str())
                    && let Some(value) = flag.value.as_deref()
                {
                    each(value, flag.span);
                }
            }
        }
        _ => {}
    }
}

/// The tokens of a word list, heredoc markers (`<<EOF`) left out.
fn tokens<'i>(tokens: &'i [Token], each: &mut impl FnMut(&'i str, Span)) {
    for token in tokens.iter().filter(|token| !token.text.starts_with("<<")) {
        each(&token.text, token.span);
    }
}

/// Every name an ENV or ARG of the file sets or declares.
fn names_defined_in_file<'a>(context: &LintContext<'a>) -> BTreeSet<&'a str> {
    let mut names = BTreeSet::new();
    for instruction in context.instructions_of_any([Keyword::Env, Keyword::Arg]) {
        match (&instruction.kind, &instruction.arguments) {
            (Keyword::Env, Arguments::KeyValues(pairs)) => {
                names.extend(pairs.iter().map(|pair| pair.key.text.as_str()))
            }
            (Keyword::Arg, Arguments::Words(words)) => names.extend(
                words
                    .iter()
                    .map(|word| word.text.split('=').next().unwrap_or_default()),
            ),
            _ => {}
        }
    }
    names
}

/// Whether dlayer knows the environment of the image the stage chain starts from: `scratch`
/// (none) and the catalog's plain distributions (PATH only).
fn base_env_known(context: &LintContext<'_>, stage: &Stage) -> bool {
    let root = chain(context, stage).last().copied().unwrap_or(stage);
    if root.base.is_scratch() {
        return true;
    }
    root.image.as_ref().is_some_and(|image| {
        matches!(
            image.kind,
            ImageKind::Scratch | ImageKind::Distro | ImageKind::Minimal | ImageKind::Distroless
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_environment_answers_as_its_list_read_from_the_end() {
        let names: Vec<String> = (0..150).map(|at| format!("N{}", at % 11)).collect();
        let values: Vec<String> = (0..150).map(|at| at.to_string()).collect();
        let mut environment = Environment::default();
        for (at, (name, value)) in names.iter().zip(&values).enumerate() {
            environment.push(name, value);
            for probe in (0..12).map(|probe| format!("N{probe}")) {
                let from_the_end = environment
                    .set
                    .iter()
                    .rev()
                    .find(|&&(set, _)| set == probe)
                    .map(|&(_, value)| value);
                assert_eq!(environment.get(&probe), from_the_end, "{probe} after {at}");
            }
        }
        assert!(environment.last.is_some());
    }
}
