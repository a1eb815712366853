//! Hover: a finding's rule documentation, the value a variable has at that point (from the
//! model), the catalog's knowledge of a FROM image or an installed package, an instruction's
//! purpose.

use crate::model::{self, Model, Stage};
use crate::rules::{Diagnostic, find_rule};
use crate::syntax::{Dockerfile, Item, Keyword, Span};

use super::diagnostics::doc_url;
use super::navigation::{self, Kind};

/// Markdown for `offset`, and the span it is about.
pub fn hover(
    dockerfile: &Dockerfile,
    model: &Model,
    findings: &[Diagnostic],
    offset: usize,
) -> Option<(String, Span)> {
    let mut found: Vec<&Diagnostic> = findings
        .iter()
        .filter(|d| d.span.start <= offset && offset <= d.span.end.max(d.span.start + 1))
        .collect();
    found.dedup_by_key(|d| d.code);
    let mut sections: Vec<String> = Vec::new();
    let mut span: Option<Span> = None;
    if let Some((text, at)) = knowledge(dockerfile, model, offset) {
        sections.push(text);
        span = Some(at);
    }
    sections.extend(found.iter().map(|d| finding(d)));
    let span = span.or_else(|| found.first().map(|d| d.span))?;
    Some((sections.join("\n\n---\n\n"), span))
}

/// What the model and the catalog know of the word at `offset`.
fn knowledge(dockerfile: &Dockerfile, model: &Model, offset: usize) -> Option<(String, Span)> {
    if let Some((kind, occurrence)) = navigation::at(dockerfile, offset) {
        let text = match kind {
            Kind::Variable => variable(dockerfile, model, &occurrence),
            Kind::Stage => stage_reference(dockerfile, &occurrence),
        };
        if let Some(text) = text {
            return Some((text, occurrence.span));
        }
    }
    package(model, offset)
        .or_else(|| image(dockerfile, model, offset))
        .or_else(|| keyword(dockerfile, offset))
}

fn finding(diagnostic: &Diagnostic) -> String {
    let title = format!(
        "**{}** `{}` ({})\n\n{}",
        diagnostic.code, diagnostic.name, diagnostic.severity, diagnostic.message
    );
    match find_rule(diagnostic.code) {
        Some(rule) if !rule.meta.doc.is_empty() => format!("{title}\n\n{}", rule.meta.doc.trim()),
        _ => format!(
            "{title}\n\n[{}]({})",
            diagnostic.code,
            doc_url(diagnostic.code)
        ),
    }
}

/// The stage and the index within it of the instruction at `item`.
fn instruction_at(model: &Model, item: usize) -> Option<(&Stage, usize)> {
    model.stages.iter().find_map(|stage| {
        stage
            .instructions
            .iter()
            .position(|instruction| instruction.item == item)
            .map(|index| (stage, index))
    })
}

fn variable(
    dockerfile: &Dockerfile,
    model: &Model,
    occurrence: &navigation::Occurrence,
) -> Option<String> {
    let name = &occurrence.name;
    let declaration = navigation::definition(dockerfile, Kind::Variable, occurrence);
    let where_set = declaration.as_ref().map(|d| {
        let line = dockerfile.lines.line(d.span.start);
        let keyword = match &dockerfile.items[d.item] {
            Item::Instruction(instruction) => instruction.keyword.text.to_uppercase(),
            _ => String::new(),
        };
        format!("set by {keyword} on line {line}")
    });
    let value = match instruction_at(model, occurrence.item) {
        Some((stage, index)) => {
            // A declaration shows the value it sets; a use, the value it sees.
            let index = if occurrence.declaration {
                index + 1
            } else {
                index
            };
            stage.variable_before(index, name).map(str::to_owned)
        }
        None => model.meta_args.get(name).cloned(),
    };
    let mut text = match value {
        Some(value) => format!("`{name}` = `{value}`"),
        None => format!("`{name}` is not set here"),
    };
    if let Some(where_set) = where_set {
        text.push_str(&format!(" ({where_set})"));
    } else if let Some((_, value)) = model::BUILTIN_ARGS.iter().find(|(n, _)| n == name) {
        text = format!(
            "`{name}`: an argument BuildKit defines (`{value}` on a linux/amd64 build); a stage \
             sees it after `ARG {name}`"
        );
    }
    Some(text)
}

