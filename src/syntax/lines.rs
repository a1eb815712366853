//! Physical lines as BuildKit's scanner reads them, and logical lines joined from them.

use super::byte_scan;
use super::span::Span;
use super::tree::Pieces;

/// BuildKit's scanner refuses a line (newline excluded) longer than this.
pub const MAX_LINE_LEN: usize = 65535;

/// One physical line: `span` covers it with its `\n`; `content` stops before the trailing
/// run of `\r`/`\n` that BuildKit trims.
#[derive(Clone, Copy, Debug)]
pub struct PhysicalLine {
    pub span: Span,
    pub content: Span,
}

impl PhysicalLine {
    /// True when BuildKit's 64 KiB scanner buffer cannot hold this line.
    #[inline]
    pub fn too_long(&self, source: &str) -> bool {
        let newline =
            usize::from(source.as_bytes().get(self.span.end.wrapping_sub(1)) == Some(&b'\n'));
        self.span.len() - newline > MAX_LINE_LEN
    }
}

/// Splits `source[start..]` into physical lines; only `\n` ends a line.
pub fn physical_lines(source: &str, start: usize) -> Vec<PhysicalLine> {
    let bytes = source.as_bytes();
    let start = start.min(bytes.len());
    // Sized for short lines up front, so that the list is seldom regrown (and copied).
    let mut lines = Vec::with_capacity((bytes.len() - start) / EXPECTED_LINE_LEN + 1);
    let mut line_start = start;
    // `content_end` is where the line's newline is (or the text ends): only carriage returns
    // can precede it in the trailing run that BuildKit trims, since a line holds one newline.
    let mut push = |line_start: usize, content_end: usize, end: usize| {
        let mut content_end = content_end;
        while content_end > line_start && bytes[content_end - 1] == b'\r' {
            content_end -= 1;
        }
        lines.push(PhysicalLine {
            span: Span::new(line_start, end),
            content: Span::new(line_start, content_end),
        });
    };
    for_each_newline(bytes, start, |newline| {
        push(line_start, newline, newline + 1);
        line_start = newline + 1;
    });
    if line_start < bytes.len() {
        push(line_start, bytes.len(), bytes.len());
    }
    lines
}

/// A guess at the average line's length, on the short side: Dockerfile lines average more.
const EXPECTED_LINE_LEN: usize = 32;

/// Calls `found` with the offset of each `\n` byte of `bytes[start..]`, in order (a search
/// started anew for each line paid its setup once per line, more than the search itself).
fn for_each_newline(bytes: &[u8], start: usize, mut found: impl FnMut(usize)) {
    byte_scan::for_each_position(&bytes[start..], b'\n', |at| found(start + at));
}

/// A piece of joined text copied verbatim from the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    text_start: usize,
    source: Span,
}

/// Maps offsets in a joined text (an instruction after continuation lines are removed) back to
/// the source: every byte of the text was copied from one byte of the source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextMap {
    segments: Vec<Segment>,
    /// The source offset the end of the text maps to.
    source_end: usize,
}

impl TextMap {
    /// The map of the text made by concatenating `pieces` of the source, in order.
    pub fn from_pieces(pieces: &[Span], source_end: usize) -> Self {
        let mut map = TextMap {
            segments: Vec::with_capacity(pieces.len()),
            source_end,
        };
        pieces.iter().for_each(|piece| map.push(*piece));
        map
    }

    fn text_len(&self) -> usize {
        self.segments
            .last()
            .map_or(0, |last| last.text_start + last.source.len())
    }

    fn push(&mut self, piece: Span) {
        self.source_end = piece.end;
        if !piece.is_empty() {
            let text_start = self.text_len();
            self.segments.push(Segment {
                text_start,
                source: piece,
            });
        }
    }

    /// The source spans whose concatenation is the text.
    pub fn pieces(&self) -> Vec<Span> {
        self.segments.iter().map(|segment| segment.source).collect()
    }

