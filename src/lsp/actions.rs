//! Code actions: each finding's fix, fix-all, ignore pragmas, and the layered split.

use std::collections::HashMap;
use std::path::Path;

use lsp_types::{
    CodeAction, CodeActionDisabled, CodeActionKind, CodeActionOrCommand, CreateFile,
    CreateFileOptions, DocumentChangeOperation, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, Position, Range, ResourceOp, TextDocumentEdit,
    TextEdit, Uri, WorkspaceEdit,
};

use super::diagnostics::{self, meeting, to_lsp};
use super::position::Text;
use crate::fix::{FixOptions, Outcome, fix_bytes};
use crate::lint::{LintOptions, settings_for};
use crate::model::Catalog;
use crate::rules::{Applicability, Diagnostic, Family, SYNTAX_ERROR, find_rule};
use crate::stack::{self, SplitOptions};
use crate::syntax::{self, Item, Span};

/// The kind of the fix-all action.
pub const FIX_ALL: &str = "source.fixAll.dlayer";
/// The kind of the layered split.
pub const SPLIT: &str = "refactor.rewrite.split.dlayer";

/// Where "split into a layered stack" writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitTarget {
    /// A new file next to the document (`Dockerfile` → `Dockerfile.layered`).
    Beside,
    /// The document itself.
    Replace,
}

/// What the client can apply.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientEdits {
    pub create_files: bool,
    pub disabled_actions: bool,
}

pub struct Request<'a> {
    pub uri: &'a Uri,
    pub path: &'a Path,
    pub text: &'a str,
    pub findings: &'a [Diagnostic],
    pub range: Range,
    pub only: Option<&'a [CodeActionKind]>,
    pub split: SplitTarget,
    pub client: ClientEdits,
}

fn wanted(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    only.is_none_or(|kinds| {
        kinds.iter().any(|wanted| {
            let wanted = wanted.as_str();
            kind == wanted || kind.starts_with(&format!("{wanted}."))
        })
    })
}

fn edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

pub fn code_actions(request: &Request) -> Vec<CodeActionOrCommand> {
    let text = Text::new(request.text);
    let span = text.span(request.range);
    let mut actions = Vec::new();
    let in_range: Vec<&Diagnostic> = meeting(request.findings, span).collect();
    if wanted(request.only, CodeActionKind::QUICKFIX.as_str()) {
        for diagnostic in &in_range {
            actions.extend(fix_action(request, &text, diagnostic));
        }
        for diagnostic in &in_range {
            actions.extend(ignore_actions(request, &text, diagnostic));
        }
    }
    if wanted(request.only, FIX_ALL) {
        actions.extend(fix_all(request, &text));
    }
    let heavy = in_range
        .iter()
        .any(|d| find_rule(d.code).is_some_and(|rule| rule.meta.family == Family::Heavy));
    if heavy && wanted(request.only, SPLIT) {
        actions.extend(split_action(request, &text));
    }
    actions
        .into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

fn fix_action(request: &Request, text: &Text, diagnostic: &Diagnostic) -> Option<CodeAction> {
    let fix = diagnostic.fix.as_ref()?;
    if fix.edits.is_empty() || fix.applicability == Applicability::DisplayOnly {
        return None;
    }
    let safe = fix.applicability == Applicability::Safe;
    let title = if safe {
        format!("{} ({})", fix.message, diagnostic.code)
    } else {
        format!(
            "{} ({}, unsafe: may change the image)",
            fix.message, diagnostic.code
        )
    };
    let edits = fix
        .edits
        .iter()
        .map(|edit| TextEdit::new(text.range(edit.span), edit.replacement.clone()))
        .collect();
    Some(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![to_lsp(diagnostic, text)]),
        edit: Some(edit(request.uri, edits)),
        is_preferred: Some(safe),
        ..CodeAction::default()
    })
}

/// `# dlayer ignore=CODE` above the instruction (or added to the pragma already there), and
/// `# dlayer global ignore=CODE` after the parser directives (or added to the one there).
fn ignore_actions(request: &Request, text: &Text, diagnostic: &Diagnostic) -> Vec<CodeAction> {
    if diagnostic.code == SYNTAX_ERROR.code {
        return Vec::new();
    }
    let dockerfile = syntax::parse(request.text);
    let mut actions = Vec::new();
    let code = diagnostic.code;
    let action = |title: String, edits: Vec<TextEdit>| CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![to_lsp(diagnostic, text)]),
        edit: Some(edit(request.uri, edits)),
        is_preferred: Some(false),
        ..CodeAction::default()
    };
    if let Some(edit) = line_ignore(&dockerfile, text, diagnostic) {
        actions.push(action(format!("Ignore {code} on this line"), vec![edit]));
    }
    actions.push(action(
        format!("Ignore {code} in this file"),
        vec![file_ignore(&dockerfile, text, code)],
    ));
    actions
}

/// Where a pragma's code list ends (before a ` -- reason`), if `comment` is one.
fn pragma_list_end(comment: &str, global: bool) -> Option<usize> {
    let body = comment.strip_prefix('#')?.trim_start();
    let rest = body.strip_prefix("dlayer")?.trim_start();
    let rest = match (global, rest.strip_prefix("global")) {
        (true, Some(after)) => after.trim_start(),
        (false, None) => rest,
        _ => return None,
    };
    rest.strip_prefix("ignore")?
        .trim_start()
        .strip_prefix('=')?;
    let end = comment.find(" --").unwrap_or(comment.trim_end().len());
    Some(end)
}

