//! Offset maps: from a byte offset in the text the parser reads back to the Dockerfile.
//!
//! The parser reads texts that are not the Dockerfile: BuildKit's joined logical line, a
//! backquoted substitution with its `\` escapes removed, the inner script of `sh -c '…'` after
//! quote removal. Each has a map to the text it came from, and maps compose, so every span
//! lands on the Dockerfile bytes it was read from.

use crate::syntax::{Span, TextMap};

/// Maps a byte offset in the script text to a byte offset in the Dockerfile.
pub trait OffsetMap {
    fn to_source(&self, script_offset: usize) -> usize;

    /// The Dockerfile offset an exclusive end maps to. Byte-for-byte maps need no override;
    /// a map where one script byte stands for several source bytes (an escape) overrides it
    /// so that a span ending on that byte covers the whole escape.
    fn to_source_end(&self, script_end: usize) -> usize {
        self.to_source(script_end - 1) + 1
    }

    /// The Dockerfile span of script bytes `start..end`. A map that can find both ends with
    /// one lookup overrides it (every word of a script asks for its span).
    fn span(&self, start: usize, end: usize) -> Span {
        let source_start = self.to_source(start);
        if end <= start {
            return Span::empty(source_start);
        }
        Span::new(source_start, self.to_source_end(end).max(source_start))
    }

    /// [`span`](Self::span) for a caller that maps spans in mostly increasing order: `hint`
    /// is the map's bookmark from the previous call (0 at first), for a map of many pieces
    /// to look near it before searching.
    fn span_near(&self, hint: &mut usize, start: usize, end: usize) -> Span {
        let _ = hint;
        self.span(start, end)
    }

    /// The run of script bytes around `at` copied byte for byte from the Dockerfile, for a
    /// caller to map the spans inside it by itself; `None` when the map has no such run.
    /// `hint` as in [`span_near`](Self::span_near).
    fn run_near(&self, hint: &mut usize, at: usize) -> Option<Run> {
        let _ = (hint, at);
        None
    }
}

/// Script bytes `script_start..script_end` are the Dockerfile bytes from `source_start` on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Run {
    pub script_start: usize,
    pub script_end: usize,
    pub source_start: usize,
}

impl Run {
    /// The Dockerfile span of non-empty script range `start..end`, when the run holds it.
    #[inline]
    pub fn span(&self, start: usize, end: usize) -> Option<Span> {
        (self.script_start <= start && start < end && end <= self.script_end).then(|| {
            let source_start = self.source_start + (start - self.script_start);
            Span::new(source_start, source_start + (end - start))
        })
    }
}

/// The script is a contiguous slice of the Dockerfile starting at this offset (heredoc bodies).
#[derive(Clone, Copy, Debug)]
pub struct Contiguous(pub usize);

impl OffsetMap for Contiguous {
    fn to_source(&self, script_offset: usize) -> usize {
        self.0 + script_offset
    }

    fn run_near(&self, _hint: &mut usize, _at: usize) -> Option<Run> {
        Some(Run {
            script_start: 0,
            script_end: usize::MAX - self.0,
            source_start: self.0,
        })
    }
}

/// BuildKit's joined line, as the syntax tree maps it.
impl OffsetMap for TextMap {
    fn to_source(&self, script_offset: usize) -> usize {
        self.source_offset(script_offset)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        self.span(start, end)
    }

    fn span_near(&self, hint: &mut usize, start: usize, end: usize) -> Span {
        self.span_near(hint, start, end)
    }

    fn run_near(&self, hint: &mut usize, at: usize) -> Option<Run> {
        let (script_start, script_end, source_start) = self.segment_near_offset(hint, at)?;
        Some(Run {
            script_start,
            script_end,
            source_start,
        })
    }
}

/// One run of script bytes read from one run of source bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    script: usize,
    source: usize,
    script_len: usize,
    source_len: usize,
}

/// A map made of pieces: runs copied byte for byte (`push`), separated by gaps in the
/// source (continuation lines, removed quotes), and escapes where a few source bytes became
/// other script bytes (`push_escape`). Offsets past the last piece continue it byte for byte.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PieceMap {
    pieces: Vec<Piece>,
}

