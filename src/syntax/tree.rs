//! The lossless syntax tree.
//!
//! The top-level [`Item`]s tile the source: every byte after the BOM belongs to exactly one
//! item, so printing the items' text back gives the input unchanged. Inside an item every
//! node (keyword, flag, argument, heredoc, comment) carries the byte span of its source text.

use std::fmt;
use std::ops::Deref;

use serde::{Serialize, Serializer};

use super::lines::TextMap;
use super::span::{LineIndex, Span};

/// A parsed Dockerfile.
#[derive(Clone, Debug, Serialize)]
pub struct Dockerfile {
    /// The text the spans point into.
    #[serde(skip)]
    pub source: String,
    /// Span of the UTF-8 byte-order mark, when the file starts with one.
    pub bom: Option<Span>,
    /// The escape token in force after the directives (`\` or `` ` ``).
    pub escape: char,
    /// Directives, comments, blank lines, instructions and error nodes, in source order.
    pub items: Vec<Item>,
    /// Errors that belong to the file rather than to one item (no instructions, bad UTF-8).
    pub errors: Vec<SyntaxError>,
    /// Where each line of `source` starts: built once, for the model, the rules and the reports.
    #[serde(skip)]
    pub lines: LineIndex,
}

/// One top-level piece of the file; each covers whole physical lines.
// Instructions are most items; boxing them would cost an allocation each for nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum Item {
    /// Lines that are empty or whitespace only.
    Blank {
        span: Span,
    },
    Comment(Comment),
    Directive(Directive),
    Instruction(Instruction),
    /// An instruction BuildKit's parser rejects; parsing resumes after it.
    Error(ErrorNode),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Blank { span } => *span,
            Item::Comment(comment) => comment.span,
            Item::Directive(directive) => directive.span,
            Item::Instruction(instruction) => instruction.span,
            Item::Error(error) => error.span,
        }
    }
}

/// A text with the span it was read from. `text` is the value BuildKit sees (quotes removed,
/// escapes decoded, continuations joined), which may differ from the source bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Token {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct Comment {
    /// The whole line, newline included.
    pub span: Span,
    /// From `#` to the end of the line, newline excluded.
    pub text_span: Span,
}

/// `# name=value` at the top of the file.
#[derive(Clone, Debug, Serialize)]
pub struct Directive {
    pub span: Span,
    /// Lowercased name: `syntax`, `escape` or `check`.
    pub name: Token,
    pub value: Token,
}

#[derive(Clone, Debug, Serialize)]
pub struct Instruction {
    /// Whole physical lines: leading whitespace, continuations, comment and blank lines inside
    /// the continuation, heredoc bodies and terminators, and the final newline.
    pub span: Span,
    /// The keyword in its original case.
    pub keyword: Token,
    pub kind: Keyword,
    pub flags: Vec<Flag>,
    pub arguments: Arguments,
    pub heredocs: Vec<Heredoc>,
    /// Comment lines met inside the continuation (BuildKit drops them from the text).
    pub continuation_comments: Vec<Span>,
    /// Blank lines inside the continuation (BuildKit's `NoEmptyContinuation` warning).
    pub empty_continuation_lines: Vec<Span>,
    /// The comment lines right above the instruction, as BuildKit collects them.
    pub preceding_comments: Comments,
    /// The logical line after continuation joining: BuildKit's `Node.Original`.
    pub original: String,
    /// The source spans whose concatenation is `original` (continuations, comment and blank
    /// lines left out): maps any offset of `original` back to the file.
    pub pieces: Pieces,
    /// What BuildKit rejects only when it builds instructions from the tree (unknown
    /// instruction or flag, flag values, argument counts, forbidden ONBUILD triggers). The
    /// instruction is still complete and still dumped; these become lint diagnostics.
    pub build_errors: Vec<SyntaxError>,
}

/// The source spans an instruction's text is joined from; reads as a slice of them. Most
/// instructions take one line: their one span is held in place, not in a list allocated (and
/// freed) for each.
#[derive(Clone, PartialEq, Eq)]
pub enum Pieces {
    One(Span),
    Many(Vec<Span>),
}

impl Pieces {
    pub fn from_spans(spans: impl ExactSizeIterator<Item = Span>) -> Pieces {
        let mut spans = spans;
        match spans.len() {
            1 => Pieces::One(spans.next().expect("one span")),
            _ => Pieces::Many(spans.collect()),
        }
    }
}

impl Deref for Pieces {
    type Target = [Span];

    fn deref(&self) -> &[Span] {
        match self {
            Pieces::One(span) => std::slice::from_ref(span),
            Pieces::Many(spans) => spans,
        }
    }
}

