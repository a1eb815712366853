//! Stages and variables in the text: where each is declared and used, for go-to-definition,
//! references, hover and document symbols.

use crate::syntax::{Arguments, Dockerfile, Instruction, Item, Keyword, Span};

/// A stage name or a variable, by where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub span: Span,
    /// Stage names lowercased (BuildKit matches them so), variable names as written.
    pub name: String,
    pub declaration: bool,
    /// Index of the instruction's item.
    pub item: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Stage,
    Variable,
}

/// The stage a top-level item belongs to (`None`: before the first FROM).
pub fn stage_of(dockerfile: &Dockerfile, item: usize) -> Option<usize> {
    let froms = dockerfile.items[..=item]
        .iter()
        .filter(|item| matches!(item, Item::Instruction(i) if i.kind == Keyword::From))
        .count();
    froms.checked_sub(1)
}

fn instructions(dockerfile: &Dockerfile) -> impl Iterator<Item = (usize, &Instruction)> {
    dockerfile
        .items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| match item {
            Item::Instruction(instruction) => Some((index, instruction)),
            _ => None,
        })
}

/// A token's span, when its source text is its value (no quotes or continuation inside).
fn plain(source: &str, span: Span, text: &str) -> bool {
    source.get(span.start..span.end) == Some(text)
}

/// Every stage name: declared by `FROM … AS name`, used by `FROM name`, `COPY --from=name`
/// and `RUN --mount=…,from=name`.
pub fn stages(dockerfile: &Dockerfile) -> Vec<Occurrence> {
    let source = dockerfile.source.as_str();
    let mut found = Vec::new();
    for (item, instruction) in instructions(dockerfile) {
        if let (Keyword::From, Arguments::Words(words)) = (instruction.kind, &instruction.arguments)
        {
            if let Some(base) = words.first().filter(|w| plain(source, w.span, &w.text)) {
                found.push(Occurrence {
                    span: base.span,
                    name: base.text.to_lowercase(),
                    declaration: false,
                    item,
                });
            }
            if words.len() == 3 && words[1].text.eq_ignore_ascii_case("as") {
                let name = &words[2];
                if plain(source, name.span, &name.text) {
                    found.push(Occurrence {
                        span: name.span,
                        name: name.text.to_lowercase(),
                        declaration: true,
                        item,
                    });
                }
            }
        }
        for flag in &instruction.flags {
            if !plain(source, flag.span, &flag.text) {
                continue;
            }
            let value_offsets: Vec<(usize, &str)> = match (flag.name.as_str(), &flag.value) {
                ("from", Some(value)) => vec![(flag.text.len() - value.len(), value.as_str())],
                ("mount", Some(value)) => {
                    let base = flag.text.len() - value.len();
                    let mut offsets = Vec::new();
                    let mut at = 0;
                    for part in value.split(',') {
                        if let Some(stage) = part.strip_prefix("from=") {
                            offsets.push((base + at + 5, stage));
                        }
                        at += part.len() + 1;
                    }
                    offsets
                }
                _ => Vec::new(),
            };
            for (offset, name) in value_offsets.into_iter().filter(|(_, n)| !n.is_empty()) {
                let start = flag.span.start + offset;
                found.push(Occurrence {
                    span: Span::new(start, start + name.len()),
                    name: name.to_lowercase(),
                    declaration: false,
                    item,
                });
            }
        }
    }
    found
}

fn is_name_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Every variable: declared by ARG and ENV, used as `$NAME` or `${NAME…}`.
pub fn variables(dockerfile: &Dockerfile) -> Vec<Occurrence> {
    let source = dockerfile.source.as_str();
    let escape = dockerfile.escape as u8;
    let mut found = Vec::new();
    for (item, instruction) in instructions(dockerfile) {
        let declared: Vec<Span> = match (&instruction.kind, &instruction.arguments) {
            (Keyword::Arg, Arguments::Words(words)) => words
                .iter()
                .map(|w| {
                    let name = w.text.split('=').next().unwrap_or("");
                    Span::new(w.span.start, w.span.start + name.len())
                })
                .collect(),
            (Keyword::Env, Arguments::KeyValues(pairs)) => {
                pairs.iter().map(|pair| pair.key.span).collect()
            }
            _ => Vec::new(),
        };
        for span in declared {
            let name = span.text(source);
            if !name.is_empty() && name.bytes().all(is_name_byte) {
                found.push(Occurrence {
                    span,
                    name: name.to_string(),
                    declaration: true,
                    item,
                });
            }
        }
        let bytes = source.as_bytes();
        let span = instruction.span;
        let mut at = span.start;
        while at < span.end {
            if bytes[at] == escape {
                at += 2;
                continue;
            }
            if bytes[at] != b'$' {
                at += 1;
                continue;
            }
            let start = at + 1 + usize::from(bytes.get(at + 1) == Some(&b'{'));
            if start >= span.end || !is_name_start(bytes[start]) {
                at += 1;
                continue;
            }
            let mut end = start;
            while end < span.end && is_name_byte(bytes[end]) {
                end += 1;
            }
            found.push(Occurrence {
                span: Span::new(start, end),
                name: source[start..end].to_string(),
                declaration: false,
                item,
            });
            at = end;
        }
    }
    found
}

