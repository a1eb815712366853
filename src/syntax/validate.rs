//! What BuildKit rejects only when it turns the tree into instructions (its `instructions`
//! package): unknown instructions and flags, flag values, argument counts, ONBUILD triggers.
//!
//! Such an instruction is still a full node (and still dumped, as BuildKit's parser dumps it);
//! the errors ride on it for the linter to report.

use super::span::Span;
use super::tree::{Arguments, Flag, Instruction, Keyword, SyntaxError, Token};

#[derive(Clone, Copy, PartialEq, Eq)]
enum FlagKind {
    /// Needs `=value`; given once.
    String,
    /// May repeat.
    Strings,
    /// `--x`, `--x=true`, `--x=false`.
    Bool,
}

/// The flags BuildKit registers for each instruction.
fn allowed_flags(keyword: Keyword) -> &'static [(&'static str, FlagKind)] {
    use FlagKind::*;
    match keyword {
        Keyword::From => &[("platform", String)],
        Keyword::Run => &[
            ("mount", Strings),
            ("network", String),
            ("security", String),
            ("device", Strings),
        ],
        Keyword::Copy => &[
            ("from", String),
            ("chown", String),
            ("chmod", String),
            ("link", Bool),
            ("parents", Bool),
            ("exclude", Strings),
        ],
        Keyword::Add => &[
            ("chown", String),
            ("chmod", String),
            ("link", Bool),
            ("keep-git-dir", Bool),
            ("checksum", String),
            ("unpack", Bool),
            ("exclude", Strings),
        ],
        Keyword::Healthcheck => &[
            ("interval", String),
            ("timeout", String),
            ("start-period", String),
            ("start-interval", String),
            ("retries", String),
        ],
        _ => &[],
    }
}

/// The flags BuildKit takes for `keyword` (`from`, `chown`, ... without the dashes).
pub fn flag_names(keyword: Keyword) -> Vec<&'static str> {
    allowed_flags(keyword)
        .iter()
        .map(|(name, _)| *name)
        .collect()
}

/// BuildKit's instruction-level errors for one instruction, in source order.
pub fn validate(instruction: &Instruction) -> Vec<SyntaxError> {
    let mut errors = Vec::new();
    let whole = Whole(instruction);
    let mut error = |message: String, span: Span| errors.push(SyntaxError { message, span });
    let keyword = Uppercase(&instruction.keyword.text);

    if instruction.kind == Keyword::Unknown {
        let names: Vec<&str> = Keyword::ALL.iter().map(|k| k.as_str()).collect();
        let lower = instruction.keyword.text.to_lowercase();
        error(
            with_suggestion(
                format!("unknown instruction: {}", instruction.keyword.text),
                &lower,
                &names,
                "",
            ),
            instruction.keyword.span,
        );
        return errors;
    }
    if !is_healthcheck_none(instruction) {
        check_flags(instruction, &mut error);
    }
    check_arguments(instruction, keyword, whole, &mut error);
    errors
}

/// A keyword as error messages spell it, uppercased as it is written out (`str::to_uppercase`
/// maps each character on its own): most instructions have no error, and no copy is made.
#[derive(Clone, Copy)]
struct Uppercase<'a>(&'a str);

impl std::fmt::Display for Uppercase<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write;
        self.0
            .chars()
            .flat_map(char::to_uppercase)
            .try_for_each(|c| formatter.write_char(c))
    }
}

/// The instruction's text span (see [`instruction_text_span`]), found only for an error that
/// needs it: most instructions have none.
#[derive(Clone, Copy)]
struct Whole<'a>(&'a Instruction);

impl Whole<'_> {
    fn span(self) -> Span {
        instruction_text_span(self.0)
    }
}

fn is_healthcheck_none(instruction: &Instruction) -> bool {
    matches!(&instruction.arguments, Arguments::Healthcheck { kind, .. } if kind.text.eq_ignore_ascii_case("none"))
}

