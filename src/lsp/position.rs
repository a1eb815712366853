//! LSP positions (0-based line, UTF-16 code units) to byte offsets and back.

use lsp_types::{Position, Range};

use crate::syntax::{LineIndex, Span};

/// A document's text with its line index.
pub struct Text<'a> {
    pub text: &'a str,
    pub lines: LineIndex,
}

impl<'a> Text<'a> {
    pub fn new(text: &'a str) -> Self {
        Text {
            text,
            lines: LineIndex::new(text),
        }
    }

    /// The position of byte `offset` (clamped to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.lines.line(offset);
        let start = self.lines.line_start(line);
        let character: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new((line - 1) as u32, character as u32)
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of `position`: past the end of a line is the line's end (before its
    /// newline), past the last line is the end of the text, inside a surrogate pair is
    /// the start of its character.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize + 1;
        if line > self.lines.line_count() {
            return self.text.len();
        }
        let start = self.lines.line_start(line);
        let rest = &self.text[start..];
        let line_text = &rest[..rest.find('\n').unwrap_or(rest.len())];
        let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
        let mut units = 0;
        for (index, ch) in line_text.char_indices() {
            units += ch.len_utf16();
            if units > position.character as usize {
                return start + index;
            }
        }
        start + line_text.len()
    }

    pub fn span(&self, range: Range) -> Span {
        let start = self.offset(range.start);
        Span::new(start, self.offset(range.end).max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_utf16_units() {
        // é is 2 bytes / 1 unit; 𝄞 is 4 bytes / 2 units.
        let text = Text::new("ab\né𝄞x\r\nz");
        assert_eq!(text.position(3), Position::new(1, 0));
        assert_eq!(text.position(5), Position::new(1, 1));
        assert_eq!(text.position(9), Position::new(1, 3));
        assert_eq!(text.offset(Position::new(1, 3)), 9);
        assert_eq!(text.offset(Position::new(1, 2)), 5);
        assert_eq!(text.offset(Position::new(1, 99)), 10);
        assert_eq!(text.offset(Position::new(9, 0)), text.text.len());
        assert_eq!(text.offset(Position::new(2, 1)), 13);
    }
}
