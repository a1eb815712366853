//! Heredoc markers on an instruction line (`<<EOF`, `<<-EOF`, `3<<'EOF'`, `<< EOF`).

use nom::{
    IResult,
    bytes::complete::{tag, take_while},
    character::complete::digit0,
    combinator::opt,
};

use super::expand::Lexer;
use super::lines::LogicalLine;
use super::span::Span;
use super::tree::SyntaxError;

/// A heredoc announced on the instruction line; its body is read from the lines after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    pub name: String,
    pub expand: bool,
    pub chomp: bool,
    pub file_descriptor: u32,
    pub span: Span,
}

/// Go's regexp `\s`.
fn is_regex_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

/// `^(\d*)<<(-?)\s*([^<]*)$`: fd digits, chomp flag and the rest of the word.
fn marker_word(word: &str) -> IResult<&str, (&str, bool, &str)> {
    let (input, fd) = digit0(word)?;
    let (input, _) = tag("<<")(input)?;
    let (input, chomp) = opt(tag("-"))(input)?;
    let (input, _) = take_while(is_regex_space)(input)?;
    let (input, rest) = take_while(|c| c != '<')(input)?;
    if !input.is_empty() {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Eof,
        )));
    }
    Ok((input, (fd, chomp.is_some(), rest)))
}

/// BuildKit's `ParseHeredoc` on one word of the line: `Ok(None)` when it is no heredoc.
fn parse_marker(word: &str) -> Result<Option<(String, bool, bool, u32)>, String> {
    let Ok((_, (fd, chomp, rest))) = marker_word(word) else {
        return Ok(None);
    };
    if rest.is_empty() {
        return Ok(None);
    }
    let lexer = Lexer {
        skip_unset_env: true,
        ..Lexer::new('\\')
    };
    let words = lexer.process_words(rest, &()).map_err(|e| e.to_string())?;
    let [name] = words.as_slice() else {
        return Ok(None);
    };
    let raw = Lexer {
        raw_quotes: true,
        ..lexer.clone()
    }
    .process_words(rest, &())
    .map_err(|e| e.to_string())?;
    let [raw_name] = raw.as_slice() else {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    };
    // A quote that lexing removed means part of the name was quoted: no expansion.
    let expand = count_quotes(name) == count_quotes(raw_name);
    let file_descriptor = if fd.is_empty() {
        0
    } else {
        fd.parse().unwrap_or(u32::MAX)
    };
    Ok(Some((name.clone(), expand, chomp, file_descriptor)))
}

fn count_quotes(text: &str) -> usize {
    text.chars().filter(|&c| c == '\'' || c == '"').count()
}

/// BuildKit's `heredocsFromLine`: every word of the line that is a heredoc marker, in order.
pub fn find_markers(line: &LogicalLine) -> Result<Vec<Marker>, SyntaxError> {
    let lexer = Lexer::heredoc_markers();
    // BuildKit ignores a lexing failure of the whole line: such a line has no heredocs.
    let Ok(words) = lexer.process_words(&line.text, &()) else {
        return Ok(Vec::new());
    };
    let mut markers = Vec::new();
    let mut cursor = 0;
    for word in words {
        if !word.contains("<<") {
            cursor = advance_past(&line.text, cursor, &word);
            continue;
        }
        let start = line.text[cursor..].find(word.as_str()).map(|i| cursor + i);
        let span = match start {
            Some(start) => {
                cursor = start + word.len();
                line.span(start, cursor)
            }
            None => line.span(cursor, line.text.len()),
        };
        match parse_marker(&word) {
            Ok(Some((name, expand, chomp, file_descriptor))) => markers.push(Marker {
                name,
                expand,
                chomp,
                file_descriptor,
                span,
            }),
            Ok(None) => {}
            Err(message) => return Err(SyntaxError { message, span }),
        }
    }
    Ok(markers)
}

fn advance_past(text: &str, cursor: usize, word: &str) -> usize {
    text[cursor..]
        .find(word)
        .map_or(cursor, |i| cursor + i + word.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(word: &str) -> Option<(String, bool, bool, u32)> {
        parse_marker(word).unwrap()
    }

    #[test]
    fn recognises_marker_words() {
        assert_eq!(marker("<<EOF"), Some(("EOF".into(), true, false, 0)));
        assert_eq!(marker("<<-EOF"), Some(("EOF".into(), true, true, 0)));
        assert_eq!(marker("3<<'EOF'"), Some(("EOF".into(), false, false, 3)));
        assert_eq!(marker("<<E\"O\"F"), Some(("EOF".into(), false, false, 0)));
        assert_eq!(marker("<<eo\\'f"), Some(("eo'f".into(), true, false, 0)));
        assert_eq!(marker("<<$EOF"), Some(("$EOF".into(), true, false, 0)));
        assert_eq!(marker("<< EOF"), Some(("EOF".into(), true, false, 0)));
        assert_eq!(marker("<<"), None);
        assert_eq!(marker("<<-"), None);
        assert_eq!(marker("<<<EOF"), None);
        assert_eq!(marker("cat<<EOF"), None);
        assert!(parse_marker("<<'EOF").is_err());
    }
}