/// Shown, like serialised, as the list it stands for.
impl fmt::Debug for Pieces {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Pieces {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// The texts of the comment lines above an instruction, in order. They are held joined by
/// `\n` (which no comment line holds) in one string: a Dockerfile has about one comment line
/// per instruction, and a string each was as many allocations.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Comments {
    /// Empty when there are none: a collected comment is never empty (a bare `#` starts the
    /// list anew).
    joined: String,
}

impl Comments {
    /// The comments with these texts, none empty or holding a newline.
    pub fn from_texts<'t>(texts: impl Iterator<Item = &'t str> + Clone) -> Comments {
        let len: usize = texts.clone().map(|text| text.len() + 1).sum();
        let mut joined = String::with_capacity(len.saturating_sub(1));
        for text in texts {
            debug_assert!(!text.is_empty() && !text.contains('\n'));
            if !joined.is_empty() {
                joined.push('\n');
            }
            joined.push_str(text);
        }
        Comments { joined }
    }

    /// [`from_texts`](Self::from_texts) of the texts at `spans` of `source`: their lengths
    /// are known without slicing them out first.
    pub fn from_spans(source: &str, spans: &[Span]) -> Comments {
        let mut len = spans.len().saturating_sub(1);
        for span in spans {
            len += span.len();
        }
        let mut joined = String::with_capacity(len);
        for (index, span) in spans.iter().enumerate() {
            if index > 0 {
                joined.push('\n');
            }
            joined.push_str(span.text(source));
        }
        debug_assert!(joined.len() == len && !spans.iter().any(Span::is_empty));
        Comments { joined }
    }

    pub fn is_empty(&self) -> bool {
        self.joined.is_empty()
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// The texts, in order. The newlines are found with `memchr`: a comment is short, and
    /// `str::split`'s searcher cost more to set up than this costs to run.
    pub fn iter(&self) -> impl Iterator<Item = &str> + Clone {
        let mut rest = (!self.joined.is_empty()).then_some(self.joined.as_str());
        std::iter::from_fn(move || {
            let text = rest?;
            match memchr::memchr(b'\n', text.as_bytes()) {
                Some(newline) => {
                    rest = Some(&text[newline + 1..]);
                    Some(&text[..newline])
                }
                None => {
                    rest = None;
                    Some(text)
                }
            }
        })
    }

    /// The comment right above the instruction.
    pub fn last(&self) -> Option<&str> {
        let joined = self.joined.as_str();
        let start = memchr::memrchr(b'\n', joined.as_bytes()).map_or(0, |newline| newline + 1);
        (!joined.is_empty()).then(|| &joined[start..])
    }
}

/// Shown, like serialised, as the list of texts it stands for.
impl fmt::Debug for Comments {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Comments {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// Kept as written; BuildKit rejects it only when it builds instructions.
    Unknown,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// The keyword `word` names in any case (`RUN`, `Run`). The one keyword a word of its
    /// length and first letters could be is compared without lowercasing the word into a new
    /// string; a non-ASCII word that is not it goes through Unicode lowercasing, which can
    /// turn it into a keyword (the Kelvin sign `K` lowercases to `k`).
    pub fn from_name(word: &str) -> Keyword {
        let candidate = Keyword::candidate(word.as_bytes());
        let (name, word_bytes) = (candidate.as_str().as_bytes(), word.as_bytes());
        // The names are lower-case letters, whose upper case differs in bit 0x20 only: no
        // other byte equals a name's letter once that bit is set.
        if name.len() == word_bytes.len()
            && (0..name.len()).all(|i| word_bytes[i] | 0x20 == name[i])
        {
            return candidate;
        }
        if word.is_ascii() {
            return Keyword::Unknown;
        }
        Keyword::from_lowercase(&word.to_lowercase())
    }

    /// The only keyword an ASCII word of this length and these first letters (in any case)
    /// can be: every instruction's keyword is looked up, and a match on the length and a
    /// letter or two is cheaper than comparing with every name.
    fn candidate(word: &[u8]) -> Keyword {
        let letter = |index: usize| word.get(index).map_or(0, u8::to_ascii_lowercase);
        match (word.len(), letter(0)) {
            (3, b'a') if letter(1) == b'd' => Keyword::Add,
            (3, b'a') => Keyword::Arg,
            (3, b'c') => Keyword::Cmd,
            (4, b'c') => Keyword::Copy,
            (10, b'e') => Keyword::Entrypoint,
            (3, b'e') => Keyword::Env,
            (6, b'e') => Keyword::Expose,
            (4, b'f') => Keyword::From,
            (11, b'h') => Keyword::Healthcheck,
            (5, b'l') => Keyword::Label,
            (10, b'm') => Keyword::Maintainer,
            (7, b'o') => Keyword::Onbuild,
            (3, b'r') => Keyword::Run,
            (5, b's') => Keyword::Shell,
            (10, b's') => Keyword::Stopsignal,
            (4, b'u') => Keyword::User,
            (6, b'v') => Keyword::Volume,
            (7, b'w') => Keyword::Workdir,
            _ => Keyword::Unknown,
        }
    }

