//! The files a stage writes that the container reads when it starts (supervisord's
//! configuration, start scripts): their text, when the Dockerfile or the build context shows
//! it.
//!
//! Read from a RUN: `echo`/`printf` redirected to the file (`>` replaces, `>>` appends),
//! `cat`/`tee` fed a here-document. From COPY/ADD: a here-document, or a file of the build
//! context when the context is known. Anything else that writes a file (a COPY from another
//! stage, an ADD of a URL) leaves its text unknown.

use std::collections::BTreeMap;
use std::path::Path;

use crate::model::{InstructionModel, Stage};
use crate::shell::Command;
use crate::syntax::{Arguments, Dockerfile, Instruction, Item};

/// What the image holds at a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    Text(String),
    /// Written, but its text cannot be known: why.
    Unknown(String),
}

/// A file the stage writes, with the 1-based line of its last write.
#[derive(Clone, Debug)]
pub struct WrittenFile {
    pub content: Written,
    pub line: usize,
}

/// Every file the stages' instructions write (the first built first), by absolute path.
pub fn written_files(
    dockerfile: &Dockerfile,
    chain: &[&Stage],
    context_dir: Option<&Path>,
) -> BTreeMap<String, WrittenFile> {
    let mut files = BTreeMap::new();
    for model in chain.iter().flat_map(|stage| &stage.instructions) {
        let Item::Instruction(instruction) = &dockerfile.items[model.item] else {
            continue;
        };
        match model.keyword.as_str() {
            "RUN" => run_writes(&dockerfile.source, model, &mut files),
            "COPY" | "ADD" => copy_writes(instruction, model, context_dir, &mut files),
            _ => {}
        }
    }
    files
}

fn run_writes(source: &str, model: &InstructionModel, files: &mut BTreeMap<String, WrittenFile>) {
    let workdir = model.context.workdir.as_deref();
    for command in &model.script {
        let program = command.program().unwrap_or("");
        for redirection in &command.redirections {
            let append = match redirection.op.as_str() {
                ">" | ">|" => false,
                ">>" => true,
                _ => continue,
            };
            if redirection.fd.is_some_and(|fd| fd != 1) {
                continue;
            }
            let Some(target) = redirection.target.value() else {
                continue;
            };
            let text = match program {
                "echo" => echo_text(command),
                "printf" => printf_text(command),
                "cat" if command.args.is_empty() => heredoc_text(source, command),
                _ => None,
            };
            let content = text.map_or_else(
                || Written::Unknown(format!("written by `{program}` in the RUN")),
                Written::Text,
            );
            record(
                files,
                absolute(target, workdir),
                content,
                append,
                model.line,
            );
        }
        if program == "tee" {
            let append = command
                .args
                .iter()
                .any(|word| matches!(word.value(), Some("-a" | "--append")));
            let text = heredoc_text(source, command);
            for word in &command.args {
                let Some(path) = word.value().filter(|p| !p.starts_with('-')) else {
                    continue;
                };
                let content = text.clone().map_or_else(
                    || Written::Unknown("written by `tee` in the RUN".into()),
                    Written::Text,
                );
                record(files, absolute(path, workdir), content, append, model.line);
            }
        }
    }
}

fn record(
    files: &mut BTreeMap<String, WrittenFile>,
    path: String,
    content: Written,
    append: bool,
    line: usize,
) {
    let content = match (files.get(&path).map(|f| &f.content), content, append) {
        (Some(Written::Text(before)), Written::Text(added), true) => {
            Written::Text(format!("{before}{added}"))
        }
        (Some(Written::Unknown(why)), _, true) => Written::Unknown(why.clone()),
        (_, content, _) => content,
    };
    files.insert(path, WrittenFile { content, line });
}

/// The text `echo` prints (`-n`, `-e`, `-E` understood; backslash escapes read as dash's
/// echo does unless `-E`).
fn echo_text(command: &Command) -> Option<String> {
    let mut words = command.args.iter().peekable();
    let mut newline = true;
    let mut escapes = true;
    while let Some(flag) = words.peek().and_then(|word| word.value()) {
        if !(flag.len() > 1
            && flag.starts_with('-')
            && flag[1..].chars().all(|c| matches!(c, 'n' | 'e' | 'E')))
        {
            break;
        }
        newline &= !flag.contains('n');
        if flag.contains('E') {
            escapes = false;
        }
        words.next();
    }
    let values: Option<Vec<&str>> = words.map(|word| word.value()).collect();
    let joined = values?.join(" ");
    let mut text = if escapes { unescape(&joined) } else { joined };
    if newline {
        text.push('\n');
    }
    Some(text)
}

