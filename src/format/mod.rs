//! `dlayer fmt`: one canonical layout, printed from the syntax tree (never the model).
//!
//! What it changes: instruction keywords (and a FROM's `AS`) upper-case; one space after the
//! keyword and between flags; continuation lines indented by nesting level (4 spaces a level:
//! the distinct indentations of an instruction, smallest first, become levels 1, 2, ...),
//! ` \` ending each broken line; `&&`, `||` and `|` at the start (`leading`, the default) or
//! the end (`trailing`) of broken lines; trailing blanks, empty continuation lines and runs of
//! blank lines removed; one blank line between stages; `apt-get install` lists that span lines
//! or are longer than the line width one package per line (sorted when configured); the file
//! ends with one newline; line endings follow the file's first line.
//!
//! What it keeps byte for byte: parser directives, comment text, heredoc bodies, JSON
//! (exec-form) arguments, values whose blanks matter (quoted strings, `ENV key value`, USER,
//! WORKDIR) and every line break whose blanks are not mere separators.
//!
//! Every result is checked before it is returned: parsed again, it must mean what the input
//! meant ([`same_meaning`]); otherwise formatting fails with an internal error and nothing is
//! written. A file with syntax errors is not formatted.

mod instruction;
mod lexical;
mod meaning;
mod packages;

use crate::syntax::{self, Dockerfile, Item, Keyword, Span, SyntaxError};

pub use meaning::same_meaning;

/// Where `&&`, `||` and `|` go when a command list is broken across lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OperatorPosition {
    /// At the start of the next line (`    && apt-get install ...`).
    #[default]
    Leading,
    /// At the end of the broken line (`apt-get update && \`).
    Trailing,
}

/// What happens to `apt-get install` package lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PackageLists {
    /// Lists that span lines or are too long for one go one package per line.
    #[default]
    OnePerLine,
    /// Lists stay as written.
    Keep,
}

/// The `[format]` section of `dlayer.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Spaces per indentation level of continuation lines.
    pub indent_width: usize,
    pub operator_position: OperatorPosition,
    pub package_lists: PackageLists,
    /// Sort the packages of every list (apt installs them as a set).
    pub sort_packages: bool,
    /// A one-line package list making its line longer than this goes one package per line.
    pub line_width: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            indent_width: 4,
            operator_position: OperatorPosition::default(),
            package_lists: PackageLists::default(),
            sort_packages: false,
            line_width: 100,
        }
    }
}

/// Why a file was not formatted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// BuildKit cannot parse the file: it is left as it is.
    Syntax(Vec<SyntaxError>),
    /// The layout would have changed what the file means (a bug): nothing is written.
    Internal(String),
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Syntax(errors) => write!(
                f,
                "not formatted: it has syntax errors ({})",
                errors
                    .first()
                    .map_or(String::new(), |error| error.message.clone())
            ),
            FormatError::Internal(message) => write!(f, "internal error: {message}"),
        }
    }
}

/// A replacement of the source's bytes `span` by `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

/// The file in canonical layout.
pub fn format(source: &str, options: &Options) -> Result<String, FormatError> {
    let dockerfile = parsed(source)?;
    let formatted = apply(source, &layout(&dockerfile, options));
    same_meaning(source, &formatted, options).map_err(FormatError::Internal)?;
    Ok(formatted)
}

/// The edits that put the file in canonical layout, one per top-level item that changes
/// (a blank line, a comment, an instruction with its continuation lines and heredocs).
/// Applying any subset of them keeps the file's meaning; applying all of them gives
/// [`format`]'s result.
pub fn edits(source: &str, options: &Options) -> Result<Vec<Edit>, FormatError> {
    let dockerfile = parsed(source)?;
    let edits: Vec<Edit> = layout(&dockerfile, options)
        .into_iter()
        .filter(|edit| edit.span.text(source) != edit.text)
        .collect();
    same_meaning(source, &apply(source, &edits), options).map_err(FormatError::Internal)?;
    Ok(edits)
}

/// `source` with non-overlapping `edits` (in order) applied.
pub fn apply(source: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(source.len());
    let mut cursor = 0;
    for edit in edits {
        out.push_str(&source[cursor..edit.span.start]);
        out.push_str(&edit.text);
        cursor = edit.span.end;
    }
    out.push_str(&source[cursor..]);
    out
}

fn parsed(source: &str) -> Result<Dockerfile, FormatError> {
    let dockerfile = syntax::parse(source);
    let errors: Vec<SyntaxError> = dockerfile.syntax_errors().into_iter().cloned().collect();
    if errors.is_empty() {
        Ok(dockerfile)
    } else {
        Err(FormatError::Syntax(errors))
    }
}

