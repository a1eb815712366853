//! DL3003's fix: the top-level `cd` commands of a RUN script become WORKDIR instructions.
//!
//! The script must be a flat list of simple commands (`&&`, `||`, `;`, `|` between them; no
//! subshell, group, loop, condition, background job or comment line), and every `cd` of it
//! must be a top-level command with one directory that WORKDIR can name (a plain path, or one
//! built from ENV/ARG values of the stage, which WORKDIR expands the same way). Three places:
//!
//! - leading `cd`s (after `set -e`-style options): `WORKDIR dir` before the RUN, the `cd`
//!   removed; the script runs where it ran;
//! - trailing `cd`s: removed, a `cd` at the end of a script changes nothing;
//! - a `cd` in the middle, between two `&&`: the RUN is cut there, `WORKDIR dir` between the
//!   two RUNs (the `set` options of the script repeated at the start of the new one). Only
//!   when `&&` (or a pipe) joins everything after the cut, so that a failure before the cut
//!   still fails the build, and nothing before the cut leaves shell state (variables,
//!   `export`, `source`, `umask`, ...) the rest would need.
//!
//! Then `WORKDIR` back to the directory the RUN had, when it is known.

use crate::model::clean_path;
use crate::rules::hadolint::commands::STATEFUL;
use crate::rules::hadolint::runs::{Run, cache_mount_targets};
use crate::rules::{Edit, LintContext};
use crate::shell::{Command, Word};
use crate::syntax::{Arguments, Span};

/// The edits of the fix and what they do.
pub struct Plan {
    pub edits: Vec<Edit>,
    pub message: String,
    /// The RUN is cut in several: the image gets more layers, and what a later part deletes
    /// or rewrites of an earlier part's files stays in the earlier layer.
    pub splits: bool,
    /// A WORKDIR is written: without a way back, the image's working directory changes.
    pub moves: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Separator {
    And,
    Or,
    Sequence,
    Pipe,
}

/// Where a `cd` sits in the script.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Place {
    Leading,
    Middle,
    Trailing,
}

