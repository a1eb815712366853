//! The scripts ShellCheck is given: one per shell-form RUN (and `ONBUILD RUN`) whose shell
//! ShellCheck knows, with a prologue that declares the stage's variables, and the way back
//! from a ShellCheck line and column to Dockerfile bytes.

use std::collections::BTreeSet;

use crate::model::{self, InstructionModel, Model, ShellScript, Stage};
use crate::syntax::{Arguments, Dockerfile, Instruction, Item, Keyword, Span, TextMap};

/// BuildKit's predefined proxy ARGs: usable in RUN without a declaration.
const PROXY_ARGS: [&str; 10] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// One script for ShellCheck.
#[derive(Debug)]
pub struct Script {
    /// What ShellCheck reads: the `#!` line, the `export` line, then the script's own lines.
    pub text: String,
    /// ShellCheck's `--shell` dialect.
    pub dialect: &'static str,
    /// The lines before the script's own (`#!` and `export`), which map to nothing.
    prologue_lines: usize,
    /// Where in `text` the script's own text starts.
    body_start: usize,
    /// Offsets of the script's own text (from `body_start`) to Dockerfile offsets.
    map: TextMap,
}

impl Script {
    /// The Dockerfile span of ShellCheck's range (1-based lines, 1-based columns counting
    /// characters, tabs as one; end exclusive). `None` for a range inside the prologue.
    pub fn span(
        &self,
        line: usize,
        column: usize,
        end_line: usize,
        end_column: usize,
    ) -> Option<Span> {
        let start = self.body_offset(line, column)?;
        let end = self
            .body_offset(end_line, end_column)
            .unwrap_or(start)
            .max(start);
        Some(self.map.span(start, end))
    }

    /// The offset in the script's own text of a ShellCheck position.
    fn body_offset(&self, line: usize, column: usize) -> Option<usize> {
        let body_line = line.checked_sub(self.prologue_lines + 1)?;
        let body = &self.text[self.body_start..];
        let line_start = if body_line == 0 {
            0
        } else {
            memchr::memchr_iter(b'\n', body.as_bytes())
                .nth(body_line - 1)
                .map(|newline| newline + 1)?
        };
        let rest = &body[line_start..];
        let line_text = rest.split('\n').next().unwrap_or(rest);
        let within = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(offset, _)| offset);
        Some(line_start + within)
    }
}

/// ShellCheck's dialect for a shell program (`/bin/bash` → `bash`); `None` for shells it cannot
/// check (zsh, fish) and for what is not a POSIX-family shell at all (PowerShell, cmd).
pub fn dialect(program: &str) -> Option<&'static str> {
    let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
    let name = name.to_ascii_lowercase();
    match name.strip_suffix(".exe").unwrap_or(&name) {
        "sh" => Some("sh"),
        "dash" => Some("dash"),
        "bash" => Some("bash"),
        "ksh" | "mksh" | "pdksh" => Some("ksh"),
        "ash" | "busybox" => Some("busybox"),
        _ => None,
    }
}

/// Every script of the file ShellCheck can check, in file order. Skipped, as in hadolint:
/// exec-form RUN, RUNs under a shell ShellCheck does not know (SHELL or a `# hadolint shell=`
/// pragma naming PowerShell, cmd, zsh), heredoc scripts whose `#!` names another interpreter.
pub fn scripts(dockerfile: &Dockerfile, model: &Model) -> Vec<Script> {
    let mut found = Vec::new();
    for stage in &model.stages {
        for (index, instruction) in stage.instructions.iter().enumerate() {
            let Some(Item::Instruction(syntax)) = dockerfile.items.get(instruction.item) else {
                continue;
            };
            let run = match (&syntax.kind, &syntax.arguments) {
                (Keyword::Run, _) => syntax,
                (Keyword::Onbuild, Arguments::Onbuild(trigger)) if trigger.kind == Keyword::Run => {
                    trigger
                }
                _ => continue,
            };
            if let Some(script) = script_of(dockerfile, stage, index, instruction, run) {
                found.push(script);
            }
        }
    }
    found
}

fn script_of(
    dockerfile: &Dockerfile,
    stage: &Stage,
    index: usize,
    instruction: &InstructionModel,
    run: &Instruction,
) -> Option<Script> {
    let Arguments::Shell(token) = &run.arguments else {
        return None;
    };
    let shell = instruction.context.shell.first()?;
    // A heredoc's own `#!` line gives way to the prologue's, which names the same interpreter.
    let (text, map, interpreter, own_shebang) = match model::shell_script(dockerfile, run, token)? {
        ShellScript::Text(text, map) => (text.into_owned(), map, shell.clone(), 0),
        ShellScript::Heredoc(heredoc) => {
            let (body, map) = model::heredoc_body(heredoc);
            match model::heredoc_interpreter(heredoc) {
                Some(line) => {
                    let own_shebang = body.find('\n').map_or(body.len(), |newline| newline + 1);
                    (body, map, line, own_shebang)
                }
                None => (body, map, shell.clone(), 0),
            }
        }
    };
    let dialect = dialect(model::interpreter_program(&interpreter))?;
    let mut script = format!("#!{interpreter}\n");
    let names = variables(dockerfile, stage, index, run);
    // `export NAME` declares the variable without a value: ShellCheck then neither reports it
    // as unassigned (SC2154) nor takes it for a constant that needs no quotes (SC2086).
    script.push_str("export");
    for name in &names {
        script.push(' ');
        script.push_str(name);
    }
    script.push('\n');
    let body_start = script.len();
    script.push_str(&text[own_shebang..]);
    let map = if own_shebang == 0 {
        map
    } else {
        map.slice(own_shebang, text.len())
    };
    Some(Script {
        text: script,
        dialect,
        prologue_lines: 2,
        body_start,
        map,
    })
}

