//! A package manager's command line as the package rules read it: options (which ones take a
//! value is the model's knowledge, [`crate::model::value_options`]), the subcommand, and the
//! package operands, including those held in variables: `apt-get install $buildDeps` after
//! `buildDeps='gcc make'` in the same script, or after `ENV PKGS="gcc make"`, installs `gcc`
//! and `make`, and those are the packages to judge.

use std::borrow::Cow;

use crate::model::{Stage, value_options};
use crate::shell::{Arguments, Command, Variable, Word, bare_variable, variable_before};

use crate::rules::{Diagnostic, LintContext, RuleMeta};

use super::commands::{program, value};
use super::runs::Run;

/// A package manager's arguments, split into options and operands the way that manager reads
/// them.
pub fn arguments(command: &Command) -> Arguments<'_> {
    let takes_value = value_options(program(command));
    command.arguments(&|name| takes_value.contains(&name))
}

/// A package-manager call: its subcommand (`install`, or `group install` / `module install`
/// joined), the subcommand's last word, and the operands after it.
pub struct Call<'c> {
    /// Lowercased: borrowed from the word when it is lowercase already (most are).
    pub subcommand: Cow<'c, str>,
    pub word: &'c Word,
    pub operands: Vec<&'c Word>,
    /// `group …`, `module …`: the operands are groups or modules, not packages.
    pub grouped: bool,
}

/// Reads the subcommand of a package manager's arguments.
pub fn call<'c>(arguments: &Arguments<'c>) -> Option<Call<'c>> {
    let (first, rest) = arguments.operands.split_first()?;
    let first_text = lowercase(value(first)?);
    if matches!(&*first_text, "group" | "groups" | "module")
        && let Some((second, rest)) = rest.split_first()
    {
        let second_text = lowercase(value(second)?);
        return Some(Call {
            subcommand: Cow::Owned(crate::rules::message(&[&first_text, " ", &second_text])),
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

/// `text` in lowercase, copied only when it has an uppercase letter.
fn lowercase(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|byte| byte.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether an operand names a local file, a path or a URL rather than a package to pin.
pub fn is_path_or_file(text: &str, suffixes: &[&str]) -> bool {
    text.starts_with(['.', '/', '~', '$'])
        || text.contains("://")
        || suffixes.iter().any(|suffix| text.ends_with(suffix))
}

/// One package operand: a word as written, or one word of a variable's value.
pub struct Operand<'w> {
    /// For a variable the script set: the word inside the assignment. For an ENV or ARG
    /// value: the word's text, spanning the `$NAME` operand.
    pub word: Cow<'w, Word>,
    /// The variable the word came from.
    pub through: Option<&'w str>,
}

impl Operand<'_> {
    /// ` (through `$NAME`)` for a message, or nothing.
    pub fn through_note(&self) -> String {
        self.through.map_or_else(String::new, |name| {
            crate::rules::message(&[" (through `$", name, "`)"])
        })
    }
}

/// `operands` of `command` (in the RUN at `index` of `stage`, whose script set `variables`),
/// with each bare `$NAME` replaced by the words of its value when that value is known: set
/// by the script before the command, else by ENV (or an ARG value) before the RUN. A variable
/// the script sets dynamically, or one without a known value, stays as written.
///
/// Each operand is given to `each` as it is read: no list of them is made.
pub fn expand<'w>(
    variables: &'w [Variable],
    stage: &Stage,
    index: usize,
    command: &Command,
    operands: &[&'w Word],
    mut each: impl FnMut(Operand<'w>),
) {
    for &word in operands {
        let as_written = Operand {
            word: Cow::Borrowed(word),
            through: None,
        };
        let Some(name) = bare_variable(word) else {
            // `git-core-${VERSION}`: judged with the stage's values (an unset one is empty, as
            // the shell expands it), unless the script itself sets a variable it uses.
            let substituted = (word.value().is_none())
                .then(|| {
                    substitute(&word.raw, |name| {
                        if variable_before(variables, command, name).is_some() {
                            return None;
                        }
                        Some(stage.variable_before(index, name).unwrap_or_default())
                    })
                })
                .flatten();
            match substituted {
                Some(text) => each(Operand {
                    word: Cow::Owned(Word::literal(text, word.span)),
                    through: None,
                }),
                None => each(as_written),
            }
            continue;
        };
        if let Some(variable) = variable_before(variables, command, name) {
            match &variable.words {
                Some(words) => words.iter().for_each(|inner| {
                    each(Operand {
                        word: Cow::Borrowed(inner),
                        through: Some(name),
                    })
                }),
                None => each(as_written),
            }
            continue;
        }
        match stage.variable_before(index, name) {
            // An empty value is no package at all, as the shell expands it.
            Some(value) => value.split_ascii_whitespace().for_each(|text| {
                each(Operand {
                    word: Cow::Owned(Word::literal(text.to_string(), word.span)),
                    through: Some(name),
                })
            }),
            None => each(as_written),
        }
    }
}

/// The name of the `$NAME` or `${NAME}` reference `after` starts with (the text after its `$`)
/// and the text after the reference; `None` for an unclosed `${`.
pub fn variable_reference(after: &str) -> Option<(&str, &str)> {
    match after.strip_prefix('{') {
        Some(braced) => {
            let end = braced.find('}')?;
            Some((&braced[..end], &braced[end + 1..]))
        }
        None => {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            Some((&after[..end], &after[end..]))
        }
    }
}

/// `word` (double quotes removed) with each `$NAME` and `${NAME}` replaced by `lookup`'s value;
/// `None` when it holds other shell syntax (`$(…)`, backquotes, `${NAME:-…}`, single quotes)
/// or `lookup` declines a name.
fn substitute<'v>(word: &str, lookup: impl Fn(&str) -> Option<&'v str>) -> Option<String> {
    if word.contains(['`', '\'', '\\']) {
        return None;
    }
    let text = word.replace('"', "");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        let (name, tail) = variable_reference(after)?;
        let valid = !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return None;
        }
        out.push_str(lookup(name)?);
        rest = tail;
    }
    out.push_str(rest);
    Some(out)
}

/// Reports every package operand of `command` (variables expanded, see [`expand`]) that
/// `needs_no_pin` does not excuse, at its word, with `message(package, through_note)`.
#[allow(clippy::too_many_arguments)]
pub fn report_unpinned(
    context: &LintContext<'_>,
    out: &mut Vec<Diagnostic>,
    rule: &RuleMeta,
    run: &Run<'_>,
    command: &Command,
    operands: &[&Word],
    needs_no_pin: impl Fn(&str) -> bool,
    message: impl Fn(&str, &str) -> String,
) {
    expand(
        run.variables,
        run.stage,
        run.index,
        command,
        operands,
        |operand| {
            let word = operand.word.as_ref();
            let Some(package) = value(word) else {
                return;
            };
            if needs_no_pin(package) {
                return;
            }
            let through = operand.through_note();
            out.push(context.report(rule, word.span, message(package, &through)));
        },
    );
}

/// The pin hint of the rpm-family and apk rules: "Pin the version of `PKG`WHERE THROUGH, e.g.
/// `PKG<SEPARATOR><version>`." (`place` names the command, or is empty).
pub fn pin_hint(package: &str, place: &str, through: &str, separator: &str) -> String {
    crate::rules::message(&[
        "Pin the version of `",
        package,
        "`",
        place,
        through,
        ", e.g. `",
        package,
        separator,
        "<version>`.",
    ])
}