impl PieceMap {
    pub fn new() -> Self {
        PieceMap::default()
    }

    /// Script bytes `script_start..script_start + len` are source bytes `source_start..`.
    /// Pieces are pushed in script order.
    pub fn push(&mut self, script_start: usize, source_start: usize, len: usize) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.pieces.last_mut()
            && last.script_len == last.source_len
            && last.script + last.script_len == script_start
            && last.source + last.source_len == source_start
        {
            last.script_len += len;
            last.source_len += len;
            return;
        }
        self.pieces.push(Piece {
            script: script_start,
            source: source_start,
            script_len: len,
            source_len: len,
        });
    }

    /// `script_len` script bytes decoded from `source_len` source bytes (`\"` → `"`).
    pub(super) fn push_escape(
        &mut self,
        script_start: usize,
        script_len: usize,
        source_start: usize,
        source_len: usize,
    ) {
        if script_len == source_len {
            self.push(script_start, source_start, script_len);
        } else if script_len > 0 {
            self.pieces.push(Piece {
                script: script_start,
                source: source_start,
                script_len,
                source_len,
            });
        }
    }

    fn piece(&self, offset: usize) -> Option<&Piece> {
        let index = self.pieces.partition_point(|piece| piece.script <= offset);
        self.pieces.get(index.checked_sub(1)?)
    }
}

impl OffsetMap for PieceMap {
    fn to_source(&self, offset: usize) -> usize {
        let Some(piece) = self.piece(offset) else {
            return self.pieces.first().map_or(offset, |first| first.source);
        };
        let within = offset - piece.script;
        if within >= piece.script_len {
            piece.source + piece.source_len + (within - piece.script_len)
        } else if piece.script_len == piece.source_len {
            piece.source + within
        } else {
            piece.source
        }
    }

    fn to_source_end(&self, end: usize) -> usize {
        match self.piece(end - 1) {
            Some(piece)
                if piece.script_len != piece.source_len
                    && end - piece.script <= piece.script_len =>
            {
                piece.source + piece.source_len
            }
            _ => self.to_source(end - 1) + 1,
        }
    }
}

/// A nested text's map followed by its parent's.
pub(super) struct Composed<'a> {
    pub inner: &'a PieceMap,
    pub outer: &'a dyn OffsetMap,
}

impl OffsetMap for Composed<'_> {
    fn to_source(&self, offset: usize) -> usize {
        self.outer.to_source(self.inner.to_source(offset))
    }

    fn to_source_end(&self, end: usize) -> usize {
        self.outer.to_source_end(self.inner.to_source_end(end))
    }
}

/// The Dockerfile span of script bytes `start..end`.
pub(super) fn map_span(map: &dyn OffsetMap, start: usize, end: usize) -> Span {
    map.span(start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_with_gaps_and_escapes() {
        // script `ab"cd` from source `a\<nl>b\"cd`: `a` at 0, `b` at 3, `"` from `\"` at 4..6.
        let mut map = PieceMap::new();
        map.push(0, 0, 1);
        map.push(1, 3, 1);
        map.push_escape(2, 1, 4, 2);
        map.push(3, 6, 2);
        assert_eq!(
            (0..5).map(|i| map.to_source(i)).collect::<Vec<_>>(),
            [0, 3, 4, 6, 7]
        );
        assert_eq!(map_span(&map, 0, 5), Span::new(0, 8));
        assert_eq!(map_span(&map, 1, 3), Span::new(3, 6));
        assert_eq!(map_span(&map, 5, 5), Span::new(8, 8));
    }

    #[test]
    fn adjacent_pieces_merge() {
        let mut map = PieceMap::new();
        map.push(0, 10, 2);
        map.push(2, 12, 3);
        assert_eq!(map.pieces.len(), 1);
        assert_eq!(map.to_source(4), 14);
    }

    #[test]
    fn composed_maps_chain() {
        let mut inner = PieceMap::new();
        inner.push(0, 1, 3);
        let outer = Contiguous(100);
        let map = Composed {
            inner: &inner,
            outer: &outer,
        };
        assert_eq!(map_span(&map, 0, 3), Span::new(101, 104));
    }
}