    /// [`pieces`](Self::pieces) as an instruction holds them.
    pub fn instruction_pieces(&self) -> Pieces {
        match self.segments.as_slice() {
            // Most instructions: one line, one span, no list.
            [one] => Pieces::One(one.source),
            segments => Pieces::Many(segments.iter().map(|segment| segment.source).collect()),
        }
    }

    /// `TextMap::from_pieces(pieces, source_end)` mapping `source` to text offset `at`, and
    /// the map of its text range `at..at + len` (as [`text_offset`](Self::text_offset) and
    /// [`slice`](Self::slice) give them), without building the whole map.
    pub fn slice_of_pieces(
        pieces: &[Span],
        source_end: usize,
        source: usize,
        len: usize,
    ) -> Option<(usize, TextMap)> {
        let whole_end = pieces.last().map_or(source_end, |last| last.end);
        let segments = || {
            let mut text_start = 0;
            pieces
                .iter()
                .filter(|piece| !piece.is_empty())
                .map(move |&piece| {
                    let segment = Segment {
                        text_start,
                        source: piece,
                    };
                    text_start += piece.len();
                    segment
                })
        };
        let at = segments()
            .find(|segment| segment.source.start <= source && source < segment.source.end)
            .map(|segment| segment.text_start + (source - segment.source.start))
            .or_else(|| {
                (source == whole_end).then(|| pieces.iter().map(Span::len).sum::<usize>())
            })?;
        Some((
            at,
            Self::slice_segments(segments(), whole_end, at, at + len),
        ))
    }

    /// The source span of the nonempty text range `start..end` when the first segment holds
    /// it, as [`span`](Self::span) gives it.
    #[inline]
    fn first_segment_span(&self, start: usize, end: usize) -> Option<Span> {
        let first = self.segments.first()?;
        // The first segment starts the text (`text_start` 0).
        (start < end && end <= first.source.len()).then(|| {
            let source_start = first.source.start + start;
            Span::new(source_start, source_start + (end - start))
        })
    }

    /// The source offset of text offset `at` (the end of the text maps to the end of the last piece).
    pub fn source_offset(&self, at: usize) -> usize {
        match self.segment(at) {
            Some(segment) => segment.source.start + (at - segment.text_start),
            None => self.source_end,
        }
    }

