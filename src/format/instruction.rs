//! One instruction in canonical layout.
//!
//! The instruction's joined text (what BuildKit sees) is cut into parts: words, the blanks
//! between them and the line breaks. A line break whose surrounding blanks only separate words
//! is *free*: the formatter writes ` \` there, a new line and the line's indentation. Any other
//! break (inside a quoted string, between two halves of a word) is kept at exactly the same
//! offset with exactly the same blanks around it, so the joined text keeps its meaning.

use super::lexical::{Lexical, analyse, is_blank};
use super::packages;
use super::{OperatorPosition, Options};
use crate::syntax::{Instruction, Span};

/// A piece of the joined text, or a line break in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Part {
    /// Bytes that are not separator blanks; `start` is their offset in the joined text.
    Text {
        text: String,
        start: usize,
    },
    /// Separator blanks on one line; `head` ones (between keyword, flags and arguments)
    /// become one space.
    Gap {
        blanks: String,
        head: bool,
    },
    Break(Break),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Break {
    /// Free breaks replace the blanks around them; others are kept exactly.
    pub free: bool,
    /// Comment lines BuildKit skips inside the continuation, `#` onwards.
    pub comments: Vec<String>,
    /// Indentation of the next line in the source, in columns (tabs count 4).
    pub width: usize,
    /// Indentation level of the next line (4 spaces each by default).
    pub level: usize,
    /// The level was set by the formatter (package lists), not read from the source.
    pub explicit: bool,
}

impl Break {
    pub(super) fn inserted(level: usize) -> Break {
        Break {
            free: true,
            comments: Vec::new(),
            width: 0,
            level,
            explicit: true,
        }
    }
}

/// A code line of the instruction in the source: its piece of the joined text.
struct CodeLine {
    start: usize,
    continues: bool,
    /// Leading blanks of the physical line, in columns.
    width: usize,
    /// Comment lines between the previous code line and this one.
    comments: Vec<String>,
}

/// The formatted instruction (without the final newline), or `None` when it must stay as
/// written (its lines do not add up to BuildKit's joined text).
pub(super) fn format_instruction(
    instruction: &Instruction,
    source: &str,
    escape: char,
    newline: &str,
    options: &Options,
) -> Option<String> {
    let logical_end = instruction
        .heredocs
        .first()
        .map_or(instruction.span.end, |heredoc| {
            heredoc.content_span.start.min(heredoc.terminator.start)
        });
    let (lines, trailing_comments) = code_lines(instruction, source, escape, logical_end)?;
    let lexical = analyse(instruction);
    let mut parts = parts(instruction, &lexical, &lines)?;
    let shell = lexical
        .shell
        .map(|(start, end)| (start, lexical.shell_comment.unwrap_or(end)));
    let lists = match (shell, options.package_lists) {
        (Some(shell), super::PackageLists::OnePerLine) => packages::find_lists(&parts, shell),
        _ => Vec::new(),
    };
    packages::mark_multiline(&mut parts, &lists);
    assign_levels(&mut parts);
    if let Some(shell) = shell {
        move_operators(&mut parts, shell, options.operator_position);
        packages::split_long(&mut parts, &lists, options);
        move_operators(&mut parts, shell, options.operator_position);
        if options.sort_packages {
            packages::sort(&mut parts, shell);
        }
    }
    let dangling = lines.last().is_some_and(|line| line.continues);
    let mut out = emit(&parts, escape, newline, options.indent_width);
    if dangling {
        trim_blanks_end(&mut out);
        out.push(' ');
        out.push(escape);
        for comment in trailing_comments {
            out.push_str(newline);
            out.push_str(&" ".repeat(options.indent_width));
            out.push_str(&comment);
        }
    }
    let tail = &source[logical_end..instruction.span.end];
    if !tail.is_empty() {
        out.push_str(newline);
        out.push_str(tail.strip_suffix('\n').unwrap_or(tail));
        if tail.ends_with("\r\n") {
            out.pop();
        }
    }
    Some(out)
}

fn trim_blanks_end(text: &mut String) {
    let kept = text.trim_end_matches([' ', '\t']).len();
    text.truncate(kept);
}

/// Columns of leading blanks (a tab counts 4).
fn indent_width(line: &str) -> usize {
    line.bytes()
        .take_while(|&b| is_blank(b))
        .map(|b| if b == b'\t' { 4 } else { 1 })
        .sum()
}

