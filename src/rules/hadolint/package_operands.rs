//! Package operands held in variables, for the version-pin rules: `apt-get install $buildDeps`
//! after `buildDeps='gcc make'` in the same script, or after `ENV PKGS="gcc make"`, installs
//! `gcc` and `make`, and those are the packages to judge.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::model::Stage;
use crate::shell::{Command, Variable, Word, bare_variable, variable_before};

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
        self.through
            .map_or_else(String::new, |name| format!(" (through `${name}`)"))
    }
}

/// `operands` of `command` (in the RUN at `index` of `stage`, whose script set `variables`),
/// with each bare `$NAME` replaced by the words of its value when that value is known: set
/// by the script before the command, else by ENV (or an ARG value) before the RUN. A variable
/// the script sets dynamically, or one without a known value, stays as written.
pub fn expand<'w>(
    variables: &'w [Variable],
    stage: &Stage,
    index: usize,
    command: &Command,
    operands: &[&'w Word],
) -> Vec<Operand<'w>> {
    let mut environment: Option<BTreeMap<String, String>> = None;
    let mut expanded = Vec::with_capacity(operands.len());
    for &word in operands {
        let as_written = Operand {
            word: Cow::Borrowed(word),
            through: None,
        };
        let Some(name) = bare_variable(word) else {
            expanded.push(as_written);
            continue;
        };
        if let Some(variable) = variable_before(variables, command, name) {
            match &variable.words {
                Some(words) => expanded.extend(words.iter().map(|inner| Operand {
                    word: Cow::Borrowed(inner),
                    through: Some(name),
                })),
                None => expanded.push(as_written),
            }
            continue;
        }
        let environment = environment.get_or_insert_with(|| {
            let mut values = stage.args_at(index);
            values.extend(stage.env_at(index));
            values
        });
        match environment.get(name) {
            // An empty value is no package at all, as the shell expands it.
            Some(value) => expanded.extend(value.split_ascii_whitespace().map(|text| Operand {
                word: Cow::Owned(Word {
                    raw: text.to_string(),
                    value: Some(text.to_string()),
                    span: word.span,
                }),
                through: Some(name),
            })),
            None => expanded.push(as_written),
        }
    }
    expanded
}
