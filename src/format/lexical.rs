//! Which blanks of an instruction's joined text are mere separators.
//!
//! BuildKit joins continuation lines by concatenation, so the blanks on both sides of a line
//! break end up in the instruction's text. Changing how many there are is harmless only where
//! they separate words: between the keyword and its flags, between list words, between shell
//! words outside quotes and substitutions. Everywhere else (inside quotes, a legacy `ENV key
//! value`, a USER or WORKDIR value, a JSON array) they are part of a value and stay as written.

use crate::syntax::{Arguments, Instruction, Span, TextMap};

/// What the formatter may change in one instruction's joined text (`Instruction::original`).
pub struct Lexical {
    /// `free[i]`: byte `i` is a blank (space or tab) that only separates words.
    pub free: Vec<bool>,
    /// Ranges of the keyword (and an ONBUILD trigger's keyword), to upper-case.
    pub keywords: Vec<(usize, usize)>,
    /// Ranges whose separator blanks become one space: from the end of a keyword to the
    /// start of the arguments, and word lists (FROM, COPY, ENV pairs...).
    pub heads: Vec<(usize, usize)>,
    /// The shell-form script, if any: where `&&` and package lists may be rearranged.
    pub shell: Option<(usize, usize)>,
    /// Where a shell comment starts in the script (everything after it is comment).
    pub shell_comment: Option<usize>,
    /// A FROM's `AS` word, written in lower case, to upper-case with the keyword.
    pub from_as: Option<(usize, usize)>,
}

