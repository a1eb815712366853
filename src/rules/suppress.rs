//! Suppression pragmas: `# dlayer ignore=…`, `# dlayer global ignore=…`, hadolint's
//! `# hadolint ignore=…` / `# hadolint global ignore=…`, and BuildKit's `# check=skip=…`.

use crate::syntax::{Dockerfile, Item, Span};

use super::{Diagnostic, Family, SYNTAX_ERROR};

/// The suppressions one file declares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pragmas {
    /// Codes or names ignored in the whole file.
    pub global: Vec<String>,
    /// Codes or names ignored in one instruction (its whole span).
    pub instructions: Vec<(Span, Vec<String>)>,
    /// BuildKit check names skipped by `# check=skip=` (`all` skips every check).
    pub check_skip: Vec<String>,
}

/// What one comment line says, if it is a pragma.
enum Pragma {
    Next(Vec<String>),
    Global(Vec<String>),
}

/// `dlayer ignore=A,B -- reason`, `hadolint global ignore=A`, after the `#`.
fn parse_comment(comment: &str) -> Option<Pragma> {
    let body = comment.strip_prefix('#')?.trim_start();
    let rest = body
        .strip_prefix("dlayer")
        .or_else(|| body.strip_prefix("hadolint"))?
        .trim_start();
    let (global, rest) = match rest.strip_prefix("global") {
        Some(after) => (true, after.trim_start()),
        None => (false, rest),
    };
    let list = rest
        .strip_prefix("ignore")?
        .trim_start()
        .strip_prefix('=')?;
    // A reason may follow after ` -- ` (dlayer) or ` # ` (hadolint).
    let list = list.split(" --").next().unwrap_or(list);
    let list = list.split(" #").next().unwrap_or(list);
    let codes: Vec<String> = list
        .split(',')
        .map(|code| code.split_whitespace().next().unwrap_or("").to_string())
        .filter(|code| !code.is_empty())
        .collect();
    if codes.is_empty() {
        return None;
    }
    Some(if global {
        Pragma::Global(codes)
    } else {
        Pragma::Next(codes)
    })
}

/// `check=skip=A,B;error=true` (a directive, or a comment right above an instruction).
fn check_skip(value: &str) -> Vec<String> {
    let value = value.split_whitespace().next().unwrap_or("");
    value
        .split(';')
        .filter_map(|part| part.split_once('='))
        .filter(|(key, _)| key.trim() == "skip")
        .flat_map(|(_, names)| names.split(',').map(|name| name.trim().to_string()))
        .filter(|name| !name.is_empty())
        .collect()
}

pub fn parse_pragmas(dockerfile: &Dockerfile) -> Pragmas {
    let mut pragmas = Pragmas::default();
    let mut pending: Vec<String> = Vec::new();
    for item in &dockerfile.items {
        match item {
            Item::Directive(directive) if directive.name.text == "check" => {
                pragmas.check_skip.extend(check_skip(&directive.value.text));
            }
            Item::Comment(comment) => {
                let text = dockerfile.text(comment.text_span);
                match parse_comment(text) {
                    Some(Pragma::Global(codes)) => pragmas.global.extend(codes),
                    // Like hadolint, only the pragma line right above the instruction counts.
                    Some(Pragma::Next(codes)) => pending = codes,
                    None => {
                        if let Some(value) = text
                            .trim_start_matches('#')
                            .trim_start()
                            .strip_prefix("check=")
                        {
                            pending.extend(check_skip(value));
                        } else {
                            pending.clear();
                        }
                    }
                }
            }
            Item::Instruction(instruction) => {
                if !pending.is_empty() {
                    pragmas
                        .instructions
                        .push((instruction.span, std::mem::take(&mut pending)));
                }
            }
            Item::Blank { .. } | Item::Error(_) | Item::Directive(_) => pending.clear(),
        }
    }
    pragmas
}

fn names(diagnostic: &Diagnostic, codes: &[String]) -> bool {
    codes.iter().any(|code| {
        code.eq_ignore_ascii_case(diagnostic.code) || code.eq_ignore_ascii_case(diagnostic.name)
    })
}

impl Pragmas {
    /// Whether a pragma silences `diagnostic` (of a rule of `family`). Syntax errors never are.
    pub fn suppresses(&self, diagnostic: &Diagnostic, family: Family) -> bool {
        if diagnostic.code == SYNTAX_ERROR.code {
            return false;
        }
        let skipped_check = family == Family::Buildkit
            && self
                .check_skip
                .iter()
                .any(|name| name == "all" || name == diagnostic.code);
        skipped_check
            || names(diagnostic, &self.global)
            || self
                .instructions
                .iter()
                .any(|(span, codes)| span.contains(diagnostic.span) && names(diagnostic, codes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(comment: &str) -> Option<(bool, Vec<String>)> {
        parse_comment(comment).map(|pragma| match pragma {
            Pragma::Next(codes) => (false, codes),
            Pragma::Global(codes) => (true, codes),
        })
    }

    #[test]
    fn reads_dlayer_and_hadolint_pragmas() {
        assert_eq!(
            codes("# dlayer ignore=HC002,HC006 -- dev image"),
            Some((false, vec!["HC002".into(), "HC006".into()]))
        );
        assert_eq!(
            codes("#hadolint ignore = DL3008 , DL3009 # reason"),
            Some((false, vec!["DL3008".into(), "DL3009".into()]))
        );
        assert_eq!(
            codes("# dlayer global ignore=ssh-server"),
            Some((true, vec!["ssh-server".into()]))
        );
        assert_eq!(codes("# just a comment"), None);
        assert_eq!(codes("# dlayer ignore="), None);
    }

    #[test]
    fn reads_check_skip() {
        assert_eq!(
            check_skip("skip=JSONArgsRecommended,StageNameCasing;error=true"),
            ["JSONArgsRecommended", "StageNameCasing"]
        );
        assert_eq!(check_skip("skip=all // reason"), ["all"]);
    }
}