fn stage_reference(dockerfile: &Dockerfile, occurrence: &navigation::Occurrence) -> Option<String> {
    let declaration = navigation::definition(dockerfile, Kind::Stage, occurrence)?;
    let line = dockerfile.lines.line(declaration.span.start);
    let from = dockerfile.items[declaration.item].span();
    Some(format!(
        "stage `{}`, line {line}\n\n```dockerfile\n{}\n```",
        declaration.name,
        dockerfile.text(from).lines().next().unwrap_or("").trim()
    ))
}

fn package(model: &Model, offset: usize) -> Option<(String, Span)> {
    let package = model
        .stages
        .iter()
        .flat_map(|stage| &stage.instructions)
        .flat_map(|instruction| &instruction.packages)
        .find(|package| package.span.start <= offset && offset <= package.span.end)?;
    let mut text = format!(
        "package `{}` ({}): **{}** layer",
        package.name,
        package.manager,
        package.layer.as_str()
    );
    if !package.tags.is_empty() {
        text.push_str(&format!(", tags: {}", package.tags.join(", ")));
    }
    if !package.known {
        text.push_str(" (not in the catalog: the ecosystem's default layer)");
    }
    Some((text, package.span))
}

fn image(dockerfile: &Dockerfile, model: &Model, offset: usize) -> Option<(String, Span)> {
    let stage = model
        .stages
        .iter()
        .find(|stage| stage.span.start <= offset && offset < stage.span.end)?;
    let Some(Item::Instruction(from)) = dockerfile
        .items
        .iter()
        .find(|item| item.span() == stage.span)
    else {
        return None;
    };
    let crate::syntax::Arguments::Words(words) = &from.arguments else {
        return None;
    };
    let word = words.first()?;
    if offset < word.span.start || offset > word.span.end {
        return None;
    }
    let mut text = format!("image `{}`", stage.base.raw);
    match &stage.image {
        Some(info) => {
            text.push_str(&format!(
                ": {} ({}, {} packages)",
                info.kind.as_str(),
                info.distro,
                info.package_family.as_str()
            ));
            if let Some(size) = info.size_mb {
                text.push_str(&format!(", about {size} MB"));
            }
            if let Some(alternative) = &info.alternative {
                text.push_str(&format!("\n\nLighter: `{}`", alternative.image));
                if let Some(size) = alternative.size_mb {
                    text.push_str(&format!(" (about {size} MB)"));
                }
                if let Some(note) = &alternative.note {
                    text.push_str(&format!(". {note}"));
                }
            }
        }
        None if stage.base.stage.is_some() => text.push_str(": a stage of this file"),
        None => text.push_str(": not in dlayer's image catalog"),
    }
    Some((text, word.span))
}

fn keyword(dockerfile: &Dockerfile, offset: usize) -> Option<(String, Span)> {
    let instruction = dockerfile.instructions().find(|instruction| {
        instruction.keyword.span.start <= offset && offset <= instruction.keyword.span.end
    })?;
    let text = describe(instruction.kind)?;
    Some((
        format!("**{}**: {text}", instruction.keyword.text.to_uppercase()),
        instruction.keyword.span,
    ))
}

/// One line on what each instruction does.
pub fn describe(keyword: Keyword) -> Option<&'static str> {
    Some(match keyword {
        Keyword::Add => {
            "copies files, URLs or git repositories into the image (archives are unpacked)"
        }
        Keyword::Arg => "declares a build argument, with an optional default",
        Keyword::Cmd => "the default command of the container (or ENTRYPOINT's default arguments)",
        Keyword::Copy => "copies files from the build context or another stage (`--from`)",
        Keyword::Entrypoint => "the program the container runs",
        Keyword::Env => {
            "sets environment variables for the following instructions and the container"
        }
        Keyword::Expose => "documents the ports the container listens on",
        Keyword::From => "starts a stage from an image or an earlier stage",
        Keyword::Healthcheck => "how the engine checks that the container still works",
        Keyword::Label => "adds metadata to the image",
        Keyword::Maintainer => "deprecated: the image's author (use a LABEL)",
        Keyword::Onbuild => "an instruction run when another image is built FROM this one",
        Keyword::Run => "runs a command in a new layer of the image",
        Keyword::Shell => "the shell that shell-form RUN, CMD and ENTRYPOINT use",
        Keyword::Stopsignal => "the signal that stops the container",
        Keyword::User => "the user (and group) the following instructions and the container run as",
        Keyword::Volume => "declares mount points for volumes",
        Keyword::Workdir => "the working directory of the following instructions and the container",
        Keyword::Unknown => return None,
    })
}