/// The plan for `run` whose working directory before the RUN is `before` (when known); `None`
/// when some `cd` cannot be turned into a WORKDIR without changing what the script does.
pub fn plan(context: &LintContext<'_>, run: &Run<'_>, before: Option<&str>) -> Option<Plan> {
    let Arguments::Shell(token) = &run.syntax.arguments else {
        return None;
    };
    if !run.parses() || run.onbuild || !run.syntax.heredocs.is_empty() {
        return None;
    }
    if cache_mount_targets(run.syntax)
        .iter()
        .any(|target| !target.starts_with('/'))
        || memchr::memmem::find(token.text.as_bytes(), b"OLDPWD").is_some()
    {
        return None;
    }
    let source = &context.dockerfile.source;
    let escape = context.dockerfile.escape;
    let is_cd = |command: &Command| command.program() == Some("cd");
    let top = top_commands(run.commands, &is_cd)?;
    // The text before, between and after the commands: only separators.
    let blank = |start: usize, end: usize| {
        source
            .get(start..end)
            .map(|text| separator_text(text, escape))
    };
    let (first, last) = (top.first()?, top.last()?);
    if blank(token.span.start, first.span.start)? != Some("")
        || !matches!(blank(last.span.end, token.span.end)?, Some("" | ";"))
    {
        return None;
    }
    let separators: Vec<Separator> = top
        .windows(2)
        .map(|pair| blank(pair[0].span.end, pair[1].span.start)?.and_then(separator))
        .collect::<Option<_>>()?;
    let places = places(&top, &separators, &is_cd)?;
    if !places
        .iter()
        .zip(&top)
        .any(|(place, c)| place.is_none() && !is_set(c))
    {
        return None;
    }
    let last_cut = places
        .iter()
        .rposition(|place| *place == Some(Place::Middle));
    if let Some(cut) = last_cut {
        let cut_at = top[cut].span.start;
        let stateful = top[..cut].iter().any(|c| {
            !is_cd(c)
                && !allowed_set(c)
                && (c.program().is_some_and(|p| STATEFUL.contains(&p))
                    || c.wrappers.iter().any(|w| w.value() == Some("exec")))
        });
        if stateful || run.variables.iter().any(|v| v.span.start < cut_at) {
            return None;
        }
    }
    let prefix = &source[run.syntax.span.start..token.span.start];
    let mut current = before.map(str::to_string);
    let mut moves = false;
    let mut edits = Vec::new();
    let mut leading = String::new();
    let mut index = 0;
    while index < top.len() {
        let Some(place) = places[index] else {
            index += 1;
            continue;
        };
        let end = (index..top.len())
            .find(|&at| places[at] != Some(place))
            .unwrap_or(top.len());
        let mut workdirs = String::new();
        if place != Place::Trailing {
            for cd in top[index..end].iter().filter(|c| is_cd(c)) {
                let directory = absolute(current.as_deref(), directory(run, cd)?)?;
                let next = (!directory.contains('$')).then(|| directory.clone());
                if next.is_none() || next != current {
                    for piece in ["WORKDIR ", &directory, "\n"] {
                        workdirs.push_str(piece);
                    }
                    moves = true;
                }
                current = next;
            }
        }
        match place {
            Place::Leading => {
                leading = workdirs;
                edits.push(Edit {
                    span: Span::new(top[index].span.start, top[end].span.start),
                    replacement: String::new(),
                });
            }
            Place::Middle => {
                // The new RUN: the WORKDIRs, then the RUN's keyword and flags, then its
                // `set` options, each followed by `&&`.
                let mut replacement = String::with_capacity(1 + workdirs.len() + prefix.len());
                for piece in ["\n", &workdirs, prefix] {
                    replacement.push_str(piece);
                }
                for set in top[..index].iter().filter(|c| allowed_set(c)) {
                    replacement.push_str(&source[set.span.start..set.span.end]);
                    replacement.push_str(" && ");
                }
                edits.push(Edit {
                    span: Span::new(top[index - 1].span.end, top[end].span.start),
                    replacement,
                });
            }
            Place::Trailing => edits.push(Edit {
                span: Span::new(top[index - 1].span.end, top[end - 1].span.end),
                replacement: String::new(),
            }),
        }
        index = end;
    }
    if !leading.is_empty() {
        edits.insert(
            0,
            Edit {
                span: Span::empty(run.syntax.span.start),
                replacement: leading,
            },
        );
    }
    if let Some(before) = before.filter(|b| moves && current.as_deref() != Some(*b)) {
        let end = run.syntax.span.end;
        let newline = if source[..end].ends_with('\n') {
            ""
        } else {
            "\n"
        };
        edits.push(Edit {
            span: Span::empty(end),
            replacement: crate::rules::message(&[newline, "WORKDIR ", before, "\n"]),
        });
    }
    let splits = last_cut.is_some();
    Some(Plan {
        edits,
        message: if splits {
            "Cut the RUN at each `cd` and change directory with WORKDIR".to_string()
        } else if moves {
            "Use WORKDIR instead of `cd`".to_string()
        } else {
            "Remove the `cd`, which changes nothing".to_string()
        },
        splits,
        moves,
    })
}

/// The commands of the script outside substitutions and `sh -c '…'`, read in one pass; `None`
/// when a `cd` is inside one (no WORKDIR can replace it) or a command runs in the background.
fn top_commands<'c>(
    commands: &'c [Command],
    is_cd: &dyn Fn(&Command) -> bool,
) -> Option<Vec<&'c Command>> {
    let mut top = Vec::with_capacity(commands.len());
    for command in commands {
        if command.context.in_substitution || command.context.nested_shell {
            if is_cd(command) {
                return None;
            }
        } else if command.context.background {
            return None;
        } else {
            top.push(command);
        }
    }
    Some(top)
}