fn check_flags(instruction: &Instruction, error: &mut impl FnMut(String, Span)) {
    let allowed = allowed_flags(instruction.kind);
    for (index, flag) in instruction.flags.iter().enumerate() {
        let Some(&(_, kind)) = allowed.iter().find(|(name, _)| *name == flag.name) else {
            let names: Vec<&str> = allowed.iter().map(|(name, _)| *name).collect();
            error(
                with_suggestion(
                    format!("unknown flag: --{}", flag.name),
                    &flag.name,
                    &names,
                    "--",
                ),
                flag.span,
            );
            continue;
        };
        if let Some(message) = flag_value_error(flag, kind) {
            error(message, flag.span);
        }
        // An earlier flag of this (known) name: no list of the names seen is kept.
        let seen = instruction.flags[..index]
            .iter()
            .any(|earlier| earlier.name == flag.name);
        if kind != FlagKind::Strings && seen {
            error(
                format!("duplicate flag specified: --{}", flag.name),
                flag.span,
            );
        }
    }
}

fn flag_value_error(flag: &Flag, kind: FlagKind) -> Option<String> {
    match (kind, flag.value.as_deref()) {
        (FlagKind::Bool, None) => None,
        (FlagKind::Bool, Some(value)) => (!value.eq_ignore_ascii_case("true")
            && !value.eq_ignore_ascii_case("false"))
        .then(|| {
            format!(
                "expecting boolean value for flag {}, not: {value}",
                flag.name
            )
        }),
        (_, None) => Some(format!("missing a value on flag: --{}", flag.name)),
        (_, Some(_)) => None,
    }
}

fn check_arguments(
    instruction: &Instruction,
    keyword: Uppercase,
    whole: Whole,
    error: &mut impl FnMut(String, Span),
) {
    let arguments = &instruction.arguments;
    let count = argument_count(arguments);
    match instruction.kind {
        Keyword::Env
        | Keyword::Label
        | Keyword::Arg
        | Keyword::Expose
        | Keyword::Volume
        | Keyword::Onbuild
            if count == 0 =>
        {
            error(
                format!("{keyword} requires at least one argument"),
                whole.span(),
            );
        }
        Keyword::Env | Keyword::Label => {
            if let Arguments::KeyValues(pairs) = arguments {
                for pair in pairs.iter().filter(|pair| pair.key.text.is_empty()) {
                    error(
                        format!("{keyword} names can not be blank"),
                        pair.key.span.cover(pair.value.span),
                    );
                }
            }
        }
        Keyword::Maintainer | Keyword::Workdir | Keyword::User | Keyword::Stopsignal
            if count != 1 =>
        {
            error(
                format!("{keyword} requires exactly one argument"),
                whole.span(),
            );
        }
        Keyword::Add | Keyword::Copy => {
            check_sources_and_destination(instruction, keyword, whole, error)
        }
        Keyword::From => check_from(arguments, whole, error),
        Keyword::Volume => {
            if let Arguments::Exec(tokens) = arguments {
                for token in tokens.iter().filter(|token| token.text.is_empty()) {
                    error(
                        "VOLUME specified can not be an empty string".into(),
                        token.span,
                    );
                }
            }
        }
        Keyword::Onbuild => check_onbuild_trigger(arguments, error),
        Keyword::Healthcheck => check_healthcheck(arguments, whole, error),
        Keyword::Shell => match arguments {
            Arguments::None | Arguments::Exec(_) if count == 0 => {
                error("SHELL requires at least one argument".into(), whole.span());
            }
            Arguments::Shell(token) => error(
                "SHELL requires the arguments to be in JSON form".into(),
                token.span,
            ),
            _ => {}
        },
        _ => {}
    }
}

fn check_sources_and_destination(
    instruction: &Instruction,
    keyword: Uppercase,
    whole: Whole,
    error: &mut impl FnMut(String, Span),
) {
    let tokens: &[Token] = match &instruction.arguments {
        Arguments::Words(tokens) | Arguments::Exec(tokens) => tokens,
        _ => &[],
    };
    let Some(destination) = tokens.last().filter(|_| tokens.len() >= 2) else {
        error(
            format!(
                "{keyword} requires at least two arguments, but only one was provided. Destination could not be determined"
            ),
            whole.span(),
        );
        return;
    };
    let is_marker = instruction
        .heredocs
        .iter()
        .any(|heredoc| heredoc.marker == destination.span);
    if is_marker {
        error(
            format!("{keyword} cannot accept a heredoc as a destination"),
            destination.span,
        );
    }
}

