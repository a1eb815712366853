//! A command's arguments split into options and operands, the getopt way.

use super::{Command, Word};

/// A command's arguments: options in order, then everything else.
#[derive(Clone, Debug)]
pub struct Arguments<'a> {
    pub options: Vec<Opt<'a>>,
    pub operands: Vec<&'a Word>,
}

/// One option: `-y` → `y`, `--no-install-recommends` → `no-install-recommends`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opt<'a> {
    pub name: String,
    pub long: bool,
    /// The option's value when it takes one and the value is static.
    pub value: Option<String>,
    /// The word the option was read from.
    pub word: &'a Word,
    /// The word holding the value (`word` itself when attached: `-oX`, `--opt=X`); set even
    /// when the value is dynamic.
    pub value_word: Option<&'a Word>,
}

impl Command {
    /// Splits the arguments: `-abc` is `a`, `b`, `c`; a short option that takes a value takes
    /// the rest of its cluster or the next word; `--name=value`; `--name` (with the next word
    /// as its value when `takes_value(name)`); `--` ends the options; `-` and everything else
    /// are operands. A dynamic word counts from its static prefix (`--opt=$X` is option `opt`
    /// with a dynamic value); one starting with an expansion is an operand.
    pub fn arguments(&self, takes_value: &dyn Fn(&str) -> bool) -> Arguments<'_> {
        // Most arguments are operands (packages, paths): room for all of them at once spares
        // the list its regrowths.
        let mut split = Arguments {
            options: Vec::new(),
            operands: Vec::with_capacity(self.args.len()),
        };
        let mut words = self.args.iter();
        while let Some(word) = words.next() {
            let text = known_prefix(word);
            if text == "--" && word.value().is_some() {
                split.operands.extend(words.by_ref());
                break;
            }
            if let Some(long) = text.strip_prefix("--") {
                long_option(&mut split, word, long, takes_value, &mut words);
            } else if text.len() > 1 && text.starts_with('-') {
                short_options(&mut split, word, &text[1..], takes_value, &mut words);
            } else {
                split.operands.push(word);
            }
        }
        split
    }
}

/// The static value, or for a dynamic word the literal text before its first expansion or
/// quote.
fn known_prefix(word: &Word) -> &str {
    match word.value() {
        Some(value) => value,
        None => {
            let end = word
                .raw
                .find(['$', '`', '"', '\'', '\\'])
                .unwrap_or(word.raw.len());
            &word.raw[..end]
        }
    }
}

fn long_option<'a>(
    split: &mut Arguments<'a>,
    word: &'a Word,
    long: &str,
    takes_value: &dyn Fn(&str) -> bool,
    rest: &mut std::slice::Iter<'a, Word>,
) {
    let dynamic = word.value().is_none();
    let (name, value_word, value) = match long.split_once('=') {
        Some((name, value)) => (name, Some(word), (!dynamic).then(|| value.to_string())),
        None if dynamic => (long, Some(word), None),
        None if takes_value(long) => {
            let next = rest.next();
            (
                long,
                next,
                next.and_then(|next| next.value().map(str::to_string)),
            )
        }
        None => (long, None, None),
    };
    split.options.push(Opt {
        name: name.to_string(),
        long: true,
        value,
        word,
        value_word,
    });
}

fn short_options<'a>(
    split: &mut Arguments<'a>,
    word: &'a Word,
    cluster: &str,
    takes_value: &dyn Fn(&str) -> bool,
    rest: &mut std::slice::Iter<'a, Word>,
) {
    let dynamic = word.value().is_none();
    for (index, letter) in cluster.char_indices() {
        let name = letter.to_string();
        if !takes_value(&name) {
            split.options.push(Opt {
                name,
                long: false,
                value: None,
                word,
                value_word: None,
            });
            continue;
        }
        let attached = &cluster[index + letter.len_utf8()..];
        let (value_word, value) = if !attached.is_empty() || dynamic {
            (Some(word), (!dynamic).then(|| attached.to_string()))
        } else {
            let next = rest.next();
            (next, next.and_then(|next| next.value().map(str::to_string)))
        };
        split.options.push(Opt {
            name,
            long: false,
            value,
            word,
            value_word,
        });
        return;
    }
}
