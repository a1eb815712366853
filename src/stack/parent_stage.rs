//! A split stage built FROM an in-file stage (`FROM debian AS tools` … `FROM tools`) that
//! installs development tools: the split rewrites one stage, so the two are read as one. A
//! stage continues the image of the stage it is built on (files, ENV, WORKDIR, USER, SHELL,
//! CMD), so the parent's instructions followed by the target's build the same image, as long
//! as the parent has no ONBUILD trigger (a FROM runs them) and declares no ARG (a stage does
//! not see its parent's ARGs; one stage would).

use crate::model::{AssignmentKind, Model, Source, Stage};
use crate::syntax::{Dockerfile, Instruction, Item, Keyword, LineIndex, Span};

/// A source in which the target stage was merged with the stage it is built on, and how its
/// lines map back to the original's.
pub(super) struct Merged {
    pub source: String,
    pub lines: LineMap,
}

/// Lines of a merged source → lines of the original. A parent copied into the target stage
/// adds lines there: those of the copy map to the parent's, those after it move up.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct LineMap {
    /// Line of the target's FROM, where the copy starts (0: nothing was copied).
    copy_start: usize,
    /// Lines the copy spans after its first (the parent's FROM, on one line).
    copy_extra: usize,
    /// Line of the parent's FROM, and the line its FROM instruction ends on.
    parent_line: usize,
    parent_from_end_line: usize,
    /// Line the target's FROM instruction ends on in the original.
    target_from_end_line: usize,
}

impl LineMap {
    pub(super) fn original(&self, line: usize) -> usize {
        if self.copy_start == 0 || line < self.copy_start {
            line
        } else if line == self.copy_start {
            self.parent_line
        } else if line <= self.copy_start + self.copy_extra {
            self.parent_from_end_line + (line - self.copy_start)
        } else {
            self.target_from_end_line + (line - self.copy_start - self.copy_extra)
        }
    }

    /// `text` with every `line N` it mentions mapped back (for what dlayer writes: reasons,
    /// report entries).
    pub(super) fn mentions(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("line ") {
            let (before, after) = rest.split_at(at + "line ".len());
            out.push_str(before);
            // A word ending in `line` (`pipeline 2`) is no line number.
            let whole_word = !rest[..at].ends_with(|c: char| c.is_alphanumeric());
            let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            match after[..digits].parse::<usize>() {
                Ok(line) if whole_word => out.push_str(&self.original(line).to_string()),
                _ => out.push_str(&after[..digits]),
            }
            rest = &after[digits..];
        }
        out.push_str(rest);
        out
    }

    /// `text` (Dockerfile text dlayer wrote) with the `line N` of its comment lines mapped
    /// back: the instructions copied from the original keep their words.
    pub(super) fn comment_mentions(&self, text: &str) -> String {
        text.split_inclusive('\n')
            .map(|line| {
                if line.trim_start().starts_with('#') {
                    self.mentions(line)
                } else {
                    line.to_string()
                }
            })
            .collect()
    }
}