/// The code lines of the instruction's continuation, with the comment lines before each,
/// and the comment lines after the last one. `None` when the pieces do not make up the
/// joined text.
fn code_lines(
    instruction: &Instruction,
    source: &str,
    escape: char,
    logical_end: usize,
) -> Option<(Vec<CodeLine>, Vec<String>)> {
    let mut lines = Vec::new();
    let mut comments = Vec::new();
    let mut joined = String::new();
    let mut line_start = instruction.span.start;
    while line_start < logical_end {
        let line_end = source[line_start..logical_end]
            .find('\n')
            .map_or(logical_end, |i| line_start + i + 1);
        let span = Span::new(line_start, line_end);
        line_start = line_end;
        let content = span.text(source).trim_end_matches(['\r', '\n']);
        if instruction
            .continuation_comments
            .iter()
            .any(|comment| comment.start == span.start)
        {
            comments.push(content.trim().to_string());
            continue;
        }
        if instruction
            .empty_continuation_lines
            .iter()
            .any(|empty| empty.start == span.start)
        {
            continue;
        }
        let first = lines.is_empty();
        let piece = if first { content.trim_start() } else { content };
        let (piece, continues) = trim_continuation(piece, escape);
        let start = joined.len();
        joined.push_str(piece);
        lines.push(CodeLine {
            start,
            continues,
            width: indent_width(content),
            comments: std::mem::take(&mut comments),
        });
    }
    (joined == instruction.original).then_some((lines, comments))
}

/// BuildKit's `trimContinuationCharacter`: an escape token (and blanks) ending the line.
fn trim_continuation(line: &str, escape: char) -> (&str, bool) {
    let trimmed = line.trim_end_matches([' ', '\t']);
    match trimmed.strip_suffix(escape) {
        Some(before) if !before.ends_with(escape) => (before, true),
        _ => (line, false),
    }
}

/// A line break of the source, in the joined text.
struct Join {
    at: usize,
    free: bool,
    comments: Vec<String>,
    width: usize,
}

/// Where the source breaks lines: a break is free when the blanks around it are all
/// separators (and there is at least one). `None` when a comment line sits in blanks the
/// joined text ends with (such an instruction is left as written).
fn joins(lines: &[CodeLine], bytes: &[u8], free: &[bool], len: usize) -> Option<Vec<Join>> {
    let mut joins = Vec::new();
    for line in lines.iter().skip(1) {
        if line.start >= len {
            if !line.comments.is_empty() {
                return None;
            }
            continue;
        }
        let at = line.start;
        let mut before = at;
        while before > 0 && is_blank(bytes[before - 1]) {
            before -= 1;
        }
        let mut after = at;
        while after < len && is_blank(bytes[after]) {
            after += 1;
        }
        joins.push(Join {
            at,
            free: before < after && free[before..after].iter().all(|&f| f),
            comments: line.comments.clone(),
            width: line.width,
        });
    }
    Some(joins)
}

fn kept_break(join: &Join) -> Part {
    Part::Break(Break {
        free: false,
        comments: join.comments.clone(),
        width: join.width,
        level: 0,
        explicit: false,
    })
}

/// Cuts the joined text into words, separator blanks and line breaks.
fn parts(instruction: &Instruction, lexical: &Lexical, lines: &[CodeLine]) -> Option<Vec<Part>> {
    let mut text = instruction.original.clone();
    for &(start, end) in lexical.keywords.iter().chain(&lexical.from_as) {
        let upper = text[start..end].to_ascii_uppercase();
        text.replace_range(start..end, &upper);
    }
    let bytes = text.as_bytes();
    let len = text.trim_end_matches([' ', '\t']).len();
    let free = &lexical.free;
    let joins = joins(lines, bytes, free, len)?;
    let in_head = |at: usize| {
        lexical
            .heads
            .iter()
            .any(|&(start, end)| start <= at && at < end)
    };
    let mut parts = Vec::new();
    let mut next = 0;
    let mut i = 0;
    while i < len {
        if free[i] {
            let start = i;
            while i < len && free[i] {
                i += 1;
            }
            let mut gap_start = start;
            let mut brk: Option<Break> = None;
            while let Some(join) = joins.get(next).filter(|join| join.at <= i) {
                next += 1;
                if join.free {
                    let breaking = brk.get_or_insert_with(|| Break::inserted(0));
                    breaking.explicit = false;
                    breaking.comments.extend(join.comments.iter().cloned());
                    breaking.width = join.width;
                } else if join.at > gap_start && join.at < i {
                    // Blanks that are kept around a break inside a quoted or escaped run.
                    parts.push(Part::Gap {
                        blanks: text[gap_start..join.at].to_string(),
                        head: false,
                    });
                    parts.push(kept_break(join));
                    gap_start = join.at;
                } else {
                    next -= 1;
                    break;
                }
            }
            parts.push(match brk {
                Some(brk) => Part::Break(brk),
                None => Part::Gap {
                    blanks: text[gap_start..i].to_string(),
                    head: gap_start == start && in_head(start),
                },
            });
            continue;
        }
        while let Some(join) = joins.get(next).filter(|join| join.at == i && !join.free) {
            parts.push(kept_break(join));
            next += 1;
        }
        let start = i;
        i += 1;
        while i < len && !free[i] && joins.get(next).is_none_or(|join| join.at != i) {
            i += 1;
        }
        parts.push(Part::Text {
            text: text[start..i].to_string(),
            start,
        });
        while let Some(join) = joins.get(next).filter(|join| join.at == i && !join.free) {
            parts.push(kept_break(join));
            next += 1;
        }
    }
    Some(parts)
}

