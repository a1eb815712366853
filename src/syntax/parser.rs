//! The line loop of BuildKit's `parser.Parse`, made lossless and error-tolerant.

use super::byte_scan;
use super::directives::{KNOWN_DIRECTIVES, parse_directive_line};
use super::heredoc::{Marker, find_markers};
use super::instruction::{LineParser, Node, trim_end, trim_start};
use super::lines::{LogicalLine, MAX_LINE_LEN, PhysicalLine, TextMap, physical_lines};
use super::span::{LineIndex, Span};
use super::tree::{
    Arguments, Comment, Comments, Directive, Dockerfile, ErrorNode, Heredoc, Instruction, Item,
    Keyword, SyntaxError, Token,
};
use super::validate::validate;

const BOM: &str = "\u{feff}";

/// Parses a Dockerfile. Never fails: problems become error nodes or file-level errors.
pub fn parse(source: &str) -> Dockerfile {
    Parser::new(source).run().with_source(source.to_string())
}

/// [`parse_bytes`] of bytes the caller gives up: valid UTF-8 becomes the tree's source as it
/// is, without the copy `parse_bytes` makes (a lint reads every file into a buffer of its own).
pub fn parse_owned(bytes: Vec<u8>) -> Dockerfile {
    match String::from_utf8(bytes) {
        Ok(source) => {
            let parsed = Parser::new(&source).run();
            parsed.with_source(source)
        }
        Err(error) => parse_bytes(error.as_bytes()),
    }
}

/// Parses raw bytes. Invalid UTF-8 is reported with its offset; the rest is parsed with the
/// bad bytes replaced, so that later lines are still seen.
pub fn parse_bytes(bytes: &[u8]) -> Dockerfile {
    match std::str::from_utf8(bytes) {
        Ok(source) => parse(source),
        Err(error) => {
            let offset = error.valid_up_to();
            let lossy = String::from_utf8_lossy(bytes);
            let mut dockerfile = parse(&lossy);
            let bad = Span::new(
                offset,
                offset + error.error_len().unwrap_or(1).min(lossy.len() - offset),
            );
            dockerfile.errors.insert(
                0,
                SyntaxError {
                    message: format!("invalid UTF-8 at byte offset {offset}"),
                    span: bad,
                },
            );
            dockerfile
        }
    }
}

/// A parsed file but its source, which the caller owns or copies.
struct Parsed {
    lines: LineIndex,
    bom: Option<Span>,
    escape: char,
    items: Vec<Item>,
    errors: Vec<SyntaxError>,
}

impl Parsed {
    /// The tree of `source`, the text it was parsed from.
    fn with_source(self, source: String) -> Dockerfile {
        Dockerfile {
            lines: self.lines,
            source,
            bom: self.bom,
            escape: self.escape,
            items: self.items,
            errors: self.errors,
        }
    }
}

struct Parser<'s> {
    source: &'s str,
    lines: Vec<PhysicalLine>,
    next_line: usize,
    escape: char,
    directives_done: bool,
    seen_directives: Vec<String>,
    /// The comments collected for the next instruction, as spans of their text (reused from
    /// instruction to instruction; the instruction gets their texts in one string).
    comments: Vec<Span>,
    items: Vec<Item>,
    /// The pieces of the logical line being gathered (reused from line to line), so that its
    /// text and map are allocated once, at their size.
    pieces: Vec<Span>,
    /// The map of the last logical line, whose storage the next one reuses.
    spare_map: TextMap,
}

/// What reading one instruction's lines produced.
struct Gathered {
    logical: LogicalLine,
    continuation_comments: Vec<Span>,
    empty_continuation_lines: Vec<Span>,
    first_too_long: Option<Span>,
}

