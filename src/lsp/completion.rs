//! Completion: instruction keywords at the start of a line, flags per instruction, stage
//! names after `--from=` / `from=` and as a FROM's image, ARG/ENV names after `$` and `${`.

use lsp_types::{CompletionItem, CompletionItemKind};

use crate::model::BUILTIN_ARGS;
use crate::syntax::{Dockerfile, Keyword, flag_names};

use super::hover::describe;
use super::navigation::{self, stage_of};

pub fn complete(dockerfile: &Dockerfile, text: &str, offset: usize) -> Vec<CompletionItem> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    if let Some(partial) = variable_prefix(prefix) {
        return variables(dockerfile, offset, partial);
    }
    let last_word = prefix
        .rsplit([' ', '\t'])
        .next()
        .unwrap_or("")
        .trim_start_matches('"');
    if last_word.starts_with("--from=")
        || last_word.contains("from=") && last_word.starts_with("--mount=")
    {
        return stages(dockerfile, offset);
    }
    let (keyword, words_before) = logical_line(text, line_start, prefix, dockerfile.escape);
    let Some(keyword) = keyword else {
        return keywords();
    };
    if last_word.starts_with("--") && !last_word.contains('=') {
        return flags(&keyword);
    }
    if keyword.eq_ignore_ascii_case("from") && words_before == 0 {
        return stages(dockerfile, offset);
    }
    Vec::new()
}

/// `NAME` of a `$NAME` or `${NAME` being typed.
fn variable_prefix(prefix: &str) -> Option<&str> {
    let name_len = prefix
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let before = &prefix[..prefix.len() - name_len];
    (before.ends_with('$') || before.ends_with("${")).then(|| &prefix[prefix.len() - name_len..])
}

/// The keyword of the instruction being typed (`None` at the start of an instruction) and how
/// many words (flags excluded) come before the cursor's word.
fn logical_line(
    text: &str,
    line_start: usize,
    prefix: &str,
    escape: char,
) -> (Option<String>, usize) {
    let mut start = line_start;
    // Go back over the lines this one continues.
    while start > 0 {
        let previous_start = text[..start - 1].rfind('\n').map_or(0, |i| i + 1);
        let previous = text[previous_start..start - 1].trim_end();
        if previous.trim_start().starts_with('#') || !previous.ends_with(escape) {
            break;
        }
        start = previous_start;
    }
    let mut before: String = text[start..line_start].to_string();
    before.push_str(prefix);
    let words: Vec<&str> = before
        .split(|c: char| c.is_whitespace() || c == escape)
        .filter(|w| !w.is_empty())
        .collect();
    let typing = !before.ends_with(char::is_whitespace);
    let complete_words = if typing {
        words.len().saturating_sub(1)
    } else {
        words.len()
    };
    if complete_words == 0 {
        return (None, 0);
    }
    let arguments = words[1..complete_words]
        .iter()
        .filter(|word| !word.starts_with("--"))
        .count();
    (Some(words[0].to_string()), arguments)
}

fn keywords() -> Vec<CompletionItem> {
    Keyword::ALL
        .iter()
        .map(|keyword| CompletionItem {
            label: keyword.upper_name().to_string(),
            kind: Some(CompletionItemKind::KEYWORD),
            detail: describe(*keyword).map(str::to_string),
            ..CompletionItem::default()
        })
        .collect()
}

fn flags(keyword: &str) -> Vec<CompletionItem> {
    let keyword = Keyword::from_lowercase(&keyword.to_lowercase());
    flag_names(keyword)
        .into_iter()
        .map(|name| CompletionItem {
            label: format!("--{name}"),
            kind: Some(CompletionItemKind::PROPERTY),
            insert_text: Some(format!("--{name}=")),
            ..CompletionItem::default()
        })
        .collect()
}

/// Stages declared before `offset`.
fn stages(dockerfile: &Dockerfile, offset: usize) -> Vec<CompletionItem> {
    let mut items: Vec<CompletionItem> = Vec::new();
    for stage in navigation::stages(dockerfile) {
        if stage.declaration
            && stage.span.end <= offset
            && !items.iter().any(|item| item.label == stage.name)
        {
            items.push(CompletionItem {
                label: stage.name.clone(),
                kind: Some(CompletionItemKind::MODULE),
                detail: Some(format!(
                    "stage, line {}",
                    dockerfile.lines.line(stage.span.start)
                )),
                ..CompletionItem::default()
            });
        }
    }
    items
}

/// ARG and ENV names declared before `offset` in its stage, global ARGs, BuildKit's own.
fn variables(dockerfile: &Dockerfile, offset: usize, _partial: &str) -> Vec<CompletionItem> {
    let item = dockerfile
        .items
        .iter()
        .position(|item| item.span().start <= offset && offset <= item.span().end)
        .or_else(|| dockerfile.items.len().checked_sub(1));
    let stage = item.and_then(|item| stage_of(dockerfile, item));
    let mut items: Vec<CompletionItem> = Vec::new();
    let mut add = |name: &str, detail: String| {
        if !items.iter().any(|item| item.label == name) {
            items.push(CompletionItem {
                label: name.to_string(),
                kind: Some(CompletionItemKind::VARIABLE),
                detail: Some(detail),
                ..CompletionItem::default()
            });
        }
    };
    for variable in navigation::variables(dockerfile).iter().rev() {
        let scope = stage_of(dockerfile, variable.item);
        if variable.declaration
            && variable.span.end <= offset
            && (scope.is_none() || scope == stage)
        {
            let line = dockerfile.lines.line(variable.span.start);
            add(&variable.name, format!("line {line}"));
        }
    }
    for (name, _) in BUILTIN_ARGS {
        add(name, "set by BuildKit".into());
    }
    items
}