    /// Looks a keyword up by its lowercased spelling.
    pub fn from_lowercase(word: &str) -> Keyword {
        match word {
            "add" => Keyword::Add,
            "arg" => Keyword::Arg,
            "cmd" => Keyword::Cmd,
            "copy" => Keyword::Copy,
            "entrypoint" => Keyword::Entrypoint,
            "env" => Keyword::Env,
            "expose" => Keyword::Expose,
            "from" => Keyword::From,
            "healthcheck" => Keyword::Healthcheck,
            "label" => Keyword::Label,
            "maintainer" => Keyword::Maintainer,
            "onbuild" => Keyword::Onbuild,
            "run" => Keyword::Run,
            "shell" => Keyword::Shell,
            "stopsignal" => Keyword::Stopsignal,
            "user" => Keyword::User,
            "volume" => Keyword::Volume,
            "workdir" => Keyword::Workdir,
            _ => Keyword::Unknown,
        }
    }

    /// The keyword as Dockerfiles conventionally write it (`RUN`); empty for `Unknown`.
    pub fn upper_name(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "add",
            Keyword::Arg => "arg",
            Keyword::Cmd => "cmd",
            Keyword::Copy => "copy",
            Keyword::Entrypoint => "entrypoint",
            Keyword::Env => "env",
            Keyword::Expose => "expose",
            Keyword::From => "from",
            Keyword::Healthcheck => "healthcheck",
            Keyword::Label => "label",
            Keyword::Maintainer => "maintainer",
            Keyword::Onbuild => "onbuild",
            Keyword::Run => "run",
            Keyword::Shell => "shell",
            Keyword::Stopsignal => "stopsignal",
            Keyword::User => "user",
            Keyword::Volume => "volume",
            Keyword::Workdir => "workdir",
            Keyword::Unknown => "",
        }
    }
}

/// A `--name[=value]` word before the arguments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// The flag word as BuildKit stores it (quotes removed, escapes applied), e.g. `--from=build`.
    pub text: String,
    /// `from` for `--from=build`.
    pub name: String,
    /// `build` for `--from=build`; `None` when there is no `=`.
    pub value: Option<String>,
    pub span: Span,
}

/// The arguments, in the shape BuildKit's per-instruction parser gives them.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "form", content = "value", rename_all = "snake_case")]
pub enum Arguments {
    /// Nothing after the keyword and flags.
    None,
    /// A JSON array of strings (exec form).
    Exec(Vec<Token>),
    /// The raw rest of the line, handed to a shell (RUN, CMD, ENTRYPOINT, SHELL).
    Shell(Token),
    /// Whitespace-separated words (ADD/COPY/VOLUME lists, FROM, EXPOSE) or ARG's words.
    Words(Vec<Token>),
    /// The whole rest of the line as one value (USER, WORKDIR, STOPSIGNAL, MAINTAINER).
    Text(Token),
    /// ENV and LABEL pairs.
    KeyValues(Vec<KeyValue>),
    /// HEALTHCHECK: the type word (CMD, NONE, ...) and what follows it.
    Healthcheck {
        kind: Token,
        command: Box<Arguments>,
    },
    /// ONBUILD's trigger instruction.
    Onbuild(Box<Instruction>),
    /// An unknown instruction: BuildKit keeps no arguments for it.
    Ignored,
}