/// The stage name or variable at `offset`.
pub fn at(dockerfile: &Dockerfile, offset: usize) -> Option<(Kind, Occurrence)> {
    let touches = |o: &Occurrence| o.span.start <= offset && offset <= o.span.end;
    if let Some(found) = stages(dockerfile).into_iter().find(touches) {
        return Some((Kind::Stage, found));
    }
    variables(dockerfile)
        .into_iter()
        .find(touches)
        .map(|found| (Kind::Variable, found))
}

/// The declaration `occurrence` refers to: the stage's `AS name`; for a variable, the
/// latest ARG or ENV of that name earlier in the same stage, else the global ARG.
pub fn definition(
    dockerfile: &Dockerfile,
    kind: Kind,
    occurrence: &Occurrence,
) -> Option<Occurrence> {
    if occurrence.declaration {
        return Some(occurrence.clone());
    }
    match kind {
        Kind::Stage => stages(dockerfile)
            .into_iter()
            .find(|o| o.declaration && o.name == occurrence.name && o.item < occurrence.item),
        Kind::Variable => resolve_variable(dockerfile, &variables(dockerfile), occurrence),
    }
}

/// The declaration a variable use reaches, among `all` the variable occurrences.
fn resolve_variable(
    dockerfile: &Dockerfile,
    all: &[Occurrence],
    occurrence: &Occurrence,
) -> Option<Occurrence> {
    if occurrence.declaration {
        return Some(occurrence.clone());
    }
    let stage = variable_scope(dockerfile, occurrence.item);
    let declarations: Vec<&Occurrence> = all
        .iter()
        .filter(|o| o.declaration && o.name == occurrence.name && o.item < occurrence.item)
        .collect();
    declarations
        .iter()
        .rev()
        .find(|o| stage.is_some() && stage_of(dockerfile, o.item) == stage)
        .or_else(|| {
            declarations
                .iter()
                .rev()
                .find(|o| stage_of(dockerfile, o.item).is_none())
        })
        .map(|o| (*o).clone())
}

/// The scope a variable use is resolved in: its stage, or the global ARGs for a FROM line.
fn variable_scope(dockerfile: &Dockerfile, item: usize) -> Option<usize> {
    match &dockerfile.items[item] {
        Item::Instruction(instruction) if instruction.kind == Keyword::From => None,
        _ => stage_of(dockerfile, item),
    }
}

/// Every occurrence of the same stage or variable (the same scope for variables).
pub fn references(dockerfile: &Dockerfile, kind: Kind, occurrence: &Occurrence) -> Vec<Occurrence> {
    match kind {
        Kind::Stage => stages(dockerfile)
            .into_iter()
            .filter(|o| o.name == occurrence.name)
            .collect(),
        Kind::Variable => {
            let all = variables(dockerfile);
            let declaration = resolve_variable(dockerfile, &all, occurrence);
            let scope = declaration.as_ref().map_or_else(
                || variable_scope(dockerfile, occurrence.item),
                |d| stage_of(dockerfile, d.item),
            );
            all.iter()
                .filter(|o| {
                    o.name == occurrence.name && variable_scope(dockerfile, o.item) == scope
                })
                .filter(|o| {
                    // Declarations of the same name in the scope, and uses they reach.
                    resolve_variable(dockerfile, &all, o)
                        .as_ref()
                        .map(|d| d.span)
                        == declaration.as_ref().map(|d| d.span)
                        || o.declaration
                })
                .cloned()
                .collect()
        }
    }
}