/// Continuation lines are indented by nesting level: the distinct source indentations of
/// the instruction, smallest first, become levels 1, 2, 3...
fn assign_levels(parts: &mut [Part]) {
    let mut widths: Vec<usize> = parts
        .iter()
        .filter_map(|part| match part {
            Part::Break(brk) if brk.free && !brk.explicit => Some(brk.width),
            _ => None,
        })
        .collect();
    widths.sort_unstable();
    widths.dedup();
    for part in parts.iter_mut() {
        if let Part::Break(brk) = part {
            if brk.free && !brk.explicit {
                brk.level = 1 + widths.binary_search(&brk.width).unwrap_or(0);
            }
        }
    }
}

fn is_operator(part: &Part) -> bool {
    matches!(part, Part::Text { text, .. } if matches!(text.as_str(), "&&" | "||" | "|"))
}

fn free_break(part: &Part) -> Option<&Break> {
    match part {
        Part::Break(brk) if brk.free => Some(brk),
        _ => None,
    }
}

pub(super) fn in_range(part: &Part, (start, end): (usize, usize)) -> bool {
    matches!(part, Part::Text { start: at, .. } if start <= *at && *at < end)
}

/// Puts `&&`, `||` and `|` at the end of a broken line (trailing) or the start of the next
/// (leading).
pub(super) fn move_operators(
    parts: &mut [Part],
    shell: (usize, usize),
    position: OperatorPosition,
) {
    for k in 1..parts.len().saturating_sub(1) {
        if !is_operator(&parts[k]) || !in_range(&parts[k], shell) {
            continue;
        }
        let (before, after) = (&parts[k - 1], &parts[k + 1]);
        let gap = |part: &Part| matches!(part, Part::Gap { .. });
        match position {
            OperatorPosition::Leading => match (free_break(before), free_break(after)) {
                (None, Some(_)) if gap(before) => parts.swap(k - 1, k + 1),
                (Some(_), Some(next)) => {
                    let next = next.clone();
                    if let Part::Break(first) = &mut parts[k - 1] {
                        first.comments.extend(next.comments);
                        first.level = next.level;
                        first.width = next.width;
                    }
                    parts[k + 1] = single_space();
                }
                _ => continue,
            },
            OperatorPosition::Trailing => match (free_break(before), free_break(after)) {
                (Some(_), None) if gap(after) => parts.swap(k - 1, k + 1),
                (Some(first), Some(_)) => {
                    let first = first.clone();
                    if let Part::Break(next) = &mut parts[k + 1] {
                        let mut comments = first.comments;
                        comments.append(&mut next.comments);
                        next.comments = comments;
                    }
                    parts[k - 1] = single_space();
                }
                _ => continue,
            },
        }
        for index in [k - 1, k + 1] {
            if let Part::Gap { blanks, .. } = &mut parts[index] {
                *blanks = " ".to_string();
            }
        }
    }
}

fn single_space() -> Part {
    Part::Gap {
        blanks: " ".to_string(),
        head: false,
    }
}

/// Writes the parts out as lines.
fn emit(parts: &[Part], escape: char, newline: &str, indent: usize) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Text { text, .. } => out.push_str(text),
            Part::Gap { blanks, head } => out.push_str(if *head { " " } else { blanks }),
            Part::Break(brk) if brk.free => {
                out.push(' ');
                out.push(escape);
                let pad = " ".repeat(indent * brk.level.max(1));
                for comment in &brk.comments {
                    out.push_str(newline);
                    out.push_str(&pad);
                    out.push_str(comment);
                }
                out.push_str(newline);
                out.push_str(&pad);
            }
            Part::Break(brk) => {
                out.push(escape);
                for comment in &brk.comments {
                    out.push_str(newline);
                    out.push_str(&" ".repeat(indent));
                    out.push_str(comment);
                }
                out.push_str(newline);
            }
        }
    }
    trim_blanks_end(&mut out);
    out
}

/// Characters of the output line holding part `index`.
pub(super) fn line_length(parts: &[Part], index: usize, indent: usize) -> usize {
    let start = parts[..=index]
        .iter()
        .rposition(|part| matches!(part, Part::Break(_)))
        .map_or(0, |i| i + 1);
    let mut length = match start.checked_sub(1).map(|i| &parts[i]) {
        Some(Part::Break(brk)) if brk.free => indent * brk.level.max(1),
        _ => 0,
    };
    for part in &parts[start..] {
        match part {
            Part::Text { text, .. } => length += text.chars().count(),
            Part::Gap { blanks, head } => length += if *head { 1 } else { blanks.len() },
            Part::Break(_) => return length + 2,
        }
    }
    length
}