impl<'s> Parser<'s> {
    fn new(source: &'s str) -> Self {
        let body_start = if source.starts_with(BOM) {
            BOM.len()
        } else {
            0
        };
        let lines = physical_lines(source, body_start);
        // Each physical line makes at most one item: growing the vector of these large items
        // copied them over and over.
        let items = Vec::with_capacity(lines.len());
        Parser {
            source,
            lines,
            next_line: 0,
            escape: '\\',
            directives_done: false,
            seen_directives: Vec::new(),
            comments: Vec::new(),
            items,
            pieces: Vec::new(),
            spare_map: TextMap::default(),
        }
    }

    fn run(mut self) -> Parsed {
        while self.next_line < self.lines.len() {
            let line = self.lines[self.next_line];
            self.next_line += 1;
            self.top_level_line(line);
        }
        let mut errors = Vec::new();
        let has_instruction = self
            .items
            .iter()
            .any(|item| matches!(item, Item::Instruction(_) | Item::Error(_)));
        if !has_instruction {
            errors.push(SyntaxError {
                message: "file with no instructions".into(),
                span: Span::empty(self.source.len()),
            });
        }
        Parsed {
            lines: LineIndex::from_lines(self.source, &self.lines),
            bom: self
                .source
                .starts_with(BOM)
                .then_some(Span::new(0, BOM.len())),
            escape: self.escape,
            items: self.items,
            errors,
        }
    }

