//! BK009 UndefinedArgInFrom: FROM uses a variable no ARG before the first FROM declares.
//!
//! FROM's image and `--platform` are expanded with the ARGs declared before the first FROM
//! and BuildKit's built-ins (`BUILDPLATFORM`, `TARGETARCH`...) only. An undeclared variable is
//! empty, so `FROM --platform=$BULIDPLATFORM` silently becomes a wrong platform. The message
//! suggests the closest declared name, as BuildKit does. Reported at the `$NAME`.

use std::cell::LazyCell;

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Keyword, Span};

use super::stages::{builtin_args, from_env, from_words, lexer, meta_args, suggest, variable_span};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK009",
        name: "UndefinedArgInFrom",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "FROM command must use declared ARGs",
        doc: include_str!("../../../rules/BK009.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // Only a word with a `$` names an argument: the ARGs are read for the first (most FROMs
    // have none).
    let meta = LazyCell::new(|| meta_args(context));
    let env = LazyCell::new(|| from_env(context));
    let known = LazyCell::new(|| {
        let mut known: Vec<String> = meta.declared.clone();
        known.extend(builtin_args().into_iter().map(|(name, _)| name));
        known
    });
    for from in context.instructions_of(Keyword::From) {
        let mut words: Vec<(&str, Span)> = from
            .flags
            .iter()
            .filter(|flag| flag.name == "platform")
            .filter_map(|flag| Some((flag.value.as_deref()?, flag.span)))
            .collect();
        if let Some(image) = from_words(from).first() {
            words.push((&image.text, image.span));
        }
        for (word, span) in words {
            if !word.contains('$') {
                continue;
            }
            let Ok(expansion) = lexer(context).process_word_with_matches(word, &*env) else {
                continue;
            };
            for name in &expansion.unmatched {
                if meta.declared.contains(name) {
                    continue;
                }
                let mut message = format!("FROM argument '{name}' is not declared");
                if let Some(close) = suggest(name, known.iter().map(String::as_str)) {
                    message.push_str(&format!(" (did you mean {close}?)"));
                }
                out.push(context.report(&RULE.meta, variable_span(context, span, name), message));
            }
        }
    }
}