/// The text `printf FORMAT ARGS…` prints (`%s` and `%%`; the format reused while arguments
/// remain, as printf does).
fn printf_text(command: &Command) -> Option<String> {
    let values: Option<Vec<&str>> = command.args.iter().map(|word| word.value()).collect();
    let values = values?;
    let (format, mut args) = values.split_first()?;
    let format = unescape(format);
    let mut out = String::new();
    loop {
        let mut used = 0;
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('%') => out.push('%'),
                Some('s') | Some('b') => {
                    out.push_str(args.get(used).copied().unwrap_or(""));
                    used += 1;
                }
                // Numbers and the like: not configuration text.
                _ => return None,
            }
        }
        if used == 0 || args.len() <= used {
            break;
        }
        args = &args[used..];
    }
    Some(out)
}

/// Backslash escapes as `printf` and dash's `echo` read them.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('r') => out.push('\r'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The body of the here-document a command reads, when the Dockerfile holds it.
fn heredoc_text(source: &str, command: &Command) -> Option<String> {
    command
        .redirections
        .iter()
        .find(|redirection| redirection.op.starts_with("<<") && redirection.op != "<<<")
        .and_then(|redirection| redirection.body)
        .and_then(|body| source.get(body.start..body.end))
        .map(str::to_string)
}

fn copy_writes(
    instruction: &Instruction,
    model: &InstructionModel,
    context_dir: Option<&Path>,
    files: &mut BTreeMap<String, WrittenFile>,
) {
    let words = match &instruction.arguments {
        Arguments::Words(words) | Arguments::Exec(words) if words.len() >= 2 => words,
        _ => return,
    };
    let workdir = model.context.workdir.as_deref();
    let (destination, sources) = words.split_last().unwrap_or((&words[0], &[]));
    let destination = absolute(&destination.text, workdir);
    let into_directory = destination.ends_with('/') || sources.len() > 1;
    let from_stage = instruction
        .flags
        .iter()
        .find(|flag| flag.name == "from")
        .and_then(|flag| flag.value.clone());
    for source in sources {
        let heredoc = instruction
            .heredocs
            .iter()
            .find(|heredoc| source.text.starts_with("<<") && source.text.ends_with(&heredoc.name));
        let name = source.text.trim_end_matches('/');
        let target = |file: &str| {
            if into_directory {
                format!("{}/{file}", destination.trim_end_matches('/'))
            } else {
                destination.clone()
            }
        };
        if let Some(heredoc) = heredoc {
            let path = target(&heredoc.name);
            let content = Written::Text(heredoc.content.clone());
            record(files, path, content, false, model.line);
            continue;
        }
        let base = name.rsplit('/').next().unwrap_or(name).to_string();
        let unknown = |why: String| Written::Unknown(why);
        let content = if let Some(stage) = &from_stage {
            unknown(format!("copied from `{stage}` (line {})", model.line))
        } else if name.contains("://") {
            unknown(format!("downloaded from `{name}` (line {})", model.line))
        } else {
            match context_dir {
                None => unknown(format!(
                    "copied from the build context (`{name}`, line {}), which is not known (standard input)",
                    model.line
                )),
                Some(dir) => {
                    let path = dir.join(name);
                    if path.is_dir() {
                        copy_directory(&path, &destination, model.line, 0, files);
                        continue;
                    }
                    match std::fs::read_to_string(&path) {
                        Ok(text) => Written::Text(text),
                        Err(_) => unknown(format!(
                            "copied from `{name}` of the build context (line {}), which cannot be read",
                            model.line
                        )),
                    }
                }
            }
        };
        record(files, target(&base), content, false, model.line);
    }
}

/// `COPY conf/ /etc/supervisor/`: every file of the directory and its subdirectories (symbolic
/// links to directories not followed, a few levels deep).
fn copy_directory(
    directory: &Path,
    destination: &str,
    line: usize,
    depth: usize,
    files: &mut BTreeMap<String, WrittenFile>,
) {
    if depth > 4 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(directory) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let target = format!("{}/{name}", destination.trim_end_matches('/'));
        let path = entry.path();
        if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            copy_directory(&path, &target, line, depth + 1, files);
            continue;
        }
        let content = std::fs::read_to_string(&path).map_or_else(
            |_| {
                Written::Unknown(format!(
                    "copied from the build context (line {line}), which cannot be read"
                ))
            },
            Written::Text,
        );
        record(files, target, content, false, line);
    }
}

fn absolute(path: &str, workdir: Option<&str>) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        let path = path.trim_start_matches("./");
        format!("{}/{path}", workdir.unwrap_or("").trim_end_matches('/'))
    }
}
