//! `apt-get install` package lists: one package per line when the list is long, sorted when
//! configured.
//!
//! Only lists the formatter can read with certainty are touched: `apt-get` or `apt` at the
//! start of a shell command (after `sudo`, `env` or `NAME=value` words), the `install`
//! subcommand, then plain package words (`name`, `name=version`, `name:arch`, `name/release`)
//! up to the end of the command. A list with a variable, a quote, a redirection or an option
//! among the packages is left as written.

use super::Options;
use super::instruction::{Break, Part, in_range, line_length};

/// One package list: indices into the parts.
#[derive(Clone, Debug)]
pub(super) struct List {
    /// The `apt-get` word.
    name: usize,
    /// The package words.
    packages: Vec<usize>,
    /// The separator before each package.
    separators: Vec<usize>,
    /// The separator after the last package, when the command goes on (`&& rm ...`).
    after: Option<usize>,
    /// The list already spans several lines.
    multiline: bool,
}

/// A word: consecutive parts between separators (blanks or free line breaks).
struct Word {
    first: usize,
    last: usize,
}

fn is_separator(part: &Part) -> bool {
    match part {
        Part::Gap { .. } => true,
        Part::Break(brk) => brk.free,
        Part::Text { .. } => false,
    }
}

fn words(parts: &[Part], shell: (usize, usize)) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut open = false;
    for (index, part) in parts.iter().enumerate() {
        if is_separator(part) {
            open = false;
            continue;
        }
        if matches!(part, Part::Text { .. }) && !in_range(part, shell) {
            open = false;
            continue;
        }
        match words.last_mut() {
            Some(word) if open => word.last = index,
            _ => words.push(Word {
                first: index,
                last: index,
            }),
        }
        open = true;
    }
    words
}

/// The word's text when it is one plain piece of text.
fn text<'p>(parts: &'p [Part], word: &Word) -> Option<&'p str> {
    match &parts[word.first] {
        Part::Text { text, .. } if word.first == word.last => Some(text),
        _ => None,
    }
}

const OPERATORS: [&str; 5] = ["&&", "||", "|", ";", "&"];

/// Words after which a new command starts.
fn ends_command(word: &str) -> bool {
    OPERATORS.contains(&word)
        || matches!(
            word,
            "(" | "{" | "!" | "then" | "do" | "else" | "elif" | "if" | "while" | "until"
        )
        || word.ends_with(';')
        || word.ends_with("&&")
        || word.ends_with("||")
}

/// Words that may precede the command name: `sudo`, `env`, their options, assignments.
fn is_prefix(word: &str) -> bool {
    matches!(word, "sudo" | "env" | "command" | "exec")
        || word.starts_with('-')
        || word.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

fn is_apt(word: &str) -> bool {
    let program = word.rsplit('/').next().unwrap_or(word);
    matches!(program, "apt-get" | "apt")
}

/// apt-get options that take the next word as their value.
fn takes_value(option: &str) -> bool {
    matches!(
        option,
        "-o" | "-c"
            | "-t"
            | "-a"
            | "--option"
            | "--config-file"
            | "--target-release"
            | "--default-release"
            | "--host-architecture"
    )
}

fn is_package(word: &str) -> bool {
    let mut bytes = word.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"._+-:=~/*".contains(&b))
}

/// Every `apt-get install` package list of the shell script `shell` (the joined-text range,
/// comment excluded).
pub(super) fn find_lists(parts: &[Part], shell: (usize, usize)) -> Vec<List> {
    let words = words(parts, shell);
    let mut lists = Vec::new();
    let mut command_start = true;
    let mut index = 0;
    while index < words.len() {
        let word = text(parts, &words[index]);
        if command_start && word.is_some_and(is_apt) {
            if let Some(list) = read_list(parts, &words, index) {
                lists.push(list);
            }
        }
        command_start = match word {
            Some(word) => ends_command(word) || (command_start && is_prefix(word)),
            None => false,
        };
        index += 1;
    }
    lists
}