fn line_ignore(
    dockerfile: &syntax::Dockerfile,
    text: &Text,
    diagnostic: &Diagnostic,
) -> Option<TextEdit> {
    let index = dockerfile.items.iter().position(|item| {
        matches!(item, Item::Instruction(_)) && item.span().contains(diagnostic.span)
    })?;
    let instruction = dockerfile.items[index].span();
    if let Some(Item::Comment(comment)) = index.checked_sub(1).map(|i| &dockerfile.items[i]) {
        let comment_text = dockerfile.text(comment.text_span);
        if let Some(end) = pragma_list_end(comment_text, false) {
            let at = text.position(comment.text_span.start + end);
            return Some(TextEdit::new(
                Range::new(at, at),
                format!(",{}", diagnostic.code),
            ));
        }
    }
    let line = dockerfile.text(instruction);
    let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    let newline = if line.contains("\r\n") { "\r\n" } else { "\n" };
    let at = text.position(instruction.start);
    Some(TextEdit::new(
        Range::new(at, at),
        format!("{indent}# dlayer ignore={}{newline}", diagnostic.code),
    ))
}

fn file_ignore(dockerfile: &syntax::Dockerfile, text: &Text, code: &str) -> TextEdit {
    for item in &dockerfile.items {
        if let Item::Comment(comment) = item {
            if let Some(end) = pragma_list_end(dockerfile.text(comment.text_span), true) {
                let at = text.position(comment.text_span.start + end);
                return TextEdit::new(Range::new(at, at), format!(",{code}"));
            }
        }
    }
    // After the parser directives: a comment above them would end them.
    let after_directives = dockerfile
        .items
        .iter()
        .take_while(|item| matches!(item, Item::Directive(_)))
        .last()
        .map_or_else(
            || dockerfile.bom.map_or(0, |bom| bom.end),
            |item| item.span().end,
        );
    let newline = if dockerfile.source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut insert = format!("# dlayer global ignore={code}{newline}");
    if after_directives == dockerfile.source.len() && !dockerfile.source.ends_with('\n') {
        insert.insert_str(0, newline);
    }
    let at = text.position(after_directives);
    TextEdit::new(Range::new(at, at), insert)
}

/// The smallest edit turning `old` into `new`: their common start and end kept.
pub fn minimal_edit(text: &Text, new: &str) -> TextEdit {
    let old = text.text;
    let mut start = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(start) || !new.is_char_boundary(start) {
        start -= 1;
    }
    let mut suffix = old[start..]
        .bytes()
        .rev()
        .zip(new[start..].bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    TextEdit::new(
        text.range(Span::new(start, old.len() - suffix)),
        new[start..new.len() - suffix].to_string(),
    )
}

fn fix_all(request: &Request, text: &Text) -> Option<CodeAction> {
    let config = diagnostics::file_config(request.path).ok()?;
    let settings = settings_for(config.as_deref()).ok()?;
    let outcome = fix_bytes(
        request.text.as_bytes(),
        request.path,
        &LintOptions::default(),
        config.as_deref(),
        &settings,
        FixOptions::default(),
    );
    let Outcome::Fixed { text: fixed, .. } = outcome else {
        return None;
    };
    if fixed == request.text {
        return None;
    }
    Some(CodeAction {
        title: "Apply every safe dlayer fix".into(),
        kind: Some(CodeActionKind::from(FIX_ALL)),
        edit: Some(edit(request.uri, vec![minimal_edit(text, &fixed)])),
        ..CodeAction::default()
    })
}

/// `Dockerfile` → `Dockerfile.layered`, `app.Dockerfile` → `app.layered.Dockerfile`.
pub fn layered_name(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    match lower.strip_suffix(".dockerfile") {
        Some(stem) => format!("{}.layered{}", &name[..stem.len()], &name[stem.len()..]),
        None => format!("{name}.layered"),
    }
}

fn split_action(request: &Request, text: &Text) -> Option<CodeAction> {
    let config = diagnostics::file_config(request.path).ok()?;
    let settings = settings_for(config.as_deref()).ok()?;
    let catalog = settings
        .catalog
        .as_ref()
        .unwrap_or_else(|| Catalog::builtin());
    let name = request.path.file_name().map_or_else(
        || "Dockerfile".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let title = "Split into a layered stack (os, runtime, ops, app, dev)";
    let split = match stack::split(request.text, &name, &SplitOptions::default(), catalog) {
        Ok(stack::Outcome::Split(split)) => split,
        Ok(stack::Outcome::Unchanged(_)) => return None,
        Err(refusal) => {
            return request.client.disabled_actions.then(|| CodeAction {
                title: title.into(),
                kind: Some(CodeActionKind::from(SPLIT)),
                disabled: Some(CodeActionDisabled {
                    reason: format!("the split is refused: {refusal}"),
                }),
                ..CodeAction::default()
            });
        }
    };
    let beside = request.split == SplitTarget::Beside && request.client.create_files;
    let workspace_edit = if beside {
        let target = request.path.with_file_name(layered_name(&name));
        let uri = super::path_to_uri(&target)?;
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(vec![
                DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                    uri: uri.clone(),
                    options: Some(CreateFileOptions {
                        overwrite: Some(true),
                        ignore_if_exists: None,
                    }),
                    annotation_id: None,
                })),
                DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
                    edits: vec![OneOf::Left(TextEdit::new(
                        Range::new(Position::new(0, 0), Position::new(0, 0)),
                        split.stages.clone(),
                    ))],
                }),
            ])),
            ..WorkspaceEdit::default()
        }
    } else {
        edit(request.uri, vec![minimal_edit(text, &split.stages)])
    };
    let where_to = if beside {
        format!(" into {}", layered_name(&name))
    } else {
        String::new()
    };
    Some(CodeAction {
        title: format!("{title}{where_to}"),
        kind: Some(CodeActionKind::from(SPLIT)),
        edit: Some(workspace_edit),
        ..CodeAction::default()
    })
}
