//! Byte spans and the line index that turns them into line/column positions.

use serde::Serialize;

/// A half-open byte range `start..end` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

// The small accessors are `#[inline]`: spans are made and measured everywhere, and without
// link-time optimisation a call to another codegen unit cost more than the body.
impl Span {
    #[inline]
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    #[inline]
    pub const fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }

    #[inline]
    pub const fn len(&self) -> usize {
        self.end - self.start
    }

    #[inline]
    pub const fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    #[inline]
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.start..self.end]
    }

    pub fn shift(self, by: usize) -> Span {
        Span::new(self.start + by, self.end + by)
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(range: std::ops::Range<usize>) -> Self {
        Span::new(range.start, range.end)
    }
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Offsets of every line start, built once per source.
///
/// Only `\n` ends a line, as in BuildKit; a `\r` before it belongs to the line.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
    /// The source is all ASCII (most Dockerfiles): a column is then a byte difference, and
    /// [`LineIndex::position`] need not count the characters of the line before it.
    ascii: bool,
}

impl LineIndex {
    pub fn new(source: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1));
        LineIndex {
            line_starts,
            len: source.len(),
            ascii: source.is_ascii(),
        }
    }

    /// The index of `source` from the physical lines the parser split it into (from any
    /// start): each line that ends with its `\n` starts the next one, so the source is not
    /// scanned a second time.
    pub(super) fn from_lines(source: &str, lines: &[super::lines::PhysicalLine]) -> Self {
        // Every line but the last ends with its `\n`; the last does when the source does.
        let ends_with_newline = source.ends_with('\n');
        let ending = match lines.split_last() {
            Some((_, before)) if !ends_with_newline => before,
            _ => lines,
        };
        let mut line_starts = Vec::with_capacity(ending.len() + 1);
        line_starts.push(0);
        // A plain copy of the ends (the count is known): no test per line.
        line_starts.extend(ending.iter().map(|line| line.span.end));
        LineIndex {
            line_starts,
            len: source.len(),
            ascii: source.is_ascii(),
        }
    }

    /// Whether `source` (the text this index was built from) is all ASCII, so that a column
    /// is a byte difference.
    pub fn is_ascii_source(&self, source: &str) -> bool {
        self.ascii && source.len() == self.len
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 1-based line holding `offset` (an offset at the very end belongs to the last line).
    pub fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(exact) => exact + 1,
            Err(next) => next,
        }
    }

    /// Byte offset where the 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line.saturating_sub(1).min(self.line_starts.len() - 1)]
    }

    pub fn position(&self, source: &str, offset: usize) -> Position {
        let ascii = self.is_ascii_source(source);
        // Every byte of an ASCII source is a character and a char boundary.
        let offset = offset.min(source.len());
        let offset = if ascii {
            offset
        } else {
            clamp_to_char_boundary(source, offset)
        };
        self.column_position(source, ascii, self.line(offset), offset)
    }

    /// [`LineIndex::position`] counting the characters before the offset on its line.
    #[cfg(test)]
    fn counted_position(&self, source: &str, offset: usize) -> Position {
        let offset = clamp_to_char_boundary(source, offset.min(source.len()));
        self.column_position(source, false, self.line(offset), offset)
    }

    /// [`line`](Self::line), searched for from line `hint` (callers that locate offsets in
    /// increasing order pass the line found last): forward in steps that double, so that the
    /// next line or one a few lines on is found in a step or two; an offset before the hint's
    /// line is left to a binary search.
    pub fn line_near(&self, hint: usize, offset: usize) -> usize {
        let offset = offset.min(self.len);
        let starts = &self.line_starts;
        let mut low = hint.max(1).min(starts.len());
        if starts[low - 1] > offset {
            return self.line(offset);
        }
        // The line is at least `low` (which starts at or before the offset) and, once a probe
        // starts after the offset (or past the last line), before the probe.
        let mut step = 1;
        while starts
            .get(low + step - 1)
            .is_some_and(|&start| start <= offset)
        {
            low += step;
            step *= 2;
        }
        if step == 1 {
            // The line after the hint's starts after the offset (most lookups).
            return low;
        }
        let end = (low + step - 1).min(starts.len());
        low + starts[low..end].partition_point(|&start| start <= offset)
    }

    /// The positions of `start` and `end` (char boundaries of `source`, the text this index
    /// was built from, with `start <= end <= source.len()`), as [`position`](Self::position)
    /// gives them. `hint` is a line to look for `start` on first (see
    /// [`line_near`](Self::line_near)); the line of `start` is left there. An end on the line
    /// of its start (most spans) is found without a second search, its column from the start's.
    pub fn span_positions(
        &self,
        source: &str,
        start: usize,
        end: usize,
        hint: &mut usize,
    ) -> (Position, Position) {
        let ascii = self.is_ascii_source(source);
        let line = self.line_near(*hint, start);
        *hint = line;
        let start_position = self.column_position(source, ascii, line, start);
        let on_start_line = self.line_starts.get(line).is_none_or(|&next| end < next);
        let end_position = if !on_start_line {
            let end_line = self.line_near(line + 1, end);
            self.column_position(source, ascii, end_line, end)
        } else if ascii {
            Position {
                line,
                column: start_position.column + (end - start),
            }
        } else {
            Position {
                line,
                column: start_position.column + source[start..end].chars().count(),
            }
        };
        (start_position, end_position)
    }

    /// The position of `offset` (a char boundary) on its 1-based `line`.
    fn column_position(&self, source: &str, ascii: bool, line: usize, offset: usize) -> Position {
        let line_start = self.line_start(line);
        let column = if ascii {
            offset - line_start
        } else {
            source[line_start..offset].chars().count()
        };
        Position {
            line,
            column: column + 1,
        }
    }

    /// Last line touched by `span`: a span ending right after a newline ends on that line.
    pub fn end_line(&self, span: Span) -> usize {
        if span.is_empty() {
            self.line(span.start)
        } else {
            self.line(span.end - 1)
        }
    }
}