/// Where each `cd` of the top-level commands is (`None` for the other commands), or `None`
/// when a `cd` is where the script cannot be cut.
fn places(
    top: &[&Command],
    separators: &[Separator],
    is_cd: &dyn Fn(&Command) -> bool,
) -> Option<Vec<Option<Place>>> {
    let count = top.len();
    let leading_start = top.iter().position(|c| !allowed_set(c)).unwrap_or(count);
    let makes_next = top
        .get(leading_start..leading_start + 2)
        .is_some_and(|pair| makes_directory_of(pair[0], pair[1]))
        && separators[leading_start] == Separator::And;
    let leading_end = (leading_start + usize::from(makes_next)..count)
        .find(|&at| !is_cd(top[at]))
        .unwrap_or(count);
    let trailing_start = (leading_end..count)
        .rev()
        .find(|&at| !is_cd(top[at]))
        .map_or(leading_end, |at| at + 1);
    if leading_end == count {
        return None;
    }
    let mut places = vec![None; count];
    if makes_next {
        places[leading_start] = Some(Place::Leading);
    }
    for at in 0..count {
        if !is_cd(top[at]) {
            continue;
        }
        let after = separators.get(at).copied();
        let before = at.checked_sub(1).map(|b| separators[b]);
        let place = if (leading_start..leading_end).contains(&at) {
            matches!(after, Some(Separator::And | Separator::Sequence)).then_some(Place::Leading)
        } else if at >= trailing_start {
            (before == Some(Separator::And)).then_some(Place::Trailing)
        } else {
            let joined_after = separators[at..trailing_start.saturating_sub(1).max(at)]
                .iter()
                .all(|s| matches!(s, Separator::And | Separator::Pipe));
            (before == Some(Separator::And) && after == Some(Separator::And) && joined_after)
                .then_some(Place::Middle)
        };
        places[at] = Some(place?);
        if top[at].context.in_pipeline
            || !top[at].wrappers.is_empty()
            || !top[at].assignments.is_empty()
            || !top[at].redirections.is_empty()
        {
            return None;
        }
    }
    Some(places)
}

/// `mkdir [-p] DIR` right before `cd DIR`: WORKDIR makes the directory (as the same user,
/// with the same mode), so the `mkdir` goes with the `cd`.
fn makes_directory_of(mkdir: &Command, cd: &Command) -> bool {
    let [target] = cd.args.as_slice() else {
        return false;
    };
    let operands: Vec<&Word> = mkdir
        .args
        .iter()
        .filter(|arg| arg.value() != Some("-p"))
        .collect();
    mkdir.program() == Some("mkdir")
        && mkdir.wrappers.is_empty()
        && mkdir.assignments.is_empty()
        && mkdir.redirections.is_empty()
        && !mkdir.context.in_pipeline
        && matches!(operands.as_slice(), [operand] if operand.raw == target.raw)
}

/// The text with escaped newlines and blanks removed, when that is nothing or a separator
/// (`;`, `&&`, `||`, `|`): only those matter between commands, and the gaps of every script
/// with a `cd` are read, so none is copied.
fn separator_text(text: &str, escape: char) -> Option<&'static str> {
    // At most two separator characters are kept: anything else is no separator.
    let mut kept = [' '; 2];
    let mut count = 0;
    for c in strip_continuations(text, escape) {
        if count == kept.len() || !matches!(c, ';' | '&' | '|') {
            return None;
        }
        kept[count] = c;
        count += 1;
    }
    match kept[..count] {
        [] => Some(""),
        [';'] => Some(";"),
        ['|'] => Some("|"),
        ['&', '&'] => Some("&&"),
        ['|', '|'] => Some("||"),
        _ => None,
    }
}

