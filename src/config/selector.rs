//! Rule selectors: a rule code (`HC002`, `DL3008`), a rule name (`ssh-server`), a BuildKit
//! check name (`JSONArgsRecommended`) or a code prefix (`HC`, `DL30`), case-insensitively.

use crate::rules::{Family, RULES, find_rule};
use crate::syntax::suggest::closest;

/// Code families accepted whether or not their rules are registered yet: hadolint's `DL` rules
/// and ShellCheck's `SC` codes, four digits each.
const OPEN_FAMILIES: &[&str] = &["DL", "SC"];
const OPEN_FAMILY_DIGITS: usize = 4;

/// `HC002` → `("HC", "002")`; a code with no trailing digits (a BuildKit name) → `None`.
fn split_code(code: &str) -> Option<(&str, &str)> {
    let digits_at = code
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i)?;
    let (alpha, digits) = code.split_at(digits_at);
    (!alpha.is_empty()
        && alpha.chars().all(|c| c.is_ascii_alphabetic())
        && digits.chars().all(|c| c.is_ascii_digit()))
    .then_some((alpha, digits))
}

/// A selector of the shape `LETTERS[DIGITS]` → its two parts.
fn split_prefix(selector: &str) -> Option<(&str, &str)> {
    let digits_at = selector
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit())
        .map_or(selector.len(), |(i, _)| i);
    let (alpha, digits) = selector.split_at(digits_at);
    (!alpha.is_empty()
        && alpha.chars().all(|c| c.is_ascii_alphabetic())
        && digits.chars().all(|c| c.is_ascii_digit()))
    .then_some((alpha, digits))
}

/// How specifically `selector` names the rule `code`/`name`, or `None` when it does not.
/// An exact code or name beats every prefix; a longer prefix beats a shorter one.
pub fn specificity(selector: &str, code: &str, name: &str) -> Option<usize> {
    if selector.eq_ignore_ascii_case(code) || selector.eq_ignore_ascii_case(name) {
        return Some(usize::MAX);
    }
    let (alpha, digits) = split_code(code)?;
    let (sel_alpha, sel_digits) = split_prefix(selector)?;
    (sel_alpha.eq_ignore_ascii_case(alpha) && digits.starts_with(sel_digits))
        .then_some(selector.len())
}

/// Whether `selector` names the rule `code`/`name`.
pub fn matches(selector: &str, code: &str, name: &str) -> bool {
    specificity(selector, code, name).is_some()
}

/// Whether any of `selectors` names the rule.
pub fn any_matches(selectors: &[String], code: &str, name: &str) -> bool {
    selectors
        .iter()
        .any(|selector| matches(selector, code, name))
}

/// `Ok` when `selector` names a rule dlayer knows or will know, else a message (with a
/// suggestion when a known code or name is close).
pub fn validate(selector: &str) -> Result<(), String> {
    // A BuildKit check name (JSONArgsRecommended) is its BK rule's name in the registry.
    if find_rule(selector).is_some() || selector.eq_ignore_ascii_case(crate::shellcheck::NAME) {
        return Ok(());
    }
    if let Some((alpha, digits)) = split_prefix(selector) {
        let open = OPEN_FAMILIES
            .iter()
            .any(|family| family.eq_ignore_ascii_case(alpha))
            && digits.len() <= OPEN_FAMILY_DIGITS;
        let registered = RULES.iter().any(|rule| {
            split_code(rule.meta.code).is_some_and(|(code_alpha, code_digits)| {
                code_alpha.eq_ignore_ascii_case(alpha) && code_digits.starts_with(digits)
            })
        });
        if open || registered {
            return Ok(());
        }
    }
    let mut message = if selector.is_empty() {
        "empty rule selector".to_string()
    } else {
        format!("unknown rule `{selector}`")
    };
    if let Some(close) = suggestion(selector) {
        message.push_str(&format!(" (did you mean `{close}`?)"));
    }
    message.push_str(
        "; expected a rule code (HC002, DL3008, SC2086), a rule name (ssh-server), \
         a BuildKit check (JSONArgsRecommended) or a code prefix (HC, DL30)",
    );
    Err(message)
}

/// Whether the rule `code` is dlayer's syntax-error finding, which nothing can silence.
pub fn is_unsilenceable(code: &str) -> bool {
    code.eq_ignore_ascii_case(crate::rules::SYNTAX_ERROR.code)
}

/// Whether the rule `code` reports what the parser or BuildKit rejects (never dropped by
/// `select`, only by an explicit `ignore`).
pub fn is_syntax_rule(code: &str) -> bool {
    find_rule(code).is_some_and(|rule| rule.meta.family == Family::Syntax)
}

/// Whether `selector` names DL1000 (`syntax-error`) itself, which cannot be ignored.
pub fn names_syntax_error(selector: &str) -> bool {
    let rule = crate::rules::SYNTAX_ERROR;
    specificity(selector, rule.code, rule.name) == Some(usize::MAX)
}

/// The known code or name closest to `selector` (Levenshtein distance < 3, as BuildKit does).
fn suggestion(selector: &str) -> Option<&'static str> {
    let known = RULES
        .iter()
        .flat_map(|rule| [rule.meta.code, rule.meta.name]);
    closest(selector, known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching() {
        assert!(matches("hc002", "HC002", "ssh-server"));
        assert!(matches("SSH-Server", "HC002", "ssh-server"));
        assert!(matches("HC", "HC002", "ssh-server"));
        assert!(matches("hc00", "HC002", "ssh-server"));
        assert!(!matches("HC01", "HC002", "ssh-server"));
        assert!(!matches("H", "HC002", "ssh-server"));
        assert!(!matches("ssh", "HC002", "ssh-server"));
        assert!(!matches("Undefined", "UndefinedVar", "undefined-var"));
        assert!(matches("undefinedvar", "UndefinedVar", "undefined-var"));
        assert!(specificity("HC002", "HC002", "x") > specificity("HC00", "HC002", "x"));
        assert!(specificity("HC00", "HC002", "x") > specificity("HC", "HC002", "x"));
    }

    #[test]
    fn validation() {
        for good in [
            "HC002",
            "ssh-server",
            "HC",
            "hc0",
            "HC01",
            "DL3008",
            "DL30",
            "DL",
            "SC2086",
            "sc",
            "shellcheck",
            "JSONArgsRecommended",
            "jsonargsrecommended",
            "E001",
            "E",
        ] {
            assert_eq!(validate(good), Ok(()), "{good}");
        }
        for bad in [
            "HC02",
            "HC1",
            "ssh-sever",
            "DL30081",
            "SC20861",
            "X",
            "",
            "H",
        ] {
            assert!(validate(bad).is_err(), "{bad}");
        }
        assert!(validate("ssh-sever").unwrap_err().contains("`ssh-server`"));
        assert!(
            validate("JSONArgsRecomended")
                .unwrap_err()
                .contains("`JSONArgsRecommended`")
        );
    }
}