fn check_from(arguments: &Arguments, whole: Whole, error: &mut impl FnMut(String, Span)) {
    let Arguments::Words(words) = arguments else {
        return error(
            "FROM requires either one or three arguments".into(),
            whole.span(),
        );
    };
    match words.as_slice() {
        [_] => {}
        [_, as_word, name] if as_word.text.eq_ignore_ascii_case("as") => {
            if !is_valid_stage_name(&name.text.to_lowercase()) {
                error(
                    format!(
                        "invalid name for build stage: {}, name can't start with a number or contain symbols",
                        super::go_quote(&name.text)
                    ),
                    name.span,
                );
            }
        }
        _ => error(
            "FROM requires either one or three arguments".into(),
            whole.span(),
        ),
    }
}

/// `^[a-z][a-z0-9-_.]*$`
fn is_valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

fn check_onbuild_trigger(arguments: &Arguments, error: &mut impl FnMut(String, Span)) {
    let Arguments::Onbuild(trigger) = arguments else {
        return;
    };
    match trigger.kind {
        Keyword::Onbuild => error(
            "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".into(),
            trigger.keyword.span,
        ),
        Keyword::From | Keyword::Maintainer => error(
            format!(
                "{} isn't allowed as an ONBUILD trigger",
                trigger.keyword.text.to_uppercase()
            ),
            trigger.keyword.span,
        ),
        _ => {}
    }
}

fn check_healthcheck(arguments: &Arguments, whole: Whole, error: &mut impl FnMut(String, Span)) {
    let Arguments::Healthcheck { kind, command } = arguments else {
        return error(
            "HEALTHCHECK requires at least one argument".into(),
            whole.span(),
        );
    };
    let has_command = argument_count(command) > 0;
    match kind.text.to_uppercase().as_str() {
        "NONE" if has_command => error("HEALTHCHECK NONE takes no arguments".into(), whole.span()),
        "NONE" => {}
        "CMD" if !has_command => {
            error("Missing command after HEALTHCHECK CMD".into(), whole.span())
        }
        "CMD" => {}
        other => error(
            format!(
                "Unknown type {} in HEALTHCHECK (try CMD)",
                super::go_quote(other)
            ),
            kind.span,
        ),
    }
}

fn argument_count(arguments: &Arguments) -> usize {
    match arguments {
        Arguments::None => 0,
        Arguments::Exec(tokens) | Arguments::Words(tokens) => tokens.len(),
        Arguments::Shell(_) | Arguments::Text(_) | Arguments::Onbuild(_) | Arguments::Ignored => 1,
        Arguments::KeyValues(pairs) => pairs.len(),
        Arguments::Healthcheck { command, .. } => 1 + argument_count(command),
    }
}

/// From the keyword to the end of the last argument: the instruction without its line break.
fn instruction_text_span(instruction: &Instruction) -> Span {
    let start = instruction.keyword.span.start;
    let mut end = instruction.keyword.span.end;
    let mut extend = |span: Span| end = end.max(span.end);
    instruction.flags.iter().for_each(|flag| extend(flag.span));
    visit_argument_spans(&instruction.arguments, &mut extend);
    Span::new(start, end)
}

fn visit_argument_spans(arguments: &Arguments, visit: &mut impl FnMut(Span)) {
    match arguments {
        Arguments::Exec(tokens) | Arguments::Words(tokens) => {
            tokens.iter().for_each(|t| visit(t.span))
        }
        Arguments::Shell(token) | Arguments::Text(token) => visit(token.span),
        Arguments::KeyValues(pairs) => pairs.iter().for_each(|p| {
            visit(p.key.span);
            visit(p.value.span);
        }),
        Arguments::Healthcheck { kind, command } => {
            visit(kind.span);
            visit_argument_spans(command, visit);
        }
        Arguments::Onbuild(trigger) => visit(trigger.span),
        Arguments::None | Arguments::Ignored => {}
    }
}

/// Appends BuildKit's "did you mean" hint: the closest name within edit distance 2.
fn with_suggestion(message: String, value: &str, names: &[&str], prefix: &str) -> String {
    match super::suggest::closest(value, names.iter().copied()) {
        Some(name) => format!("{message} (did you mean {prefix}{name}?)"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            with_suggestion(
                "unknown instruction: FRM".into(),
                "frm",
                &["from", "run"],
                ""
            ),
            "unknown instruction: FRM (did you mean from?)"
        );
        assert_eq!(with_suggestion("x".into(), "zzzzzz", &["from"], ""), "x");
    }

    #[test]
    fn stage_names_follow_buildkit() {
        assert!(is_valid_stage_name("build-1.x_y"));
        assert!(!is_valid_stage_name("1build"));
        assert!(!is_valid_stage_name("b@d"));
    }
}