/// The characters of the text with escaped newlines and blanks removed. Read byte by byte
/// (a character decoded only past ASCII): the gaps are short and mostly ASCII, and decoding
/// every character cost more than the rest of the test.
fn strip_continuations(text: &str, escape: char) -> impl Iterator<Item = char> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(&byte) = bytes.get(at) {
            let c = if byte.is_ascii() {
                char::from(byte)
            } else {
                text[at..].chars().next()?
            };
            at += c.len_utf8();
            if c == escape {
                let blanks = bytes[at..]
                    .iter()
                    .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\r'))
                    .count();
                if bytes.get(at + blanks) == Some(&b'\n') {
                    at += blanks + 1;
                    continue;
                }
            }
            if !c.is_whitespace() {
                return Some(c);
            }
        }
        None
    })
}

fn separator(text: &str) -> Option<Separator> {
    match text {
        "&&" => Some(Separator::And),
        "||" => Some(Separator::Or),
        ";" => Some(Separator::Sequence),
        "|" => Some(Separator::Pipe),
        _ => None,
    }
}

fn is_set(command: &Command) -> bool {
    command.program() == Some("set")
}

/// `set` with only options that last for the script and that a new script can repeat:
/// `-e`, `-x`, `-u`, `-v` (in clusters, `+` too) and `-o pipefail|errexit|nounset|xtrace`.
fn allowed_set(command: &Command) -> bool {
    if !is_set(command) || command.args.is_empty() || !command.redirections.is_empty() {
        return false;
    }
    let mut expect_name = false;
    for arg in &command.args {
        let Some(text) = arg.value() else {
            return false;
        };
        if expect_name {
            if !matches!(text, "pipefail" | "errexit" | "nounset" | "xtrace") {
                return false;
            }
            expect_name = false;
            continue;
        }
        let Some(cluster) = text.strip_prefix(['-', '+']) else {
            return false;
        };
        let (flags, takes_name) = match cluster.strip_suffix('o') {
            Some(flags) => (flags, true),
            None => (cluster, false),
        };
        if (flags.is_empty() && !takes_name) || !flags.chars().all(|c| "euxv".contains(c)) {
            return false;
        }
        expect_name = takes_name;
    }
    !expect_name
}

/// What WORKDIR gets for the `cd`: its one argument when it is a plain path, or a path with
/// `$NAME`/`${NAME}` references to ENV or ARG values the stage sets (non-empty) and the script
/// does not.
fn directory(run: &Run<'_>, cd: &Command) -> Option<String> {
    let [word] = cd.args.as_slice() else {
        return None;
    };
    if let Some(value) = word.value() {
        return (plain_path(value) && !value.starts_with('-')).then(|| value.to_string());
    }
    with_variables(run, word)
}

fn plain_path(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+@%:,=".contains(c))
}

/// A word of path characters and `$NAME`/`${NAME}` references that the stage's ENV and ARG
/// values define.
fn with_variables(run: &Run<'_>, word: &Word) -> Option<String> {
    let raw = word.raw.as_str();
    let known = |name: &str| {
        !run.variables.iter().any(|v| v.name == name)
            && run.stage_value(name).is_some_and(|value| !value.is_empty())
    };
    let mut rest = raw;
    let mut literal = String::new();
    while let Some(at) = rest.find('$') {
        literal.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, next) = if let Some(braced) = after.strip_prefix('{') {
            let close = braced.find('}')?;
            (&braced[..close], &braced[close + 1..])
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..len], &after[len..])
        };
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid || !known(name) {
            return None;
        }
        rest = next;
    }
    literal.push_str(rest);
    (literal.is_empty() || plain_path(&literal)).then(|| raw.to_string())
}

/// The directory as an absolute path (a relative WORKDIR is a finding of its own, DL3000):
/// relative ones joined to `current`, when it is known.
fn absolute(current: Option<&str>, directory: String) -> Option<String> {
    let joined = if directory.starts_with(['/', '$']) {
        directory
    } else {
        format!("{}/{directory}", current?.trim_end_matches('/'))
    };
    Some(if joined.contains('$') {
        joined
    } else {
        clean_path(&joined)
    })
}