/// The variables the RUN at `index` of `stage` sees: ENV inherited and set before it, ARGs
/// declared before it (with or without a value), the proxy ARGs, and `--mount=type=secret,env=`.
fn variables(
    dockerfile: &Dockerfile,
    stage: &Stage,
    index: usize,
    run: &Instruction,
) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = stage.initial_env.keys().cloned().collect();
    names.extend(PROXY_ARGS.iter().map(|name| name.to_string()));
    for assignment in &stage.assignments {
        if assignment.instruction < index {
            names.insert(assignment.name.clone());
        }
    }
    for earlier in &stage.instructions[..index] {
        if let Some(Item::Instruction(syntax)) = dockerfile.items.get(earlier.item)
            && syntax.kind == Keyword::Arg
            && let Arguments::Words(words) = &syntax.arguments
        {
            names.extend(
                words
                    .iter()
                    .map(|word| word.text.split('=').next().unwrap_or("").to_string()),
            );
        }
    }
    for flag in &run.flags {
        if flag.name.eq_ignore_ascii_case("mount")
            && let Some(value) = &flag.value
        {
            names.extend(
                value
                    .split(',')
                    .filter_map(|field| field.split_once('='))
                    .filter(|(key, _)| key.trim() == "env")
                    .map(|(_, name)| name.trim().to_string()),
            );
        }
    }
    names.retain(|name| is_identifier(name));
    names
}

/// A shell variable name: `[A-Za-z_][A-Za-z0-9_]*`.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scripts_of(text: &str) -> (Dockerfile, Vec<Script>) {
        let dockerfile = crate::syntax::parse_bytes(text.as_bytes());
        let model = crate::model::build(&dockerfile, &crate::model::Options::default());
        let scripts = scripts(&dockerfile, &model);
        (dockerfile, scripts)
    }

    #[test]
    fn prologue_declares_the_stage_variables() {
        let (_, scripts) =
            scripts_of("FROM a\nARG V\nENV E=1 my-var=2\nRUN echo $V\nFROM a\nRUN echo\n");
        assert_eq!(scripts.len(), 2);
        assert!(
            scripts[0]
                .text
                .starts_with("#!/bin/sh\nexport ALL_PROXY E FTP_PROXY")
        );
        assert!(scripts[0].text.contains(" PATH V all_proxy"));
        assert!(!scripts[0].text.contains("my-var"));
        assert!(scripts[0].text.ends_with("\necho $V"));
        assert!(!scripts[1].text.contains(" V "));
        assert_eq!(scripts[0].dialect, "sh");
    }

    #[test]
    fn positions_map_across_continuation_lines() {
        let text = "FROM a\nRUN echo a && \\\n    echo $b\n";
        let (_, scripts) = scripts_of(text);
        // The joined script is one line: `echo a &&     echo $b`, `$b` at column 20.
        let span = scripts[0].span(3, 20, 3, 22).unwrap();
        assert_eq!(span.text(text), "$b");
        assert_eq!(scripts[0].span(2, 1, 2, 3), None);
    }

    #[test]
    fn skips_what_shellcheck_cannot_check() {
        let (_, scripts) = scripts_of(concat!(
            "FROM a\n",
            "RUN [\"sh\", \"-c\", \"echo $x\"]\n",
            "RUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n",
            "SHELL [\"pwsh\", \"-Command\"]\n",
            "RUN Get-Item\n",
            "SHELL [\"/bin/zsh\", \"-c\"]\n",
            "RUN echo\n",
        ));
        assert!(scripts.is_empty(), "{scripts:?}");
    }

    #[test]
    fn heredoc_scripts_keep_their_interpreter_and_positions() {
        let text = "FROM a\nRUN <<EOF\n#!/bin/bash\necho $x\nEOF\nONBUILD RUN echo $y\n";
        let (_, scripts) = scripts_of(text);
        assert_eq!(scripts.len(), 2);
        assert_eq!(scripts[0].dialect, "bash");
        assert!(scripts[0].text.starts_with("#!/bin/bash\nexport "));
        assert!(scripts[0].text.ends_with("\necho $x\n"));
        assert_eq!(scripts[0].span(3, 6, 3, 8).unwrap().text(text), "$x");
        assert_eq!(scripts[1].span(3, 6, 3, 8).unwrap().text(text), "$y");
    }

    #[test]
    fn dialects() {
        assert_eq!(dialect("/bin/bash"), Some("bash"));
        assert_eq!(dialect("/bin/ash"), Some("busybox"));
        assert_eq!(dialect("C:\\busybox.exe"), Some("busybox"));
        assert_eq!(dialect("zsh"), None);
        assert_eq!(dialect("pwsh"), None);
    }
}
