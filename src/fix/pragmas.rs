//! `dlayer lint --add-ignore`: a `# dlayer ignore=CODES` pragma right above every instruction
//! with a finding (ruff's `--add-noqa`), so that a big project can adopt dlayer now and remove
//! the pragmas one by one.
//!
//! A pragma goes on the line right above the instruction's first line, indented like it, with
//! the file's line ending; an ignore pragma already there (dlayer's or hadolint's: only the line
//! right above counts) gets the new codes appended instead, so running it again changes nothing.
//! Syntax errors cannot be ignored and findings outside instructions have no line to carry a
//! pragma: both are left, and counted. The result is re-parsed and must keep every instruction
//! and ignore what was asked, or nothing is changed.

use crate::rules::{Diagnostic, SYNTAX_ERROR, parse_pragmas};
use crate::syntax::{Dockerfile, Instruction, Item, Span, parse};

/// What adding pragmas to one file did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Added {
    /// The new text (the input when nothing changed).
    pub text: String,
    /// Pragma lines written or extended.
    pub pragmas: usize,
    /// Findings that cannot carry a pragma (syntax errors, findings outside instructions).
    pub left: usize,
}

/// The codes to ignore per instruction (index into `items`), in order of first finding.
fn codes_per_instruction(
    dockerfile: &Dockerfile,
    diagnostics: &[Diagnostic],
) -> (Vec<(usize, Vec<&'static str>)>, usize) {
    let mut wanted: Vec<(usize, Vec<&'static str>)> = Vec::new();
    let mut left = 0;
    for diagnostic in diagnostics {
        let holder = dockerfile.items.iter().position(|item| match item {
            Item::Instruction(instruction) => {
                instruction.span.start <= diagnostic.span.start
                    && diagnostic.span.end <= instruction.span.end
            }
            _ => false,
        });
        match holder {
            Some(index) if diagnostic.code != SYNTAX_ERROR.code => {
                match wanted.iter_mut().find(|(at, _)| *at == index) {
                    Some((_, codes)) if codes.contains(&diagnostic.code) => {}
                    Some((_, codes)) => codes.push(diagnostic.code),
                    None => wanted.push((index, vec![diagnostic.code])),
                }
            }
            _ => left += 1,
        }
    }
    (wanted, left)
}

/// Adds pragmas for `diagnostics` (the findings dlayer reports for `source`).
pub fn add_ignores(source: &str, diagnostics: &[Diagnostic]) -> Result<Added, String> {
    let dockerfile = parse(source);
    let (wanted, left) = codes_per_instruction(&dockerfile, diagnostics);
    let mut edits: Vec<(Span, String)> = Vec::new();
    for (index, codes) in &wanted {
        let Item::Instruction(instruction) = &dockerfile.items[*index] else {
            unreachable!("indices point at instructions")
        };
        let above = index
            .checked_sub(1)
            .and_then(|previous| match &dockerfile.items[previous] {
                Item::Comment(comment) => Some(comment.text_span),
                _ => None,
            });
        let extended = above.and_then(|comment| extend_pragma(source, comment, codes));
        edits.push(extended.unwrap_or_else(|| new_pragma(source, instruction, codes)));
    }
    edits.retain(|(_, replacement)| !replacement.is_empty());
    if edits.is_empty() {
        return Ok(Added {
            text: source.to_string(),
            pragmas: 0,
            left,
        });
    }
    let mut text = source.to_string();
    for (span, replacement) in edits.iter().rev() {
        text.replace_range(span.start..span.end, replacement);
    }
    check(&dockerfile, &text, &wanted)?;
    Ok(Added {
        text,
        pragmas: edits.len(),
        left,
    })
}

/// A new pragma line before the instruction, indented like it, ending like its first line.
fn new_pragma(source: &str, instruction: &Instruction, codes: &[&str]) -> (Span, String) {
    let start = instruction.span.start;
    let line = &source[start..instruction.span.end];
    let indent: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let ending = match line.find('\n') {
        Some(newline) if line[..newline].ends_with('\r') => "\r\n",
        _ => "\n",
    };
    (
        Span::empty(start),
        format!("{indent}# dlayer ignore={}{ending}", codes.join(",")),
    )
}

/// When the comment right above is an ignore pragma for the next instruction (dlayer's or
/// hadolint's), the codes it lacks appended to its list.
fn extend_pragma(source: &str, comment: Span, codes: &[&str]) -> Option<(Span, String)> {
    let text = comment.text(source);
    let body = text.strip_prefix('#')?.trim_start();
    let rest = body
        .strip_prefix("dlayer")
        .or_else(|| body.strip_prefix("hadolint"))?
        .trim_start();
    if rest.starts_with("global") {
        return None;
    }
    let list = rest
        .strip_prefix("ignore")?
        .trim_start()
        .strip_prefix('=')?;
    let list_start = comment.end - list.len();
    // The list ends where a reason starts (` --` for dlayer, ` #` for hadolint).
    let list_len = [" --", " #"]
        .iter()
        .filter_map(|reason| list.find(reason))
        .min()
        .unwrap_or(list.len());
    let listed = &list[..list_len];
    let present: Vec<&str> = listed.split(',').map(str::trim).collect();
    let missing: Vec<&str> = codes
        .iter()
        .copied()
        .filter(|code| !present.iter().any(|p| p.eq_ignore_ascii_case(code)))
        .collect();
    let list_end = list_start + listed.trim_end().len();
    // Nothing missing: the pragma is there already (and pragmas are off, or it names a twin).
    let addition = match missing.is_empty() {
        true => String::new(),
        false => format!(",{}", missing.join(",")),
    };
    Some((Span::empty(list_end), addition))
}

/// The new text must parse to the same instructions, and each instruction that had findings
/// must now carry an ignore pragma naming their codes.
fn check(before: &Dockerfile, text: &str, wanted: &[(usize, Vec<&str>)]) -> Result<(), String> {
    let after = parse(text);
    let originals = |dockerfile: &Dockerfile| -> Vec<String> {
        dockerfile
            .instructions()
            .map(|instruction| instruction.original.clone())
            .collect()
    };
    if originals(before) != originals(&after)
        || before.syntax_errors().len() != after.syntax_errors().len()
    {
        return Err("the pragmas would change how the file parses; it was left as it was".into());
    }
    let pragmas = parse_pragmas(&after);
    let after_spans: Vec<Span> = after.instructions().map(|i| i.span).collect();
    for (index, codes) in wanted {
        let ordinal = before.items[..*index]
            .iter()
            .filter(|item| matches!(item, Item::Instruction(_)))
            .count();
        let span = after_spans[ordinal];
        let listed: Vec<&String> = pragmas
            .instructions
            .iter()
            .filter(|(at, _)| *at == span)
            .flat_map(|(_, codes)| codes)
            .collect();
        if let Some(code) = codes
            .iter()
            .find(|code| !listed.iter().any(|l| l.eq_ignore_ascii_case(code)))
        {
            return Err(format!(
                "a pragma for {code} would not be read; the file was left as it was"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;

    fn finding(source: &str, code: &'static str, needle: &str) -> Diagnostic {
        let start = source.find(needle).unwrap();
        Diagnostic {
            code,
            name: "test",
            severity: Severity::Warning,
            message: String::new(),
            span: Span::new(start, start + needle.len()),
            layer: None,
            fix: None,
            twins: Vec::new(),
        }
    }

    #[test]
    fn pragma_above_the_first_line_of_a_continued_instruction() {
        let source = "FROM debian:12\n  RUN apt-get update \\\n    # comment\n    && apt-get install -y vim\n";
        let diagnostics = [
            finding(source, "DL3008", "vim"),
            finding(source, "DL3015", "apt-get install"),
            finding(source, "DL3008", "-y"),
        ];
        let added = add_ignores(source, &diagnostics).unwrap();
        assert_eq!(
            added.text,
            "FROM debian:12\n  # dlayer ignore=DL3008,DL3015\n  RUN apt-get update \\\n    # comment\n    && apt-get install -y vim\n"
        );
        assert_eq!((added.pragmas, added.left), (1, 0));
    }

    #[test]
    fn extends_a_pragma_already_there_and_is_idempotent() {
        let source = "FROM debian:12\r\n# hadolint ignore=DL3008 # pinned elsewhere\r\nRUN apt-get install -y vim\r\n";
        let diagnostics = [
            finding(source, "DL3015", "apt-get"),
            finding(source, "DL3008", "vim"),
        ];
        let added = add_ignores(source, &diagnostics).unwrap();
        assert_eq!(
            added.text,
            "FROM debian:12\r\n# hadolint ignore=DL3008,DL3015 # pinned elsewhere\r\nRUN apt-get install -y vim\r\n"
        );
        let again = add_ignores(&added.text, &[]).unwrap();
        assert_eq!(
            (again.text.as_str(), again.pragmas),
            (added.text.as_str(), 0)
        );
        let crlf = "FROM debian:12\r\nRUN apt-get install -y vim\r\n";
        let added = add_ignores(crlf, &[finding(crlf, "DL3008", "vim")]).unwrap();
        assert!(added.text.contains("\r\n# dlayer ignore=DL3008\r\nRUN"));
    }

    #[test]
    fn syntax_errors_and_findings_outside_instructions_are_left() {
        let source = "# check=skip=Nope\nFROM debian:12\nRUN <<EOF\n";
        let diagnostics = [
            finding(source, "E002", "check"),
            finding(source, SYNTAX_ERROR.code, "<<EOF"),
        ];
        let added = add_ignores(source, &diagnostics).unwrap();
        assert_eq!(
            (added.text.as_str(), added.pragmas, added.left),
            (source, 0, 2)
        );
    }
}
