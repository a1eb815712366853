//! Instructions of a stage as several topics read them: the stage's FROM (its image word and
//! `AS` name), instructions a later one of the same stage overrides, and ONBUILD triggers.

use crate::model::Stage;
use crate::rules::{Diagnostic, LintContext, RuleMeta, StageInstruction};
use crate::syntax::{Arguments, Instruction, Keyword, Span, Token};

/// The FROM instruction of a stage.
pub fn from_of<'a>(context: &LintContext<'a>, stage: &Stage) -> Option<&'a Instruction> {
    context
        .instructions_of(Keyword::From)
        .find(|instruction| instruction.span == stage.span)
}

/// The `AS name` token of a stage's FROM.
pub fn stage_alias<'a>(context: &LintContext<'a>, stage: &Stage) -> Option<&'a Token> {
    match &from_of(context, stage)?.arguments {
        Arguments::Words(words) if words.len() >= 3 && words[1].text.eq_ignore_ascii_case("as") => {
            words.get(2)
        }
        _ => None,
    }
}

/// The image word of a stage's FROM (the FROM's keyword when it has none, the stage's span
/// when there is no FROM).
pub fn from_image_span(context: &LintContext<'_>, stage: &Stage) -> Span {
    match from_of(context, stage).map(|from| (from, &from.arguments)) {
        Some((_, Arguments::Words(words))) if !words.is_empty() => words[0].span,
        Some((from, _)) => from.keyword.span,
        None => stage.span,
    }
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

/// Reports every `keyword` instruction of a stage that a later one of the same stage
/// overrides (CMD, ENTRYPOINT, HEALTHCHECK), at its keyword.
pub fn overridden(
    context: &LintContext<'_>,
    meta: &RuleMeta,
    keyword: Keyword,
    out: &mut Vec<Diagnostic>,
) {
    // Listed stage by stage: the instructions of one stage follow each other.
    let mut of_keyword = context.stage_instructions_of(keyword).peekable();
    while let Some(first) = of_keyword.next() {
        let same_stage = |next: &StageInstruction<'_>| std::ptr::eq(next.stage, first.stage);
        // Most stages have one such instruction at most, which overrides nothing: the list
        // (and the line of the last) is made only for two or more.
        let Some(second) = of_keyword.next_if(same_stage) else {
            continue;
        };
        let mut found: Vec<&Instruction> = vec![first.syntax, second.syntax];
        while let Some(next) = of_keyword.next_if(same_stage) {
            found.push(next.syntax);
        }
        let Some((last, earlier)) = found.split_last() else {
            continue;
        };
        let line = context
            .index
            .position(&context.dockerfile.source, last.keyword.span.start)
            .line;
        let name = keyword.upper_name();
        for instruction in earlier {
            out.push(context.report(
                meta,
                instruction.keyword.span,
                format!("this {name} has no effect: the {name} on line {line} of the same stage replaces it"),
            ));
        }
    }
}