/// The source with the target stage merged into the stage it is built on, when the target is
/// the last stage and the merge builds the same image; `None` otherwise. A parent nothing else
/// uses, just before the target, takes the target in: the target's FROM becomes blank lines
/// (every line keeps its number). A parent other stages use stays, and a copy of it (its FROM
/// without its name, its instructions) takes the place of the target's FROM.
pub(super) fn merged_into_parent(dockerfile: &Dockerfile, model: &Model) -> Option<Merged> {
    let target = model.target?;
    let stage = &model.stages[target];
    let parent = stage.base.stage?;
    if target + 1 != model.stages.len() {
        return None;
    }
    let from = from_instruction(dockerfile, stage.span.start)?;
    let parent_stage = &model.stages[parent];
    if !from.flags.is_empty() || !parent_can_merge(parent_stage) {
        return None;
    }
    let source = dockerfile.source.as_str();
    let used_elsewhere = model.stages.iter().any(|other| {
        (other.index != target && other.base.stage == Some(parent))
            || other
                .copies_from
                .iter()
                .any(|edge| edge.source == (Source::Stage { index: parent }))
    });
    if !used_elsewhere && parent + 1 == target {
        let blank: String = from
            .span
            .text(source)
            .chars()
            .filter(|c| *c == '\n')
            .collect();
        return Some(Merged {
            source: format!(
                "{}{blank}{}",
                &source[..from.span.start],
                &source[from.span.end..]
            ),
            lines: LineMap::default(),
        });
    }
    let parent_from = from_instruction(dockerfile, parent_stage.span.start)?;
    let parent_from_text = parent_from.span.text(source);
    let unnamed_from = without_stage_name(parent_from_text)?;
    let body_end = parent_stage
        .instructions
        .last()
        .map_or(parent_from.span.end, |last| last.span.end);
    let mut body = &source[parent_from.span.end..body_end];
    if !parent_from_text.ends_with('\n') {
        body = body
            .strip_prefix("\r\n")
            .or_else(|| body.strip_prefix('\n'))
            .unwrap_or(body);
    }
    let body = body.trim_end_matches(['\r', '\n']);
    // The copy ends the way the target's FROM did, and starts each instruction on the line
    // after the one before, as in the parent.
    let from_text = from.span.text(source);
    let ending = &from_text[from_text.trim_end_matches(['\r', '\n']).len()..];
    let copy = if body.is_empty() {
        format!("{unnamed_from}{ending}")
    } else {
        format!("{unnamed_from}\n{body}{ending}")
    };
    let index = LineIndex::new(source);
    let last_line_of = |span: Span| index.line(span.end.saturating_sub(1).max(span.start));
    Some(Merged {
        source: format!(
            "{}{copy}{}",
            &source[..from.span.start],
            &source[from.span.end..]
        ),
        lines: LineMap {
            copy_start: stage.line,
            copy_extra: copy.trim_end_matches(['\r', '\n']).matches('\n').count(),
            parent_line: parent_stage.line,
            parent_from_end_line: last_line_of(parent_from.span),
            target_from_end_line: last_line_of(from.span),
        },
    })
}

/// The FROM instruction starting at `start`.
fn from_instruction(dockerfile: &Dockerfile, start: usize) -> Option<&Instruction> {
    dockerfile.items.iter().find_map(|item| match item {
        Item::Instruction(instruction)
            if instruction.span.start == start && instruction.kind == Keyword::From =>
        {
            Some(instruction)
        }
        _ => None,
    })
}

/// Whether the parent's instructions run the same way as the start of the target stage: no
/// ONBUILD trigger (building FROM the parent runs them), and no ARG, which the target's steps
/// would see (as variables, and in the environment of their RUNs, where tools read some
/// without being told: `NODE_ENV`, `PIP_INDEX_URL`).
fn parent_can_merge(parent: &Stage) -> bool {
    let has_onbuild = parent
        .instructions
        .iter()
        .any(|instruction| instruction.keyword.eq_ignore_ascii_case("ONBUILD"));
    let declares_arg = parent
        .assignments
        .iter()
        .any(|assignment| assignment.kind == AssignmentKind::Arg);
    !has_onbuild && !declares_arg
}

/// A FROM instruction's text without its `AS name`, on one line; `None` when it has no name.
fn without_stage_name(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '\\')
        .filter(|word| !word.is_empty())
        .collect();
    let [keyword, reference @ .., as_word, _name] = words.as_slice() else {
        return None;
    };
    as_word
        .eq_ignore_ascii_case("as")
        .then(|| format!("{keyword} {}", reference.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_a_from_without_its_stage_name() {
        assert_eq!(
            without_stage_name("FROM --platform=linux/amd64 debian:bookworm AS base\n").as_deref(),
            Some("FROM --platform=linux/amd64 debian:bookworm")
        );
        assert_eq!(without_stage_name("FROM debian:bookworm\n"), None);
    }

    #[test]
    fn maps_lines_of_a_copied_parent_back() {
        // Parent FROM on line 1, its body on lines 2-3; the target's FROM on line 8, replaced
        // by the copy (lines 8-10 of the merged source).
        let map = LineMap {
            copy_start: 8,
            copy_extra: 2,
            parent_line: 1,
            parent_from_end_line: 1,
            target_from_end_line: 8,
        };
        let original: Vec<usize> = (1..=12).map(|line| map.original(line)).collect();
        assert_eq!(original, [1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 9, 10]);
        assert_eq!(
            map.mentions("line 11 needs what line 9 installs (pipeline 11)"),
            "line 9 needs what line 2 installs (pipeline 11)"
        );
        assert_eq!(
            map.comment_mentions("# from line 9: x\nRUN echo line 9\n"),
            "# from line 2: x\nRUN echo line 9\n"
        );
    }
}