#[derive(Clone, Debug, Serialize)]
pub struct KeyValue {
    pub key: Token,
    /// Quotes and escapes kept: they are processed when the value is expanded.
    pub value: Token,
    /// `ENV key value` rather than `ENV key=value`.
    pub legacy: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Heredoc {
    /// The `<<EOF` word on the instruction line.
    pub marker: Span,
    pub name: String,
    /// The body lines, line endings included, tabs not yet stripped.
    pub content: String,
    pub content_span: Span,
    /// The terminator line, newline included.
    pub terminator: Span,
    /// False when any part of the name was quoted.
    pub expand: bool,
    /// `<<-`: leading tabs are stripped from the body when it is used.
    pub chomp: bool,
    pub file_descriptor: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct ErrorNode {
    /// Whole lines, like an instruction.
    pub span: Span,
    /// The keyword, when the line got that far.
    pub keyword: Option<Token>,
    pub error: SyntaxError,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SyntaxError {
    pub message: String,
    /// Exactly what is wrong: the bad flag, the unterminated heredoc marker, the long line.
    pub span: Span,
}

impl Instruction {
    /// Maps offsets of `original` to offsets in the file.
    pub fn text_map(&self) -> TextMap {
        TextMap::from_pieces(&self.pieces, self.span.end)
    }

    /// Maps offsets of a token's `text` to the file, for tokens copied verbatim from
    /// `original` (shell-form text, words, key/values; not decoded JSON strings).
    pub fn token_map(&self, token: &Token) -> Option<TextMap> {
        // Only the token's part of the map is built, not the whole instruction's first.
        let (start, map) = TextMap::slice_of_pieces(
            &self.pieces,
            self.span.end,
            token.span.start,
            token.text.len(),
        )?;
        let end = start + token.text.len();
        (self.original.get(start..end) == Some(token.text.as_str())).then_some(map)
    }
}

impl Dockerfile {
    /// The instructions, in order (error nodes skipped).
    pub fn instructions(&self) -> impl Iterator<Item = &Instruction> {
        self.items.iter().filter_map(|item| match item {
            Item::Instruction(instruction) => Some(instruction),
            _ => None,
        })
    }

    /// Every syntax error: file-level ones and those of error nodes, in source order.
    pub fn syntax_errors(&self) -> Vec<&SyntaxError> {
        let mut errors: Vec<&SyntaxError> = self.errors.iter().collect();
        errors.extend(self.items.iter().filter_map(|item| match item {
            Item::Error(node) => Some(&node.error),
            _ => None,
        }));
        errors.sort_by_key(|error| error.span.start);
        errors
    }

    /// Prints the tree back: the BOM, then every item's text. Equals the parsed input.
    pub fn print(&self) -> String {
        let mut out = String::with_capacity(self.source.len());
        if let Some(bom) = self.bom {
            out.push_str(bom.text(&self.source));
        }
        for item in &self.items {
            out.push_str(item.span().text(&self.source));
        }
        out
    }

    pub fn text(&self, span: Span) -> &str {
        span.text(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::{Comments, Keyword, Span};

    #[test]
    fn comments_read_back_as_the_texts_joined() {
        for texts in [
            vec![],
            vec!["a"],
            vec!["check=skip=all", "b c"],
            vec!["x", "é", "y z"],
        ] {
            let comments = Comments::from_texts(texts.iter().copied());
            let source = texts.concat();
            let mut start = 0;
            let spans: Vec<Span> = texts
                .iter()
                .map(|text| {
                    start += text.len();
                    Span::new(start - text.len(), start)
                })
                .collect();
            assert!(Comments::from_spans(&source, &spans) == comments);
            assert_eq!(comments.iter().collect::<Vec<_>>(), texts);
            assert_eq!(comments.last(), texts.last().copied());
            assert_eq!(
                (comments.is_empty(), comments.len()),
                (texts.is_empty(), texts.len())
            );
            assert_eq!(format!("{comments:?}"), format!("{texts:?}"));
        }
    }

    #[test]
    fn keywords_are_named_in_any_case() {
        for word in [
            "RUN",
            "run",
            "Run",
            "HEALTHCHECK",
            "\u{212a}",
            "x",
            "",
            "İ",
            "COPY ",
        ] {
            assert_eq!(
                Keyword::from_name(word),
                Keyword::from_lowercase(&word.to_lowercase()),
                "{word:?}"
            );
        }
        for keyword in Keyword::ALL {
            assert_eq!(Keyword::from_lowercase(keyword.as_str()), keyword);
            let long = format!("{}x", keyword.as_str());
            assert_eq!(Keyword::from_name(&long), Keyword::Unknown);
        }
        assert_eq!(Keyword::from_name("healthchecks"), Keyword::Unknown);
        assert_eq!(Keyword::from_name("heal\u{212a}thcheck"), Keyword::Unknown);
        assert_eq!(
            Keyword::from_name("HEALTHCHEC\u{212a}"),
            Keyword::Healthcheck
        );
    }

    #[test]
    fn from_name_reads_every_keyword_in_any_case() {
        for keyword in Keyword::ALL {
            let lower = keyword.as_str();
            assert_eq!(Keyword::from_name(lower), keyword);
            assert_eq!(Keyword::from_name(keyword.upper_name()), keyword);
            let mixed: String = lower
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if i % 2 == 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            assert_eq!(Keyword::from_name(&mixed), keyword);
        }
    }

    #[test]
    fn from_name_knows_no_other_word() {
        for word in [
            "", "ad", "adx", "arx", "runs", "ru", "copx", "workdirs", "é", "ÄDD",
        ] {
            assert_eq!(Keyword::from_name(word), Keyword::Unknown, "{word}");
        }
        // The Kelvin sign lowercases to `k`, as BuildKit's lowercasing does.
        assert_eq!(Keyword::from_name("WOR\u{212A}DIR"), Keyword::Workdir);
    }
}
