//! Helpers shared by the group C hadolint rules.

use std::borrow::Cow;

use crate::model::Stage;
use crate::rules::LintContext;
use crate::shell::Command;
use crate::syntax::{Arguments, Instruction, Keyword, Token};

/// The commands of one RUN: from the model, or parsed from an `ONBUILD RUN` trigger.
pub struct RunScript<'a> {
    pub stage: &'a Stage,
    /// The RUN itself (the trigger for `ONBUILD RUN`).
    pub run: &'a Instruction,
    pub commands: Cow<'a, [Command]>,
}

/// Every RUN of every stage, with `ONBUILD RUN` triggers parsed when `onbuild` is set.
pub fn run_scripts<'a>(context: &LintContext<'a>, onbuild: bool) -> Vec<RunScript<'a>> {
    let mut scripts = Vec::new();
    for stage in &context.model.stages {
        for instruction in &stage.instructions {
            let syntax = context.syntax(instruction);
            match syntax.kind {
                Keyword::Run => scripts.push(RunScript {
                    stage,
                    run: syntax,
                    commands: Cow::Borrowed(&instruction.script),
                }),
                Keyword::Onbuild if onbuild => {
                    if let Some((trigger, commands)) = onbuild_run(syntax) {
                        scripts.push(RunScript {
                            stage,
                            run: trigger,
                            commands: Cow::Owned(commands),
                        });
                    }
                }
                _ => {}
            }
        }
    }
    scripts
}

/// The trigger of `ONBUILD RUN <shell text>` and its parsed commands.
fn onbuild_run(syntax: &Instruction) -> Option<(&Instruction, Vec<Command>)> {
    let Arguments::Onbuild(trigger) = &syntax.arguments else {
        return None;
    };
    if trigger.kind != Keyword::Run {
        return None;
    }
    let Arguments::Shell(token) = &trigger.arguments else {
        return None;
    };
    let map = trigger.token_map(token)?;
    Some((trigger, crate::shell::parse(&token.text, &map).commands))
}

/// The instruction itself when it is a `keyword` instruction, or its ONBUILD trigger when that is.
pub fn with_onbuild(syntax: &Instruction, keyword: Keyword) -> Option<&Instruction> {
    if syntax.kind == keyword {
        return Some(syntax);
    }
    match &syntax.arguments {
        Arguments::Onbuild(trigger)
            if syntax.kind == Keyword::Onbuild && trigger.kind == keyword =>
        {
            Some(trigger)
        }
        _ => None,
    }
}

/// A value token with surrounding quotes removed (ENV/LABEL values keep their quotes).
pub fn unquote(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    if bytes.len() >= 2
        && (bytes[0] == b'"' || bytes[0] == b'\'')
        && bytes[bytes.len() - 1] == bytes[0]
    {
        let inner = &text[1..text.len() - 1];
        if bytes[0] == b'"' && inner.contains('\\') {
            let mut out = String::new();
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                } else {
                    out.push(c);
                }
            }
            return Cow::Owned(out);
        }
        return Cow::Borrowed(inner);
    }
    Cow::Borrowed(text)
}

/// The LABEL pairs of an instruction: (key text, unquoted value, key token, value token).
pub fn labels(syntax: &Instruction) -> Vec<(String, String, &Token, &Token)> {
    let Arguments::KeyValues(pairs) = &syntax.arguments else {
        return Vec::new();
    };
    if syntax.kind != Keyword::Label {
        return Vec::new();
    }
    pairs
        .iter()
        .map(|pair| {
            (
                unquote(&pair.key.text).into_owned(),
                unquote(&pair.value.text).into_owned(),
                &pair.key,
                &pair.value,
            )
        })
        .collect()
}

/// Label-schema rules: every LABEL (in any stage) whose key the schema gives type `kind`, with a
/// static non-empty value that `valid` rejects, reported at the value.
pub fn check_label_type(
    context: &LintContext<'_>,
    out: &mut Vec<crate::rules::Diagnostic>,
    meta: &crate::rules::RuleMeta,
    kind: &str,
    valid: fn(&str) -> bool,
) {
    let schema = &context.settings.label_schema;
    if !schema
        .values()
        .any(|value| value.eq_ignore_ascii_case(kind))
    {
        return;
    }
    for syntax in context.dockerfile.instructions() {
        for (key, value, _, token) in labels(syntax) {
            let Some(expected) = schema.get(&key) else {
                continue;
            };
            if !expected.eq_ignore_ascii_case(kind)
                || value.is_empty()
                || value.contains('$')
                || valid(&value)
            {
                continue;
            }
            out.push(context.report(
                meta,
                token.span,
                format!(
                    "label `{key}` should hold {}, not `{value}`",
                    describe(kind)
                ),
            ));
        }
    }
}

/// The image word of a stage's FROM (the FROM's span when there is none).
pub fn from_image_span(context: &LintContext<'_>, stage: &Stage) -> crate::syntax::Span {
    let from = context.dockerfile.instructions().find(|instruction| {
        instruction.kind == Keyword::From
            && instruction.span.start <= stage.span.start
            && stage.span.start < instruction.span.end.max(instruction.span.start + 1)
    });
    match from.map(|from| (from, &from.arguments)) {
        Some((_, Arguments::Words(words))) if !words.is_empty() => words[0].span,
        Some((from, _)) => from.keyword.span,
        None => stage.span,
    }
}

fn describe(kind: &str) -> &'static str {
    match kind {
        "url" => "an absolute URL",
        "rfc3339" => "an RFC 3339 timestamp",
        "spdx" => "an SPDX license expression",
        "hash" => "a full git commit hash",
        "semver" => "a semantic version",
        "email" => "an email address",
        _ => "a valid value",
    }
}