pub fn is_blank(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

/// Reads the instruction's structure (keyword, flags, argument form) from the tree.
pub fn analyse(instruction: &Instruction) -> Lexical {
    let text = instruction.original.as_bytes();
    let mut lexical = Lexical {
        free: vec![false; text.len()],
        keywords: Vec::new(),
        heads: Vec::new(),
        shell: None,
        shell_comment: None,
        from_as: None,
    };
    let map = instruction.text_map();
    mark_node(instruction, &map, text, &mut lexical);
    lexical
}

/// The joined-text range of a file span, when both ends lie in the joined text.
fn range(map: &TextMap, span: Span) -> Option<(usize, usize)> {
    let start = map.text_offset(span.start)?;
    if span.is_empty() {
        return Some((start, start));
    }
    let end = map.text_offset(span.end - 1)? + 1;
    (end >= start).then_some((start, end))
}

/// Blanks in `start..end` are separators.
fn free_blanks(text: &[u8], lexical: &mut Lexical, start: usize, end: usize) {
    let end = end.min(text.len());
    if start >= end {
        return;
    }
    for (free, &byte) in lexical.free[start..end].iter_mut().zip(&text[start..end]) {
        *free |= is_blank(byte);
    }
}

fn mark_node(instruction: &Instruction, map: &TextMap, text: &[u8], lexical: &mut Lexical) {
    let Some((keyword_start, keyword_end)) = range(map, instruction.keyword.span) else {
        return;
    };
    if instruction.kind != crate::syntax::Keyword::Unknown
        && keyword_end - keyword_start == instruction.keyword.text.len()
    {
        lexical.keywords.push((keyword_start, keyword_end));
    }
    let Some(args_start) = arguments_start(instruction, map, keyword_end) else {
        return;
    };
    // Between the keyword and the arguments: blanks outside the flag words.
    let mut cursor = keyword_end;
    for flag in &instruction.flags {
        let Some((start, end)) = range(map, flag.span) else {
            return;
        };
        free_blanks(text, lexical, cursor, start);
        cursor = end;
    }
    free_blanks(text, lexical, cursor, args_start);
    lexical.heads.push((keyword_end, args_start));
    mark_arguments(&instruction.arguments, instruction, map, text, lexical);
}

/// Where the arguments start in the joined text (the end of the text when there are none).
fn arguments_start(instruction: &Instruction, map: &TextMap, keyword_end: usize) -> Option<usize> {
    let first = match &instruction.arguments {
        Arguments::None | Arguments::Ignored => None,
        Arguments::Exec(tokens) | Arguments::Words(tokens) => tokens.first().map(|t| t.span),
        Arguments::Shell(token) | Arguments::Text(token) => Some(token.span),
        Arguments::KeyValues(pairs) => pairs.first().map(|pair| pair.key.span),
        Arguments::Healthcheck { kind, .. } => Some(kind.span),
        Arguments::Onbuild(trigger) => Some(trigger.keyword.span),
    };
    match first {
        Some(span) if matches!(instruction.arguments, Arguments::Exec(_)) => {
            // A JSON array starts at its `[`, before the first string.
            let start = range(map, span)?.0;
            let bytes = instruction.original.as_bytes();
            (keyword_end..start).rev().find(|&i| bytes[i] == b'[')
        }
        Some(span) => range(map, span).map(|(start, _)| start),
        None if matches!(instruction.arguments, Arguments::Ignored) => Some(keyword_end),
        None => Some(instruction.original.trim_end().len().max(keyword_end)),
    }
}

fn mark_arguments(
    arguments: &Arguments,
    instruction: &Instruction,
    map: &TextMap,
    text: &[u8],
    lexical: &mut Lexical,
) {
    match arguments {
        Arguments::None | Arguments::Ignored | Arguments::Exec(_) | Arguments::Text(_) => {}
        Arguments::Shell(token) => {
            if let Some((start, end)) = range(map, token.span) {
                if end - start == token.text.len() {
                    lexical.shell = Some((start, end));
                    lexical.shell_comment = shell_blanks(text, lexical, start, end);
                }
            }
        }
        Arguments::Words(tokens) => {
            let spans: Vec<Span> = tokens.iter().map(|token| token.span).collect();
            blanks_between(&spans, map, text, lexical);
            if instruction.kind == crate::syntax::Keyword::From
                && tokens.len() == 3
                && tokens[1].text.eq_ignore_ascii_case("as")
                && tokens[1].text != "AS"
            {
                lexical.from_as = range(map, tokens[1].span);
            }
        }
        Arguments::KeyValues(pairs) => {
            let spans: Vec<Span> = pairs
                .iter()
                .flat_map(|pair| {
                    if pair.legacy {
                        vec![pair.key.span, pair.value.span]
                    } else {
                        vec![pair.key.span.cover(pair.value.span)]
                    }
                })
                .collect();
            blanks_between(&spans, map, text, lexical);
        }
        Arguments::Healthcheck { kind, command } => {
            let Some((_, kind_end)) = range(map, kind.span) else {
                return;
            };
            let command_start = match command.as_ref() {
                Arguments::Exec(_) | Arguments::Shell(_) => {
                    let rest = &text[kind_end..];
                    kind_end + rest.iter().take_while(|&&b| is_blank(b)).count()
                }
                _ => text.len(),
            };
            free_blanks(text, lexical, kind_end, command_start);
            lexical.heads.push((kind_end, command_start));
            mark_arguments(command, instruction, map, text, lexical);
        }
        Arguments::Onbuild(trigger) => mark_node(trigger, map, text, lexical),
    }
}

/// Blanks outside the given word spans (and after the first one) are separators.
fn blanks_between(spans: &[Span], map: &TextMap, text: &[u8], lexical: &mut Lexical) {
    let ranges: Option<Vec<(usize, usize)>> = spans.iter().map(|span| range(map, *span)).collect();
    let Some(ranges) = ranges else {
        return;
    };
    for pair in ranges.windows(2) {
        free_blanks(text, lexical, pair[0].1, pair[1].0);
    }
    if let (Some(first), Some(last)) = (ranges.first(), ranges.last()) {
        lexical.heads.push((first.0, last.1));
    }
}

/// The open constructs of a shell script, innermost last.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// `$(`, `$((` or a `(` inside one.
    Paren,
    /// `${`
    Brace,
    DoubleQuote,
    Backquote,
}