    fn text(&self, span: Span) -> &'s str {
        span.text(self.source)
    }

    fn top_level_line(&mut self, line: PhysicalLine) {
        let content = self.text(line.content);
        let stripped = trim_start(content);
        let stripped_span = Span::new(line.content.end - stripped.len(), line.content.end);

        if !self.directives_done {
            match self.directive(stripped, stripped_span, line) {
                Some(Ok(directive)) => return self.items.push(Item::Directive(directive)),
                Some(Err(error)) => return self.push_error(line.span, None, error),
                None => self.directives_done = true,
            }
        }
        if is_comment(stripped) {
            self.collect_comment(line.content);
            return self.items.push(Item::Comment(Comment {
                span: line.span,
                text_span: stripped_span,
            }));
        }
        let (first_piece, continues) = self.trim_continuation(stripped_span);
        if !continues && first_piece.is_empty() {
            return self.items.push(Item::Blank { span: line.span });
        }
        self.instruction(line, first_piece, continues);
    }

    /// `Some` when the line is a directive BuildKit takes (or rejects with an error).
    fn directive(
        &mut self,
        stripped: &str,
        stripped_span: Span,
        line: PhysicalLine,
    ) -> Option<Result<Directive, SyntaxError>> {
        let parts = parse_directive_line(stripped)?;
        let name = parts.name.text(stripped).to_ascii_lowercase();
        if !KNOWN_DIRECTIVES.contains(&name.as_str()) {
            return None;
        }
        let at = |span: Span| span.shift(stripped_span.start);
        let value = Token {
            text: parts.value.text(stripped).to_string(),
            span: at(parts.value),
        };
        if self.seen_directives.contains(&name) {
            return Some(Err(SyntaxError {
                message: format!("only one {name} parser directive can be used"),
                span: at(parts.name),
            }));
        }
        self.seen_directives.push(name.clone());
        if name == "escape" {
            match value.text.as_str() {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                other => {
                    return Some(Err(SyntaxError {
                        message: format!("invalid escape token '{other}' does not match ` or \\"),
                        span: value.span,
                    }));
                }
            }
        }
        Some(Ok(Directive {
            span: line.span,
            name: Token {
                text: name,
                span: at(parts.name),
            },
            value,
        }))
    }

    /// BuildKit keeps the comment lines above an instruction; a bare `#` starts the list anew.
    fn collect_comment(&mut self, content_span: Span) {
        let content = self.text(content_span);
        // BuildKit drops the line's first byte before trimming, so an indented `# x` keeps its `#`.
        let after_first = content
            .chars()
            .next()
            .map_or("", |first| &content[first.len_utf8()..]);
        let after_start = trim_start(after_first);
        let comment = trim_end(after_start);
        if comment.is_empty() {
            self.comments.clear();
        } else {
            let start = content_span.end - after_start.len();
            self.comments.push(Span::new(start, start + comment.len()));
        }
    }

    /// Removes a trailing escape token (and the blanks after it) that continues the line.
    fn trim_continuation(&self, span: Span) -> (Span, bool) {
        // Bytes, not characters: the blanks and the escape token (`\\` or `` ` ``) are ASCII.
        let bytes = self.text(span).as_bytes();
        let escape = self.escape as u8;
        let mut end = bytes.len();
        while end > 0 && matches!(bytes[end - 1], b' ' | b'\t') {
            end -= 1;
        }
        if end == 0 || bytes[end - 1] != escape {
            return (span, false);
        }
        let before = end - 1;
        // An escaped escape token (`\\`) at the end does not continue the line.
        if before > 0 && bytes[before - 1] == escape {
            return (span, false);
        }
        (Span::new(span.start, span.start + before), true)
    }

    fn gather_continuation(
        &mut self,
        first: PhysicalLine,
        first_piece: Span,
        continues: bool,
    ) -> Gathered {
        let mut pieces = std::mem::take(&mut self.pieces);
        pieces.clear();
        pieces.push(first_piece);
        let mut continuation_comments = Vec::new();
        let mut empty_continuation_lines = Vec::new();
        let mut first_too_long = first.too_long(self.source).then_some(first.content);
        let mut continues = continues;
        while continues && self.next_line < self.lines.len() {
            let line = self.lines[self.next_line];
            self.next_line += 1;
            if first_too_long.is_none() && line.too_long(self.source) {
                first_too_long = Some(line.content);
            }
            let content = self.text(line.content);
            let stripped = trim_start(content);
            if is_comment(stripped) {
                continuation_comments.push(line.span);
                continue;
            }
            if stripped.is_empty() {
                empty_continuation_lines.push(line.span);
                continue;
            }
            let (piece, more) = self.trim_continuation(line.content);
            pieces.push(piece);
            continues = more;
        }
        let spare_map = std::mem::take(&mut self.spare_map);
        let logical = LogicalLine::from_pieces(self.source, &pieces, spare_map);
        self.pieces = pieces;
        Gathered {
            logical,
            continuation_comments,
            empty_continuation_lines,
            first_too_long,
        }
    }

    fn instruction(&mut self, first: PhysicalLine, first_piece: Span, continues: bool) {
        let gathered = self.gather_continuation(first, first_piece, continues);
        let lines_end = self.lines[self.next_line - 1].span.end;
        let logical_span = Span::new(first.span.start, lines_end);
        let parser = LineParser {
            line: &gathered.logical,
            escape: self.escape,
        };
        let node = match parser.parse_node(0, gathered.logical.text.len()) {
            Ok(node) => node,
            Err(error) => {
                let keyword = parser.keyword(0, gathered.logical.text.len());
                return self.push_error(logical_span, Some(keyword), error);
            }
        };
        let (heredocs, body_too_long) = match self.read_heredocs(&node, &gathered.logical) {
            Ok(read) => read,
            Err(error) => {
                self.next_line = self.line_index_after(lines_end);
                return self.push_error(logical_span, Some(node.keyword), error);
            }
        };
        let span = Span::new(first.span.start, self.lines[self.next_line - 1].span.end);
        if let Some(long_line) = gathered.first_too_long.or(body_too_long) {
            let error = SyntaxError {
                message: format!("dockerfile line greater than max allowed size of {MAX_LINE_LEN}"),
                span: long_line,
            };
            return self.push_error(span, Some(node.keyword), error);
        }
        let preceding_comments = self.take_comments();
        // Built in its place in the list, then validated there: the large node is not moved.
        self.items.push(Item::Instruction(Instruction {
            span,
            keyword: node.keyword,
            kind: node.kind,
            flags: node.flags,
            arguments: node.arguments,
            heredocs,
            continuation_comments: gathered.continuation_comments,
            empty_continuation_lines: gathered.empty_continuation_lines,
            preceding_comments,
            pieces: gathered.logical.map.instruction_pieces(),
            original: gathered.logical.text,
            build_errors: Vec::new(),
        }));
        self.spare_map = gathered.logical.map;
        if let Some(Item::Instruction(instruction)) = self.items.last_mut() {
            instruction.build_errors = validate(instruction);
        }
    }

    /// The collected comments, for the instruction they precede; the list starts anew.
    fn take_comments(&mut self) -> Comments {
        // Most instructions have none.
        if self.comments.is_empty() {
            return Comments::default();
        }
        let comments = Comments::from_spans(self.source, &self.comments);
        self.comments.clear();
        comments
    }

    fn push_error(&mut self, span: Span, keyword: Option<Token>, error: SyntaxError) {
        self.comments.clear();
        self.items.push(Item::Error(ErrorNode {
            span,
            keyword,
            error,
        }));
    }

    fn line_index_after(&self, offset: usize) -> usize {
        self.lines.partition_point(|line| line.span.start < offset)
    }

    /// Reads the bodies of the heredocs the line announces, from the lines after it.
    /// Also returns the first body line too long for BuildKit's scanner.
    fn read_heredocs(
        &mut self,
        node: &Node,
        logical: &LogicalLine,
    ) -> Result<(Vec<Heredoc>, Option<Span>), SyntaxError> {
        if !can_contain_heredoc(node) || !has_heredoc_operator(&logical.text) {
            return Ok((Vec::new(), None));
        }
        let mut too_long = None;
        let mut heredocs = Vec::new();
        for marker in find_markers(logical)? {
            heredocs.push(self.read_body(marker, &mut too_long)?);
        }
        Ok((heredocs, too_long))
    }

    fn read_body(
        &mut self,
        marker: Marker,
        too_long: &mut Option<Span>,
    ) -> Result<Heredoc, SyntaxError> {
        let body_start = self
            .lines
            .get(self.next_line)
            .map_or(self.source.len(), |line| line.span.start);
        while self.next_line < self.lines.len() {
            let line = self.lines[self.next_line];
            self.next_line += 1;
            if too_long.is_none() && line.too_long(self.source) {
                *too_long = Some(line.content);
            }
            let mut candidate = self.text(line.content);
            if marker.chomp {
                candidate = candidate.trim_start_matches('\t');
            }
            if candidate == marker.name {
                let content_span = Span::new(body_start, line.span.start);
                return Ok(Heredoc {
                    marker: marker.span,
                    name: marker.name,
                    content: self.text(content_span).to_string(),
                    content_span,
                    terminator: line.span,
                    expand: marker.expand,
                    chomp: marker.chomp,
                    file_descriptor: marker.file_descriptor,
                });
            }
        }
        Err(SyntaxError {
            message: format!("unterminated heredoc: no line {:?} ends it", marker.name),
            span: marker.span,
        })
    }
}

/// BuildKit's `canContainHeredoc`: RUN, COPY and ADD in shell form, also as ONBUILD triggers.
fn can_contain_heredoc(node: &Node) -> bool {
    let (kind, arguments) = match &node.arguments {
        Arguments::Onbuild(child) => (child.kind, &child.arguments),
        arguments => (node.kind, arguments),
    };
    matches!(kind, Keyword::Run | Keyword::Copy | Keyword::Add)
        && !matches!(arguments, Arguments::Exec(_))
}

/// Whether a line, its leading blanks stripped, is a comment: a byte test, asked of every line.
fn is_comment(stripped: &str) -> bool {
    stripped.as_bytes().first() == Some(&b'#')
}

/// Whether `text` holds `<<`: a byte search for the rare `<`, cheaper than a substring search
/// set up for every RUN, COPY and ADD.
fn has_heredoc_operator(text: &str) -> bool {
    let bytes = text.as_bytes();
    byte_scan::any_position(bytes, b'<', |at| bytes.get(at + 1) == Some(&b'<'))
}
