//! SEC006 world-writable-directory: `chmod` making a directory writable by everyone (`777`,
//! `a+w`, `o+w`, `-R 777`), without the sticky bit (`1777`, `+t`: the `/tmp` way, where users
//! cannot delete each other's files). Also `COPY`/`ADD --chmod=777` into a directory.
//!
//! Any process in the container, whatever its user, can then replace what is there: scripts,
//! libraries, configuration. Targets that look like files (a name with an extension, such as
//! `entrypoint.sh`) are left out unless `-R` is given, and so are directories the same RUN
//! removes again (`rm -rf "$tempDir"`). Reported at the mode.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword};

use super::{Readers, program, run_commands_where, text};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "SEC006",
        name: "world-writable-directory",
        severity: Severity::Warning,
        family: Family::Security,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "a directory made writable by every user (chmod 777, a+w)",
        doc: include_str!("../../../rules/SEC006.md"),
    },
    check,
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for found in run_commands_where(context, Readers::CHMOD, false) {
        if found.program != "chmod" {
            continue;
        }
        let words = &found.command.args;
        let recursive = words.iter().any(|word| {
            let t = text(word);
            t == "--recursive" || (t.starts_with('-') && !t.starts_with("--") && t.contains('R'))
        });
        let operands: Vec<_> = words
            .iter()
            .filter(|word| !text(word).starts_with('-') || is_mode(text(word)))
            .collect();
        let Some((mode, targets)) = operands.split_first() else {
            continue;
        };
        if !world_writable(text(mode)) || targets.is_empty() {
            continue;
        }
        // A scratch directory the same script removes again never reaches the image.
        let removed_later = |target: &&&crate::shell::Word| {
            found.script[found.position + 1..].iter().any(|later| {
                program(later) == "rm" && later.args.iter().any(|word| word.raw == target.raw)
            })
        };
        let kept: Vec<_> = targets
            .iter()
            .filter(|target| !removed_later(target))
            .collect();
        let directories = !kept.is_empty()
            && (recursive || kept.iter().any(|target| !looks_like_file(text(target))));
        if directories {
            out.push(report(context, mode.span, text(mode)));
        }
    }
    for instruction in context.instructions_of_any([Keyword::Copy, Keyword::Add]) {
        let into_directory = match &instruction.arguments {
            Arguments::Words(words) | Arguments::Exec(words) => {
                words.last().is_some_and(|dest| dest.text.ends_with('/'))
            }
            _ => false,
        };
        for flag in &instruction.flags {
            if let (true, "chmod", Some(mode)) =
                (into_directory, flag.name.as_str(), flag.value.as_deref())
                && world_writable(mode)
            {
                out.push(report(context, flag.span, mode));
            }
        }
    }
}

fn report(context: &LintContext<'_>, span: crate::syntax::Span, mode: &str) -> Diagnostic {
    context.report(
        &RULE.meta,
        span,
        format!(
            "mode `{mode}` lets every user of the container write here: grant the owner (`chown`) \
             or a group instead, or add the sticky bit (`1777`) for a shared scratch directory"
        ),
    )
}

/// A symbolic mode starting with `-` (`-w`) counts as a mode, not an option.
fn is_mode(word: &str) -> bool {
    word.len() > 1 && word[1..].chars().all(|c| "rwxXstugo".contains(c))
}

/// Octal with the others' write bit and no sticky bit, or symbolic `a+w`/`o+w`/`o=rwx`
/// without `+t`.
fn world_writable(mode: &str) -> bool {
    if !mode.is_empty() && mode.chars().all(|c| c.is_digit(8)) {
        let value = u32::from_str_radix(mode, 8).unwrap_or(0);
        return value & 0o002 != 0 && value & 0o1000 == 0;
    }
    if mode.contains('t') {
        return false;
    }
    mode.split(',').any(|clause| {
        let (who, rest) = clause.split_at(clause.find(['+', '=']).unwrap_or(clause.len()));
        let everyone = who.contains('a') || who.contains('o');
        everyone && rest.contains('w')
    })
}

/// `entrypoint.sh`, `app.jar`: a name with an extension (not a leading dot).
fn looks_like_file(path: &str) -> bool {
    if path.ends_with('/') || path.contains('$') || path.contains('*') {
        return false;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    name.char_indices()
        .any(|(at, c)| c == '.' && at > 0 && at + 1 < name.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        for bad in [
            "777", "0777", "666", "a+w", "o+w", "a=rwx", "ugo+rwx", "go+w",
        ] {
            assert!(world_writable(bad), "{bad}");
        }
        for good in [
            "755", "1777", "01777", "a+rwxt", "u+w", "+x", "g+w", "o-w", "644",
        ] {
            assert!(!world_writable(good), "{good}");
        }
        assert!(looks_like_file("/entrypoint.sh"));
        assert!(!looks_like_file("/var/www/html"));
        assert!(!looks_like_file("/opt/app-1.2/"));
    }
}