fn clamp_to_char_boundary(source: &str, mut offset: usize) -> usize {
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_from_physical_lines_is_the_scanned_index() {
        for src in [
            "",
            "\n",
            "a",
            "a\nb",
            "a\r\nb\n",
            "\u{feff}",
            "\u{feff}x\n\ny",
        ] {
            let start = if src.starts_with('\u{feff}') { 3 } else { 0 };
            let lines = super::super::lines::physical_lines(src, start);
            let from_lines = LineIndex::from_lines(src, &lines);
            assert_eq!(
                from_lines.line_starts,
                LineIndex::new(src).line_starts,
                "{src:?}"
            );
        }
    }

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let src = "ab\n☃x\r\nlast";
        let index = LineIndex::new(src);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.position(src, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(src, 3), Position { line: 2, column: 1 });
        // after the 3-byte snowman
        assert_eq!(index.position(src, 6), Position { line: 2, column: 2 });
        assert_eq!(
            index.position(src, src.len()),
            Position { line: 3, column: 5 }
        );
        assert_eq!(index.end_line(Span::new(0, 3)), 1);
        assert_eq!(index.end_line(Span::new(0, 4)), 2);
    }

    /// The positions of a span's ends, from any hint, are those of the ends one by one.
    #[test]
    fn span_positions_are_the_positions_of_the_ends() {
        for src in [
            "",
            "\n",
            "ab\ncd\r\n\nlast",
            "RUN a \\\n  b\n",
            "é\nab☃c\r\nx\n",
        ] {
            let index = LineIndex::new(src);
            let boundaries: Vec<usize> = (0..=src.len())
                .filter(|&at| src.is_char_boundary(at))
                .collect();
            for &start in &boundaries {
                for &end in boundaries.iter().filter(|&&end| end >= start) {
                    for hint in 0..=index.line_count() + 1 {
                        let mut near = hint;
                        let positions = index.span_positions(src, start, end, &mut near);
                        let expected = (index.position(src, start), index.position(src, end));
                        assert_eq!(positions, expected, "{src:?} {start}..{end} from {hint}");
                        assert_eq!(near, expected.0.line);
                    }
                }
            }
        }
    }

    /// The ASCII shortcut gives the positions the character count gives, at every offset
    /// (past the end too); a source with a multibyte character counts characters.
    #[test]
    fn ascii_positions_are_counted_positions() {
        for src in ["", "\n", "ab\ncd\r\n\nlast", "RUN a \\\n  b\n"] {
            let index = LineIndex::new(src);
            assert!(index.ascii);
            for offset in 0..=src.len() + 2 {
                assert_eq!(
                    index.position(src, offset),
                    index.counted_position(src, offset),
                    "{src:?} at {offset}"
                );
            }
        }
        let src = "é\nab☃c\r\nx";
        let index = LineIndex::new(src);
        assert!(!index.ascii);
        let lines = super::super::lines::physical_lines(src, 0);
        assert!(!LineIndex::from_lines(src, &lines).ascii);
        for offset in 0..=src.len() {
            let at = clamp_to_char_boundary(src, offset);
            let line_start = src[..at].rfind('\n').map_or(0, |newline| newline + 1);
            let expected = Position {
                line: src[..at].matches('\n').count() + 1,
                column: src[line_start..at].chars().count() + 1,
            };
            assert_eq!(index.position(src, offset), expected, "at {offset}");
        }
    }
}