    /// The source span of text range `start..end`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        self.span_near(&mut 0, start, end)
    }

    /// [`span`](Self::span) for a caller that maps ranges in mostly increasing order (the
    /// words of a RUN): `hint` is the segment the previous call found `start` in, and this one
    /// looks there and in the next segment before searching, then leaves its own there.
    pub fn span_near(&self, hint: &mut usize, start: usize, end: usize) -> Span {
        if start < end
            && let Some(index) = self.segment_near(*hint, start)
        {
            *hint = index;
            let segment = self.segments[index];
            if end - segment.text_start <= segment.source.len() {
                // Both ends in one segment (a word inside one line): one lookup for both.
                let source_start = segment.source.start + (start - segment.text_start);
                return Span::new(source_start, source_start + (end - start));
            }
        }
        let source_start = self.source_offset(start);
        if end <= start {
            return Span::empty(source_start);
        }
        Span::new(source_start, self.source_offset(end - 1) + 1)
    }

    /// The segment holding text offset `at`, found as [`span_near`](Self::span_near) finds
    /// it: its text range and the source offset it starts at.
    pub fn segment_near_offset(
        &self,
        hint: &mut usize,
        at: usize,
    ) -> Option<(usize, usize, usize)> {
        let index = self.segment_near(*hint, at)?;
        *hint = index;
        let segment = self.segments[index];
        let text_end = segment.text_start + segment.source.len();
        Some((segment.text_start, text_end, segment.source.start))
    }

    /// The index of the segment holding text offset `at`: segment `hint` or the one after it
    /// when they hold it, else found by a binary search; `None` past the text.
    fn segment_near(&self, hint: usize, at: usize) -> Option<usize> {
        let holds = |index: usize| {
            self.segments.get(index).is_some_and(|segment| {
                segment.text_start <= at && at - segment.text_start < segment.source.len()
            })
        };
        if holds(hint) {
            return Some(hint);
        }
        if holds(hint + 1) {
            return Some(hint + 1);
        }
        self.segment_index(at)
    }

    /// The segment holding text offset `at`, if it is inside the text.
    fn segment(&self, at: usize) -> Option<&Segment> {
        self.segment_index(at).map(|index| &self.segments[index])
    }

    fn segment_index(&self, at: usize) -> Option<usize> {
        if at >= self.text_len() {
            return None;
        }
        let index = self
            .segments
            .partition_point(|segment| segment.text_start <= at);
        Some(index - 1)
    }

    /// The text offset of a source offset that lies in one of the pieces.
    pub fn text_offset(&self, source: usize) -> Option<usize> {
        self.segments
            .iter()
            .find(|segment| segment.source.start <= source && source < segment.source.end)
            .map(|segment| segment.text_start + (source - segment.source.start))
            .or_else(|| (source == self.source_end).then(|| self.text_len()))
    }

    /// The map of the text range `start..end`, rebased so that `start` becomes offset 0.
    pub fn slice(&self, start: usize, end: usize) -> TextMap {
        Self::slice_segments(self.segments.iter().copied(), self.source_end, start, end)
    }

    /// [`slice`](Self::slice) of the map with these segments and `source_end`.
    fn slice_segments(
        segments: impl Iterator<Item = Segment>,
        source_end: usize,
        start: usize,
        end: usize,
    ) -> TextMap {
        // Sized for every segment (a RUN's script is most of its instruction): the list of a
        // long RUN is not regrown once per doubling.
        let mut sliced = TextMap {
            segments: Vec::with_capacity(segments.size_hint().1.unwrap_or(0)),
            source_end,
        };
        let mut start_found = false;
        for segment in segments {
            // `source_offset(start)`: in the segment holding `start`, else the map's end.
            if !start_found
                && segment.text_start <= start
                && start - segment.text_start < segment.source.len()
            {
                start_found = true;
                sliced.source_end = segment.source.start + (start - segment.text_start);
            }
            let seg_start = segment.text_start.max(start);
            let seg_end = (segment.text_start + segment.source.len()).min(end);
            if seg_start < seg_end {
                let offset = segment.source.start + (seg_start - segment.text_start);
                sliced.push(Span::new(offset, offset + (seg_end - seg_start)));
            }
        }
        sliced
    }
}

/// The text of an instruction after continuation lines are joined, with its map to the source.
#[derive(Clone, Debug, Default)]
pub struct LogicalLine {
    pub text: String,
    pub map: TextMap,
}

impl LogicalLine {
    /// `source[piece]` for each of `pieces` (at least one), joined: the text is allocated once,
    /// at its size, and the map is built in `map`'s storage (the parser hands back the map of
    /// the line before, so that it allocates only when a line has more pieces than any before).
    pub fn from_pieces(source: &str, pieces: &[Span], mut map: TextMap) -> Self {
        map.segments.clear();
        // The end of the text maps to the end of the last piece (as `TextMap::from_pieces`).
        map.source_end = pieces.last().map_or(0, |last| last.end);
        let mut add_segment = |text_start: usize, piece: Span| {
            if !piece.is_empty() {
                map.segments.push(Segment {
                    text_start,
                    source: piece,
                });
            }
        };
        // Most instructions take one line: their text is that line's piece.
        let text = match pieces {
            [piece] => {
                add_segment(0, *piece);
                piece.text(source).to_string()
            }
            _ => {
                let mut len = 0;
                for piece in pieces {
                    len += piece.len();
                }
                // One pass copies each piece and maps it.
                let mut text = String::with_capacity(len);
                for &piece in pieces {
                    add_segment(text.len(), piece);
                    text.push_str(piece.text(source));
                }
                text
            }
        };
        LogicalLine { text, map }
    }

