//! Document symbols: each stage with its instructions, global ARGs before the first FROM.

use lsp_types::{DocumentSymbol, SymbolKind};

use crate::syntax::{Arguments, Dockerfile, Instruction, Item, Keyword, Span};

use super::position::Text;

/// A short name for an instruction: its keyword and the start of its arguments.
fn title(dockerfile: &Dockerfile, instruction: &Instruction) -> String {
    let keyword = instruction.keyword.text.to_uppercase();
    let rest = instruction.original[instruction
        .keyword
        .text
        .len()
        .min(instruction.original.len())..]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let _ = dockerfile;
    let mut rest: String = rest.chars().take(60).collect();
    if rest.chars().count() == 60 {
        rest.push('…');
    }
    if rest.is_empty() {
        keyword
    } else {
        format!("{keyword} {rest}")
    }
}

fn kind(instruction: &Instruction) -> SymbolKind {
    match instruction.kind {
        Keyword::Arg => SymbolKind::VARIABLE,
        Keyword::Env | Keyword::Label => SymbolKind::CONSTANT,
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck => {
            SymbolKind::FUNCTION
        }
        Keyword::Copy | Keyword::Add => SymbolKind::FILE,
        _ => SymbolKind::PROPERTY,
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be given.
fn symbol(
    text: &Text,
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    span: Span,
    selection: Span,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: text.range(span),
        selection_range: text.range(selection),
        children: None,
    }
}

/// The instruction's span without its final newline.
fn trimmed(dockerfile: &Dockerfile, span: Span) -> Span {
    let end = span.start + dockerfile.text(span).trim_end_matches(['\r', '\n']).len();
    Span::new(span.start, end)
}

pub fn symbols(dockerfile: &Dockerfile) -> Vec<DocumentSymbol> {
    let text = Text::new(&dockerfile.source);
    let mut top: Vec<DocumentSymbol> = Vec::new();
    let mut stage: Option<(DocumentSymbol, Span)> = None;
    for item in &dockerfile.items {
        let Item::Instruction(instruction) = item else {
            continue;
        };
        let span = trimmed(dockerfile, instruction.span);
        if instruction.kind == Keyword::From {
            if let Some((symbol, _)) = stage.take() {
                top.push(symbol);
            }
            let (name, detail) = match &instruction.arguments {
                Arguments::Words(words) if words.len() == 3 => (
                    format!("stage {}", words[2].text),
                    Some(words[0].text.clone()),
                ),
                Arguments::Words(words) => (
                    format!("FROM {}", words.first().map_or("", |w| w.text.as_str())),
                    None,
                ),
                _ => ("FROM".to_string(), None),
            };
            let symbol = symbol(
                &text,
                name,
                detail,
                SymbolKind::NAMESPACE,
                span,
                instruction.keyword.span,
            );
            stage = Some((symbol, span));
            continue;
        }
        let child = symbol(
            &text,
            title(dockerfile, instruction),
            None,
            kind(instruction),
            span,
            instruction.keyword.span,
        );
        match &mut stage {
            Some((symbol, stage_span)) => {
                *stage_span = stage_span.cover(span);
                symbol.range = text.range(*stage_span);
                symbol.children.get_or_insert_with(Vec::new).push(child);
            }
            None => top.push(child),
        }
    }
    if let Some((symbol, _)) = stage {
        top.push(symbol);
    }
    top
}
