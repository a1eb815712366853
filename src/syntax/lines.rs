//! Physical lines as BuildKit's scanner reads them, and logical lines joined from them.

use super::span::Span;

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
    pub fn too_long(&self, source: &str) -> bool {
        let newline =
            usize::from(source.as_bytes().get(self.span.end.wrapping_sub(1)) == Some(&b'\n'));
        self.span.len() - newline > MAX_LINE_LEN
    }
}

/// Splits `source[start..]` into physical lines; only `\n` ends a line.
pub fn physical_lines(source: &str, start: usize) -> Vec<PhysicalLine> {
    let bytes = source.as_bytes();
    let mut lines = Vec::new();
    let mut line_start = start;
    while line_start < bytes.len() {
        let end = match bytes[line_start..].iter().position(|&b| b == b'\n') {
            Some(newline) => line_start + newline + 1,
            None => bytes.len(),
        };
        let mut content_end = end;
        while content_end > line_start && matches!(bytes[content_end - 1], b'\r' | b'\n') {
            content_end -= 1;
        }
        lines.push(PhysicalLine {
            span: Span::new(line_start, end),
            content: Span::new(line_start, content_end),
        });
        line_start = end;
    }
    lines
}

/// A piece of the joined text copied verbatim from the source.
#[derive(Clone, Copy, Debug)]
struct Segment {
    text_start: usize,
    source_start: usize,
}

/// The text of an instruction after continuation lines are joined, with a map back to the
/// source: every byte of the text was copied from one byte of the source.
#[derive(Clone, Debug, Default)]
pub struct LogicalLine {
    pub text: String,
    segments: Vec<Segment>,
    source_end: usize,
}

impl LogicalLine {
    pub fn new(source_end: usize) -> Self {
        LogicalLine {
            text: String::new(),
            segments: Vec::new(),
            source_end,
        }
    }

    /// Appends `source[span]`.
    pub fn push(&mut self, source: &str, span: Span) {
        self.source_end = span.end;
        if span.is_empty() {
            return;
        }
        self.segments.push(Segment {
            text_start: self.text.len(),
            source_start: span.start,
        });
        self.text.push_str(span.text(source));
    }

    /// The source offset of text offset `at` (the end of the text maps to the end of the last piece).
    pub fn source_offset(&self, at: usize) -> usize {
        if at >= self.text.len() {
            return self.source_end;
        }
        let index = self
            .segments
            .partition_point(|segment| segment.text_start <= at)
            - 1;
        let segment = self.segments[index];
        segment.source_start + (at - segment.text_start)
    }

    /// The source span of text range `start..end`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let source_start = self.source_offset(start);
        if end <= start {
            return Span::empty(source_start);
        }
        Span::new(source_start, self.source_offset(end - 1) + 1)
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
        let mut line = LogicalLine::new(0);
        line.push(src, Span::new(0, 6));
        line.push(src, Span::new(8, 11));
        assert_eq!(line.text, "RUN a   b");
        assert_eq!(line.span(4, 9), Span::new(4, 11));
        assert_eq!(line.span(8, 9).text(src), "b");
        assert_eq!(line.source_offset(9), 11);
    }

    #[test]
    fn line_limit_counts_bytes_without_the_newline() {
        let ok = format!("{}\n", "a".repeat(MAX_LINE_LEN));
        let long = format!("{}\n", "a".repeat(MAX_LINE_LEN + 1));
        assert!(!physical_lines(&ok, 0)[0].too_long(&ok));
        assert!(physical_lines(&long, 0)[0].too_long(&long));
    }
}