/// Marks the blanks of `text[start..end]` (a POSIX sh script) that separate words at the top
/// level: outside quotes, substitutions and parameter expansions. Blanks inside a comment are
/// free too. Returns where a comment starts.
fn shell_blanks(text: &[u8], lexical: &mut Lexical, start: usize, end: usize) -> Option<usize> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = start;
    while i < end {
        let byte = text[i];
        let top = stack.last().copied();
        let code = matches!(top, None | Some(Frame::Paren) | Some(Frame::Brace));
        match byte {
            b'\\' => i += 1,
            b'\'' if code => {
                // Single quotes: nothing is special until the closing one.
                i += 1;
                while i < end && text[i] != b'\'' {
                    i += 1;
                }
            }
            b'$' if code && text.get(i + 1) == Some(&b'\'') => {
                // `$'…'`: backslash escapes, up to the closing quote.
                i += 2;
                while i < end && text[i] != b'\'' {
                    if text[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'$' if top != Some(Frame::Backquote) && text.get(i + 1) == Some(&b'(') => {
                stack.push(Frame::Paren);
                i += 1;
            }
            b'$' if top != Some(Frame::Backquote) && text.get(i + 1) == Some(&b'{') => {
                stack.push(Frame::Brace);
                i += 1;
            }
            b'(' if top == Some(Frame::Paren) => stack.push(Frame::Paren),
            b')' if top == Some(Frame::Paren) => {
                stack.pop();
            }
            b'}' if top == Some(Frame::Brace) => {
                stack.pop();
            }
            b'"' if top == Some(Frame::DoubleQuote) => {
                stack.pop();
            }
            b'"' if code => stack.push(Frame::DoubleQuote),
            b'`' if top == Some(Frame::Backquote) => {
                stack.pop();
            }
            b'`' => stack.push(Frame::Backquote),
            b'#' if top.is_none() && starts_word(text, start, i) => {
                free_blanks(text, lexical, i, end);
                return Some(i);
            }
            _ if top.is_none() && is_blank(byte) => lexical.free[i] = true,
            _ => {}
        }
        i += 1;
    }
    None
}

/// A `#` starts a comment at the start of a word.
fn starts_word(text: &[u8], start: usize, at: usize) -> bool {
    at == start
        || matches!(
            text[at - 1],
            b' ' | b'\t' | b';' | b'&' | b'|' | b'(' | b')'
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{Item, parse};

    fn free_text(source: &str) -> String {
        let dockerfile = parse(source);
        let Some(Item::Instruction(instruction)) = dockerfile.items.first() else {
            panic!("no instruction");
        };
        let lexical = analyse(instruction);
        instruction
            .original
            .bytes()
            .zip(&lexical.free)
            .map(|(byte, free)| if *free { '_' } else { byte as char })
            .collect()
    }

    #[test]
    fn shell_blanks_outside_quotes_are_free() {
        assert_eq!(
            free_text("RUN  echo \"a b\" 'c d' $(x y) ${v:- w} e\\ f # g h\n"),
            "RUN__echo_\"a b\"_'c d'_$(x y)_${v:- w}_e\\ f_#_g_h"
        );
    }

    #[test]
    fn values_keep_their_blanks() {
        assert_eq!(free_text("ENV a=\"x y\"  b=2\n"), "ENV_a=\"x y\"__b=2");
        assert_eq!(free_text("ENV key a value\n"), "ENV_key_a value");
        assert_eq!(free_text("USER  a b\n"), "USER__a b");
        assert_eq!(
            free_text("CMD  [\"a\", \"b c\"]\n"),
            "CMD__[\"a\", \"b c\"]"
        );
        assert_eq!(
            free_text("COPY --from=x  --chown=a a  b\n"),
            "COPY_--from=x__--chown=a_a__b"
        );
    }
}
