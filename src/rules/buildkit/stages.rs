//! What several checks read from FROM instructions and stage chains.

use crate::model::Stage;
use crate::rules::LintContext;
use crate::syntax::{Arguments, Instruction, Item, Keyword, Token};

/// The FROM instruction that starts `stage`.
pub fn from_of<'a>(context: &LintContext<'a>, stage: &Stage) -> Option<&'a Instruction> {
    // Items are in source order: the FROM is found by its start, not by a scan of the file
    // (rules ask once per stage, and files with thousands of stages were quadratic).
    let items = &context.dockerfile.items;
    let first = items.partition_point(|item| item.span().start < stage.span.start);
    items[first..]
        .iter()
        .take_while(|item| item.span().start == stage.span.start)
        .find_map(|item| match item {
            Item::Instruction(from) if from.span == stage.span && from.kind == Keyword::From => {
                Some(from)
            }
            _ => None,
        })
}

/// FROM's words: image, and `AS name` when present.
pub fn from_words(from: &Instruction) -> &[Token] {
    match &from.arguments {
        Arguments::Words(words) => words,
        _ => &[],
    }
}

/// The `AS` keyword and the stage name of `FROM image AS name`.
pub fn as_and_name(from: &Instruction) -> Option<(&Token, &Token)> {
    match from_words(from) {
        [_, as_word, name] if as_word.text.eq_ignore_ascii_case("as") => Some((as_word, name)),
        _ => None,
    }
}

/// The stages `stage` is built on, nearest first, itself included (`FROM base` chains).
pub fn chain<'a>(context: &LintContext<'a>, stage: &'a Stage) -> Vec<&'a Stage> {
    let mut found = vec![stage];
    let mut current = stage;
    while let Some(base) = current.base.stage {
        let Some(next) = context.model.stages.get(base) else {
            break;
        };
        if found.iter().any(|seen| seen.index == next.index) {
            break;
        }
        found.push(next);
        current = next;
    }
    found
}

/// The stage's instructions' syntax nodes, in order (read as iterated: most rules pass over
/// them once).
pub fn instructions<'c, 'a>(
    context: &'c LintContext<'a>,
    stage: &'a Stage,
) -> impl Iterator<Item = &'a Instruction> + use<'c, 'a> {
    stage
        .instructions
        .iter()
        .map(|instruction| context.syntax(instruction))
}

/// ARGs declared before the first FROM: their names, and their defaults expanded in order
/// without any `--build-arg` (what InvalidDefaultArgInFrom checks).
pub struct MetaArgs {
    pub declared: Vec<String>,
    pub defaults: Vec<(String, String)>,
}

pub fn meta_args(context: &LintContext<'_>) -> MetaArgs {
    let mut meta = MetaArgs {
        declared: Vec::new(),
        defaults: builtin_args(),
    };
    for instruction in context.dockerfile.instructions() {
        match instruction.kind {
            Keyword::From => break,
            Keyword::Arg => {}
            _ => continue,
        }
        let Arguments::Words(words) = &instruction.arguments else {
            continue;
        };
        for word in words {
            let (name, default) = match word.text.split_once('=') {
                Some((name, default)) => (name, Some(default)),
                None => (word.text.as_str(), None),
            };
            meta.declared.push(name.to_string());
            if let Some(default) = default {
                let value = lexer(context)
                    .process_word(default, &meta.defaults)
                    .unwrap_or_else(|_| default.to_string());
                meta.defaults.push((name.to_string(), value));
            }
        }
    }
    meta
}

/// BuildKit's built-in ARGs (BUILDPLATFORM, TARGETPLATFORM...) with their values.
pub fn builtin_args() -> Vec<(String, String)> {
    crate::model::BUILTIN_ARGS
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

/// What FROM is expanded with: the built-ins, then the meta ARGs' values (`--build-arg`s
/// applied).
pub fn from_env(context: &LintContext<'_>) -> Vec<(String, String)> {
    let mut env = builtin_args();
    env.extend(
        context
            .model
            .meta_args
            .iter()
            .map(|(name, value)| (name.clone(), value.clone())),
    );
    env
}

/// The word expander for this file (its escape token, Unix keys).
pub fn lexer(context: &LintContext<'_>) -> crate::syntax::expand::Lexer {
    crate::syntax::expand::Lexer::new(context.dockerfile.escape)
}

/// The closest of `candidates` to `name`, as BuildKit suggests one: the first with the
/// smallest edit distance (case-sensitive), when that distance is below 3.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest(name, candidates, |_, _| false)
}

/// [`suggest`] over candidates in any order and maybe repeated, as if sorted and deduplicated
/// first: of those at the smallest distance, the least in byte order (what the first of a
/// sorted set would be), without building the set.
pub fn suggest_unordered<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    closest(name, candidates, |candidate, best| candidate < best)
}

/// The candidate at the smallest edit distance below 3 from `name`: the first met, or at an
/// equal distance one that `wins_tie` prefers to the best so far.
fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    wins_tie: impl Fn(&str, &str) -> bool,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    let length = name.chars().count();
    for candidate in candidates {
        // Lengths three characters apart are three edits apart at least: never suggested.
        if candidate.chars().count().abs_diff(length) >= 3 {
            continue;
        }
        let distance = crate::syntax::suggest::levenshtein(name, candidate);
        if best.is_none_or(|(shortest, best)| {
            distance < shortest || distance == shortest && wins_tie(candidate, best)
        }) {
            best = Some((distance, candidate));
        }
    }
    best.filter(|(distance, _)| *distance < 3)
        .map(|(_, candidate)| candidate)
}

/// Where `$name` or `${name…}` is written inside the source text of `span` (the whole span
/// when it cannot be found, e.g. across a line continuation).
pub fn variable_span(
    context: &LintContext<'_>,
    span: crate::syntax::Span,
    name: &str,
) -> crate::syntax::Span {
    let text = context.text(span);
    let mut from = 0;
    while let Some(at) = text[from..].find('$') {
        let start = from + at;
        let rest = &text[start + 1..];
        let braced = rest.strip_prefix('{');
        let after = braced.unwrap_or(rest);
        if let Some(tail) = after.strip_prefix(name) {
            let ends = tail
                .chars()
                .next()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            if ends {
                let end = match braced {
                    Some(_) => tail
                        .find('}')
                        .map_or(text.len(), |close| text.len() - tail.len() + close + 1),
                    None => text.len() - tail.len(),
                };
                return crate::syntax::Span::new(span.start + start, span.start + end);
            }
        }
        from = start + 1;
    }
    span
}

#[cfg(test)]
mod tests {
    use super::{suggest, suggest_unordered};

    /// In any order and with repeats, the suggestion is the one of the sorted, deduplicated
    /// names.
    #[test]
    fn unordered_suggestion_is_the_sorted_sets() {
        let names = [
            "PATHS", "BATH", "PATH", "PAHT", "MATH", "PATH", "HOME", "APATH", "P",
        ];
        for wanted in [
            "PATH", "PAT", "HOMES", "MAHT", "XYZ", "", "APATHS", "PATHSX",
        ] {
            let sorted: std::collections::BTreeSet<&str> = names.into_iter().collect();
            let expected = suggest(wanted, sorted.iter().copied());
            for rotation in 0..names.len() {
                let mut unordered = names;
                unordered.rotate_left(rotation);
                assert_eq!(suggest_unordered(wanted, unordered), expected, "{wanted}");
                unordered.reverse();
                assert_eq!(suggest_unordered(wanted, unordered), expected, "{wanted}");
            }
        }
    }
}
