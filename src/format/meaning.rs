//! Whether two Dockerfiles mean the same to BuildKit: the same directives, escape token,
//! instructions (BuildKit's parse of each: keyword, flags, arguments), heredocs and build
//! errors.
//!
//! Two differences are allowed, both invisible to the build: the amount of separator blanks
//! between the words of a shell-form command (BuildKit hands the text to the shell, which
//! splits it into the same words), and the case of a FROM's `AS`. When package sorting is on,
//! `apt-get install` lists are compared as sorted.

use super::Options;
use super::instruction::Part;
use super::lexical::analyse;
use super::packages;
use crate::syntax::{self, Arguments, Dockerfile, Instruction, Item, Keyword};

/// `Ok` when `after` means what `before` means; otherwise which instruction differs and how.
pub fn same_meaning(before: &str, after: &str, options: &Options) -> Result<(), String> {
    let (old, new) = (syntax::parse(before), syntax::parse(after));
    if let Some(error) = new.syntax_errors().first() {
        if old.syntax_errors().is_empty() {
            let line = new.lines.line(error.span.start);
            return Err(format!(
                "the result would not parse (line {line}: {})",
                error.message
            ));
        }
    }
    if old.escape != new.escape || directives(&old) != directives(&new) {
        return Err("the parser directives would change".into());
    }
    let old_instructions: Vec<&Instruction> = old.instructions().collect();
    let new_instructions: Vec<&Instruction> = new.instructions().collect();
    if old_instructions.len() != new_instructions.len() {
        return Err(format!(
            "the number of instructions would change from {} to {}",
            old_instructions.len(),
            new_instructions.len()
        ));
    }
    for (a, b) in old_instructions.iter().zip(&new_instructions) {
        if signature(a, options) != signature(b, options) {
            return Err(format!(
                "line {}: the instruction would change meaning",
                old.lines.line(a.span.start)
            ));
        }
    }
    Ok(())
}

fn directives(dockerfile: &Dockerfile) -> Vec<(String, String)> {
    dockerfile
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Directive(directive) => {
                Some((directive.name.text.clone(), directive.value.text.clone()))
            }
            _ => None,
        })
        .collect()
}

/// What BuildKit takes from an instruction, with shell-form separators normalized.
fn signature(instruction: &Instruction, options: &Options) -> String {
    let mut out = node_signature(instruction, options);
    for heredoc in &instruction.heredocs {
        out.push_str(&format!(
            "\n<<{:?} {} {} {} {:?}",
            heredoc.name, heredoc.expand, heredoc.chomp, heredoc.file_descriptor, heredoc.content
        ));
    }
    for error in &instruction.build_errors {
        out.push_str(&format!("\n!{}", error.message));
    }
    out
}

fn node_signature(instruction: &Instruction, options: &Options) -> String {
    let flags: Vec<&str> = instruction
        .flags
        .iter()
        .map(|flag| flag.text.as_str())
        .collect();
    format!(
        "{} {:?} {}",
        instruction.keyword.text.to_lowercase(),
        flags,
        arguments(instruction, &instruction.arguments, options)
    )
}

fn arguments(instruction: &Instruction, args: &Arguments, options: &Options) -> String {
    match args {
        Arguments::None => "none".into(),
        Arguments::Ignored => "ignored".into(),
        Arguments::Exec(tokens) => format!("exec {:?}", texts(tokens)),
        Arguments::Words(tokens) => {
            let mut words = texts(tokens);
            if instruction.kind == Keyword::From && words.len() == 3 {
                words[1] = words[1].to_ascii_lowercase();
            }
            format!("words {words:?}")
        }
        Arguments::Text(token) => format!("text {:?}", token.text),
        Arguments::Shell(_) => format!("shell {:?}", shell_words(instruction, options)),
        Arguments::KeyValues(pairs) => {
            let pairs: Vec<(&str, &str, bool)> = pairs
                .iter()
                .map(|pair| {
                    (
                        pair.key.text.as_str(),
                        pair.value.text.as_str(),
                        pair.legacy,
                    )
                })
                .collect();
            format!("pairs {pairs:?}")
        }
        Arguments::Healthcheck { kind, command } => format!(
            "healthcheck {:?} {}",
            kind.text,
            arguments(instruction, command, options)
        ),
        Arguments::Onbuild(trigger) => format!("onbuild ({})", node_signature(trigger, options)),
    }
}

fn texts(tokens: &[syntax::Token]) -> Vec<String> {
    tokens.iter().map(|token| token.text.clone()).collect()
}

/// The shell-form script cut at its separator blanks (package lists sorted when sorting is on).
fn shell_words(instruction: &Instruction, options: &Options) -> Vec<String> {
    let lexical = analyse(instruction);
    let Some((start, end)) = lexical.shell else {
        return vec![instruction.original.clone()];
    };
    let text = &instruction.original;
    let mut parts = Vec::new();
    let mut word_start = None;
    for i in start..=end {
        let separator = i == end || lexical.free[i];
        match (separator, word_start) {
            (true, Some(from)) => {
                parts.push(Part::Text {
                    text: text[from..i].to_string(),
                    start: from,
                });
                parts.push(Part::Gap {
                    blanks: " ".into(),
                    head: false,
                });
                word_start = None;
            }
            (false, None) => word_start = Some(i),
            _ => {}
        }
    }
    if options.sort_packages {
        let script = (start, lexical.shell_comment.unwrap_or(end));
        packages::sort(&mut parts, script);
    }
    parts
        .into_iter()
        .filter_map(|part| match part {
            Part::Text { text, .. } => Some(text),
            _ => None,
        })
        .collect()
}