/// Reads `apt-get [options] install [options] packages...` from word `name`.
fn read_list(parts: &[Part], words: &[Word], name: usize) -> Option<List> {
    let mut index = name + 1;
    let mut installing = false;
    let mut packages: Vec<usize> = Vec::new();
    while index < words.len() {
        let word = text(parts, &words[index])?;
        if OPERATORS.contains(&word) {
            break;
        }
        if word.starts_with('-') {
            if !packages.is_empty() {
                return None;
            }
            index += if takes_value(word) { 2 } else { 1 };
            continue;
        }
        if !installing {
            if word != "install" {
                return None;
            }
            installing = true;
            index += 1;
            continue;
        }
        let last = word.ends_with(';');
        if !is_package(word.strip_suffix(';').unwrap_or(word)) {
            return None;
        }
        packages.push(index);
        index += 1;
        if last {
            break;
        }
    }
    if packages.is_empty() {
        return None;
    }
    let separators: Vec<usize> = packages.iter().map(|&w| words[w].first - 1).collect();
    let last_word = *packages.last()?;
    let after = (last_word + 1 < words.len()).then(|| words[last_word].last + 1);
    let multiline = packages.len() > 1
        && separators
            .iter()
            .any(|&s| matches!(parts[s], Part::Break(_)));
    Some(List {
        name: words[name].first,
        packages: packages.iter().map(|&w| words[w].first).collect(),
        separators,
        after,
        multiline,
    })
}

/// A list that already spans lines goes one package per line: its breaks get their level
/// from the formatter, not from the source's indentation.
pub(super) fn mark_multiline(parts: &mut [Part], lists: &[List]) {
    for list in lists.iter().filter(|list| list.multiline) {
        for &separator in &list.separators {
            to_break(parts, separator, 0);
        }
    }
}

fn to_break(parts: &mut [Part], index: usize, level: usize) {
    match &mut parts[index] {
        Part::Break(brk) => {
            brk.explicit = true;
            brk.level = level;
        }
        part => *part = Part::Break(Break::inserted(level)),
    }
}

/// The level of the line holding part `index`.
fn level_at(parts: &[Part], index: usize) -> usize {
    parts[..index]
        .iter()
        .rev()
        .find_map(|part| match part {
            Part::Break(brk) if brk.free => Some(brk.level),
            _ => None,
        })
        .unwrap_or(0)
}

/// Lists that span lines, or make their line longer than `line_width`, go one package per
/// line, one level deeper than the `apt-get`; what follows the list goes back to its level.
pub(super) fn split_long(parts: &mut [Part], lists: &[List], options: &Options) {
    for list in lists {
        let last = *list.packages.last().expect("lists have packages");
        let long = list.multiline
            || (list.packages.len() > 1
                && line_length(parts, last, options.indent_width) > options.line_width);
        if !long {
            continue;
        }
        let level = level_at(parts, list.name);
        for &separator in &list.separators {
            to_break(parts, separator, level + 1);
        }
        if let Some(after) = list.after {
            if matches!(parts[after], Part::Gap { .. }) {
                parts[after] = Part::Break(Break::inserted(level.max(1)));
            }
        }
    }
}

/// Sorts the packages of every list (the lists are found again: splitting moved nothing).
pub(super) fn sort(parts: &mut [Part], shell: (usize, usize)) {
    for list in find_lists(parts, shell) {
        // Comment lines inside the list say something about the packages around them.
        let commented = list.separators.iter().any(
            |&separator| matches!(&parts[separator], Part::Break(brk) if !brk.comments.is_empty()),
        );
        if commented {
            continue;
        }
        let mut names: Vec<String> = list
            .packages
            .iter()
            .map(|&index| match &parts[index] {
                Part::Text { text, .. } => text.clone(),
                _ => unreachable!("packages are text"),
            })
            .collect();
        let semicolon = names.last().is_some_and(|name| name.ends_with(';'));
        if semicolon {
            let last = names.last_mut().expect("not empty");
            last.pop();
        }
        names.sort();
        if semicolon {
            names.last_mut().expect("not empty").push(';');
        }
        for (&index, name) in list.packages.iter().zip(names) {
            if let Part::Text { text, .. } = &mut parts[index] {
                *text = name;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_words() {
        for word in [
            "curl",
            "libssl-dev",
            "g++",
            "curl=7.88.1-10+deb12u5",
            "gcc:amd64",
        ] {
            assert!(is_package(word), "{word}");
        }
        for word in ["$PKGS", "\"curl\"", ">", "-y", "a;b", "${x}"] {
            assert!(!is_package(word), "{word}");
        }
    }
}