    /// The source span of text range `start..end`.
    #[inline]
    pub fn span(&self, start: usize, end: usize) -> Span {
        // Most ranges lie in the first segment (most lines have no other): no search.
        self.map
            .first_segment_span(start, end)
            .unwrap_or_else(|| self.map.span(start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_their_newlines_and_trim_carriage_returns() {
        let src = "a\r\nb\r\r\n\nc";
        let lines = physical_lines(src, 0);
        let spans: Vec<_> = lines
            .iter()
            .map(|l| (l.span.text(src), l.content.text(src)))
            .collect();
        assert_eq!(
            spans,
            vec![("a\r\n", "a"), ("b\r\r\n", "b"), ("\n", ""), ("c", "c")]
        );
    }

    #[test]
    fn joined_text_maps_back_to_source() {
        let src = "RUN a \\\n  b\n";
        let line = LogicalLine::from_pieces(
            src,
            &[Span::new(0, 6), Span::new(8, 11)],
            TextMap::default(),
        );
        assert_eq!(line.text, "RUN a   b");
        assert_eq!(line.span(4, 9), Span::new(4, 11));
        assert_eq!(line.span(8, 9).text(src), "b");
        assert_eq!(line.map.source_offset(9), 11);
        assert_eq!(line.map.text_offset(8), Some(6));
        assert_eq!(line.map.text_offset(6), None);
        let tail = line.map.slice(4, 9);
        assert_eq!(tail.span(0, 5), Span::new(4, 11));
        assert_eq!(tail.pieces(), vec![Span::new(4, 6), Span::new(8, 11)]);
    }

    /// A slice is the map of its range's pieces pushed one by one, its end where its start
    /// maps to when it has none.
    #[test]
    fn slices_are_the_maps_of_their_pieces() {
        let pieces = [
            Span::new(0, 3),
            Span::new(5, 5),
            Span::new(7, 9),
            Span::new(12, 16),
        ];
        let map = TextMap::from_pieces(&pieces, 16);
        let len = map.text_len();
        for start in 0..=len + 1 {
            for end in 0..=len + 1 {
                let mut expected = TextMap {
                    segments: Vec::new(),
                    source_end: map.source_offset(start),
                };
                for segment in &map.segments {
                    let from = segment.text_start.max(start);
                    let to = (segment.text_start + segment.source.len()).min(end);
                    if from < to {
                        let offset = segment.source.start + (from - segment.text_start);
                        expected.push(Span::new(offset, offset + (to - from)));
                    }
                }
                assert_eq!(map.slice(start, end), expected, "{start}..{end}");
            }
        }
    }

    #[test]
    fn newlines_are_found_in_whole_blocks_and_the_tail() {
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 100] {
            for start in [0, 1, 3] {
                let text: String = (0..len)
                    .map(|i| {
                        if i % 7 == 3 || i % 16 == 15 {
                            '\n'
                        } else {
                            'x'
                        }
                    })
                    .collect();
                let start = start.min(text.len());
                let expected: Vec<usize> = (start..text.len())
                    .filter(|&i| text.as_bytes()[i] == b'\n')
                    .collect();
                let mut found = Vec::new();
                for_each_newline(text.as_bytes(), start, |at| found.push(at));
                assert_eq!(found, expected);
            }
        }
    }

    #[test]
    fn line_limit_counts_bytes_without_the_newline() {
        let ok = format!("{}\n", "a".repeat(MAX_LINE_LEN));
        let long = format!("{}\n", "a".repeat(MAX_LINE_LEN + 1));
        assert!(!physical_lines(&ok, 0)[0].too_long(&ok));
        assert!(physical_lines(&long, 0)[0].too_long(&long));
    }
}