/// The formatted text of every top-level item, tiling the source after the BOM.
fn layout(dockerfile: &Dockerfile, options: &Options) -> Vec<Edit> {
    let source = dockerfile.source.as_str();
    let newline = newline_of(source);
    let blank_before = blank_before_stages(dockerfile);
    let mut edits: Vec<Edit> = Vec::new();
    let mut emitted = false;
    let mut only_directives = true;
    // Index into `edits` of the first blank line of the current run.
    let mut pending_blank: Option<usize> = None;
    for (index, item) in dockerfile.items.iter().enumerate() {
        if let Item::Blank { span } = item {
            pending_blank.get_or_insert(edits.len());
            edits.push(Edit {
                span: *span,
                text: String::new(),
            });
            continue;
        }
        // A blank line ends the directives: the comment after it must not become one.
        let keeps_comment_a_comment = only_directives
            && matches!(item, Item::Comment(c) if syntax::is_known_directive(dockerfile.text(c.text_span)));
        let want_blank = if !emitted || keeps_comment_a_comment {
            keeps_comment_a_comment && pending_blank.is_some()
        } else {
            pending_blank.is_some() || blank_before[index]
        };
        let mut text = String::new();
        match pending_blank.take() {
            Some(blank) if want_blank => edits[blank].text = newline.to_string(),
            None if want_blank => text.push_str(newline),
            _ => {}
        }
        text.push_str(&format_item(dockerfile, item, newline, options));
        text.push_str(newline);
        edits.push(Edit {
            span: item.span(),
            text,
        });
        emitted = true;
        only_directives &= matches!(item, Item::Directive(_));
    }
    edits
}

fn format_item(dockerfile: &Dockerfile, item: &Item, newline: &str, options: &Options) -> String {
    let source = dockerfile.source.as_str();
    let line = |span: Span| span.text(source).trim_end_matches(['\r', '\n']).to_string();
    match item {
        Item::Directive(directive) => line(directive.span),
        Item::Comment(comment) => {
            let indent = &source[comment.span.start..comment.text_span.start];
            let text = dockerfile
                .text(comment.text_span)
                .trim_end_matches([' ', '\t']);
            format!("{indent}{text}")
        }
        Item::Instruction(instruction) => instruction::format_instruction(
            instruction,
            source,
            dockerfile.escape,
            newline,
            options,
        )
        .unwrap_or_else(|| line(instruction.span)),
        Item::Blank { .. } | Item::Error(_) => line(item.span()),
    }
}

/// `\r\n` when the file's first line ends so, else `\n`.
fn newline_of(source: &str) -> &'static str {
    match source.find('\n') {
        Some(at) if source[..at].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

/// Items that get a blank line before them: the comment block right above each FROM after the
/// first (or the FROM itself).
fn blank_before_stages(dockerfile: &Dockerfile) -> Vec<bool> {
    let mut blank = vec![false; dockerfile.items.len()];
    let mut seen_from = false;
    for (index, item) in dockerfile.items.iter().enumerate() {
        let Item::Instruction(instruction) = item else {
            continue;
        };
        if instruction.kind != Keyword::From {
            continue;
        }
        if seen_from {
            let mut first = index;
            while first > 0 && matches!(dockerfile.items[first - 1], Item::Comment(_)) {
                first -= 1;
            }
            blank[first] = true;
        }
        seen_from = true;
    }
    blank
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(source: &str) -> String {
        format(source, &Options::default()).unwrap()
    }

    #[test]
    fn keywords_spacing_and_blank_lines() {
        assert_eq!(
            fmt("\n\nfrom  alpine as build  \nrun   echo hi\n\n\n\nFROM build\n\n"),
            "FROM alpine AS build\nRUN echo hi\n\nFROM build\n"
        );
    }

    #[test]
    fn continuation_lines_are_indented_by_level() {
        assert_eq!(
            fmt("RUN set -eux; \\\n  if true; then \\\n      echo a; \\\n  fi\n"),
            "RUN set -eux; \\\n    if true; then \\\n        echo a; \\\n    fi\n"
        );
    }

    #[test]
    fn operators_lead_or_trail() {
        let source = "RUN apt-get update && \\\n  make\n";
        assert_eq!(fmt(source), "RUN apt-get update \\\n    && make\n");
        let trailing = Options {
            operator_position: OperatorPosition::Trailing,
            ..Options::default()
        };
        assert_eq!(
            format(&fmt(source), &trailing).unwrap(),
            "RUN apt-get update && \\\n    make\n"
        );
    }

    #[test]
    fn quoted_breaks_and_split_words_stay() {
        let source = "RUN echo \"a \\\n  b\" && x\\\ny\n";
        assert_eq!(fmt(source), source);
    }

    #[test]
    fn directives_comments_heredocs_and_json_stay() {
        let source = "# syntax=docker/dockerfile:1\n\n# escape=`\nFROM x\nRUN <<EOF\n  echo   hi  \nEOF\nCMD [ \"a\",\t\"b\" ]\n";
        assert_eq!(fmt(source), source);
    }

    #[test]
    fn package_lists_go_one_per_line_and_sort_when_asked() {
        let source = "RUN apt-get update && apt-get install -y \\\n  curl ca-certificates \\\n  && rm -rf /var/lib/apt/lists/*\n";
        assert_eq!(
            fmt(source),
            "RUN apt-get update && apt-get install -y \\\n    curl \\\n    ca-certificates \\\n    && rm -rf /var/lib/apt/lists/*\n"
        );
        let sorted = Options {
            sort_packages: true,
            ..Options::default()
        };
        assert!(
            format(source, &sorted)
                .unwrap()
                .contains("ca-certificates \\\n    curl")
        );
    }

    #[test]
    fn crlf_files_stay_crlf() {
        assert_eq!(
            fmt("from x\r\nrun a \\\r\n b\r\n"),
            "FROM x\r\nRUN a \\\r\n    b\r\n"
        );
    }

    #[test]
    fn syntax_errors_are_refused() {
        assert!(matches!(
            format("FROM x\nRUN <<EOF\n", &Options::default()),
            Err(FormatError::Syntax(_))
        ));
    }
}
