//! Parser directives (`# syntax=`, `# escape=`, `# check=`) at the top of a file.

use nom::{
    IResult,
    bytes::complete::{take_while, take_while1},
    character::complete::{char, satisfy},
    combinator::recognize,
    sequence::pair,
};

use super::span::Span;

/// Directive names BuildKit knows; any other name ends the directive section.
pub const KNOWN_DIRECTIVES: [&str; 3] = ["syntax", "escape", "check"];

/// A directive line split into name and value, spans relative to the line.
#[derive(Debug, PartialEq, Eq)]
pub struct DirectiveLine {
    pub name: Span,
    pub value: Span,
}

/// Go's `\s`: the whitespace of the directive regex.
fn is_regex_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

fn name(input: &str) -> IResult<&str, &str> {
    recognize(pair(
        satisfy(|c| c.is_ascii_alphabetic()),
        take_while(|c: char| c.is_ascii_alphanumeric()),
    ))(input)
}

fn name_and_equals(input: &str) -> IResult<&str, &str> {
    let (input, _) = char('#')(input)?;
    let (input, _) = take_while(char::is_whitespace)(input)?;
    let (input, name) = name(input)?;
    let (input, _) = take_while(is_regex_space)(input)?;
    let (input, _) = char('=')(input)?;
    let (input, _) = take_while(is_regex_space)(input)?;
    let (input, _) = take_while1(|_| true)(input)?;
    Ok((input, name))
}

/// Matches `#\s*name\s*=\s*value\s*` on a line whose leading whitespace is already stripped.
pub fn parse_directive_line(line: &str) -> Option<DirectiveLine> {
    let (_, name) = name_and_equals(line).ok()?;
    let name_start = name.as_ptr() as usize - line.as_ptr() as usize;
    let name_end = name_start + name.len();
    let after_name = &line[name_end..];
    let equals = after_name.find('=')?;
    let value_region = &after_name[equals + 1..];
    let leading = value_region.len() - value_region.trim_start_matches(is_regex_space).len();
    let value_start = name_end + equals + 1 + leading;
    let value_end = line.trim_end_matches(is_regex_space).len();
    (value_end > value_start).then_some(DirectiveLine {
        name: Span::new(name_start, name_end),
        value: Span::new(value_start, value_end),
    })
}

/// Whether a comment line would be read as a parser directive BuildKit knows, were it at the
/// top of the file.
pub fn is_known_directive(line: &str) -> bool {
    let line = line.trim_start();
    parse_directive_line(line).is_some_and(|directive| {
        KNOWN_DIRECTIVES.contains(&directive.name.text(line).to_ascii_lowercase().as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(line: &str) -> Option<(&str, &str)> {
        parse_directive_line(line).map(|d| (d.name.text(line), d.value.text(line)))
    }

    #[test]
    fn accepts_the_directive_forms() {
        assert_eq!(parts("# escape=`"), Some(("escape", "`")));
        assert_eq!(parts("#\t  dIrEcTiVe=value"), Some(("dIrEcTiVe", "value")));
        assert_eq!(
            parts("#syntax = docker/dockerfile:1  "),
            Some(("syntax", "docker/dockerfile:1"))
        );
        assert_eq!(
            parts("# check=skip=all;error=true"),
            Some(("check", "skip=all;error=true"))
        );
    }

    #[test]
    fn rejects_what_is_not_a_directive() {
        assert_eq!(parts("# escape="), None);
        assert_eq!(parts("# escape=   "), None);
        assert_eq!(parts("# 1escape=x"), None);
        assert_eq!(parts("# esc ape=x"), None);
        assert_eq!(parts("# just a comment"), None);
        assert_eq!(parts("escape=x"), None);
    }
}
